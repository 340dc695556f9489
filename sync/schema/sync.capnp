# The device <-> relay sync protocol (Cap'n Proto RPC, two-party over TCP).
# Capability style: a connection gets a SyncSession only after proving, by
# signing a fresh challenge, that it holds the space's auth key. The relay
# sees only SealedChanges: who wrote which seq, never what it says.
@0xb2e84e9268fec5e0;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("ridealong::sync::wire");

# Bumped on any incompatible change; hello refuses a different version.
const protocolVersion :UInt32 = 1;

# One change, encrypted end to end (XChaCha20-Poly1305, associated data =
# space ‖ actor ‖ seq, so the relay cannot swap or replay blobs).
struct SealedChange {
  actor @0 :Data;        # 16-byte device id
  seq @1 :UInt64;        # 1, 2, 3... per actor, no gaps
  nonce @2 :Data;        # 24 random bytes
  ciphertext @3 :Data;   # sealed core Change bytes + 16-byte tag
}

# actor -> last contiguous seq held.
struct VersionVector {
  entries @0 :List(Entry);
  struct Entry {
    actor @0 :Data;
    seq @1 :UInt64;
  }
}

# The bootstrap capability; one per connection (it holds the hello state).
interface Relay {
  # Records a space's Ed25519 auth public key. The first registration wins;
  # the same key again is a no-op; another key for a known space is refused.
  register @0 (space :Data, authPublicKey :Data) -> ();

  # Starts authentication. A protocolVersion other than the relay's is
  # refused with an error naming both versions; the relay also returns its
  # own so a client can say which side is out of date.
  hello @1 (space :Data, device :Data, protocolVersion :UInt32)
        -> (challenge :Data, protocolVersion :UInt32);

  # signature = Ed25519(challenge ‖ space ‖ device) with the space auth key.
  # Each challenge is good for one attempt.
  auth @2 (signature :Data) -> (session :SyncSession);
}

interface SyncSession {
  # What the relay holds for this space.
  have @0 () -> (vv :VersionVector);

  # Stores changes in one transaction: seqs must continue each actor's log
  # (a gap is refused), exact duplicates are ignored, and the same actor+seq
  # with other bytes is refused. Returns the relay's vv afterwards.
  push @1 (changes :List(SealedChange)) -> (vv :VersionVector);

  # Changes the holder of `since` lacks, at most about maxBytes (always at
  # least one if any); `more` when another page is waiting.
  pull @2 (since :VersionVector, maxBytes :UInt32)
       -> (changes :List(SealedChange), more :Bool);

  # Live delivery: the relay calls listener.changes for each push made by
  # another connection of this space, until the handle is dropped.
  subscribe @3 (listener :Listener) -> (handle :Handle);
}

interface Listener {
  changes @0 (changes :List(SealedChange)) -> ();
}

# Dropping it ends the subscription.
interface Handle {}
