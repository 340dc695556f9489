#include "notebook_impl.h"

#include <tuple>

#include "identity.h"
#include "quarantine.h"
#include "record_codec.h"
#include "ridealong/platform/data_dir.h"

namespace ridealong::core {

Result<std::unique_ptr<Notebook>> Notebook::open(platform::Env& env, const std::string& dir,
                                                 const NotebookOptions& options) {
  if (options.create) RIDEALONG_RETURN_IF_ERROR(env.fs().createDirs(dir));
  auto store = detail::Store::open(env, dir, options);
  if (!store) return store.status();
  RIDEALONG_RETURN_IF_ERROR(detail::migrateIndexes(**store));
  NotebookOptions o = options;
  if (o.build.empty()) o.build = detail::thisBuild();
  std::unique_ptr<detail::NotebookImpl> nb(new detail::NotebookImpl(env, dir, std::move(store).value(), o));
  RIDEALONG_RETURN_IF_ERROR(nb->settleIn());
  return std::unique_ptr<Notebook>(std::move(nb));
}

namespace detail {

// At open: adopt or make the device identity, re-key when the folder was
// moved or copied, and try the quarantine again when the build changed.
// Reads first; writes only when something is to be done.
Status NotebookImpl::settleIn() {
  const Dbs& dbs = store_->dbs();
  std::optional<DeviceIdentity> id;
  std::optional<std::string> home, build;
  RIDEALONG_RETURN_IF_ERROR(store_->read([&](const Txn& txn) {
    id = readIdentity(txn, dbs);
    home = readHome(txn, dbs);
    if (auto b = txn.get(dbs.meta, "build")) build = std::string(*b);
    return Status::ok();
  }));
  std::string here = platform::notebookHome(dir_);
  if (!id) {
    // A new notebook, or one from a build that kept the id in device.id.
    DeviceIdentity fresh = newIdentity(env_);
    auto legacy = platform::loadDeviceId(env_, dir_);
    if (legacy) {
      std::memcpy(fresh.id.bytes.data(), legacy->data(), 16);
    } else if (!legacy.status().isNotFound()) {
      return legacy.status();
    } else {
      RIDEALONG_RETURN_IF_ERROR(platform::writeDeviceId(env_, dir_, fresh.id.bytes));
    }
    RIDEALONG_RETURN_IF_ERROR(store_->write([&](Txn& txn) {
      if (!readIdentity(txn, dbs)) writeIdentity(txn, dbs, fresh);
      if (!readHome(txn, dbs)) writeHome(txn, dbs, here);
      return Status::ok();
    }));
  } else if (!home) {
    RIDEALONG_RETURN_IF_ERROR(store_->write([&](Txn& txn) {
      writeHome(txn, dbs, here);
      return Status::ok();
    }));
  } else if (*home != here && options_.detectMove) {
    auto from = home->substr(home->find('\n') + 1);
    bool otherMachine = home->substr(0, home->find('\n')) != here.substr(0, here.find('\n'));
    RekeyPlan plan{id->id,
                   {},
                   "this notebook was " +
                       std::string(otherMachine ? "moved or copied from another machine" : "moved or copied") +
                       " (it was in " + from + ")"};
    auto r = rekeyImpl(plan, &here);
    if (!r && !r.status().isBusy()) return r.status();  // Busy: another process re-keyed first
  }
  if (build != options_.build) {
    RIDEALONG_RETURN_IF_ERROR(retryQuarantined().status());
    RIDEALONG_RETURN_IF_ERROR(store_->write([&](Txn& txn) {
      txn.put(dbs.meta, "build", options_.build);
      return Status::ok();
    }));
  }
  return Status::ok();
}

ApplierContext NotebookImpl::context() {
  return ApplierContext{env_.clock().wallMs(), options_.clockBoundMs, options_.build};
}

Result<ActorId> NotebookImpl::device() {
  auto id = identity();
  if (!id) return id.status();
  return id->id;
}

Result<DeviceIdentity> NotebookImpl::identity() {
  DeviceIdentity out;
  RIDEALONG_RETURN_IF_ERROR(store_->read([&](const Txn& txn) {
    out = requireIdentity(txn, store_->dbs());
    return Status::ok();
  }));
  return out;
}

Result<std::vector<RetiredDevice>> NotebookImpl::retiredDevices() {
  return readResult([&](const Txn& txn) { return readRetired(txn, store_->dbs()); });
}

std::optional<Record> readRecord(const Txn& txn, const Dbs& dbs, const RecordId& id) {
  auto blob = txn.get(dbs.records, id.view());
  if (!blob) return std::nullopt;
  auto rec = decodeRecord(id, *blob);
  if (!rec) return std::nullopt;
  return std::move(rec).value();
}

RecordId NotebookImpl::newId() {
  uint8_t rnd[10];
  env_.randomBytes(rnd, sizeof rnd);
  return makeRecordId(env_.clock().wallMs(), rnd);
}

Result<CommitInfo> NotebookImpl::commit(const ChangeBuilder& change) {
  auto infos = commitBatch({change});
  if (!infos) return infos.status();
  return infos->front();
}

Result<std::vector<CommitInfo>> NotebookImpl::commitBatch(const std::vector<ChangeBuilder>& changes) {
  std::vector<CommitInfo> infos;
  Status st = store_->write([&](Txn& txn) -> Status {
    infos.clear();
    Applier applier(txn, store_->dbs(), context(), arena_);
    for (size_t i = 0; i < changes.size(); i++) {
      auto info = applier.commitLocal(changes[i].ops());
      if (!info)
        return changes.size() > 1 ? info.status().withContext("change " + std::to_string(i + 1)) : info.status();
      infos.push_back(*info);
    }
    applier.flush();
    return Status::ok();
  });
  if (!st) return st;
  return infos;
}

Result<ApplyReport> NotebookImpl::applyChanges(const std::vector<std::string>& encoded) {
  auto decodedOr = decodeAll(encoded);
  if (!decodedOr) return decodedOr.status();
  return applyDecoded(*decodedOr, {});
}

Result<ApplyReport> NotebookImpl::applyChanges(const CheckedChanges& changes) {
  if (changes.empty()) return ApplyReport{};
  return applyDecoded(changes.impl().decoded, changes.impl().rejected);
}

Result<ApplyReport> NotebookImpl::applyDecoded(const std::vector<DecodedChange>& decoded,
                                               const std::vector<RejectedChange>& rejected) {
  ApplyReport report;
  Status st = store_->write([&](Txn& txn) -> Status {
    report = ApplyReport();
    Applier applier(txn, store_->dbs(), context(), arena_);
    std::vector<DecodedChange> batch;
    batch.reserve(decoded.size());
    for (const auto& d : decoded) batch.push_back(d);  // copies share the decoded message
    applier.applyRemote(std::move(batch), rejected, &report);
    applier.flush();
    return Status::ok();
  });
  if (!st) return st;
  return report;
}

// Every quarantined change once more, in one transaction: those that now
// apply leave the quarantine, the others are set aside again. Sealed ones
// (they did not open) are dropped so that sync fetches them afresh.
Result<ApplyReport> NotebookImpl::retryQuarantined() {
  ApplyReport report;
  Status st = store_->write([&](Txn& txn) -> Status {
    report = ApplyReport();
    retryIn(txn, &report);
    return Status::ok();
  });
  if (!st) return st;
  return report;
}

void NotebookImpl::retryIn(Txn& txn, ApplyReport* report) {
  const Dbs& dbs = store_->dbs();
  auto entries = readQuarantined(txn, dbs);
  if (entries.empty()) return;
  // Emptied, then refilled with what still cannot apply. A failed drop
  // aborts the transaction (the entries would otherwise stay twice over).
  if (int rc = mdb_drop(txn.raw(), dbs.quarantine, 0))
    throw LmdbError(rc, std::string("emptying the quarantine: ") + mdb_strerror(rc));
  std::vector<DecodedChange> batch;
  std::vector<RejectedChange> rejected;
  for (auto& q : entries) {
    if (q.sealed) continue;
    auto d = DecodedChange::decode(q.bytes);
    if (d) {
      batch.push_back(std::move(*d));
    } else {
      rejected.push_back({q.actor, q.seq, std::move(q.bytes),
                          "change " + std::to_string(q.seq) + " of device " + q.actor.str() +
                              " cannot be read: " + d.status().message(),
                          false});
    }
  }
  Applier applier(txn, dbs, context(), arena_);
  applier.applyRemote(std::move(batch), rejected, report);
  applier.flush();
}

Result<std::vector<QuarantinedChange>> NotebookImpl::quarantined() {
  return readResult([&](const Txn& txn) { return readQuarantined(txn, store_->dbs()); });
}

Result<std::vector<ClockWarning>> NotebookImpl::clockWarnings() {
  return readResult([&](const Txn& txn) {
    std::vector<ClockWarning> out;
    Cursor c(txn, store_->dbs().clocks);
    for (bool ok = c.first(); ok; ok = c.next()) {
      if (c.key().size() != 16 || c.value().size() != 24) continue;
      ClockWarning w;
      w.actor = Id16::fromBytes(c.key().data());
      w.skewMs = static_cast<int64_t>(readU64be(c.value()));
      w.stampMs = static_cast<int64_t>(readU64be(c.value().substr(8)));
      w.seenMs = static_cast<int64_t>(readU64be(c.value().substr(16)));
      out.push_back(w);
    }
    return out;
  });
}

Result<VersionVector> NotebookImpl::heldVersionVector() {
  return readResult(
      [&](const Txn& txn) { return detail::heldVersionVector(txn, store_->dbs(), versionVectorIn(txn)); });
}

Result<std::vector<std::string>> NotebookImpl::changesOf(const ActorId& actor, uint64_t afterSeq, size_t limit) {
  std::vector<std::string> out;
  Status st = store_->read([&](const Txn& txn) -> Status {
    Cursor c(txn, store_->dbs().changes);
    for (bool ok = c.seek(changeKey(actor, afterSeq + 1));
         ok && out.size() < limit && c.key().substr(0, 16) == actor.view(); ok = c.next())
      out.emplace_back(c.value());
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

Result<std::string> NotebookImpl::changeAt(const ActorId& actor, uint64_t seq) {
  std::string out;
  bool found = false;
  Status st = store_->read([&](const Txn& txn) -> Status {
    if (auto v = txn.get(store_->dbs().changes, changeKey(actor, seq))) {
      out.assign(*v);
      found = true;
    }
    return Status::ok();
  });
  if (!st) return st;
  if (!found) return Status::notFound("no change " + std::to_string(seq) + " of device " + actor.str() + " here");
  return out;
}

VersionVector NotebookImpl::versionVectorIn(const Txn& txn) {
  VersionVector vv;
  Cursor c(txn, store_->dbs().vv);
  for (bool ok = c.first(); ok; ok = c.next())
    if (c.key().size() == 16) vv[Id16::fromBytes(c.key().data())] = readU64be(c.value());
  return vv;
}

Result<VersionVector> NotebookImpl::versionVector() {
  return readResult([&](const Txn& txn) { return versionVectorIn(txn); });
}

Result<std::vector<std::string>> NotebookImpl::changesSince(const VersionVector& since) {
  std::vector<std::string> out;
  Status st = store_->read([&](const Txn& txn) -> Status {
    Cursor c(txn, store_->dbs().changes);
    for (bool ok = c.first(); ok;) {
      if (c.key().size() != 24) return Status::corruption("bad key in the change log");
      ActorId actor = Id16::fromBytes(c.key().data());
      auto it = since.find(actor);
      uint64_t from = (it == since.end() ? 0 : it->second) + 1;
      ok = c.seek(changeKey(actor, from));
      while (ok && c.key().substr(0, 16) == actor.view()) {
        out.emplace_back(c.value());
        ok = c.next();
      }
    }
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

Result<Record> NotebookImpl::get(const RecordId& id) {
  std::optional<Result<Record>> out;
  RIDEALONG_RETURN_IF_ERROR(store_->read([&](const Txn& txn) {
    auto blob = txn.get(store_->dbs().records, id.view());
    if (!blob) {
      out = Status::notFound("no record with id " + id.str());
    } else if (auto rec = decodeRecord(id, *blob)) {
      out = std::move(rec).value();
    } else {
      out = rec.status().withContext("record " + id.str());
    }
    return Status::ok();
  }));
  return std::move(*out);
}

Result<StoreStats> NotebookImpl::stats() {
  StoreStats s;
  RIDEALONG_RETURN_IF_ERROR(store_->read([&](const Txn& txn) -> Status {
    const Dbs& dbs = store_->dbs();
    for (auto [dbi, count, name] :
         {std::tuple{dbs.records, &s.records, "records"}, std::tuple{dbs.changes, &s.changes, "changes"},
          std::tuple{dbs.pending, &s.pending, "pending"}, std::tuple{dbs.quarantine, &s.quarantined, "quarantine"}}) {
      MDB_stat st;
      if (int rc = mdb_stat(txn.raw(), dbi, &st))
        return lmdbStatus(rc, std::string("counting the ") + name + " in " + store_->path());
      *count = st.ms_entries;
    }
    return Status::ok();
  }));
  RIDEALONG_RETURN_IF_ERROR(store_->mapUsage(&s.mapBytes, &s.usedBytes));
  return s;
}

}  // namespace detail
}  // namespace ridealong::core
