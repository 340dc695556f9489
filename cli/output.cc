// Formatting for ridealong-cli: tables, record views and JSON.
#include "output.h"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "ridealong/core/ids.h"
#include "ridealong/core/json.h"
#include "ridealong/core/schema.h"

namespace ridealong::cli {

void printTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); i++) widths[i] = std::max(widths[i], row[i].size());
  };
  measure(header);
  for (auto& row : rows) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); i++) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    fmt::print("{}\n", line);
  };
  print(header);
  for (auto& row : rows) print(row);
}

std::string jsonText(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

Json conflictJson(const core::Conflict& c) {
  Json values = Json::array();
  for (size_t i = 0; i < c.values.size(); i++) {
    const auto& v = c.values[i];
    values.push_back({{"value", core::valueToJson<Json>(v.value)},
                      {"winner", i == 0},
                      {"device", v.stamp.actor.str()},
                      {"time", core::formatTimeMs(core::hlcMs(v.stamp.hlc))}});
  }
  return {{"record", c.record.str()}, {"type", c.type}, {"field", c.field}, {"values", std::move(values)}};
}

std::string displayValue(std::string_view type, std::string_view field, const core::Value& v) {
  const core::TypeSpec* t = core::findType(type);
  const core::FieldSpec* f = t ? t->field(field) : nullptr;
  if (f && f->kind == core::FieldKind::kTimeMs && v.isInt()) return core::formatTimeMs(v.asInt());
  if (v.isNull()) return "(empty)";
  return v.toDisplay();
}

std::string describeStamp(const core::Stamp& s) {
  return "device " + s.actor.str().substr(0, 8) + ", " + core::formatTimeMs(core::hlcMs(s.hlc));
}

namespace {

// Continuation lines of multi-line text line up under the first one.
std::string indentLines(const std::string& text, size_t indent) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += std::string(indent, ' ');
  }
  return out;
}

}  // namespace

std::string showRecord(const core::Record& r) {
  std::vector<std::string> order;
  std::set<std::string> listed;
  if (const core::TypeSpec* t = core::findType(r.type))
    for (auto& spec : t->fields)
      if (r.field(spec.name)) {
        order.emplace_back(spec.name);
        listed.emplace(spec.name);
      }
  for (auto& f : r.fields)
    if (!listed.count(f.name) && f.name != core::kDeletedField) order.push_back(f.name);

  size_t width = std::string("deleted").size();
  for (auto& name : order) width = std::max(width, name.size());
  std::string out = fmt::format("{} {}{}\n", r.type, r.id.str(), r.hasConflicts() ? "  (has conflicts)" : "");
  for (auto& name : order) {
    const core::Field* f = r.field(name);
    if (!f || f->values.empty()) continue;
    std::string label = fmt::format("  {:<{}}  ", name + ":", width + 1);
    out += label + indentLines(displayValue(r.type, name, f->value()), label.size());
    if (f->conflicted()) {
      out += "   [CONFLICT: " + describeStamp(f->values[0].stamp) + "]\n";
      for (size_t i = 1; i < f->values.size(); i++) {
        std::string pad(label.size(), ' ');
        out += pad + "also: " + indentLines(displayValue(r.type, name, f->values[i].value), pad.size() + 6) + "   (" +
               describeStamp(f->values[i].stamp) + ")\n";
      }
    } else {
      out += "\n";
    }
  }
  out += fmt::format("  {:<{}}  {}\n", "deleted:", width + 1, r.deleted() ? "yes" : "no");
  return out;
}

void printError(const std::string& message) { fmt::print(stderr, "ridealong-cli: {}\n", message); }

std::string statusText(const Status& st) {
  // Bad input and missing things already read well; other codes say what
  // kind of failure it was (corruption, disk full, ...).
  if (st.isInvalidArgument() || st.isNotFound()) return st.message();
  return st.toString();
}

}  // namespace ridealong::cli
