// Reads clang's optimization records with LLVM's remarks library, streaming YAML with bounded memory.
//
// YAML: the file is read in 1 MiB blocks. Each block is cut after the last complete document (a line
// starting with `---`); the complete documents form one batch and the incomplete tail is carried into
// the next block, so memory is the block, the tail and one batch's remarks, whatever the file size.
//
// Each document of a batch first goes to a fast path that reads exactly the layout LLVM's YAML writer
// produces (LLVM's general YAML parser manages ~60 MB/s, short of the 100 MB/s `hone vec` needs on
// multi-hundred-MB records). Anything else (another layout, a damaged or truncated record) goes to
// LLVM's YAML remark parser, one document per buffer, which also words the error. Each such buffer
// ends with a small valid "sentinel" remark: LLVM's parser notices some scanner errors only when it
// starts on the next document, so a document counts as good only if the sentinel after it parses too.
//
// YamlParsing::LlvmOnly (the reference the fast path is tested against) hands whole batches to LLVM's
// parser and hands out their remarks only when the whole batch parsed, document for document. That
// parser gives up on the rest of its buffer at the first error, and it lets a quoted scalar run on
// across a `---` line, so any other batch is parsed again one document at a time, as the fast path
// does with the documents it leaves to LLVM: both read the same documents the same way.
//
// LLVM 19's YAML parser rejects a remark whose `Pass` is empty ("Type, Pass, Name or Function
// missing"), yet compilers do write such records; the single-document path retries those with a
// placeholder pass name and hands the remark out with an empty `pass`.
//
// LLVM's writer writes a remark's `Hotness` as 64 bits, but LLVM 19's YAML parser reads it into 32 bits
// and rejects 4294967295 and above ("expected a value of integer type"): the hottest loops of a long
// profiled run. The fast path reads the 64 bits; the single-document path retries such a remark with a
// placeholder hotness and hands it out with the real one (found by the remark_reader fuzz target).
//
// Bitstream (`RMRK` magic) and the `REMARKS\0` metadata container are parsed from the whole file:
// bitstream records are several times smaller than YAML, their string table must be read before any
// remark, and LLVM's bitstream parser has no way to resume after an error anyway.
#include "remark_reader.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Remarks/Remark.h>
#include <llvm/Remarks/RemarkFormat.h>
#include <llvm/Remarks/RemarkParser.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

namespace hone::vec {
namespace {

constexpr size_t k_read_block = size_t{1} << 20;

// Appended after every batch (see the file comment). Its names cannot come from a compiler.
constexpr llvm::StringLiteral k_sentinel =
    "\n--- !Passed\nPass: hone-sentinel\nName: hone-sentinel\nFunction: hone-sentinel\n...\n";
constexpr llvm::StringLiteral k_empty_pass_placeholder = "hone-empty-pass";

RemarkKind kind_of(llvm::remarks::Type type) {
  switch (type) {
    case llvm::remarks::Type::Passed: return RemarkKind::Passed;
    case llvm::remarks::Type::Missed: return RemarkKind::Missed;
    case llvm::remarks::Type::Analysis: return RemarkKind::Analysis;
    case llvm::remarks::Type::AnalysisFPCommute: return RemarkKind::AnalysisFPCommute;
    case llvm::remarks::Type::AnalysisAliasing: return RemarkKind::AnalysisAliasing;
    case llvm::remarks::Type::Failure: return RemarkKind::Failure;
    case llvm::remarks::Type::Unknown: return RemarkKind::Other;
  }
  return RemarkKind::Other;
}

// LLVM's YAML remark parser returns scalars raw: a single-quoted one minus its outer quotes but with
// embedded quotes still doubled (`''' inlined into '''`), a double-quoted one with its quotes and
// backslash escapes (`"\nBackward loop carried data dependence."`). LLVM's YAML writer quotes every
// value containing a `'` and never starts a plain scalar with `"`, so both cases are unambiguous.
void append_escaped_char(std::string& out, llvm::StringRef body, size_t& i) {
  char c = body[i];
  switch (c) {
    case 'n': out += '\n'; return;
    case 't': out += '\t'; return;
    case 'r': out += '\r'; return;
    case '0': out += '\0'; return;
    case 'x': {
      unsigned value = 0;
      if (i + 2 < body.size() && !body.substr(i + 1, 2).getAsInteger(16, value)) {
        out += static_cast<char>(value);
        i += 2;
        return;
      }
      break;
    }
    default: break;
  }
  out += c;  // \\, \", \/ and anything else: the character itself
}

std::string yaml_unescape(llvm::StringRef raw) {
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    llvm::StringRef body = raw.drop_front().drop_back();
    std::string out;
    out.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] == '\\' && i + 1 < body.size())
        append_escaped_char(out, body, ++i);
      else
        out += body[i];
    }
    return out;
  }
  if (raw.find("''") == llvm::StringRef::npos) return raw.str();
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    out += raw[i];
    if (raw[i] == '\'' && i + 1 < raw.size() && raw[i + 1] == '\'') ++i;
  }
  return out;
}

