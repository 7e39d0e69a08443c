// Compile-database capture in two steps, so that a compile pays for its own entry and not for the size
// of the database:
//
//  1. The compile writes its entries (one per source file, one line each) as one fragment,
//     `<db>.d/<key>.json`, where <key> is the FNV-1a 64 of the entries' identities (directory, file,
//     output). The fragment is written to an exclusive temporary and renamed, so a call is recorded whole
//     or not at all, and a rebuild of the same call replaces its own fragment.
//  2. Before the compiler starts, the compile makes sure its fragment is in the database: it takes the
//     exclusive lock `<db>.lock` and, unless the merge before it already took its fragment, merges every
//     pending fragment in one pass. In a parallel build the compiles queued behind one merge find their
//     fragments taken and leave at once, so merges coalesce; and since every compile's entry is in the
//     database before its compiler runs, the file is complete the moment the build is done.
//
// The database is kept one entry per line, in a canonical field order whose identity is the line's text
// up to `"arguments"` (or `"command"`). A merge streams the old file line by line, drops the entries a
// fragment replaces, appends the fragments and renames the new file over the old one: readers never see
// half a file, and no JSON parser runs on that path. Instead every kept line (and every fragment) is
// checked against the exact canonical layout in one pass over its bytes (fields in order, each value one
// JSON string: valid escapes, no raw control bytes, valid UTF-8), so a line that only looks canonical (no
// "file", a broken byte) cannot survive the merge: it is parsed alone and rewritten, or dropped. A database in any
// other layout (from CMake, an older hone, or an editor) is parsed once, tolerantly: entries that are not objects with
// fields of the right types are dropped with one warning, the rest rewritten in the canonical form. A merge claims
// fragments by renaming them to `<key>.json.merging` first, so a fragment rewritten while the merge runs is never
// deleted unmerged; a merger killed half way leaves its claimed fragments for the next merge, which takes
// them oldest first so that the newest fragment of an entry wins.
#include "driver/wrapper/compile_db.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <optional>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/atomic_file.h"

