// `hone layout`: options, the per-TU AST walk, the cross-TU merge, the report and --fix/--diff.
//
// Pipeline: parse options → load the compilation database (common/inputs) → run every TU in
// parallel (common/tu_runner), visiting each complete, non-dependent record — including the template
// instantiations the TU uses — whose location passes the header filter, and every place that depends
// on a record's field order (positional or designated aggregate initializers, structured bindings,
// offsetof, bytes passed on or cast, union membership: order_uses) →
// describe its layout and search the minimum-size order (record_layout, optimal_order), plan the
// source edits when fixing (field_moves) → merge the TUs' results by qualified name + location, so a
// header record is reported once and a use in any TU vetoes reordering → text, JSON or SARIF
// (common/findings), and the edits applied (--fix) or printed as a unified diff (--diff).
#include "layout_main.h"

#include "export_fixes.h"
#include "field_moves.h"
#include "findings.h"
#include "inputs.h"
#include "order_uses.h"
#include "public_headers.h"
#include "record_layout.h"
#include "shared_options.h"
#include "source_rewrite.h"
#include "support/atomic_file.h"
#include "suppressions.h"
#include "tu_runner.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Regex.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>

#include <map>
#include <mutex>
#include <set>

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
  --color auto|always|never  colours in text output (default: auto, when stdout is a terminal)
  --min-savings N         report records whose reordering saves at least N bytes (default: 8)
  --all                   report every record's layout, even with nothing to save
  --cacheline N           cache line size in bytes (default: 64)
  --header-filter REGEX   report records in headers matching REGEX (default: all non-system headers)
  --system-headers        also report records declared in system headers
  --fail-on padding       exit 1 when any padding finding is reported (for CI)
  --public-headers REGEX  headers whose path matches REGEX are public interface (besides an include/
                          tree, the install rules in BUILD_DIR/cmake_install.cmake and exported records)
  --abi-break             let --fix rewrite records of the public interface too (changes the ABI)
  --exclude REGEX         leave out records declared in files whose path matches REGEX (vendored code)
  --extra-arg FLAG        append FLAG to every compile command (repeatable)
  --remove-arg FLAG       remove FLAG from every compile command, exact match (repeatable); flags clang
                          does not know (GCC-only) are dropped anyway, with one warning each
  --fix                   rewrite the sources: reported records get the minimum-size order where that
                          is safe (each field moves with its comments and attributes; mem-initializer
                          lists follow); the report says why any record was left unchanged
  --diff                  print the --fix changes as a unified diff (for patch -p1 / git apply) and
                          change nothing
  --export-fixes FILE     write the --fix changes to FILE for clang-apply-replacements (YAML) and
                          change nothing
  -h, --help              this text
suppressing a finding: `// NOLINT(hone-padding)` on the line it is reported at, or
  `// NOLINTNEXTLINE(hone-padding)` on the line before (check names as printed in [...], `*` globs;
  a bare `// NOLINT` does not silence hone)
exit codes: 0 ok, 1 findings with --fail-on or a file --fix or --export-fixes could not write,
  2 bad usage or input, 3 partial (a TU did not parse; --fix and --diff then change nothing)
)";

struct Options {
  analyze::InputOptions inputs;
  std::string header_filter = ".*";
  uint64_t min_savings = 8;
  uint64_t cacheline = 64;
  analyze::RunOptions run;
  analyze::OutputFormat format = analyze::OutputFormat::Text;
  bool all = false;
  bool system_headers = false;
  bool fail_on_padding = false;
  bool fix = false;
  bool diff = false;
  std::string public_headers;  // --public-headers REGEX
  bool abi_break = false;
  std::string exclude;            // --exclude REGEX
  analyze::ReportOptions report;  // --color, --export-fixes
};

int usage_error(const std::string& message) {
  return analyze::usage_error("layout", message);
}

bool parse_number(const std::string& text, uint64_t& value) {
  return !text.empty() && !llvm::StringRef(text).getAsInteger(10, value);
}