Remark convert(const llvm::remarks::Remark& in, bool from_yaml) {
  auto text = [from_yaml](llvm::StringRef s) { return from_yaml ? yaml_unescape(s) : s.str(); };
  Remark out;
  out.kind = kind_of(in.RemarkType);
  out.pass = text(in.PassName);
  out.name = text(in.RemarkName);
  out.function = text(in.FunctionName);
  if (in.Loc) {
    out.file = text(in.Loc->SourceFilePath);
    out.line = in.Loc->SourceLine;
    out.column = in.Loc->SourceColumn;
  }
  out.hotness = in.Hotness;
  out.args.reserve(in.Args.size());
  for (const llvm::remarks::Argument& arg : in.Args) {
    RemarkArg& a = out.args.emplace_back();
    a.key = text(arg.Key);
    a.value = text(arg.Val);
    if (arg.Loc) {
      a.file = text(arg.Loc->SourceFilePath);
      a.line = arg.Loc->SourceLine;
      a.column = arg.Loc->SourceColumn;
    }
  }
  return out;
}

// A parser error, taken apart: LLVM prints YAML errors as "YAML:<line>:<col>: error: <what>" followed
// by the offending source line and a caret; `line` is relative to the buffer the parser was given.
struct ParseFailure {
  bool end_of_stream = false;  // the parser ran out of documents early (a scanner failure)
  unsigned line = 0;           // 0: the message names no line
  std::string what;
};

ParseFailure take_failure(llvm::Error error) {
  ParseFailure failure;
  llvm::handleAllErrors(
      std::move(error), [&](const llvm::remarks::EndOfFileError&) { failure.end_of_stream = true; },
      [&](const llvm::ErrorInfoBase& info) { failure.what = info.message(); });
  llvm::StringRef message = llvm::StringRef(failure.what).trim();
  message = message.take_until([](char c) { return c == '\n'; });
  // "<buffer>:<line>:<col>: error: <what>"
  size_t marker = message.find(": error: ");
  if (marker != llvm::StringRef::npos) {
    llvm::StringRef location = message.take_front(marker);
    llvm::StringRef column_text = location.substr(location.rfind(':') + 1);
    location = location.drop_back(column_text.size() + 1);
    llvm::StringRef line_text = location.substr(location.rfind(':') + 1);
    unsigned line = 0;
    if (!line_text.getAsInteger(10, line)) failure.line = line;
    message = message.drop_front(marker + std::strlen(": error: "));
  }
  failure.what = message.rtrim().str();
  if (failure.what.empty())
    failure.what = failure.end_of_stream ? "the YAML stream ends inside this document" : "malformed remark";
  return failure;
}

// Where one document starts inside a batch.
struct DocumentStart {
  size_t offset;  // into the batch text
  unsigned line;  // 1-based line in the file
};

// The next "\n---" at or after `from` (glibc's memmem is several times faster than StringRef::find
// for this short needle, and this search runs over every byte of the file).
size_t find_marker_line(llvm::StringRef text, size_t from) {
  if (from >= text.size()) return llvm::StringRef::npos;
  const void* hit = memmem(text.data() + from, text.size() - from, "\n---", 4);
  return hit ? static_cast<size_t>(static_cast<const char*>(hit) - text.data()) : llvm::StringRef::npos;
}

bool is_document_marker(llvm::StringRef text, size_t line_start) {
  if (!text.substr(line_start).starts_with("---")) return false;
  size_t after = line_start + 3;
  return after == text.size() || text[after] == ' ' || text[after] == '\t' || text[after] == '\n' ||
         text[after] == '\r';
}

