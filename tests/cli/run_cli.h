// Runs the real ridealong-cli binary as a subprocess for the CLI tests and
// captures what it printed and how it exited.
#pragma once

#include <string>
#include <vector>

#include "run_process.h"

namespace ridealong::testing {

using CliRun = ProcessRun;

// Runs RIDEALONG_CLI_PATH with `args` (stdin is /dev/null).
CliRun runCliRaw(const std::vector<std::string>& args);
// The same with "--data DIR" put first.
CliRun runCli(const std::string& dataDir, const std::vector<std::string>& args);

// Small file helpers for inputs and outputs of the commands.
void writeTextFile(const std::string& path, const std::string& content);
std::string readTextFile(const std::string& path);

// The first line of `text` without its newline (ids printed by commands).
std::string firstLine(const std::string& text);

// Runs a command that must succeed (a failed Catch2 REQUIRE names the
// command and its stderr) and returns its stdout.
std::string mustRun(const std::string& dataDir, const std::vector<std::string>& args);

}  // namespace ridealong::testing