// The value of an option that takes a regular expression (--public-headers, --exclude): "" or the error.
std::string take_regex(analyze::ArgumentCursor& cursor, std::string& value) {
  if (std::string regex_error; !cursor.take_value(value) || value.empty() || !llvm::Regex(value).isValid(regex_error))
    return cursor.name() + " needs a valid regular expression, got '" + value + "'" +
           (regex_error.empty() ? "" : ": " + regex_error);
  return "";
}

// The options only `hone layout` has.
analyze::OptionParse parse_layout_option(analyze::ArgumentCursor& cursor, Options& options, std::string& error) {
  using analyze::OptionParse;
  const std::string& name = cursor.name();
  std::string text;
  if (name == "--min-savings") {
    if (!cursor.take_value(text) || !parse_number(text, options.min_savings)) {
      error = "--min-savings needs a number of bytes, got '" + text + "'";
      return OptionParse::Error;
    }
  } else if (name == "--cacheline") {
    if (!cursor.take_value(text) || !parse_number(text, options.cacheline) || options.cacheline == 0 ||
        (options.cacheline & (options.cacheline - 1))) {
      error = "--cacheline needs a power of two in bytes, got '" + text + "'";
      return OptionParse::Error;
    }
  } else if (name == "--fix") {
    options.fix = true;
  } else if (name == "--diff") {
    options.diff = true;
  } else if (name == "--public-headers") {
    if (error = take_regex(cursor, options.public_headers); !error.empty()) return OptionParse::Error;
  } else if (name == "--extra-arg" || name == "--remove-arg") {
    if (!cursor.take_value(text) || text.empty()) {
      error = name + " needs a compiler flag";
      return OptionParse::Error;
    }
    (name == "--extra-arg" ? options.run.extra_args : options.run.remove_args).push_back(text);
  } else if (name == "--exclude") {
    if (error = take_regex(cursor, options.exclude); !error.empty()) return OptionParse::Error;
  } else if (name == "--abi-break") {
    options.abi_break = true;
  } else if (name == "--all") {
    options.all = true;
  } else if (name == "--fail-on") {
    if (!cursor.take_value(text) || text != "padding") {
      error = "--fail-on takes 'padding'";
      return OptionParse::Error;
    }
    options.fail_on_padding = true;
  } else {
    return OptionParse::NotRecognized;
  }
  return OptionParse::Taken;
}

// Returns -1 when parsing succeeded, else the exit code.
int parse_options(const std::vector<std::string>& args, Options& options) {
  const analyze::SharedOptionTargets shared{
      options.inputs, options.run, options.format, options.header_filter, options.system_headers, options.report};
  const int exit_code = analyze::parse_analyzer_arguments(
      args, shared, "layout", k_usage,
      [&](analyze::ArgumentCursor& cursor, std::string& error) { return parse_layout_option(cursor, options, error); });
  if (exit_code != -1) return exit_code;
  if (options.fix && options.diff)
    return usage_error("--fix and --diff exclude each other: --diff shows what --fix would change");
  if (!options.report.export_fixes.empty() && (options.fix || options.diff))
    return usage_error(std::string("--export-fixes and ") + (options.fix ? "--fix" : "--diff") +
                       " exclude each other: the fixes file holds the changes --fix would make, for "
                       "clang-apply-replacements to apply");
  analyze::apply_presentation(options.report, options.run);
  return -1;
}

