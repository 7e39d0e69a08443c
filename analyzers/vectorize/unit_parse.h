// The AST side of one `hone vec` translation unit: its loops and calls (loop_finder) and whether it
// must generate code, collected by one AST consumer that runs in either of two ways.
//
//   - One pass (unit_worker): in a child process that also compiles the TU with optimization records,
//     so the TU is parsed once. Used whenever the project's compiler is hone's own clang 19, which is
//     what the child links.
//   - A parse of its own (parse_loops): in-process, skipping the function bodies of files that are not
//     reported. Used with --remarks-dir (the build wrote the records) and for another compiler.
//
// The child hands its ParsedUnit back as JSON (write_parsed_unit / read_parsed_unit): every field the
// analysis reads, so both ways give the same report.
#pragma once

#include "compile_job.h"
#include "loop_finder.h"
#include "tu_runner.h"

#include <clang/AST/ASTConsumer.h>

#include <memory>
#include <string>
#include <vector>

namespace hone::vec {

// What the AST shows of a TU.
struct ParsedUnit {
  std::vector<LoopInfo> loops;
  std::vector<FunctionUse> uses;  // for the call-site check of `__restrict` fixes
  bool emits_code = false;        // it defines a function clang must generate code for (an empty record is lost)
};

// The consumer that fills `parsed` once the TU is complete (nothing when it has errors). When the
// frontend is set to skip function bodies, it skips those in files that are not reported.
std::unique_ptr<clang::ASTConsumer> make_loop_consumer(const analyze::SourceFilter& filter, ParsedUnit& parsed);

// Parses the TU in-process (without code generation) and fills `parsed`; false when it does not parse
// (the compiler's messages are in `diagnostics`).
bool parse_loops(const CompileSetup& setup, const analyze::SourceFilter& filter, ParsedUnit& parsed,
                 std::string& diagnostics);

// The ParsedUnit as JSON, and back; read_parsed_unit is false (with `error`) when the file is missing
// or not what write_parsed_unit wrote.
std::string parsed_unit_json(const ParsedUnit& parsed);
bool read_parsed_unit(const std::string& path, ParsedUnit& parsed, std::string& error);

}  // namespace hone::vec
