# One Change = one user action: ops applied atomically, stamped by a hybrid
# logical clock, with the version vector its author had seen (deps). The same
# bytes are stored on disk, exported to files and (sealed) sent over the wire.
@0xb1c2d3e4f5a60718;

$import "/capnp/c++.capnp".namespace("ridealong::core::wire");

struct Change {
  actor @0 :Data;          # 16-byte device id of the author
  seq @1 :UInt64;          # 1, 2, 3, ... per actor, no gaps
  hlc @2 :UInt64;          # 48-bit wall ms << 16 | counter
  deps @3 :List(Dep);      # author's version vector at write time (other actors)
  records @4 :List(RecordOps);  # ops grouped by record, applied in order
  # Lowest reader format that understands every op here. Readers refuse
  # newer changes instead of silently dropping ops they do not know (for
  # example the text-sequence ops planned for long notes).
  minReader @5 :UInt16 = 1;
  # Links each device's changes into a hash chain: the low 32 bits of
  # XXH3-64 of this actor's change seq-1, exactly as its author held it (32
  # bits fit in the padding after minReader: no word added to each change); 0 for seq 1 and in changes written before the chain
  # existed (not checked). Two copies of one notebook that wrote different
  # changes under the same device id are told apart by it (a "fork"), and a
  # digest of one change vouches for every earlier one of its device.
  prev @6 :UInt32;
}

struct Dep {
  actor @0 :Data;
  seq @1 :UInt64;
}

# The ops of one change on one record: an optional create, then field sets.
# Grouping keeps the 16-byte id once per record instead of once per op.
struct RecordOps {
  record @0 :Data;         # 16-byte record id
  create @1 :Text;         # record type if this change creates the record
  sets @2 :List(FieldSet); # last-writer-wins registers, concurrent values kept
  # Later: textSplices @3 :List(TextSplice) with minReader = 2.
}

struct FieldSet {
  field @0 :Text;
  value :union {
    null @1 :Void;
    bool @2 :Bool;
    int @3 :Int64;
    float @4 :Float64;
    text @5 :Text;
  }
}

# A file of changes (`changes export`): magic "RIDECHG1", zstd frames
# (with checksum) holding [u32 little-endian length][Change] repeated, then a
# 16-byte BLAKE2b tag over everything before it.
