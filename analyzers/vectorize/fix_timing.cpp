// --try-fixes: the generated benchmark of a fix that forces vectorization (see fix_timing.h).
//
// Both copies of the TU get the same appendix and the same extra flags, so the one difference between
// the two programs is the fix. The appendix reads the trip count and the array addresses from volatile
// variables: the optimizer, which may inline the function into the call, cannot specialise it for the
// made-up arguments any more than for a real caller's. The driver is a separate C file, so the timing
// loop does not depend on what the TU includes or defines.
#include "fix_timing.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace hone::vec {
namespace {

constexpr const char* k_driver = R"(/* hone vec --try-fixes: times the generated call (see fix_timing.h). */
#include <stdio.h>
#include <time.h>
void hone_vec_timing_setup(void);
void hone_vec_timing_call(void);
static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}
int main(void) {
  hone_vec_timing_setup();
  double start = now_ns();
  hone_vec_timing_call(); /* also warms the caches */
  double one = now_ns() - start;
  /* Batches of at least 20 ms, so the clock's resolution does not matter. */
  long calls = one >= 2e7 ? 1 : (long)(2e7 / (one > 1.0 ? one : 1.0)) + 1;
  double best = 0;
  for (int batch = 0; batch < 5; ++batch) {
    hone_vec_timing_setup();
    double begin = now_ns();
    for (long call = 0; call < calls; ++call) hone_vec_timing_call();
    double each = (now_ns() - begin) / (double)calls;
    if (batch == 0 || each < best) best = each;
  }
  printf("hone-vec-timing ns-per-call %.3f\n", best);
  return 0;
}
)";

// Runs `argv` in `directory` with its output in `log`; returns "" or why it failed.
std::string run_step(const std::vector<std::string>& argv, const std::string& directory, const std::string& log,
                     unsigned timeout_seconds, const std::string& what) {
  ChildProcess child = start_process(argv, directory, log);
  int status = wait_process(child, timeout_seconds);
  if (!child.start_error.empty()) return what + ": " + child.start_error;
  if (child.timed_out) return what + " did not finish within --timeout " + std::to_string(timeout_seconds) + " s";
  if (status == 0) return "";
  std::string text;
  read_text(log, text);
  llvm::StringRef first = llvm::StringRef(text).trim();
  size_t error = first.find("error:");
  if (error != llvm::StringRef::npos) first = first.drop_front(error);
  first = first.take_until([](char c) { return c == '\n'; });
  if (status > 128) return what + " was ended by signal " + std::to_string(status - 128);
  return what + " failed (exit " + std::to_string(status) + (first.empty() ? "" : ": " + first.str()) + ")";
}

// One program: the TU (with `edits` applied) and the appendix, compiled as the project compiles it,
// linked with the driver. Returns "" or why it could not be built.
std::string build_program(const FixTarget& target, const std::vector<SourceEdit>& edits,
                          const std::vector<std::string>& fix_flags, const std::string& appendix,
                          const std::string& driver_object, const std::string& folder, const std::string& program) {
  llvm::sys::fs::create_directories(folder);
  std::vector<std::string> flags = fix_flags;
  std::string error;
  if (!overlay_flags(edits, target.setup.file, appendix, folder, flags, error)) return error;
  std::vector<std::string> compile{target.setup.compiler};
  compile.insert(compile.end(), target.setup.flags.begin(), target.setup.flags.end());
  compile.insert(compile.end(), flags.begin(), flags.end());
  // The TU's own main would clash with the driver's; unused functions go with --gc-sections, so the
  // rest of the project is needed only for what the timed function itself calls.
  for (const char* flag : {"-w", "-Dmain=hone_vec_project_main", "-ffunction-sections", "-fdata-sections", "-c"})
    compile.push_back(flag);
  compile.push_back("-o");
  compile.push_back(folder + "/unit.o");
  compile.push_back(target.setup.file);
  if (std::string failed = run_step(compile, target.setup.directory, folder + "/compile.log", target.timeout_seconds,
                                    "compiling the copy with the benchmark");
      !failed.empty())
    return failed;
  std::vector<std::string> link{target.setup.ast_driver,
                                folder + "/unit.o",
                                driver_object,
                                "-o",
                                program,
                                "-Wl,--gc-sections",
                                "-Wl,--unresolved-symbols=ignore-all",
                                "-lm"};
  return run_step(link, folder, folder + "/link.log", target.timeout_seconds, "linking the benchmark");
}

