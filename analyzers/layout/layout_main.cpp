// `hone layout`: options, the per-TU AST walk, and the report.
//
// Pipeline: parse options → load the compilation database (common/inputs) → run every TU in
// parallel (common/tu_runner), visiting each complete, non-dependent record — including the template
// instantiations the TU uses — whose location passes the header filter → describe its layout and
// search the minimum-size order (record_layout, optimal_order) → one finding per record, deduplicated
// across TUs by qualified name + location → text, JSON or SARIF (common/findings).
#include "layout_main.h"

#include "findings.h"
#include "inputs.h"
#include "record_layout.h"
#include "tu_runner.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/raw_ostream.h>

namespace hone::layout {
namespace {

constexpr const char* k_usage = R"(usage: hone layout [options] [files...] [-- compiler flags]

Reports struct/class/union layouts with padding, and the field order of minimum size.

inputs:
  -p BUILD_DIR            read BUILD_DIR/compile_commands.json (all its files when none are given)
  files... -- FLAGS       analyze these files with exactly FLAGS (no database needed)
options:
  -j N                    translation units in parallel (default: all cores)
  --format text|json|sarif  output format (default: text)
  --min-savings N         report records whose reordering saves at least N bytes (default: 8)
  --all                   report every record's layout, even with nothing to save
  --cacheline N           cache line size in bytes (default: 64)
  --header-filter REGEX   report records in headers matching REGEX (default: all non-system headers)
  --system-headers        also report records declared in system headers
  --fail-on padding       exit 1 when any padding finding is reported (for CI)
  -h, --help              this text
exit codes: 0 ok, 1 findings with --fail-on, 2 bad usage or input, 3 partial (a TU did not parse)
)";

struct Options {
  analyze::InputOptions inputs;
  analyze::RunOptions run;
  analyze::OutputFormat format = analyze::OutputFormat::Text;
  uint64_t min_savings = 8;
  uint64_t cacheline = 64;
  bool all = false;
  std::string header_filter = ".*";
  bool system_headers = false;
  bool fail_on_padding = false;
};

int usage_error(const std::string& message) {
  llvm::errs() << "hone: error: " << message << "\n(run 'hone layout --help' for the options)\n";
  return analyze::k_exit_usage;
}

bool parse_number(const std::string& text, uint64_t& value) {
  return !text.empty() && !llvm::StringRef(text).getAsInteger(10, value);
}

// Returns -1 when parsing succeeded, else the exit code.
int parse_options(const std::vector<std::string>& args, Options& options) {
  std::vector<std::string> own = analyze::split_fixed_flags(args, options.inputs);
  for (size_t i = 0; i < own.size(); ++i) {
    std::string arg = own[i];
    std::string value;
    bool has_inline_value = false;
    if (llvm::StringRef(arg).starts_with("--") && arg.find('=') != std::string::npos) {
      value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      has_inline_value = true;
    }
    auto take_value = [&](std::string& out) {
      if (has_inline_value) {
        out = value;
        return true;
      }
      if (i + 1 >= own.size())
        return false;
      out = own[++i];
      return true;
    };
    std::string text;
    if (arg == "-h" || arg == "--help") {
      llvm::outs() << k_usage;
      return analyze::k_exit_ok;
    } else if (arg == "-p" || arg == "--build-dir") {
      if (!take_value(options.inputs.build_dir))
        return usage_error("-p needs a build directory");
    } else if (llvm::StringRef(arg).starts_with("-p") && arg.size() > 2) {
      options.inputs.build_dir = arg.substr(2);
    } else if (arg == "-j" || (llvm::StringRef(arg).starts_with("-j") && arg.size() > 2)) {
      if (arg.size() > 2)
        text = arg.substr(2);
      else if (!take_value(text))
        return usage_error("-j needs a number");
      uint64_t jobs = 0;
      if (!parse_number(text, jobs) || jobs == 0 || jobs > 4096)
        return usage_error("-j needs a positive number, got '" + text + "'");
      options.run.jobs = static_cast<unsigned>(jobs);
    } else if (arg == "--format") {
      if (!take_value(text) || !analyze::parse_output_format(text, options.format))
        return usage_error("--format must be text, json or sarif");
    } else if (arg == "--min-savings") {
      if (!take_value(text) || !parse_number(text, options.min_savings))
        return usage_error("--min-savings needs a number of bytes, got '" + text + "'");
    } else if (arg == "--cacheline") {
      if (!take_value(text) || !parse_number(text, options.cacheline) || options.cacheline == 0 ||
          (options.cacheline & (options.cacheline - 1)))
        return usage_error("--cacheline needs a power of two in bytes, got '" + text + "'");
    } else if (arg == "--header-filter") {
      if (!take_value(options.header_filter))
        return usage_error("--header-filter needs a regular expression");
    } else if (arg == "--system-headers") {
      options.system_headers = true;
    } else if (arg == "--all") {
      options.all = true;
    } else if (arg == "--fail-on") {
      if (!take_value(text) || text != "padding")
        return usage_error("--fail-on takes 'padding'");
      options.fail_on_padding = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "'");
    } else {
      options.inputs.files.push_back(arg);
    }
  }
  return -1;
}

