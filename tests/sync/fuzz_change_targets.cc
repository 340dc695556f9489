// ChangeFuzzTarget and SealedFuzzTarget: change decoding and applying, and
// opening sealed changes, on real notebooks in temporary directories.
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "fuzz_targets.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/testing.h"
#include "ridealong/sync/space.h"
#include "ridealong/sync/wire.h"
#include "temp_dir.h"

namespace ridealong::testing {
namespace {

constexpr int64_t kNowMs = 1767225600000;  // 2026-01-01

// A fixed clock and seeded randomness: the same seed changes every run.
class SeededEnv final : public platform::Env {
 public:
  explicit SeededEnv(uint64_t seed) : rng_(seed) {}
  platform::Clock& clock() override { return clock_; }
  platform::FileSystem& fs() override { return platform::realEnv().fs(); }
  void randomBytes(void* out, size_t n) override {
    auto* p = static_cast<uint8_t*>(out);
    for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(rng_());
  }

 private:
  platform::FakeClock clock_{kNowMs};
  std::mt19937_64 rng_;
};

std::unique_ptr<core::Notebook> openNotebook(platform::Env& env, const std::string& dir) {
  core::NotebookOptions o;
  o.create = true;
  o.durable = false;  // speed; durability is not what is fuzzed
  auto nb = core::Notebook::open(env, dir, o);
  if (!nb) throw FuzzFailure("cannot open a notebook: " + nb.status().toString());
  return std::move(nb).value();
}

// A read of the notebook under test; one that fails is a finding (a store
// that cannot be read), never an empty answer.
template <typename T>
T readOk(Result<T> r, const char* what) {
  if (!r) throw FuzzFailure(std::string("reading ") + what + " failed: " + r.status().toString());
  return std::move(r).value();
}

void commit(core::Notebook& nb, const core::ChangeBuilder& b) {
  if (auto r = nb.commit(b); !r) throw FuzzFailure("seed commit failed: " + r.status().toString());
}

// Changes of two devices covering every op and value kind, some with deps.
std::vector<std::string> makeChangeSeeds(const TempDir& tmp) {
  SeededEnv envA(1), envB(2);
  auto a = openNotebook(envA, tmp.sub("seed-a"));
  auto b = openNotebook(envB, tmp.sub("seed-b"));
  auto rep = a->newId(), obs = a->newId();
  core::ChangeBuilder c1;
  c1.create(rep, "rep", {{"name", core::Value("Ana Müller — 東京")}, {"team", core::Value("North")}});
  commit(*a, c1);
  core::ChangeBuilder c2;
  c2.create(obs, "observation",
            {{"rep", core::Value(rep.str())},
             {"rating", core::Value(int64_t{4})},
             {"score", core::Value(0.75)},
             {"done", core::Value(true)},
             {"note", core::Value(nullptr)},
             {"text", core::Value("asked about the timeline")}});
  commit(*a, c2);
  core::ChangeBuilder c3;
  c3.set(rep, "team", core::Value("South"));
  c3.remove(obs);
  commit(*a, c3);
  auto fromA = a->changesSince({});
  if (!fromA || !b->applyChanges(*fromA)) throw FuzzFailure("seed sync failed");
  core::ChangeBuilder c4;  // concurrent edit with deps on A's changes
  c4.set(rep, "team", core::Value("East"));
  c4.restore(obs);
  commit(*b, c4);
  auto all = b->changesSince({});
  if (!all || all->size() != 4) throw FuzzFailure("seed changes missing");
  return *all;
}

uint64_t totalChanges(const core::VersionVector& vv) {
  uint64_t n = 0;
  for (const auto& [a, s] : vv) n += s;
  return n;
}

}  // namespace

struct ChangeFuzzTarget::State {
  State() : seeds(makeChangeSeeds(tmp)), env(3), nb(openNotebook(env, tmp.sub("target"))) {}

  void feed(std::string_view bytes) {
    auto header = core::readChangeHeader(bytes);
    auto vvBefore = readOk(nb->versionVector(), "the version vector");
    auto statsBefore = readOk(nb->stats(), "the stats");
    std::vector<std::string> batch{std::string(bytes)};
    auto applied = nb->applyChanges(batch);
    if (!header) {
      if (!header.status().isCorruption() || header.status().message().empty())
        throw FuzzFailure("undecodable change without a Corruption status: " + header.status().toString());
      if (applied) throw FuzzFailure("applyChanges took a change readChangeHeader refused");
    }
    if (!applied) {
      ++refused;
      if (applied.status().message().empty()) throw FuzzFailure("refused without a reason");
      auto stats = readOk(nb->stats(), "the stats");
      auto vv = readOk(nb->versionVector(), "the version vector");
      if (vv != vvBefore || stats.changes != statsBefore.changes || stats.pending != statsBefore.pending ||
          stats.records != statsBefore.records)
        throw FuzzFailure("a refused change altered the store: " + applied.status().toString());
      return;
    }
    // The same bytes again change nothing.
    auto vvAfter = readOk(nb->versionVector(), "the version vector");
    auto statsAfter = readOk(nb->stats(), "the stats");
    auto again = nb->applyChanges(batch);
    if (!again) throw FuzzFailure("re-applying an accepted change failed: " + again.status().toString());
    auto statsAgain = readOk(nb->stats(), "the stats");
    if (again->applied != 0 || readOk(nb->versionVector(), "the version vector") != vvAfter ||
        statsAgain.changes != statsAfter.changes || statsAgain.records != statsAfter.records)
      throw FuzzFailure("re-applying an accepted change changed the store");
    if (totalChanges(vvAfter) < totalChanges(vvBefore)) throw FuzzFailure("the version vector went backwards");
    if (++accepted % 16 == 0) readOk(nb->dump(), "the dump");  // walks every record and conflict
  }

