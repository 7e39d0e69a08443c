// build_inputs: the dependency command made from a recorded compile, and the make-style listing the
// compiler prints for it, on the forms real builds use (CMake's depfile options, kernel-style -Wp,-MD,
// joined values, escaped spaces, continued lines).
#include "pgo/build_inputs.h"

#include <gtest/gtest.h>

namespace {

using hone::pgo::dependency_command;
using hone::pgo::parse_dependency_listing;
using Words = std::vector<std::string>;

TEST(DependencyCommand, DropsOutputsAndDepfileOptionsAndAsksForTheListing) {
  Words cmake = {
      "/usr/bin/clang-19", "-Iinc", "-O2", "-MD", "-MT", "x.o", "-MF", "x.o.d", "-o", "x.o", "-c", "a.c", "-DX=1"};
  EXPECT_EQ(dependency_command(cmake), (Words{"/usr/bin/clang-19", "-Iinc", "-O2", "a.c", "-DX=1", "-M", "-w"}));
  Words joined = {"gcc", "-ox.o", "-MFx.d", "-Wp,-MD,.x.o.d", "-MMD", "-MP", "-S", "b.c"};
  EXPECT_EQ(dependency_command(joined), (Words{"gcc", "b.c", "-M", "-w"}));
}

TEST(DependencyCommand, KeepsTheCompilerEvenWhenItLooksLikeAnOption) {
  // Only arguments after the compiler are filtered; -o alone at the end has no value to skip past.
  EXPECT_EQ(dependency_command({"cc", "a.c", "-o"}), (Words{"cc", "a.c", "-M", "-w"}));
  EXPECT_EQ(dependency_command({"-c"}), (Words{"-c", "-M", "-w"}));
}

TEST(DependencyListing, ReadsPrerequisitesAcrossContinuedLines) {
  EXPECT_EQ(parse_dependency_listing("a.o: a.c /usr/include/stdio.h \\\n  inc/x.h\n"),
            (Words{"a.c", "/usr/include/stdio.h", "inc/x.h"}));
}

TEST(DependencyListing, UnescapesSpacesAndDollars) {
  EXPECT_EQ(parse_dependency_listing("a.o: my\\ dir/a.c cost$$.h\n"), (Words{"my dir/a.c", "cost$.h"}));
}

TEST(DependencyListing, FindsTheTargetColonAfterAColonInTheTarget) {
  // A ':' not followed by white space is part of a name.
  EXPECT_EQ(parse_dependency_listing("c:x.o: a.c\n"), (Words{"a.c"}));
  EXPECT_TRUE(parse_dependency_listing("no colon here").empty());
  EXPECT_TRUE(parse_dependency_listing("").empty());
}

}  // namespace
