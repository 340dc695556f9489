// The CLI tests' way to run ridealong-cli (support/run_process.h).
#include "run_cli.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ridealong::testing {

CliRun runCliRaw(const std::vector<std::string>& args) {
  std::vector<std::string> all = {RIDEALONG_CLI_PATH};
  all.insert(all.end(), args.begin(), args.end());
  return runProcess(all);
}

CliRun runCli(const std::string& dataDir, const std::vector<std::string>& args) {
  std::vector<std::string> all = {"--data", dataDir};
  all.insert(all.end(), args.begin(), args.end());
  return runCliRaw(all);
}

void writeTextFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << content;
  if (!f) throw std::runtime_error("cannot write " + path);
}

std::string readTextFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string mustRun(const std::string& dataDir, const std::vector<std::string>& args) {
  CliRun r = runCli(dataDir, args);
  INFO("command: " << (args.empty() ? std::string() : args.front()) << "; stderr: " << r.err);
  REQUIRE(r.code == 0);
  return r.out;
}

}  // namespace ridealong::testing