llvm::json::Object payload_for(const RecordLayout& layout, const Suggestion& suggestion, uint64_t cacheline) {
  llvm::json::Array items;
  for (const LayoutItem& item : layout.items) {
    const char* kind = item.kind == ItemKind::Field         ? "field"
                       : item.kind == ItemKind::Base        ? "base"
                       : item.kind == ItemKind::VirtualBase ? "virtual_base"
                                                            : "vptr";
    llvm::json::Object object{{"kind", kind},
                              {"name", item.name},
                              {"type", item.type},
                              {"offset_bits", static_cast<int64_t>(item.offset_bits)},
                              {"size_bits", static_cast<int64_t>(item.size_bits)},
                              {"align", static_cast<int64_t>(item.align)}};
    if (item.bit_field) object["bit_field"] = true;
    if (item.primary_base) object["primary_base"] = true;
    if (item.empty_base) object["empty_base"] = true;
    if (item.no_unique_address) object["no_unique_address"] = true;
    if (item.flexible_array) object["flexible_array"] = true;
    items.push_back(std::move(object));
  }
  llvm::json::Array holes;
  for (const Hole& hole : layout.holes)
    holes.push_back(llvm::json::Object{{"offset_bits", static_cast<int64_t>(hole.offset_bits)},
                                       {"size_bits", static_cast<int64_t>(hole.size_bits)},
                                       {"tail", hole.tail},
                                       {"bit_hole", hole.bits}});
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
    for (unsigned index : suggestion.order) order.push_back(layout.items[index].name);
    payload["suggestion"] =
        llvm::json::Object{{"order", std::move(order)},
                           {"new_size", static_cast<int64_t>(suggestion.new_size)},
                           {"saved", static_cast<int64_t>(layout.size - suggestion.new_size)},
                           {"new_cachelines", static_cast<int64_t>(cache_lines(suggestion.new_size, cacheline))},
                           {"proven_optimal", suggestion.proven_optimal},
                           {"safe", suggestion.reorderable},
                           {"unwise_reason", suggestion.unwise_reason}};
  }
  return payload;
}

// What one TU learned about one record. RecordLayout's FieldDecl pointers are cleared before it
// leaves the TU (the AST dies with it).
struct RecordEntry {
  analyze::PresumedPlace place;
  RecordLayout layout;
  Suggestion suggestion;
  bool has_fix = false;
  FixPlan fix;
  std::string exported;  // non-empty: the record is exported from its library, and how
  std::string unit;      // the main file of the first TU that saw this layout
  std::string variant;   // non-empty when TUs lay the record out differently: which variant this is
};

// Everything the TUs found, merged by record key (qualified name with template arguments + location).
class Collector {
public:
  void merge(std::map<std::string, RecordEntry>&& records, std::map<std::string, std::set<std::string>>&& uses) {
    std::lock_guard lock(mutex_);
    for (auto& [key, entry] : records) {
      auto [existing, inserted] = records_.try_emplace(key, std::move(entry));
      if (!inserted) merge_entry(existing->second, entry);
    }
    for (auto& [key, reasons] : uses) order_uses_[key].insert(reasons.begin(), reasons.end());
  }
  // Only after all TUs finished.
  std::map<std::string, RecordEntry>& records() { return records_; }
  const std::set<std::string>* order_uses(const std::string& key) const {
    auto found = order_uses_.find(key);
    return found == order_uses_.end() ? nullptr : &found->second;
  }

private:
  // A TU may know more than the first one did: a constructor defined in its .cpp, the mem-initializer
  // list to permute there.
  static void merge_entry(RecordEntry& into, RecordEntry& from) {
    if (into.suggestion.reorderable && !from.suggestion.reorderable && !from.suggestion.unwise_reason.empty()) {
      into.suggestion.reorderable = false;
      into.suggestion.unwise_reason = from.suggestion.unwise_reason;
    }
    if (!from.has_fix) return;
    if (!into.has_fix) {
      into.has_fix = true;
      into.fix = std::move(from.fix);
      return;
    }
    if (into.fix.refusal.empty()) into.fix.refusal = from.fix.refusal;
    std::set<SourceEdit> edits(into.fix.edits.begin(), into.fix.edits.end());
    edits.insert(from.fix.edits.begin(), from.fix.edits.end());
    into.fix.edits.assign(edits.begin(), edits.end());
    for (const FileVersion& version : from.fix.versions) {
      auto same = std::find_if(into.fix.versions.begin(), into.fix.versions.end(),
                               [&](const FileVersion& known) { return known.file == version.file; });
      if (same == into.fix.versions.end())
        into.fix.versions.push_back(version);
      else if (same->hash != version.hash && into.fix.refusal.empty())
        into.fix.refusal = "'" + version.file + "' changed while the TUs were parsed";
    }
    std::set<std::string> notes(into.fix.notes.begin(), into.fix.notes.end());
    notes.insert(from.fix.notes.begin(), from.fix.notes.end());
    into.fix.notes.assign(notes.begin(), notes.end());
  }

