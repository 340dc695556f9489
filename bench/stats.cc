#include "stats.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace ridealong::bench {

double percentile(std::vector<double> s, double p) {
  if (s.empty()) return 0;
  std::sort(s.begin(), s.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * s.size()));
  return s[std::min(s.size() - 1, rank == 0 ? 0 : rank - 1)];
}

ScratchDir::ScratchDir(const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* t = std::getenv("TMPDIR");
    base = t && *t ? t : "/tmp";
  }
  std::filesystem::create_directories(base);
  std::string templ = base + "/ridealong-bench-XXXXXX";
  if (!::mkdtemp(templ.data())) throw std::runtime_error("cannot create a scratch dir in " + base);
  path_ = templ;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void printFigures(const std::string& title, const std::vector<Figure>& figures) {
  fmt::print("\n{}\n", title);
  for (const auto& f : figures) fmt::print("  {:<34} {:>14}   target {}\n", f.name, f.value, f.target);
}

}  // namespace ridealong::bench