namespace hone::wrapper {
namespace {

constexpr std::string_view k_fragment_suffix = ".json";
constexpr std::string_view k_claimed_suffix = ".json.merging";
// Deeper nesting than any compile database has; refused before parsing so a hostile file cannot
// exhaust the stack of the JSON library's recursive destructor.
constexpr int k_max_json_depth = 64;

std::string current_directory() {
  char buffer[PATH_MAX];
  return getcwd(buffer, sizeof(buffer)) ? buffer : ".";
}

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// The length of the valid UTF-8 sequence starting at text[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  auto continuation = [&](size_t k, unsigned low = 0x80, unsigned high = 0xBF) {
    return byte(k) >= low && byte(k) <= high;
  };
  unsigned lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    bool second = lead == 0xE0 ? continuation(1, 0xA0) : lead == 0xED ? continuation(1, 0x80, 0x9F) : continuation(1);
    return second && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    bool second = lead == 0xF0 ? continuation(1, 0x90) : lead == 0xF4 ? continuation(1, 0x80, 0x8F) : continuation(1);
    return second && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

// One entry in the canonical one-line form: directory, file, output (when known), then the command as
// `arguments` (a list, given here as its JSON text between the brackets) or, for entries read from
// another tool's database, `command` (one string).
std::string entry_line_from_json(std::string_view directory, std::string_view file, std::string_view output,
                                 const std::string* arguments_json, std::string_view command) {
  std::string line = "{\"directory\": ";
  append_json_string(line, directory);
  line += ", \"file\": ";
  append_json_string(line, file);
  if (!output.empty()) {
    line += ", \"output\": ";
    append_json_string(line, output);
  }
  if (arguments_json) {
    line += ", \"arguments\": [";
    line += *arguments_json;
    line += "]}";
  } else {
    line += ", \"command\": ";
    append_json_string(line, command);
    line += '}';
  }
  return line;
}

std::string entry_line(std::string_view directory, std::string_view file, std::string_view output,
                       const std::vector<std::string>* arguments, std::string_view command) {
  if (!arguments) return entry_line_from_json(directory, file, output, nullptr, command);
  std::string list;
  for (size_t i = 0; i < arguments->size(); ++i) {
    if (i > 0) list += ", ";
    append_json_string(list, (*arguments)[i]);
  }
  return entry_line_from_json(directory, file, output, &list, {});
}

// Reads four hex digits at line[at..at+3] into `code`.
bool hex4(std::string_view line, size_t at, unsigned& code) {
  if (at + 4 > line.size()) return false;
  code = 0;
  for (size_t k = at; k < at + 4; ++k) {
    const char c = line[k];
    const int digit = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
    if (digit < 0) return false;
    code = code * 16 + static_cast<unsigned>(digit);
  }
  return true;
}

// The end of the run of bytes from line[at] that a JSON string holds as they are: printable ASCII but
// '"' and '\\'. The database's lines are long and nearly all such bytes, so they are checked eight at a
// time: each flag below marks the bytes of a word that are another byte, exactly for the lowest one (a
// borrow only runs upwards), which on a little-endian machine is the first in memory.
size_t plain_run_end(std::string_view line, size_t at) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto zero_bytes = [](std::uint64_t word) { return (word - ones) & ~word & highs; };
  while (std::endian::native == std::endian::little && at + 8 <= line.size()) {
    std::uint64_t word;
    std::memcpy(&word, line.data() + at, sizeof word);
    const std::uint64_t below_space = (word - ones * 0x20) & ~word & highs;
    const std::uint64_t other =
        (word & highs) | below_space | zero_bytes(word ^ (ones * '"')) | zero_bytes(word ^ (ones * '\\'));
    if (other != 0) return at + static_cast<size_t>(std::countr_zero(other) / 8);
    at += 8;
  }
  for (; at < line.size(); ++at) {
    const auto c = static_cast<unsigned char>(line[at]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  return at;
}

// Skips the JSON string at line[at] (its quotes included); false when there is none: not a quote, a raw
// control byte, an unknown escape, a lone surrogate, a byte that is not UTF-8, or no closing quote.
bool skip_json_string(std::string_view line, size_t& at) {
  if (at >= line.size() || line[at] != '"') return false;
  for (++at; (at = plain_run_end(line, at)) < line.size();) {
    const auto c = static_cast<unsigned char>(line[at]);
    if (c == '"') {
      ++at;
      return true;
    }
    if (c < 0x20) return false;
    if (c >= 0x80) {
      const size_t length = utf8_sequence_length(line, at);
      if (length == 0) return false;
      at += length;
    } else if (at + 1 < line.size() && line[at + 1] == 'u') {
      unsigned code = 0, low = 0;
      if (!hex4(line, at + 2, code) || (code >= 0xDC00 && code <= 0xDFFF)) return false;
      at += 6;
      if (code >= 0xD800 && code <= 0xDBFF) {  // a high surrogate: its low half must follow
        if (!line.substr(at).starts_with("\\u") || !hex4(line, at + 2, low) || low < 0xDC00 || low > 0xDFFF)
          return false;
        at += 6;
      }
    } else {
      if (at + 1 >= line.size() || std::string_view("\"\\/bfnrt").find(line[at + 1]) == std::string_view::npos)
        return false;
      at += 2;
    }
  }
  return false;
}

// The identity of a canonical entry line (its text before the command), or "" when `line` is not
// exactly what entry_line writes: every field in order, each value a valid JSON string.
std::string_view identity_of(std::string_view line) {
  size_t at = 0;
  // A template on the literal's length, so that each comparison is a few inlined instructions rather
  // than a memcmp call: there is one per argument of every line.
  auto literal = [&]<size_t size>(const char(&text)[size]) {
    constexpr size_t length = size - 1;
    if (line.size() - at < length || std::char_traits<char>::compare(line.data() + at, text, length) != 0) return false;
    at += length;
    return true;
  };
  if (!literal("{\"directory\": ") || !skip_json_string(line, at) || !literal(", \"file\": ") ||
      !skip_json_string(line, at))
    return {};
  if (literal(", \"output\": ") && !skip_json_string(line, at)) return {};
  const size_t identity_end = at;
  if (literal(", \"arguments\": [")) {
    if (!literal("]")) {
      do {
        if (!skip_json_string(line, at)) return {};
      } while (literal(", "));
      if (!literal("]")) return {};
    }
  } else if (!literal(", \"command\": ") || !skip_json_string(line, at)) {
    return {};
  }
  return literal("}") && at == line.size() ? line.substr(0, identity_end) : std::string_view{};
}

std::string hex_fnv1a(std::string_view text) {
  std::uint64_t fnv = 0xcbf29ce484222325ULL;
  for (unsigned char byte : text) fnv = (fnv ^ byte) * 0x100000001b3ULL;
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(fnv));
  return hex;
}

bool read_small_file(const std::string& path, std::string& text) {
  FILE* file = std::fopen(path.c_str(), "rbe");
  if (!file) return false;
  char buffer[8192];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, count);
  bool ok = !std::ferror(file);
  std::fclose(file);
  return ok;
}