// Runs the program once; its time per call in nanoseconds, or a negative value with `error`.
double run_program(const FixTarget& target, const std::string& program, const std::string& log, std::string& error) {
  error = run_step({program}, llvm::sys::path::parent_path(program).str(), log,
                   target.timeout_seconds ? target.timeout_seconds : 120, "the benchmark");
  if (!error.empty()) return -1;
  std::string text;
  read_text(log, text);
  const llvm::StringRef marker = "hone-vec-timing ns-per-call ";
  size_t at = text.rfind(marker.str());
  if (at == std::string::npos) {
    error = "the benchmark printed no time";
    return -1;
  }
  double value = std::strtod(text.c_str() + at + marker.size(), nullptr);
  if (!(value > 0)) {
    error = "the benchmark's time was not positive";
    return -1;
  }
  return value;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

std::string timing_appendix(const LoopInfo& loop, std::string& why) {
  if (loop.call_name.empty()) {
    why = loop.call_unsupported.empty() ? "the loop is not in a function hone can call" : loop.call_unsupported;
    return "";
  }
  const std::string elements = std::to_string(k_timing_elements);
  // Room past the end for loops that read a[i + k] or run to n inclusive.
  const std::string size = std::to_string(k_timing_elements + 256);
  std::string arrays, setup, arguments;
  for (size_t index = 0; index < loop.call_params.size(); ++index) {
    llvm::StringRef param(loop.call_params[index]);
    auto [kind, type] = param.split(' ');
    const std::string name = "hone_vec_arg" + std::to_string(index);
    if (!arguments.empty()) arguments += ", ";
    if (kind == "pointer") {
      arrays += "static " + type.str() + " " + name + "[" + size + "];\n";
      arrays += "static " + type.str() + "* volatile " + name + "_address = " + name + ";\n";
      // Small positive values (no zero divisors, no overflow in a few sums); a zero last element ends
      // a string.
      setup += "  for (long k = 0; k < " + size + " - 1; ++k) " + name + "[k] = (" + type.str() + ")(1 + k % 13);\n";
      setup += "  " + name + "[" + size + " - 1] = 0;\n";
      arguments += name + "_address";
    } else if (kind == "other-pointer") {
      arrays += "static long double " + name + "[" + size + "];\n";
      setup += "  for (long k = 0; k < " + size + "; ++k) " + name + "[k] = 0;\n";
      arguments += "(" + type.str() + ")(void*)" + name;
    } else if (kind == "integer") {
      arguments += "(" + type.str() + ")hone_vec_count";
    } else {
      arguments += "(" + type.str() + ")hone_vec_scale";
    }
  }
  return "\n/* hone vec --try-fixes: a generated call of '" + loop.call_name +
         "' for timing a fix. */\n"
         "#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
         "static volatile long hone_vec_count = " +
         elements +
         ";\n"
         "static volatile double hone_vec_scale = 1.5;\n" +
         arrays + "void hone_vec_timing_setup(void) {\n" + setup +
         "}\n"
         // Through a volatile pointer: the call is made every time, even of a function without side
         // effects whose result is unused, and nothing of it is specialised for these arguments.
         "static __typeof__(&" +
         loop.call_name + ") volatile hone_vec_function = &" + loop.call_name +
         ";\n"
         "void hone_vec_timing_call(void) {\n  (void)hone_vec_function(" +
         arguments +
         ");\n}\n"
         "#ifdef __cplusplus\n}\n#endif\n";
}

FixTiming time_fix(const FixTarget& target, const Fix& fix, const std::string& scratch) {
  FixTiming timing;
  if (!target.loop) {
    timing.not_measured = "the loop's facts are missing";
    return timing;
  }
  std::string why;
  const std::string appendix = timing_appendix(*target.loop, why);
  if (appendix.empty()) {
    timing.not_measured = "hone cannot call the loop's function: " + why;
    return timing;
  }
  const std::string folder = scratch + "/timing";
  llvm::sys::fs::create_directories(folder);
  const std::string driver_source = folder + "/driver.c";
  const std::string driver_object = folder + "/driver.o";
  if (!write_text(driver_source, k_driver)) {
    timing.not_measured = "cannot write '" + driver_source + "'";
    return timing;
  }
  const std::string clang = llvm::sys::path::parent_path(target.setup.ast_driver).str() + "/clang";
  if (std::string failed = run_step({clang, "-O2", "-w", "-c", driver_source, "-o", driver_object}, folder,
                                    folder + "/driver.log", target.timeout_seconds, "compiling the benchmark driver");
      !failed.empty()) {
    timing.not_measured = failed;
    return timing;
  }
  const std::string as_is = folder + "/as-is/benchmark", fixed = folder + "/fixed/benchmark";
  if (std::string failed = build_program(target, {}, {}, appendix, driver_object, folder + "/as-is", as_is);
      !failed.empty()) {
    timing.not_measured = failed;
    return timing;
  }
  if (std::string failed =
          build_program(target, fix.edits, fix.flags, appendix, driver_object, folder + "/fixed", fixed);
      !failed.empty()) {
    timing.not_measured = failed;
    return timing;
  }
  // ABBA: as-is, fixed, fixed, as-is, ... so a drift in the machine's speed hits both alike.
  std::vector<double> ratios, scalar;
  for (unsigned round = 0; round < k_timing_rounds; ++round) {
    double times[2] = {0, 0};
    for (int step = 0; step < 2; ++step) {
      const int which = (round % 2 == 0) ? step : 1 - step;  // 0: as is, 1: fixed
      std::string error;
      times[which] = run_program(target, which == 0 ? as_is : fixed, folder + "/run.log", error);
      if (times[which] < 0) {
        timing.not_measured = (which == 0 ? "the copy as it is: " : "the copy with the fix: ") + error +
                              " (the made-up arguments may not fit the function)";
        return timing;
      }
    }
    ratios.push_back(times[0] / times[1]);
    scalar.push_back(times[0]);
  }
  if (median(scalar) < k_timing_shortest_ns) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "a call took %.0f ns, too short to time the loop: it hardly runs with the made-up arguments",
                  median(scalar));
    timing.not_measured = text;
    return timing;
  }
  timing.measured = true;
  timing.speedup = median(ratios);
  timing.low = *std::min_element(ratios.begin(), ratios.end());
  timing.high = *std::max_element(ratios.begin(), ratios.end());
  timing.scalar_ns = median(scalar);
  return timing;
}

}  // namespace hone::vec
