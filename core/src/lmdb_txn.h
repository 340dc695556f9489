// A thin RAII layer over LMDB (after lmdbxx / PowerDNS lmdb-safe): move-only
// transactions that abort unless committed, cursors, and string_view keys.
// LMDB errors inside a transaction throw LmdbError; Store converts them to a
// Status at its boundary, so callers of core never see exceptions.
#pragma once

#include <lmdb.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ridealong/platform/status.h"

namespace ridealong::core::detail {

class LmdbError : public std::runtime_error {
 public:
  LmdbError(int rc, const std::string& what) : std::runtime_error(what), rc_(rc) {}
  int rc() const { return rc_; }

 private:
  int rc_;
};

// Maps an LMDB/errno code to a Status naming what was being done.
Status lmdbStatus(int rc, const std::string& what);

inline MDB_val toVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view fromVal(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

class Txn {
 public:
  Txn(MDB_env* env, bool readOnly);  // throws LmdbError
  ~Txn() { abort(); }
  Txn(Txn&& o) noexcept : txn_(o.txn_), readOnly_(o.readOnly_) { o.txn_ = nullptr; }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  MDB_txn* raw() const { return txn_; }
  bool readOnly() const { return readOnly_; }
  void commit();  // throws LmdbError; the txn is gone either way
  void abort();

  std::optional<std::string_view> get(MDB_dbi dbi, std::string_view key) const;
  void put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // Returns false if the key was absent.
  bool del(MDB_dbi dbi, std::string_view key);

 private:
  MDB_txn* txn_ = nullptr;
  bool readOnly_;
};

class Cursor {
 public:
  Cursor(const Txn& txn, MDB_dbi dbi);
  ~Cursor();
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  // Positioning; each returns false when there is no such entry.
  bool seek(std::string_view key);  // first key >= key
  bool first();
  bool last();
  bool next();
  bool prev();
  // Last key that starts with `prefix`.
  bool lastWithPrefix(std::string_view prefix);
  std::string_view key() const { return fromVal(k_); }
  std::string_view value() const { return fromVal(v_); }
  bool valid() const { return valid_; }

 private:
  bool op(MDB_cursor_op o, std::string_view* seekKey = nullptr);
  MDB_cursor* cur_ = nullptr;
  MDB_val k_{}, v_{};
  std::string scratch_;
  bool valid_ = false;
};

}  // namespace ridealong::core::detail
