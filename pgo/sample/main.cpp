// hone-sample-profile: perf.data of plain IP samples -> LLVM sample profile (text format). `hone pgo`
// runs it as a program for pgo.kind: sample (and for `hone pgo merge --perf-data`), which keeps the
// LLVM libraries it links out of hone-pgo and out of the `hone` wrapper; it can also be run by hand:
//
//   hone-sample-profile --perf-data perf.data --binary build/app -o app.afdo
//
// Steps: check that the binaries are the builds perf saw (the build IDs perf recorded), read the
// samples through `perf script` (perf_script.h), symbolize and attribute them (convert.h), write the
// profile atomically, and print a JSON summary of where the samples went on stdout. Exit 0 with a
// profile, 1 when no sample could be attributed (the profile would be empty) or a tool failed, 2 for
// bad usage or an unreadable input.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pgo/sample/convert.h"
#include "pgo/sample/symbolize.h"
#include "support/atomic_file.h"
#include "support/contracts.h"
#include "support/process.h"

namespace {

using namespace hone::pgo::sample;
namespace fs = std::filesystem;
namespace support = hone::support;

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "hone-sample-profile: error: %s\n", message.c_str());
  return code;
}

// perf's record of the build ID of every binary that has samples ("BUILDID PATH" lines); empty when
// perf cannot list them (then the check is skipped with a note).
std::vector<std::pair<std::string, std::string>> recorded_build_ids(const std::string& perf,
                                                                    const std::string& perf_data) {
  support::ProcessSpec spec;
  spec.argv = {perf, "buildid-list", "-i", perf_data};
  spec.stdout_sink = support::Sink::capture;
  spec.stderr_sink = support::Sink::discard;
  spec.stdin_from_null = true;
  support::Outcome outcome = support::run(spec);
  std::vector<std::pair<std::string, std::string>> ids;
  if (!outcome.succeeded()) return ids;
  std::istringstream in(outcome.stdout_text);
  std::string id, path;
  while (in >> id && std::getline(in >> std::ws, path)) ids.emplace_back(id, path);
  return ids;
}

int run(int argc, char** argv) {
  CLI::App app{"Converts perf.data of plain instruction-pointer samples (perf record -e cpu-clock or cycles, no "
               "branch stacks) into an LLVM sample profile in text format for -fprofile-sample-use",
               "hone-sample-profile"};
  std::string perf_data, output, perf = "perf";
  std::vector<std::string> binaries;
  app.add_option("--perf-data", perf_data, "The perf.data to read")->required();
  app.add_option("--binary", binaries,
                 "A binary whose samples make the profile (repeatable); built with -g or -gline-tables-only, "
                 "ideally with -fdebug-info-for-profiling")
      ->required();
  app.add_option("-o,--output", output, "Where to write the profile (text format)")->required();
  app.add_option("--perf", perf, "The perf program (default: perf on PATH)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(support::k_exit_usage, std::string(e.what()) + "; run 'hone-sample-profile --help' for usage");
  }
  if (!fs::is_regular_file(perf_data)) return fail(support::k_exit_usage, "no such file '" + perf_data + "'");
  for (std::string& binary : binaries) {
    if (!fs::is_regular_file(binary)) return fail(support::k_exit_usage, "no such binary '" + binary + "'");
    binary = fs::absolute(binary).lexically_normal().string();
    BinarySymbolizer probe(binary);
    if (!probe.error().empty()) return fail(support::k_exit_usage, probe.error());
    if (!probe.has_line_tables())
      return fail(support::k_exit_usage, "'" + binary +
                                             "' has no DWARF line tables, so no sample can be placed on a source "
                                             "line: build it with -gline-tables-only -fdebug-info-for-profiling");
    // A sample of another build of the same program would land on the wrong lines: refuse it.
    for (const auto& [id, path] : recorded_build_ids(perf, perf_data))
      if (same_binary(path, binary) && !probe.build_id().empty() && id != probe.build_id())
        return fail(support::k_exit_usage, perf_data + " has samples of " + path + " with build ID " + id + ", but " +
                                               binary + " has build ID " + probe.build_id() +
                                               ": it is another build. Convert against the binary that was "
                                               "profiled, or profile this one");
  }

  // The samples, streamed from perf script (a long recording prints millions of lines).
  PerfScriptReader reader;
  support::ProcessSpec spec;
  spec.argv = {perf};
  for (const std::string& argument : perf_script_arguments(perf_data)) spec.argv.push_back(argument);
  spec.stdin_from_null = true;
  spec.stdout_sink = support::Sink::stream;
  spec.stderr_sink = support::Sink::capture;
  spec.on_stdout = [&](std::istream& in) {
    std::string line;
    while (std::getline(in, line)) reader.line(line);
  };
  support::Outcome outcome = support::run(spec);
  if (!outcome.succeeded())
    return fail(support::k_exit_failed, "'" + perf + " script -i " + perf_data + "' " +
                                            support::describe_outcome(outcome) + ": " + outcome.stderr_text);
  const PerfSamples& samples = reader.samples();

  SampleProfile profile;
  Conversion conversion = convert(samples, binaries, profile);
  if (!conversion.error.empty()) return fail(support::k_exit_usage, conversion.error);

  nlohmann::json summary = {{"perf_data", perf_data},
                            {"samples", samples.samples},
                            {"kernel", samples.kernel},
                            {"unmapped", samples.unmapped},
                            {"bad_lines", samples.bad_lines},
                            {"functions", profile.functions().size()},
                            {"attributed", profile.attributed()},
                            {"binaries", nlohmann::json::array()}};
  if (samples.bad_lines) summary["first_bad_line"] = samples.first_bad_line;
  for (const BinaryCounts& counts : conversion.binaries)
    summary["binaries"].push_back({{"binary", counts.binary},
                                   {"perf_paths", counts.perf_paths},
                                   {"samples", counts.samples},
                                   {"attributed", counts.attributed},
                                   {"outside_code", counts.outside_code}});
  if (profile.attributed() == 0) {
    std::string seen;
    for (const auto& [path, offsets] : samples.offsets) seen += (seen.empty() ? "" : ", ") + path;
    return fail(support::k_exit_failed,
                perf_data + " has " + std::to_string(samples.samples) + " samples but none in " +
                    (binaries.size() == 1 ? binaries.front() : std::to_string(binaries.size()) + " binaries") +
                    " that could be placed on a source line (samples in: " + (seen.empty() ? "nothing" : seen) +
                    "). Record the binary itself (perf record -e cpu-clock -- BINARY ...), long enough to collect "
                    "samples, and build it with -gline-tables-only -fdebug-info-for-profiling");
  }
  std::string error = support::write_file_atomically(output, profile.text());
  if (!error.empty()) return fail(support::k_exit_failed, "cannot write " + output + ": " + error);
  std::printf("%s\n", summary.dump().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    return fail(1, std::string("internal error: ") + error.what() + "; please report it");
  }
}
