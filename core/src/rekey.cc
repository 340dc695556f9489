// Re-keying: this notebook becomes a new device when another copy of it
// (a copied folder, a restored backup) uses the same device id. Changes
// after the agreed point of each named own id leave the log and are
// re-issued, in order, under the new id with the same ops and stamps; the
// records and indexes are rebuilt from the log, as they are derived from
// it. One write transaction: the id, the log and the state change together.
#include <algorithm>
#include <map>

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
    std::vector<DecodedChange> moved;
    std::map<ActorId, uint64_t> movedPer;
    VersionVector vv = versionVectorIn(txn);
    for (const ActorId& id : order) {
      auto k = keep.find(id);
      if (k == keep.end()) continue;
      std::vector<std::string> keys;
      Cursor c(txn, dbs.changes);
      for (bool ok = c.seek(changeKey(id, k->second + 1)); ok && c.key().substr(0, 16) == id.view(); ok = c.next()) {
        auto d = DecodedChange::decode(c.value());
        if (!d) return d.status().withContext("re-keying: change " + std::to_string(readU64be(c.key().substr(16))) +
                                              " of this device");
        moved.push_back(std::move(*d));
        keys.emplace_back(c.key());
      }
      for (const auto& key : keys) txn.del(dbs.changes, key);
      movedPer[id] = keys.size();
      if (vv[id] > k->second) vv[id] = k->second;
    }
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
      if (uint64_t k = keep.at(c.actor()); k > 0) deps[c.actor()] = k;
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
  std::optional<uint64_t> shared;
  Status st = store_->read([&](const Txn& txn) -> Status {
    self = requireIdentity(txn, dbs).id;
    for (const auto& q : readQuarantined(txn, dbs)) {
      if (q.actor != self || q.sealed) continue;
      auto mine = txn.get(dbs.changes, changeKey(self, q.seq));
      if (!mine || *mine == q.bytes) continue;  // not a fork at this seq
      auto d = DecodedChange::decode(q.bytes);
      if (!d) continue;
      bool follows = q.seq == 1 || d->prev() == 0;
      if (!follows) {
        auto before = txn.get(dbs.changes, changeKey(self, q.seq - 1));
        follows = before && chainHash(*before) == d->prev();
      }
      if (follows && (!shared || q.seq - 1 < *shared)) shared = q.seq - 1;
    }
    return Status::ok();
  });
  if (!st) return st;
  if (!shared) return std::optional<RekeyReport>{};
  auto r = rekey(RekeyPlan{self, {{self, *shared}}, reason});
  if (!r) return r.status();
  return std::optional<RekeyReport>(*r);
}

}  // namespace ridealong::core::detail
