// Compile-database capture in two steps, so that a compile pays for its own entry and not for the size
// of the database:
//
//  1. The compile writes its entry as one fragment, `<db>.d/<key>.json`, where <key> is the FNV-1a 64 of
//     the entry's identity (directory, file, output). The fragment is written to an exclusive temporary
//     and renamed, so a rebuild of the same unit replaces its own fragment.
//  2. Before the compiler starts, the compile makes sure its fragment is in the database: it takes the
//     exclusive lock `<db>.lock` and, unless the merge before it already took its fragment, merges every
//     pending fragment in one pass. In a parallel build the compiles queued behind one merge find their
//     fragments taken and leave at once, so merges coalesce; and since every compile's entry is in the
//     database before its compiler runs, the file is complete the moment the build is done.
//
// The database is kept one entry per line, in a canonical field order whose identity is the line's text
// up to `"arguments"` (or `"command"`). A merge streams the old file line by line, drops the entries a
// fragment replaces, appends the fragments and renames the new file over the old one: readers never see
// half a file, and no JSON parser runs on that path. A database in any other layout (from CMake, an older
// hone, or an editor) is parsed once, tolerantly: entries that are not objects with fields of the right
// types are dropped with one warning, the rest rewritten in the canonical form. A merge claims fragments
// by renaming them to `<key>.json.merging` first, so a fragment rewritten while the merge runs is never
// deleted unmerged; a merger killed half way leaves its claimed fragments for the next merge.
#include "driver/wrapper/compile_db.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
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
// `arguments` (a list) or, for entries read from another tool's database, `command` (one string).
std::string entry_line(std::string_view directory, std::string_view file, std::string_view output,
                       const std::vector<std::string>* arguments, std::string_view command) {
  std::string line = "{\"directory\": ";
  append_json_string(line, directory);
  line += ", \"file\": ";
  append_json_string(line, file);
  if (!output.empty()) {
    line += ", \"output\": ";
    append_json_string(line, output);
  }
  if (arguments) {
    line += ", \"arguments\": [";
    for (size_t i = 0; i < arguments->size(); ++i) {
      if (i > 0) line += ", ";
      append_json_string(line, (*arguments)[i]);
    }
    line += "]}";
  } else {
    line += ", \"command\": ";
    append_json_string(line, command);
    line += '}';
  }
  return line;
}

// The identity of a canonical entry line (its text before the command), or "" when `line` is not one.
// A quote inside a value is escaped (\"), so the first `, "arguments": [` is the real field boundary.
std::string_view identity_of(std::string_view line) {
  if (!line.starts_with("{\"directory\": \"") || !line.ends_with("}")) return {};
  size_t end = line.find(", \"arguments\": [");
  if (end == std::string_view::npos) end = line.find(", \"command\": \"");
  return end == std::string_view::npos ? std::string_view{} : line.substr(0, end);
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
  for (const std::string& name : claimed) {
    std::string path = folder + "/" + name;
    fragments.claimed_files.push_back(path);
    std::string text;
    if (!read_small_file(path, text)) continue;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    std::string_view identity = identity_of(text);
    if (identity.empty()) {
      ++fragments.unreadable;
      continue;
    }
    std::string key(identity);
    fragments.lines[key] = std::move(text);
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
    std::string_view identity = identity_of(line);
    if (identity.empty())
      canonical = false;
    else if (!fragments.lines.contains(identity))
      writer.add(line);
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
              " entries that are not compile commands (not an object, or a field of the wrong type)";
  }
  if (fragments.unreadable > 0) {
    if (!warning.empty()) warning += "; ";
    warning += std::to_string(fragments.unreadable) + " unreadable fragments in " + folder + " removed";
  }
  return {};
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
  const std::string directory = current_directory();
  const std::string folder = database + ".d";
  if (mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST) {
    result.error = errno_text("cannot create " + folder);
    return result;
  }
  std::vector<std::string> fragment_files;
  for (const std::string& source : call.sources) {
    if (source == "-") continue;
    std::string line = entry_line(directory, source, call.output, &command, {});
    std::string fragment = folder + "/" + hex_fnv1a(identity_of(line)) + std::string(k_fragment_suffix);
    std::string error = support::write_file_atomically(fragment, line + "\n");
    if (!error.empty()) {
      result.error = error;
      return result;
    }
    fragment_files.push_back(std::move(fragment));
  }
  if (fragment_files.empty()) return result;

  FileLock lock(database + ".lock");
  if (!lock.locked()) {
    result.error = errno_text("cannot lock " + database + ".lock");
    return result;
  }
  // The merge that held the lock before may have taken this call's fragments already. A fragment it
  // claimed but could not merge (the database is not an array; the merger was killed) is still pending.
  bool pending = std::any_of(fragment_files.begin(), fragment_files.end(), [](const std::string& file) {
    std::string claimed = file.substr(0, file.size() - k_fragment_suffix.size()) + std::string(k_claimed_suffix);
    return access(file.c_str(), F_OK) == 0 || access(claimed.c_str(), F_OK) == 0;
  });
  if (pending) result.error = merge_fragments(database, folder, result.warning);
  return result;
}

}  // namespace hone::wrapper
