// Rendering folded stacks as an interactive flame graph SVG, written by hone itself.
//
// The stacks are merged into a tree (children sorted by name, as flame graphs do, so the picture does
// not depend on sample order) and every node wider than a tenth of a pixel becomes a rectangle, the
// root at the bottom. A small script embedded in the file makes it interactive in any browser: hover
// shows a frame's samples and share, click zooms into a frame (its ancestors stay as a full-width
// trail, click one or "Reset Zoom" to go back), and "Search" (or Ctrl-F) highlights the frames whose
// names match a regular expression and shows what share of all samples they cover.
#pragma once

#include "driver/profile/stack_folding.h"

#include <string>

namespace hone::profile {

struct FlameGraphOptions {
  std::string title = "Flame Graph";
  std::string subtitle;     // e.g. "1234 samples of cpu-clock at 999 Hz"
  std::string weight_unit;  // "ns" to show times in the details line, else shares and samples only
  int width = 1200;         // pixels
};

// The whole SVG document (well-formed XML).
std::string render_flame_graph(const FoldedProfile& profile, const FlameGraphOptions& options);

}  // namespace hone::profile