// An exclusive flock held for the lifetime of the object.
class FileLock {
public:
  explicit FileLock(const std::string& path)
      : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666)) {
    if (fd_ >= 0) {
      while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool locked() const { return fd_ >= 0; }

private:
  int fd_;
};

// The new database, written through a buffer into an exclusive temporary beside it.
class DatabaseWriter {
public:
  explicit DatabaseWriter(const std::string& database) : database_(database) {
    error_ = support::create_temporary_beside(database, 0666, fd_, temporary_);
    if (error_.empty()) buffer_ = "[\n";
  }
  ~DatabaseWriter() {
    if (fd_ >= 0) close(fd_);
    if (!temporary_.empty() && !committed_) unlink(temporary_.c_str());
  }
  DatabaseWriter(const DatabaseWriter&) = delete;
  DatabaseWriter& operator=(const DatabaseWriter&) = delete;

  // Drops everything written so far (the old database turned out to need parsing).
  void restart() {
    if (fd_ >= 0 && (ftruncate(fd_, 0) != 0 || lseek(fd_, 0, SEEK_SET) != 0))
      error_ = errno_text("cannot write " + temporary_);
    buffer_ = "[\n";
    entries_ = 0;
  }
  void add(std::string_view line) {
    if (entries_++ > 0) buffer_ += ",\n";
    buffer_ += line;
    if (buffer_.size() >= (1u << 20)) flush();
  }
  // Keeps the old database's permissions, then renames the temporary over it. "" or the error.
  std::string commit(const struct stat* old_status) {
    buffer_ += entries_ > 0 ? "\n]\n" : "]\n";
    flush();
    if (!error_.empty()) return error_;
    if (old_status) fchmod(fd_, old_status->st_mode & 07777);
    if (close(std::exchange(fd_, -1)) != 0) return errno_text("cannot write " + temporary_);
    if (rename(temporary_.c_str(), database_.c_str()) != 0) return errno_text("cannot replace " + database_);
    committed_ = true;
    return {};
  }

private:
  void flush() {
    size_t written = 0;
    while (error_.empty() && written < buffer_.size()) {
      ssize_t count = write(fd_, buffer_.data() + written, buffer_.size() - written);
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0)
        error_ = errno_text("cannot write " + temporary_);
      else
        written += static_cast<size_t>(count);
    }
    buffer_.clear();
  }

  std::string database_;
  std::string temporary_;
  std::string buffer_;
  std::string error_;
  int fd_ = -1;
  size_t entries_ = 0;
  bool committed_ = false;
};

// Pending fragments, claimed by this merge: identity -> line, and the claimed files to remove after.
struct Fragments {
  std::map<std::string, std::string, std::less<>> lines;
  std::vector<std::string> claimed_files;
  size_t unreadable = 0;
};

