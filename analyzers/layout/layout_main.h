// Entry point of `hone-analyze layout` (what `hone layout` runs): record layouts, padding and the
// minimum-size field order across the TUs of a compilation database.
#pragma once

#include <string>
#include <vector>

namespace hone::layout {

// `args` are the arguments after "layout"; returns the process exit code (0 ok, 1 findings with
// --fail-on, 2 bad usage or input, 3 partial: some TUs did not parse).
int layout_main(const std::vector<std::string>& args);

}  // namespace hone::layout
