// How ridealong-cli shows things: aligned tables, readable record views,
// JSON forms of records and conflicts, and the "ridealong-cli: " error line.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ridealong/core/notebook.h"
#include "ridealong/core/record.h"

namespace ridealong::cli {

using Json = nlohmann::ordered_json;

// Prints rows under a header with columns padded to the widest cell.
void printTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// JSON text for stdout: indented, invalid UTF-8 replaced, trailing newline.
std::string jsonText(const Json& j);

Json conflictJson(const core::Conflict& c);

// A field value for people: times as ISO 8601, text as is.
std::string displayValue(std::string_view type, std::string_view field, const core::Value& v);
// "device 7YETNHE3, 2026-01-05T10:20:30Z": who wrote a value, and when.
std::string describeStamp(const core::Stamp& s);

// The readable `show` view: type and id, then one field per line (schema
// order, then others), conflict siblings listed under their field.
std::string showRecord(const core::Record& r);

// Writes "ridealong-cli: <message>" to stderr.
void printError(const std::string& message);
std::string statusText(const Status& st);

}  // namespace ridealong::cli
