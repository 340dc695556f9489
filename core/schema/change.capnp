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
  ops @4 :List(Op);
}

struct Dep {
  actor @0 :Data;
  seq @1 :UInt64;
}

struct Op {
  record @0 :Data;         # 16-byte record id
  union {
    create @1 :Text;       # record type: "rep", "session", ...
    set :group {           # last-writer-wins register, concurrent values kept
      field @2 :Text;
      value @3 :Value;
    }
    # Room for later kinds, e.g. text-sequence splices for long notes:
    # textSplice @4 :TextSplice;
  }
}

struct Value {
  union {
    null @0 :Void;
    bool @1 :Bool;
    int @2 :Int64;
    float @3 :Float64;
    text @4 :Text;
  }
}

# A file of changes (`changes export`): magic "RIDECHG1", then one zstd frame
# (with checksum) holding [u32 little-endian length][packed Change] repeated.
