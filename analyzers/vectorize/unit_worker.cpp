// The one-pass child (see unit_worker.h): clang's own code generation action, run with a second AST
// consumer beside it.
//
// The compile command goes through clang's driver (createInvocation) exactly as the clang binary would
// run it, with hone's clang as argv[0] so the resource folder is the same. What clang's cc1 does around
// the action and the action alone does not is repeated here: the targets are registered (the cost
// model asks the target), and `-mllvm` options are parsed into LLVM's option registry (this process
// compiles one TU, as cc1 does). The loop consumer runs before code generation's, on the complete AST;
// the frontend does not skip bodies, since code generation needs them, and the loop walk skips those
// of unreported files instead (loop_finder).
#include "unit_worker.h"

#include "unit_parse.h"

#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/MultiplexConsumer.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Frontend/Utils.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <memory>

namespace hone::vec {
namespace {

// Code generation (no output file: -emit-llvm-only, as the two-pass record compile) plus the loops.
class OnePassAction : public clang::EmitLLVMOnlyAction {
public:
  OnePassAction(const analyze::SourceFilter& filter, ParsedUnit& parsed) : filter_(filter), parsed_(parsed) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& compiler,
                                                        llvm::StringRef file) override {
    std::unique_ptr<clang::ASTConsumer> codegen = clang::EmitLLVMOnlyAction::CreateASTConsumer(compiler, file);
    if (!codegen) return nullptr;
    std::vector<std::unique_ptr<clang::ASTConsumer>> consumers;
    consumers.push_back(make_loop_consumer(filter_, parsed_));
    consumers.push_back(std::move(codegen));
    return std::make_unique<clang::MultiplexConsumer>(std::move(consumers));
  }

private:
  const analyze::SourceFilter& filter_;
  ParsedUnit& parsed_;
};

std::string real_path_of(const std::string& path) {
  llvm::SmallString<256> real;
  return llvm::sys::fs::real_path(path, real) ? std::string() : std::string(real);
}

// As clang's cc1 does with the options after -mllvm.
void parse_llvm_options(const std::vector<std::string>& llvm_args) {
  if (llvm_args.empty()) return;
  std::vector<const char*> argv{"hone-analyze vec-unit (LLVM option parsing)"};
  for (const std::string& arg : llvm_args) argv.push_back(arg.c_str());
  llvm::cl::ParseCommandLineOptions(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

bool can_use_worker(const CompileSetup& setup, const std::string& llvm_bin) {
  for (const std::string& flag : setup.flags) {
    llvm::StringRef arg(flag);
    if (arg.starts_with("-fplugin") || arg.starts_with("-fpass-plugin") || arg == "-load") return false;
  }
  std::string compiler = setup.compiler;
  if (compiler.find('/') == std::string::npos) {
    llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName(compiler);
    if (!found) return false;
    compiler = *found;
  }
  const std::string own = real_path_of(llvm_bin + "/clang");
  return !own.empty() && real_path_of(compiler) == own;
}

std::vector<std::string> worker_command(const std::string& self_executable, const CompileSetup& setup,
                                        const std::string& record_file, const std::string& facts_file,
                                        const std::string& header_filter, bool system_headers) {
  std::vector<std::string> argv{
      self_executable, "vec-unit", facts_file, header_filter, system_headers ? "1" : "0", "--"};
  // hone's own clang as argv[0] (can_use_worker: the same file as the project's), by the name that
  // selects the driver mode (clang or clang++).
  CompileSetup own = setup;
  own.compiler = setup.ast_driver;
  std::vector<std::string> compile = record_command(own, record_file, {});
  argv.insert(argv.end(), compile.begin(), compile.end());
  return argv;
}

int unit_worker_main(const std::vector<std::string>& args) {
  if (args.size() < 5 || args[3] != "--") {
    llvm::errs() << "hone: error: usage: hone-analyze vec-unit FACTS_FILE HEADER_FILTER 0|1 -- CLANG ARGS...\n";
    return 2;
  }
  const std::string& facts_file = args[0];
  const analyze::SourceFilter filter(args[1], args[2] == "1");
  std::vector<const char*> compile;
  for (size_t i = 4; i < args.size(); ++i) compile.push_back(args[i].c_str());

  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  llvm::InitializeAllAsmParsers();

  // The driver's own messages (an unknown flag) print as clang's would.
  auto diagnostic_options = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  auto printer = std::make_unique<clang::TextDiagnosticPrinter>(llvm::errs(), diagnostic_options.get());
  auto engine = llvm::makeIntrusiveRefCnt<clang::DiagnosticsEngine>(llvm::makeIntrusiveRefCnt<clang::DiagnosticIDs>(),
                                                                    diagnostic_options, printer.release());
  clang::CreateInvocationOptions invocation_options;
  invocation_options.Diags = engine;
  std::shared_ptr<clang::CompilerInvocation> invocation = clang::createInvocation(compile, invocation_options);
  if (!invocation || engine->hasErrorOccurred()) return 1;

  clang::CompilerInstance compiler;
  compiler.setInvocation(std::move(invocation));
  compiler.createDiagnostics();
  if (!compiler.hasDiagnostics()) return 1;
  parse_llvm_options(compiler.getFrontendOpts().LLVMArgs);

  ParsedUnit parsed;
  OnePassAction action(filter, parsed);
  if (!compiler.ExecuteAction(action) || compiler.getDiagnostics().hasErrorOccurred()) return 1;
  if (!write_text(facts_file, parsed_unit_json(parsed))) {
    llvm::errs() << "hone: error: cannot write '" << facts_file << "'\n";
    return 1;
  }
  return 0;
}

}  // namespace hone::vec
