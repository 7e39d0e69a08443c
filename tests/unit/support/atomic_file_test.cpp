// Known answers for the atomic-file and temporary contract (support/atomic_file.h): content committed,
// readers never see a half-written target, planted symlinks are never followed, failures (read-only
// folder, file-size limit, a full tmpfs) leave the target as it was and no temporary behind, and
// stale-temporary cleanup removes exactly the names of the pattern.
//
// Failures that need another user or a resource limit run in a forked child, so the test process keeps
// its own privileges and limits. The full-tmpfs case needs a private mount namespace and is skipped where
// that is not permitted.
#include "support/atomic_file.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sched.h>
#include <signal.h>
#include <sstream>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

namespace hone::support {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_plain(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Every name in `folder`, sorted.
std::vector<std::string> names_in(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void age_file(const std::string& path, std::chrono::seconds age) {
  timespec times[2] = {};
  times[0].tv_sec = times[1].tv_sec = time(nullptr) - static_cast<time_t>(age.count());
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0);
}

// Runs `body` in a forked child and returns its exit status (body's return value), or -1 on a signal.
// Whatever the child prints to stderr shows up in the test log.
template <typename Body> int in_child(Body body) {
  pid_t child = fork();
  if (child == 0) _exit(body());
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class AtomicFile : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "hone-atomic-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    target_ = folder_ + "/db.json";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(folder_, fs::perms::owner_all, ignored);
    fs::remove_all(folder_, ignored);
  }
  std::string folder_;
  std::string target_;
};

TEST_F(AtomicFile, CommitsContentAndLeavesNoTemporary) {
  EXPECT_EQ(write_file_atomically(target_, "first\n"), "");
  EXPECT_EQ(read_file(target_), "first\n");
  EXPECT_EQ(write_file_atomically(target_, "second\n"), "");
  EXPECT_EQ(read_file(target_), "second\n");
  EXPECT_EQ(write_file_atomically(target_, ""), "");
  EXPECT_EQ(read_file(target_), "");
  EXPECT_EQ(names_in(folder_), std::vector<std::string>{"db.json"});
}

TEST_F(AtomicFile, NewFileModeRespectsUmaskAndKeptPermissionsAreExact) {
  mode_t previous = umask(022);
  EXPECT_EQ(write_file_atomically(target_, "x"), "");
  struct stat status{};
  ASSERT_EQ(stat(target_.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0644u);

  ASSERT_EQ(chmod(target_.c_str(), 0750), 0);
  AtomicWriteOptions keep;
  keep.keep_target_permissions = true;
  EXPECT_EQ(write_file_atomically(target_, "y", keep), "");
  ASSERT_EQ(stat(target_.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0750u);
  umask(previous);
}

TEST_F(AtomicFile, CreatesParentFoldersWhenAsked) {
  std::string nested = folder_ + "/a/b/c/out.txt";
  EXPECT_NE(write_file_atomically(nested, "x"), "");
  AtomicWriteOptions options;
  options.create_parent_directories = true;
  options.sync = true;
  EXPECT_EQ(write_file_atomically(nested, "x", options), "");
  EXPECT_EQ(read_file(nested), "x");
}

// A reader racing a writer sees one complete version every time: never an empty, short or mixed file.
TEST_F(AtomicFile, ReaderSeesOldOrNewNeverAMix) {
  const std::string old_text(256 * 1024, 'o');
  const std::string new_text(256 * 1024 + 7, 'n');
  ASSERT_EQ(write_file_atomically(target_, old_text), "");
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int round = 0; round < 200; ++round)
      EXPECT_EQ(write_file_atomically(target_, round % 2 == 0 ? new_text : old_text), "");
    done = true;
  });
  int reads = 0;
  int mixed = 0;
  while (!done || reads < 10) {
    std::string seen = read_file(target_);
    ++reads;
    if (seen != old_text && seen != new_text) ++mixed;
  }
  writer.join();
  EXPECT_EQ(mixed, 0) << "of " << reads << " reads";
  EXPECT_EQ(names_in(folder_), std::vector<std::string>{"db.json"});
}

