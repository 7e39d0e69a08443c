// `hone report`: options, then the page as a pipeline of named steps: read each input given into its
// section (the first bad input stops everything, with a message naming the file, exit 2), assemble the
// page, write it atomically (support/atomic_file: a half-written report never replaces a good one).
#include "driver/report/report_main.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "driver/report/html.h"
#include "driver/report/sections.h"
#include "support/atomic_file.h"
#include "support/contracts.h"

namespace hone::report {
namespace {

constexpr const char* k_usage =
    "Usage: hone report [--pgo DIR] [--bench FILE] [--layout FILE] [--vec FILE] [--profile SVG]\n"
    "                   [--cacheline N] [--title TEXT] [-o FILE]\n"
    "\n"
    "Writes one self-contained HTML page (no network: styles, charts and script inline) from what the\n"
    "other hone commands wrote. Give at least one input; one FILE or SVG may be '-' for standard input:\n"
    "  --pgo DIR       hone pgo's work folder (or the project folder holding .hone/): verify's speedups\n"
    "                  with their confidence intervals, and the time of every stage\n"
    "  --bench FILE    'hone bench compare --format json' output; the compared runs, when still readable,\n"
    "                  give each benchmark's distribution\n"
    "  --layout FILE   'hone layout --format json' output: each record drawn by cache line, before/after\n"
    "  --vec FILE      'hone vec --format json' output: the loops, sortable and filterable, in their source\n"
    "  --profile SVG   the flame graph 'hone profile -o SVG' wrote\n"
    "  --cacheline N   cache line size of the layout drawings in bytes (default 64, as hone layout)\n"
    "  --title TEXT    the page's title (default \"hone report\")\n"
    "  -o FILE         where to write the page (default hone-report.html; '-' for stdout)\n";

struct Options {
  std::string pgo, bench, layout, vec, profile;
  std::string output = "hone-report.html";
  std::string title = "hone report";
  std::uint64_t cacheline = 64;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "hone: error: %s\n%s", message.c_str(), k_usage);
  return support::k_exit_usage;
}

// -1 when the options are good, else the exit status.
int parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(k_usage, stdout);
      return 0;
    }
    std::string* target = arg == "--pgo"       ? &options.pgo
                          : arg == "--bench"   ? &options.bench
                          : arg == "--layout"  ? &options.layout
                          : arg == "--vec"     ? &options.vec
                          : arg == "--profile" ? &options.profile
                          : arg == "--title"   ? &options.title
                          : arg == "-o"        ? &options.output
                                               : nullptr;
    std::string cacheline;
    if (arg == "--cacheline") target = &cacheline;
    if (target == nullptr) return usage_error("unknown option '" + arg + "'");
    if (i + 1 >= argc) return usage_error(arg + " needs a value");
    *target = argv[++i];
    if (target->empty()) return usage_error(arg + " needs a non-empty value");
    if (target == &cacheline) {
      char* end = nullptr;
      unsigned long long value = std::strtoull(cacheline.c_str(), &end, 10);
      if (*end != '\0' || value < 8 || value > 4096 || (value & (value - 1)) != 0)
        return usage_error("--cacheline '" + cacheline + "' is not a power of two from 8 to 4096");
      options.cacheline = value;
    }
  }
  int from_stdin = (options.bench == "-") + (options.layout == "-") + (options.vec == "-") + (options.profile == "-");
  if (from_stdin > 1) return usage_error("only one input can be read from standard input ('-')");
  if (options.pgo.empty() && options.bench.empty() && options.layout.empty() && options.vec.empty() &&
      options.profile.empty())
    return usage_error("no input: give at least one of --pgo, --bench, --layout, --vec, --profile");
  return -1;
}

}  // namespace

int report_main(int argc, char** argv) {
  Options options;
  if (int status = parse(argc, argv, options); status != -1) return status;
  std::vector<Section> sections;
  std::vector<std::string> inputs;
  try {
    // One section per input, in the order of the data flow: build, benchmarks, analyzers, profile.
    auto add = [&](const std::string& input, auto&& make_section) {
      if (input.empty()) return;
      sections.push_back(make_section());
      inputs.push_back(input == "-" ? "standard input" : input);
    };
    add(options.pgo, [&] { return pgo_section(options.pgo); });
    add(options.bench, [&] { return bench_section(options.bench); });
    add(options.layout, [&] { return layout_section(options.layout, options.cacheline); });
    add(options.vec, [&] { return vec_section(options.vec); });
    add(options.profile, [&] { return profile_section(options.profile); });
  } catch (const InputError& error) {
    std::fprintf(stderr, "hone: error: %s\n", error.what());
    return support::k_exit_usage;
  } catch (const std::exception& error) {
    // Every input is checked field by field before use, so this is a bug in hone report: say so plainly.
    std::fprintf(stderr, "hone: internal error: %s (please report it with the input files)\n", error.what());
    return support::k_exit_failed;
  }
  std::string page = render_page(options.title, inputs, sections);
  if (options.output == "-") {
    std::fwrite(page.data(), 1, page.size(), stdout);
    return std::fflush(stdout) == 0 ? support::k_exit_ok : support::k_exit_failed;
  }
  if (std::string error = support::write_file_atomically(options.output, page); !error.empty()) {
    std::fprintf(stderr, "hone: error: cannot write %s: %s\n", options.output.c_str(), error.c_str());
    return support::k_exit_failed;
  }
  std::fprintf(stderr, "hone report: wrote %s (%zu KB; %zu section%s)\n", options.output.c_str(),
               (page.size() + 1023) / 1024, sections.size(), sections.size() == 1 ? "" : "s");
  return support::k_exit_ok;
}

}  // namespace hone::report