  std::mutex mutex_;
  std::map<std::string, RecordEntry> records_;
  std::map<std::string, std::set<std::string>> order_uses_;
};

struct Context {
  const Options& options;
  const analyze::SourceFilter& filter;
  Collector& collector;
  const llvm::Regex* exclude;  // --exclude, or null
};

// Why a record belongs to the public interface (so --fix leaves it unless --abi-break), or "".
std::string public_interface(const RecordEntry& entry, const PublicHeaders& public_headers) {
  return entry.exported.empty() ? public_headers.why(entry.place.file) : entry.exported;
}

// A record is one finding per distinct layout: a macro or a flag may lay the same definition out
// differently in two TUs, and each variant is reported (and left alone by --fix) on its own.
std::string record_key(const RecordLayout& layout, const analyze::PresumedPlace& place) {
  std::string signature = std::to_string(layout.size) + "/" + std::to_string(layout.align);
  for (const LayoutItem& item : layout.items)
    signature += ";" + item.name + ":" + std::to_string(item.offset_bits) + ":" + std::to_string(item.size_bits);
  return layout.name + "@" + place.file + ":" + std::to_string(place.line) + ":" + std::to_string(place.column) + "#" +
         llvm::utohexstr(llvm::xxh3_64bits(signature));
}

// Marks the records whose layout differs between TUs with their variant ("variant 1 of 2").
void name_layout_variants(std::map<std::string, RecordEntry>& records) {
  std::map<std::string, std::vector<RecordEntry*>> by_place;
  for (auto& [key, entry] : records) by_place[key.substr(0, key.rfind('#'))].push_back(&entry);
  for (auto& [place, entries] : by_place) {
    if (entries.size() < 2) continue;
    std::vector<RecordEntry*> in_unit_order = entries;
    std::sort(in_unit_order.begin(), in_unit_order.end(),
              [](const RecordEntry* a, const RecordEntry* b) { return a->unit < b->unit; });
    for (size_t i = 0; i < in_unit_order.size(); ++i)
      in_unit_order[i]->variant = "layout variant " + std::to_string(i + 1) + " of " +
                                  std::to_string(in_unit_order.size()) + ", as compiled in " + in_unit_order[i]->unit;
  }
}

std::string where(const analyze::PresumedPlace& place) {
  return place.file + ":" + std::to_string(place.line) + ":" + std::to_string(place.column);
}

class RecordVisitor : public clang::RecursiveASTVisitor<RecordVisitor> {
public:
  RecordVisitor(clang::ASTContext& ast, Context& context) : ast_(ast), context_(context) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitRecordDecl(clang::RecordDecl* record) {
    if (record->isUnion()) note_uses(order_uses_in_union(ast_, *record));
    if (!reportable(*record)) return true;
    const clang::SourceManager& sources = ast_.getSourceManager();
    RecordEntry entry;
    entry.place = analyze::place_of(sources, record->getLocation());
    entry.layout = describe_record(ast_, *record);
    entry.suggestion = suggest_order(ast_, *record, entry.layout, context_.options.cacheline);
    entry.exported = exported_record(*record);
    entry.unit = analyze::place_of(sources, sources.getLocForStartOfFile(sources.getMainFileID())).file;
    std::string key = record_key(entry.layout, entry.place);
    uint64_t saved = entry.layout.size - entry.suggestion.new_size;
    bool worth = saved > 0 && saved >= context_.options.min_savings;
    // SARIF carries the edits as `fixes`, and --export-fixes writes them, so they are planned for those too.
    bool plan = context_.options.fix || context_.options.diff ||
                context_.options.format == analyze::OutputFormat::Sarif ||
                !context_.options.report.export_fixes.empty();
    if (worth && entry.suggestion.reorderable && plan) {
      entry.has_fix = true;
      entry.fix = plan_field_moves(ast_, *record, entry.suggestion.field_order);
    }
    // The AST dies with the TU.
    for (LayoutItem& item : entry.layout.items) item.field = nullptr;
    for (LayoutItem& item : entry.layout.reserved) item.field = nullptr;
    entry.suggestion.field_order.clear();
    keys_[record] = key;
    if (worth || context_.options.all) records_.try_emplace(key, std::move(entry));
    return true;
  }

