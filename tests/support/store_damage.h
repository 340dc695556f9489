// Damage to a notebook's store on disk, for tests in which a read must fail
// for real. LMDB reads through a memory map, so a failing disk shows up as
// pages that no longer hold what they should; a read that reaches such a page
// gets an LMDB error (MDB_CORRUPTED) instead of data. The pages are zeroed
// with pwrite, which the map of a notebook already open sees at once, so
// "damaged after open" needs no reopening. Deterministic: no timing, no mock.
#pragma once

#include <fcntl.h>
#include <lmdb.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ridealong::testing {

// LMDB's page size (the OS page size; the store is made with the default).
inline size_t storePageSize() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)); }

// Zeroes pages [first, last] of `storeDir`/data.mdb (last = ~0: to the end
// of the file). Pages 0 and 1 are LMDB's meta pages; zeroing from page 2 on
// leaves the environment openable but every database in it unreadable.
inline void zeroStorePages(const std::string& storeDir, uint64_t first, uint64_t last = ~uint64_t{0}) {
  const size_t page = storePageSize();
  int fd = ::open((storeDir + "/data.mdb").c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  off_t size = ::lseek(fd, 0, SEEK_END);
  std::vector<char> zeros(page, 0);
  for (uint64_t p = first; p <= last && static_cast<off_t>((p + 1) * page) <= size; p++)
    REQUIRE(::pwrite(fd, zeros.data(), page, static_cast<off_t>(p * page)) == static_cast<ssize_t>(page));
  REQUIRE(::fsync(fd) == 0);
  ::close(fd);
}

// The root page of the store's "records" database, read with LMDB itself.
// The notebook must be closed meanwhile (a process must not open one LMDB
// environment twice); its root stays put while it is only read afterwards.
// Zeroing that one page breaks every record read and nothing else: the
// notebook still opens, its indexes, log and identity read fine.
inline uint64_t recordsRootPage(const std::string& storeDir) {
  MDB_env* env = nullptr;
  REQUIRE(mdb_env_create(&env) == 0);
  REQUIRE(mdb_env_set_maxdbs(env, 12) == 0);
  REQUIRE(mdb_env_open(env, storeDir.c_str(), MDB_RDONLY, 0600) == 0);
  MDB_txn* txn = nullptr;
  REQUIRE(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn) == 0);
  MDB_dbi main = 0, records = 0;
  REQUIRE(mdb_dbi_open(txn, nullptr, 0, &main) == 0);
  REQUIRE(mdb_dbi_open(txn, "records", 0, &records) == 0);
  MDB_stat st;
  REQUIRE(mdb_stat(txn, records, &st) == 0);
  // The main database maps "records" to its MDB_db: pad(4) flags(2) depth(2)
  // branch(8) leaf(8) overflow(8) entries(8) root(8). Checked against
  // mdb_stat so a different layout fails here, not later.
  MDB_val key{7, const_cast<char*>("records")}, val;
  REQUIRE(mdb_get(txn, main, &key, &val) == 0);
  REQUIRE(val.mv_size == 48);
  uint16_t depth;
  uint64_t entries, root;
  std::memcpy(&depth, static_cast<char*>(val.mv_data) + 6, 2);
  std::memcpy(&entries, static_cast<char*>(val.mv_data) + 32, 8);
  std::memcpy(&root, static_cast<char*>(val.mv_data) + 40, 8);
  REQUIRE(depth == st.ms_depth);
  REQUIRE(entries == st.ms_entries);
  REQUIRE(st.ms_psize == storePageSize());
  REQUIRE(root >= 2);
  mdb_txn_abort(txn);
  mdb_env_close(env);
  return root;
}

}  // namespace ridealong::testing
