// `hone bench run`: run a Google Benchmark executable with repetitions and store every repetition,
// plus the machine it ran on, in the baseline store (default .hone/bench/NAME.json).
//
// The stored file is Google Benchmark's own JSON with one extra top-level "hone" object, so any tool
// that reads Google Benchmark output can still read it. It is written to a temporary file and
// renamed, so an interrupted or failed run never leaves a half-written or mixed baseline behind.
#pragma once

#include <string>
#include <vector>

namespace hone::bench {

struct RunOptions {
  std::string name;  // empty: the executable's file name
  int repetitions = 10;
  std::string store = ".hone/bench";
  std::vector<std::string> command;  // executable and its own arguments
};

// Returns the exit code for `hone bench run` (0 stored, 1 the benchmark failed, 2 bad input) after
// printing messages; `stored_path` receives the file written.
int run_and_store(const RunOptions& options, std::string& stored_path);

// Where a stored name lives in a store folder.
std::string stored_path_for(const std::string& store, const std::string& name);

// True when NAME can be a stored name (letters, digits, '.', '_', '-', not starting with '.').
bool valid_store_name(const std::string& name);

}  // namespace hone::bench
