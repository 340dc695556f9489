// NotebookImpl: the Notebook over a Store. Writes go through an Applier in
// one write transaction; reads open a snapshot. Queries live in queries.cc,
// the canonical dump in dump.cc. Internal to core.
#pragma once

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

  ActorId device() override;
  Result<DeviceIdentity> identity() override;
  std::vector<RetiredDevice> retiredDevices() override;
  Result<RekeyReport> rekey(const RekeyPlan& plan) override { return rekeyImpl(plan, nullptr); }
  Result<std::optional<RekeyReport>> healFork(const std::string& reason) override;
  const std::string& dir() const override { return dir_; }
  RecordId newId() override;
  Result<CommitInfo> commit(const ChangeBuilder& change) override;
  Result<std::vector<CommitInfo>> commitBatch(const std::vector<ChangeBuilder>& changes) override;
  Result<ApplyReport> applyChanges(const std::vector<std::string>& encoded) override;
  Result<ApplyReport> applyChanges(const CheckedChanges& changes) override;
  VersionVector versionVector() override;
  VersionVector heldVersionVector() override;
  Result<std::vector<std::string>> changesSince(const VersionVector& since) override;
  Result<std::vector<std::string>> changesOf(const ActorId& actor, uint64_t afterSeq, size_t limit) override;
  Result<std::string> changeAt(const ActorId& actor, uint64_t seq) override;
  std::vector<QuarantinedChange> quarantined() override;
  Result<ApplyReport> retryQuarantined() override;
  std::vector<ClockWarning> clockWarnings() override;
  std::optional<Record> get(const RecordId& id) override;
  std::vector<Record> listType(std::string_view type, bool includeDeleted) override;
  std::vector<Record> trash() override;
  std::vector<Conflict> conflicts() override;
  std::string dump() override;
  std::vector<RepOverview> teamOverview(int64_t nowMs) override;
  std::vector<TimelineEntry> repTimeline(const RecordId& rep, size_t limit) override;
  std::vector<Record> sessionObservations(const RecordId& session) override;
  std::vector<Record> openActionsByDue(size_t limit) override;
  std::vector<Record> openSessions(size_t limit) override;
  uint64_t generation() override { return store_->lastTxnId(); }
  StoreStats stats() override;

 private:
  Result<ApplyReport> applyDecoded(const std::vector<DecodedChange>& decoded,
                                   const std::vector<RejectedChange>& rejected);
  ApplierContext context();
  VersionVector versionVectorIn(const Txn& txn);
  void retryIn(Txn& txn, ApplyReport* report);
  // rekey(); with `home`, also records where the folder now is (same txn).
  Result<RekeyReport> rekeyImpl(const RekeyPlan& plan, const std::string* home);

  // Runs a read; a failed read (I/O error) yields the empty result.
  template <typename T, typename Fn>
  T readOr(T fallback, Fn&& fn) {
    T out = std::move(fallback);
    store_->read([&](const Txn& txn) {
      out = fn(txn);
      return Status::ok();
    });
    return out;
  }

  platform::Env& env_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  NotebookOptions options_;
  // The appliers' records; used only inside store_->write, which admits one
  // writer per process at a time.
  Arena arena_;
};

// Reads one record in a snapshot.
std::optional<Record> readRecord(const Txn& txn, const Dbs& dbs, const RecordId& id);
// Brings an older store's indexes up to kIndexVersion (at open).
Status migrateIndexes(Store& store);

}  // namespace ridealong::core::detail
