// Folding `perf script` output (see stack_folding.h).
//
// The header line of a sample is parsed by position rather than by a fixed layout, so both the
// fields hone asks for (comm pid/tid period event:) and perf script's default layout (comm pid [cpu]
// time: period event:) work: the event is the last token ending in ':', the period the number just
// before it (1 when perf printed none), the pid the first numeric token after the process name,
// which may itself contain spaces ("Web Content"). Frame lines are "address symbol (module)"; the
// module is the last parenthesised group, found from the end because C++ symbols contain
// parentheses of their own ("(anonymous namespace)::parse").
#include "driver/profile/stack_folding.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>
#include <unordered_set>

#include "support/paths.h"

namespace hone::profile {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_pid_token(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return all_digits(text);
  return all_digits(text.substr(0, slash)) && all_digits(text.substr(slash + 1));
}

// ';' separates frames in a folded stack, so it may not appear inside one.
std::string frame_safe(std::string_view text) {
  std::string result(text);
  std::replace(result.begin(), result.end(), ';', ':');
  return result;
}

struct Frame {
  std::string name;
  std::string module;
};

// "ffffffff8225fd19 pvm_irq_enable ([kernel.kallsyms])" -> {"pvm_irq_enable_[k]", "[kernel.kallsyms]"}.
Frame parse_frame(std::string_view text) {
  text = trim(text);
  std::string_view address;
  const std::size_t space = text.find_first_of(" \t");
  address = text.substr(0, space);
  std::string_view rest = space == std::string_view::npos ? std::string_view() : trim(text.substr(space));
  std::string_view symbol = rest;
  std::string_view module;
  if (!rest.empty() && rest.back() == ')') {
    int depth = 0;
    for (std::size_t i = rest.size(); i-- > 0;) {
      if (rest[i] == ')') ++depth;
      if (rest[i] == '(' && --depth == 0) {
        module = rest.substr(i + 1, rest.size() - i - 2);
        symbol = trim(rest.substr(0, i));
        break;
      }
    }
  }
  Frame frame;
  frame.module = std::string(module);
  const bool unknown_symbol = symbol.empty() || symbol == "[unknown]";
  if (module == "inlined") {
    frame.name = frame_safe(unknown_symbol ? "[unknown]" : symbol) + "_[i]";
    return frame;
  }
  if (unknown_symbol) {
    if (module.empty() || module == "[unknown]") {
      frame.name = "[unknown]";
    } else if (module.front() == '[') {
      frame.name = frame_safe(module);
    } else {
      frame.name = "[" + frame_safe(support::base_name(module)) + "]";
    }
  } else {
    frame.name = frame_safe(symbol);
  }
  const bool kernel_address = address.size() == 16 && address.substr(0, 4) == "ffff";
  const bool kernel_module =
      module.substr(0, 7) == "[kernel" || (kernel_address && !module.empty() && module.front() == '[');
  if (kernel_module) frame.name += "_[k]";
  return frame;
}

// Records that `name` came from `module`. One name may come from several modules (_start is in both
// the dynamic loader and the program); they are listed, up to three.
void note_module(std::map<std::string, std::string>& modules, const std::string& name, const std::string& module) {
  std::string& known = modules[name];
  if (known.empty()) {
    known = module;
    return;
  }
  if (known == module || known.find(module) != std::string::npos) return;
  if (std::count(known.begin(), known.end(), ',') >= 2) return;
  known += ", " + module;
}

struct Header {
  std::string comm;
  std::string event;
  std::uint64_t period = 1;
  std::string inline_frame;  // the frame printed on the header line when there is no call chain
};

bool parse_header(std::string_view line, Header& header) {
  const std::vector<std::string_view> tokens = split_whitespace(line);
  std::size_t event_index = tokens.size();
  for (std::size_t i = tokens.size(); i-- > 1;) {
    if (tokens[i].size() > 1 && tokens[i].back() == ':') {
      event_index = i;
      break;
    }
  }
  if (event_index == tokens.size()) return false;
  std::size_t pid_index = 0;
  for (std::size_t i = 1; i < event_index; ++i) {
    if (is_pid_token(tokens[i])) {
      pid_index = i;
      break;
    }
  }
  if (pid_index == 0) return false;
  const std::size_t comm_end = static_cast<std::size_t>(tokens[pid_index].data() - line.data());
  header.comm = frame_safe(trim(line.substr(0, comm_end)));
  header.event = std::string(tokens[event_index].substr(0, tokens[event_index].size() - 1));
  header.period = 1;
  if (event_index - 1 > pid_index && all_digits(tokens[event_index - 1])) {
    const std::string_view digits = tokens[event_index - 1];
    std::from_chars(digits.data(), digits.data() + digits.size(), header.period);  // stays 1 on overflow
  }
  const std::size_t after_event =
      static_cast<std::size_t>(tokens[event_index].data() - line.data()) + tokens[event_index].size();
  header.inline_frame = std::string(trim(line.substr(after_event)));
  return true;
}

}  // namespace

