// Units for the small pieces the stages rely on: hashing, manifests, profile headers, placeholder
// expansion, version parsing and running processes.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "pgo/context.h"
#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/imports.h"
#include "pgo/manifest.h"
#include "pgo/profile_format.h"
#include "pgo/toolchain.h"
#include "pgo/work_folder.h"
#include "scratch_folder.h"

namespace hone::pgo {
namespace {

namespace fs = std::filesystem;

TEST(Hashing, FieldsAreUnambiguous) {
  EXPECT_NE(Hasher().add_field("ab").add_field("c").hex(), Hasher().add_field("a").add_field("bc").hex());
  EXPECT_EQ(hash_string("x").size(), 16u);
}

TEST(Hashing, TreeHashSeesContentAndSkipsBuildFolders) {
  fs::path dir = test::scratch_folder("tree");
  std::ofstream(dir / "a.c") << "int a;";
  std::string before = hash_tree(dir, dir / ".hone");
  fs::create_directories(dir / ".hone");
  std::ofstream(dir / ".hone" / "log") << "ignored";
  fs::create_directories(dir / "build-release");
  std::ofstream(dir / "build-release" / "x.o") << "ignored";
  EXPECT_EQ(hash_tree(dir, dir / ".hone"), before);
  std::ofstream(dir / "a.c") << "int b;";
  EXPECT_NE(hash_tree(dir, dir / ".hone"), before);
  fs::remove_all(dir);
}

TEST(Manifest, RoundTripAndIntactOutputs) {
  fs::path dir = test::scratch_folder("manifest");
  fs::path output = dir / "out.bin";
  std::ofstream(output) << "payload";
  Manifest manifest;
  manifest.stage = "train";
  manifest.input_key = "k1";
  manifest.outputs[output.string()] = hash_file(output);
  manifest.facts["n"] = 3;
  write_manifest(dir, manifest);
  std::optional<Manifest> read = read_manifest(dir);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->input_key, "k1");
  EXPECT_EQ(read->facts["n"], 3);
  EXPECT_TRUE(outputs_intact(*read));
  std::ofstream(output) << "changed";
  EXPECT_FALSE(outputs_intact(*read));
  std::ofstream(manifest_path(dir)) << "{ truncated";
  EXPECT_FALSE(read_manifest(dir));
  fs::remove_all(dir);
}

// A manifest with any field of a type hone did not write counts as absent (issue 11, item 11): the stage
// runs again instead of every command failing.
TEST(Manifest, WrongTypesCountAsAbsent) {
  fs::path dir = test::scratch_folder("manifest-types");
  fs::path output = dir / "out.bin";
  std::ofstream(output) << "payload";
  Manifest manifest;
  manifest.stage = "verify";
  manifest.input_key = "k";
  manifest.outputs[output.string()] = hash_file(output);
  manifest.facts = {{"binaries", {{"app", output.string()}}},
                    {"merged_profile", "/p"},
                    {"results",
                     {{{"workload", "w"},
                       {"variant", "v"},
                       {"median_seconds", 1.0},
                       {"speedup", 2.0},
                       {"ci_low", 1.5},
                       {"ci_high", 2.5},
                       {"verdict", "faster"}}}}};
  write_manifest(dir, manifest);
  std::ifstream in(manifest_path(dir));
  const nlohmann::json good = nlohmann::json::parse(in);
  ASSERT_TRUE(read_manifest(dir));
  std::string escaped_output;  // a JSON pointer spells '/' inside a key as "~1"
  for (char c : output.string())
    escaped_output += c == '/' ? std::string("~1") : c == '~' ? std::string("~0") : std::string(1, c);
  const std::vector<std::pair<std::string, nlohmann::json>> damage = {
      {"/input_key", 5},
      {"/status", true},
      {"/stage", nullptr},
      {"/inputs", "x"},
      {"/commands", 1},
      {"/outputs", nlohmann::json::array({1})},
      {"/outputs/" + escaped_output, 7},
      {"/facts", "x"},
      {"/seconds", "fast"},
      {"/facts/binaries/app", 3},
      {"/facts/merged_profile", nlohmann::json::object()},
      {"/facts/results/0/ci_low", "low"},
      {"/facts/results/0/verdict", 1},
      {"/facts/results", nlohmann::json::object()},
      {"/facts/functions_without_profile", {1, 2}},
      {"/facts/workloads", {{"w", {{"profile", 9}}}}},
  };
  for (const auto& [pointer, value] : damage) {
    nlohmann::json document = good;
    document[nlohmann::json::json_pointer(pointer)] = value;
    std::ofstream(manifest_path(dir)) << document.dump();
    EXPECT_FALSE(read_manifest(dir)) << pointer;
  }
  nlohmann::json incomplete = good;
  incomplete.erase("input_key");
  std::ofstream(manifest_path(dir)) << incomplete.dump();
  EXPECT_FALSE(read_manifest(dir));
  incomplete = good;
  incomplete["facts"]["results"][0].erase("ci_high");  // a speedup without its interval
  std::ofstream(manifest_path(dir)) << incomplete.dump();
  EXPECT_FALSE(read_manifest(dir));
  std::ofstream(manifest_path(dir)) << "[1, 2]";
  EXPECT_FALSE(read_manifest(dir));
  // Nested far deeper than hone writes (a fuzz finding: pretty-printing it back was quadratic in the depth).
  nlohmann::json deep = good;
  nlohmann::json chain = 1;
  for (int level = 0; level < 40; ++level) chain = nlohmann::json{{"a", chain}};
  deep["facts"]["extra"] = chain;
  std::ofstream(manifest_path(dir)) << deep.dump();
  EXPECT_FALSE(read_manifest(dir));
  fs::remove_all(dir);
}

TEST(Manifest, ChangedOutputsAreNamed) {
  fs::path dir = test::scratch_folder("manifest-changed");
  Manifest manifest;
  for (const char* name : {"same", "changed", "gone"}) {
    std::ofstream(dir / name) << "content";
    manifest.outputs[(dir / name).string()] = hash_file(dir / name);
  }
  std::ofstream(dir / "changed", std::ios::app) << "X";
  fs::remove(dir / "gone");
  std::vector<fs::path> changed = changed_outputs(manifest);
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<fs::path>{dir / "changed", dir / "gone"}));
  EXPECT_FALSE(outputs_intact(manifest));
  fs::remove_all(dir);
}

