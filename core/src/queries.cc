// The screens' queries, each a handful of index range scans (indexes.h)
// inside one read snapshot, never a scan over all records.
#include <algorithm>
#include <memory_resource>

#include "draft.h"
#include "notebook_impl.h"
#include "record_codec.h"
#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/fields.h"
#include "ridealong/core/schema.h"

namespace ridealong::core::detail {

namespace {

std::string prefix(char tag, const RecordId& id) { return std::string(1, tag) + std::string(id.view()); }

// Record id at the end of an index key.
RecordId tailId(std::string_view key) { return Id16::fromBytes(key.data() + key.size() - 16); }

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The records of the first `limit` entries of a one-tag index, in key order.
std::vector<Record> recordsUnder(const Txn& txn, const Dbs& dbs, char tag, size_t limit) {
  std::vector<Record> out;
  Cursor c(txn, dbs.idx);
  for (bool ok = c.seek(std::string(1, tag)); ok && c.key()[0] == tag && out.size() < limit; ok = c.next())
    if (auto r = readRecord(txn, dbs, tailId(c.key()))) out.push_back(std::move(*r));
  return out;
}

}  // namespace

Result<std::vector<Record>> NotebookImpl::listType(std::string_view type, bool includeDeleted) {
  return readResult([&](const Txn& txn) {
    std::vector<Record> out;
    const Dbs& dbs = store_->dbs();
    std::string p = std::string(1, idx::kType) + std::string(type);
    p.push_back('\0');
    Cursor c(txn, dbs.idx);
    for (bool ok = c.seek(p); ok && startsWith(c.key(), p); ok = c.next())
      if (auto r = readRecord(txn, dbs, tailId(c.key()))) out.push_back(std::move(*r));
    if (includeDeleted) {
      for (bool ok = c.seek(std::string(1, idx::kTrash)); ok && c.key()[0] == idx::kTrash; ok = c.next()) {
        auto r = readRecord(txn, dbs, tailId(c.key()));
        if (r && r->type == type) out.push_back(std::move(*r));
      }
      std::sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.id < b.id; });
    }
    return out;
  });
}

Result<std::vector<Record>> NotebookImpl::trash() {
  return readResult([&](const Txn& txn) {
    std::vector<Record> out;
    Cursor c(txn, store_->dbs().idx);
    for (bool ok = c.seek(std::string(1, idx::kTrash)); ok && c.key()[0] == idx::kTrash; ok = c.next())
      if (auto r = readRecord(txn, store_->dbs(), tailId(c.key()))) out.push_back(std::move(*r));
    return out;
  });
}

Result<std::vector<Conflict>> NotebookImpl::conflicts() {
  return readResult([&](const Txn& txn) {
    std::vector<Conflict> out;
    Cursor c(txn, store_->dbs().idx);
    for (bool ok = c.seek(std::string(1, idx::kConflict)); ok && c.key()[0] == idx::kConflict; ok = c.next()) {
      auto r = readRecord(txn, store_->dbs(), tailId(c.key()));
      if (!r) continue;
      for (const auto& f : r->fields)
        if (f.conflicted()) out.push_back(Conflict{r->id, r->type, f.name, f.values});
    }
    return out;
  });
}

