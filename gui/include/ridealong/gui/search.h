// Search over reps (name, team, territory), sessions (customer, objective,
// outcome, notes), observation text and action items. It reads every record of those types,
// so it runs on a worker thread: the GUI asks, keeps drawing, and picks the
// results up when they are ready. A newer query supersedes an older one.
#pragma once

#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "ridealong/core/notebook.h"

namespace ridealong::gui {

struct SearchHit {
  core::RecordId id;
  std::string type;   // rep | session | observation | action
  std::string title;  // what matched, shortened
  std::optional<core::RecordId> rep;
  std::optional<core::RecordId> session;
  int64_t timeMs = 0;
};

// The search itself (synchronous): case-insensitive substring, newest first,
// at most `limit` hits. An empty query finds nothing; a failed read is an
// error, not "no hits".
Result<std::vector<SearchHit>> searchNotebook(core::Notebook& nb, const std::string& query, size_t limit);

class Searcher {
 public:
  explicit Searcher(core::Notebook& nb) : nb_(nb) {}
  ~Searcher();
  // Starts a search for `query` (no-op if it is the current one and the
  // store has not changed since).
  void request(const std::string& query, uint64_t generation);
  // Takes finished results; true when the results (or the error) changed.
  bool poll();
  bool busy() const { return running_.valid(); }
  const std::string& query() const { return query_; }
  const std::vector<SearchHit>& results() const { return results_; }
  // Why the last search found nothing because it could not read the store
  // ("" when it worked).
  const std::string& error() const { return error_; }

 private:
  void launch();
  core::Notebook& nb_;
  std::string query_, runningQuery_;
  uint64_t generation_ = 0, runningGeneration_ = 0;
  bool stale_ = false;
  std::future<Result<std::vector<SearchHit>>> running_;
  std::vector<SearchHit> results_;
  std::string error_;
};

}  // namespace ridealong::gui
