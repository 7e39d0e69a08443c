// Units for `hone pgo init`: the parsers of the build systems' answers (make's database, Makefile.am,
// CMakeLists.txt), the test/example heuristic, and the starter hone.yaml, which must be accepted by the
// config loader once its TODO workloads are replaced and refused (with the line) while they are not.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

#include "pgo/config.h"
#include "pgo/error.h"
#include "pgo/init.h"
#include "scratch_folder.h"

namespace hone::pgo {
namespace {

namespace fs = std::filesystem;

// Trimmed from GNU make 4.3's `make -p -q` output for: all: prog tool / prog: main.o util.o / tool: tool.c /
// docs (phony) / gen.mk (an included makefile with a recipe).
constexpr const char* k_database = R"(# GNU Make 4.3
# Variables

.DEFAULT_GOAL := all
CC = cc

# Files

prog: main.o util.o
#  Implicit rule search has not been done.
#  recipe to execute (from 'Makefile', line 6):
	$(CC) -o $@ $^

docs:
#  Phony target (prerequisite of .PHONY).
#  recipe to execute (from 'Makefile', line 10):
	touch docs.txt

# Not a target:
main.o:
#  Implicit rule search has not been done.

all: prog tool docs sub/helper
#  Phony target (prerequisite of .PHONY).

tool: tool.c
#  recipe to execute (from 'Makefile', line 8):
	$(CC) -o $@ $<

sub/helper: helper.o
#  recipe to execute (from 'Makefile', line 12):
	ln -s x $@

%.o: %.c
#  recipe to execute (built-in):
	$(COMPILE.c) $(OUTPUT_OPTION) $<

gen.mk:
#  recipe to execute (from 'Makefile', line 4):
	echo 'X=1' > gen.mk

# files hash-table stats:
)";

TEST(MakeProducts, ProgramsReachedFromTheDefaultGoal) {
  std::string goal;
  std::vector<std::string> products = make_products(k_database, goal);
  EXPECT_EQ(goal, "all");
  // docs is phony, gen.mk has an extension and is not reached, %.o is a pattern; sub/helper counts
  // because it is linked from an object file, although its recipe names no compiler.
  EXPECT_EQ(products, (std::vector<std::string>{"prog", "tool", "sub/helper"}));
}

TEST(MakeProducts, NoDefaultGoalNoProducts) {
  std::string goal;
  EXPECT_TRUE(make_products("# Files\n\napp: app.o\n\t$(CC) -o app app.o\n", goal).empty());
  EXPECT_EQ(goal, "");
}

TEST(MakeProducts, DefaultGoalThatIsItselfAProgram) {
  std::string goal;
  const char* database = ".DEFAULT_GOAL := ./app\n# Files\n\n./app: hot.c\n\t$(CC) -O2 -c hot.c -o hot.o\n\n";
  EXPECT_EQ(make_products(database, goal), (std::vector<std::string>{"app"}));
}

TEST(AutomakePrograms, BinAndSbinWithContinuationLines) {
  const char* text = "bin_PROGRAMS = tool \\\n  other\nsbin_PROGRAMS += daemon\ncheck_PROGRAMS = unit\n"
                     "lib_LTLIBRARIES = libx.la\nbin_PROGRAMS += $(EXTRA)\n";
  EXPECT_EQ(automake_programs(text), (std::vector<std::string>{"tool", "other", "daemon"}));
}

TEST(CMakeAddExecutable, NamesWithoutImportedAliasOrComments) {
  const char* text = "project(x C)\nadd_executable(app main.c util.c)\n# add_executable(old old.c)\n"
                     "ADD_EXECUTABLE( tool-2\n  tool.c )\nadd_executable(gen IMPORTED)\n"
                     "add_executable(x::app ALIAS app)\n";
  EXPECT_EQ(cmake_add_executable_names(text), (std::vector<std::string>{"app", "tool-2"}));
}

TEST(LooksAuxiliary, TestsBenchmarksExamplesButNotProducts) {
  EXPECT_TRUE(looks_auxiliary("unit_tests", "."));
  EXPECT_TRUE(looks_auxiliary("app", "tests/unit"));
  EXPECT_TRUE(looks_auxiliary("bench_parse", "."));
  EXPECT_TRUE(looks_auxiliary("hello", "examples"));
  EXPECT_FALSE(looks_auxiliary("wordfreq", "."));
  EXPECT_FALSE(looks_auxiliary("contest", "src"));  // "test" inside a word is not a test
  EXPECT_FALSE(looks_auxiliary("latest", "tools"));
}

class StarterConfig : public test::HoneYamlTest {
protected:
  static ProjectFacts facts(ProjectKind kind) {
    ProjectFacts facts;
    facts.root = "/src/project";
    facts.kind = kind;
    facts.makefile = "Makefile";
    facts.executables = {{"app", "bin/app", true}, {"unit_tests", "tests/unit_tests", false}};
    facts.executables_source = "a test";
    facts.compiler = {"clang-19", "clang++-19", "CC/CXX", "Clang 19.1.7"};
    return facts;
  }