struct Context {
  const Options& options;
  const analyze::SourceFilter& filter;
  analyze::FindingSet& findings;
};

llvm::json::Object payload_for(const RecordLayout& layout, const Suggestion& suggestion, uint64_t cacheline) {
  llvm::json::Array items;
  for (const LayoutItem& item : layout.items) {
    const char* kind = item.kind == ItemKind::Field           ? "field"
                       : item.kind == ItemKind::Base          ? "base"
                       : item.kind == ItemKind::VirtualBase   ? "virtual_base"
                                                              : "vptr";
    llvm::json::Object object{{"kind", kind},
                              {"name", item.name},
                              {"type", item.type},
                              {"offset_bits", static_cast<int64_t>(item.offset_bits)},
                              {"size_bits", static_cast<int64_t>(item.size_bits)},
                              {"align", static_cast<int64_t>(item.align)}};
    if (item.bit_field)
      object["bit_field"] = true;
    if (item.primary_base)
      object["primary_base"] = true;
    if (item.empty_base)
      object["empty_base"] = true;
    if (item.no_unique_address)
      object["no_unique_address"] = true;
    if (item.flexible_array)
      object["flexible_array"] = true;
    items.push_back(std::move(object));
  }
  llvm::json::Array holes;
  for (const Hole& hole : layout.holes)
    holes.push_back(llvm::json::Object{{"offset_bits", static_cast<int64_t>(hole.offset_bits)},
                                       {"size_bits", static_cast<int64_t>(hole.size_bits)},
                                       {"tail", hole.tail}});
  llvm::json::Object payload{{"record", layout.name},
                             {"kind", layout.kind},
                             {"size", static_cast<int64_t>(layout.size)},
                             {"align", static_cast<int64_t>(layout.align)},
                             {"data_size", static_cast<int64_t>(layout.data_size)},
                             {"padding", static_cast<int64_t>(layout.padding_bits / 8)},
                             {"padding_bits", static_cast<int64_t>(layout.padding_bits)},
                             {"cachelines", static_cast<int64_t>(cache_lines(layout.size, cacheline))},
                             {"packed", layout.packed},
                             {"items", std::move(items)},
                             {"holes", std::move(holes)}};
  if (suggestion.new_size < layout.size) {
    llvm::json::Array order;
    for (unsigned index : suggestion.order)
      order.push_back(layout.items[index].name);
    payload["suggestion"] = llvm::json::Object{
        {"order", std::move(order)},
        {"new_size", static_cast<int64_t>(suggestion.new_size)},
        {"saved", static_cast<int64_t>(layout.size - suggestion.new_size)},
        {"new_cachelines", static_cast<int64_t>(cache_lines(suggestion.new_size, cacheline))},
        {"proven_optimal", suggestion.proven_optimal},
        {"safe", suggestion.reorderable},
        {"unwise_reason", suggestion.unwise_reason}};
  }
  return payload;
}