// The offset just past the last complete document of `text`, i.e. the start of the last line that
// begins a document; 0 if `text` holds at most one (possibly incomplete) document.
size_t last_document_start(llvm::StringRef text) {
  size_t end = text.size();
  while (end > 0) {
    size_t newline = text.take_front(end).rfind("\n---");
    if (newline == llvm::StringRef::npos) return 0;
    // The marker must be complete: at least one character after `---` already read.
    if (newline + 4 < text.size() && is_document_marker(text, newline + 1)) return newline + 1;
    end = newline;
  }
  return 0;
}

std::vector<DocumentStart> split_documents(llvm::StringRef text, unsigned first_line) {
  std::vector<DocumentStart> documents;
  // Text before the first marker is a document only if it holds more than blanks and comments.
  size_t first_marker = is_document_marker(text, 0) ? 0 : find_marker_line(text, 0);
  while (first_marker != llvm::StringRef::npos && first_marker != 0 && !is_document_marker(text, first_marker + 1))
    first_marker = find_marker_line(text, first_marker + 1);
  llvm::StringRef preamble = text.take_front(first_marker == llvm::StringRef::npos ? text.size() : first_marker);
  bool preamble_has_content = false;
  for (llvm::StringRef rest = preamble; !rest.empty();) {
    auto [line, tail] = rest.split('\n');
    line = line.trim();
    if (!line.empty() && !line.starts_with("#") && line != "...") preamble_has_content = true;
    rest = tail;
  }
  if (preamble_has_content) documents.push_back({0, first_line});
  if (first_marker == llvm::StringRef::npos) return documents;

  size_t offset = first_marker == 0 ? 0 : first_marker + 1;
  unsigned line = first_line + static_cast<unsigned>(std::count(text.begin(), text.begin() + offset, '\n'));
  documents.push_back({offset, line});
  for (;;) {
    size_t newline = find_marker_line(text, offset);
    if (newline == llvm::StringRef::npos) break;
    line += static_cast<unsigned>(std::count(text.begin() + offset, text.begin() + newline + 1, '\n'));
    offset = newline + 1;
    if (is_document_marker(text, offset)) documents.push_back({offset, line});
  }
  return documents;
}

// The `Hotness:` lines of a document: their line (1-based), offsets and value, and whether the value is
// a decimal number that fits 64 bits but not LLVM 19's parser (4294967295 and above).
struct HotnessLine {
  unsigned line = 0;
  size_t start = 0, end = 0;
  uint64_t value = 0;
  bool wide = false;
};

std::vector<HotnessLine> hotness_lines(llvm::StringRef document) {
  std::vector<HotnessLine> found;
  unsigned line_number = 1;
  for (size_t start = 0; start < document.size(); ++line_number) {
    size_t end = std::min(document.find('\n', start), document.size());
    llvm::StringRef line = document.slice(start, end);
    if (line.consume_front("Hotness:")) {
      HotnessLine hotness{line_number, start, end, 0, false};
      hotness.wide = !line.trim(' ').getAsInteger(10, hotness.value) && hotness.value >= uint64_t{4294967295};
      found.push_back(hotness);
    }
    start = end + 1;
  }
  return found;
}

