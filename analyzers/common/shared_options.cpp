// Parsing of the options every analyzer shares (see shared_options.h).
#include "shared_options.h"

#include <llvm/Support/Regex.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <cstring>
#include <unistd.h>

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
  if (name == "--color") {
    if (!cursor.take_value(text) || (text != "auto" && text != "always" && text != "never")) {
      error = "--color must be auto, always or never, got '" + text + "'";
      return OptionParse::Error;
    }
    targets.report.color = text == "always" ? ColorMode::Always : text == "never" ? ColorMode::Never : ColorMode::Auto;
    return OptionParse::Taken;
  }
  if (name == "--export-fixes") {
    if (!cursor.take_value(targets.report.export_fixes) || targets.report.export_fixes.empty()) {
      error = "--export-fixes needs a file name (the YAML file clang-apply-replacements reads)";
      return OptionParse::Error;
    }
    return OptionParse::Taken;
  }
  return OptionParse::NotRecognized;
}

int parse_analyzer_arguments(const std::vector<std::string>& args, const SharedOptionTargets& targets,
                             llvm::StringRef command, llvm::StringRef usage, OwnOptionParser parse_own) {
  const std::vector<std::string> own_args = split_fixed_flags(args, targets.inputs);
  ArgumentCursor cursor(own_args);
  while (cursor.next()) {
    const std::string& name = cursor.name();
    if (name == "-h" || name == "--help") {
      llvm::outs() << usage;
      return k_exit_ok;
    }
    std::string error;
    OptionParse parsed = parse_shared_option(cursor, targets, error);
    if (parsed == OptionParse::NotRecognized) parsed = parse_own(cursor, error);
    if (parsed == OptionParse::Error) return usage_error(command, error);
    if (parsed == OptionParse::Taken) continue;
    if (!name.empty() && name[0] == '-') return usage_error(command, "unknown option '" + name + "'");
    targets.inputs.files.push_back(name);
  }
  // An empty filter is no regex to llvm::Regex, and means "no headers".
  if (std::string error; !targets.header_filter.empty() && !llvm::Regex(targets.header_filter).isValid(error))
    return usage_error(command,
                       "--header-filter '" + targets.header_filter + "' is not a valid regular expression: " + error);
  return -1;
}

bool use_color(ColorMode mode) {
  if (mode != ColorMode::Auto) return mode == ColorMode::Always;
  if (!isatty(STDOUT_FILENO)) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  return term && *term && std::strcmp(term, "dumb") != 0;
}

void apply_presentation(const ReportOptions& report, RunOptions& run) {
  llvm::outs().enable_colors(use_color(report.color));
  run.progress = progress_wanted();
}

int usage_error(llvm::StringRef command, const std::string& message) {
  llvm::errs() << "hone: error: " << message << "\n(run 'hone " << command << " --help' for the options)\n";
  return k_exit_usage;
}

}  // namespace hone::analyze