class RecordVisitor : public clang::RecursiveASTVisitor<RecordVisitor> {
 public:
  RecordVisitor(clang::ASTContext& ast, Context& context) : ast_(ast), context_(context) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitRecordDecl(clang::RecordDecl* record) {
    if (!record->isCompleteDefinition() || record->isInvalidDecl() || record->isDependentType() ||
        record->isAnonymousStructOrUnion() || record->isLambda())
      return true;
    if (const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(record)) {
      if (cxx->getDescribedClassTemplate())
        return true;  // the pattern; its instantiations are visited separately
    }
    const clang::SourceManager& sources = ast_.getSourceManager();
    if (!context_.filter.should_report(sources, record->getLocation()))
      return true;
    analyze::PresumedPlace place = analyze::place_of(sources, record->getLocation());
    RecordLayout layout = describe_record(ast_, *record);
    std::string key = layout.name + "@" + place.file + ":" + std::to_string(place.line) + ":" +
                      std::to_string(place.column);
    Suggestion suggestion = suggest_order(ast_, *record, layout, context_.options.cacheline);
    uint64_t saved = layout.size - suggestion.new_size;
    bool worth = saved > 0 && saved >= context_.options.min_savings;
    if (!worth && !context_.options.all)
      return true;

    const uint64_t cacheline = context_.options.cacheline;
    analyze::Finding finding;
    finding.file = place.file;
    finding.line = place.line;
    finding.column = place.column;
    finding.dedupe_key = key;
    std::string head = layout.kind + " '" + layout.name + "' (" + std::to_string(layout.size) + " bytes, " +
                       std::to_string(cache_lines(layout.size, cacheline)) + " cache line" +
                       (cache_lines(layout.size, cacheline) == 1 ? "" : "s") + ") has " +
                       std::to_string(layout.padding_bits / 8) + " bytes of padding";
    if (layout.padding_bits % 8)
      head += " and " + std::to_string(layout.padding_bits % 8) + " bits";
    std::string detail = annotated_view(layout, cacheline);
    if (worth) {
      std::string order;
      for (unsigned index : suggestion.order)
        order += (order.empty() ? "" : ", ") + layout.items[index].name;
      std::string figures = std::to_string(saved) + " bytes (" + std::to_string(layout.size) + " -> " +
                            std::to_string(suggestion.new_size) + ", cache lines " +
                            std::to_string(cache_lines(layout.size, cacheline)) + " -> " +
                            std::to_string(cache_lines(suggestion.new_size, cacheline)) + ")";
      if (suggestion.reorderable) {
        finding.check = "hone-padding";
        finding.severity = analyze::Severity::Warning;
        finding.message = head + "; the order " + order + " saves " + figures +
                          (suggestion.proven_optimal ? "" : " (not proven optimal)");
      } else {
        finding.check = "hone-padding-keep-order";
        finding.severity = analyze::Severity::Note;
        finding.message = head + "; reordering would save " + figures + " but is unwise: " +
                          suggestion.unwise_reason;
      }
      detail += "suggested order" + std::string(suggestion.proven_optimal ? " (minimum size)" : "") + ":\n" +
                annotated_view_for_order(layout, suggestion, cacheline);
    } else {
      finding.check = "hone-layout";
      finding.severity = analyze::Severity::Note;
      finding.message = head;
    }
    finding.detail = detail;
    finding.payload = payload_for(layout, suggestion, cacheline);
    context_.findings.add(std::move(finding));
    return true;
  }

 private:
  clang::ASTContext& ast_;
  Context& context_;
};

class RecordConsumer : public clang::ASTConsumer {
 public:
  explicit RecordConsumer(Context& context) : context_(context) {}
  void HandleTranslationUnit(clang::ASTContext& ast) override {
    if (ast.getDiagnostics().hasErrorOccurred())
      return;
    RecordVisitor visitor(ast, context_);
    visitor.TraverseDecl(ast.getTranslationUnitDecl());
  }

 private:
  Context& context_;
};

class RecordAction : public clang::ASTFrontendAction {
 public:
  explicit RecordAction(Context& context) : context_(context) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&, llvm::StringRef) override {
    return std::make_unique<RecordConsumer>(context_);
  }

 private:
  Context& context_;
};

class RecordActionFactory : public clang::tooling::FrontendActionFactory {
 public:
  explicit RecordActionFactory(Context& context) : context_(context) {}
  std::unique_ptr<clang::FrontendAction> create() override { return std::make_unique<RecordAction>(context_); }

 private:
  Context& context_;
};

}  // namespace

int layout_main(const std::vector<std::string>& args) {
  Options options;
  if (int exit_code = parse_options(args, options); exit_code >= 0)
    return exit_code;
  analyze::SourceFilter filter(options.header_filter, options.system_headers);
  if (std::string error; !filter.valid(error))
    return usage_error("--header-filter '" + options.header_filter + "' is not a valid regular expression: " + error);
  analyze::Inputs inputs;
  if (std::string error; !analyze::load_inputs(options.inputs, inputs, error)) {
    llvm::errs() << "hone: error: " << error << '\n';
    return analyze::k_exit_usage;
  }

  analyze::FindingSet findings;
  Context context{options, filter, findings};
  RecordActionFactory factory(context);
  analyze::RunStatus status;
  analyze::run_translation_units(inputs, factory, options.run, status);

  analyze::ToolInfo tool{"hone layout", "0.1.0", "https://github.com/hone/hone/blob/main/docs/layout.md",
                         {{"hone-padding", "record has padding that a different field order removes"},
                          {"hone-padding-keep-order", "record has removable padding but reordering is unwise"},
                          {"hone-layout", "record layout (reported with --all)"}}};
  std::vector<analyze::Finding> sorted = findings.sorted();
  analyze::emit(options.format, llvm::outs(), tool, sorted, status);
  llvm::outs().flush();

  if (!status.failed_files.empty()) {
    llvm::errs() << "hone: error: " << status.failed_files.size() << " of " << status.tus_total
                 << " translation units did not parse; the report is partial\n";
    return analyze::k_exit_partial;
  }
  if (options.fail_on_padding) {
    for (const analyze::Finding& finding : sorted)
      if (finding.check == "hone-padding")
        return analyze::k_exit_findings;
  }
  return analyze::k_exit_ok;
}

}  // namespace hone::layout
