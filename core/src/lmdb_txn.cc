#include "lmdb_txn.h"

#include <cerrno>
#include <cstring>

namespace ridealong::core::detail {

Status lmdbStatus(int rc, const std::string& what) {
  std::string msg = what + ": " + mdb_strerror(rc);
  switch (rc) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case MDB_MAP_FULL: return Status::diskFull(msg);
    case MDB_NOTFOUND: return Status::notFound(msg);
    case MDB_CORRUPTED:
    case MDB_INVALID:
    case MDB_PAGE_NOTFOUND:
    case MDB_VERSION_MISMATCH: return Status::corruption(msg);
    case EAGAIN:
    case MDB_READERS_FULL: return Status::busy(msg);
    default: return Status::ioError(msg);
  }
}

namespace {
[[noreturn]] void fail(int rc, const char* what) { throw LmdbError(rc, std::string(what) + ": " + mdb_strerror(rc)); }
}  // namespace

Txn::Txn(MDB_env* env, bool readOnly) : readOnly_(readOnly) {
  int rc = mdb_txn_begin(env, nullptr, readOnly ? MDB_RDONLY : 0, &txn_);
  if (rc != 0) {
    txn_ = nullptr;
    fail(rc, "starting a transaction");
  }
}

void Txn::commit() {
  MDB_txn* t = txn_;
  txn_ = nullptr;
  int rc = mdb_txn_commit(t);
  if (rc != 0) fail(rc, "committing");
}

void Txn::abort() {
  if (txn_) mdb_txn_abort(txn_);
  txn_ = nullptr;
}

std::optional<std::string_view> Txn::get(MDB_dbi dbi, std::string_view key) const {
  MDB_val k = toVal(key), v;
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  if (rc != 0) fail(rc, "reading");
  return fromVal(v);
}

void Txn::put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = toVal(key), v = toVal(value);
  int rc = mdb_put(txn_, dbi, &k, &v, flags);
  if (rc != 0) fail(rc, "writing");
}

bool Txn::del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = toVal(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  if (rc != 0) fail(rc, "deleting");
  return true;
}

Cursor::Cursor(const Txn& txn, MDB_dbi dbi) {
  int rc = mdb_cursor_open(txn.raw(), dbi, &cur_);
  if (rc != 0) fail(rc, "opening a cursor");
}

Cursor::~Cursor() {
  if (cur_) mdb_cursor_close(cur_);
}

bool Cursor::op(MDB_cursor_op o, std::string_view* seekKey) {
  if (seekKey) k_ = toVal(*seekKey);
  int rc = mdb_cursor_get(cur_, &k_, &v_, o);
  if (rc == MDB_NOTFOUND) return valid_ = false;
  if (rc != 0) fail(rc, "reading");
  return valid_ = true;
}

bool Cursor::seek(std::string_view key) { return op(MDB_SET_RANGE, &key); }
bool Cursor::first() { return op(MDB_FIRST); }
bool Cursor::last() { return op(MDB_LAST); }
bool Cursor::next() { return op(MDB_NEXT); }
bool Cursor::prev() { return op(MDB_PREV); }

bool Cursor::lastWithPrefix(std::string_view prefix) {
  // Seek just past every key with this prefix, then step back.
  std::string& upper = scratch_;  // reused across calls: queries call this per row
  upper.assign(prefix);
  while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xff) upper.pop_back();
  bool found;
  if (upper.empty()) {
    found = last();
  } else {
    upper.back() = static_cast<char>(static_cast<unsigned char>(upper.back()) + 1);
    found = seek(upper) ? prev() : last();
  }
  return found && key().substr(0, prefix.size()) == prefix;
}

}  // namespace ridealong::core::detail