// The work folder is hone's own (issue 11, items 1 and 12).
Config work_config(const fs::path& project, const fs::path& work_dir) {
  Config config;
  config.file = project / "hone.yaml";
  config.root = project;
  config.source_dir = project;
  config.work_dir = work_dir;
  config.work_dir_location = config.file.string();
  return config;
}

TEST(WorkFolder, TakesNewOrEmptyFoldersAndRefusesForeignOnes) {
  fs::path dir = test::scratch_folder("work-take");
  Config fresh = work_config(dir / "project", dir / "project" / ".hone");
  {
    WorkFolder folder = WorkFolder::take(fresh);
    EXPECT_TRUE(fs::exists(fresh.work_dir / k_work_marker));
    std::ifstream in(fresh.work_dir / k_work_marker);
    nlohmann::json marker = nlohmann::json::parse(in);
    EXPECT_EQ(marker["entries"],
              nlohmann::json({"hone-pgo.lock", "instrument", "merge", "optimize", "train", "verify"}));
  }
  WorkFolder again = WorkFolder::take(fresh);  // the lock was released with the first object

  fs::create_directories(dir / "empty");
  WorkFolder empty = WorkFolder::take(work_config(dir / "project", dir / "empty"));

  fs::create_directories(dir / "foreign");
  std::ofstream(dir / "foreign" / "notes.txt") << "mine";
  try {
    WorkFolder::take(work_config(dir / "project", dir / "foreign"));
    ADD_FAILURE() << "a folder with the user's files was taken";
  } catch (const PgoError& error) {
    EXPECT_EQ(error.exit_code(), k_exit_bad_input);
    EXPECT_NE(std::string(error.what()).find("holds files hone did not create (notes.txt)"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir / "foreign" / k_work_marker));
  EXPECT_FALSE(fs::exists(dir / "foreign" / k_work_lock));
  fs::remove_all(dir);
}

TEST(WorkFolder, SecondTakerIsRefusedWithThePidOfTheFirst) {
  fs::path dir = test::scratch_folder("work-lock");
  Config config = work_config(dir / "project", dir / "project" / ".hone");
  WorkFolder first = WorkFolder::take(config);
  try {
    WorkFolder::take(config);  // flock conflicts between two open files, even in one process
    ADD_FAILURE() << "two runs took one work folder";
  } catch (const PgoError& error) {
    EXPECT_EQ(error.exit_code(), k_exit_job_failed);
    EXPECT_NE(std::string(error.what()).find("another hone pgo (pid " + std::to_string(getpid()) + ")"),
              std::string::npos);
  }
  fs::remove_all(dir);
}

TEST(WorkFolder, CleanRemovesOnlyWhatTheMarkerLists) {
  fs::path dir = test::scratch_folder("work-clean");
  Config config = work_config(dir / "project", dir / "project" / ".hone");
  {
    WorkFolder folder = WorkFolder::take(config);
  }
  fs::create_directories(config.work_dir / "train" / "raw");
  std::ofstream(config.work_dir / "train" / "raw" / "x.profraw") << "x";
  fs::create_symlink(dir / "project", config.work_dir / "train" / "project-link");  // removed, not followed
  std::ofstream(dir / "project" / "hone.yaml") << "kept";
  std::ofstream(config.work_dir / "notes.txt") << "the user's";
  testing::internal::CaptureStdout();
  EXPECT_EQ(clean_work_folder(config), 0);
  EXPECT_NE(
      testing::internal::GetCapturedStdout().find("kept the folder, which holds files hone did not make: notes.txt"),
      std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "project" / "hone.yaml"));
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(config.work_dir)) left.push_back(entry.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"notes.txt"});
  fs::remove(config.work_dir / "notes.txt");
  EXPECT_THROW(clean_work_folder(config), PgoError);  // no marker any more: not hone's to remove
  fs::remove_all(dir);
}

