// Bulk input: the benchmark JSON Lines workload and CSV files of reps.
// Everything is parsed and checked before the first write, so a bad line
// leaves the notebook exactly as it was; errors say "FILE:LINE: ...".
#include "ridealong/core/import.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "ridealong/core/schema.h"

namespace ridealong::core {

namespace {

using nlohmann::json;

Status lineError(const std::string& name, size_t line, const std::string& what) {
  return Status::invalidArgument(name + ":" + std::to_string(line) + ": " + what);
}

// A JSON scalar as a Value; arrays and objects have no Value form.
Result<Value> valueFromJson(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return Value();
    case json::value_t::boolean: return Value(j.get<bool>());
    case json::value_t::number_integer: return Value(j.get<int64_t>());
    case json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return Status::invalidArgument("integer " + std::to_string(u) + " is out of range");
      return Value(static_cast<int64_t>(u));
    }
    case json::value_t::number_float: return Value(j.get<double>());
    case json::value_t::string: return Value(j.get<std::string>());
    case json::value_t::array: return Status::invalidArgument("arrays are not supported (use a scalar value)");
    case json::value_t::object: return Status::invalidArgument("objects are not supported (use a scalar value)");
    default: return Status::invalidArgument("unsupported JSON value");
  }
}

Result<std::string> stringMember(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::invalidArgument(std::string("missing \"") + key + "\"");
  if (!it->is_string()) return Status::invalidArgument(std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the
// bracketed tag means nothing to a user.
std::string cleanJsonError(const std::string& what) {
  if (!what.empty() && what[0] == '[') {
    auto close = what.find("] ");
    if (close != std::string::npos) return what.substr(close + 2);
  }
  return what;
}

// Splits text into lines (LF or CRLF), keeping 1-based line numbers.
std::vector<std::pair<size_t, std::string_view>> splitLines(std::string_view text) {
  std::vector<std::pair<size_t, std::string_view>> lines;
  size_t lineNo = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(++lineNo, line);
    pos = end + 1;
  }
  return lines;
}

bool isBlank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

std::string_view stripBom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// ---- JSON Lines ----

class JsonlParser {
 public:
  explicit JsonlParser(Notebook& nb) : nb_(nb) {}

  // Parses one line into `out`; the error text has no file/line prefix.
  Status parseLine(std::string_view line, ChangeBuilder& out) {
    json j;
    try {
      j = json::parse(line);
    } catch (const json::exception& e) {
      return Status::invalidArgument("invalid JSON: " + cleanJsonError(e.what()));
    }
    if (!j.is_object()) return Status::invalidArgument("expected a JSON object");
    static const std::set<std::string> kKnown = {"op", "record", "type", "fields", "field", "value", "replica"};
    for (auto& [key, v] : j.items())
      if (!kKnown.count(key)) return Status::invalidArgument("unknown member \"" + key + "\"");

    auto op = stringMember(j, "op");
    if (!op) return op.status();
    auto idText = stringMember(j, "record");
    if (!idText) return idText.status();
    auto id = Id16::parse(*idText);
    if (!id)
      return Status::invalidArgument("\"record\": '" + *idText +
                                     "' is not a record id (26 Crockford base32 characters)");

    if (*op == "create") return parseCreate(j, *id, out);
    if (*op == "set") return parseSet(j, *id, out);
    return Status::invalidArgument("\"op\": '" + *op + "' is not one of create, set");
  }

 private:
  Status parseCreate(const json& j, const RecordId& id, ChangeBuilder& out) {
    auto type = stringMember(j, "type");
    if (!type) return type.status();
    if (type->empty()) return Status::invalidArgument("\"type\" is empty");
    if (j.contains("field") || j.contains("value"))
      return Status::invalidArgument("a create line takes \"fields\", not \"field\"/\"value\"");
    if (types_.count(id)) return Status::invalidArgument("record " + id.str() + " already exists");
    if (auto held = nb_.get(id)) return Status::invalidArgument("record " + id.str() + " already exists");
    else if (!held.status().isNotFound()) return held.status();  // the store could not be read
    FieldList fields;
    auto it = j.find("fields");
    if (it != j.end()) {
      if (!it->is_object()) return Status::invalidArgument("\"fields\" must be an object");
      for (auto& [field, v] : it->items()) {
        if (field.empty()) return Status::invalidArgument("empty field name");
        auto value = valueFromJson(v);
        if (!value) return Status::invalidArgument("field '" + field + "': " + value.status().message());
        Status st = validateField(*type, field, *value);
        if (!st) return Status::invalidArgument("field '" + field + "': " + st.message());
        fields.emplace_back(field, std::move(*value));
      }
    }
    types_[id] = *type;
    out.create(id, *type, fields);
    return Status::ok();
  }

  Status parseSet(const json& j, const RecordId& id, ChangeBuilder& out) {
    auto field = stringMember(j, "field");
    if (!field) return field.status();
    if (field->empty()) return Status::invalidArgument("\"field\" is empty");
    if (j.contains("type") || j.contains("fields"))
      return Status::invalidArgument("a set line takes \"field\" and \"value\", not \"type\"/\"fields\"");
    auto it = j.find("value");
    if (it == j.end()) return Status::invalidArgument("missing \"value\"");
    auto value = valueFromJson(*it);
    if (!value) return Status::invalidArgument("field '" + *field + "': " + value.status().message());
    auto type = typeOf(id);
    if (!type && !type.status().isNotFound()) return type.status();  // the store could not be read
    if (!type)
      return Status::invalidArgument("record " + id.str() +
                                     " does not exist (not created earlier in the file nor in the notebook)");
    Status st = validateField(*type, *field, *value);
    if (!st) return Status::invalidArgument("field '" + *field + "': " + st.message());
    out.set(id, *field, std::move(*value));
    return Status::ok();
  }

  // The record's type; NotFound when neither the file nor the notebook has it.
  Result<std::string> typeOf(const RecordId& id) {
    if (auto it = types_.find(id); it != types_.end()) return it->second;
    auto r = nb_.get(id);
    if (!r) return r.status();
    types_[id] = r->type;  // memo: sets often target the same records
    return r->type;
  }

  Notebook& nb_;
  std::map<RecordId, std::string> types_;  // records created in the file (or looked up)
};

// ---- CSV (RFC 4180) ----

struct CsvRow {
  size_t line = 0;  // line where the row starts
  std::vector<std::string> cells;
};

// Quoted fields may hold commas, doubled quotes and line breaks; rows end
// with LF or CRLF. A quote inside an unquoted field is an error rather than
// a guess.
Result<std::vector<CsvRow>> parseCsv(std::string_view text, const std::string& name) {
  std::vector<CsvRow> rows;
  size_t line = 1, i = 0;
  const size_t n = text.size();
  while (i < n) {
    CsvRow row;
    row.line = line;
    bool rowDone = false;
    while (!rowDone) {
      std::string cell;
      if (i < n && text[i] == '"') {
        size_t openLine = line;
        i++;
        for (;;) {
          if (i >= n) return lineError(name, openLine, "unterminated quoted field (no closing '\"')");
          char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              cell += '"';
              i++;
            } else {
              break;
            }
          } else {
            if (c == '\n') line++;
            cell += c;
          }
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') &&
            !(text[i] == '\r' && i + 1 == n))
          return lineError(
              name, line,
              "unexpected character after closing quote (column " + std::to_string(row.cells.size() + 1) + ")");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n') {
          if (text[i] == '"')
            return lineError(name, line,
                             "quote inside an unquoted field (column " + std::to_string(row.cells.size() + 1) +
                                 "); quote the whole field");
          if (text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n')) {
            i++;
            continue;
          }
          cell += text[i++];
        }
      }
      row.cells.push_back(std::move(cell));
      if (i >= n) {
        rowDone = true;
      } else if (text[i] == ',') {
        i++;
      } else {
        if (text[i] == '\r') i++;
        if (i < n && text[i] == '\n') i++;
        line++;
        rowDone = true;
      }
    }
    // A row that is one empty cell is a blank line.
    if (!(row.cells.size() == 1 && isBlank(row.cells[0]))) rows.push_back(std::move(row));
  }
  return rows;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

