// `hone pgo init`: a starter hone.yaml for a project hone has never seen. init_detect.cpp finds out what
// the project is (its build system, the executables it produces, the compiler the user builds with) by
// asking the build system itself where one can answer without touching the source tree; init.cpp turns
// that into a commented hone.yaml whose only gaps are the workloads, which only the user can know.
// The parsers of the build systems' answers are separate functions so the units can feed them text.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hone::pgo {

enum class ProjectKind { cmake, meson, autotools, make };
std::string to_string(ProjectKind kind);

// One executable the project builds.
struct Executable {
  std::string name;
  std::string path;            // relative to the build folder hone.yaml's `binaries` are relative to
  bool likely_product = true;  // false: looks like a test, benchmark or example (listed, commented out)
};

// What the compiler command turned out to be.
struct CompilerGuess {
  std::string c = "clang-19";
  std::string cxx = "clang++-19";
  std::string origin;       // "CC/CXX", "cc/c++ on PATH", or "hone's default"
  std::string description;  // "Clang 19.1.7", "GCC 12.2.0", or why it is not known
};

struct ProjectFacts {
  std::filesystem::path root;  // absolute
  ProjectKind kind = ProjectKind::make;
  std::string makefile;  // make: the makefile's name (Makefile, makefile, GNUmakefile)
  std::vector<Executable> executables;
  std::string executables_source;  // how they were found, for the comment above `binaries`
  std::vector<std::string> notes;  // things the user should know, written as comments and printed
  CompilerGuess compiler;
};

// The build system of `root`, by the files that mark one (CMakeLists.txt, meson.build, configure or
// configure.ac, a makefile; in that order). Throws (exit 2) naming what was looked for when none is there.
ProjectKind detect_project_kind(const std::filesystem::path& root, std::string& makefile);

// Everything init writes about the project; runs the build system's own introspection in a scratch folder.
ProjectFacts detect_project(const std::filesystem::path& root);

// ---- Parsers, exposed for the units ----------------------------------------------------------------------
// From the text of `make -p` (GNU make's database): the default goal and, reached from it through at most
// four levels of prerequisites, the targets that look like programs being linked: not phony, no file
// extension (or .exe), with a recipe that runs a compiler or linker variable ($(CC), $(CXX), $(LD), ...)
// or prerequisites that are object files. Paths as make names them, "./" removed.
std::vector<std::string> make_products(std::string_view database, std::string& default_goal);

// From a Makefile.am: the programs of bin_PROGRAMS and sbin_PROGRAMS (automake's canonical lists).
std::vector<std::string> automake_programs(std::string_view makefile_am);

// From the text of a CMakeLists.txt: the targets of add_executable, without IMPORTED and ALIAS ones (the
// fallback when the configure that CMake's file API needs fails).
std::vector<std::string> cmake_add_executable_names(std::string_view cmake_lists);

// True when an executable's name or folder reads like a test, benchmark or example rather than a product.
bool looks_auxiliary(std::string_view name, std::string_view folder);

// The starter hone.yaml for `facts`: valid YAML in hone.yaml's schema, every choice commented, the
// workloads as marked TODOs that hone pgo refuses to run until they are replaced.
std::string render_starter_config(const ProjectFacts& facts);

// `hone pgo init [DIR]`: writes DIR/hone.yaml (atomically; an existing one only with `force`) and prints
// what it found. Returns the exit status.
int run_init(const std::filesystem::path& root, bool force);

}  // namespace hone::pgo