TEST_F(AtomicFile, OpenExclusiveNeverFollowsASymlink) {
  const std::string victim = folder_ + "/victim";
  write_plain(victim, "precious");
  ASSERT_EQ(symlink(victim.c_str(), (folder_ + "/link").c_str()), 0);
  int fd = 123;
  EXPECT_EQ(open_exclusive(folder_ + "/link", 0666, fd), "File exists");
  EXPECT_EQ(fd, -1);
  EXPECT_EQ(read_file(victim), "precious");

  // A dangling link is refused too: O_CREAT alone would create the file it points to.
  const std::string absent = folder_ + "/would-be-created";
  ASSERT_EQ(symlink(absent.c_str(), (folder_ + "/dangling").c_str()), 0);
  EXPECT_EQ(open_exclusive(folder_ + "/dangling", 0666, fd), "File exists");
  EXPECT_FALSE(fs::exists(absent));
}

// The old wrapper named its temporary `<target>.tmp.<pid>`: a link planted there must not be followed.
TEST_F(AtomicFile, PlantedSymlinkAtAPredictableNameIsNotFollowed) {
  const std::string victim = folder_ + "/victim";
  write_plain(victim, "precious");
  ASSERT_EQ(symlink(victim.c_str(), (target_ + ".tmp." + std::to_string(getpid())).c_str()), 0);
  EXPECT_EQ(write_file_atomically(target_, "[]\n"), "");
  EXPECT_EQ(read_file(victim), "precious");
  EXPECT_EQ(read_file(target_), "[]\n");
  struct stat status{};
  ASSERT_EQ(lstat(target_.c_str(), &status), 0);
  EXPECT_TRUE(S_ISREG(status.st_mode));
}

// A link at the target's own name is replaced, not written through.
TEST_F(AtomicFile, SymlinkAtTheTargetIsReplacedNotFollowed) {
  const std::string victim = folder_ + "/victim";
  write_plain(victim, "precious");
  ASSERT_EQ(symlink(victim.c_str(), target_.c_str()), 0);
  EXPECT_EQ(write_file_atomically(target_, "new"), "");
  EXPECT_EQ(read_file(victim), "precious");
  EXPECT_FALSE(fs::is_symlink(target_));
  EXPECT_EQ(read_file(target_), "new");
}

TEST_F(AtomicFile, TemporaryNamesFollowThePatternAndDiffer) {
  int fd1 = -1, fd2 = -1;
  std::string path1, path2;
  ASSERT_EQ(create_temporary_beside(target_, 0600, fd1, path1), "");
  ASSERT_EQ(create_temporary_beside(target_, 0600, fd2, path2), "");
  close(fd1);
  close(fd2);
  EXPECT_NE(path1, path2);
  EXPECT_TRUE(is_temporary_name_of("db.json", fs::path(path1).filename().string())) << path1;
  EXPECT_EQ(fs::path(path1).parent_path().string(), folder_);
}

TEST(AtomicFileNames, TemporaryPatternIsStrict) {
  EXPECT_TRUE(is_temporary_name_of("db.json", "db.json.a1b2c3d4.tmp"));
  EXPECT_TRUE(is_temporary_name_of("db.json", "db.json.00000000.tmp"));
  EXPECT_FALSE(is_temporary_name_of("db.json", "db.json.A1B2C3D4.tmp"));   // upper case is never drawn
  EXPECT_FALSE(is_temporary_name_of("db.json", "db.json.a1b2c3d.tmp"));    // 7 characters
  EXPECT_FALSE(is_temporary_name_of("db.json", "db.json.a1b2c3d45.tmp"));  // 9 characters
  EXPECT_FALSE(is_temporary_name_of("db.json", "db.json.a1b2-3d4.tmp"));
  EXPECT_FALSE(is_temporary_name_of("db.json", "db.json.tmp.12345"));  // the old wrapper's name
  EXPECT_FALSE(is_temporary_name_of("db.json", "xdb.json.a1b2c3d4.tmp"));
  EXPECT_FALSE(is_temporary_name_of("db.json", "db.jsonxa1b2c3d4.tmp"));
  EXPECT_FALSE(is_temporary_name_of("db.json", "db.json.a1b2c3d4.tmpx"));
  EXPECT_FALSE(is_temporary_name_of("", ".a1b2c3d4.tmp"));
}

