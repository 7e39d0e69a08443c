// Known answers for the process contract, on real processes: exit statuses and signals, a program that
// could not be started told apart from one that exits 127, timeouts that take a child's whole process
// group with it, working folder and environment, captured and streamed output, and children that die
// with a parent killed by SIGKILL.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/process.h"

namespace hone::support {
namespace {

namespace fs = std::filesystem;

ProcessSpec spec_of(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

// A fresh, empty folder for one test.
fs::path scratch(const std::string& name) {
  fs::path folder = fs::path(testing::TempDir()) / ("hone-process-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

void write_file(const fs::path& path, const std::string& text, fs::perms perms = fs::perms::owner_all) {
  std::ofstream(path) << text;
  fs::permissions(path, perms);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// True while `pid` exists and is not a zombie (an orphan can stay a zombie until its reaper runs).
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  const std::size_t close_paren = text.rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < text.size() && text[close_paren + 2] != 'Z';
}

// Waits up to `patience` for `pid` to be gone.
bool gone_soon(pid_t pid, std::chrono::milliseconds patience = std::chrono::seconds(5)) {
  for (int i = 0; i < patience.count() / 10 && running(pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return !running(pid);
}

pid_t pid_in(const fs::path& file) {
  for (int i = 0; i < 500 && read_file(file).empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return static_cast<pid_t>(std::atoi(read_file(file).c_str()));
}

TEST(SupportProcess, ExitStatusAndSignal) {
  Outcome ok = run(spec_of({"true"}));
  EXPECT_TRUE(ok.started);
  EXPECT_TRUE(ok.succeeded());
  EXPECT_EQ(ok.exit_code, 0);

  Outcome three = run(spec_of({"sh", "-c", "exit 3"}));
  EXPECT_EQ(three.exit_code, 3);
  EXPECT_EQ(three.signal, 0);
  EXPECT_FALSE(three.succeeded());
  EXPECT_EQ(describe_outcome(three), "exited with status 3");

  Outcome segv = run(spec_of({"sh", "-c", "kill -SEGV $$"}));
  EXPECT_EQ(segv.signal, SIGSEGV);
  EXPECT_EQ(segv.exit_code, -1);
  EXPECT_EQ(describe_outcome(segv), "was killed by signal 11 (Segmentation fault)");
}

TEST(SupportProcess, StartFailuresAreNotExitStatuses) {
  Outcome exit_127 = run(spec_of({"sh", "-c", "exit 127"}));
  EXPECT_TRUE(exit_127.started);
  EXPECT_EQ(exit_127.exit_code, 127);

  Outcome missing = run(spec_of({"/no/such/program"}));
  EXPECT_FALSE(missing.started);
  EXPECT_EQ(missing.start_error, "No such file or directory");
  EXPECT_EQ(describe_outcome(missing), "could not be started (No such file or directory)");

  Outcome not_on_path = run(spec_of({"hone-no-such-program-anywhere"}));
  EXPECT_FALSE(not_on_path.started);
  EXPECT_EQ(not_on_path.start_error, "No such file or directory");

  const fs::path folder = scratch("start");
  write_file(folder / "plain.txt", "not a program\n", fs::perms::owner_read | fs::perms::owner_write);
  Outcome not_executable = run(spec_of({(folder / "plain.txt").string()}));
  EXPECT_FALSE(not_executable.started);
  EXPECT_EQ(not_executable.start_error, "Permission denied");

  ProcessSpec no_folder = spec_of({"true"});
  no_folder.cwd = (folder / "absent").string();
  EXPECT_EQ(run(no_folder).start_error, "cannot enter folder '" + no_folder.cwd + "': No such file or directory");

  ProcessSpec no_output = spec_of({"true"});
  no_output.stdout_sink = Sink::file;
  no_output.stdout_file = (folder / "absent" / "out.txt").string();
  EXPECT_EQ(run(no_output).start_error, "cannot write '" + no_output.stdout_file + "': No such file or directory");

  EXPECT_EQ(run(spec_of({})).start_error, "empty command");
  fs::remove_all(folder);
}

TEST(SupportProcess, ScriptWithoutInterpreterLineRunsInSh) {
  const fs::path folder = scratch("script");
  write_file(folder / "plain-script", "echo from-sh\n");
  ProcessSpec spec = spec_of({(folder / "plain-script").string()});
  spec.stdout_sink = Sink::capture;
  Outcome outcome = run(spec);
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(outcome.stdout_text, "from-sh\n");
  fs::remove_all(folder);
}

TEST(SupportProcess, TimeoutKillsTheWholeProcessGroup) {
  const fs::path folder = scratch("timeout");
  const fs::path pid_file = folder / "grandchild.pid";
  ProcessSpec spec = spec_of({"sh", "-c", "sleep 60 & echo $! > '" + pid_file.string() + "'; wait"});
  spec.own_process_group = true;
  spec.timeout_seconds = 0.3;
  Outcome outcome = run(spec);
  EXPECT_TRUE(outcome.started);
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_EQ(outcome.signal, SIGKILL);
  EXPECT_LT(outcome.wall_seconds, 10);
  EXPECT_GE(outcome.wall_seconds, 0.3);
  EXPECT_EQ(describe_outcome(outcome), "timed out after 0.3 s");
  const pid_t grandchild = pid_in(pid_file);
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(gone_soon(grandchild));
  fs::remove_all(folder);
}

TEST(SupportProcess, FinishTimeoutCountsFromTheWait) {
  RunningProcess quick = start(spec_of({"sh", "-c", "exit 4"}));
  ASSERT_TRUE(quick.started());
  Outcome quick_outcome = finish(quick, 30);
  EXPECT_EQ(quick_outcome.exit_code, 4);
  EXPECT_FALSE(quick_outcome.timed_out);
  EXPECT_FALSE(quick.started());  // finished: nothing left to wait for

  RunningProcess slow = start(spec_of({"sleep", "60"}));
  const pid_t pid = slow.pid();
  Outcome slow_outcome = finish(slow, 0.2);
  EXPECT_TRUE(slow_outcome.timed_out);
  EXPECT_EQ(slow_outcome.signal, SIGKILL);
  EXPECT_FALSE(running(pid));
}

TEST(SupportProcess, AnUnfinishedChildIsKilledWhenDropped) {
  pid_t pid = -1;
  {
    ProcessSpec spec = spec_of({"sleep", "60"});
    spec.own_process_group = true;
    RunningProcess process = start(spec);
    pid = process.pid();
    ASSERT_GT(pid, 0);
    RunningProcess moved = std::move(process);
    EXPECT_EQ(process.pid(), -1);  // NOLINT(bugprone-use-after-move): a moved-from process owns nothing
    EXPECT_EQ(moved.pid(), pid);
  }
  EXPECT_FALSE(running(pid));
}

TEST(SupportProcess, WorkingFolderWithoutMovingTheCaller) {
  const fs::path folder = scratch("cwd");
  const fs::path before = fs::current_path();
  ProcessSpec spec = spec_of({"pwd", "-P"});
  spec.cwd = folder.string();
  spec.stdout_sink = Sink::capture;
  EXPECT_EQ(run(spec).stdout_text, fs::canonical(folder).string() + "\n");
  EXPECT_EQ(fs::current_path(), before);
  fs::remove_all(folder);
}

TEST(SupportProcess, EnvironmentSetAndRemoved) {
  setenv("HONE_PROCESS_TEST_GONE", "still here", 1);
  setenv("HONE_PROCESS_TEST_KEPT", "kept", 1);
  ProcessSpec spec = spec_of({"sh", "-c",
                              "echo \"$HONE_PROCESS_TEST_SET|${HONE_PROCESS_TEST_GONE-unset}|"
                              "$HONE_PROCESS_TEST_KEPT\""});
  spec.env = {{"HONE_PROCESS_TEST_SET", "a b=c"}};
  spec.unset_env = {"HONE_PROCESS_TEST_GONE"};
  spec.stdout_sink = Sink::capture;
  EXPECT_EQ(run(spec).stdout_text, "a b=c|unset|kept\n");
  unsetenv("HONE_PROCESS_TEST_GONE");
  unsetenv("HONE_PROCESS_TEST_KEPT");

  // The program is looked up on the child's PATH, as execvp in the child would.
  const fs::path folder = scratch("env");
  write_file(folder / "hone-test-tool", "#!/bin/sh\necho tool \"$@\"\n");
  ProcessSpec tool = spec_of({"hone-test-tool", "x"});
  tool.env = {{"PATH", folder.string() + ":/usr/bin:/bin"}};
  tool.stdout_sink = Sink::capture;
  EXPECT_EQ(run(tool).stdout_text, "tool x\n");
  fs::remove_all(folder);
}

TEST(SupportProcess, OutputSinks) {
  const char* both = "echo out; echo err >&2";
  ProcessSpec separate = spec_of({"sh", "-c", both});
  separate.stdout_sink = Sink::capture;
  separate.stderr_sink = Sink::capture;
  Outcome separated = run(separate);
  EXPECT_EQ(separated.stdout_text, "out\n");
  EXPECT_EQ(separated.stderr_text, "err\n");

  ProcessSpec merged = spec_of({"sh", "-c", both});
  merged.stdout_sink = Sink::capture;
  merged.stderr_sink = Sink::into_stdout;
  EXPECT_EQ(run(merged).stdout_text, "out\nerr\n");

  ProcessSpec to_stderr = spec_of({"sh", "-c", both});
  to_stderr.stdout_sink = Sink::into_stderr;
  to_stderr.stderr_sink = Sink::capture;
  EXPECT_EQ(run(to_stderr).stderr_text, "out\nerr\n");

  const fs::path folder = scratch("sinks");
  ProcessSpec logged = spec_of({"sh", "-c", both});
  logged.stdout_sink = logged.stderr_sink = Sink::file;
  logged.stdout_file = logged.stderr_file = (folder / "log.txt").string();
  EXPECT_EQ(run(logged).exit_code, 0);
  EXPECT_EQ(read_file(folder / "log.txt"), "out\nerr\n");

  ProcessSpec discarded = spec_of({"sh", "-c", both});
  discarded.stdout_sink = Sink::discard;
  discarded.stderr_sink = Sink::discard;
  EXPECT_TRUE(run(discarded).succeeded());

  // A megabyte of output never blocks the child: it goes to a memory file, not a pipe.
  ProcessSpec large = spec_of({"head", "-c", "1048576", "/dev/zero"});
  large.stdout_sink = Sink::capture;
  large.timeout_seconds = 30;
  EXPECT_EQ(run(large).stdout_text.size(), 1048576u);

  ProcessSpec no_input = spec_of({"cat"});
  no_input.stdin_from_null = true;
  no_input.stdout_sink = Sink::capture;
  no_input.timeout_seconds = 30;
  Outcome read_nothing = run(no_input);
  EXPECT_TRUE(read_nothing.succeeded());
  EXPECT_EQ(read_nothing.stdout_text, "");
  fs::remove_all(folder);
}

TEST(SupportProcess, StreamingReadsAsTheChildWritesAndMayStopEarly) {
  ProcessSpec spec = spec_of({"seq", "1", "200000"});
  spec.stdout_sink = Sink::stream;
  int lines = 0;
  spec.on_stdout = [&](std::istream& in) {
    for (std::string line; std::getline(in, line);) ++lines;
  };
  EXPECT_TRUE(run(spec).succeeded());
  EXPECT_EQ(lines, 200000);

  // The consumer stops after one line: the rest is drained, the child is neither blocked nor killed.
  std::string first;
  spec.on_stdout = [&](std::istream& in) { std::getline(in, first); };
  Outcome stopped = run(spec);
  EXPECT_EQ(first, "1");
  EXPECT_TRUE(stopped.succeeded()) << describe_outcome(stopped);

  // A stream that goes quiet is ended by the timeout.
  ProcessSpec quiet = spec_of({"sh", "-c", "echo first; exec sleep 60"});
  quiet.stdout_sink = Sink::stream;
  quiet.timeout_seconds = 0.3;
  std::string text;
  quiet.on_stdout = [&](std::istream& in) { text.assign(std::istreambuf_iterator<char>(in), {}); };
  Outcome timed_out = run(quiet);
  EXPECT_EQ(text, "first\n");
  EXPECT_TRUE(timed_out.timed_out);
}

TEST(SupportProcess, WallAndCpuTime) {
  Outcome busy = run(spec_of({"sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"}));
  EXPECT_TRUE(busy.succeeded());
  EXPECT_GT(busy.cpu_seconds, 0.01);
  EXPECT_GT(busy.wall_seconds, 0.01);
  Outcome idle = run(spec_of({"sleep", "0.2"}));
  EXPECT_GE(idle.wall_seconds, 0.2);
  EXPECT_LT(idle.cpu_seconds, 0.1);
}

TEST(SupportProcess, InterruptsAreForTheChild) {
  // hone (this test) ignores the SIGINT the child sends to it; the child gets its default action back.
  ProcessSpec spec = spec_of({"sh", "-c", "kill -INT $PPID; kill -INT $$; exit 0"});
  spec.ignore_interrupts = true;
  Outcome outcome = run(spec);
  EXPECT_EQ(outcome.signal, SIGINT);
  struct sigaction now{};
  sigaction(SIGINT, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);  // restored after the run
}

// A middle process starts `command` (which writes the pid of a long sleep to `pid_file`) in its own
// process group and waits; the test kills the middle process with SIGKILL and reports whether the
// sleep went with it.
bool sleep_dies_with_killed_parent(const std::string& command, bool die_with_parent, const fs::path& pid_file) {
  const pid_t middle = fork();
  if (middle == 0) {
    ProcessSpec spec = spec_of({"sh", "-c", command});
    spec.env = {{"PID_FILE", pid_file.string()}};
    spec.die_with_parent = die_with_parent;
    spec.own_process_group = true;
    RunningProcess child = start(spec);
    pause();
    _exit(0);
  }
  const pid_t sleeper = pid_in(pid_file);
  kill(middle, SIGKILL);
  waitpid(middle, nullptr, 0);
  const bool gone = gone_soon(sleeper, die_with_parent ? std::chrono::seconds(5) : std::chrono::seconds(1));
  kill(sleeper, SIGKILL);  // the control case leaves it running
  return gone;
}

TEST(SupportProcess, ChildrenDieWithAParentKilledBySigkill) {
  const fs::path folder = scratch("orphans");
  const std::string child = "echo $$ > \"$PID_FILE\"; exec sleep 60";
  EXPECT_TRUE(sleep_dies_with_killed_parent(child, true, folder / "child.pid"));
  EXPECT_FALSE(sleep_dies_with_killed_parent(child, false, folder / "child-control.pid"));
  // A grandchild (a build's compiler, a script's program) goes too: the guardian kills the group.
  const std::string grandchild = "sleep 60 & echo $! > \"$PID_FILE\"; wait";
  EXPECT_TRUE(sleep_dies_with_killed_parent(grandchild, true, folder / "grandchild.pid"));
  EXPECT_FALSE(sleep_dies_with_killed_parent(grandchild, false, folder / "grandchild-control.pid"));
  fs::remove_all(folder);
}

TEST(SupportProcess, FindExecutable) {
  const fs::path folder = scratch("path");
  fs::create_directories(folder / "a");
  fs::create_directories(folder / "b" / "tool-dir");
  write_file(folder / "a" / "tool", "", fs::perms::owner_read);  // not executable: skipped
  write_file(folder / "b" / "tool", "#!/bin/sh\n");
  const std::string path = (folder / "a").string() + ":" + (folder / "b").string();
  EXPECT_EQ(find_executable("tool", path.c_str()), (folder / "b" / "tool").string());
  EXPECT_EQ(find_executable("tool-dir", path.c_str()), "");  // a folder is not a program
  EXPECT_EQ(find_executable("absent", path.c_str()), "");
  EXPECT_EQ(find_executable((folder / "b" / "tool").string(), ""), (folder / "b" / "tool").string());
  EXPECT_EQ(find_executable((folder / "a" / "tool").string(), ""), "");
  EXPECT_EQ(find_executable("", path.c_str()), "");
  EXPECT_EQ(find_executable("sh", nullptr), "/usr/bin/sh");  // the default PATH is searched in order
  fs::remove_all(folder);
}

}  // namespace
}  // namespace hone::support