TEST(WorkFolder, CleanFinishesAFolderLeftWithOnlyItsLock) {
  fs::path dir = test::scratch_folder("work-lock-only");
  Config config = work_config(dir / "project", dir / "project" / ".hone");
  fs::create_directories(config.work_dir);
  std::ofstream(config.work_dir / k_work_lock) << "12345\n";  // a run killed before it wrote the marker
  testing::internal::CaptureStdout();
  EXPECT_EQ(clean_work_folder(config), 0);
  testing::internal::GetCapturedStdout();
  EXPECT_FALSE(fs::exists(config.work_dir));
  fs::remove_all(dir);
}

TEST(WorkFolder, AMarkerFromAnOlderHoneListsTheStageFolders) {
  fs::path dir = test::scratch_folder("work-old-marker");
  Config config = work_config(dir / "project", dir / "project" / ".hone");
  fs::create_directories(config.work_dir / "instrument" / "build");
  fs::create_directories(config.work_dir / "bolt");
  std::ofstream(config.work_dir / k_work_marker) << "hone pgo work folder for " << config.file.string() << "\n";
  std::ofstream(config.work_dir / "info.tmp") << "scratch";
  {
    WorkFolder folder = WorkFolder::take(config);
  }  // an older work folder is taken as it is
  testing::internal::CaptureStdout();
  EXPECT_EQ(clean_work_folder(config), 0);
  testing::internal::GetCapturedStdout();
  EXPECT_FALSE(fs::exists(config.work_dir));
  fs::remove_all(dir);
}

