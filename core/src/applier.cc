#include "applier.h"

#include <algorithm>
#include <set>
#include <thread>

#include "merge.h"
#include "record_codec.h"
#include "ridealong/core/schema.h"

namespace ridealong::core::detail {

Applier::Applier(Txn& txn, const Dbs& dbs, const ActorId& self, int64_t wallMs, int64_t maxSkewMs, Arena& arena)
    : txn_(txn),
      dbs_(dbs),
      self_(self),
      wallMs_(wallMs),
      maxSkewMs_(maxSkewMs),
      arena_(resetArena(arena)),
      cache_(&arena_) {
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
  auto blob = txn_.get(dbs_.records, id.view());
  if (!blob && !createIfMissing) return nullptr;
  Cached& c = cache_.try_emplace(id, &arena_).first->second;
  c.rec.id = id;
  if (blob) {
    // LMDB's bytes can move once this transaction writes: view a copy.
    auto* copy = static_cast<char*>(arena_.allocate(blob->size(), 1));
    std::memcpy(copy, blob->data(), blob->size());
    Status st = decodeRecord(id, std::string_view(copy, blob->size()), &c.rec);
    if (!st) {
      cache_.erase(id);
      throw LmdbError(MDB_CORRUPTED, st.message());
    }
    c.before = indexEntries(c.rec);
  }
  return &c;
}

void Applier::applyOne(const DecodedChange& c) {
  const Stamp stamp = c.stamp();
  auto saw = [&c](const Stamp& s) { return c.saw(s); };
  held_.push_back(c);  // the drafts below view its message
  Cached* rec = nullptr;
  for (const auto& op : c.ops()) {
    if (!rec || rec->rec.id != op.record) rec = load(op.record, true);  // ops come grouped by record
    if (op.create) {
      applyCreate(rec->rec, op.name, stamp);
      rec->rec.fields.reserve(rec->rec.fields.size() + c.ops().size());
    } else {
      applySet(rec->rec, op.name, op.value, stamp, saw);
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
      type = std::string(rec->rec.type);
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

namespace {
// The first eight key bytes from `at`, big-endian, zero-padded: comparing
// two of these orders keys like comparing the bytes.
uint64_t keyWord(std::string_view k, size_t at) {
  uint64_t w = 0;
  for (size_t i = 0; i < 8; i++) w = (w << 8) | (at + i < k.size() ? static_cast<uint8_t>(k[at + i]) : 0);
  return w;
}
}  // namespace

// Sorts on the first 24 key bytes as three integers and compares whole keys
// only on a tie: index keys mostly differ within them (a tag and an id, or
// a type name and the start of a record id), so this is a fraction of the
// cost of sorting by string compare.
void Applier::sortByKey(std::vector<const IndexEntry*>* entries) {
  struct Ref {
    uint64_t w0, w1, w2;
    const IndexEntry* e;
  };
  std::vector<Ref> refs;
  refs.reserve(entries->size());
  for (const IndexEntry* e : *entries)
    refs.push_back(Ref{keyWord(e->first, 0), keyWord(e->first, 8), keyWord(e->first, 16), e});
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
    if (a.w0 != b.w0) return a.w0 < b.w0;
    if (a.w1 != b.w1) return a.w1 < b.w1;
    if (a.w2 != b.w2) return a.w2 < b.w2;
    return a.e->first < b.e->first;
  });
  for (size_t i = 0; i < refs.size(); i++) (*entries)[i] = refs[i].e;
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
  std::vector<std::pair<RecordId, Cached*>> order;
  for (auto& [id, c] : cache_)
    if (c.dirty) order.emplace_back(id, &c);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::memcmp(a.first.bytes.data(), b.first.bytes.data(), 16) < 0;  // = Id16 order, faster
  });
  struct Dirty {
    Cached* cached;
    std::vector<IndexEntry> after;
  };
  std::vector<Dirty> dirty(order.size());
  for (size_t i = 0; i < order.size(); i++) dirty[i].cached = order[i].second;
  // Index entries, their diff and sort are pure work: for large batches a
  // helper thread does them while this one encodes and writes the records
  // (LMDB writes are single-threaded). Puts point into each record's new
  // entries, which stay put when moved into `before` below (a vector move
  // keeps its buffer).
  std::vector<const IndexEntry*> puts;
  std::vector<std::string> dels;
  auto indexWork = [&dirty, &puts, &dels] {
    for (auto& d : dirty) d.after = indexEntries(d.cached->rec);
    for (auto& d : dirty) writeIndexDiff(d.cached->before, d.after, &puts, &dels);
    sortByKey(&puts);
    std::sort(dels.begin(), dels.end());
  };
  // jthread: an LMDB error below (the map filling up, say) unwinds through
  // here while the helper still runs; it must be joined, not abandoned.
  std::jthread helper;
  if (dirty.size() >= 1024) helper = std::jthread(indexWork);
  else indexWork();
  // `last` views either lastStored or a key that outlives the loop.
  std::string lastStored = lastKey(dbs_.records), blob;
  std::string_view last = lastStored;
  for (const auto& d : dirty) {
    encodeRecord(d.cached->rec, &blob);
    // Past the last key, MDB_APPEND fills pages completely instead of
    // splitting them in half: far fewer bytes to write on bulk applies.
    std::string_view id = d.cached->rec.id.view();
    bool append = id > last;
    txn_.put(dbs_.records, id, blob, append ? MDB_APPEND : 0);
    if (append) last = id;
  }
  if (helper.joinable()) helper.join();
  for (auto& d : dirty) {
    d.cached->before = std::move(d.after);
    d.cached->dirty = false;
  }
  std::vector<std::string> touchedPairs;
  for (const auto& k : dels) {
    txn_.del(dbs_.idx, k);
    if (k[0] == idx::kRatings) touchedPairs.push_back(ratingPairOf(k));
  }
  lastStored = lastKey(dbs_.idx);
  last = lastStored;
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