bool fold_perf_script(std::istream& in, FoldedProfile& profile, std::string& error) {
  std::string line;
  std::size_t line_number = 0;
  bool in_sample = false;
  Header header;
  std::vector<Frame> frames;  // leaf first
  std::string stack;
  auto finish_sample = [&] {
    if (!in_sample) return;
    in_sample = false;
    if (!header.inline_frame.empty()) frames.push_back(parse_frame(header.inline_frame));
    stack = header.comm.empty() ? "[unknown]" : header.comm;
    if (frames.empty()) frames.push_back(Frame{"[unknown]", ""});
    for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame) {
      stack += ';';
      stack += frame->name;
      if (!frame->module.empty()) note_module(profile.modules, frame->name, frame->module);
    }
    StackWeight& entry = profile.stacks[stack];
    entry.weight += header.period;
    entry.samples += 1;
    profile.samples += 1;
    profile.total_weight += header.period;
    if (std::find(profile.events.begin(), profile.events.end(), header.event) == profile.events.end()) {
      profile.events.push_back(header.event);
    }
    frames.clear();
  };
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) {
      finish_sample();
      continue;
    }
    if (line[0] == '#') continue;  // perf script --header comments
    if (std::isspace(static_cast<unsigned char>(line[0]))) {
      if (!in_sample) {
        error = "line " + std::to_string(line_number) + ": a stack frame outside any sample: '" +
                std::string(trim(line)) + "'";
        return false;
      }
      frames.push_back(parse_frame(line));
      continue;
    }
    finish_sample();
    if (!parse_header(line, header)) {
      error = "line " + std::to_string(line_number) +
              ": not a perf script sample header (expected 'command pid period event:'): '" + line.substr(0, 120) + "'";
      return false;
    }
    in_sample = true;
  }
  finish_sample();
  return true;
}

std::vector<FunctionTime> function_times(const FoldedProfile& profile, bool by_self) {
  std::map<std::string, FunctionTime> functions;
  std::vector<std::string_view> frames;
  std::unordered_set<std::string_view> seen;
  for (const auto& [stack, weight] : profile.stacks) {
    frames.clear();
    std::string_view rest = stack;
    for (std::size_t semicolon; (semicolon = rest.find(';')) != std::string_view::npos;) {
      frames.push_back(rest.substr(0, semicolon));
      rest.remove_prefix(semicolon + 1);
    }
    frames.push_back(rest);
    if (frames.size() < 2) continue;  // only the process name
    seen.clear();
    for (std::size_t i = 1; i < frames.size(); ++i) {
      if (!seen.insert(frames[i]).second) continue;  // recursion: count a sample once per function
      functions[std::string(frames[i])].total += weight.weight;
    }
    functions[std::string(frames.back())].self += weight.weight;
  }
  std::vector<FunctionTime> result;
  result.reserve(functions.size());
  for (auto& [name, time] : functions) {
    time.name = name;
    if (const auto module = profile.modules.find(name); module != profile.modules.end()) {
      // Base names of the (comma-separated) modules.
      std::string_view rest = module->second;
      while (!rest.empty()) {
        const std::size_t comma = rest.find(", ");
        if (!time.module.empty()) time.module += ", ";
        time.module += support::base_name(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
      }
    }
    result.push_back(std::move(time));
  }
  std::sort(result.begin(), result.end(), [by_self](const FunctionTime& a, const FunctionTime& b) {
    const std::uint64_t key_a = by_self ? a.self : a.total;
    const std::uint64_t key_b = by_self ? b.self : b.total;
    if (key_a != key_b) return key_a > key_b;
    return a.name < b.name;
  });
  return result;
}

std::string folded_text(const FoldedProfile& profile) {
  std::string text;
  for (const auto& [stack, weight] : profile.stacks) {
    text += stack;
    text += ' ';
    text += std::to_string(weight.weight);
    text += '\n';
  }
  return text;
}

}  // namespace hone::profile
