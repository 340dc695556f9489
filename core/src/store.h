// Store: the LMDB environment behind a Notebook and its named databases:
//   meta     format
//   vv       actor -> last contiguous seq applied (u64 BE); "hlc" -> clock
//   changes  actor ‖ seq(BE) -> encoded Change (the log)
//   pending  actor ‖ seq(BE) -> encoded Change waiting for its deps
//   records  id -> record blob (record_codec.h)
//   idx      secondary indexes (indexes.h)
//   quarantine  actor ‖ seq(BE) -> a change that cannot be applied (quarantine.h)
//   clocks   actor -> how far ahead of this device's clock its latest change was
// meta also holds this notebook's device identity (identity.h).
// Owns map growth (grow before it fills; on MDB_MAP_FULL grow and retry the
// transaction; follow other processes' growth on MDB_MAP_RESIZED) and turns
// LMDB errors into Status. Thread-safe.
#pragma once

#include <lmdb.h>

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "lmdb_txn.h"
#include "ridealong/core/notebook.h"

namespace ridealong::core::detail {

struct Dbs {
  MDB_dbi meta = 0, vv = 0, changes = 0, pending = 0, records = 0, idx = 0, quarantine = 0, clocks = 0;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> open(platform::Env& env, const std::string& dir,
                                             const NotebookOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Dbs& dbs() const { return dbs_; }
  const std::string& path() const { return path_; }

  // Runs `fn` in a write transaction and commits durably. `fn` may run more
  // than once (after the map grew), so it must rebuild its state each time.
  // Returning an error from `fn` aborts; nothing is written.
  Status write(const std::function<Status(Txn&)>& fn);
  // Runs `fn` in a read-only snapshot.
  Status read(const std::function<Status(const Txn&)>& fn);

  uint64_t lastTxnId();
  // The map's size and the bytes in use; an LMDB error is returned (the
  // figures are then 0).
  Status mapUsage(uint64_t* mapBytes, uint64_t* usedBytes);

 private:
  Store(platform::Env& env, std::string path, const NotebookOptions& options);
  Status openEnv();
  void closeEnv();
  Status growLocked(size_t minBytes);
  Status maybeGrow();
  void keepFileRoom();
  Status writeError(int rc);
  Status reopenLocked();
  Status ensureOpen();

  platform::Env& env_;
  std::string path_;
  NotebookOptions options_;
  MDB_env* mdb_ = nullptr;
  Dbs dbs_;
  std::shared_mutex envMu_;  // shared: transactions; exclusive: resize/reopen
  std::mutex writeMu_;       // one writer per process at a time
};

// Key helpers shared by the applier and queries.
std::string changeKey(const ActorId& actor, uint64_t seq);
std::string u64be(uint64_t v);
uint64_t readU64be(std::string_view b);

}  // namespace ridealong::core::detail
