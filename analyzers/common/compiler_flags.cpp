// Flags clang's driver does not know (see compiler_flags.h): the flags are parsed with the driver's own
// option table (clang-19's), so the answer is exactly what `clang` would say, with no list to keep.
#include "compiler_flags.h"

#include <clang/Driver/Options.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>

namespace hone::analyze {

std::vector<std::string> flags_unknown_to_clang(const std::vector<std::string>& flags) {
  std::vector<const char*> argv;
  for (const std::string& flag : flags) argv.push_back(flag.c_str());
  unsigned missing_index = 0, missing_count = 0;
  const llvm::opt::OptTable& table = clang::driver::getDriverOptTable();
  llvm::opt::InputArgList args =
      table.ParseArgs(argv, missing_index, missing_count, llvm::opt::Visibility(clang::driver::options::ClangOption));
  std::vector<std::string> unknown;
  for (const llvm::opt::Arg* arg : args.filtered(clang::driver::options::OPT_UNKNOWN))
    unknown.push_back(arg->getAsString(args));
  return unknown;
}

}  // namespace hone::analyze