Result<std::vector<RepOverview>> NotebookImpl::teamOverview(int64_t nowMs) {
  return readResult([&](const Txn& txn) {
    std::vector<RepOverview> out;
    const Dbs& dbs = store_->dbs();
    const int64_t since90 = nowMs - 90 * kMsPerDay;
    std::string p = std::string(1, idx::kType) + std::string(types::kRep);
    p.push_back('\0');
    // One cursor per index range: reps come in id order, so each cursor only
    // moves forward, and LMDB finds a key on the cursor's current page
    // without descending from the root again.
    Cursor reps(txn, dbs.idx), coached(txn, dbs.idx), timeline(txn, dbs.idx), open(txn, dbs.idx), latest(txn, dbs.idx);
    std::string key, from;  // reused: no allocation per rep
    key.reserve(64);
    from.reserve(64);
    auto setPrefix = [&key](char tag, const RecordId& id) {
      key.assign(1, tag);
      key.append(id.view());
    };
    for (bool ok = reps.seek(p); ok && startsWith(reps.key(), p); ok = reps.next()) {
      RecordId id = tailId(reps.key());
      // Only name and team are needed: decode into a draft on the stack that
      // views the snapshot's bytes instead of building a Record of strings.
      auto blob = txn.get(dbs.records, id.view());
      if (!blob) continue;
      std::byte buf[4096];
      std::pmr::monotonic_buffer_resource mr(buf, sizeof buf);
      DraftRecord rec(&mr);
      if (!decodeRecord(id, *blob, &rec)) continue;
      RepOverview& row = out.emplace_back();
      row.rep = id;
      auto textOf = [&rec](std::string_view f) {
        const ValueView& v = rec.get(f);
        return v.isText() ? std::string(v.asText()) : std::string();
      };
      row.name = textOf(fields::rep::kName);
      row.team = textOf(fields::rep::kTeam);
      // Latest done session.
      setPrefix(idx::kCoached, id);
      if (coached.lastWithPrefix(key)) row.lastCoachedMs = readTime(coached.key().substr(17, 8));
      // Sessions started in the last 90 days (up to now).
      setPrefix(idx::kRepTimeline, id);
      key.push_back(idx::kTlSession);
      from = key;
      appendTime(&from, since90);
      for (bool ok2 = timeline.seek(from); ok2 && startsWith(timeline.key(), key); ok2 = timeline.next()) {
        if (readTime(timeline.key().substr(18, 8)) > nowMs) break;
        row.sessions90d++;
        // Adherence: was it planned ahead, and held on that day? The index
        // value says; entries from before it did are decoded.
        if (std::string_view v = timeline.value(); !v.empty()) {
          if (v[0] == idx::kAdhUnplanned || v.size() < 9) continue;
          int64_t planned = readTime(v.substr(1, 8));
          std::string_view st =
              v[0] == idx::kAdhPlanned ? values::session_status::kPlanned : values::session_status::kDone;
          if (inAdherenceWindow(planned, nowMs))
            row.adherence.add(keptOf(st, readTime(timeline.key().substr(18, 8)), planned, nowMs));
          continue;
        }
        RecordId sid = tailId(timeline.key());
        auto sblob = txn.get(dbs.records, sid.view());
        if (!sblob) continue;
        std::byte sbuf[4096];  // not `buf`: `rec` lives there
        std::pmr::monotonic_buffer_resource smr(sbuf, sizeof sbuf);
        DraftRecord sess(&smr);
        if (!decodeRecord(sid, *sblob, &sess)) continue;
        namespace sf = fields::session;
        const ValueView& plannedV = sess.get(sf::kPlanned);
        const ValueView& statusV = sess.get(sf::kStatus);
        const ValueView& startV = sess.get(sf::kStart);
        std::string_view status = statusV.isText() ? statusV.asText() : std::string_view();
        int64_t start = startV.isInt() ? startV.asInt() : 0;
        int64_t planned = plannedFor(status, start, plannedV.isInt() ? plannedV.asInt() : 0);
        if (inAdherenceWindow(planned, nowMs)) row.adherence.add(keptOf(status, start, planned, nowMs));
      }
      // Open and overdue action items.
      setPrefix(idx::kRepOpen, id);
      for (bool ok2 = open.seek(key); ok2 && startsWith(open.key(), key); ok2 = open.next()) {
        row.openActions++;
        if (isOverdueDueMs(readTime(open.key().substr(17, 8)), nowMs)) row.overdueActions++;
      }
      // Latest rating per skill.
      setPrefix(idx::kLatest, id);
      row.latestRatings.reserve(16);
      int sum = 0;
      for (bool ok2 = latest.seek(key); ok2 && startsWith(latest.key(), key); ok2 = latest.next()) {
        std::string_view skill = latest.key().substr(17);
        if (!skill.empty() && skill.back() == '\0') skill.remove_suffix(1);
        int rating = latest.value().empty() ? 0 : static_cast<uint8_t>(latest.value()[0]);
        row.latestRatings.emplace_back(std::string(skill), rating);
        sum += rating;
      }
      if (!row.latestRatings.empty()) row.averageRating = static_cast<double>(sum) / row.latestRatings.size();
    }
    return out;
  });
}

