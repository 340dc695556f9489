#include "applier.h"

#include <algorithm>
#include <set>
#include <thread>

#include "identity.h"
#include "merge.h"
#include "quarantine.h"
#include "record_codec.h"
#include "ridealong/core/schema.h"

namespace ridealong::core::detail {

Applier::Applier(Txn& txn, const Dbs& dbs, const ApplierContext& ctx, Arena& arena)
    : txn_(txn), dbs_(dbs), ctx_(ctx), self_(requireIdentity(txn, dbs).id), arena_(resetArena(arena)), cache_(&arena_) {
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
  lastHash_[c.actor()] = {c.seq(), c.hash()};
  // A stamp from a clock far ahead moves this device's clock only up to
  // its own wall clock plus the bound: merge follows causality, so the
  // change needs no more, and the error does not spread to this device's
  // own stamps (docs/architecture.md "Clocks").
  Hlc cap = hlcMake(ctx_.wallMs + ctx_.clockBoundMs, 0);
  Hlc next = std::min(c.hlc(), cap);
  if (next > hlc_) {
    hlc_ = next;
    hlcDirty_ = true;
  }
}

uint64_t Applier::heldHash(const ActorId& actor, uint64_t seq) {
  auto it = lastHash_.find(actor);
  if (it != lastHash_.end() && it->second.first == seq) return it->second.second;
  auto bytes = txn_.get(dbs_.changes, changeKey(actor, seq));
  if (!bytes) throw LmdbError(MDB_CORRUPTED, "the change log lacks " + actor.str() + "/" + std::to_string(seq));
  return chainHash(*bytes);
}

Result<CommitInfo> Applier::commitLocal(const std::vector<Op>& ops) {
  if (ops.empty()) return Status::invalidArgument("empty change");
  if (ctx_.wallMs < kMinPlausibleMs)
    return Status::invalidArgument("this device's clock reads " + formatTimeMs(ctx_.wallMs) + "; set the clock first");
  // Check every op against the state this change will see.
  std::unordered_map<RecordId, std::string, Id16Hash> createdHere;
  for (const auto& op : ops) {
    if (op.name.empty() || op.name.size() > kMaxNameBytes)
      return Status::invalidArgument("bad " + std::string(op.kind == Op::Kind::kCreate ? "type" : "field") + " name '" +
                                     op.name + "'");
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
  // A persisted clock far ahead of the wall clock is this device's own old
  // error (its clock was wrong and has been fixed): stamp from the wall
  // clock again rather than keep stamping the future. Same-device order is
  // the seq, so the stamps need not increase.
  Hlc base = hlcMs(hlc_) > ctx_.wallMs + ctx_.clockBoundMs ? 0 : hlc_;
  uint64_t seq = have(self_) + 1;
  CommitInfo info{self_, seq, hlcTick(base, ctx_.wallMs)};
  uint64_t prev = seq > 1 ? heldHash(self_, seq - 1) : 0;
  auto decoded = DecodedChange::decode(encodeChange(self_, info.seq, info.hlc, vv_, ops, prev));
  if (!decoded) return decoded.status().withContext("encoding a local change");
  applyOne(*decoded);
  hlc_ = info.hlc;
  hlcDirty_ = true;
  return info;
}

namespace {
std::string who(const ActorId& actor, uint64_t seq) {
  return "change " + std::to_string(seq) + " of device " + actor.str();
}
}  // namespace

void Applier::quarantine(const ActorId& actor, uint64_t seq, std::string_view bytes, const std::string& reason,
                         bool sealed, ApplyReport* report) {
  QuarantinedChange q;
  q.actor = actor;
  q.seq = seq;
  q.reason = reason;
  q.atMs = ctx_.wallMs;
  q.build = ctx_.build;
  q.sealed = sealed;
  q.bytes.assign(bytes);
  putQuarantined(txn_, dbs_, q);
  report->quarantined++;
}

std::string Applier::refusal(const DecodedChange& c) {
  if (c.prev() != 0 && c.prev() != heldHash(c.actor(), c.seq() - 1))
    return who(c.actor(), c.seq()) + " does not follow the change " + std::to_string(c.seq() - 1) +
           " held here: two copies of that device's notebook wrote different changes";
  // The same checks as a local edit, against the state this change sees
  // (everything it depends on is applied, so every replica decides alike).
  std::string_view createdType;
  RecordId createdId;
  for (const auto& op : c.ops()) {
    if (op.create) {
      createdId = op.record;
      createdType = op.name;
      continue;
    }
    std::string_view type;
    if (op.record == createdId && !createdType.empty()) {
      type = createdType;
    } else if (Cached* rec = load(op.record, false); rec && !rec->rec.type.empty()) {
      type = rec->rec.type;
    } else {
      return who(c.actor(), c.seq()) + " sets '" + std::string(op.name) + "' on record " + op.record.str() +
             ", which no change it depends on created";
    }
    Status st = validateFieldView(type, op.name, op.value);
    if (!st) return who(c.actor(), c.seq()) + ": " + st.message();
  }
  return {};
}

void Applier::admit(const DecodedChange& c, ApplyReport* report) {
  std::string why = refusal(c);
  if (!why.empty()) {
    quarantine(c.actor(), c.seq(), c.bytes(), why, false, report);
    return;
  }
  applyOne(c);
  noteClock(c);
  report->applied++;
  if (c.actor() == self_) report->ownFromElsewhere++;
}

void Applier::noteClock(const DecodedChange& c) {
  Hlc& newest = newestRemote_[c.actor()];
  newest = std::max(newest, c.hlc());
}

// One entry per device whose newest stamp seen in this transaction was far
// ahead of this device's clock (or before 2020); cleared once its stamps
// are sane again (its clock was fixed).
void Applier::writeClocks() {
  for (const auto& [actor, hlc] : newestRemote_) {
    int64_t ms = hlcMs(hlc), skew = ms - ctx_.wallMs;
    if (skew > ctx_.clockBoundMs || ms < kMinPlausibleMs) {
      std::string v = u64be(static_cast<uint64_t>(skew)) + u64be(static_cast<uint64_t>(ms)) +
                      u64be(static_cast<uint64_t>(ctx_.wallMs));
      txn_.put(dbs_.clocks, actor.view(), v);
    } else if (txn_.get(dbs_.clocks, actor.view())) {
      txn_.del(dbs_.clocks, actor.view());
    }
  }
  newestRemote_.clear();
}

void Applier::applyRemote(std::vector<DecodedChange> changes, const std::vector<RejectedChange>& rejected,
                          ApplyReport* report) {
  for (const auto& r : rejected) {
    // Already held (applied or set aside): a damaged extra copy, no news.
    if (have(r.actor) >= r.seq || isQuarantined(txn_, dbs_, r.actor, r.seq)) {
      report->duplicates++;
      continue;
    }
    quarantine(r.actor, r.seq, r.bytes, r.reason, r.sealed, report);
  }
  cache_.reserve(cache_.size() + changes.size());
  // HLC order is a causal order for honest peers, so most apply in one pass.
  std::sort(changes.begin(), changes.end(), [](const DecodedChange& a, const DecodedChange& b) {
    return std::make_tuple(a.hlc(), a.actor(), a.seq()) < std::make_tuple(b.hlc(), b.actor(), b.seq());
  });
  // Parked changes whose turn has come: for each actor in `pending`, its
  // next seq only (a later one cannot be ready first), so the cost follows
  // what is released, not what waits.
  std::vector<ActorId> pendingActors;
  {
    Cursor cur(txn_, dbs_.pending);
    for (bool ok = cur.first(); ok;) {
      if (cur.key().size() != 24) {
        ok = cur.next();
        continue;
      }
      pendingActors.push_back(Id16::fromBytes(cur.key().data()));
      ok = cur.seek(changeKey(pendingActors.back(), ~uint64_t{0}) + '\xff');
    }
  }
  // Whether `c` is settled (applied, quarantined or a duplicate); false
  // when it must wait for a change it depends on.
  auto settle = [&](const DecodedChange& c) {
    if (have(c.actor()) >= c.seq()) {
      auto stored = txn_.get(dbs_.changes, changeKey(c.actor(), c.seq()));
      report->duplicates++;
      if (stored && *stored != c.bytes()) {
        report->conflictingDuplicates++;
        // The other side of a fork: kept, so that once this device's copy
        // of the story is re-issued (a re-key) it can apply in its place.
        if (!isQuarantined(txn_, dbs_, c.actor(), c.seq()))
          quarantine(c.actor(), c.seq(), c.bytes(),
                     who(c.actor(), c.seq()) +
                         " differs from the change held under that number: two copies of that device's "
                         "notebook wrote different changes",
                     false, report);
      }
      return true;
    }
    if (isQuarantined(txn_, dbs_, c.actor(), c.seq())) {
      report->duplicates++;
      return true;
    }
    if (!ready(c)) return false;
    // It may also wait in `pending` from an earlier delivery.
    if (std::find(pendingActors.begin(), pendingActors.end(), c.actor()) != pendingActors.end())
      txn_.del(dbs_.pending, changeKey(c.actor(), c.seq()));
    admit(c, report);
    return true;
  };
  auto releasePending = [&]() {
    bool progress = false;
    for (const ActorId& a : pendingActors) {
      for (;;) {
        std::string key = changeKey(a, have(a) + 1);
        auto bytes = txn_.get(dbs_.pending, key);
        if (!bytes) break;
        auto d = DecodedChange::decode(*bytes);  // a copy: applying keeps it alive
        if (!d) {
          quarantine(a, have(a) + 1, *bytes, "a waiting change is damaged: " + d.status().message(), false, report);
          txn_.del(dbs_.pending, key);
          progress = true;
          break;
        }
        if (!ready(*d)) break;
        txn_.del(dbs_.pending, key);
        settle(*d);  // applied (the next seq may follow) or quarantined (then it stops)
        progress = true;
      }
    }
    return progress;
  };
  std::vector<DecodedChange*> waiting;
  for (auto& c : changes) {
    if (!settle(c)) waiting.push_back(&c);
  }
  for (bool progress = true; progress;) {
    progress = releasePending();
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (settle(**it)) {
        it = waiting.erase(it);
        progress = true;
      } else {
        ++it;
      }
    }
  }
  std::set<std::string> parked;  // a change can arrive twice while waiting
  for (auto* c : waiting) {
    std::string key = changeKey(c->actor(), c->seq());
    if (!parked.insert(key).second) continue;
    txn_.put(dbs_.pending, key, c->bytes());
  }
  report->pending = parked.size();
  writeClocks();
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
