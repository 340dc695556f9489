// apply + size: replica A imports the workload (one change per line) and
// exports its change stream; a fresh replica B reads that file, decodes it
// and applies every change durably. The figure is B's whole time.
#include <fmt/core.h>

#include "benches.h"
#include "ridealong/core/change_stream.h"
#include "ridealong/core/import.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"

namespace ridealong::bench {

using namespace ridealong::core;

std::unique_ptr<Notebook> openFreshNotebook(const std::string& dir) {
  NotebookOptions o;
  o.create = true;
  auto nb = Notebook::open(platform::realEnv(), dir, o);
  if (!nb) throw std::runtime_error(nb.status().toString());
  return std::move(nb).value();
}

std::unique_ptr<Notebook> importWorkload(const Options& o, const std::string& dir) {
  auto text = platform::realEnv().fs().readFile(o.workload);
  if (!text) throw std::runtime_error(text.status().toString());
  auto nb = openFreshNotebook(dir);
  auto imp = importJsonl(*nb, *text, o.workload);
  if (!imp) throw std::runtime_error(imp.status().toString());
  return nb;
}

double timeLocalApply(const std::string& changeFile, const std::string& dir, std::string* dump) {
  auto& fs = platform::realEnv().fs();
  auto b = openFreshNotebook(dir);
  double t0 = nowMs();
  auto bytes = fs.readFile(changeFile);
  if (!bytes) throw std::runtime_error(bytes.status().toString());
  auto decoded = decodeChangeStream(*bytes);
  if (!decoded) throw std::runtime_error(decoded.status().toString());
  auto rep = b->applyChanges(*decoded);
  double t1 = nowMs();
  if (!rep) throw std::runtime_error(rep.status().toString());
  if (dump) *dump = orThrow(b->dump());
  return t1 - t0;
}

std::vector<Figure> benchApply(const Options& o) {
  auto& fs = platform::realEnv().fs();
  ScratchDir scratch(o.dir);
  auto a = importWorkload(o, scratch.path() + "/a");
  auto changes = a->changesSince({});
  if (!changes) throw std::runtime_error(changes.status().toString());
  std::string stream = encodeChangeStream(*changes);
  std::string file = scratch.path() + "/changes.rdl";
  if (auto st = fs.writeFileAtomic(file, stream); !st) throw std::runtime_error(st.toString());
  fmt::print("apply: {} changes from {}, stream {} bytes\n", changes->size(), o.workload, stream.size());

  std::vector<double> times;
  std::string dumpA = orThrow(a->dump()), dumpB;
  for (int run = 0; run < o.runs; run++) {
    double ms = timeLocalApply(file, scratch.path() + "/b" + std::to_string(run), run == 0 ? &dumpB : nullptr);
    times.push_back(ms);
    fmt::print("  run {}: {:.1f} ms\n", run + 1, ms);
  }
  if (dumpA != dumpB) throw std::runtime_error("replica B's dump differs from A's after apply");
  std::vector<Figure> f;
  f.push_back({"apply (median of runs)", fmt::format("{:.1f} ms", percentile(times, 50)), "<= 125 ms"});
  f.push_back({"apply (best run)", fmt::format("{:.1f} ms", percentile(times, 0)), ""});
  f.push_back({"change stream size", fmt::format("{} bytes", stream.size()), "<= 1,700,000 bytes"});
  printFigures("Apply and size", f);
  return f;
}

}  // namespace ridealong::bench