TEST(ProfileFormat, RecognisesMagicAndRejectsGarbage) {
  fs::path dir = test::scratch_folder("profile");
  std::ofstream(dir / "garbage.profraw") << "not a profile at all, certainly not";
  EXPECT_EQ(profile_file_kind(dir / "garbage.profraw"), ProfileFileKind::unknown);
  EXPECT_FALSE(read_raw_profile_header(dir / "garbage.profraw").valid);
  // A raw header: magic, then version 10 with the IR-level variant bit, then padding to header size.
  std::string raw("\x81\x72\x66\x6f\x72\x70\x6c\xff\x0a\x00\x00\x00\x00\x00\x00\x01", 16);
  raw += std::string(200, '\0');
  std::ofstream(dir / "ok.profraw", std::ios::binary) << raw;
  EXPECT_EQ(profile_file_kind(dir / "ok.profraw"), ProfileFileKind::raw);
  RawProfileHeader header = read_raw_profile_header(dir / "ok.profraw");
  EXPECT_TRUE(header.valid);
  EXPECT_EQ(header.version, 10u);
  EXPECT_TRUE(header.ir_level);
  std::ofstream(dir / "short.profraw", std::ios::binary) << raw.substr(0, 40);
  EXPECT_FALSE(read_raw_profile_header(dir / "short.profraw").valid);
  fs::remove_all(dir);
}

TEST(Expand, ReplacesKnownPlaceholdersAndRejectsUnknownOnes) {
  std::map<std::string, std::string> values = {{"bin", "/b/app"}, {"bin:tool", "/b/tool"}, {"source", "/s"}};
  EXPECT_EQ(expand("{bin}", values, "here"), "/b/app");
  EXPECT_EQ(expand("--in={source}/x --t={bin:tool}", values, "here"), "--in=/s/x --t=/b/tool");
  EXPECT_EQ(expand("no braces", values, "here"), "no braces");
  try {
    expand("{nope}", values, "hone.yaml:3:5");
    FAIL() << "expected an error";
  } catch (const PgoError& error) {
    EXPECT_NE(std::string(error.what()).find("hone.yaml:3:5: unknown placeholder '{nope}'"), std::string::npos);
  }
}

TEST(Toolchain, ParsesClangAndLlvmVersions) {
  EXPECT_EQ(parse_llvm_version("Debian clang version 19.1.7 (3~deb12u1)\nTarget: x86_64"), "19.1.7");
  EXPECT_EQ(parse_llvm_version("LLVM (http://llvm.org/):\n  LLVM version 18.1.8\n"), "18.1.8");
  EXPECT_EQ(parse_llvm_version("gcc (Debian 12.2.0-14) 12.2.0"), "");
}

TEST(Process, ReportsExitSignalTimeoutAndMissingProgram) {
  ProcessResult exited = run_process(spec_of({"sh", "-c", "exit 4"}));
  EXPECT_TRUE(exited.started);
  EXPECT_EQ(exited.exit_code, 4);
  ProcessResult killed = run_process(spec_of({"sh", "-c", "kill -SEGV $$"}));
  EXPECT_EQ(killed.signal, 11);
  ProcessSpec slow = spec_of({"sleep", "5"});
  slow.timeout_seconds = 0.05;
  ProcessResult timed_out = run_process(slow);
  EXPECT_TRUE(timed_out.timed_out);
  EXPECT_LT(timed_out.seconds, 2);
  ProcessResult missing = run_process(spec_of({"/no/such/program"}));
  EXPECT_FALSE(missing.started);
  EXPECT_NE(describe_outcome(missing, spec_of({"/no/such/program"})).find("could not be started"), std::string::npos);
}

TEST(Process, PassesEnvironmentAndWorkingFolderAndCapturesOutput) {
  fs::path dir = test::scratch_folder("process");
  ProcessSpec spec = spec_of({"sh", "-c", "echo \"$HONE_TEST_VALUE $(pwd)\""});
  spec.env = {{"HONE_TEST_VALUE", "hello"}};
  spec.cwd = dir;
  spec.stdout_file = dir / "out.txt";
  ASSERT_EQ(run_process(spec).exit_code, 0);
  std::ifstream in(dir / "out.txt");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "hello " + fs::canonical(dir).string());
  EXPECT_EQ(shell_quote({"a b", "c", "it's"}), "'a b' c 'it'\\''s'");
  fs::remove_all(dir);
}

