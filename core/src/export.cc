// Export of records for the enablement team: JSON (one object per record,
// conflicts included) and CSV (wide per type, or long-form for everything).
// Read-only; output is sorted by record id so repeated exports diff cleanly.
#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "ridealong/core/import.h"
#include "ridealong/core/json.h"
#include "ridealong/core/schema.h"

namespace ridealong::core {

namespace {

using OrderedJson = nlohmann::ordered_json;

std::string knownTypes() {
  std::string out;
  for (auto& t : allTypes()) {
    if (!out.empty()) out += ", ";
    out += t.name;
  }
  return out;
}

// Records of one schema type, or of every schema type when `type` is empty;
// deleted ones included (the export says so per record). Sorted by id.
Result<std::vector<Record>> collect(Notebook& nb, std::string_view type) {
  std::vector<Record> out;
  if (!type.empty()) {
    if (!findType(type))
      return Status::invalidArgument("unknown record type '" + std::string(type) + "' (known: " + knownTypes() + ")");
    auto records = nb.listType(type, true);
    if (!records) return records.status();
    out = std::move(records).value();
  } else {
    for (auto& t : allTypes()) {
      auto records = nb.listType(t.name, true);
      if (!records) return records.status();
      out.insert(out.end(), std::make_move_iterator(records->begin()), std::make_move_iterator(records->end()));
    }
  }
  std::sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.id < b.id; });
  return out;
}

// RFC 4180: quote when the cell holds a separator, quote or line break, or
// leading/trailing space a spreadsheet would otherwise eat.
std::string csvCell(std::string_view s) {
  bool quote =
      s.find_first_of(",\"\r\n") != std::string_view::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void csvRow(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); i++) {
    if (i) out += ',';
    out += csvCell(cells[i]);
  }
  out += "\r\n";
}

}  // namespace

nlohmann::ordered_json recordToJson(const Record& r) {
  OrderedJson fields = OrderedJson::object();
  OrderedJson conflicts = OrderedJson::object();
  for (const Field& f : r.fields) {
    if (f.name == kDeletedField || f.values.empty()) continue;
    fields[f.name] = valueToJson<OrderedJson>(f.value());
    if (f.conflicted()) {
      OrderedJson siblings = OrderedJson::array();
      for (size_t i = 1; i < f.values.size(); i++) siblings.push_back(valueToJson<OrderedJson>(f.values[i].value));
      conflicts[f.name] = std::move(siblings);
    }
  }
  OrderedJson rec = {{"id", r.id.str()}, {"type", r.type}, {"deleted", r.deleted()}, {"fields", std::move(fields)}};
  if (!conflicts.empty()) rec["conflicts"] = std::move(conflicts);
  return rec;
}

Result<std::string> exportJson(Notebook& nb, std::string_view type) {
  auto records = collect(nb, type);
  if (!records) return records.status();
  OrderedJson out = OrderedJson::array();
  for (const Record& r : *records) out.push_back(recordToJson(r));
  // Text typed on a device may not be valid UTF-8; replace rather than fail.
  return out.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

Result<std::string> exportCsv(Notebook& nb, std::string_view type) {
  auto records = collect(nb, type);
  if (!records) return records.status();
  std::string out;
  if (type.empty()) {
    // Long form: every type in one file, one row per field.
    csvRow(out, {"id", "type", "field", "value"});
    for (const Record& r : *records) {
      std::string id = r.id.str();
      for (const Field& f : r.fields) {
        if (f.name == kDeletedField || f.values.empty()) continue;
        csvRow(out, {id, r.type, f.name, f.value().toDisplay()});
      }
      csvRow(out, {id, r.type, std::string(kDeletedField), r.deleted() ? "true" : "false"});
    }
    return out;
  }

  // Wide form: schema fields in schema order, then extra fields seen.
  std::vector<std::string> columns;
  std::set<std::string> schemaFields;
  for (const FieldSpec& spec : findType(type)->fields) {
    if (spec.name == kDeletedField) continue;
    columns.emplace_back(spec.name);
    schemaFields.emplace(spec.name);
  }
  std::set<std::string> extras;
  for (const Record& r : *records)
    for (const Field& f : r.fields)
      if (f.name != kDeletedField && !schemaFields.count(f.name)) extras.insert(f.name);
  columns.insert(columns.end(), extras.begin(), extras.end());

  std::vector<std::string> header = {"id"};
  header.insert(header.end(), columns.begin(), columns.end());
  header.emplace_back(kDeletedField);
  csvRow(out, header);
  for (const Record& r : *records) {
    std::vector<std::string> cells = {r.id.str()};
    for (const std::string& c : columns) cells.push_back(r.get(c).toDisplay());
    cells.emplace_back(r.deleted() ? "true" : "false");
    csvRow(out, cells);
  }
  return out;
}

}  // namespace ridealong::core
