# The device <-> relay sync protocol (Cap'n Proto RPC, two-party over TLS 1.3
# on TCP; sync/include/ridealong/sync/tls.h).
# Capability style: a connection gets a SyncSession only after proving, by
# signing a fresh challenge, that it holds its device key, which a holder of
# the space secret enrolled in the space. The relay sees only SealedChanges:
# who wrote which seq and a keyed digest of it, never what it says.
@0xb2e84e9268fec5e0;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("ridealong::sync::wire");

# Bumped on any incompatible change; hello refuses a different version.
# 2: device keys (enrol, auth by the device), change digests, prev, digests().
# 3: TLS; auth bound to the TLS channel; sign-up tokens on register.
const protocolVersion :UInt32 = 3;

# One change, encrypted end to end (XChaCha20-Poly1305, associated data =
# space ‖ actor ‖ seq, so the relay cannot swap or replay blobs).
struct SealedChange {
  actor @0 :Data;        # 16-byte device id
  seq @1 :UInt64;        # 1, 2, 3... per actor, no gaps
  nonce @2 :Data;        # 24 random bytes
  ciphertext @3 :Data;   # sealed core Change bytes + 16-byte tag
  # Keyed BLAKE2b-128 of the plaintext change (key: crypto_kdf subkey 3 of
  # the space secret). Set by the sealer, stored by the relay, returned on
  # pull and in fan-out; empty for a change stored by a version 1 relay.
  # Two copies of one change have the same digest whatever their nonces.
  digest @4 :Data;
  # Push only: the digest of the same actor's change seq-1 as the pusher
  # holds it (empty for seq 1). The relay refuses a change that does not
  # follow the one it holds ("fork:").
  prev @5 :Data;
}

# actor -> last contiguous seq held.
struct VersionVector {
  entries @0 :List(Entry);
  struct Entry {
    actor @0 :Data;
    seq @1 :UInt64;
    # Only SyncSession.have fills it: the digest of the change at `seq`
    # (empty when the relay does not know it).
    digest @2 :Data;
  }
}

# The bootstrap capability; one per connection (it holds the hello state).
interface Relay {
  # Records a space's Ed25519 auth public key. The first registration wins;
  # the same key again is a no-op; another key for a known space is refused.
  # A new space needs a sign-up token the relay's operator made (`ridealong-
  # relay token create`) unless the relay runs with --open-signup; each new
  # space uses one of the token's spaces. Re-registering uses none.
  register @0 (space :Data, authPublicKey :Data, token :Text) -> ();

  # Starts authentication. A protocolVersion other than the relay's is
  # refused with an error naming both versions; the relay also returns its
  # own so a client can say which side is out of date. `enrolled`: whether
  # this device id has a device key on this relay for this space.
  hello @1 (space :Data, device :Data, protocolVersion :UInt32)
        -> (challenge :Data, protocolVersion :UInt32, enrolled :Bool);

  # signature = Ed25519(challenge ‖ space ‖ device ‖ binding) with the
  # DEVICE key enrolled for (space, device), where binding is the 32-byte
  # TLS exporter value (label "EXPORTER-ridealong-sign-in") of this
  # connection. Each challenge is good for one attempt.
  auth @2 (signature :Data) -> (session :SyncSession);

  # Binds a device id to its Ed25519 public key (32 bytes) in a space.
  # signature = Ed25519("ridealong enrol v1" ‖ space ‖ device ‖ deviceKey)
  # with the space auth key: only a holder of the space secret enrols. The
  # first binding wins; the same key again is a no-op; another key for an
  # enrolled device is refused. Allowed before auth.
  enrol @3 (space :Data, device :Data, deviceKey :Data, signature :Data) -> ();
}

interface SyncSession {
  # What the relay holds for this space.
  have @0 () -> (vv :VersionVector);

  # Stores changes in one transaction, all or nothing. Every change must be
  # the session's own device's. Seqs must continue each actor's log (a gap
  # is refused); a change already held with the same digest is a duplicate
  # (ignored), with another digest it is refused; a new change whose prev
  # is not the digest of the change before it held here is refused
  # ("fork:"). Returns the relay's vv entries of the pushed actors
  # afterwards (without digests; version 2 returned the whole vv).
  push @1 (changes :List(SealedChange)) -> (vv :VersionVector);

  # Changes the holder of `since` lacks, at most about maxBytes (always at
  # least one if any); `more` when another page is waiting.
  pull @2 (since :VersionVector, maxBytes :UInt32)
       -> (changes :List(SealedChange), more :Bool);

  # Live delivery: the relay calls listener.changes for each push made by
  # another connection of this space, until the handle is dropped.
  subscribe @3 (listener :Listener) -> (handle :Handle);

  # The stored digest of `actor`'s change at each of `seqs`, in order: empty
  # when the relay does not hold it or stored it without a digest (version
  # 1). At most 4096 seqs per call.
  digests @4 (actor :Data, seqs :List(UInt64)) -> (digests :List(Data));
}

interface Listener {
  changes @0 (changes :List(SealedChange)) -> ();
}

# Dropping it ends the subscription.
interface Handle {}
