// What the fuzz driver (fuzz_test.cc) feeds mutated bytes to, each with the
// invariants checked after every input. Catch-free so a libFuzzer entry
// point could wrap the same targets; a broken invariant throws FuzzFailure.
//
// - RelayFuzzTarget: one in-process relay (real LMDB store, hub, server).
//   Each input is the whole client->relay byte stream of one connection
//   (kj::newTwoWayPipe). Seeds are recorded sessions (register, hello,
//   enrol, auth, have, push, pull, subscribe, digests; refused handshakes
//   and refused pushes); the relay's challenge is fixed and the devices'
//   secrets too, so recorded signatures stay valid. After each input: the connection is gone, no
//   session or subscription leaked, the store changed only through accepted
//   pushes, every stored change reached the subscribed well-behaved device,
//   and that device is still served.
// - TlsFuzzTarget: the same relay behind TLS (fuzz_tls_target.cc); each
//   input is one connection's client bytes, seeds a recorded ClientHello
//   and a whole recorded handshake with calls. After each: closed, no
//   session, the well-behaved TLS device still served.
// - ChangeFuzzTarget: core::readChangeHeader and Notebook::applyChanges on a
//   real notebook. Undecodable bytes are refused with Corruption and change
//   nothing; applying the same bytes again changes nothing.
// - SealedFuzzTarget: a wire::SealedChange message -> fromWire ->
//   SpaceKeys::open. Only an unaltered seed opens (no forgery; its digest
//   may be dropped, which means unknown, and prev is not sealed), and what
//   opens has a header naming its own actor and seq.
//
// Single-threaded; each target owns its event loop or notebook.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ridealong::testing {

struct FuzzFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RelayFuzzTarget {
 public:
  RelayFuzzTarget();
  ~RelayFuzzTarget();
  // Recorded client->relay streams; feeding seeds()[0] stores 3 changes.
  const std::vector<std::string>& seeds() const;
  void feed(std::string_view bytes);
  // Changes the relay holds in the seeds' space (for the seeds' self-check).
  uint64_t changesInSeedSpace();
  // How deep the inputs went: sessions opened, pushes accepted and refused.
  uint64_t sessionsOpened() const;
  std::string summary() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

class TlsFuzzTarget {
 public:
  TlsFuzzTarget();
  ~TlsFuzzTarget();
  const std::vector<std::string>& seeds() const;
  void feed(std::string_view bytes);
  std::string summary() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

class ChangeFuzzTarget {
 public:
  ChangeFuzzTarget();
  ~ChangeFuzzTarget();
  // Encoded changes of two devices: creates, sets of every value kind,
  // a delete, and changes with deps.
  const std::vector<std::string>& seeds() const;
  void feed(std::string_view bytes);
  uint64_t changesHeld();
  std::string summary() const;  // inputs accepted / refused

 private:
  struct State;
  std::unique_ptr<State> s_;
};

class SealedFuzzTarget {
 public:
  SealedFuzzTarget();
  ~SealedFuzzTarget();
  // Flat Cap'n Proto messages of wire::SealedChange, sealed seed changes.
  const std::vector<std::string>& seeds() const;
  // Returns whether the input opened (only unaltered seeds may).
  bool feed(std::string_view bytes);
  std::string summary() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace ridealong::testing
