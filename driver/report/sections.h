// The five parts a `hone report` page can have, one function each: read the input a hone command wrote,
// check its shape (InputError naming the file on the first problem), and return the section's HTML.
#pragma once

#include <cstdint>
#include <string>

#include "driver/report/html.h"

namespace hone::report {

// `hone pgo`'s work folder (or the project folder holding .hone/): verify's results and every stage's
// manifest for the timing.
Section pgo_section(const std::string& folder);

// `hone bench compare --format json` output; the runs it compared, when still readable, for the
// distributions.
Section bench_section(const std::string& compare_json);

// `hone layout --format json` output; `cacheline` is the line size the drawings use (layout's --cacheline).
Section layout_section(const std::string& layout_json, std::uint64_t cacheline);

// `hone vec --format json` output; the sources it names, when readable, for the marked excerpts.
Section vec_section(const std::string& vec_json);

// hone profile's flame graph SVG, embedded as a sandboxed frame so its own script keeps working.
Section profile_section(const std::string& svg_path);

}  // namespace hone::report
