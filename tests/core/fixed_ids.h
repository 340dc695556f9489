// Readable fixed ids for core unit tests: actorN(3) is 16 bytes of 3s,
// recordN(3) is 01 00 .. 00 03 (ordered by n).
#pragma once

#include <cstdint>

#include "ridealong/core/ids.h"

namespace ridealong::core::fixed_ids {

inline ActorId actorN(uint8_t n) {
  ActorId a;
  a.bytes.fill(n);
  return a;
}

inline RecordId recordN(uint8_t n) {
  RecordId r;
  r.bytes[0] = 1;
  r.bytes[15] = n;
  return r;
}

}  // namespace ridealong::core::fixed_ids
