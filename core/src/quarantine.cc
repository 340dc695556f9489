#include "quarantine.h"

#include <nlohmann/json.hpp>

#include "change_codec.h"

namespace ridealong::core::detail {

namespace {

// Entry: [u32 LE header length][header JSON][bytes].
std::string encodeEntry(const QuarantinedChange& q) {
  std::string header =
      nlohmann::json{{"reason", q.reason}, {"at", q.atMs}, {"build", q.build}, {"sealed", q.sealed}}.dump();
  std::string out(4, '\0');
  for (int i = 0; i < 4; i++) out[i] = static_cast<char>(header.size() >> (8 * i));
  return out + header + q.bytes;
}

bool decodeEntry(std::string_view v, QuarantinedChange* q) {
  if (v.size() < 4) return false;
  size_t n = 0;
  for (int i = 3; i >= 0; i--) n = (n << 8) | static_cast<uint8_t>(v[i]);
  if (n > v.size() - 4) return false;
  auto j = nlohmann::json::parse(v.substr(4, n), nullptr, false);
  if (!j.is_object()) return false;
  q->reason = j.value("reason", "");
  q->atMs = j.value("at", int64_t{0});
  q->build = j.value("build", "");
  q->sealed = j.value("sealed", false);
  q->bytes.assign(v.substr(4 + n));
  return true;
}

}  // namespace

std::string thisBuild() {
  return std::string("ridealong ") + RIDEALONG_VERSION + " format " + std::to_string(kReaderFormat);
}

void putQuarantined(Txn& txn, const Dbs& dbs, const QuarantinedChange& q) {
  txn.put(dbs.quarantine, changeKey(q.actor, q.seq), encodeEntry(q));
}

std::vector<QuarantinedChange> readQuarantined(const Txn& txn, const Dbs& dbs) {
  std::vector<QuarantinedChange> out;
  Cursor c(txn, dbs.quarantine);
  for (bool ok = c.first(); ok; ok = c.next()) {
    QuarantinedChange q;
    if (c.key().size() != 24) continue;
    q.actor = Id16::fromBytes(c.key().data());
    q.seq = readU64be(c.key().substr(16));
    if (!decodeEntry(c.value(), &q)) q.reason = "(the quarantine entry itself is damaged)";
    out.push_back(std::move(q));
  }
  return out;
}

bool isQuarantined(const Txn& txn, const Dbs& dbs, const ActorId& actor, uint64_t seq) {
  return txn.get(dbs.quarantine, changeKey(actor, seq)).has_value();
}

VersionVector heldVersionVector(const Txn& txn, const Dbs& dbs, VersionVector vv) {
  // Actors that only have waiting or quarantined changes start at 0.
  for (MDB_dbi dbi : {dbs.pending, dbs.quarantine}) {
    Cursor c(txn, dbi);
    for (bool ok = c.first(); ok;) {
      if (c.key().size() != 24) {
        ok = c.next();
        continue;
      }
      ActorId a = Id16::fromBytes(c.key().data());
      vv.try_emplace(a, 0);
      // Next actor: just past this one's keys.
      ok = c.seek(changeKey(a, ~uint64_t{0}) + '\xff');
    }
  }
  for (auto& [actor, seq] : vv) {
    for (;;) {
      std::string next = changeKey(actor, seq + 1);
      if (!txn.get(dbs.pending, next) && !txn.get(dbs.quarantine, next)) break;
      seq++;
    }
  }
  std::erase_if(vv, [](const auto& e) { return e.second == 0; });
  return vv;
}

}  // namespace ridealong::core::detail