// An empty `Pass:` value, which LLVM 19's YAML parser rejects; returns the text with a placeholder
// put in, or nothing if the document has no such line.
std::optional<std::string> with_placeholder_pass(llvm::StringRef document) {
  size_t start = 0;
  while (start < document.size()) {
    size_t end = document.find('\n', start);
    llvm::StringRef line = document.slice(start, end);
    if (line.starts_with("Pass:")) {
      llvm::StringRef value = line.drop_front(5).trim();
      if (!value.empty() && value != "''" && value != "\"\"") return std::nullopt;
      std::string patched = document.take_front(start).str();
      patched += "Pass: ";
      patched += k_empty_pass_placeholder;
      patched += document.substr(end == llvm::StringRef::npos ? document.size() : end);
      return patched;
    }
    if (end == llvm::StringRef::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

// The fast path: reads one document laid out exactly as LLVM's YAML writer lays out a remark and
// returns false on anything else (another layout, a malformed or truncated record, a YAML feature the
// writer never uses), leaving that document to LLVM's parser. It accepts a subset of what LLVM
// accepts and must produce the same remark; the unit tests compare both on real compiler output.
//
//   --- !Missed
//   Pass:            inline
//   DebugLoc:        { File: a.c, Line: 4, Column: 64 }      <- may wrap onto continuation lines
//   Function:        sq
//   Hotness:         1200
//   Args:
//     - Callee:          sqrt
//       DebugLoc:        { File: '/usr/include/math.h', Line: 0, Column: 0 }
//     - String:          ' will not be inlined into '
//   ...
class FastYamlDocument {
public:
  explicit FastYamlDocument(llvm::StringRef text) : p_(text.begin()), end_(text.end()) {}

  bool parse(Remark& out) {
    if (!plain_ascii() || !consume("--- !")) return false;
    const char* tag_start = p_ - 1;
    while (p_ < end_ && *p_ != ' ' && *p_ != '\n') ++p_;
    out.kind = kind_of_tag(llvm::StringRef(tag_start, p_ - tag_start));
    if (out.kind == RemarkKind::Other || !end_line()) return false;
    bool has_pass = false;
    while (p_ < end_) {
      if (consume("...")) {
        skip_blank_lines();
        return p_ == end_ && has_pass && !out.name.empty() && !out.function.empty();
      }
      llvm::StringRef key;
      if (!read_key(key)) return false;
      bool ok = true;
      if (key == "Pass") {
        ok = read_scalar(out.pass, /*in_flow=*/false);
        has_pass = true;
      } else if (key == "Name") {
        ok = read_scalar(out.name, false);
      } else if (key == "Function") {
        ok = read_scalar(out.function, false);
      } else if (key == "Hotness") {
        uint64_t hotness = 0;
        ok = read_number(hotness, false);
        out.hotness = hotness;
      } else if (key == "DebugLoc") {
        ok = read_location(out.file, out.line, out.column);
      } else if (key == "Args") {
        ok = end_line() && read_args(out.args);
        if (ok) continue;  // read_args stops at the start of the next top-level line
      } else {
        return false;
      }
      if (!ok || !end_line()) return false;
    }
    return false;  // no closing `...`
  }

private:
  // LLVM's scanner accepts only YAML's printable characters, decodes UTF-8 where the fast path would
  // copy bytes, and takes a tab for white space around a plain scalar: a document with a byte outside
  // newline and printable ASCII (invalid UTF-8, a tab or another control character, a carriage return,
  // any non-ASCII text) is left to LLVM, which reads or rejects it. LLVM's writer produces none of
  // these, so real records almost never take that path.
  bool plain_ascii() const {
    return std::all_of(p_, end_, [](char c) { return c == '\n' || (c >= 0x20 && c <= 0x7e); });
  }

  static RemarkKind kind_of_tag(llvm::StringRef tag) {
    if (tag == "!Passed") return RemarkKind::Passed;
    if (tag == "!Missed") return RemarkKind::Missed;
    if (tag == "!Analysis") return RemarkKind::Analysis;
    if (tag == "!AnalysisFPCommute") return RemarkKind::AnalysisFPCommute;
    if (tag == "!AnalysisAliasing") return RemarkKind::AnalysisAliasing;
    if (tag == "!Failure") return RemarkKind::Failure;
    return RemarkKind::Other;
  }

  bool consume(llvm::StringRef text) {
    if (static_cast<size_t>(end_ - p_) < text.size() || std::memcmp(p_, text.data(), text.size()) != 0) return false;
    p_ += text.size();
    return true;
  }

  void skip_spaces() {
    while (p_ < end_ && *p_ == ' ') ++p_;
  }

  // Spaces, and inside a flow mapping also line breaks with the continuation line's indentation.
  void skip_flow_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n')) ++p_;
  }

  void skip_blank_lines() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n')) ++p_;
  }

  bool end_line() {
    skip_spaces();
    if (p_ == end_) return true;
    if (*p_ != '\n') return false;
    ++p_;
    return true;
  }

  // `Key:` followed by a space or the end of the line.
  bool read_key(llvm::StringRef& key) {
    const char* start = p_;
    while (p_ < end_ && (llvm::isAlnum(*p_) || *p_ == '_')) ++p_;
    if (p_ == start || p_ == end_ || *p_ != ':') return false;
    key = llvm::StringRef(start, p_ - start);
    ++p_;
    if (p_ < end_ && *p_ != ' ' && *p_ != '\n') return false;
    skip_spaces();
    return true;
  }

  bool read_scalar(std::string& out, bool in_flow) {
    out.clear();
    if (p_ == end_) return false;
    if (*p_ == '\'') return read_single_quoted(out);
    if (*p_ == '"') return read_double_quoted(out);
    // A plain scalar: anything YAML could read as structure sends the document to LLVM's parser.
    if (llvm::StringRef("-?:,[]{}#&*!|>%@`\n").contains(*p_)) return false;
    const char* start = p_;
    while (p_ < end_ && *p_ != '\n') {
      char c = *p_;
      if (in_flow && (c == ',' || c == '}')) break;
      // The writer quotes any value holding a quote (LLVM's parser would strip a trailing one) or,
      // inside `{ }`, a colon (which YAML may read as a key there).
      if ((c == ':' && (in_flow || p_ + 1 == end_ || p_[1] == ' ' || p_[1] == '\n')) || (c == '#' && p_[-1] == ' ') ||
          c == '\'' || c == '"' || (in_flow && (c == '[' || c == ']' || c == '{')))
        return false;
      ++p_;
    }
    out.assign(llvm::StringRef(start, p_ - start).rtrim(' ').str());
    return true;
  }

  bool read_single_quoted(std::string& out) {
    ++p_;
    for (;;) {
      const char* quote = static_cast<const char*>(std::memchr(p_, '\'', end_ - p_));
      if (!quote) return false;
      llvm::StringRef piece(p_, quote - p_);
      if (piece.contains('\n')) return false;  // a folded multi-line scalar: LLVM's parser keeps it raw
      out.append(piece.data(), piece.size());
      p_ = quote + 1;
      if (p_ < end_ && *p_ == '\'') {
        out += '\'';
        ++p_;
        continue;
      }
      return true;
    }
  }

  bool read_double_quoted(std::string& out) {
    ++p_;
    while (p_ < end_) {
      char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\n') return false;
      if (c == '\\') {
        if (p_ + 1 >= end_ || !llvm::StringRef("ntr0x\\\"/").contains(p_[1])) return false;
        llvm::StringRef rest(p_, end_ - p_);
        size_t i = 1;
        append_escaped_char(out, rest, i);
        p_ += i + 1;
        continue;
      }
      out += c;
      ++p_;
    }
    return false;
  }

  bool read_number(uint64_t& value, bool in_flow) {
    std::string text;
    return read_scalar(text, in_flow) && !llvm::StringRef(text).getAsInteger(10, value);
  }

  // `{ File: a.c, Line: 4, Column: 64 }`, possibly wrapped onto continuation lines.
  bool read_location(std::string& file, unsigned& line, unsigned& column) {
    if (!consume("{")) return false;
    bool has_file = false, has_line = false, has_column = false;
    for (;;) {
      skip_flow_space();
      llvm::StringRef key;
      if (!read_key(key)) return false;
      uint64_t number = 0;
      if (key == "File") {
        if (!read_scalar(file, /*in_flow=*/true)) return false;
        has_file = true;
      } else if (key == "Line" || key == "Column") {
        if (!read_number(number, true) || number > UINT32_MAX) return false;
        (key == "Line" ? line : column) = static_cast<unsigned>(number);
        (key == "Line" ? has_line : has_column) = true;
      } else {
        return false;
      }
      skip_flow_space();
      if (consume(",")) continue;
      if (consume("}")) return has_file && has_line && has_column;
      return false;
    }
  }

  // The `Args` sequence: items `  - Key: value` with an optional `    DebugLoc: {...}` line. At least
  // one: LLVM's writer leaves out an empty `Args:`, and its parser rejects one with no items ("wrong
  // value type for key", found by the remark_reader fuzz target), so that document is left to LLVM.
  bool read_args(std::vector<RemarkArg>& args) {
    if (!llvm::StringRef(p_, static_cast<size_t>(end_ - p_)).starts_with("  - ")) return false;
    while (consume("  - ")) {
      RemarkArg& arg = args.emplace_back();
      bool has_value = false, has_location = false;
      do {
        llvm::StringRef key;
        if (!read_key(key)) return false;
        if (key == "DebugLoc") {
          if (has_location || !read_location(arg.file, arg.line, arg.column)) return false;
          has_location = true;
        } else {
          if (has_value || !read_scalar(arg.value, /*in_flow=*/false)) return false;
          arg.key = key.str();
          has_value = true;
        }
        if (!end_line()) return false;
      } while (consume("    "));
      if (!has_value) return false;
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

// Streams the documents of one YAML file.
class YamlRemarkStream {
public:
  YamlRemarkStream(const std::string& path, llvm::function_ref<void(Remark&&)> on_remark, YamlParsing parsing,
                   RemarkFileSummary& summary)
      : path_(path), on_remark_(on_remark), parsing_(parsing), summary_(summary) {}

  // Parses every complete document of `text`, whose first character is on file line `first_line`.
  void parse_batch(llvm::StringRef text, unsigned first_line) {
    std::vector<DocumentStart> documents = split_documents(text, first_line);
    if (documents.empty()) return;
    if (parsing_ == YamlParsing::Fast) {
      for (size_t i = 0; i < documents.size(); ++i) {
        llvm::StringRef document = document_text(text, documents, i);
        Remark remark;
        if (FastYamlDocument(document).parse(remark))
          emit(std::move(remark));
        else
          parse_single(document, documents[i].line);
      }
      return;
    }
    batch_.assign(text.data(), text.size());
    batch_.append(k_sentinel.data(), k_sentinel.size());
    if (parse_whole_batch(documents)) return;
    for (size_t i = 0; i < documents.size(); ++i) parse_single(document_text(text, documents, i), documents[i].line);
  }

private:
  static llvm::StringRef document_text(llvm::StringRef text, const std::vector<DocumentStart>& documents, size_t i) {
    size_t end = i + 1 < documents.size() ? documents[i + 1].offset : text.size();
    return text.slice(documents[i].offset, end);
  }

  void emit(Remark&& remark) {
    ++summary_.remarks;
    on_remark_(std::move(remark));
  }

  // Parses the whole batch and the sentinel in one parser and hands out its remarks only when every
  // document parsed and LLVM saw exactly the documents split_documents found: the sentinel must be the
  // remark after the last one. LLVM's scanner lets a quoted scalar run on across a `---` line, where
  // the splitter (like YAML) starts a new document, so a count that does not match means the batch is
  // read one document at a time instead, like any batch with an error in it.
  bool parse_whole_batch(const std::vector<DocumentStart>& documents) {
    llvm::StringRef buffer = llvm::StringRef(batch_).substr(documents.front().offset);
    auto parser = llvm::remarks::createRemarkParser(llvm::remarks::Format::YAML, buffer);
    if (!parser) {
      llvm::consumeError(parser.takeError());
      return false;
    }
    std::vector<Remark> parsed;
    for (;;) {
      llvm::Expected<std::unique_ptr<llvm::remarks::Remark>> next = (*parser)->next();
      if (!next) {
        llvm::consumeError(next.takeError());
        return false;
      }
      const bool is_sentinel = (*next)->PassName == "hone-sentinel" && (*next)->RemarkName == "hone-sentinel";
      if (parsed.size() == documents.size() || is_sentinel) {
        if (parsed.size() != documents.size() || !is_sentinel) return false;
        for (Remark& remark : parsed) emit(std::move(remark));
        return true;
      }
      parsed.push_back(convert(**next, /*from_yaml=*/true));
    }
  }

  // What parse_single changed in a document before LLVM's parser accepted it, undone in the remark.
  struct Patch {
    bool empty_pass = false;
    bool wide_hotness = false;        // Hotness lines LLVM's parser rejects were set to 0
    std::optional<uint64_t> hotness;  // the remark's real hotness, when its last Hotness line was one
  };

  // Parses one document in a buffer of its own and either hands out its remark or records why not.
  // Where LLVM 19's parser rejects what its writer writes (an empty pass, a 64-bit hotness), the
  // document is retried with that line patched; the error reported is the first one.
  void parse_single(llvm::StringRef document, unsigned document_line) {
    std::string text = document.str();
    Patch patch;
    std::optional<ParseFailure> failure;
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::optional<ParseFailure> attempt_failure = try_single(text + k_sentinel.str(), patch);
      if (!attempt_failure) return;
      if (!failure) failure = attempt_failure;
      const std::string& what = attempt_failure->what;
      if (!patch.empty_pass && what.find("Pass, Name or Function missing") != std::string::npos) {
        if (std::optional<std::string> patched = with_placeholder_pass(text)) {
          text = std::move(*patched);
          patch.empty_pass = true;
          continue;
        }
      }
      if (!patch.wide_hotness && what.find("expected a value of integer type") != std::string::npos) {
        std::vector<HotnessLine> lines = hotness_lines(text);
        if (std::any_of(lines.begin(), lines.end(),
                        [&](const HotnessLine& h) { return h.wide && h.line == attempt_failure->line; })) {
          // Every wide one (a key given twice keeps its last value, in LLVM's parser as in the fast path).
          for (auto line = lines.rbegin(); line != lines.rend(); ++line)
            if (line->wide) text = text.substr(0, line->start) + "Hotness: 0" + text.substr(line->end);
          patch.wide_hotness = true;
          if (lines.back().wide) patch.hotness = lines.back().value;
          continue;
        }
      }
      break;
    }
    unsigned document_lines = static_cast<unsigned>(std::count(document.begin(), document.end(), '\n'));
    std::string message = path_ + ":";
    if (failure->line != 0 && failure->line <= document_lines + 1) {
      message += std::to_string(document_line + failure->line - 1) + ": " + failure->what;
      if (failure->line != 1) message += " (in the remark starting at line " + std::to_string(document_line) + ")";
    } else {
      // The error lies past the document's end: it is cut short (an unterminated quote or mapping).
      message += std::to_string(document_line) + ": truncated or malformed remark: " + failure->what;
    }
    // The compiler closes every record with `...`; without it the file was cut short (a killed or
    // still-running compile, a full disk).
    if (!document.rtrim().ends_with("...")) message += " (the remark is cut short: no closing '...')";
    summary_.errors.push_back(std::move(message));
  }

  // One document plus the sentinel: good only if both parse.
  std::optional<ParseFailure> try_single(const std::string& text, const Patch& patch) {
    auto parser = llvm::remarks::createRemarkParser(llvm::remarks::Format::YAML, text);
    if (!parser) return take_failure(parser.takeError());
    auto remark = (*parser)->next();
    if (!remark) return take_failure(remark.takeError());
    auto sentinel = (*parser)->next();
    if (!sentinel) return take_failure(sentinel.takeError());
    Remark converted = convert(**remark, /*from_yaml=*/true);
    if (patch.empty_pass) converted.pass.clear();
    if (patch.hotness) converted.hotness = *patch.hotness;
    emit(std::move(converted));
    return std::nullopt;
  }

  const std::string& path_;
  llvm::function_ref<void(Remark&&)> on_remark_;
  YamlParsing parsing_;
  RemarkFileSummary& summary_;
  std::string batch_;  // the current batch plus the sentinel; reused to avoid reallocations
};

// The file line of the last document of `tail` (the file's unparsed end, starting on line
// `first_line`) when that document is not closed by `...`. The compiler closes every remark it writes,
// so an open last document means the writer stopped mid-remark (killed, interrupted, out of disk):
// the remarks it did not write are missing and the record cannot give a TU's verdicts. Text without
// any document marker is left to the per-document checks (it is garbage or a blank preamble).
std::optional<unsigned> unclosed_last_document(llvm::StringRef tail, unsigned first_line) {
  size_t start = last_document_start(tail);
  if (start == 0 && !is_document_marker(tail, 0)) return std::nullopt;
  if (tail.substr(start).rtrim().ends_with("\n...")) return std::nullopt;
  return first_line + static_cast<unsigned>(std::count(tail.begin(), tail.begin() + start, '\n'));
}

llvm::Error cut_short_error(const std::string& path, unsigned line) {
  return llvm::createStringError(std::errc::illegal_byte_sequence,
                                 "%s:%u: the record is cut short: its last remark is not closed by '...' (the "
                                 "compile that wrote it was interrupted, or the disk was full), so remarks are "
                                 "missing; compile the file again",
                                 path.c_str(), line);
}

// Closes the file descriptor on every path out of read_remark_file.
struct FileCloser {
  llvm::sys::fs::file_t file;
  ~FileCloser() { llvm::sys::fs::closeFile(file); }
};

// Bitstream and metadata-container files: the whole file through LLVM's parser (see the file comment).
llvm::Expected<RemarkFileSummary> read_whole_file(const std::string& path, llvm::remarks::Format format,
                                                  llvm::function_ref<void(Remark&&)> on_remark) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) return llvm::createFileError(path, buffer.getError());
  RemarkFileSummary summary;
  auto parser = llvm::remarks::createRemarkParserFromMeta(format, (*buffer)->getBuffer());
  if (!parser) {
    summary.errors.push_back(path + ": not a readable remark file: " + llvm::toString(parser.takeError()));
    return summary;
  }
  bool from_yaml = format != llvm::remarks::Format::Bitstream;
  for (;;) {
    llvm::Expected<std::unique_ptr<llvm::remarks::Remark>> next = (*parser)->next();
    if (next) {
      ++summary.remarks;
      on_remark(convert(**next, from_yaml));
      continue;
    }
    ParseFailure failure = take_failure(next.takeError());
    if (failure.end_of_stream) return summary;
    // LLVM's parser cannot resume after an error, so everything after it is lost: the record as a
    // whole is unusable, like a cut-short YAML record. A binary record has no lines to name; the count
    // of good remarks before it says where it broke.
    return llvm::createStringError(std::errc::illegal_byte_sequence,
                                   "%s%s: corrupt or cut-short remark file after %zu good remarks: %s", path.c_str(),
                                   failure.line ? (":" + std::to_string(failure.line)).c_str() : "", summary.remarks,
                                   failure.what.c_str());
  }
}

}  // namespace

