#include "store.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cerrno>

#include "file_room.h"
#include "ridealong/platform/data_dir.h"

namespace ridealong::core::detail {

namespace {
constexpr char kFormatVersion[] = "1";
constexpr int kMaxRetries = 12;
// A transaction that overflows the map is retried in a map four times the
// size, however often that takes: the map is address space, not disk, so any
// batch fits once it is large enough. A full disk is reported by the write
// itself (writeError). The bound only stops a runaway loop.
constexpr uint64_t kMaxMapBytes = uint64_t{1} << 42;  // 4 TiB
}  // namespace

std::string u64be(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; i--) {
    s[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

uint64_t readU64be(std::string_view b) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < b.size(); i++) v = (v << 8) | static_cast<uint8_t>(b[i]);
  return v;
}

// LMDB reports a short write as EIO, which is what a full disk or a file
// size limit produces; say "disk full" when that is the likely cause.
Status Store::writeError(int rc) {
  Status st = lmdbStatus(rc, "writing to " + path_);
  if (rc != EIO) return st;
  struct statvfs vfs;
  bool lowSpace =
      ::statvfs(path_.c_str(), &vfs) == 0 && static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize < (uint64_t{64} << 20);
  struct rlimit lim;
  struct stat sb;
  bool atLimit = ::getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
                 ::stat((path_ + "/data.mdb").c_str(), &sb) == 0 &&
                 static_cast<uint64_t>(sb.st_size) + (uint64_t{1} << 20) >= lim.rlim_cur;
  if (lowSpace || atLimit)
    return Status::diskFull("writing to " + path_ + ": no space left for the store (" +
                            std::string(atLimit ? "file size limit reached" : "disk almost full") +
                            "); nothing from this edit was saved, earlier edits are intact");
  return st;
}

std::string changeKey(const ActorId& actor, uint64_t seq) { return std::string(actor.view()) + u64be(seq); }

Store::Store(platform::Env& env, std::string path, const NotebookOptions& options)
    : env_(env), path_(std::move(path)), options_(options) {}

Store::~Store() { closeEnv(); }

void Store::closeEnv() {
  if (mdb_) mdb_env_close(mdb_);
  mdb_ = nullptr;
}

Result<std::unique_ptr<Store>> Store::open(platform::Env& env, const std::string& dir, const NotebookOptions& options) {
  std::string path = dir + "/store";
  if (options.create) {
    RIDEALONG_RETURN_IF_ERROR(env.fs().createDirs(path));
  } else if (!env.fs().exists(path + "/data.mdb")) {
    return Status::notFound("no notebook in " + dir + " (run `ridealong-cli --data " + dir + " init`)");
  }
  std::unique_ptr<Store> s(new Store(env, path, options));
  RIDEALONG_RETURN_IF_ERROR(s->openEnv());
  return s;
}

Status Store::openEnv() {
  int rc = mdb_env_create(&mdb_);
  if (rc != 0) return lmdbStatus(rc, "creating the store environment");
  if ((rc = mdb_env_set_maxdbs(mdb_, 12)) != 0 || (rc = mdb_env_set_maxreaders(mdb_, 256)) != 0 ||
      (rc = mdb_env_set_mapsize(mdb_, options_.initialMapBytes)) != 0) {
    closeEnv();
    return lmdbStatus(rc, "setting up the store environment");
  }
  // MDB_NOMETASYNC: one fdatasync per commit (data pages); the meta page is
  // written but synced by the next commit. A killed process loses nothing;
  // a power cut can roll back only the very last commit, never corrupt.
  unsigned flags = MDB_NOTLS | (options_.durable ? MDB_NOMETASYNC : MDB_NOSYNC);
  rc = mdb_env_open(mdb_, path_.c_str(), flags, 0600);
  if (rc != 0) {
    closeEnv();
    return lmdbStatus(rc, "opening the store in " + path_);
  }
  try {
    Txn txn(mdb_, false);
    auto openDb = [&](const char* name, MDB_dbi* dbi) {
      int r = mdb_dbi_open(txn.raw(), name, MDB_CREATE, dbi);
      if (r != 0) throw LmdbError(r, std::string("opening database ") + name + ": " + mdb_strerror(r));
    };
    openDb("meta", &dbs_.meta);
    openDb("vv", &dbs_.vv);
    openDb("changes", &dbs_.changes);
    openDb("pending", &dbs_.pending);
    openDb("records", &dbs_.records);
    openDb("idx", &dbs_.idx);
    openDb("quarantine", &dbs_.quarantine);
    openDb("clocks", &dbs_.clocks);
    auto fmt = txn.get(dbs_.meta, "format");
    if (!fmt) {
      txn.put(dbs_.meta, "format", kFormatVersion);
    } else if (*fmt != kFormatVersion) {
      return Status::corruption("store in " + path_ + " has format " + std::string(*fmt) +
                                ", this build reads format " + kFormatVersion);
    }
    txn.commit();
  } catch (const LmdbError& e) {
    closeEnv();
    return lmdbStatus(e.rc(), "initialising the store in " + path_);
  }
  return Status::ok();
}

Status Store::growLocked(size_t minBytes) {
  MDB_envinfo info;
  if (int rc = mdb_env_info(mdb_, &info)) return lmdbStatus(rc, "reading the store map size");
  size_t next = info.me_mapsize;
  while (next < minBytes || next == info.me_mapsize) next *= 2;
  int rc = mdb_env_set_mapsize(mdb_, next);
  if (rc != 0) return lmdbStatus(rc, "growing the store map to " + std::to_string(next) + " bytes");
  return Status::ok();
}

// Grows when more than 60% of the map is in use, before a write can fill it.
Status Store::maybeGrow() {
  uint64_t map = 0, used = 0;
  RIDEALONG_RETURN_IF_ERROR(mapUsage(&map, &used));
  if (used * 10 < map * 6) return Status::ok();
  std::unique_lock lock(envMu_);
  return growLocked(static_cast<size_t>(used * 2));
}

Status Store::mapUsage(uint64_t* mapBytes, uint64_t* usedBytes) {
  std::shared_lock lock(envMu_);
  *mapBytes = *usedBytes = 0;
  if (!mdb_) return Status::ok();  // closed after an error; the next transaction reopens
  MDB_envinfo info;
  MDB_stat st;
  if (int rc = mdb_env_info(mdb_, &info)) return lmdbStatus(rc, "reading the map size of " + path_);
  if (int rc = mdb_env_stat(mdb_, &st)) return lmdbStatus(rc, "reading the page size of " + path_);
  *mapBytes = info.me_mapsize;
  *usedBytes = (info.me_last_pgno + 1) * static_cast<uint64_t>(st.ms_psize);
  return Status::ok();
}

// Inside a write transaction: LMDB's writer lock keeps every other process
// from appending pages while the file grows (file_room.h says why).
void Store::keepFileRoom() {
  MDB_envinfo info;
  MDB_stat st;
  int fd;
  if (mdb_env_info(mdb_, &info) != 0 || mdb_env_stat(mdb_, &st) != 0 || mdb_env_get_fd(mdb_, &fd) != 0) return;
  keepRoom(fd, (info.me_last_pgno + 1) * static_cast<uint64_t>(st.ms_psize));
}

uint64_t Store::lastTxnId() {
  std::shared_lock lock(envMu_);
  if (!mdb_) return 0;
  MDB_envinfo info;
  // Fails only for a null environment (excluded above); 0 then means "no
  // generation", which makes pollers read again and see the error there.
  if (mdb_env_info(mdb_, &info) != 0) return 0;
  return info.me_last_txnid;
}

// After a failed write LMDB may mark the environment unusable
// (MDB_PANIC); the file itself is intact, so close and open it again.
Status Store::reopenLocked() {
  closeEnv();
  Status st = openEnv();
  return st.isOk() ? st : st.withContext("reopening the store after an error");
}

Status Store::ensureOpen() {
  std::unique_lock ex(envMu_);
  return mdb_ ? Status::ok() : reopenLocked();
}

Status Store::write(const std::function<Status(Txn&)>& fn) {
  std::lock_guard wlock(writeMu_);
  RIDEALONG_RETURN_IF_ERROR(ensureOpen());
  RIDEALONG_RETURN_IF_ERROR(maybeGrow());
  for (int other = 0; other < kMaxRetries;) {
    std::shared_lock lock(envMu_);
    int rc = 0;
    try {
      Txn txn(mdb_, false);
      if (options_.durable) keepFileRoom();
      Status st = fn(txn);
      if (!st.isOk()) return st;  // txn aborts in its destructor
      RIDEALONG_RETURN_IF_ERROR(env_.fs().checkWrite(path_ + "/data.mdb", 0));
      txn.commit();
      return Status::ok();
    } catch (const LmdbError& e) {
      rc = e.rc();
      if (rc != MDB_MAP_FULL && rc != MDB_MAP_RESIZED && rc != MDB_PANIC) return writeError(rc);
    }
    lock.unlock();
    std::unique_lock ex(envMu_);
    if (rc == MDB_PANIC) {
      other++;
      RIDEALONG_RETURN_IF_ERROR(reopenLocked());
    } else if (rc == MDB_MAP_RESIZED) {
      other++;
      // Adopt the size another process set.
      if (int r = mdb_env_set_mapsize(mdb_, 0)) return lmdbStatus(r, "adopting the store's new map size");
    } else {
      MDB_envinfo info;
      if (int r = mdb_env_info(mdb_, &info)) return lmdbStatus(r, "reading the store map size");
      if (info.me_mapsize >= kMaxMapBytes) break;
      RIDEALONG_RETURN_IF_ERROR(growLocked(info.me_mapsize * 4));
    }
  }
  return Status::diskFull("the store in " + path_ + " could not grow enough for this write");
}

Status Store::read(const std::function<Status(const Txn&)>& fn) {
  RIDEALONG_RETURN_IF_ERROR(ensureOpen());
  for (int attempt = 0; attempt < kMaxRetries; attempt++) {
    std::shared_lock lock(envMu_);
    int rc = 0;
    try {
      Txn txn(mdb_, true);
      return fn(txn);
    } catch (const LmdbError& e) {
      rc = e.rc();
      if (rc != MDB_MAP_RESIZED && rc != MDB_PANIC) return lmdbStatus(rc, "reading " + path_);
    }
    lock.unlock();
    std::unique_lock ex(envMu_);
    if (rc == MDB_PANIC) {
      RIDEALONG_RETURN_IF_ERROR(reopenLocked());
    } else if (int r = mdb_env_set_mapsize(mdb_, 0)) {
      return lmdbStatus(r, "adopting the store's new map size");
    }
  }
  return Status::busy("the store in " + path_ + " kept resizing");
}

}  // namespace ridealong::core::detail
