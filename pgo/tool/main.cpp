// hone-pgo: the command line of `hone pgo` (the `hone` driver execs this executable). Only option
// parsing lives here; the work is in the pgo library. It is also the one place that turns a PgoError
// into "hone: error: ..." and an exit code.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "pgo/config.h"
#include "pgo/context.h"
#include "pgo/error.h"
#include "pgo/init.h"
#include "pgo/pipeline.h"
#include "pgo/stages.h"
#include "pgo/work_folder.h"

namespace {

using namespace hone::pgo;

int run(int argc, char** argv) {
  CLI::App app{"hone pgo: profile-guided release builds. Runs instrument -> train -> merge -> optimize (PGO+LTO) "
               "-> bolt -> verify from hone.yaml; each stage is skipped when its inputs are unchanged.",
               "hone pgo"};
  app.set_help_flag("-h,--help", "Show this help (docs/pgo.md has the full guide)");
  std::string config_file = "hone.yaml";
  Options options;
  app.add_option("--config", config_file, "The hone.yaml to use (default: ./hone.yaml)");
  app.add_flag(
      "--force", options.force,
      "Redo the stage even when it is up to date (with no stage: every stage); init: replace an existing hone.yaml");
  app.add_flag("-q,--quiet", options.quiet, "No progress output");
  app.add_flag("--json", options.json, "Print the result as JSON on stdout");
  app.add_option("-j,--jobs", options.jobs, "Parallel build jobs (default: number of CPUs)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--callgrind", options.callgrind, "verify: also count instructions with valgrind's callgrind");
  app.add_option("--markdown", options.markdown_file, "verify: also write the result table as Markdown to FILE");
  // For `hone doctor` (driver/doctor.cpp), which has no YAML reader of its own: the compilers hone.yaml
  // selects, read by the one loader, as {"c": ..., "cxx": ...}. Hidden: not a user's command.
  bool print_compilers = false;
  app.add_flag("--print-compilers", print_compilers)->group("");
  app.require_subcommand(0, 1);
  const char* const stages[][2] = {
      {"instrument", "Build the project with profile instrumentation"},
      {"train", "Run the training workloads on the instrumented build (runs earlier stages as needed)"},
      {"merge", "Merge the training profiles (and --add FILE[:WEIGHT] imports) into one content-hashed profile"},
      {"cs", "Context-sensitive second training round (only with pgo.kind: cs)"},
      {"optimize", "Build with the profile and LTO"},
      {"bolt", "Optimize the binaries' layout with llvm-bolt (instrumentation mode)"},
      {"verify", "Measure baseline vs optimized builds on the benchmark workloads"},
      {"info", "Show profile coverage, hottest functions, workload overlap, staleness and the last results"},
      {"clean", "Remove the work folder (.hone/)"}};
  std::map<std::string, CLI::App*> subcommands;
  for (const auto& stage : stages) {
    CLI::App* sub = app.add_subcommand(stage[0], stage[1]);
    sub->fallthrough();
    subcommands[stage[0]] = sub;
  }
  // init writes a hone.yaml rather than reading one, so it is not among the stages.
  std::string init_folder = ".";
  CLI::App* init = app.add_subcommand("init", "Write a starter hone.yaml for the project in DIR (default: here): its "
                                              "build system, executables and compiler, workloads left as TODOs");
  init->add_option("dir", init_folder, "The project's root folder");
  init->fallthrough();
  subcommands["merge"]->add_option(
      "--add", options.add, "Import a .profraw or .profdata collected elsewhere, with an optional weight (FILE:3)");
  subcommands["merge"]->add_option(
      "--perf-data", options.perf_data,
      "pgo.kind sample: import a perf.data recorded elsewhere (perf record -e cpu-clock of "
      "the profiling build's binary), with an optional weight (FILE:3)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "hone: error: %s; run 'hone pgo --help' for usage\n", e.what());
    return 2;
  }
  if (init->parsed()) return run_init(init_folder, options.force);
  if (print_compilers) {
    const Config config = load_config(config_file);
    std::printf("%s\n", nlohmann::json{{"c", config.c_compiler}, {"cxx", config.cxx_compiler}}.dump().c_str());
    return 0;
  }
  std::string target;
  for (const auto& [name, sub] : subcommands)
    if (sub->parsed()) target = name;

  Context context;
  context.config = load_config(config_file);
  context.options = options;
  context.progress = Progress(options.quiet || options.json, 0);
  if (target == "clean") return run_clean(context);
  context.tools = find_toolchain(context.config);
  if (target == "info") return run_info(context);
  context.forced_stage = options.force ? (target.empty() ? "all" : target) : "";
  // Held until the run ends: the folder is hone's and no other run writes into it meanwhile.
  WorkFolder work_folder = WorkFolder::take(context.config);
  if (!options.add.empty()) {
    if (target != "merge") throw PgoError(k_exit_bad_input, "--add belongs to 'hone pgo merge --add FILE[:WEIGHT]'");
    import_profiles(context);
  }
  if (!options.perf_data.empty()) {
    if (target != "merge")
      throw PgoError(k_exit_bad_input, "--perf-data belongs to 'hone pgo merge --perf-data FILE[:WEIGHT]'");
    if (context.config.pgo_kind != PgoKind::sample)
      throw PgoError(k_exit_bad_input, "--perf-data needs pgo.kind: sample in " + context.config.file.string() +
                                           " (perf's samples become a sample profile; instrumented profiles are "
                                           "imported with --add)");
    import_perf_data(context);
  }
  return run_pipeline(context, target);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const hone::pgo::PgoError& error) {
    std::fflush(stdout);
    // On a terminal the progress line may still be open: start the error on a line of its own.
    std::fprintf(stderr, "%shone: error: %s\n", isatty(STDERR_FILENO) ? "\n" : "", error.what());
    return error.exit_code();
  } catch (const std::exception& error) {
    std::fflush(stdout);
    std::fprintf(stderr, "hone: error: internal error: %s; please report it\n", error.what());
    return 1;
  }
}
