// Compile-database capture: adds this call's compiles to a compile_commands.json (the format clang
// tools read), keeping the file valid JSON after every call, even with many calls in parallel, and
// complete whenever no compile is running (so the moment the build is done). compile_db.cpp explains
// the fragments and the coalesced merge that keep one compile's cost independent of the database size.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "driver/wrapper/classify.h"

namespace hone::wrapper {

struct RecordResult {
  std::string error;    // the compile was not recorded: why ("" when it was)
  std::string warning;  // recorded, but something in the old database was dropped: what
};

// Records one entry per source file of a compile call, all of them in one fragment written at once (the
// call is recorded whole or not at all). `command` is the compiler command from the compiler on (a
// launcher such as ccache already removed); each entry records it without the call's other sources
// (where `call.source_arguments` places them), so it compiles exactly its own file. An existing entry for the same
// directory, file and output is replaced, so an incremental rebuild does not accumulate duplicates.
RecordResult record_compile(const std::string& database, const std::vector<std::string>& command,
                            const Classification& call);

// `text` as a JSON string literal, quotes included. Bytes that are not valid UTF-8 (a Latin-1 file name)
// become U+FFFD: JSON text must be Unicode, and a replacement is better than a database no tool reads.
void append_json_string(std::string& out, std::string_view text);

}  // namespace hone::wrapper
