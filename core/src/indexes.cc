#include "indexes.h"

#include <algorithm>

#include "ridealong/core/schema.h"

namespace ridealong::core::detail {

void appendTime(std::string* out, int64_t t) {
  uint64_t u = static_cast<uint64_t>(t) ^ (uint64_t{1} << 63);
  for (int i = 7; i >= 0; i--) out->push_back(static_cast<char>(u >> (8 * i)));
}

int64_t readTime(std::string_view b) {
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u = (u << 8) | static_cast<uint8_t>(b[i]);
  return static_cast<int64_t>(u ^ (uint64_t{1} << 63));
}

namespace {

std::string key(char tag) { return std::string(1, tag); }

std::optional<RecordId> refOf(const Record& r, std::string_view f) {
  const Value& v = r.get(f);
  if (!v.isText()) return std::nullopt;
  return Id16::parse(v.asText());
}

int64_t intOf(const Record& r, std::string_view f) { return r.get(f).optInt().value_or(0); }

std::optional<int64_t> dueMs(const Record& r, std::string_view f) {
  const Value& v = r.get(f);
  if (!v.isText()) return std::nullopt;
  auto d = parseDate(v.asText());
  if (!d) return std::nullopt;
  return *d * kMsPerDay;
}

// Skill names go into keys up to the first NUL, which ends the component.
std::string skillKey(const Record& r) {
  std::string s = r.text("skill");
  return s.substr(0, s.find('\0'));
}

void timeline(std::vector<IndexEntry>& out, const std::optional<RecordId>& rep, char kind, int64_t t,
              const Record& r) {
  if (!rep) return;
  std::string k = key(idx::kRepTimeline);
  k += rep->view();
  k.push_back(kind);
  appendTime(&k, t);
  k += r.id.view();
  out.emplace_back(std::move(k), std::string());
}

}  // namespace

std::vector<IndexEntry> indexEntries(const Record& r) {
  std::vector<IndexEntry> out;
  if (r.hasConflicts()) out.emplace_back(key(idx::kConflict) + std::string(r.id.view()), "");
  if (r.deleted()) {
    out.emplace_back(key(idx::kTrash) + std::string(r.id.view()), "");
    std::sort(out.begin(), out.end());
    return out;
  }
  if (!r.type.empty()) {
    std::string k = key(idx::kType) + r.type;
    k.push_back('\0');
    k += r.id.view();
    out.emplace_back(std::move(k), "");
  }
  auto rep = refOf(r, "rep");
  if (r.type == types::kSession) {
    int64_t start = intOf(r, "start");
    timeline(out, rep, idx::kTlSession, start, r);
    if (rep && r.text("status") == "done") {
      std::string k = key(idx::kCoached) + std::string(rep->view());
      appendTime(&k, start);
      k += r.id.view();
      out.emplace_back(std::move(k), "");
    }
  } else if (r.type == types::kObservation) {
    int64_t at = intOf(r, "at");
    timeline(out, rep, idx::kTlObservation, at, r);
    if (auto s = refOf(r, "session")) {
      std::string k = key(idx::kSessionObs) + std::string(s->view());
      appendTime(&k, at);
      k += r.id.view();
      out.emplace_back(std::move(k), "");
    }
  } else if (r.type == types::kAction) {
    auto due = dueMs(r, "due");
    int64_t t = due.value_or(INT64_MAX / 2);  // undated items sort last
    timeline(out, rep, idx::kTlAction, t, r);
    if (r.text("status") == "open" || r.text("status").empty()) {
      std::string k = key(idx::kDue);
      appendTime(&k, t);
      k += r.id.view();
      out.emplace_back(std::move(k), "");
      if (rep) {
        std::string k2 = key(idx::kRepOpen) + std::string(rep->view());
        appendTime(&k2, t);
        k2 += r.id.view();
        out.emplace_back(std::move(k2), "");
      }
    }
  } else if (r.type == types::kGoal) {
    timeline(out, rep, idx::kTlGoal, dueMs(r, "target").value_or(hlcMs(r.created.hlc)), r);
  } else if (r.type == types::kRating) {
    int64_t at = intOf(r, "at");
    timeline(out, rep, idx::kTlRating, at, r);
    auto rating = r.get("rating").optInt();
    if (rep && rating) {
      std::string k = key(idx::kRatings) + std::string(rep->view()) + skillKey(r);
      k.push_back('\0');
      appendTime(&k, at);
      k += r.id.view();
      out.emplace_back(std::move(k), std::string(1, static_cast<char>(std::clamp<int64_t>(*rating, 0, 127))));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ratingPairOf(std::string_view k) {
  if (k.empty() || k[0] != idx::kRatings || k.size() < 1 + 16 + 1 + 8 + 16) return {};
  size_t nul = k.find('\0', 17);
  if (nul == std::string_view::npos) return {};
  return std::string(k.substr(0, nul + 1));
}

}  // namespace ridealong::core::detail