  TempDir tmp;
  std::vector<std::string> seeds;
  SeededEnv env;
  std::unique_ptr<core::Notebook> nb;
  uint64_t accepted = 0, refused = 0;
};

ChangeFuzzTarget::ChangeFuzzTarget() : s_(std::make_unique<State>()) {}
ChangeFuzzTarget::~ChangeFuzzTarget() = default;
const std::vector<std::string>& ChangeFuzzTarget::seeds() const { return s_->seeds; }
void ChangeFuzzTarget::feed(std::string_view bytes) { s_->feed(bytes); }
uint64_t ChangeFuzzTarget::changesHeld() { return readOk(s_->nb->stats(), "the stats").changes; }
std::string ChangeFuzzTarget::summary() const {
  auto stats = readOk(s_->nb->stats(), "the stats");
  return "accepted " + std::to_string(s_->accepted) + ", refused " + std::to_string(s_->refused) + ", held " +
         std::to_string(stats.changes) + " changes, " + std::to_string(stats.pending) + " pending";
}

struct SealedFuzzTarget::State {
  State() {
    sync::SpaceSecret secret;
    secret.fill(9);
    keys.emplace(sync::SpaceKeys::derive(core::Id16::fromBytes(std::string(16, 'q').data()), secret));
    for (const auto& change : makeChangeSeeds(tmp)) {
      auto header = core::readChangeHeader(change);
      if (!header) throw FuzzFailure("seed change does not decode");
      sealed.push_back(keys->seal(header->actor, header->seq, change));
      capnp::MallocMessageBuilder message;
      sync::toWire(sealed.back(), message.initRoot<sync::wire::SealedChange>());
      auto words = capnp::messageToFlatArray(message);
      seeds.emplace_back(words.asChars().begin(), words.asChars().size());
    }
  }

  bool feed(std::string_view bytes) {
    // Cap'n Proto reads whole words; a ragged tail is cut like a short read.
    auto words = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
    std::memcpy(words.begin(), bytes.data(), words.size() * sizeof(capnp::word));
    sync::WireLimits limits;
    kj::Maybe<sync::SealedChange> parsed;
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&]() {
                   capnp::FlatArrayMessageReader reader(words, limits.readerOptions());
                   auto r = sync::fromWire(reader.getRoot<sync::wire::SealedChange>(), limits);
                   if (r) parsed = std::move(*r);
                 })) {
      return false;  // refused by Cap'n Proto's bounds checks: a clear exception
    }
    KJ_IF_MAYBE (c, parsed) {
      ++parsedCount;
      auto plain = keys->open(*c);
      if (!plain) {
        if (plain.status().message().empty()) throw FuzzFailure("refused without a reason");
        return false;
      }
      // What open vouches for: the sealed bytes under their (actor, seq), and
      // the digest when one is given (empty: unknown, as from a version 1
      // relay). prev is the pusher's claim for the relay, not sealed.
      auto same = [&](const sync::SealedChange& s) {
        return s.actor == c->actor && s.seq == c->seq && s.nonce == c->nonce && s.ciphertext == c->ciphertext &&
               (c->digest.empty() || c->digest == s.digest);
      };
      if (std::find_if(sealed.begin(), sealed.end(), same) == sealed.end())
        throw FuzzFailure("an altered sealed change opened (forgery)");
      auto header = core::readChangeHeader(*plain);
      if (!header || header->actor != c->actor || header->seq != c->seq)
        throw FuzzFailure("an opened change names another author or seq");
      ++opened;
      return true;
    }
    return false;
  }

  TempDir tmp;
  std::optional<sync::SpaceKeys> keys;
  std::vector<sync::SealedChange> sealed;
  std::vector<std::string> seeds;
  uint64_t parsedCount = 0, opened = 0;
};

SealedFuzzTarget::SealedFuzzTarget() : s_(std::make_unique<State>()) {}
SealedFuzzTarget::~SealedFuzzTarget() = default;
const std::vector<std::string>& SealedFuzzTarget::seeds() const { return s_->seeds; }
bool SealedFuzzTarget::feed(std::string_view bytes) { return s_->feed(bytes); }
std::string SealedFuzzTarget::summary() const {
  return "well-formed " + std::to_string(s_->parsedCount) + ", opened " + std::to_string(s_->opened);
}

}  // namespace ridealong::testing
