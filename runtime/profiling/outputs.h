// The outputs a run asks for through the environment, private to runtime/profiling: the report
// (HONE_PROFILE=1 or json, on stderr) and the trace file (HONE_PROFILE_TRACE=path), written once,
// at exit or when the program is stopped by SIGINT or SIGTERM (see outputs.cpp for the signal path).
#pragma once

namespace hone::profiling::detail {

// Reads HONE_PROFILE and HONE_PROFILE_TRACE (starting the trace), registers the exit handler and, if
// anything is to be written, the signal path. Called once, while the registry is being created.
void arrange_outputs_from_environment() noexcept;

// Writes the trace, then the report, if they were asked for and have not been written yet.
void write_outputs_once() noexcept;

}  // namespace hone::profiling::detail
