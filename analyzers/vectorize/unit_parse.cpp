// The AST side of a `hone vec` TU (see unit_parse.h): the consumer that collects loops and calls, the
// in-process parse that skips the bodies of unreported files, and the JSON a one-pass child hands
// back.
//
// The JSON carries every LoopInfo and FunctionUse field by name; a field the reader does not find
// fails the read (the child and the parent are the same executable, so a mismatch means a damaged
// file, and guessing a default would silently change a finding).
#include "unit_parse.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

namespace hone::vec {
namespace {

// True when the main file defines a function clang must generate code for (external linkage, not inline,
// not a template). Code generation writes remarks for every function it compiles (stack size,
// instruction mix), at -O0 too, so such a TU's record can only be empty when it was lost.
bool defines_emitted_function(clang::ASTContext& ast, const clang::DeclContext& context) {
  const clang::SourceManager& sources = ast.getSourceManager();
  for (const clang::Decl* declaration : context.decls()) {
    if (!sources.isInMainFile(sources.getExpansionLoc(declaration->getLocation()))) continue;
    if (const auto* function = llvm::dyn_cast<clang::FunctionDecl>(declaration)) {
      if (function->doesThisDeclarationHaveABody() && ast.DeclMustBeEmitted(function)) return true;
    } else if (llvm::isa<clang::NamespaceDecl, clang::LinkageSpecDecl>(declaration)) {
      if (defines_emitted_function(ast, *llvm::cast<clang::DeclContext>(declaration))) return true;
    }
  }
  return false;
}

class LoopConsumer : public clang::ASTConsumer {
public:
  LoopConsumer(const analyze::SourceFilter& filter, ParsedUnit& parsed) : filter_(filter), parsed_(parsed) {}
  // Bodies in files that are not reported (system headers, headers outside --header-filter) cannot
  // hold a reported loop; skipping them (and the template instantiations they would trigger) is most
  // of what the parse costs on top of the compile. Sema never skips constexpr bodies or bodies with a
  // deduced return type, so the parse stays valid.
  bool shouldSkipFunctionBody(clang::Decl* declaration) override {
    return !filter_.should_report(declaration->getASTContext().getSourceManager(), declaration->getLocation());
  }
  void HandleTranslationUnit(clang::ASTContext& ast) override {
    if (ast.getDiagnostics().hasErrorOccurred()) return;
    SourceFacts facts = find_source_facts(ast, filter_);
    parsed_.loops = std::move(facts.loops);
    parsed_.uses = std::move(facts.uses);
    parsed_.emits_code = defines_emitted_function(ast, *ast.getTranslationUnitDecl());
  }

private:
  const analyze::SourceFilter& filter_;
  ParsedUnit& parsed_;
};

class LoopAction : public clang::ASTFrontendAction {
public:
  LoopAction(const analyze::SourceFilter& filter, ParsedUnit& parsed) : filter_(filter), parsed_(parsed) {}
  // The parse's "N errors generated" would go straight to stderr; the record compile reports the
  // same errors, with the TU's name, so this one stays quiet.
  bool BeginInvocation(clang::CompilerInstance& compiler) override {
    compiler.setVerboseOutputStream(std::make_unique<llvm::raw_null_ostream>());
    compiler.getFrontendOpts().SkipFunctionBodies = true;  // asks LoopConsumer::shouldSkipFunctionBody
    return true;
  }
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&, llvm::StringRef) override {
    return std::make_unique<LoopConsumer>(filter_, parsed_);
  }

private:
  const analyze::SourceFilter& filter_;
  ParsedUnit& parsed_;
};

// ---- JSON ----

llvm::json::Value site_json(const LoopSite& site) {
  return llvm::json::Object{{"file", site.file},
                            {"line", site.line},
                            {"column", site.column},
                            {"end_line", site.end_line},
                            {"end_column", site.end_column}};
}

llvm::json::Value loop_json(const LoopInfo& loop) {
  llvm::json::Array params;
  for (const PointerParam& param : loop.pointer_params)
    params.push_back(llvm::json::Object{{"name", param.name},
                                        {"index", param.index},
                                        {"pointee_const", param.pointee_const},
                                        {"edit_file", param.restrict_edit.file},
                                        {"edit_line", param.restrict_edit.line},
                                        {"edit_column", param.restrict_edit.column},
                                        {"edit_text", param.restrict_edit.text}});
  llvm::json::Array calls;
  for (const CallSite& call : loop.calls)
    calls.push_back(llvm::json::Object{{"callee", call.callee},
                                       {"line", call.line},
                                       {"column", call.column},
                                       {"has_visible_body", call.has_visible_body},
                                       {"math_library", call.math_library}});
  llvm::json::Array globals;
  for (const std::string& name : loop.global_arrays) globals.push_back(name);
  llvm::json::Object object{{"site", site_json(loop.site)},
                            {"kind", loop.kind},
                            {"function", loop.function},
                            {"function_usr", loop.function_usr},
                            {"function_external", loop.function_external},
                            {"in_macro", loop.in_macro},
                            {"has_inner_loop", loop.has_inner_loop},
                            {"pragma_disabled", loop.pragma_disabled},
                            {"pointer_params", std::move(params)},
                            {"writes_through_pointer", loop.writes_through_pointer},
                            {"calls", std::move(calls)},
                            {"induction_variable", loop.induction_variable},
                            {"branch_on_induction", loop.branch_on_induction},
                            {"fp_min_max", loop.fp_min_max},
                            {"fp_conditional_sum", loop.fp_conditional_sum},
                            {"global_arrays", std::move(globals)},
                            {"never_vectorizable", loop.never_vectorizable},
                            {"replaced_inner_loop_line", loop.replaced_inner_loop_line},
                            {"call_name", loop.call_name},
                            {"call_params", llvm::json::Array(loop.call_params)},
                            {"call_unsupported", loop.call_unsupported},
                            {"call_returns_number", loop.call_returns_number}};
  if (loop.dependence)
    object["dependence"] = llvm::json::Object{{"kind", loop.dependence->kind},
                                              {"write", loop.dependence->write},
                                              {"read", loop.dependence->read},
                                              {"distance", loop.dependence->distance},
                                              {"conditional", loop.dependence->conditional}};
  llvm::json::Array stores;
  for (const std::string& name : loop.conditional_stores) stores.push_back(name);
  object["conditional_stores"] = std::move(stores);
  object["has_goto"] = loop.has_goto;
  object["search_loop"] = loop.search_loop;
  if (loop.scalar_shape)
    object["scalar_shape"] = llvm::json::Object{{"kind", loop.scalar_shape->kind},
                                                {"variable", loop.scalar_shape->variable},
                                                {"partner", loop.scalar_shape->partner}};
  return object;
}

llvm::json::Value use_json(const FunctionUse& use) {
  llvm::json::Array pointers;
  for (const PointerArgument& pointer : use.pointers)
    pointers.push_back(
        llvm::json::Object{{"index", pointer.index}, {"text", pointer.text}, {"object", pointer.object}});
  return llvm::json::Object{
      {"callee_usr", use.callee_usr}, {"file", use.file},       {"line", use.line},
      {"column", use.column},         {"is_call", use.is_call}, {"pointers", std::move(pointers)}};
}

// Reads named fields of one object; `ok` turns false at the first one missing or of another type.
class FieldReader {
public:
  FieldReader(const llvm::json::Value* value, bool& ok) : object_(value ? value->getAsObject() : nullptr), ok_(ok) {
    if (!object_) ok_ = false;
  }
  void get(llvm::StringRef key, std::string& out) {
    if (auto value = object_ ? object_->getString(key) : std::nullopt)
      out = value->str();
    else
      ok_ = false;
  }
  void get(llvm::StringRef key, bool& out) {
    if (auto value = object_ ? object_->getBoolean(key) : std::nullopt)
      out = *value;
    else
      ok_ = false;
  }
  void get(llvm::StringRef key, unsigned& out) {
    std::optional<int64_t> value = object_ ? object_->getInteger(key) : std::nullopt;
    if (value && *value >= 0 && *value <= UINT32_MAX)
      out = static_cast<unsigned>(*value);
    else
      ok_ = false;
  }
  void get(llvm::StringRef key, int64_t& out) {
    if (auto value = object_ ? object_->getInteger(key) : std::nullopt)
      out = *value;
    else
      ok_ = false;
  }
  const llvm::json::Array& array(llvm::StringRef key) {
    static const llvm::json::Array k_empty;
    const llvm::json::Array* found = object_ ? object_->getArray(key) : nullptr;
    if (!found) ok_ = false;
    return found ? *found : k_empty;
  }
  const llvm::json::Value* value(llvm::StringRef key) const { return object_ ? object_->get(key) : nullptr; }

private:
  const llvm::json::Object* object_;
  bool& ok_;
};

LoopInfo loop_from_json(const llvm::json::Value& value, bool& ok) {
  LoopInfo loop;
  FieldReader reader(&value, ok);
  FieldReader site(reader.value("site"), ok);
  site.get("file", loop.site.file);
  site.get("line", loop.site.line);
  site.get("column", loop.site.column);
  site.get("end_line", loop.site.end_line);
  site.get("end_column", loop.site.end_column);
  reader.get("kind", loop.kind);
  reader.get("function", loop.function);
  reader.get("function_usr", loop.function_usr);
  reader.get("function_external", loop.function_external);
  reader.get("in_macro", loop.in_macro);
  reader.get("has_inner_loop", loop.has_inner_loop);
  reader.get("pragma_disabled", loop.pragma_disabled);
  for (const llvm::json::Value& item : reader.array("pointer_params")) {
    PointerParam param;
    FieldReader field(&item, ok);
    field.get("name", param.name);
    field.get("index", param.index);
    field.get("pointee_const", param.pointee_const);
    field.get("edit_file", param.restrict_edit.file);
    field.get("edit_line", param.restrict_edit.line);
    field.get("edit_column", param.restrict_edit.column);
    field.get("edit_text", param.restrict_edit.text);
    loop.pointer_params.push_back(std::move(param));
  }
  reader.get("writes_through_pointer", loop.writes_through_pointer);
  for (const llvm::json::Value& item : reader.array("calls")) {
    CallSite call;
    FieldReader field(&item, ok);
    field.get("callee", call.callee);
    field.get("line", call.line);
    field.get("column", call.column);
    field.get("has_visible_body", call.has_visible_body);
    field.get("math_library", call.math_library);
    loop.calls.push_back(std::move(call));
  }
  reader.get("induction_variable", loop.induction_variable);
  reader.get("branch_on_induction", loop.branch_on_induction);
  reader.get("fp_min_max", loop.fp_min_max);
  reader.get("fp_conditional_sum", loop.fp_conditional_sum);
  for (const llvm::json::Value& item : reader.array("global_arrays")) {
    if (std::optional<llvm::StringRef> name = item.getAsString())
      loop.global_arrays.push_back(name->str());
    else
      ok = false;
  }
  reader.get("never_vectorizable", loop.never_vectorizable);
  reader.get("replaced_inner_loop_line", loop.replaced_inner_loop_line);
  reader.get("call_name", loop.call_name);
  for (const llvm::json::Value& item : reader.array("call_params"))
    if (std::optional<llvm::StringRef> text = item.getAsString()) loop.call_params.push_back(text->str());
  reader.get("call_unsupported", loop.call_unsupported);
  reader.get("call_returns_number", loop.call_returns_number);
  if (const llvm::json::Value* dependence = reader.value("dependence")) {
    DependenceShape read;
    FieldReader field(dependence, ok);
    field.get("kind", read.kind);
    field.get("write", read.write);
    field.get("read", read.read);
    field.get("distance", read.distance);
    field.get("conditional", read.conditional);
    loop.dependence = std::move(read);
  }
  for (const llvm::json::Value& item : reader.array("conditional_stores")) {
    if (std::optional<llvm::StringRef> name = item.getAsString())
      loop.conditional_stores.push_back(name->str());
    else
      ok = false;
  }
  reader.get("has_goto", loop.has_goto);
  reader.get("search_loop", loop.search_loop);
  if (const llvm::json::Value* shape = reader.value("scalar_shape")) {
    ScalarShape read;
    FieldReader field(shape, ok);
    field.get("kind", read.kind);
    field.get("variable", read.variable);
    field.get("partner", read.partner);
    loop.scalar_shape = std::move(read);
  }
  return loop;
}

FunctionUse use_from_json(const llvm::json::Value& value, bool& ok) {
  FunctionUse use;
  FieldReader reader(&value, ok);
  reader.get("callee_usr", use.callee_usr);
  reader.get("file", use.file);
  reader.get("line", use.line);
  reader.get("column", use.column);
  reader.get("is_call", use.is_call);
  for (const llvm::json::Value& item : reader.array("pointers")) {
    PointerArgument pointer;
    FieldReader field(&item, ok);
    field.get("index", pointer.index);
    field.get("text", pointer.text);
    field.get("object", pointer.object);
    use.pointers.push_back(std::move(pointer));
  }
  return use;
}

}  // namespace