TEST_F(AtomicFile, StaleCleanupRemovesOnlyOldRegularFilesOfThePattern) {
  const auto old = std::chrono::minutes(11);
  const std::string stale = target_ + ".a1b2c3d4.tmp";
  const std::string fresh = target_ + ".e5f6g7h8.tmp";
  const std::string other_target = folder_ + "/other.json.a1b2c3d4.tmp";
  const std::string old_style = target_ + ".tmp.4242";
  const std::string upper = target_ + ".A1B2C3D4.tmp";
  const std::string stale_link = target_ + ".zzzzzzzz.tmp";
  const std::string stale_folder = target_ + ".yyyyyyyy.tmp";
  for (const std::string& path : {stale, fresh, other_target, old_style, upper}) write_plain(path, "x");
  write_plain(folder_ + "/victim", "precious");
  ASSERT_EQ(symlink((folder_ + "/victim").c_str(), stale_link.c_str()), 0);
  ASSERT_EQ(mkdir(stale_folder.c_str(), 0700), 0);
  for (const std::string& path : {stale, other_target, old_style, upper, stale_link, stale_folder, folder_ + "/victim"})
    age_file(path, old);

  EXPECT_EQ(remove_stale_temporaries(target_), 1u);
  EXPECT_FALSE(fs::exists(stale));
  for (const std::string& path : {fresh, other_target, old_style, upper, stale_folder, folder_ + "/victim"})
    EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_TRUE(fs::is_symlink(stale_link));
  EXPECT_EQ(read_file(folder_ + "/victim"), "precious");

  // The option runs the same cleanup before a write.
  age_file(fresh, old);
  AtomicWriteOptions options;
  options.remove_stale_temporaries = true;
  EXPECT_EQ(write_file_atomically(target_, "{}", options), "");
  EXPECT_FALSE(fs::exists(fresh));
}

// A folder the writer may not write into: an error text, the target as it was, no temporary. As root
// (permission bits do not stop root) the write runs as `nobody` in a child.
TEST_F(AtomicFile, ReadOnlyFolderGivesAnErrorAndKeepsTheTarget) {
  write_plain(target_, "old");
  ASSERT_EQ(chmod(target_.c_str(), 0666), 0);
  ASSERT_EQ(chmod(folder_.c_str(), 0555), 0);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  int status = in_child([&] {
    close(pipe_fds[0]);
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) return 3;
    std::string error = write_file_atomically(target_, "new");
    if (write(pipe_fds[1], error.data(), error.size()) < 0) return 4;
    return 0;
  });
  close(pipe_fds[1]);
  char buffer[512] = {};
  ssize_t length = read(pipe_fds[0], buffer, sizeof(buffer) - 1);
  close(pipe_fds[0]);
  ASSERT_EQ(status, 0);
  std::string error(buffer, static_cast<size_t>(std::max<ssize_t>(length, 0)));
  EXPECT_EQ(error,
            "cannot write " + target_ + ": cannot create a temporary file in " + folder_ + ": Permission denied");
  EXPECT_EQ(read_file(target_), "old");
  EXPECT_EQ(names_in(folder_), std::vector<std::string>{"db.json"});
}

// A write that runs out of room (here: the file-size limit, EFBIG) removes its temporary.
TEST_F(AtomicFile, WriteFailureRemovesTheTemporaryAndKeepsTheTarget) {
  write_plain(target_, "old");
  int status = in_child([&] {
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return 3;
    std::string error = write_file_atomically(target_, std::string(64 * 1024, 'x'));
    return error == "cannot write " + target_ + ": File too large" ? 0 : 1;
  });
  EXPECT_EQ(status, 0);
  EXPECT_EQ(read_file(target_), "old");
  EXPECT_EQ(names_in(folder_), std::vector<std::string>{"db.json"});
}

// A really full file system: a 64 KiB tmpfs in a private mount namespace (skipped where not permitted).
TEST_F(AtomicFile, FullTmpfsGivesAnErrorAndKeepsTheTarget) {
  constexpr int k_skip = 77;
  int status = in_child([&] {
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return k_skip;
    if (mount("tmpfs", folder_.c_str(), "tmpfs", 0, "size=64k,mode=0700") != 0) return k_skip;
    if (!write_file_atomically(target_, "old").empty()) return 1;
    std::string error = write_file_atomically(target_, std::string(1024 * 1024, 'x'));
    if (error != "cannot write " + target_ + ": No space left on device") {
      fprintf(stderr, "unexpected error text: %s\n", error.c_str());
      return 2;
    }
    if (read_file(target_) != "old") return 3;
    return names_in(folder_) == std::vector<std::string>{"db.json"} ? 0 : 4;
  });
  if (status == k_skip) GTEST_SKIP() << "no permission to mount a tmpfs in a private mount namespace";
  EXPECT_EQ(status, 0);
}