Result<std::vector<TimelineEntry>> NotebookImpl::repTimeline(const RecordId& rep, size_t limit) {
  return readResult([&](const Txn& txn) {
    const Dbs& dbs = store_->dbs();
    struct Hit {
      int64_t t;
      char kind;
      RecordId id;
    };
    std::vector<Hit> hits;
    Cursor c(txn, dbs.idx);
    for (char kind : {idx::kTlSession, idx::kTlObservation, idx::kTlAction, idx::kTlGoal, idx::kTlRating}) {
      std::string p = prefix(idx::kRepTimeline, rep) + kind;
      size_t n = 0;
      for (bool ok = c.lastWithPrefix(p); ok && startsWith(c.key(), p) && n < limit; ok = c.prev(), n++)
        hits.push_back(Hit{readTime(c.key().substr(18, 8)), kind, tailId(c.key())});
    }
    std::sort(hits.begin(), hits.end(),
              [](const Hit& a, const Hit& b) { return a.t > b.t || (a.t == b.t && a.id > b.id); });
    if (hits.size() > limit) hits.resize(limit);
    std::vector<TimelineEntry> out;
    for (const auto& h : hits) {
      auto r = readRecord(txn, dbs, h.id);
      if (!r) continue;
      out.push_back(TimelineEntry{h.t, r->type, std::move(*r)});
    }
    return out;
  });
}

Result<std::vector<Record>> NotebookImpl::sessionObservations(const RecordId& session) {
  return readResult([&](const Txn& txn) {
    std::vector<Record> out;
    std::string p = prefix(idx::kSessionObs, session);
    Cursor c(txn, store_->dbs().idx);
    for (bool ok = c.seek(p); ok && startsWith(c.key(), p); ok = c.next())
      if (auto r = readRecord(txn, store_->dbs(), tailId(c.key()))) out.push_back(std::move(*r));
    return out;
  });
}

Result<std::vector<Record>> NotebookImpl::openActionsByDue(size_t limit) {
  return readResult([&](const Txn& txn) { return recordsUnder(txn, store_->dbs(), idx::kDue, limit); });
}

Result<std::vector<Record>> NotebookImpl::openSessions(size_t limit) {
  return readResult([&](const Txn& txn) { return recordsUnder(txn, store_->dbs(), idx::kOpenSession, limit); });
}

// Indexes added after a store was made are derived from its records once, in
// one transaction; a store written by an older build is then current.
Status migrateIndexes(Store& store) {
  const Dbs& dbs = store.dbs();
  bool current = false;
  RIDEALONG_RETURN_IF_ERROR(store.read([&](const Txn& txn) {
    auto v = txn.get(dbs.meta, "indexes");
    current = v && *v == kIndexVersion;
    return Status::ok();
  }));
  if (current) return Status::ok();
  return store.write([&](Txn& txn) -> Status {
    // Version 2 added the open-sessions index: every session's entries.
    std::string p = std::string(1, idx::kType) + std::string(types::kSession) + '\0';
    std::vector<IndexEntry> entries;
    {
      Cursor c(txn, dbs.idx);
      for (bool ok = c.seek(p); ok && startsWith(c.key(), p); ok = c.next())
        if (auto r = readRecord(txn, dbs, tailId(c.key())))
          for (auto& e : indexEntries(*r))
            if (e.first[0] == idx::kOpenSession) entries.push_back(std::move(e));
    }
    for (const auto& [k, v] : entries) txn.put(dbs.idx, k, v);
    txn.put(dbs.meta, "indexes", kIndexVersion);
    return Status::ok();
  });
}

}  // namespace ridealong::core::detail
