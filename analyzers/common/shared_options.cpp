// Parsing of the options every analyzer shares (see shared_options.h).
#include "shared_options.h"

#include <llvm/ADT/StringRef.h>

namespace hone::analyze {

bool ArgumentCursor::next() {
  if (started_) ++index_;
  started_ = true;
  if (index_ >= args_.size()) return false;
  const std::string& arg = args_[index_];
  has_inline_value_ = false;
  inline_value_.clear();
  name_ = arg;
  // Only long options carry `=value`: `-DX=1` style arguments belong to the files' flags, not here.
  if (llvm::StringRef(arg).starts_with("--") && arg.find('=') != std::string::npos) {
    name_ = arg.substr(0, arg.find('='));
    inline_value_ = arg.substr(arg.find('=') + 1);
    has_inline_value_ = true;
  }
  return true;
}

bool ArgumentCursor::take_value(std::string& out) {
  if (has_inline_value_) {
    out = inline_value_;
    return true;
  }
  if (index_ + 1 >= args_.size()) return false;
  out = args_[++index_];
  return true;
}

OptionParse parse_shared_option(ArgumentCursor& cursor, const SharedOptionTargets& targets, std::string& error) {
  const std::string& name = cursor.name();
  const llvm::StringRef ref(name);
  std::string text;
  if (name == "-p" || name == "--build-dir") {
    if (!cursor.take_value(targets.inputs.build_dir)) {
      error = "-p needs a build directory";
      return OptionParse::Error;
    }
    return OptionParse::Taken;
  }
  if (ref.starts_with("-p") && !ref.starts_with("--") && name.size() > 2) {
    targets.inputs.build_dir = name.substr(2);
    return OptionParse::Taken;
  }
  if (name == "-j" || (ref.starts_with("-j") && name.size() > 2)) {
    if (name.size() > 2) {
      text = name.substr(2);
    } else if (!cursor.take_value(text)) {
      error = "-j needs a number";
      return OptionParse::Error;
    }
    unsigned jobs = 0;
    if (text.empty() || llvm::StringRef(text).getAsInteger(10, jobs) || jobs == 0 || jobs > 4096) {
      error = "-j needs a positive number, got '" + text + "'";
      return OptionParse::Error;
    }
    targets.run.jobs = jobs;
    return OptionParse::Taken;
  }
  if (name == "--format") {
    if (!cursor.take_value(text) || !parse_output_format(text, targets.format)) {
      error = "--format must be text, json or sarif";
      return OptionParse::Error;
    }
    return OptionParse::Taken;
  }
  if (name == "--header-filter") {
    if (!cursor.take_value(targets.header_filter)) {
      error = "--header-filter needs a regular expression";
      return OptionParse::Error;
    }
    return OptionParse::Taken;
  }
  if (name == "--system-headers") {
    targets.system_headers = true;
    return OptionParse::Taken;
  }
  return OptionParse::NotShared;
}

}  // namespace hone::analyze
