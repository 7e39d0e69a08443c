// The top-functions tables of `hone profile` (see top_functions.h).
//
// Self time answers "where is the CPU executing?" (the leaf of each sample), total time "which call
// is responsible?" (every function on the stack, counted once per sample even when it recurses).
// Shares are of all samples, kernel and other processes of the command included.
#include "driver/profile/top_functions.h"

#include <cstdio>

namespace hone::profile {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "parse (my_program)", "ksys_read [kernel]", "std::min<int> [inlined]", "[libfoo.so]".
std::string display_name(const FunctionTime& function) {
  const std::string& name = function.name;
  if (ends_with(name, "_[k]")) return name.substr(0, name.size() - 4) + " [kernel]";
  if (ends_with(name, "_[i]")) return name.substr(0, name.size() - 4) + " [inlined]";
  if (function.module.empty() || (!name.empty() && name.front() == '[')) return name;
  return name + " (" + function.module + ")";
}

// One table row: the sort key's share and amount, the other key's share, the function.
void append_row(std::string& out, double share, double amount, double other_share, const std::string& name) {
  char line[96];
  std::snprintf(line, sizeof line, "  %6.2f%% %11.1f %7.2f%%  ", share, amount, other_share);
  out += line;
  out += name;
  out += '\n';
}

}  // namespace

std::string format_summary(const FoldedProfile& profile, const SummaryOptions& options) {
  std::string out;
  const double total = static_cast<double>(profile.total_weight);
  if (total <= 0) return out;
  const double unit = 1e6;  // nanoseconds to milliseconds, or events to millions of events
  const std::string event = profile.events.empty() ? "samples" : profile.events.front();
  const char* amount = options.weight_is_ns ? "ms" : "M";
  for (const bool by_self : {true, false}) {
    const std::vector<FunctionTime> functions = function_times(profile, by_self);
    out += by_self ? "\nTop functions by self time (where the CPU was):\n"
                   : "\nTop functions by total time (self plus everything they called):\n";
    char header[128];
    if (by_self) {
      std::snprintf(header, sizeof header, "  %7s %11s %8s  %s\n", "self%", (std::string("self ") + amount).c_str(),
                    "total%", "function (module)");
    } else {
      std::snprintf(header, sizeof header, "  %7s %11s %8s  %s\n", "total%", (std::string("total ") + amount).c_str(),
                    "self%", "function (module)");
    }
    out += header;
    std::size_t shown = 0;
    for (const FunctionTime& function : functions) {
      if (shown == options.top) break;
      const double self = static_cast<double>(function.self);
      const double all = static_cast<double>(function.total);
      if ((by_self ? self : all) <= 0) break;
      if (by_self) {
        append_row(out, 100 * self / total, self / unit, 100 * all / total, display_name(function));
      } else {
        append_row(out, 100 * all / total, all / unit, 100 * self / total, display_name(function));
      }
      ++shown;
    }
  }
  if (!options.weight_is_ns) {
    out += "\n(" + std::string(amount) + " = millions of " + event + ")\n";
  }
  return out;
}

}  // namespace hone::profile