Fragments claim_fragments(const std::string& folder) {
  Fragments fragments;
  std::vector<std::string> names;
  if (DIR* directory = opendir(folder.c_str())) {
    while (const dirent* item = readdir(directory)) names.emplace_back(item->d_name);
    closedir(directory);
  }
  std::set<std::string> claimed;
  for (const std::string& name : names) {
    if (name.ends_with(".tmp")) {
      // A fragment writer killed between its temporary and the rename: removed once it is stale.
      if (size_t json = name.find(k_fragment_suffix); json != std::string::npos) {
        std::string target = name.substr(0, json + k_fragment_suffix.size());
        if (support::is_temporary_name_of(target, name)) support::remove_stale_temporaries(folder + "/" + target);
      }
    } else if (name.ends_with(k_claimed_suffix)) {
      claimed.insert(name);
    } else if (name.ends_with(k_fragment_suffix) && name.size() > k_fragment_suffix.size()) {
      std::string claimed_name = name.substr(0, name.size() - k_fragment_suffix.size()) + std::string(k_claimed_suffix);
      if (rename((folder + "/" + name).c_str(), (folder + "/" + claimed_name).c_str()) == 0)
        claimed.insert(claimed_name);
    }
  }
  // Oldest first, so that when two fragments hold the same entry (a call's fragment claimed by a merger
  // that was killed, and a newer call's), the newer one wins: a fragment keeps the time it was written
  // through the renames that publish and claim it.
  std::vector<std::pair<timespec, std::string>> by_age;
  for (const std::string& name : claimed) {
    struct stat status{};
    if (stat((folder + "/" + name).c_str(), &status) != 0) status.st_mtim = {};
    by_age.emplace_back(status.st_mtim, name);
  }
  std::sort(by_age.begin(), by_age.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.tv_sec, a.first.tv_nsec, a.second) < std::tie(b.first.tv_sec, b.first.tv_nsec, b.second);
  });
  for (const auto& [written, name] : by_age) {
    std::string path = folder + "/" + name;
    fragments.claimed_files.push_back(path);
    std::string text;
    if (!read_small_file(path, text)) continue;
    // One entry per line. A fragment is renamed into place whole, so it is merged whole or not at all:
    // one line that is not a canonical entry means the file is not one hone wrote, and none of it is kept.
    std::vector<std::string_view> lines;
    std::string_view rest = text;
    while (!rest.empty()) {
      const size_t end = std::min(rest.find('\n'), rest.size());
      std::string_view line = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      if (line.ends_with('\r')) line.remove_suffix(1);
      lines.push_back(line);
    }
    if (lines.empty() ||
        !std::all_of(lines.begin(), lines.end(), [](std::string_view line) { return !identity_of(line).empty(); })) {
      ++fragments.unreadable;
      continue;
    }
    for (std::string_view line : lines) fragments.lines[std::string(identity_of(line))] = std::string(line);
  }
  return fragments;
}

// Checks that `text` nests no deeper than k_max_json_depth (strings skipped).
bool shallow_enough(const std::string& text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > k_max_json_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// One element of a database in another tool's layout as a canonical line, or "" when it is not a
// compile command (not an object, or a field of the wrong type).
std::string canonical_from_json(const nlohmann::json& element) {
  if (!element.is_object()) return {};
  auto text = [&](const char* field) -> const std::string* {
    auto found = element.find(field);
    return found != element.end() && found->is_string() ? &found->get_ref<const std::string&>() : nullptr;
  };
  const std::string* directory = text("directory");
  const std::string* file = text("file");
  if (!directory || !file) return {};
  std::string output;
  if (auto found = element.find("output"); found != element.end()) {
    if (!found->is_string()) return {};
    output = found->get<std::string>();
  }
  if (auto found = element.find("arguments"); found != element.end()) {
    if (!found->is_array()) return {};
    std::vector<std::string> arguments;
    for (const nlohmann::json& word : *found) {
      if (!word.is_string()) return {};
      arguments.push_back(word.get<std::string>());
    }
    return entry_line(*directory, *file, output, &arguments, {});
  }
  const std::string* command = text("command");
  return command ? entry_line(*directory, *file, output, nullptr, *command) : std::string{};
}

// A line in hone's layout that is not exactly canonical, parsed alone: its canonical line, "" when it is
// not a compile command (dropped), or nullopt when it is not a whole JSON value (the file is in another
// layout, entries spread over lines, and is parsed whole). A line ending in '}' that does not parse (a
// byte that is not UTF-8) is dropped: parsing the whole file would only fail on it too.
std::optional<std::string> canonical_from_line(std::string_view line) {
  const std::string text(line);
  if (!shallow_enough(text)) return std::string{};
  const nlohmann::json element = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!element.is_discarded()) return canonical_from_json(element);
  return line.ends_with("}") ? std::optional<std::string>(std::string{}) : std::nullopt;
}

