#include "ridealong/core/change_stream.h"

#include <sodium.h>
#include <zstd.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "change_codec.h"

namespace ridealong::core {

namespace {
constexpr char kMagic[] = "RIDECHG1";
constexpr size_t kMagicLen = 8;
constexpr size_t kMaxStreamBytes = size_t{4} << 30;  // decompressed
constexpr int kLevel = 9;
// A BLAKE2b tag over magic + frame: zstd's own checksum covers the content,
// this also catches a flip in bits the decoder ignores.
constexpr size_t kTagLen = 16;

void tagOf(std::string_view data, unsigned char* out) {
  static const int kInit = sodium_init();  // idempotent; needed before any libsodium call
  (void)kInit;
  crypto_generichash(out, kTagLen, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
}
}  // namespace

std::string encodeChangeStream(const std::vector<std::string>& changes) {
  std::string raw;
  size_t total = 0;
  for (const auto& c : changes) total += 4 + c.size();
  raw.reserve(total);
  for (const auto& c : changes) {
    uint32_t n = static_cast<uint32_t>(c.size());
    char len[4] = {static_cast<char>(n), static_cast<char>(n >> 8), static_cast<char>(n >> 16),
                   static_cast<char>(n >> 24)};
    raw.append(len, 4);
    raw.append(c);
  }
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kLevel);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(kMagic, kMagicLen);
  out.resize(kMagicLen + ZSTD_compressBound(raw.size()));
  size_t n = ZSTD_compress2(cctx, out.data() + kMagicLen, out.size() - kMagicLen, raw.data(), raw.size());
  ZSTD_freeCCtx(cctx);
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(kMagicLen + n);
  unsigned char tag[kTagLen];
  tagOf(out, tag);
  out.append(reinterpret_cast<const char*>(tag), kTagLen);
  return out;
}

Result<std::vector<std::string>> decodeChangeStream(std::string_view bytes) {
  if (bytes.size() < kMagicLen || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0)
    return Status::corruption("not a Ridealong change file (bad magic)");
  if (bytes.size() < kMagicLen + kTagLen) return Status::corruption("change file is truncated");
  unsigned char tag[kTagLen];
  tagOf(bytes.substr(0, bytes.size() - kTagLen), tag);
  if (sodium_memcmp(tag, bytes.data() + bytes.size() - kTagLen, kTagLen) != 0)
    return Status::corruption("change file is damaged or truncated (checksum mismatch)");
  bytes.remove_prefix(kMagicLen);
  bytes.remove_suffix(kTagLen);
  size_t frame = ZSTD_findFrameCompressedSize(bytes.data(), bytes.size());
  if (ZSTD_isError(frame)) return Status::corruption(std::string("change file is damaged or truncated: ") + ZSTD_getErrorName(frame));
  if (frame != bytes.size()) return Status::corruption("change file has trailing bytes after its data");
  unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
    return Status::corruption("change file has no valid size header");
  if (size > kMaxStreamBytes) return Status::corruption("change file claims more than 4 GiB of changes");
  // The declared size is only an allocation bound; zstd checks the real
  // size and the content checksum.
  std::string raw(size, '\0');
  size_t n = ZSTD_decompress(raw.data(), raw.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(n)) return Status::corruption(std::string("change file is damaged: ") + ZSTD_getErrorName(n));
  if (n != size) return Status::corruption("change file is truncated");
  std::vector<std::string> changes;
  size_t pos = 0;
  while (pos < raw.size()) {
    if (raw.size() - pos < 4) return Status::corruption("change file is truncated inside a length");
    uint32_t n = static_cast<uint8_t>(raw[pos]) | static_cast<uint8_t>(raw[pos + 1]) << 8 |
                 static_cast<uint8_t>(raw[pos + 2]) << 16 | static_cast<uint32_t>(static_cast<uint8_t>(raw[pos + 3])) << 24;
    pos += 4;
    if (n == 0 || n > detail::kMaxChangeBytes || raw.size() - pos < n)
      return Status::corruption("change " + std::to_string(changes.size() + 1) + " has a bad length");
    changes.emplace_back(raw.substr(pos, n));
    pos += n;
  }
  return changes;
}

VersionVector versionVectorOf(const std::vector<std::string>& changes) {
  std::map<ActorId, std::vector<uint64_t>> seqs;
  for (const auto& c : changes) {
    auto d = detail::DecodedChange::decode(c);
    if (d) seqs[d->actor()].push_back(d->seq());
  }
  VersionVector vv;
  for (auto& [actor, list] : seqs) {
    std::sort(list.begin(), list.end());
    uint64_t upTo = 0;
    for (uint64_t s : list) {
      if (s == upTo + 1) upTo = s;
      else if (s > upTo + 1) break;
    }
    if (upTo > 0) vv[actor] = upTo;
  }
  return vv;
}

std::string versionVectorToJson(const VersionVector& vv) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [a, s] : vv) j[a.str()] = s;
  return j.dump() + "\n";
}

Result<VersionVector> versionVectorFromJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::invalidArgument("version vector must be a JSON object {\"DEVICE\": seq, ...}");
  VersionVector vv;
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto id = Id16::parse(it.key());
    if (!id) return Status::invalidArgument("'" + it.key() + "' is not a device id");
    if (!it.value().is_number_unsigned())
      return Status::invalidArgument("seq for " + it.key() + " must be a non-negative integer");
    vv[*id] = it.value().get<uint64_t>();
  }
  return vv;
}

}  // namespace ridealong::core
