// Re-keying: this notebook becomes a new device when another copy of it
// (a copied folder, a restored backup) uses the same device id. Changes
// after the agreed point of each named own id leave the log and are
// re-issued, in order, under the new id with the same ops and stamps; the
// records and indexes are rebuilt from the log, as they are derived from
// it. One write transaction: the id, the log and the state change together.
#include <algorithm>
#include <map>
#include <set>

#include "identity.h"
#include "notebook_impl.h"
#include "quarantine.h"
#include "ridealong/platform/data_dir.h"

namespace ridealong::core::detail {

namespace {

std::vector<Op> opsOf(const DecodedChange& c) {
  std::vector<Op> ops;
  ops.reserve(c.ops().size());
  for (const auto& v : c.ops()) {
    Op op;
    op.kind = v.create ? Op::Kind::kCreate : Op::Kind::kSet;
    op.record = v.record;
    op.name = std::string(v.name);
    if (!v.create) op.value = v.value.toValue();
    ops.push_back(std::move(op));
  }
  return ops;
}

// Moved changes in an order that applies: each after the changes it
// depends on (its own device's earlier ones, and what its deps name), ties
// kept in the given order (own ids oldest first, seq order).
std::vector<DecodedChange> causalOrder(std::vector<DecodedChange> moved) {
  std::map<std::pair<ActorId, uint64_t>, size_t> at;
  for (size_t i = 0; i < moved.size(); i++) at[{moved[i].actor(), moved[i].seq()}] = i;
  std::vector<std::vector<size_t>> after(moved.size());
  std::vector<size_t> waiting(moved.size(), 0);
  for (size_t i = 0; i < moved.size(); i++) {
    auto need = [&](const ActorId& a, uint64_t upTo) {
      // The latest moved change of `a` at or before `upTo`, if any.
      auto it = at.upper_bound({a, upTo});
      if (it == at.begin()) return;
      --it;
      if (it->first.first != a || it->second == i) return;
      after[it->second].push_back(i);
      waiting[i]++;
    };
    if (moved[i].seq() > 1) need(moved[i].actor(), moved[i].seq() - 1);
    for (const auto& [a, s] : moved[i].deps())
      if (a != moved[i].actor()) need(a, s);
  }
  std::set<size_t> ready;  // by index: ties keep the given order
  for (size_t i = 0; i < moved.size(); i++)
    if (waiting[i] == 0) ready.insert(i);
  std::vector<size_t> sequence;
  std::vector<bool> placed(moved.size(), false);
  while (!ready.empty()) {
    size_t i = *ready.begin();
    ready.erase(ready.begin());
    sequence.push_back(i);
    placed[i] = true;
    for (size_t j : after[i])
      if (--waiting[j] == 0) ready.insert(j);
  }
  // A cycle cannot happen (deps name only changes written before); should a
  // damaged log hold one, those changes keep their given order at the end.
  for (size_t i = 0; i < moved.size(); i++)
    if (!placed[i]) sequence.push_back(i);
  std::vector<DecodedChange> out;
  out.reserve(moved.size());
  for (size_t i : sequence) out.push_back(std::move(moved[i]));
  return out;
}

// Lowers the cuts in `keep` until no own change that stays depends on one
// being re-issued: such a change must be re-issued too (after it), or it
// would wait forever for a change that no longer exists under that id.
// Cuts only go down, so this ends; a re-key is rare, so plain passes.
Status closeUnderDependency(const Txn& txn, const Dbs& dbs, const std::vector<ActorId>& order, const VersionVector& vv,
                            std::map<ActorId, uint64_t>& keep) {
  auto firstNeedingMoved = [&](const ActorId& id, uint64_t upTo) -> Result<uint64_t> {
    Cursor c(txn, dbs.changes);
    for (bool ok = c.seek(changeKey(id, 1)); ok && c.key().substr(0, 16) == id.view(); ok = c.next()) {
      uint64_t seq = readU64be(c.key().substr(16));
      if (seq > upTo) break;
      auto d = DecodedChange::decode(c.value());
      if (!d) return d.status().withContext("re-keying: change " + std::to_string(seq) + " of this device");
      for (const auto& [a, s] : d->deps()) {
        auto k = keep.find(a);
        if (a != id && k != keep.end() && s > k->second) return seq;
      }
    }
    return uint64_t{0};
  };
  for (bool again = true; again;) {
    again = false;
    for (const ActorId& id : order) {
      auto k = keep.find(id);
      auto at = vv.find(id);
      uint64_t upTo = k != keep.end() ? k->second : at == vv.end() ? 0 : at->second;
      auto seq = firstNeedingMoved(id, upTo);
      if (!seq) return seq.status();
      if (*seq == 0) continue;
      keep[id] = *seq - 1;
      again = true;
    }
  }
  return Status::ok();
}

}  // namespace

Result<RekeyReport> NotebookImpl::rekeyImpl(const RekeyPlan& plan, const std::string* home) {
  RekeyReport report;
  const DeviceIdentity fresh = newIdentity(env_);
  const int64_t now = env_.clock().wallMs();
  const Dbs& dbs = store_->dbs();
  Status st = store_->write([&](Txn& txn) -> Status {
    DeviceIdentity cur = requireIdentity(txn, dbs);
    if (cur.id != plan.expected)
      return Status::busy("this notebook was re-keyed meanwhile (it is now device " + cur.id.str() + ")");
    report = RekeyReport{cur.id, fresh.id, 0};
    auto retired = readRetired(txn, dbs);
    std::map<ActorId, uint64_t> keep(plan.keep.begin(), plan.keep.end());
    for (const auto& [id, upTo] : keep)
      if (!isOwnId(txn, dbs, id))
        return Status::invalidArgument("device " + id.str() + " is not one of this notebook's ids");
    // Own ids oldest first: a later id's changes may depend on an earlier's.
    std::vector<ActorId> order;
    for (const auto& r : retired) order.push_back(r.identity.id);
    order.push_back(cur.id);
    VersionVector vv = versionVectorIn(txn);
    RIDEALONG_RETURN_IF_ERROR(closeUnderDependency(txn, dbs, order, vv, keep));
    std::vector<DecodedChange> moved;
    std::map<ActorId, uint64_t> movedPer;
    for (const ActorId& id : order) {
      auto k = keep.find(id);
      if (k == keep.end()) continue;
      std::vector<std::string> keys;
      Cursor c(txn, dbs.changes);
      for (bool ok = c.seek(changeKey(id, k->second + 1)); ok && c.key().substr(0, 16) == id.view(); ok = c.next()) {
        auto d = DecodedChange::decode(c.value());
        if (!d)
          return d.status().withContext("re-keying: change " + std::to_string(readU64be(c.key().substr(16))) +
                                        " of this device");
        moved.push_back(std::move(*d));
        keys.emplace_back(c.key());
      }
      for (const auto& key : keys) txn.del(dbs.changes, key);
      movedPer[id] = keys.size();
      if (vv[id] > k->second) vv[id] = k->second;
    }
    moved = causalOrder(std::move(moved));
    // The re-issued changes: same ops and stamps, the new id and seqs, deps
    // cut back to what stays of the re-keyed ids, chained as usual.
    std::vector<std::string> reissued;
    uint64_t prev = 0;
    for (size_t i = 0; i < moved.size(); i++) {
      const DecodedChange& c = moved[i];
      VersionVector deps;
      for (const auto& [a, s] : c.deps()) {
        auto k = keep.find(a);
        deps[a] = k == keep.end() ? s : std::min(s, k->second);
      }
      // Its own device's earlier changes: those that stay, by dependency;
      // the re-issued ones precede it under the new id.
      if (uint64_t k = keep.at(c.actor()); k > 0) deps[c.actor()] = std::max(deps[c.actor()], k);
      std::string bytes = encodeChange(fresh.id, i + 1, c.hlc(), deps, opsOf(c), prev);
      prev = chainHash(bytes);
      reissued.push_back(std::move(bytes));
    }
    report.reissued = reissued.size();
    // Identity: the current id retires; re-keyed retired ids note the cut.
    for (auto r : retired) {
      auto k = keep.find(r.identity.id);
      if (k == keep.end()) continue;
      r.keptUpTo = std::min(r.keptUpTo, k->second);
      r.reissued += movedPer[r.identity.id];
      writeRetired(txn, dbs, r);
    }
    RetiredDevice was;
    was.identity = cur;
    was.successor = fresh.id;
    was.retiredMs = now;
    was.reason = plan.reason;
    was.keptUpTo = keep.count(cur.id) ? std::min(keep[cur.id], vv[cur.id]) : vv[cur.id];
    was.reissued = movedPer[cur.id];
    writeRetired(txn, dbs, was);
    writeIdentity(txn, dbs, fresh);
    if (home) writeHome(txn, dbs, *home);
    if (moved.empty()) return Status::ok();
    // Rebuild: records, indexes and the version vector come from the log.
    std::vector<std::string> log;
    {
      Cursor c(txn, dbs.changes);
      for (bool ok = c.first(); ok; ok = c.next()) log.emplace_back(c.value());
    }
    std::optional<std::string> hlc;
    if (auto h = txn.get(dbs.vv, "hlc")) hlc = std::string(*h);
    for (MDB_dbi dbi : {dbs.changes, dbs.records, dbs.idx, dbs.vv}) {
      int rc = mdb_drop(txn.raw(), dbi, 0);
      if (rc != 0) throw LmdbError(rc, "clearing a database to rebuild it");
    }
    if (hlc) txn.put(dbs.vv, "hlc", *hlc);
    for (auto& r : reissued) log.push_back(std::move(r));
    auto decoded = decodeAll(log);
    if (!decoded) return decoded.status().withContext("re-keying: the change log");
    ApplyReport applied;
    {
      Applier applier(txn, dbs, context(), arena_);
      applier.applyRemote(std::move(*decoded), {}, &applied);
      applier.flush();
    }
    // The other copy's changes kept aside as a fork may fit now.
    retryIn(txn, &applied);
    return Status::ok();
  });
  if (!st) return st;
  // Older builds and people read the id from device.id; best effort.
  (void)platform::writeDeviceId(env_, dir_, fresh.id.bytes);
  return report;
}

Result<std::optional<RekeyReport>> NotebookImpl::healFork(const std::string& reason) {
  const Dbs& dbs = store_->dbs();
  ActorId self;
  std::map<ActorId, uint64_t> shared;  // own id -> last seq both copies hold alike
  Status st = store_->read([&](const Txn& txn) -> Status {
    self = requireIdentity(txn, dbs).id;
    // Own ids and how far each is this copy's: all of the current one, a
    // retired one up to what it kept (later changes under it are others').
    std::map<ActorId, uint64_t> own{{self, UINT64_MAX}};
    for (const auto& r : readRetired(txn, dbs)) own[r.identity.id] = r.keptUpTo;
    for (const auto& q : readQuarantined(txn, dbs)) {
      auto o = own.find(q.actor);
      if (o == own.end() || q.sealed || q.seq > o->second) continue;
      auto mine = txn.get(dbs.changes, changeKey(q.actor, q.seq));
      if (!mine || *mine == q.bytes) continue;  // not a fork at this seq
      auto d = DecodedChange::decode(q.bytes);
      if (!d) continue;
      bool follows = q.seq == 1 || d->prev() == 0;
      if (!follows) {
        auto before = txn.get(dbs.changes, changeKey(q.actor, q.seq - 1));
        follows = before && chainHash(*before) == d->prev();
      }
      if (!follows) continue;
      auto [it, fresh] = shared.emplace(q.actor, q.seq - 1);
      if (!fresh) it->second = std::min(it->second, q.seq - 1);
    }
    return Status::ok();
  });
  if (!st) return st;
  if (shared.empty()) return std::optional<RekeyReport>{};
  auto r = rekey(RekeyPlan{self, {shared.begin(), shared.end()}, reason});
  if (!r) return r.status();
  return std::optional<RekeyReport>(*r);
}

}  // namespace ridealong::core::detail