TEST_F(AtomicFile, MakeDirectoriesKnownAnswers) {
  EXPECT_EQ(make_directories(folder_ + "/x/y/z"), "");
  EXPECT_TRUE(fs::is_directory(folder_ + "/x/y/z"));
  EXPECT_EQ(make_directories(folder_ + "/x/y/z/"), "");
  write_plain(folder_ + "/file", "");
  EXPECT_EQ(make_directories(folder_ + "/file"), "cannot create " + folder_ + "/file: it exists and is not a folder");
  EXPECT_NE(make_directories(folder_ + "/file/sub"), "");
  EXPECT_NE(make_directories(""), "");
}

// Sets TMPDIR for one test and restores it.
class ScopedTmpdir {
public:
  explicit ScopedTmpdir(const std::string& value) {
    if (const char* previous = std::getenv("TMPDIR")) previous_ = previous;
    setenv("TMPDIR", value.c_str(), 1);
  }
  ~ScopedTmpdir() {
    if (previous_)
      setenv("TMPDIR", previous_->c_str(), 1);
    else
      unsetenv("TMPDIR");
  }

private:
  std::optional<std::string> previous_;
};

TEST_F(AtomicFile, TemporaryDirectoryIsPrivateAndRemovedWithoutFollowingLinks) {
  ScopedTmpdir tmpdir(folder_);
  const std::string outside = folder_ + "/outside";
  ASSERT_EQ(mkdir(outside.c_str(), 0700), 0);
  write_plain(outside + "/keep.txt", "precious");
  std::string made;
  {
    TemporaryDirectory scratch("hone-test");
    ASSERT_TRUE(scratch.ok()) << scratch.error();
    made = scratch.path();
    EXPECT_EQ(fs::path(made).parent_path().string(), folder_);
    EXPECT_TRUE(fs::path(made).filename().string().starts_with("hone-test-"));
    struct stat status{};
    ASSERT_EQ(lstat(made.c_str(), &status), 0);
    EXPECT_TRUE(S_ISDIR(status.st_mode));
    EXPECT_EQ(status.st_mode & 0777, 0700u);
    ASSERT_EQ(mkdir((made + "/sub").c_str(), 0700), 0);
    write_plain(made + "/sub/file", "x");
    write_plain(made + "/file", "x");
    ASSERT_EQ(symlink(outside.c_str(), (made + "/sub/link-to-folder").c_str()), 0);
    ASSERT_EQ(symlink((outside + "/keep.txt").c_str(), (made + "/link-to-file").c_str()), 0);
  }
  EXPECT_FALSE(fs::exists(fs::symlink_status(made)));
  EXPECT_EQ(read_file(outside + "/keep.txt"), "precious");
}

TEST_F(AtomicFile, RemoveTreeRefusesASymlinkAtItsRoot) {
  const std::string real = folder_ + "/real";
  ASSERT_EQ(mkdir(real.c_str(), 0700), 0);
  write_plain(real + "/keep.txt", "precious");
  ASSERT_EQ(symlink(real.c_str(), (folder_ + "/link").c_str()), 0);
  EXPECT_NE(remove_tree(folder_ + "/link"), "");
  EXPECT_EQ(read_file(real + "/keep.txt"), "precious");
  EXPECT_EQ(remove_tree(real), "");
  EXPECT_FALSE(fs::exists(real));
}

TEST_F(AtomicFile, TemporaryRootIsAnAbsoluteTmpdirOrTmp) {
  {
    ScopedTmpdir tmpdir(folder_);
    EXPECT_EQ(temporary_root(), folder_);
  }
  {
    ScopedTmpdir tmpdir("relative/dir");
    EXPECT_EQ(temporary_root(), "/tmp");
  }
  {
    ScopedTmpdir tmpdir("");
    EXPECT_EQ(temporary_root(), "/tmp");
  }
  ScopedTmpdir tmpdir(folder_ + "/missing");
  std::string path = "unchanged";
  EXPECT_EQ(make_temporary_directory("hone-x", path),
            "cannot create a temporary folder in " + folder_ + "/missing: No such file or directory");
  EXPECT_EQ(path, "");
}

}  // namespace
}  // namespace hone::support
