// Profiles brought in from elsewhere: `hone pgo merge --add FILE[:WEIGHT]` (LLVM profiles) and
// `--perf-data FILE[:WEIGHT]` (perf recordings for pgo.kind: sample). Both keep a copy of each file in
// the merge stage's `imported/` folder, named by its content hash so importing the same file twice
// keeps one copy, and a JSON list of the copies with their weights, which every later merge reads.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace hone::pgo {

struct ImportedFile {
  std::filesystem::path file;  // the copy under imported/
  double weight = 1;
  std::string original;  // the path the user gave, absolute, for messages
};

// FILE or FILE:WEIGHT as given to `option` ("--add"); the weight is a whole number of at least 1.
// A colon followed by anything but digits belongs to the file name. Fails (exit 2) on a bad weight or
// a file that does not exist.
struct ImportSpec {
  std::string file;
  double weight = 1;
};
ImportSpec parse_import_spec(const std::string& option, const std::string& spec);

// The list in `list_file`; none when the file is missing or not a JSON array. A damaged entry (edited
// by hand) is left out with one note on stderr instead of failing every later command.
std::vector<ImportedFile> read_import_list(const std::filesystem::path& list_file);

// Copies `file` into `folder` as <content hash><suffix> and records it in `imports` with `weight`,
// replacing an earlier import of the same content.
void add_import(std::vector<ImportedFile>& imports, const std::filesystem::path& folder, const std::string& file,
                const std::string& suffix, double weight);

// Writes the list atomically.
void write_import_list(const std::filesystem::path& list_file, const std::vector<ImportedFile>& imports);

}  // namespace hone::pgo
