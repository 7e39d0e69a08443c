// The parser of perf_script.h. Every line starts with the process id; what follows tells the kind:
//
//   11128 PERF_RECORD_MMAP2 11128/11128: [0x55e1456e4000(0x1000) @ 0x1000 fe:00 10954460 0]: r-xp /tmp/t
//   11126 PERF_RECORD_FORK(11128:11128):(11126:11126)
//   11128 PERF_RECORD_COMM exec: t:11128/11128
//   11128      55e1456e4227 (/tmp/t)
//
// Anything else (other record kinds perf may add) is skipped. A line that starts like a sample or a
// mapping but does not parse is counted, and the first one kept, so a change in perf's output format
// shows up as a number in hone's report rather than as a quietly empty profile.
#include "pgo/sample/perf_script.h"

#include <charconv>

namespace hone::pgo::sample {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// Reads a number in `base` from the front of `text` (after an optional "0x" in base 16) and drops it.
bool take_number(std::string_view& text, uint64_t& value, int base) {
  if (base == 16 && text.starts_with("0x")) text.remove_prefix(2);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end == text.data()) return false;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return true;
}

bool take(std::string_view& text, std::string_view expected) {
  if (!text.starts_with(expected)) return false;
  text.remove_prefix(expected.size());
  return true;
}

}  // namespace

std::vector<std::string> perf_script_arguments(const std::string& perf_data) {
  return {"script", "-i", perf_data, "--show-mmap-events", "--show-task-events", "-F", "ip,pid,dso"};
}

void PerfScriptReader::bad() {
  if (samples_.bad_lines++ == 0) samples_.first_bad_line = std::string(current_line_);
}

void PerfScriptReader::line(std::string_view text) {
  current_line_ = text;
  std::string_view rest = trim(text);
  uint64_t pid = 0;
  if (!take_number(rest, pid, 10)) return;  // headers, blank lines: not ours
  rest = trim(rest);
  if (rest.starts_with("PERF_RECORD_MMAP")) {
    add_mapping(pid, rest);
  } else if (take(rest, "PERF_RECORD_FORK(")) {
    // (child:tid):(parent:tid): a new process starts with its parent's mappings; a new thread (same
    // process id) shares them already.
    uint64_t child = 0, parent = 0, tid = 0;
    if (!take_number(rest, child, 10) || !take(rest, ":") || !take_number(rest, tid, 10) || !take(rest, "):(") ||
        !take_number(rest, parent, 10)) {
      bad();
      return;
    }
    if (child != parent) mappings_[child] = mappings_[parent];
  } else if (take(rest, "PERF_RECORD_COMM exec:")) {
    mappings_.erase(pid);  // a new program image: the old mappings are gone
  } else if (!rest.starts_with("PERF_RECORD_")) {
    add_sample(pid, rest);
  }
}

void PerfScriptReader::add_mapping(uint64_t pid, std::string_view text) {
  // PERF_RECORD_MMAP2 PID/TID: [0xSTART(0xLENGTH) @ 0xOFFSET ...]: PROT PATH
  std::string_view rest = text;
  size_t open = rest.find('[');
  if (open == std::string_view::npos) return bad();
  rest.remove_prefix(open + 1);
  Mapping mapping;
  if (!take_number(rest, mapping.start, 16) || !take(rest, "(") || !take_number(rest, mapping.length, 16) ||
      !take(rest, ") @ ") || !take_number(rest, mapping.offset, 16))
    return bad();
  size_t close = rest.find("]: ");
  if (close == std::string_view::npos) return bad();
  rest.remove_prefix(close + 3);
  // MMAP2 prints the protection ("r-xp"), MMAP a single "x"; the path is the rest of the line.
  size_t space = rest.find(' ');
  if (space == std::string_view::npos) return bad();
  mapping.path = std::string(trim(rest.substr(space + 1)));
  if (mapping.path.empty() || mapping.length == 0) return bad();
  mappings_[pid].push_back(std::move(mapping));
}

void PerfScriptReader::add_sample(uint64_t pid, std::string_view text) {
  // HEXADDRESS (PATH)
  std::string_view rest = text;
  uint64_t address = 0;
  if (!take_number(rest, address, 16)) return bad();
  rest = trim(rest);
  if (!rest.starts_with('(') || !rest.ends_with(')')) return bad();
  std::string_view path = rest.substr(1, rest.size() - 2);
  ++samples_.samples;
  if (path.starts_with("[kernel") || path.starts_with("[guest")) {
    ++samples_.kernel;
    return;
  }
  // The newest mapping first: a range mapped again replaces what was there before.
  auto found = mappings_.find(pid);
  if (found != mappings_.end()) {
    for (auto mapping = found->second.rbegin(); mapping != found->second.rend(); ++mapping) {
      if (address < mapping->start || address - mapping->start >= mapping->length) continue;
      samples_.offsets[mapping->path][address - mapping->start + mapping->offset] += 1;
      return;
    }
  }
  ++samples_.unmapped;
}

}  // namespace hone::pgo::sample
