// Deterministic benchmark-shaped workloads generated in the test itself, so a
// plain clone of the repository runs every test (the team's shared benchmark
// folder is for benchmarks only). Same shape as its gen_workload.py w1: one
// JSON line per new observation, {"op":"create","record":ID,"type":"observation",
// "fields":{rep, session, skill, kind, text, rating, at, device, shared,
// followup}}. Not byte-identical to the Python generator (another RNG).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ridealong::testing {

// `n` lines of the w1 workload, each ending in '\n'.
std::vector<std::string> w1Lines(size_t n, uint32_t seed = 1);
// The same lines joined into one file's text.
std::string w1Jsonl(size_t n, uint32_t seed = 1);

}  // namespace ridealong::testing
