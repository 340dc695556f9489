#include "ridealong/core/change_stream.h"

#include <sodium.h>
#include <zstd.h>

#include <nlohmann/json.hpp>
#include <cstring>
#include <memory>
#include <thread>

#include "change_codec.h"

namespace ridealong::core {

namespace {
constexpr char kMagic[] = "RIDECHG1";
constexpr size_t kMagicLen = 8;
constexpr size_t kMaxStreamBytes = size_t{4} << 30;  // decompressed, per frame
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

namespace {

// Frames of about this much raw data: small enough that a reader can
// decompress several in parallel, large enough to compress well.
constexpr size_t kFrameRawBytes = size_t{1} << 20;

void appendFrame(ZSTD_CCtx* cctx, const std::string& raw, std::string* out) {
  size_t at = out->size();
  out->resize(at + ZSTD_compressBound(raw.size()));
  size_t n = ZSTD_compress2(cctx, out->data() + at, out->size() - at, raw.data(), raw.size());
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out->resize(at + n);
}

// Decompresses one frame and splits it into changes.
Status decodeFrame(std::string_view frame, std::vector<std::string>* changes) {
  unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
    return Status::corruption("change file has a frame without a valid size header");
  if (size > kMaxStreamBytes) return Status::corruption("change file claims more than 4 GiB of changes");
  // The declared size is only an allocation bound; zstd checks the real
  // size and the content checksum.
  // Not zero-filled first: zstd writes every byte it reports.
  std::unique_ptr<char[]> buf(new char[size]);
  std::string_view raw(buf.get(), size);
  size_t n = ZSTD_decompress(buf.get(), size, frame.data(), frame.size());
  if (ZSTD_isError(n)) return Status::corruption(std::string("change file is damaged: ") + ZSTD_getErrorName(n));
  if (n != size) return Status::corruption("change file is truncated");
  size_t pos = 0;
  while (pos < raw.size()) {
    if (raw.size() - pos < 4) return Status::corruption("change file is truncated inside a length");
    uint32_t len = static_cast<uint8_t>(raw[pos]) | static_cast<uint8_t>(raw[pos + 1]) << 8 |
                   static_cast<uint8_t>(raw[pos + 2]) << 16 |
                   static_cast<uint32_t>(static_cast<uint8_t>(raw[pos + 3])) << 24;
    pos += 4;
    if (len == 0 || len > detail::kMaxChangeBytes || raw.size() - pos < len)
      return Status::corruption("a change in the file has a bad length");
    changes->emplace_back(raw.data() + pos, len);
    pos += len;
  }
  return Status::ok();
}

}  // namespace

std::string encodeChangeStream(const std::vector<std::string>& changes) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kLevel);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(kMagic, kMagicLen);
  std::string raw;
  auto flush = [&] {
    if (!raw.empty()) appendFrame(cctx, raw, &out);
    raw.clear();
  };
  for (const auto& c : changes) {
    uint32_t n = static_cast<uint32_t>(c.size());
    char len[4] = {static_cast<char>(n), static_cast<char>(n >> 8), static_cast<char>(n >> 16),
                   static_cast<char>(n >> 24)};
    raw.append(len, 4);
    raw.append(c);
    if (raw.size() >= kFrameRawBytes) flush();
  }
  flush();
  ZSTD_freeCCtx(cctx);
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
  std::vector<std::string_view> frames;
  while (!bytes.empty()) {
    size_t n = ZSTD_findFrameCompressedSize(bytes.data(), bytes.size());
    if (ZSTD_isError(n))
      return Status::corruption(std::string("change file is damaged or truncated: ") + ZSTD_getErrorName(n));
    frames.push_back(bytes.substr(0, n));
    bytes.remove_prefix(n);
  }
  // Frames decompress independently: two threads take alternate frames.
  std::vector<std::vector<std::string>> parts(frames.size());
  std::vector<Status> results(frames.size());
  auto work = [&](size_t first) {
    for (size_t i = first; i < frames.size(); i += 2) results[i] = decodeFrame(frames[i], &parts[i]);
  };
  std::jthread helper;  // joined however this scope ends
  if (frames.size() > 1) helper = std::jthread(work, 1);
  work(0);
  if (helper.joinable()) helper.join();
  std::vector<std::string> changes;
  size_t total = 0;
  for (size_t i = 0; i < frames.size(); i++) {
    RIDEALONG_RETURN_IF_ERROR(results[i]);
    total += parts[i].size();
  }
  changes.reserve(total);
  for (auto& p : parts)
    for (auto& c : p) changes.push_back(std::move(c));
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