std::unique_ptr<clang::ASTConsumer> make_loop_consumer(const analyze::SourceFilter& filter, ParsedUnit& parsed) {
  return std::make_unique<LoopConsumer>(filter, parsed);
}

bool parse_loops(const CompileSetup& setup, const analyze::SourceFilter& filter, ParsedUnit& parsed,
                 std::string& diagnostics) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system(llvm::vfs::createPhysicalFileSystem().release());
  file_system->setCurrentWorkingDirectory(setup.directory);
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), file_system));
  clang::tooling::ToolInvocation invocation(parse_command(setup), std::make_unique<LoopAction>(filter, parsed),
                                            files.get());
  llvm::raw_string_ostream stream(diagnostics);
  auto diagnostic_options = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  clang::TextDiagnosticPrinter printer(stream, diagnostic_options.get());
  invocation.setDiagnosticConsumer(&printer);
  bool ok = invocation.run();
  stream.flush();
  return ok;
}

std::string parsed_unit_json(const ParsedUnit& parsed) {
  llvm::json::Array loops, uses;
  for (const LoopInfo& loop : parsed.loops) loops.push_back(loop_json(loop));
  for (const FunctionUse& use : parsed.uses) uses.push_back(use_json(use));
  std::string text;
  llvm::raw_string_ostream stream(text);
  stream << llvm::json::Value(
      llvm::json::Object{{"loops", std::move(loops)}, {"uses", std::move(uses)}, {"emits_code", parsed.emits_code}});
  stream.flush();
  return text;
}

bool read_parsed_unit(const std::string& path, ParsedUnit& parsed, std::string& error) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read '" + path + "': " + buffer.getError().message();
    return false;
  }
  llvm::Expected<llvm::json::Value> value = llvm::json::parse((*buffer)->getBuffer());
  if (!value) {
    error = "'" + path + "' is not JSON: " + llvm::toString(value.takeError());
    return false;
  }
  bool ok = true;
  FieldReader reader(&*value, ok);
  reader.get("emits_code", parsed.emits_code);
  for (const llvm::json::Value& item : reader.array("loops")) parsed.loops.push_back(loop_from_json(item, ok));
  for (const llvm::json::Value& item : reader.array("uses")) parsed.uses.push_back(use_from_json(item, ok));
  if (!ok) error = "'" + path + "' lacks a field hone vec writes there (a damaged file)";
  return ok;
}

}  // namespace hone::vec