std::string Remark::message() const {
  std::string text;
  for (const RemarkArg& arg : args) text += arg.value;
  return text;
}

const char* remark_kind_name(RemarkKind kind) {
  switch (kind) {
    case RemarkKind::Passed: return "passed";
    case RemarkKind::Missed: return "missed";
    case RemarkKind::Analysis: return "analysis";
    case RemarkKind::AnalysisFPCommute: return "analysis-fp-commute";
    case RemarkKind::AnalysisAliasing: return "analysis-aliasing";
    case RemarkKind::Failure: return "failure";
    case RemarkKind::Other: return "other";
  }
  return "other";
}

llvm::Expected<RemarkFileSummary> read_remark_file(const std::string& path,
                                                   llvm::function_ref<void(Remark&&)> on_remark) {
  return read_remark_file(path, on_remark, YamlParsing::Fast);
}

llvm::Expected<RemarkFileSummary> read_remark_file(const std::string& path,
                                                   llvm::function_ref<void(Remark&&)> on_remark, YamlParsing parsing) {
  llvm::Expected<llvm::sys::fs::file_t> opened = llvm::sys::fs::openNativeFileForRead(path);
  if (!opened) return llvm::createFileError(path, opened.takeError());
  FileCloser closer{*opened};

  RemarkFileSummary summary;
  YamlRemarkStream stream(path, on_remark, parsing, summary);
  std::string buffer;        // unparsed text: the carried tail plus the newest block
  unsigned buffer_line = 1;  // file line of buffer[0]
  bool first_block = true;
  // A record smaller than a block is read with a block of its own size: most records are a few KiB, and
  // zero-filling a fresh MiB for each cost more than parsing them (250 ms a file in the ASan fuzz build).
  size_t block = k_read_block;
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(closer.file, status) && status.getSize() < k_read_block)
    block = static_cast<size_t>(status.getSize()) + 1;
  for (;;) {
    size_t old_size = buffer.size();
    buffer.resize(old_size + block);
    llvm::Expected<size_t> got =
        llvm::sys::fs::readNativeFile(closer.file, llvm::MutableArrayRef<char>(buffer.data() + old_size, block));
    if (!got) return llvm::createFileError(path, got.takeError());
    buffer.resize(old_size + *got);
    bool at_end = *got == 0;

    if (first_block) {
      first_block = false;
      llvm::StringRef head(buffer);
      if (head.starts_with("RMRK")) return read_whole_file(path, llvm::remarks::Format::Bitstream, on_remark);
      if (head.starts_with(llvm::StringRef(llvm::remarks::Magic.data(), llvm::remarks::Magic.size() + 1)))
        return read_whole_file(path, llvm::remarks::Format::YAML, on_remark);
    }

    size_t cut = at_end ? buffer.size() : last_document_start(buffer);
    if (cut == 0 && !at_end) continue;  // not one complete document yet: read more
    stream.parse_batch(llvm::StringRef(buffer).take_front(cut), buffer_line);
    if (at_end) {
      if (std::optional<unsigned> open_line = unclosed_last_document(buffer, buffer_line))
        return cut_short_error(path, *open_line);
      return summary;
    }
    buffer_line += static_cast<unsigned>(std::count(buffer.begin(), buffer.begin() + cut, '\n'));
    buffer.erase(0, cut);
  }
}

}  // namespace hone::vec