Result<ImportReport> importJsonl(Notebook& nb, std::string_view text, const std::string& name) {
  JsonlParser parser(nb);
  std::vector<ChangeBuilder> changes;
  ImportReport report;
  for (auto& [lineNo, line] : splitLines(stripBom(text))) {
    if (isBlank(line)) continue;
    report.lines++;
    ChangeBuilder change;
    Status st = parser.parseLine(line, change);
    if (!st) return lineError(name, lineNo, st.message());
    for (auto& op : change.ops())
      if (op.kind == Op::Kind::kCreate) report.records++;
    changes.push_back(std::move(change));
  }
  if (changes.empty()) return Status::invalidArgument(name + ": no changes (the file is empty)");
  auto committed = nb.commitBatch(changes);
  if (!committed) return committed.status().withContext(name);
  report.changes = committed->size();
  return report;
}

Result<ImportReport> importRepsCsv(Notebook& nb, std::string_view text, const std::string& name) {
  auto rows = parseCsv(stripBom(text), name);
  if (!rows) return rows.status();
  if (rows->empty())
    return Status::invalidArgument(name +
                                   ": the file is empty (expected a header row with name, team, territory, email)");

  // Header: which column holds which rep field.
  static const std::vector<std::string> kColumns = {"name", "team", "territory", "email"};
  const CsvRow& header = rows->front();
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (size_t c = 0; c < header.cells.size(); c++) {
    std::string col = lower(trim(header.cells[c]));
    if (std::find(kColumns.begin(), kColumns.end(), col) == kColumns.end())
      return lineError(name, header.line,
                       "unknown column '" + header.cells[c] + "' (expected name, team, territory, email)");
    if (!seen.insert(col).second) return lineError(name, header.line, "column '" + col + "' appears twice");
    columns.push_back(col);
  }
  if (!seen.count("name")) return lineError(name, header.line, "missing required column 'name'");
  if (rows->size() == 1) return Status::invalidArgument(name + ": no reps (the file has only a header row)");

  ImportReport report;
  ChangeBuilder change;
  for (size_t r = 1; r < rows->size(); r++) {
    const CsvRow& row = (*rows)[r];
    if (row.cells.size() != columns.size())
      return lineError(
          name, row.line,
          "expected " + std::to_string(columns.size()) + " columns, found " + std::to_string(row.cells.size()));
    FieldList fields;
    for (size_t c = 0; c < columns.size(); c++) {
      std::string value = trim(row.cells[c]);
      if (columns[c] == "name" && value.empty()) return lineError(name, row.line, "field 'name': is empty");
      if (value.empty()) continue;
      Status st = validateField(types::kRep, columns[c], Value(value));
      if (!st) return lineError(name, row.line, "field '" + columns[c] + "': " + st.message());
      fields.emplace_back(columns[c], Value(std::move(value)));
    }
    change.create(nb.newId(), std::string(types::kRep), fields);
    report.lines++;
    report.records++;
  }
  auto committed = nb.commit(change);
  if (!committed) return committed.status().withContext(name);
  report.changes = 1;
  return report;
}

}  // namespace ridealong::core
