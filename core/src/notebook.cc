#include "notebook_impl.h"

#include "record_codec.h"
#include "ridealong/platform/data_dir.h"

namespace ridealong::core {

Result<std::unique_ptr<Notebook>> Notebook::open(platform::Env& env, const std::string& dir,
                                                 const NotebookOptions& options) {
  auto device = options.create ? platform::initDeviceId(env, dir) : platform::loadDeviceId(env, dir);
  if (!device) return device.status();
  auto store = detail::Store::open(env, dir, options);
  if (!store) return store.status();
  RIDEALONG_RETURN_IF_ERROR(detail::migrateIndexes(**store));
  return std::unique_ptr<Notebook>(new detail::NotebookImpl(env, dir, Id16{*device}, std::move(store).value(), options));
}

namespace detail {

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
    Applier applier(txn, store_->dbs(), device_, env_.clock().wallMs(), options_.maxClockSkewMs, arena_);
    for (size_t i = 0; i < changes.size(); i++) {
      auto info = applier.commitLocal(changes[i].ops());
      if (!info) return changes.size() > 1 ? info.status().withContext("change " + std::to_string(i + 1)) : info.status();
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
  return applyDecoded(*decodedOr);
}

Result<ApplyReport> NotebookImpl::applyChanges(const CheckedChanges& changes) {
  if (changes.empty()) return ApplyReport{};
  return applyDecoded(changes.impl().decoded);
}

Result<ApplyReport> NotebookImpl::applyDecoded(const std::vector<DecodedChange>& decoded) {
  ApplyReport report;
  Status st = store_->write([&](Txn& txn) -> Status {
    report = ApplyReport();
    Applier applier(txn, store_->dbs(), device_, env_.clock().wallMs(), options_.maxClockSkewMs, arena_);
    std::vector<DecodedChange> batch;
    batch.reserve(decoded.size());
    for (const auto& d : decoded) batch.push_back(d);  // copies share the decoded message
    RIDEALONG_RETURN_IF_ERROR(applier.applyRemote(std::move(batch), &report));
    applier.flush();
    return Status::ok();
  });
  if (!st) return st;
  return report;
}

VersionVector NotebookImpl::versionVector() {
  return readOr(VersionVector{}, [&](const Txn& txn) {
    VersionVector vv;
    Cursor c(txn, store_->dbs().vv);
    for (bool ok = c.first(); ok; ok = c.next())
      if (c.key().size() == 16) vv[Id16::fromBytes(c.key().data())] = readU64be(c.value());
    return vv;
  });
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

std::optional<Record> NotebookImpl::get(const RecordId& id) {
  return readOr(std::optional<Record>{}, [&](const Txn& txn) { return readRecord(txn, store_->dbs(), id); });
}

StoreStats NotebookImpl::stats() {
  StoreStats s;
  store_->read([&](const Txn& txn) {
    MDB_stat st;
    mdb_stat(txn.raw(), store_->dbs().records, &st);
    s.records = st.ms_entries;
    mdb_stat(txn.raw(), store_->dbs().changes, &st);
    s.changes = st.ms_entries;
    mdb_stat(txn.raw(), store_->dbs().pending, &st);
    s.pending = st.ms_entries;
    return Status::ok();
  });
  store_->mapUsage(&s.mapBytes, &s.usedBytes);
  return s;
}

}  // namespace detail
}  // namespace ridealong::core
