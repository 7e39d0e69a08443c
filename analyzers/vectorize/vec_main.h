// Entry point of `hone-analyze vec` (what `hone vec` runs): the loops the compiler did not vectorize,
// why, and — with --try-fixes — whether the suggested change makes it vectorize them.
#pragma once

#include <string>
#include <vector>

namespace hone::vec {

// `args` are the arguments after "vec"; returns the process exit code (0 ok, 1 findings with
// --fail-on, 2 bad usage or input, 3 partial: some TUs did not compile).
int vec_main(const std::vector<std::string>& args);

}  // namespace hone::vec
