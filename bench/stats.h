// Small helpers shared by the benchmarks: timing, percentiles, scratch dirs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ridealong::bench {

inline double nowMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// Percentile (0..100) of samples, nearest-rank.
double percentile(std::vector<double> samples, double p);

// A fresh directory under `parent` (or $TMPDIR), removed on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& parent);
  ~ScratchDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Figure {
  std::string name, value, target;
};

void printFigures(const std::string& title, const std::vector<Figure>& figures);

}  // namespace ridealong::bench
