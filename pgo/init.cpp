// The starter hone.yaml `hone pgo init` writes, and the command itself. The file is meant to be read: each
// section says what it is for, what init found and how, and what the usual alternatives are. Everything
// init could find is filled in; the workloads cannot be found (they are what the program is used for), so
// they are written as TODO entries that hone.yaml's loader refuses with their line until they are replaced,
// rather than as a guess that would produce a profile of the wrong thing. The file is written atomically
// (support/atomic_file.h) and never over an existing hone.yaml without --force.
#include <cstdio>

#include "pgo/error.h"
#include "pgo/init.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

// A YAML double-quoted scalar: backslashes and quotes escaped, nothing else needs it in these values.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string flow_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
  return out + "]";
}

// The shell line of a Make project's build: a copy of the sources in the variant's build folder, then make
// there. Objects, archives and the programs themselves are left out of the copy, so a tree that was built
// in place cannot hand its (uninstrumented) files to hone's builds as up to date.
std::string make_build_line(const ProjectFacts& facts) {
  std::string line = "mkdir -p src && tar -C \"{source}\" --exclude=./.git --exclude=./.hone";
  for (const char* pattern : {"*.o", "*.a", "*.so", "*.lo", "*.gcda", "*.profraw"})
    line += std::string(" --exclude='") + pattern + "'";
  for (const Executable& executable : facts.executables) line += " --exclude='./" + executable.path + "'";
  line += " -cf - . | tar -C src -xf - && make -C src -f " + facts.makefile + " -j{jobs} CC=\"$CC\" CXX=\"$CXX\"";
  return line;
}

std::string build_section(const ProjectFacts& facts) {
  std::string text = "build:\n";
  switch (facts.kind) {
    case ProjectKind::cmake:
      text += "  system: cmake\n"
              "  build_type: Release             # CMAKE_BUILD_TYPE of every variant, verify's baseline included\n"
              "  # cmake_args: [\"-DBUILD_TESTING=OFF\"]   # extra configure arguments for every variant\n";
      break;
    case ProjectKind::meson:
      text += "  system: command\n"
              "  # Each variant is set up in its own build folder; meson reads CC and CXX (hone's wrapper) there.\n"
              "  configure: " +
              flow_list({"meson", "setup", "{build}", "{source}", "--buildtype=release"}) +
              "\n  command: " + flow_list({"meson", "compile", "-C", "{build}", "-j", "{jobs}"}) + "\n";
      break;
    case ProjectKind::autotools:
      text += "  system: command\n"
              "  # An out-of-tree (VPATH) build: configure runs once in each variant's fresh build folder and\n"
              "  # records CC and CXX (hone's wrapper) in the makefiles it writes.\n"
              "  configure: " +
              flow_list({"{source}/configure"}) + "\n  command: " + flow_list({"make", "-j{jobs}"}) + "\n";
      break;
    case ProjectKind::make:
      text += "  system: command\n"
              "  # make runs in a copy of the sources inside each variant's build folder ({build}/src): built in\n"
              "  # place, one variant's objects would be 'up to date' for the next (docs/pgo.md, \"Builds hone can\n"
              "  # vouch for\"). tar keeps the files' times, so make rebuilds only what changed. CC and CXX on\n"
              "  # make's command line win over a 'CC = gcc' line in the makefile.\n"
              "  command: " +
              flow_list({"sh", "-c", make_build_line(facts)}) + "\n";
      break;
  }
  return text;
}

std::string binaries_section(const ProjectFacts& facts) {
  std::string text =
      "# The product: the programs to optimize and measure; " + facts.executables_source +
      ".\n# Paths are relative to a variant's build folder; workloads name them {bin:NAME}, {bin} is the "
      "first.\n";
  std::vector<const Executable*> products, others;
  for (const Executable& executable : facts.executables)
    (executable.likely_product ? products : others).push_back(&executable);
  // A project whose every executable looks auxiliary still has a product among them.
  if (products.empty() && !others.empty()) products.swap(others);
  const std::string prefix = facts.kind == ProjectKind::make ? "src/" : "";
  text += "binaries:\n";
  for (const Executable* executable : products)
    text += "  - name: " + quoted(executable->name) + "\n    path: " + quoted(prefix + executable->path) + "\n";
  if (products.empty())
    text += "  # TODO(hone pgo init): no executable was found; name the program the build produces.\n"
            "  - name: TODO\n    path: \"TODO/path/in/the/build/folder\"\n";
  if (!others.empty()) text += "  # Also built; they look like tests, benchmarks or examples:\n";
  for (const Executable* executable : others)
    text += "  # - name: " + quoted(executable->name) + "\n  #   path: " + quoted(prefix + executable->path) + "\n";
  return text;
}