// A workload that signals hone the moment it starts (as `kill -INT $PPID` in a training script, or a
// Ctrl-C in that instant) must still be stopped: the signal has to be forwarded to the workload's
// group even when it arrives before hone has finished starting the child. CI saw the workload run on
// when the machine was loaded, because the signal came before hone recorded the child's group. Each
// round runs in a forked process (the interruption is remembered for the rest of a hone pgo run) next
// to busy processes that keep both cores loaded, like CI's parallel tests do.
TEST(Process, AnInterruptAsTheWorkloadStartsIsForwardedToIt) {
  fs::path dir = test::scratch_folder("early-interrupt");
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  std::vector<pid_t> busy;
  for (unsigned i = 0; i < cores; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      // Spins until killed. The volatile counter is an observable side effect: clang removes an infinite
      // loop without one (C++ forward progress), and the child then ran on as a second copy of this
      // test, whose last step SIGKILLed its `busy` pid 0, the whole process group, ctest included.
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives the test
      volatile unsigned long spins = 0;
      for (;;) spins = spins + 1;
    }
    if (pid < 0) break;  // fewer busy processes: the rounds still run
    busy.push_back(pid);
  }
  int workloads_left_running = 0;
  const int rounds = 30;
  for (int round = 0; round < rounds; ++round) {
    fs::path ran_on = dir / ("ran-on-" + std::to_string(round));
    pid_t runner = fork();
    if (runner == 0) {
      int status = 3;
      try {
        run_process(spec_of({"sh", "-c", "kill -INT $PPID; sleep 0.2; touch '" + ran_on.string() + "'"}));
        status = 2;  // hone must report the interruption
      } catch (const PgoError& error) {
        status = error.exit_code() == 130 ? 0 : 4;
      }
      _exit(status);
    }
    int status = 0;
    waitpid(runner, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round << ": status " << status;
  }
  for (pid_t pid : busy) kill(pid, SIGKILL);
  for (pid_t pid : busy) waitpid(pid, nullptr, 0);
  usleep(500 * 1000);  // a workload the signal missed has created its file by now
  for (int round = 0; round < rounds; ++round)
    if (fs::exists(dir / ("ran-on-" + std::to_string(round)))) ++workloads_left_running;
  EXPECT_EQ(workloads_left_running, 0) << "of " << rounds << " rounds";
  fs::remove_all(dir);
}

// merge --add and --perf-data share one list of imported files (pgo/imports.h).
TEST(Imports, SpecWeightsCopiesAndADamagedList) {
  fs::path dir = test::scratch_folder("imports");
  std::ofstream(dir / "a:b.profdata") << "one";
  std::ofstream(dir / "same.profdata") << "one";
  // A colon followed by digits is the weight; any other colon belongs to the name.
  ImportSpec named = parse_import_spec("--add", (dir / "a:b.profdata").string());
  EXPECT_EQ(named.file, (dir / "a:b.profdata").string());
  EXPECT_EQ(named.weight, 1);
  EXPECT_EQ(parse_import_spec("--add", (dir / "a:b.profdata").string() + ":3").weight, 3);
  try {
    parse_import_spec("--perf-data", (dir / "same.profdata").string() + ":0");
    ADD_FAILURE() << "weight 0 was accepted";
  } catch (const PgoError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_NE(std::string(error.what()).find("--perf-data"), std::string::npos) << error.what();
  }
  EXPECT_THROW(parse_import_spec("--add", (dir / "missing.profdata").string()), PgoError);

  // The same content imported twice is one copy, with the later weight.
  std::vector<ImportedFile> imports;
  add_import(imports, dir / "imported", (dir / "a:b.profdata").string(), ".profdata", 2);
  add_import(imports, dir / "imported", (dir / "same.profdata").string(), ".profdata", 5);
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].weight, 5);
  write_import_list(dir / "list.json", imports);
  std::vector<ImportedFile> read = read_import_list(dir / "list.json");
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].file, imports[0].file);
  EXPECT_EQ(read[0].original, fs::absolute(dir / "same.profdata").string());

  // A hand-edited list: the damaged entry is left out, the good one kept; not JSON at all is no list.
  std::ofstream(dir / "damaged.json") << R"([{"file": 5}, {"file": "x.profdata", "weight": 2}])";
  read = read_import_list(dir / "damaged.json");
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].weight, 2);
  std::ofstream(dir / "garbage.json") << "{not json";
  EXPECT_TRUE(read_import_list(dir / "garbage.json").empty());
  EXPECT_TRUE(read_import_list(dir / "absent.json").empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hone::pgo
