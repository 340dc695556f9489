#include "applier.h"

#include <algorithm>
#include <set>
#include <thread>

#include "merge.h"
#include "record_codec.h"
#include "ridealong/core/schema.h"

namespace ridealong::core::detail {

Applier::Applier(Txn& txn, const Dbs& dbs, const ActorId& self, int64_t wallMs, int64_t maxSkewMs)
    : txn_(txn), dbs_(dbs), self_(self), wallMs_(wallMs), maxSkewMs_(maxSkewMs) {
  Cursor c(txn_, dbs_.vv);
  for (bool ok = c.first(); ok; ok = c.next())
    if (c.key().size() == 16) vv_[Id16::fromBytes(c.key().data())] = readU64be(c.value());
  // The clock lives beside the version vector: one page fewer per commit.
  if (auto h = txn_.get(dbs_.vv, "hlc")) hlc_ = readU64be(*h);
  Cursor log(txn_, dbs_.changes);
  if (log.last()) lastChangeKey_ = std::string(log.key());
}

uint64_t Applier::have(const ActorId& a) const {
  auto it = vv_.find(a);
  return it == vv_.end() ? 0 : it->second;
}

bool Applier::ready(const DecodedChange& c) const {
  if (have(c.actor()) + 1 != c.seq()) return false;
  for (const auto& [a, s] : c.deps())
    if (have(a) < s) return false;
  return true;
}

Applier::Cached* Applier::load(const RecordId& id, bool createIfMissing) {
  auto it = cache_.find(id);
  if (it != cache_.end()) return &it->second;
  Cached c;
  if (auto blob = txn_.get(dbs_.records, id.view())) {
    auto rec = decodeRecord(id, *blob);
    if (!rec) throw LmdbError(MDB_CORRUPTED, rec.status().message());
    c.rec = std::move(rec).value();
    c.before = indexEntries(c.rec);
  } else {
    if (!createIfMissing) return nullptr;
    c.rec.id = id;
  }
  return &cache_.emplace(id, std::move(c)).first->second;
}

void Applier::applyOne(const DecodedChange& c) {
  const Stamp stamp = c.stamp();
  auto saw = [&c](const Stamp& s) { return c.saw(s); };
  Cached* rec = nullptr;
  for (const auto& op : c.ops()) {
    if (!rec || rec->rec.id != op.record) rec = load(op.record, true);  // ops come grouped by record
    if (op.create) {
      applyCreate(rec->rec, op.name, stamp);
      rec->rec.fields.reserve(c.ops().size());
    } else {
      applySet(rec->rec, op.name, toValue(op.value), stamp, saw);
    }
    rec->dirty = true;
  }
  std::string key = changeKey(c.actor(), c.seq());
  // Appending past the log's last key skips LMDB's search (fresh replicas,
  // a single device's log).
  bool append = key > lastChangeKey_;
  txn_.put(dbs_.changes, key, c.bytes(), append ? MDB_APPEND : 0);
  if (append) lastChangeKey_ = std::move(key);
  vv_[c.actor()] = c.seq();
  vvDirty_.push_back(c.actor());
  if (c.hlc() > hlc_) {
    hlc_ = c.hlc();
    hlcDirty_ = true;
  }
}

Status Applier::checkClock(const DecodedChange& c) const {
  int64_t ms = hlcMs(c.hlc());
  if (ms >= kMinPlausibleMs && ms <= wallMs_ + maxSkewMs_) return Status::ok();
  std::string who = "change " + std::to_string(c.seq()) + " from device " + c.actor().str();
  if (ms < kMinPlausibleMs)
    return Status::invalidArgument(who + " is stamped " + formatTimeMs(ms) +
                                   ", before any Ridealong device existed: that device's clock is wrong");
  if (ms > wallMs_ + maxSkewMs_)
    return Status::invalidArgument(who + " is stamped " + formatTimeMs(ms) + ", " +
                                   std::to_string((ms - wallMs_) / 3600000) +
                                   " hours ahead of this device's clock (" + formatTimeMs(wallMs_) +
                                   "): check the clocks of both devices");
  return Status::ok();
}

Result<CommitInfo> Applier::commitLocal(const std::vector<Op>& ops) {
  if (ops.empty()) return Status::invalidArgument("empty change");
  if (wallMs_ < kMinPlausibleMs)
    return Status::invalidArgument("this device's clock reads " + formatTimeMs(wallMs_) + "; set the clock first");
  // Check every op against the state this change will see.
  std::unordered_map<RecordId, std::string, Id16Hash> createdHere;
  for (const auto& op : ops) {
    if (op.name.empty() || op.name.size() > kMaxNameBytes)
      return Status::invalidArgument("bad " + std::string(op.kind == Op::Kind::kCreate ? "type" : "field") +
                                     " name '" + op.name + "'");
    if (op.kind == Op::Kind::kCreate) {
      Cached* existing = load(op.record, false);
      if ((existing && !existing->rec.type.empty()) || createdHere.count(op.record))
        return Status::invalidArgument("record " + op.record.str() + " already exists");
      createdHere[op.record] = op.name;
      continue;
    }
    std::string type;
    if (auto it = createdHere.find(op.record); it != createdHere.end()) {
      type = it->second;
    } else if (Cached* rec = load(op.record, false)) {
      type = rec->rec.type;
    } else {
      return Status::notFound("no record " + op.record.str());
    }
    RIDEALONG_RETURN_IF_ERROR(validateField(type, op.name, op.value));
  }
  CommitInfo info{self_, have(self_) + 1, hlcTick(hlc_, wallMs_)};
  auto decoded = DecodedChange::decode(encodeChange(self_, info.seq, info.hlc, vv_, ops));
  if (!decoded) return decoded.status().withContext("encoding a local change");
  applyOne(*decoded);
  hlc_ = info.hlc;
  hlcDirty_ = true;
  return info;
}

Status Applier::applyRemote(std::vector<DecodedChange> changes, ApplyReport* report) {
  for (const auto& c : changes) RIDEALONG_RETURN_IF_ERROR(checkClock(c));
  cache_.reserve(cache_.size() + changes.size());
  // Earlier-parked changes get another chance with this batch.
  std::vector<std::string> parkedKeys;
  {
    Cursor cur(txn_, dbs_.pending);
    for (bool ok = cur.first(); ok; ok = cur.next()) {
      auto d = DecodedChange::decode(cur.value());
      parkedKeys.emplace_back(cur.key());
      if (d) changes.push_back(std::move(d).value());
    }
  }
  for (const auto& k : parkedKeys) txn_.del(dbs_.pending, k);
  // HLC order is a causal order for honest peers, so most apply in one pass.
  std::sort(changes.begin(), changes.end(), [](const DecodedChange& a, const DecodedChange& b) {
    return std::make_tuple(a.hlc(), a.actor(), a.seq()) < std::make_tuple(b.hlc(), b.actor(), b.seq());
  });
  std::vector<DecodedChange*> waiting;
  auto tryApply = [&](DecodedChange& c) {
    if (have(c.actor()) >= c.seq()) {
      auto stored = txn_.get(dbs_.changes, changeKey(c.actor(), c.seq()));
      if (stored && *stored != c.bytes()) report->conflictingDuplicates++;
      report->duplicates++;
      return true;
    }
    if (!ready(c)) return false;
    applyOne(c);
    report->applied++;
    return true;
  };
  for (auto& c : changes) {
    if (!tryApply(c)) {
      waiting.push_back(&c);
      continue;
    }
    for (bool progress = true; progress && !waiting.empty();) {
      progress = false;
      for (auto it = waiting.begin(); it != waiting.end();) {
        if (tryApply(**it)) {
          it = waiting.erase(it);
          progress = true;
        } else {
          ++it;
        }
      }
    }
  }
  std::set<std::string> parked;  // a change can arrive twice while waiting
  for (auto* c : waiting) {
    std::string key = changeKey(c->actor(), c->seq());
    txn_.put(dbs_.pending, key, c->bytes());
    parked.insert(std::move(key));
  }
  report->pending = parked.size();
  return Status::ok();
}

void Applier::writeIndexDiff(const std::vector<IndexEntry>& before, const std::vector<IndexEntry>& after,
                             std::vector<const IndexEntry*>* puts, std::vector<std::string>* dels) {
  size_t i = 0, j = 0;
  while (i < before.size() || j < after.size()) {
    if (j == after.size() || (i < before.size() && before[i].first < after[j].first)) {
      dels->push_back(before[i].first);
      i++;
    } else if (i == before.size() || after[j].first < before[i].first) {
      puts->push_back(&after[j]);
      j++;
    } else {
      if (before[i].second != after[j].second) puts->push_back(&after[j]);
      i++;
      j++;
    }
  }
}

void Applier::refreshLatest(const std::string& pair) {
  std::string latestKey = std::string(1, idx::kLatest) + pair.substr(1);
  Cursor c(txn_, dbs_.idx);
  if (c.lastWithPrefix(pair)) {
    std::string v(c.value());
    v += c.key().substr(pair.size(), 8);  // time
    txn_.put(dbs_.idx, latestKey, v);
  } else {
    txn_.del(dbs_.idx, latestKey);
  }
}

std::string Applier::lastKey(MDB_dbi dbi) {
  Cursor c(txn_, dbi);
  return c.last() ? std::string(c.key()) : std::string();
}

void Applier::flush() {
  // Writes go out in key order: LMDB touches each page once and appends
  // where it can, which matters for large batches.
  struct Dirty {
    RecordId id;
    Cached* cached;
    std::string blob;
    std::vector<IndexEntry> after;
  };
  std::vector<Dirty> dirty;
  for (auto& [id, c] : cache_)
    if (c.dirty) dirty.push_back(Dirty{id, &c, {}, {}});
  // Encoding blobs and deriving index entries is independent per record:
  // large batches split it over two threads.
  auto encode = [&dirty](size_t from, size_t to) {
    for (size_t i = from; i < to; i++) {
      encodeRecord(dirty[i].cached->rec, &dirty[i].blob);
      dirty[i].after = indexEntries(dirty[i].cached->rec);
    }
  };
  size_t half = dirty.size() >= 1024 ? dirty.size() / 2 : dirty.size();
  std::thread helper;
  if (half < dirty.size()) helper = std::thread(encode, half, dirty.size());
  encode(0, half);
  if (helper.joinable()) helper.join();
  // Puts point into each record's new entries, which stay put when moved
  // into `before` below (a vector move keeps its buffer).
  std::vector<const IndexEntry*> puts;
  std::vector<std::string> dels;
  for (auto& d : dirty) {
    writeIndexDiff(d.cached->before, d.after, &puts, &dels);
    d.cached->before = std::move(d.after);
    d.cached->dirty = false;
  }
  std::sort(dirty.begin(), dirty.end(), [](const Dirty& a, const Dirty& b) { return a.id < b.id; });
  std::string last = lastKey(dbs_.records);
  for (const auto& d : dirty) {
    // Past the last key, MDB_APPEND fills pages completely instead of
    // splitting them in half: far fewer bytes to write on bulk applies.
    bool append = d.id.view() > std::string_view(last);
    txn_.put(dbs_.records, d.id.view(), d.blob, append ? MDB_APPEND : 0);
    if (append) last = std::string(d.id.view());
  }
  std::sort(dels.begin(), dels.end());
  // Sort pointers, not entries: far less string shuffling.
  std::sort(puts.begin(), puts.end(), [](const IndexEntry* a, const IndexEntry* b) { return a->first < b->first; });
  std::vector<std::string> touchedPairs;
  for (const auto& k : dels) {
    txn_.del(dbs_.idx, k);
    if (k[0] == idx::kRatings) touchedPairs.push_back(ratingPairOf(k));
  }
  last = lastKey(dbs_.idx);
  for (const IndexEntry* e : puts) {
    const auto& [k, v] = *e;
    bool append = k > last;
    txn_.put(dbs_.idx, k, v, append ? MDB_APPEND : 0);
    if (append) last = k;
    if (k[0] == idx::kRatings) touchedPairs.push_back(ratingPairOf(k));
  }
  std::sort(touchedPairs.begin(), touchedPairs.end());
  touchedPairs.erase(std::unique(touchedPairs.begin(), touchedPairs.end()), touchedPairs.end());
  for (const auto& p : touchedPairs)
    if (!p.empty()) refreshLatest(p);
  std::sort(vvDirty_.begin(), vvDirty_.end());
  vvDirty_.erase(std::unique(vvDirty_.begin(), vvDirty_.end()), vvDirty_.end());
  for (const auto& a : vvDirty_) txn_.put(dbs_.vv, a.view(), u64be(vv_[a]));
  vvDirty_.clear();
  if (hlcDirty_) txn_.put(dbs_.vv, "hlc", u64be(hlc_));
  hlcDirty_ = false;
}

}  // namespace ridealong::core::detail