  // The starter with its two TODO commands replaced, as a user would.
  static std::string filled(std::string text) {
    for (const char* todo : {"[\"TODO\", \"{bin}\", \"<a typical run's arguments>\"]",
                             "[\"TODO\", \"{bin}\", \"<a run not used for training>\"]"}) {
      size_t at = text.find(todo);
      EXPECT_NE(at, std::string::npos) << todo;
      if (at != std::string::npos) text.replace(at, std::string(todo).size(), "[\"{bin}\", \"1000\"]");
    }
    return text;
  }
};

TEST_F(StarterConfig, RefusedWithTheLineUntilTheWorkloadsAreFilledIn) {
  const std::string text = render_starter_config(facts(ProjectKind::cmake));
  try {
    load_config(write(text));
    FAIL() << "the TODO workload was accepted";
  } catch (const PgoError& error) {
    EXPECT_EQ(error.exit_code(), k_exit_bad_input);
    EXPECT_NE(std::string(error.what()).find("is still the TODO that 'hone pgo init' wrote"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("hone.yaml:"), std::string::npos) << error.what();
  }
}

TEST_F(StarterConfig, EveryKindLoadsOnceFilledIn) {
  for (ProjectKind kind : {ProjectKind::cmake, ProjectKind::meson, ProjectKind::autotools, ProjectKind::make}) {
    SCOPED_TRACE(to_string(kind));
    const Config config = load_config(write(filled(render_starter_config(facts(kind)))));
    EXPECT_EQ(config.build_system, kind == ProjectKind::cmake ? BuildSystem::cmake : BuildSystem::command);
    ASSERT_EQ(config.binaries.size(), 1u);  // the test executable is only a comment
    EXPECT_EQ(config.binaries[0].name, "app");
    EXPECT_EQ(config.binaries[0].path, kind == ProjectKind::make ? "src/bin/app" : "bin/app");
    EXPECT_EQ(config.c_compiler, "clang-19");
    EXPECT_EQ(config.cxx_compiler, "clang++-19");
    ASSERT_EQ(config.training.size(), 1u);
    ASSERT_EQ(config.benchmark.size(), 1u);
    EXPECT_EQ(config.lto, LtoMode::thin);
    EXPECT_FALSE(config.bolt);
  }
}

TEST_F(StarterConfig, MakeBuildCopiesTheTreeAndPassesTheCompilers) {
  const Config config = load_config(write(filled(render_starter_config(facts(ProjectKind::make)))));
  ASSERT_EQ(config.build_command.size(), 3u);
  EXPECT_EQ(config.build_command[0], "sh");
  const std::string& line = config.build_command[2];
  EXPECT_NE(line.find("tar -C \"{source}\""), std::string::npos) << line;
  EXPECT_NE(line.find("--exclude='./bin/app'"), std::string::npos) << line;
  EXPECT_NE(line.find("make -C src -f Makefile -j{jobs} CC=\"$CC\" CXX=\"$CXX\""), std::string::npos) << line;
}

TEST_F(StarterConfig, NoExecutableFoundIsATodoTheLoaderRefuses) {
  ProjectFacts none = facts(ProjectKind::autotools);
  none.executables.clear();
  try {
    load_config(write(filled(render_starter_config(none))));
    FAIL() << "the TODO binary was accepted";
  } catch (const PgoError& error) {
    EXPECT_NE(std::string(error.what()).find("this binary is still the TODO"), std::string::npos) << error.what();
  }
}

TEST_F(StarterConfig, ValuesWithQuotesStayOneYamlScalar) {
  ProjectFacts odd = facts(ProjectKind::cmake);
  odd.compiler.c = "/opt/my \"cc\"\\bin/clang";
  const Config config = load_config(write(filled(render_starter_config(odd))));
  EXPECT_EQ(config.c_compiler, odd.compiler.c);
}

TEST(DetectProjectKind, MarkerFilesInOrderAndAClearErrorWithoutAny) {
  const fs::path dir = fs::temp_directory_path() / ("hone-init-kind-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string makefile;
  try {
    detect_project_kind(dir, makefile);
    ADD_FAILURE() << "an empty folder had a build system";
  } catch (const PgoError& error) {
    EXPECT_EQ(error.exit_code(), k_exit_bad_input);
    EXPECT_NE(std::string(error.what()).find("no build system found in"), std::string::npos) << error.what();
  }
  std::ofstream(dir / "makefile").close();
  EXPECT_EQ(detect_project_kind(dir, makefile), ProjectKind::make);
  EXPECT_EQ(makefile, "makefile");
  std::ofstream(dir / "configure.ac").close();
  EXPECT_EQ(detect_project_kind(dir, makefile), ProjectKind::autotools);
  std::ofstream(dir / "meson.build").close();
  EXPECT_EQ(detect_project_kind(dir, makefile), ProjectKind::meson);
  std::ofstream(dir / "CMakeLists.txt").close();
  EXPECT_EQ(detect_project_kind(dir, makefile), ProjectKind::cmake);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hone::pgo
