#include "indexes.h"

#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/fields.h"

#include <algorithm>

#include "draft.h"
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

// A key starting with `tag`; room for the usual id, time and id.
std::string key(char tag) {
  std::string k;
  k.reserve(64);
  k.push_back(tag);
  return k;
}

template <typename Rec>
std::string_view textOf(const Rec& r, std::string_view f) {
  const auto& v = r.get(f);
  return v.isText() ? std::string_view(v.asText()) : std::string_view();
}

template <typename Rec>
std::optional<RecordId> refOf(const Rec& r, std::string_view f) {
  const auto& v = r.get(f);
  if (!v.isText()) return std::nullopt;
  return Id16::parse(v.asText());
}

template <typename Rec>
int64_t intOf(const Rec& r, std::string_view f) {
  return r.get(f).optInt().value_or(0);
}

template <typename Rec>
std::optional<int64_t> dueMs(const Rec& r, std::string_view f) {
  const auto& v = r.get(f);
  if (!v.isText()) return std::nullopt;
  auto d = parseDate(v.asText());
  if (!d) return std::nullopt;
  return *d * kMsPerDay;
}

// Skill names go into keys up to the first NUL, which ends the component.
template <typename Rec>
std::string_view skillKey(const Rec& r) {
  std::string_view s = textOf(r, "skill");
  return s.substr(0, s.find('\0'));
}

void timeline(std::vector<IndexEntry>& out, const std::optional<RecordId>& rep, char kind, int64_t t,
              const RecordId& id, std::string value = {}) {
  if (!rep) return;
  std::string k = key(idx::kRepTimeline);
  k += rep->view();
  k.push_back(kind);
  appendTime(&k, t);
  k += id.view();
  out.emplace_back(std::move(k), std::move(value));
}

// A session's timeline value: what coaching adherence needs, so the team
// overview reads it from the index instead of decoding every session.
// 'u': not planned ahead; 'p' + planned time: still planned; 'h' + planned
// time: held. Empty (entries written before this): decode the record.
std::string adherenceValue(std::string_view status, int64_t start, int64_t plannedField) {
  int64_t planned = plannedFor(status, start, plannedField);
  std::string v(1, planned == 0                                 ? idx::kAdhUnplanned
                   : status == values::session_status::kPlanned ? idx::kAdhPlanned
                                                                : idx::kAdhHeld);
  if (planned) appendTime(&v, planned);
  return v;
}

// tag, a 16-byte id, a time and the record's id.
void timedEntry(std::vector<IndexEntry>& out, char tag, const RecordId& owner, int64_t t, const RecordId& id) {
  std::string k = key(tag);
  k += owner.view();
  appendTime(&k, t);
  k += id.view();
  out.emplace_back(std::move(k), std::string());
}

}  // namespace

template <typename Rec>
std::vector<IndexEntry> indexEntries(const Rec& r) {
  std::vector<IndexEntry> out;
  out.reserve(4);
  auto idKey = [&r](char tag) {
    std::string k = key(tag);
    k += r.id.view();
    return k;
  };
  if (r.hasConflicts()) out.emplace_back(idKey(idx::kConflict), "");
  if (r.deleted()) {
    out.emplace_back(idKey(idx::kTrash), "");
    std::sort(out.begin(), out.end());
    return out;
  }
  if (!r.type.empty()) {
    std::string k = key(idx::kType);
    k += r.type;
    k.push_back('\0');
    k += r.id.view();
    out.emplace_back(std::move(k), "");
  }
  auto rep = refOf(r, "rep");
  if (r.type == types::kSession) {
    int64_t start = intOf(r, "start");
    timeline(out, rep, idx::kTlSession, start, r.id,
             adherenceValue(textOf(r, "status"), start, intOf(r, fields::session::kPlanned)));
    if (rep && textOf(r, "status") == "done") timedEntry(out, idx::kCoached, *rep, start, r.id);
    if (textOf(r, "status") != "done") {
      std::string k = key(idx::kOpenSession);
      appendTime(&k, start);
      k += r.id.view();
      out.emplace_back(std::move(k), "");
    }
  } else if (r.type == types::kObservation) {
    int64_t at = intOf(r, "at");
    timeline(out, rep, idx::kTlObservation, at, r.id);
    if (auto s = refOf(r, "session")) timedEntry(out, idx::kSessionObs, *s, at, r.id);
  } else if (r.type == types::kAction) {
    auto due = dueMs(r, "due");
    int64_t t = due.value_or(INT64_MAX / 2);  // undated items sort last
    timeline(out, rep, idx::kTlAction, t, r.id);
    std::string_view status = textOf(r, "status");
    if (status == "open" || status.empty()) {
      std::string k = key(idx::kDue);
      appendTime(&k, t);
      k += r.id.view();
      out.emplace_back(std::move(k), "");
      if (rep) timedEntry(out, idx::kRepOpen, *rep, t, r.id);
    }
  } else if (r.type == types::kGoal) {
    timeline(out, rep, idx::kTlGoal, dueMs(r, "target").value_or(hlcMs(r.created.hlc)), r.id);
  } else if (r.type == types::kRating) {
    int64_t at = intOf(r, "at");
    timeline(out, rep, idx::kTlRating, at, r.id);
    auto rating = r.get("rating").optInt();
    if (rep && rating) {
      std::string k = key(idx::kRatings);
      k += rep->view();
      k += skillKey(r);
      k.push_back('\0');
      appendTime(&k, at);
      k += r.id.view();
      out.emplace_back(std::move(k), std::string(1, static_cast<char>(std::clamp<int64_t>(*rating, 0, 127))));
    }
  }
  // A value too long for an LMDB key (a 600-character skill name, say)
  // leaves its record out of that index; the record itself is stored and
  // shown as usual. Never an error: the value came from a valid change.
  std::erase_if(out, [](const IndexEntry& e) { return e.first.size() > kMaxIndexKeyBytes; });
  // Keys are unique per record: sorting by key alone is enough.
  std::sort(out.begin(), out.end(), [](const IndexEntry& a, const IndexEntry& b) { return a.first < b.first; });
  return out;
}

template std::vector<IndexEntry> indexEntries(const Record& r);
template std::vector<IndexEntry> indexEntries(const DraftRecord& r);

std::string ratingPairOf(std::string_view k) {
  if (k.empty() || k[0] != idx::kRatings || k.size() < 1 + 16 + 1 + 8 + 16) return {};
  size_t nul = k.find('\0', 17);
  if (nul == std::string_view::npos) return {};
  return std::string(k.substr(0, nul + 1));
}

}  // namespace ridealong::core::detail
