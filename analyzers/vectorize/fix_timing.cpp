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
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace hone::vec {
namespace {

constexpr const char* k_driver = R"(/* hone vec --try-fixes: times the generated call (see fix_timing.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>
void hone_vec_timing_setup(void);
void hone_vec_timing_call(void);
static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}
void hone_vec_results_call(void);
double hone_vec_value(long array, long index);
extern double hone_vec_result;
extern const int hone_vec_has_result;
extern const long hone_vec_array_count, hone_vec_array_length;
int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--values") == 0) {
    /* One call, then every value it may have changed, as doubles: the return value, then each array. */
    FILE* out = fopen(argv[2], "wb");
    if (!out) return 2;
    hone_vec_timing_setup();
    hone_vec_results_call();
    if (hone_vec_has_result) fwrite(&hone_vec_result, sizeof hone_vec_result, 1, out);
    for (long array = 0; array < hone_vec_array_count; ++array)
      for (long index = 0; index < hone_vec_array_length; ++index) {
        double value = hone_vec_value(array, index);
        fwrite(&value, sizeof value, 1, out);
      }
    return fclose(out) == 0 ? 0 : 2;
  }
  hone_vec_timing_setup();
  double start = now_ns();
  hone_vec_timing_call(); /* also warms the caches */
  double one = now_ns() - start;
  /* Batches of at least 20 ms, so the clock's resolution does not matter. */
  long calls = one >= 2e7 ? 1 : (long)(2e7 / (one > 1.0 ? one : 1.0)) + 1;
  /* Five batches, or two once a run has taken a second (a call of a whole benchmark kernel can take
     half of one): the fastest batch counts. */
  double best = 0;
  for (int batch = 0; batch < 5 && (batch < 2 || now_ns() - start < 1e9); ++batch) {
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
  std::string arrays, setup, arguments, values;
  unsigned array_count = 0;
  for (size_t index = 0; index < loop.call_params.size(); ++index) {
    llvm::StringRef param(loop.call_params[index]);
    auto [kind, type] = param.split(' ');
    const std::string name = "hone_vec_arg" + std::to_string(index);
    if (!arguments.empty()) arguments += ", ";
    if (kind == "pointer") {
      arrays += "static " + type.str() + " " + name + "[" + size + "];\n";
      arrays += "static " + type.str() + "* volatile " + name + "_address = " + name + ";\n";
      // Positive values from 1 to about 2.7 (no zero divisors, no overflow in a few sums; integers 1 or
      // 2) whose floating-point sums round, so a reordering shows; a zero last element ends a string.
      setup += "  for (long k = 0; k < " + size + " - 1; ++k) " + name + "[k] = (" + type.str() +
               ")(1.0 + (double)(k % 13) / 7.0 + (double)(k % 5) * 0.001);\n";
      setup += "  " + name + "[" + size + " - 1] = 0;\n";
      arguments += name + "_address";
      values += "  case " + std::to_string(array_count++) + ": return (double)" + name + "[index];\n";
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
         "double hone_vec_result;\n"
         "extern const int hone_vec_has_result;\n"
         "const int hone_vec_has_result = " +
         (loop.call_returns_number ? "1" : "0") +
         ";\n"
         "void hone_vec_results_call(void) {\n  " +
         (loop.call_returns_number ? "hone_vec_result = (double)" : "(void)") + "hone_vec_function(" + arguments +
         ");\n}\n"
         "extern const long hone_vec_array_count, hone_vec_array_length;\n"
         "const long hone_vec_array_count = " +
         std::to_string(array_count) + ", hone_vec_array_length = " + size +
         ";\n"
         "double hone_vec_value(long array, long index) {\n  switch (array) {\n" +
         values + "  }\n  return 0;\n}\n" + "#ifdef __cplusplus\n}\n#endif\n";
}

namespace {

// The two programs of one fix, built in `folder`; "" or why they could not be.
std::string build_both(const FixTarget& target, const Fix& fix, const std::string& folder, std::string& as_is,
                       std::string& fixed) {
  if (!target.loop) return "the loop's facts are missing";
  std::string why;
  const std::string appendix = timing_appendix(*target.loop, why);
  if (appendix.empty()) return "hone cannot call the loop's function: " + why;
  llvm::sys::fs::create_directories(folder);
  const std::string driver_source = folder + "/driver.c";
  const std::string driver_object = folder + "/driver.o";
  if (!write_text(driver_source, k_driver)) return "cannot write '" + driver_source + "'";
  const std::string clang = llvm::sys::path::parent_path(target.setup.ast_driver).str() + "/clang";
  if (std::string failed = run_step({clang, "-O2", "-w", "-c", driver_source, "-o", driver_object}, folder,
                                    folder + "/driver.log", target.timeout_seconds, "compiling the benchmark driver");
      !failed.empty())
    return failed;
  as_is = folder + "/as-is/benchmark";
  fixed = folder + "/fixed/benchmark";
  if (std::string failed = build_program(target, {}, {}, appendix, driver_object, folder + "/as-is", as_is);
      !failed.empty())
    return failed;
  return build_program(target, fix.edits, fix.flags, appendix, driver_object, folder + "/fixed", fixed);
}

// The values one call leaves (see the driver's --values), or "" in `error`.
std::vector<double> read_values(const FixTarget& target, const std::string& program, const std::string& file,
                                std::string& error) {
  error = run_step({program, "--values", file}, llvm::sys::path::parent_path(program).str(), file + ".log",
                   target.timeout_seconds ? target.timeout_seconds : 120, "the generated call");
  std::vector<double> values;
  std::string bytes;
  if (error.empty() && !read_text(file, bytes)) error = "its values could not be read";
  if (!error.empty()) return values;
  values.resize(bytes.size() / sizeof(double));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(double));
  return values;
}

FixResultChange compare_results(const FixTarget& target, const std::string& as_is, const std::string& fixed,
                                const std::string& folder) {
  FixResultChange change;
  std::string error;
  std::vector<double> before = read_values(target, as_is, folder + "/as-is.values", error);
  if (error.empty()) {
    std::vector<double> after = read_values(target, fixed, folder + "/fixed.values", error);
    if (error.empty() && after.size() != before.size()) error = "the two programs wrote different amounts";
    if (error.empty()) {
      change.measured = true;
      change.values = static_cast<unsigned>(before.size());
      const LoopInfo& loop = *target.loop;
      const size_t arrays_start = loop.call_returns_number ? 1 : 0;
      for (size_t i = 0; i < before.size(); ++i) {
        const double a = before[i], b = after[i];
        if (a == b || (std::isnan(a) && std::isnan(b))) continue;
        const double scale = std::max(std::fabs(a), std::fabs(b));
        const double relative = std::isfinite(scale) && scale > 0 ? std::fabs(a - b) / scale : 1.0;
        if (relative <= change.max_relative) continue;
        change.max_relative = relative;
        if (i < arrays_start) {
          change.where = "the return value";
          continue;
        }
        // Which pointer parameter, by position among those that got an array.
        const size_t element = i - arrays_start, length = k_timing_elements + 256;
        size_t array = element / length, seen = 0;
        std::string name = "argument " + std::to_string(array + 1);
        for (size_t p = 0; p < loop.call_params.size(); ++p)
          if (llvm::StringRef(loop.call_params[p]).starts_with("pointer ") && seen++ == array)
            name = "argument " + std::to_string(p + 1);
        change.where = "element " + std::to_string(element % length) + " of " + name;
      }
      return change;
    }
  }
  change.not_measured = error + " (the made-up arguments may not fit the function)";
  return change;
}

FixTiming time_programs(const FixTarget& target, const std::string& as_is, const std::string& fixed,
                        const std::string& folder) {
  FixTiming timing;
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
  const double scalar_ns = median(scalar);
  if (scalar_ns < k_timing_shortest_ns) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "a call took %.0f ns, too short to time the loop: it hardly runs with the made-up arguments",
                  scalar_ns);
    timing.not_measured = text;
    return timing;
  }
  timing.measured = true;
  timing.speedup = median(ratios);
  timing.low = *std::min_element(ratios.begin(), ratios.end());
  timing.high = *std::max_element(ratios.begin(), ratios.end());
  timing.scalar_ns = scalar_ns;
  return timing;
}

}  // namespace

FixMeasurement measure_fix(const FixTarget& target, const Fix& fix, const std::string& scratch, bool time,
                           bool compare) {
  FixMeasurement measurement;
  const std::string folder = scratch + "/measure";
  std::string as_is, fixed;
  if (std::string failed = build_both(target, fix, folder, as_is, fixed); !failed.empty()) {
    if (time) measurement.timing.not_measured = failed;
    if (compare) measurement.result_change.not_measured = failed;
    return measurement;
  }
  if (compare) measurement.result_change = compare_results(target, as_is, fixed, folder);
  if (time) measurement.timing = time_programs(target, as_is, fixed, folder);
  return measurement;
}

}  // namespace hone::vec
