// The one-pass child of `hone vec`: one process that compiles a TU with optimization records and, from
// the same parse, collects its loops (unit_parse.h says when it is used).
//
// Before it, `hone vec` ran clang as a child for the records and parsed the TU a second time in its
// own process for the loops; for a header-heavy TU that second parse cost nearly as much as the
// compile's front end. The worker is hone-analyze itself (`hone-analyze vec-unit ...`): it links the
// same clang 19 libraries as the clang binary, so the records are the ones that binary writes, and it
// stays a child process, so --timeout can still kill it and a crash in the compiler costs one TU.
#pragma once

#include "compile_job.h"
#include "tu_runner.h"

#include <string>
#include <vector>

namespace hone::vec {

// Whether a TU can be done in one pass: its compiler is hone's own clang 19 (the same file, through
// any symlinks) and its flags load no compiler plugin (the worker does not load plugins).
bool can_use_worker(const CompileSetup& setup, const std::string& llvm_bin);

// argv of the worker for `setup`: writes the record to `record_file` and the ParsedUnit (JSON) to
// `facts_file`, reporting loops as `header_filter`/`system_headers` say.
std::vector<std::string> worker_command(const std::string& self_executable, const CompileSetup& setup,
                                        const std::string& record_file, const std::string& facts_file,
                                        const std::string& header_filter, bool system_headers);

// The worker's main: `args` are those after "vec-unit". Exit 0 when the TU compiled and its facts
// were written, 1 when it did not compile (clang's messages on stderr), 2 on bad arguments.
int unit_worker_main(const std::vector<std::string>& args);

}  // namespace hone::vec