// Copies the entries of a database in any layout that are not replaced by a fragment. Returns "" or
// the reason the database cannot be merged into (it is left alone then); counts dropped entries.
std::string copy_foreign_entries(const std::string& database, const std::string& text, const Fragments& fragments,
                                 DatabaseWriter& writer, size_t& dropped) {
  nlohmann::json entries = shallow_enough(text) ? nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false)
                                                : nlohmann::json(nlohmann::json::value_t::discarded);
  if (!entries.is_array()) return database + " is not a JSON array; remove it or choose another HONE_COMPILE_DB";
  for (const nlohmann::json& element : entries) {
    std::string line = canonical_from_json(element);
    if (line.empty()) {
      ++dropped;
    } else if (!fragments.lines.contains(identity_of(line))) {
      writer.add(line);
    }
  }
  return {};
}

// Copies the entries of the existing database that no fragment replaces: streamed line by line when it
// is in the canonical layout, else through copy_foreign_entries.
std::string copy_kept_entries(const std::string& database, const Fragments& fragments, DatabaseWriter& writer,
                              size_t& dropped) {
  FILE* in = std::fopen(database.c_str(), "rbe");
  if (!in) return errno == ENOENT ? std::string{} : errno_text("cannot read " + database);
  char* raw = nullptr;
  size_t capacity = 0;
  ssize_t length;
  bool canonical = true;
  bool opened = false, closed = false;
  while (canonical && (length = getline(&raw, &capacity, in)) >= 0) {
    std::string_view line(raw, static_cast<size_t>(length));
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (!opened) {
      canonical = line == "[";
      opened = true;
      continue;
    }
    if (closed) {
      canonical = line.empty();
      continue;
    }
    if (line == "]") {
      closed = true;
      continue;
    }
    if (line.ends_with(",")) line.remove_suffix(1);
    if (std::string_view identity = identity_of(line); !identity.empty()) {
      if (!fragments.lines.contains(identity)) writer.add(line);
    } else if (std::optional<std::string> repaired =
                   line.starts_with("{\"directory\": ") ? canonical_from_line(line) : std::nullopt) {
      if (repaired->empty())
        ++dropped;
      else if (!fragments.lines.contains(identity_of(*repaired)))
        writer.add(*repaired);
    } else {
      canonical = false;
    }
  }
  std::free(raw);
  if (canonical && (closed || !opened)) {
    std::fclose(in);
    return {};
  }
  // Another layout: start again from the whole text, parsed.
  std::fclose(in);
  writer.restart();
  std::string text;
  if (!read_small_file(database, text)) return errno_text("cannot read " + database);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  return copy_foreign_entries(database, text, fragments, writer, dropped);
}

// Merges every pending fragment into the database (the caller holds the lock). "" or the error; sets
// `warning` when entries of the old database were dropped.
std::string merge_fragments(const std::string& database, const std::string& folder, std::string& warning) {
  Fragments fragments = claim_fragments(folder);
  if (fragments.claimed_files.empty()) return {};
  support::remove_stale_temporaries(database);
  struct stat old_status{};
  bool had_database = stat(database.c_str(), &old_status) == 0;
  size_t dropped = 0;
  DatabaseWriter writer(database);
  std::string error = copy_kept_entries(database, fragments, writer, dropped);
  if (!error.empty()) return error;
  for (const auto& [identity, line] : fragments.lines) writer.add(line);
  error = writer.commit(had_database ? &old_status : nullptr);
  if (!error.empty()) return error;
  for (const std::string& file : fragments.claimed_files) unlink(file.c_str());
  if (dropped > 0) {
    warning = database + ": dropped " + std::to_string(dropped) +
              " entries that are not compile commands (not an object, a field missing or of the wrong type, or "
              "not valid JSON)";
  }
  if (fragments.unreadable > 0) {
    if (!warning.empty()) warning += "; ";
    warning += std::to_string(fragments.unreadable) + " unreadable fragments in " + folder + " removed";
  }
  return {};
}

