// `hone pgo` as a pipeline of named steps: instrument → train → merge → optimize → bolt → verify.
// Running a stage runs the stages before it that are out of date; a stage whose inputs are
// unchanged (same key in its manifest, outputs intact) is skipped; --force redoes the named stage.
#pragma once

#include <string>
#include <vector>

#include "pgo/context.h"

namespace hone::pgo {

// The stages this configuration needs, in order (bolt only when enabled).
std::vector<std::string> plan(const Config& config);

// Runs the plan up to and including `target` ("" = everything). Returns the process exit code.
int run_pipeline(Context& context, const std::string& target);

std::string verify_table(const nlohmann::json& facts, bool markdown);

}  // namespace hone::pgo