const char* const k_workloads = R"(
# TODO(hone pgo init): the workloads. hone pgo refuses to run while a command starts with "TODO".
# Training: what the profile learns from. Run the program the way it is really used, on realistic input
# (a few seconds in all is plenty); every branch it takes here is optimized for, the rest is laid out as
# cold. Commands are argument lists, not shell strings. For example:
#   - name: typical
#     command: ["{bin}", "--input", "{source}/tests/data/typical.txt"]
#   - name: pipeline
#     command: ["sh", "-c", "{bin} < {source}/samples/big.in > /dev/null"]
#     weight: 3                  # counts three times in the merged profile
training:
  - name: typical
    command: ["TODO", "{bin}", "<a typical run's arguments>"]
# Benchmark: what verify measures, on input training never saw (measured on the training input, the
# speedup would be optimistic). Delete the section to measure the training workloads instead. For example:
#   - name: unseen
#     command: ["{bin}", "--input", "{source}/tests/data/other.txt"]
#     metric: {regex: 'throughput: ([0-9.]+) MB/s', better: higher}   # decide on a printed figure
benchmark:
  - name: unseen
    command: ["TODO", "{bin}", "<a run not used for training>"]
)";

const char* const k_optimizations = R"(
pgo:
  kind: ir                        # ir | cs (a second, context-sensitive round) | frontend
lto: thin                         # off | thin | full
bolt: off                         # on: post-link layout with llvm-bolt (docs/pgo.md)
verify:
  repetitions: 10                 # interleaved rounds of baseline and optimized builds
)";

}  // namespace

std::string render_starter_config(const ProjectFacts& facts) {
  std::string text = "# hone.yaml for " + facts.root.string() + " (a " + to_string(facts.kind) +
                     " project), written by 'hone pgo init'.\n"
                     "# Reference: docs/config.md (every key), docs/pgo.md (the pipeline). Lines marked TODO need "
                     "you.\n";
  for (const std::string& note : facts.notes) text += "# Note: " + note + "\n";
  text += "\n" + build_section(facts);
  text += "\n# The compilers every variant is built with: " + facts.compiler.description + " (from " +
          facts.compiler.origin + ").\ncompiler:\n  c: " + quoted(facts.compiler.c) +
          "\n  cxx: " + quoted(facts.compiler.cxx) + "\n\n";
  text += binaries_section(facts);
  text += k_workloads;
  text += k_optimizations;
  return text;
}

int run_init(const fs::path& root, bool force) {
  const ProjectFacts facts = detect_project(root);
  const fs::path target = facts.root / "hone.yaml";
  std::error_code error;
  if (fs::exists(fs::symlink_status(target, error)) && !force)
    fail_input(target.string() + " already exists: hone pgo init never overwrites it; move it away, or run "
                                 "'hone pgo init --force' to replace it");
  support::AtomicWriteOptions options;
  options.keep_target_permissions = true;
  const std::string failed = support::write_file_atomically(target.string(), render_starter_config(facts), options);
  if (!failed.empty()) fail_job("hone pgo init: " + failed);
  for (const std::string& note : facts.notes) std::fprintf(stderr, "hone pgo init: note: %s\n", note.c_str());
  std::string names;
  for (const Executable& executable : facts.executables)
    if (executable.likely_product) names += (names.empty() ? "" : ", ") + executable.name;
  std::printf("hone pgo init: wrote %s\n  build system: %s\n  compiler: %s, %s (from %s)\n  executables: %s\n"
              "next: replace the TODO workloads in it (training, benchmark), then run 'hone pgo'\n",
              target.c_str(), to_string(facts.kind).c_str(), facts.compiler.c.c_str(), facts.compiler.cxx.c_str(),
              facts.compiler.origin.c_str(), names.empty() ? "none found (TODO in the file)" : names.c_str());
  return 0;
}

}  // namespace hone::pgo
