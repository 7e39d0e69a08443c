// Finding GCC's profile tools (gcov-tool, gcov) for a given gcc: one rule, used by `hone pgo` to merge
// and read .gcda files and by `hone doctor` to say beforehand whether it can. A .gcda file carries the
// format version of the GCC release that wrote it, and another release's gcov-tool refuses or misreads
// it, so the tool must come from the compiler's own release. The rule, first match of that release wins:
//   1. beside the compiler, under the compiler's own name with gcc/g++/cc replaced (x86_64-linux-gnu-gcc-12
//      -> x86_64-linux-gnu-gcov-tool-12), which keeps a cross or versioned prefix and suffix;
//   2. <name>-<major> beside the compiler;
//   3. <name>-<major>, then <name>, on PATH.
// A candidate of another release is skipped but remembered, so a message can say which one disagrees.
// On Debian the tools come with the compiler: gcov-tool-12 is in the package gcc-12.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hone::support {

struct GccToolLookup {
  std::string path;                    // the tool of the compiler's release, "" when none
  std::string version;                 // its version ("12.2.0")
  std::vector<std::string> looked_at;  // every candidate tried, in order, for messages
  std::string other_release_path;      // the first candidate of another release, "" when none
  std::string other_release_version;   // its version ("" when it printed none)
};

// "12.2.0" from a GNU tool's --version text (gcc, g++, gcov, gcov-tool): the word after the package's
// ")" on the first line, else its last word; "" when there is none.
std::string parse_gnu_version(std::string_view version_text);

// Applies the rule for the tool `name` ("gcov-tool") and the compiler at `compiler` (a path), whose GCC
// major version is `major`. Runs each candidate's --version.
GccToolLookup find_gcc_tool(std::string_view name, const std::string& compiler, int major);

// The Debian package that installs GCC `major`'s tools ("gcc-12").
std::string gcc_tools_package(int major);

}  // namespace hone::support
