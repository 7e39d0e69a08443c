// What a build reads, beyond the source folder. hone decides that a stage is stale from a hash of its
// inputs; hashing only `source_dir` misses everything a build reads from elsewhere (a project whose
// CMakeLists.txt sits in build/cmake above its sources in lib/, a shared header folder), and an edit
// there left every stage "up to date". So the instrumented build records its compiles in a compilation
// database (HONE_COMPILE_DB, written by the wrapper), and afterwards each compile is asked for its
// dependencies (the same command with -M instead of -c/-o: the preprocessor alone, no code generated).
// The files outside the source and work folders are kept in the instrument manifest, and their
// contents join the source hash of every later run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pgo/context.h"

namespace hone::pgo {

// The compilation database the wrapper writes for a build folder.
std::filesystem::path compile_db_path(const std::filesystem::path& build_dir);

// The files the compiles in `compile_db` read (sources and headers, absolute and normalized, sorted,
// each once) that are outside the source folder and the work folder. A compile whose dependency
// listing fails is skipped with one note: the hash then covers less, as it did before.
std::vector<std::string> build_inputs_outside_sources(Context& context, const std::filesystem::path& compile_db,
                                                      const std::filesystem::path& scratch_dir);

// The dependency command of one compile: `arguments` with -c/-S, -o FILE and the depfile options
// (-MD, -MMD, -MF, -MT, -MQ, -MP, -Wp,-M...) removed, then -M and -w added (the list goes to stdout).
std::vector<std::string> dependency_command(const std::vector<std::string>& arguments);

// The prerequisites of a make-style dependency listing ("out.o: a.c b.h \\\n c.h"), unescaped ("\\ " is
// a space, "$$" a dollar), in order.
std::vector<std::string> parse_dependency_listing(const std::string& text);

}  // namespace hone::pgo
