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
  NotebookImpl(platform::Env& env, std::string dir, ActorId device, std::unique_ptr<Store> store,
               NotebookOptions options)
      : env_(env), dir_(std::move(dir)), device_(device), store_(std::move(store)), options_(options) {}

  const ActorId& device() const override { return device_; }
  const std::string& dir() const override { return dir_; }
  RecordId newId() override;
  Result<CommitInfo> commit(const ChangeBuilder& change) override;
  Result<std::vector<CommitInfo>> commitBatch(const std::vector<ChangeBuilder>& changes) override;
  Result<ApplyReport> applyChanges(const std::vector<std::string>& encoded) override;
  Result<ApplyReport> applyChanges(const CheckedChanges& changes) override;
  VersionVector versionVector() override;
  Result<std::vector<std::string>> changesSince(const VersionVector& since) override;
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
  Result<ApplyReport> applyDecoded(const std::vector<DecodedChange>& decoded);

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
  ActorId device_;
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
