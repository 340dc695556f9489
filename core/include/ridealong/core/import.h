// Bulk input: the benchmark JSON Lines workload and CSV files of reps.
// All-or-nothing: input is parsed and checked completely first; any error
// names the file, line and field, and the notebook is left unchanged.
#pragma once

#include <string>
#include <string_view>

#include "ridealong/core/notebook.h"

namespace ridealong::core {

struct ImportReport {
  size_t lines = 0;    // input lines read (excluding blank lines / header)
  size_t changes = 0;  // changes committed
  size_t records = 0;  // records created
};

// Lines {"op":"create","record":ID,"type":T,"fields":{...}} and
// {"op":"set","record":ID,"field":F,"value":V}; a "replica" member is
// ignored. Each line becomes one change. `name` is used in error messages.
Result<ImportReport> importJsonl(Notebook& nb, std::string_view text, const std::string& name);

// CSV with a header row naming columns among name, team, territory, email
// (name required; case-insensitive; RFC 4180 quoting). One change for the file.
Result<ImportReport> importRepsCsv(Notebook& nb, std::string_view text, const std::string& name);

// Export of records as JSON (array of {id,type,deleted,fields}) or CSV. With
// a type, CSV has one column per schema field (plus any others seen); without,
// CSV is long-form id,type,field,value.
Result<std::string> exportJson(Notebook& nb, std::string_view type);
Result<std::string> exportCsv(Notebook& nb, std::string_view type);

}  // namespace ridealong::core
