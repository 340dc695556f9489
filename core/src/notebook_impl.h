// NotebookImpl: the Notebook over a Store. Writes go through an Applier in
// one write transaction; reads open a snapshot. Queries live in queries.cc,
// the canonical dump in dump.cc. Internal to core.
#pragma once

#include <optional>
#include <type_traits>

#include "applier.h"
#include "arena.h"
#include "ridealong/core/notebook.h"
#include "store.h"

namespace ridealong::core::detail {

class NotebookImpl final : public Notebook {
 public:
  NotebookImpl(platform::Env& env, std::string dir, std::unique_ptr<Store> store, NotebookOptions options)
      : env_(env), dir_(std::move(dir)), store_(std::move(store)), options_(std::move(options)) {}

  // At open: identity, moved-folder check, quarantine retry for a new build.
  Status settleIn();

  Result<ActorId> device() override;
  Result<DeviceIdentity> identity() override;
  Result<std::vector<RetiredDevice>> retiredDevices() override;
  Result<RekeyReport> rekey(const RekeyPlan& plan) override { return rekeyImpl(plan, nullptr); }
  Result<std::optional<RekeyReport>> healFork(const std::string& reason) override;
  const std::string& dir() const override { return dir_; }
  RecordId newId() override;
  Result<CommitInfo> commit(const ChangeBuilder& change) override;
  Result<std::vector<CommitInfo>> commitBatch(const std::vector<ChangeBuilder>& changes) override;
  Result<ApplyReport> applyChanges(const std::vector<std::string>& encoded) override;
  Result<ApplyReport> applyChanges(const CheckedChanges& changes) override;
  Result<VersionVector> versionVector() override;
  Result<VersionVector> heldVersionVector() override;
  Result<std::vector<std::string>> changesSince(const VersionVector& since) override;
  Result<std::vector<std::string>> changesOf(const ActorId& actor, uint64_t afterSeq, size_t limit) override;
  Result<std::string> changeAt(const ActorId& actor, uint64_t seq) override;
  Result<std::vector<QuarantinedChange>> quarantined() override;
  Result<ApplyReport> retryQuarantined() override;
  Result<std::vector<ClockWarning>> clockWarnings() override;
  Result<Record> get(const RecordId& id) override;
  Result<std::vector<Record>> listType(std::string_view type, bool includeDeleted) override;
  Result<std::vector<Record>> trash() override;
  Result<std::vector<Conflict>> conflicts() override;
  Result<std::string> dump() override;
  Result<std::vector<RepOverview>> teamOverview(int64_t nowMs) override;
  Result<std::vector<TimelineEntry>> repTimeline(const RecordId& rep, size_t limit) override;
  Result<std::vector<Record>> sessionObservations(const RecordId& session) override;
  Result<std::vector<Record>> openActionsByDue(size_t limit) override;
  Result<std::vector<Record>> openSessions(size_t limit) override;
  uint64_t generation() override { return store_->lastTxnId(); }
  Result<StoreStats> stats() override;

 private:
  Result<ApplyReport> applyDecoded(const std::vector<DecodedChange>& decoded,
                                   const std::vector<RejectedChange>& rejected);
  ApplierContext context();
  VersionVector versionVectorIn(const Txn& txn);
  void retryIn(Txn& txn, ApplyReport* report);
  // rekey(); with `home`, also records where the folder now is (same txn).
  Result<RekeyReport> rekeyImpl(const RekeyPlan& plan, const std::string* home);

  // Runs `fn` in a read snapshot and returns what it built, or the read's
  // error (an I/O error is never turned into an empty answer). `fn` may run
  // more than once (Store::read retries), so it builds its answer afresh.
  template <typename Fn>
  auto readResult(Fn&& fn) -> Result<std::invoke_result_t<Fn&, const Txn&>> {
    std::optional<std::invoke_result_t<Fn&, const Txn&>> out;
    Status st = store_->read([&](const Txn& txn) {
      out = fn(txn);
      return Status::ok();
    });
    if (!st) return st;
    return std::move(*out);
  }

  platform::Env& env_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  NotebookOptions options_;
  // The appliers' records; used only inside store_->write, which admits one
  // writer per process at a time.
  Arena arena_;
};

// Reads one record in a snapshot (nullopt: none, or it does not decode).
std::optional<Record> readRecord(const Txn& txn, const Dbs& dbs, const RecordId& id);
// Brings an older store's indexes up to kIndexVersion (at open).
Status migrateIndexes(Store& store);

}  // namespace ridealong::core::detail
