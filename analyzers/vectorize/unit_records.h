// Reading one TU's optimization record so that its locations can be compared with the AST's: every
// remark's file becomes an absolute, canonical path (see resolve_remark_file in unit_records.cpp).
// Used for the TU's own record and for each --try-fixes record of a changed copy.
#pragma once

#include "compile_job.h"
#include "remark_reader.h"

#include <map>
#include <string>
#include <vector>

namespace hone::vec {

// Real paths (symlinks resolved), remembered: a TU's remarks name the same few files thousands of times.
// One per TU or fix check, so nothing is shared between threads.
class CanonicalPaths {
public:
  // `path` with symlinks resolved, or `path` itself when it does not exist.
  const std::string& of(const std::string& path);

private:
  std::map<std::string, std::string> cache_;
};

// Reads `record_file` into `remarks`; remark locations become absolute canonical paths. `known_files`:
// the files the TU's AST has loops in (canonical and as spelled). Malformed parts are skipped, with a
// warning line each appended to `diagnostics`; returns false with `error` when the file cannot be read.
bool read_unit_record(const CompileSetup& setup, const std::vector<std::string>& known_files,
                      const std::string& record_file, CanonicalPaths& paths, std::vector<Remark>& remarks,
                      std::string& diagnostics, std::string& error);

// A multi-line remark text (a dependence's details) as one line, so each note stays one line.
std::string one_line(const std::string& text);

}  // namespace hone::vec
