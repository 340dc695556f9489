// The change-file format used by `changes export` / `changes apply` and by
// benchmarks: magic "RIDECHG1", then zstd frames (content size and checksum
// on; up to 16 MiB raw each, so readers can decompress several in parallel)
// holding [u32 little-endian length][encoded Change] repeated, then a 16-byte
// BLAKE2b tag of everything before it. Truncated or bit-flipped files fail to
// decode with a clear error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/platform/status.h"

namespace ridealong::core {

std::string encodeChangeStream(const std::vector<std::string>& changes);
Result<std::vector<std::string>> decodeChangeStream(std::string_view bytes);

// Highest contiguous seq per actor found in a change stream; used by
// `changes export --since FILE` with a previously exported file.
VersionVector versionVectorOf(const std::vector<std::string>& changes);

// Version vector <-> JSON text {"<actor base32>": seq, ...}.
std::string versionVectorToJson(const VersionVector& vv);
Result<VersionVector> versionVectorFromJson(std::string_view json);

}  // namespace ridealong::core