  // Aggregate initialization by position (and, in C++, designated initializers, which must follow the
  // declaration order) breaks or changes meaning when the fields move.
  bool VisitInitListExpr(clang::InitListExpr* list) {
    if (list->getType().isNull() || list->getType()->isDependentType()) return true;
    const clang::InitListExpr* written =
        list->isSemanticForm() && list->getSyntacticForm() ? list->getSyntacticForm() : list;
    if (written->getNumInits() == 0) return true;
    const clang::RecordDecl* record = list->getType()->getAsRecordDecl();
    if (!record || record->isUnion()) return true;
    if (written->getNumInits() == 1 && written->getInit(0)->getType()->getAsRecordDecl() == record)
      return true;  // a copy, not a member-wise initialization
    bool designated = llvm::all_of(written->inits(),
                                   [](const clang::Expr* init) { return llvm::isa<clang::DesignatedInitExpr>(init); });
    if (designated && !ast_.getLangOpts().CPlusPlus)
      return true;  // C designators name the field; the order does not matter
    note_use(*record, list->getBeginLoc(),
             designated ? "is initialized with designated initializers at {}, which C++ requires in declaration order"
                        : "is initialized by field position at {}");
    return true;
  }

  bool VisitCXXParenListInitExpr(clang::CXXParenListInitExpr* list) {
    if (const clang::RecordDecl* record = list->getType()->getAsRecordDecl(); record && !record->isUnion())
      note_use(*record, list->getBeginLoc(), "is initialized by field position at {}");
    return true;
  }

  bool VisitDecompositionDecl(clang::DecompositionDecl* decomposition) {
    const clang::RecordDecl* record = decomposition->getType().getNonReferenceType()->getAsRecordDecl();
    if (!record || decomposition->bindings().empty()) return true;
    const clang::Expr* binding = decomposition->bindings().front()->getBinding();
    if (binding && llvm::isa<clang::MemberExpr>(binding->IgnoreImplicit()))
      note_use(*record, decomposition->getLocation(),
               "is destructured by a structured binding at {}, which binds the fields in declaration order");
    return true;
  }

  // Whole objects handed over as bytes, pointer casts, offsetof (order_uses).
  bool VisitCallExpr(clang::CallExpr* call) {
    note_uses(order_uses_in_call(ast_, *call));
    return true;
  }
  bool VisitExplicitCastExpr(clang::ExplicitCastExpr* cast) {
    note_uses(order_uses_in_cast(ast_, *cast));
    return true;
  }
  bool VisitOffsetOfExpr(clang::OffsetOfExpr* offsetof_expr) {
    note_uses(order_uses_in_offsetof(*offsetof_expr));
    return true;
  }

  void finish() {
    // Uses are keyed like the record's report.
    std::map<std::string, std::set<std::string>> uses;
    for (auto& [record, reasons] : pending_uses_) {
      auto key = keys_.find(record);
      if (key != keys_.end()) uses[key->second].insert(reasons.begin(), reasons.end());
    }
    context_.collector.merge(std::move(records_), std::move(uses));
  }

private:
  bool reportable(const clang::RecordDecl& record) const {
    if (!record.isCompleteDefinition() || record.isInvalidDecl() || record.isDependentType() ||
        record.isAnonymousStructOrUnion() || record.isLambda())
      return false;
    if (const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record); cxx && cxx->getDescribedClassTemplate())
      return false;  // the pattern; its instantiations are visited separately
    if (!context_.filter.should_report(ast_.getSourceManager(), record.getLocation())) return false;
    return !context_.exclude ||
           !context_.exclude->match(analyze::place_of(ast_.getSourceManager(), record.getLocation()).file);
  }

  void note_use(const clang::RecordDecl& record, clang::SourceLocation location, llvm::StringRef reason) {
    const clang::RecordDecl* definition = record.getDefinition();
    if (!definition) return;
    std::string text = reason.str();
    text.replace(text.find("{}"), 2, where(analyze::place_of(ast_.getSourceManager(), location)));
    pending_uses_[definition].insert(std::move(text));
  }

  void note_uses(const std::vector<OrderUse>& uses) {
    for (const OrderUse& use : uses) note_use(*use.record, use.location, use.reason);
  }

  clang::ASTContext& ast_;
  Context& context_;
  std::map<std::string, RecordEntry> records_;
  std::map<const clang::RecordDecl*, std::string> keys_;
  std::map<const clang::RecordDecl*, std::set<std::string>> pending_uses_;
};