// Writes the call's fragment into `folder` and sets `fragment` to its path ("" when the call names no
// source to record). "" or the error. A function of its own so that the fragment's text is freed before
// the merge runs.
//
// Every entry of the call goes into one fragment, one line each, written and renamed once: a call with
// thousands of sources costs one rename, not thousands, and is recorded whole or not at all. A source
// named twice is one entry (same identity). The fragment's name hashes the identities in order, so a
// rebuild of the same call replaces its own fragment; for one source that is the hash of its identity,
// the name fragments had when each held one entry.
//
// Each entry's arguments are the call's command without the call's other sources (as Bear records a
// multi-source call): the entry compiles exactly its own file, which is what clang tools expect of it,
// and a call's fragment grows with its sources plus its arguments instead of their product (2,000
// sources on one command made 2,000 copies of the 2,000 names, a 58 MB fragment). A source read from a
// response file stays where it is, inside the @file every entry repeats.
std::string write_call_fragment(const std::string& folder, const std::string& directory,
                                const std::vector<std::string>& command, const Classification& call,
                                std::string& fragment) {
  // Where each source stands in `command` (the compiler first, so one past its index among the
  // arguments classify() read), or npos when it is not one word of the command.
  std::vector<size_t> positions(call.sources.size(), std::string::npos);
  std::vector<bool> is_source(command.size(), false);
  for (size_t k = 0; k < call.sources.size() && k < call.source_arguments.size(); ++k) {
    const size_t argument = call.source_arguments[k];
    if (argument == std::string::npos || argument + 1 >= command.size() || command[argument + 1] != call.sources[k])
      continue;
    positions[k] = argument + 1;
    is_source[argument + 1] = true;
  }
  // Every word of the command as JSON once; each entry joins them, leaving out the other sources.
  std::vector<std::string> words(command.size());
  for (size_t i = 0; i < command.size(); ++i) append_json_string(words[i], command[i]);

  std::string text, identities, arguments;
  std::set<std::string, std::less<>> seen;
  std::set<std::string_view> named;  // a source named again is the same entry: not even built again
  for (size_t k = 0; k < call.sources.size(); ++k) {
    const std::string& source = call.sources[k];
    if (source == "-" || !named.insert(source).second) continue;
    arguments.clear();
    for (size_t i = 0; i < command.size(); ++i) {
      if (is_source[i] && i != positions[k]) continue;
      if (!arguments.empty()) arguments += ", ";
      arguments += words[i];
    }
    std::string line = entry_line_from_json(directory, source, call.output, &arguments, {});
    std::string_view identity = identity_of(line);
    if (!seen.emplace(identity).second) continue;
    if (!identities.empty()) identities += '\n';
    identities += identity;
    text += line;
    text += '\n';
  }
  if (seen.empty()) return {};
  std::string path = folder + "/" + hex_fnv1a(identities) + std::string(k_fragment_suffix);
  std::string error = support::write_file_atomically(path, text);
  if (error.empty()) fragment = std::move(path);
  return error;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char escape[7];
      std::snprintf(escape, sizeof(escape), "\\u%04x", c);
      out += escape;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

RecordResult record_compile(const std::string& database, const std::vector<std::string>& command,
                            const Classification& call) {
  RecordResult result;
  if (call.kind != CallKind::compile && call.kind != CallKind::compile_and_link) return result;
  const std::string folder = database + ".d";
  if (mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST) {
    result.error = errno_text("cannot create " + folder);
    return result;
  }
  std::string fragment;
  result.error = write_call_fragment(folder, current_directory(), command, call, fragment);
  if (!result.error.empty() || fragment.empty()) return result;

  FileLock lock(database + ".lock");
  if (!lock.locked()) {
    result.error = errno_text("cannot lock " + database + ".lock");
    return result;
  }
  // The merge that held the lock before may have taken this call's fragment already. A fragment it
  // claimed but could not merge (the database is not an array; the merger was killed) is still pending.
  const std::string claimed =
      fragment.substr(0, fragment.size() - k_fragment_suffix.size()) + std::string(k_claimed_suffix);
  if (access(fragment.c_str(), F_OK) == 0 || access(claimed.c_str(), F_OK) == 0)
    result.error = merge_fragments(database, folder, result.warning);
  return result;
}

}  // namespace hone::wrapper
