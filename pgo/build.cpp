// Driving the user's own build for one variant. The project is not changed: CMake projects get hone
// as their compiler and linker launcher, other build systems get CC="hone clang-19" and CXX; the
// variant's flags reach the compiler through the wrapper's HONE_* environment variables
// (docs/wrapper.md). Each variant builds in its own folder, so switching between them never rebuilds
// the others, and a stamp of the mode decides whether the folder can be reused incrementally (same
// mode: let the build system decide) or must be started afresh (different mode: the build system
// cannot see that the environment changed).
//
// A hone whose wrapper does not know the mode variables (an older build) is detected with one probe
// compile; then the same flags are given through CFLAGS/CXXFLAGS/LDFLAGS instead, which every common
// build system reads at configure time.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "pgo/build_checks.h"
#include "pgo/build_inputs.h"
#include "pgo/cmake_file_api.h"
#include "pgo/context.h"
#include "pgo/error.h"
#include "pgo/hashing.h"
#include "support/atomic_file.h"
#include "support/contracts.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

// True when `hone <cc>` instruments a compile for HONE_PROFILE_GENERATE. Probed by compiling a
// one-line file through the wrapper and looking for the profile counters in the object,
// which does not depend on how the wrapper spells the flags or logs them.
//
// The probe compiles in a fresh private folder from mkdtemp (support/atomic_file.h), removed afterwards
// without following links: a predictable name in a shared /tmp could be a folder or a link someone else
// made first, and every write of the probe would then go where they chose.
bool wrapper_supports_modes(const Context& context) {
  static int cached = -1;
  if (cached >= 0) return cached == 1;
  support::TemporaryDirectory scratch("hone-probe");
  if (!scratch.ok()) fail_job(scratch.error() + "; set TMPDIR to a folder you can write to");
  const fs::path dir = scratch.path();
  std::ofstream(dir / "probe.c") << "int hone_probe(int x) { return x > 0 ? x + 1 : x - 1; }\n";
  ProcessSpec spec;
  spec.argv = {context.tools.hone.string(),
               context.tools.c_compiler.path.string(),
               "-O1",
               "-c",
               (dir / "probe.c").string(),
               "-o",
               (dir / "probe.o").string()};
  spec.env = {{support::k_env_profile_generate, (dir / "profiles").string()}};
  spec.stdout_file = dir / "log.txt";
  spec.stderr_file = dir / "log.txt";
  spec.timeout_seconds = 60;
  run_process(spec);
  std::ifstream in(dir / "probe.o", std::ios::binary);
  std::string object((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Clang's instrumented object has the counter section, GCC's refers to libgcov (__gcov_merge_add).
  cached = object.find(context.tools.is_clang ? "__llvm_prf_cnts" : "__gcov_") != std::string::npos ? 1 : 0;
  return cached == 1;
}

// The wrapper mode (support/contracts.h) that gives a variant's flags.
support::WrapperMode wrapper_mode(const BuildMode& mode, const fs::path& build_dir) {
  support::WrapperMode wrapper;
  wrapper.profile_generate_dir = mode.profile_generate.string();
  wrapper.profile_use_path = mode.profile_use.string();
  wrapper.lto = mode.lto == LtoMode::thin   ? support::LtoKind::thin
                : mode.lto == LtoMode::full ? support::LtoKind::full
                                            : support::LtoKind::off;
  wrapper.relocs = mode.relocs;
  wrapper.extra_compile_flags = mode.compile_flags;
  wrapper.extra_link_flags = mode.link_flags;
  wrapper.log_file = wrapper_log_path(build_dir).string();
  wrapper.compile_db = compile_db_path(build_dir).string();  // what the build reads (build_inputs.h)
  return wrapper;
}

// A build that runs ccache before hone (`CC="ccache hone clang"`, ccache's masquerade folder first)
// lets ccache look its cache up before hone adds the mode's flags, so an object cached by a plain build
// would be served to an instrumented or profile-use build. ccache hashes the files named in
// CCACHE_EXTRAFILES, so the mode's compile flags (a key file in the build folder, written by
// write_ccache_mode_key once the folder is ready) and the profile it reads go there: each variant gets
// cache entries of its own, and a hone-first chain (which ccache hashes with the flags anyway) loses nothing.
fs::path ccache_mode_key_path(const fs::path& build_dir) {
  return build_dir / ".hone-ccache-mode";
}

void add_ccache_mode_key(std::map<std::string, std::string>& env, const support::WrapperMode& wrapper,
                         const fs::path& build_dir) {
  std::string files = ccache_mode_key_path(build_dir).string();
  // GCC's profile is a folder, which ccache cannot hash; its name carries its content hash, and the
  // name is in the key file's flags.
  std::error_code error;
  if (!wrapper.profile_use_path.empty() && !fs::is_directory(wrapper.profile_use_path, error))
    files += ":" + wrapper.profile_use_path;
  const auto user_files = env.find("CCACHE_EXTRAFILES");
  const char* inherited = std::getenv("CCACHE_EXTRAFILES");
  const std::string before = user_files != env.end() ? user_files->second : inherited ? inherited : "";
  env["CCACHE_EXTRAFILES"] = before.empty() ? files : before + ":" + files;
}

void write_ccache_mode_key(const support::WrapperMode& wrapper, const fs::path& build_dir) {
  std::string key = "hone wrapper mode\n";
  for (const support::CompilerFamily family : {support::CompilerFamily::clang, support::CompilerFamily::gcc})
    key += support::encode_flag_list(support::mode_flags(wrapper, family, true, false, "")) + "\n";
  const std::string error = support::write_file_atomically(ccache_mode_key_path(build_dir).string(), key);
  if (!error.empty())
    fail_job("cannot write " + ccache_mode_key_path(build_dir).string() + ": " + error +
             "; the build folder must be writable");
}

// Through the wrapper, the mode's variables; otherwise the wrapper is switched off and the flags the
// compiler gets from the wrapper (support::mode_flags, the same list) go in CFLAGS/CXXFLAGS and LDFLAGS,
// quoted so that the build's shell or CMake passes every flag whole (support::encode_flag_list).
std::map<std::string, std::string> mode_environment(const Context& context, const BuildMode& mode,
                                                    const fs::path& build_dir, bool via_wrapper) {
  std::map<std::string, std::string> env = context.config.build_env;
  if (mode.plain) return env;
  const support::WrapperMode wrapper = wrapper_mode(mode, build_dir);
  if (via_wrapper) {
    for (const auto& [name, value] : wrapper.to_environment()) env[name] = value;
    add_ccache_mode_key(env, wrapper, build_dir);
    return env;
  }
  support::WrapperMode off;
  off.disabled = true;
  off.log_file = wrapper.log_file;
  for (const auto& [name, value] : off.to_environment()) env[name] = value;
  const support::CompilerFamily family =
      context.tools.is_clang ? support::CompilerFamily::clang : support::CompilerFamily::gcc;
  const std::string compile = support::encode_flag_list(support::mode_flags(wrapper, family, true, false, ""));
  env["CFLAGS"] = compile;
  env["CXXFLAGS"] = compile;
  env["LDFLAGS"] = support::encode_flag_list(support::mode_flags(wrapper, family, false, true, ""));
  return env;
}

// The names a configure or build command in hone.yaml may use: {build}, {source}, {jobs}, and {cc} and
// {cxx}, the CC and CXX hone sets (the wrapper and the compiler), for builds that must be given them on
// their command line (a Makefile's own "CC= gcc" overrides the environment, not make's arguments).
std::map<std::string, std::string> command_values(const Context& context, const fs::path& build_dir,
                                                  const std::map<std::string, std::string>& env) {
  auto value = [&](const char* name) { return env.count(name) ? env.at(name) : std::string(); };
  return {{"build", build_dir.string()},
          {"source", context.config.source_dir.string()},
          {"jobs", std::to_string(context.jobs())},
          {"cc", value("CC")},
          {"cxx", value("CXX")}};
}

// The configure command of the variant's folder (empty when the project has none). CMake projects get
// hone as launcher; other build systems get CC and CXX in `env` instead.
std::vector<std::string> configure_command(const Context& context, const fs::path& build_dir, const BuildMode& mode,
                                           std::map<std::string, std::string>& env) {
  const Config& config = context.config;
  std::vector<std::string> configure;
  std::string hone = context.tools.hone.string();
  std::string c = context.tools.c_compiler.path.string();
  std::string cxx = context.tools.cxx_compiler.path.string();
  if (config.build_system == BuildSystem::cmake) {
    configure = {"cmake",
                 "-S",
                 config.source_dir.string(),
                 "-B",
                 build_dir.string(),
                 "-DCMAKE_BUILD_TYPE=" + config.build_type,
                 "-DCMAKE_C_COMPILER=" + c,
                 "-DCMAKE_CXX_COMPILER=" + cxx};
    if (find_program("ninja")) configure.insert(configure.begin() + 5, {"-G", "Ninja"});
    if (!mode.plain) {
      for (const char* launcher : {"-DCMAKE_C_COMPILER_LAUNCHER=", "-DCMAKE_CXX_COMPILER_LAUNCHER=",
                                   "-DCMAKE_C_LINKER_LAUNCHER=", "-DCMAKE_CXX_LINKER_LAUNCHER="})
        configure.push_back(launcher + hone);
    }
    configure.insert(configure.end(), config.cmake_args.begin(), config.cmake_args.end());
  } else {
    env["CC"] = mode.plain ? c : hone + " " + c;
    env["CXX"] = mode.plain ? cxx : hone + " " + cxx;
    std::map<std::string, std::string> values = command_values(context, build_dir, env);
    for (const std::string& word : config.configure_command)
      configure.push_back(expand(word, values, config.file.string()));
  }
  return configure;
}

// The build command; for CMake without its --target list, which is known only after the configure
// (cmake_targets) and does not change what any compile gets, so it is not part of the folder's mode.
std::vector<std::string> build_command(const Context& context, const fs::path& build_dir,
                                       const std::map<std::string, std::string>& env) {
  const Config& config = context.config;
  if (config.build_system == BuildSystem::cmake)
    return {"cmake", "--build", build_dir.string(), "--parallel", std::to_string(context.jobs()), "--verbose"};
  std::map<std::string, std::string> values = command_values(context, build_dir, env);
  std::vector<std::string> argv;
  for (const std::string& word : config.build_command) argv.push_back(expand(word, values, config.file.string()));
  return argv;
}

// The hash of the configure and build commands and the environment: the folder's mode. A changed build
// command counts too: make cannot see that its own arguments changed ("'app' is up to date").
std::string mode_stamp(const std::vector<std::string>& configure, const std::vector<std::string>& build,
                       const std::map<std::string, std::string>& env) {
  Hasher stamp_hasher;
  for (const std::string& word : configure) stamp_hasher.add_field(word);
  stamp_hasher.add_field("build:");
  for (const std::string& word : build) stamp_hasher.add_field(word);
  for (const auto& [name, value] : env) stamp_hasher.add_field(name).add_field(value);
  return stamp_hasher.hex();
}

// True (after emptying the folder) when the folder was built in another mode or not at all, or when
// `afresh` (--force) asks for it.
bool start_afresh_if_mode_changed(const fs::path& build_dir, const fs::path& stamp_file, const std::string& stamp,
                                  bool afresh) {
  std::string old_stamp;
  if (std::ifstream in(stamp_file); in) std::getline(in, old_stamp);
  bool fresh = afresh || old_stamp != stamp;
  if (fresh) {
    fs::remove_all(build_dir);
    fs::create_directories(build_dir);
  }
  return fresh;
}

// Runs the configure and build steps of one variant in its folder, appending each step's output to the
// variant's one log and recording each command; the first failing step fails the job.
struct BuildSteps {
  Context& context;
  const std::string& variant;
  const fs::path& build_dir;
  const fs::path& log_file;
  const std::map<std::string, std::string>& env;
  nlohmann::json commands = nlohmann::json::array();

  void run(const std::vector<std::string>& argv, const std::string& step) {
    ProcessSpec spec;
    spec.argv = argv;
    spec.env = env;
    spec.cwd = build_dir;
    spec.stdout_file = log_file.string() + "." + step;
    spec.stderr_file = spec.stdout_file;
    context.progress.live(variant + ": " + step + " ...", spec.stdout_file);
    ProcessResult result = run_process(spec);
    // Keep one log per variant that holds configure and build output in order.
    {
      std::ifstream part(spec.stdout_file);
      std::ofstream all(log_file, std::ios::app);
      all << "$ " << shell_quote(argv) << "\n" << part.rdbuf();
    }
    fs::remove(spec.stdout_file);
    // The environment hone gave the step is part of what the compiler got (the mode's variables, or its
    // flags in CFLAGS/LDFLAGS), so the manifest records it beside the command.
    commands.push_back({{"argv", argv}, {"environment", env}, {"seconds", result.seconds}, {"exit", result.exit_code}});
    if (!result.started || result.exit_code != 0 || result.signal != 0)
      fail_job("the " + variant + " build failed: '" + shell_quote(argv) + "' " + describe_outcome(result, spec) +
               "\n  last lines of " + log_file.string() + ":\n" + tail_of_file(log_file, 15) +
               "  fix the build (it is the project's own build, run with hone's flags), then run 'hone pgo' again");
  }
};

// CMake: the targets that build the listed binaries, from the file API reply of the folder's configure.
// A reused folder's reply can be missing (configured before hone queried the file API) or older than the
// project (a target added since, which the build's own re-configure would know): before a binary counts
// as unknown, the folder is configured again.
std::vector<std::string> cmake_targets(const Context& context, BuildSteps& steps,
                                       const std::vector<std::string>& configure, const fs::path& build_dir,
                                       bool configured) {
  const std::vector<Binary>& binaries = context.config.binaries;
  if (!configured) {
    try {
      if (const auto reply = read_codemodel(build_dir)) return targets_for_binaries(binaries, reply);
    } catch (const PgoError&) {
      // Told again below, after the configure, if it still holds.
    }
    steps.run(configure, "configure");
  }
  return targets_for_binaries(binaries, read_codemodel(build_dir));
}

}  // namespace

nlohmann::json build_variant(Context& context, const std::string& variant, const fs::path& build_dir,
                             const BuildMode& mode, const fs::path& log_file) {
  bool via_wrapper = !mode.plain && wrapper_supports_modes(context);
  std::map<std::string, std::string> env = mode_environment(context, mode, build_dir, via_wrapper);

  // A different mode (or configure command) means a fresh folder: the build system cannot see it.
  const std::vector<std::string> configure = configure_command(context, build_dir, mode, env);
  const std::vector<std::string> build = build_command(context, build_dir, env);
  const std::string stamp = mode_stamp(configure, build, env);
  const fs::path stamp_file = build_dir / ".hone-mode";
  const bool fresh = start_afresh_if_mode_changed(build_dir, stamp_file, stamp, mode.afresh);
  fs::create_directories(log_file.parent_path());
  if (via_wrapper) write_ccache_mode_key(wrapper_mode(mode, build_dir), build_dir);

  BuildSteps steps{context, variant, build_dir, log_file, env};
  std::error_code error;
  fs::remove(log_file, error);
  const SourceSnapshot sources = SourceSnapshot::take(context.config);
  const bool cmake = context.config.build_system == BuildSystem::cmake;
  if (cmake) {
    const std::string query = write_codemodel_query(build_dir);  // before any configure, which answers it
    if (!query.empty()) fail_job(query + "; the build folder must be writable");
  }
  if (fresh && !configure.empty()) steps.run(configure, "configure");
  const std::vector<std::string> targets =
      cmake ? cmake_targets(context, steps, configure, build_dir, fresh) : std::vector<std::string>{};
  std::vector<std::string> build_argv = build;
  if (!targets.empty()) build_argv.push_back("--target");
  build_argv.insert(build_argv.end(), targets.begin(), targets.end());
  steps.run(build_argv, "build");
  check_no_source_writes(context.config, variant, sources);
  if (via_wrapper) check_compiled_through_wrapper(context, variant, build_dir);
  write_file_atomically(stamp_file, stamp + "\n");
  return {{"commands", steps.commands},
          {"targets", targets},
          {"flags_through", mode.plain    ? "none (baseline)"
                            : via_wrapper ? "wrapper"
                                          : "CFLAGS/LDFLAGS"},
          {"environment", env}};
}

std::map<std::string, fs::path> product_binaries(const Context& context, const fs::path& build_dir) {
  std::map<std::string, fs::path> binaries;
  for (const Binary& binary : context.config.binaries) {
    fs::path path = build_dir / binary.path;
    if (!fs::is_regular_file(path))
      fail_job("the build did not produce binary '" + binary.name + "' at " + path.string() + "; check 'binaries' in " +
               context.config.file.string() + " (paths are relative to the build folder)");
    binaries[binary.name] = path;
  }
  return binaries;
}

int Context::jobs() const {
  if (options.jobs > 0) return options.jobs;
  unsigned count = std::thread::hardware_concurrency();
  return count == 0 ? 2 : static_cast<int>(count);
}

}  // namespace hone::pgo