class RecordConsumer : public clang::ASTConsumer {
public:
  explicit RecordConsumer(Context& context) : context_(context) {}
  void HandleTranslationUnit(clang::ASTContext& ast) override {
    if (ast.getDiagnostics().hasErrorOccurred()) return;
    RecordVisitor visitor(ast, context_);
    visitor.TraverseDecl(ast.getTranslationUnitDecl());
    visitor.finish();
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

// The finding for one merged record; `order_uses` are the places (any TU) that depend on its order.
analyze::Finding make_finding(const std::string& key, RecordEntry& entry, const std::set<std::string>* order_uses,
                              const Options& options) {
  const RecordLayout& layout = entry.layout;
  Suggestion& suggestion = entry.suggestion;
  if (order_uses && suggestion.reorderable) {
    suggestion.reorderable = false;
    suggestion.unwise_reason = "it " + *order_uses->begin();
    if (order_uses->size() > 1)
      suggestion.unwise_reason += " (and " + std::to_string(order_uses->size() - 1) + " more)";
  }
  const uint64_t cacheline = options.cacheline;
  const uint64_t saved = layout.size - suggestion.new_size;
  const bool worth = saved > 0 && saved >= options.min_savings;
  analyze::Finding finding;
  finding.file = entry.place.file;
  finding.line = entry.place.line;
  finding.column = entry.place.column;
  finding.dedupe_key = key;
  std::string head = layout.kind + " '" + layout.name + "' (" + std::to_string(layout.size) + " bytes, " +
                     std::to_string(cache_lines(layout.size, cacheline)) + " cache line" +
                     (cache_lines(layout.size, cacheline) == 1 ? "" : "s") + ") has " +
                     std::to_string(layout.padding_bits / 8) + " bytes of padding";
  if (layout.padding_bits % 8) head += " and " + std::to_string(layout.padding_bits % 8) + " bits";
  if (!entry.variant.empty()) head += " (" + entry.variant + ")";
  std::string detail = annotated_view(layout, cacheline);
  if (worth) {
    std::string order;
    for (unsigned index : suggestion.order) order += (order.empty() ? "" : ", ") + layout.items[index].name;
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
      finding.message = head + "; reordering would save " + figures + " but is unwise: " + suggestion.unwise_reason;
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
  return finding;
}

// How a path is named in the diff headers: relative to the working directory when inside it, so
// `patch -p1` and `git apply` work from there.
std::string diff_name(const std::string& file, const char* prefix) {
  llvm::SmallString<256> cwd;
  if (!llvm::sys::fs::current_path(cwd)) {
    std::string base = std::string(cwd) + "/";
    if (llvm::StringRef(file).starts_with(base)) return prefix + file.substr(base.size());
  }
  return file;
}

// Without --fix, says which suggestions --fix would leave alone because they would change an ABI.
void note_public_interface(const Options& options, Collector& collector, std::vector<analyze::Finding>& findings,
                           const PublicHeaders& public_headers) {
  if (options.abi_break) return;
  for (analyze::Finding& finding : findings) {
    if (finding.check != "hone-padding") continue;
    const RecordEntry& entry = collector.records().at(finding.dedupe_key);
    if (std::string reason = public_interface(entry, public_headers); !reason.empty()) {
      finding.notes.push_back({finding.file, finding.line, finding.column,
                               "'" + entry.layout.name + "' is part of a public interface (" + reason +
                                   "): --fix leaves it unless --abi-break"});
      finding.payload["public_interface"] = reason;
    }
  }
}

// SARIF and --export-fixes without --fix: the edits --fix would make, for each record it would rewrite
// (the same refusals, including a record whose edits overlap another's or whose file changed on disk).
void attach_fixes(Collector& collector, std::vector<analyze::Finding>& findings, const analyze::RunStatus& status) {
  if (!status.failed_files.empty()) return;
  RewriteSet rewrites;
  for (analyze::Finding& finding : findings) {
    if (finding.check != "hone-padding") continue;
    const RecordEntry& entry = collector.records().at(finding.dedupe_key);
    if (!entry.has_fix || !entry.fix.refusal.empty() || !entry.variant.empty() || entry.fix.edits.empty() ||
        finding.payload.find("public_interface") != finding.payload.end())
      continue;
    if (std::string reason; !rewrites.add(entry.fix.edits, entry.fix.versions, reason)) continue;
    analyze::FindingFix fix;
    fix.description = "reorder the fields of '" + entry.layout.name + "' (" + std::to_string(entry.layout.size) +
                      " -> " + std::to_string(entry.suggestion.new_size) + " bytes)";
    for (const SourceEdit& edit : entry.fix.edits)
      fix.edits.push_back({edit.file, edit.offset, edit.length, edit.text});
    finding.fixes.push_back(std::move(fix));
  }
}

// Decides, applies or prints the fixes; adds a note per reported record saying what happened to it.
// Returns the exit code contribution (0, or 1 when a file could not be written).
int apply_fixes(const Options& options, Collector& collector, std::vector<analyze::Finding>& findings,
                const analyze::RunStatus& status, const PublicHeaders& public_headers) {
  const char* flag = options.fix ? "--fix" : "--diff";
  RewriteSet rewrites;
  unsigned fixed = 0;
  for (analyze::Finding& finding : findings) {
    if (finding.check != "hone-padding") continue;
    RecordEntry& entry = collector.records().at(finding.dedupe_key);
    std::string reason;
    std::string public_reason = options.abi_break ? "" : public_interface(entry, public_headers);
    if (!status.failed_files.empty())
      reason = "some TUs did not parse, so uses that depend on the field order may be unseen";
    else if (!entry.variant.empty())
      reason = "its layout differs between translation units (this is " + entry.variant +
               "), so no one order suits them all; make the definition the same everywhere first";
    else if (!public_reason.empty())
      reason = "it is part of a public interface (" + public_reason +
               "): code built against the installed header would read the old layout; --abi-break rewrites it "
               "anyway";
    else if (!entry.has_fix)
      reason = "no fix was planned";
    else if (!entry.fix.refusal.empty())
      reason = entry.fix.refusal;
    else
      rewrites.add(entry.fix.edits, entry.fix.versions, reason);
    std::string message;
    if (reason.empty()) {
      ++fixed;
      message = std::string(flag) + ": reordered the fields of '" + entry.layout.name + "' (" +
                std::to_string(entry.layout.size) + " -> " + std::to_string(entry.suggestion.new_size) + " bytes)";
      for (const std::string& note : entry.fix.notes) message += "; " + note;
    } else {
      message = std::string(flag) + ": left '" + entry.layout.name + "' unchanged: " + reason;
    }
    finding.notes.push_back({finding.file, finding.line, finding.column, message});
    if (options.diff)
      llvm::errs() << finding.file << ':' << finding.line << ':' << finding.column << ": note: " << message << '\n';
  }
  std::vector<FileRewrite> files;
  std::string error;
  if (!rewrites.results(files, error)) {
    llvm::errs() << "hone: error: " << error << '\n';
    return analyze::k_exit_findings;
  }
  if (options.diff) {
    for (const FileRewrite& file : files)
      llvm::outs() << unified_diff(diff_name(file.file, "a/"), diff_name(file.file, "b/"), file.before, file.after);
    return analyze::k_exit_ok;
  }
  int exit_code = analyze::k_exit_ok;
  // Each file is replaced whole through an exclusive temporary and a rename, keeping its permissions:
  // an editor or a build reading it meanwhile sees the old or the new source, never half of each.
  // A --fix killed mid-write left its temporary beside the source: removed once stale.
  support::AtomicWriteOptions keep_permissions;
  keep_permissions.keep_target_permissions = true;
  keep_permissions.remove_stale_temporaries = true;
  for (const FileRewrite& file : files) {
    if (std::string write_error = support::write_file_atomically(file.file, file.after, keep_permissions);
        !write_error.empty()) {
      llvm::errs() << "hone: error: " << write_error << '\n';
      exit_code = analyze::k_exit_findings;
    }
  }
  llvm::errs() << "hone: --fix reordered " << fixed << " record" << (fixed == 1 ? "" : "s") << " in " << files.size()
               << " file" << (files.size() == 1 ? "" : "s") << '\n';
  return exit_code;
}

}  // namespace

int layout_main(const std::vector<std::string>& args) {
  Options options;
  if (int exit_code = parse_options(args, options); exit_code >= 0) return exit_code;
  const analyze::SourceFilter filter(options.header_filter, options.system_headers);
  analyze::Inputs inputs;
  if (std::string error; !analyze::load_inputs(options.inputs, inputs, error)) {
    llvm::errs() << "hone: error: " << error << '\n';
    return analyze::k_exit_usage;
  }

  // A database captured from a GCC build holds flags clang stops on; parsing needs only the rest.
  options.run.drop_unknown_flags = true;
  Collector collector;
  const llvm::Regex exclude(options.exclude);
  Context context{options, filter, collector, options.exclude.empty() ? nullptr : &exclude};
  RecordActionFactory factory(context);
  analyze::RunStatus status;
  analyze::run_translation_units(inputs, factory, options.run, status);

  name_layout_variants(collector.records());
  analyze::FindingSet finding_set;
  for (auto& [key, entry] : collector.records())
    finding_set.add(make_finding(key, entry, collector.order_uses(key), options));
  std::vector<analyze::Finding> findings = finding_set.sorted();
  // NOLINT(hone-...) comments: the findings they name are gone before --fix, --fail-on or any output.
  analyze::SourceCache sources;
  analyze::note_suppressed(analyze::drop_suppressed(sources, findings));

  const PublicHeaders public_headers(options.inputs.build_dir, options.public_headers);
  int fix_exit = analyze::k_exit_ok;
  if (options.fix || options.diff) {
    fix_exit = apply_fixes(options, collector, findings, status, public_headers);
  } else {
    note_public_interface(options, collector, findings, public_headers);
    if (options.format == analyze::OutputFormat::Sarif || !options.report.export_fixes.empty())
      attach_fixes(collector, findings, status);
  }
  if (!options.report.export_fixes.empty()) {
    if (std::string error = analyze::write_fixes_file(options.report.export_fixes, findings,
                                                      inputs.files.empty() ? "" : inputs.files.front(), sources);
        !error.empty()) {
      llvm::errs() << "hone: error: " << error << '\n';
      fix_exit = analyze::k_exit_findings;
    } else {
      const size_t count = analyze::count_fixes(findings);
      llvm::errs() << "hone: --export-fixes wrote " << count << " fix" << (count == 1 ? "" : "es") << " to "
                   << options.report.export_fixes << " (apply with clang-apply-replacements)\n";
    }
  }
  if (!options.diff) {
    // SARIF's informationUri must be an absolute URI; hone has no public home page, so none is given.
    // HONE_VERSION: the CMake project version (analyzers/layout/CMakeLists.txt).
    analyze::ToolInfo tool{"hone layout",
                           HONE_VERSION,
                           "",
                           {{"hone-padding", "record has padding that a different field order removes"},
                            {"hone-padding-keep-order", "record has removable padding but reordering is unwise"},
                            {"hone-layout", "record layout (reported with --all)"}},
                           "layout"};
    analyze::emit(options.format, llvm::outs(), tool, findings, status);
  }
  llvm::outs().flush();

  if (!status.failed_files.empty()) {
    llvm::errs() << "hone: error: " << status.failed_files.size() << " of " << status.tus_total
                 << " translation units did not parse; the report is partial\n";
    return analyze::k_exit_partial;
  }
  if (fix_exit != analyze::k_exit_ok) return fix_exit;
  if (options.fail_on_padding) {
    for (const analyze::Finding& finding : findings)
      if (finding.check == "hone-padding") return analyze::k_exit_findings;
  }
  return analyze::k_exit_ok;
}

}  // namespace hone::layout
