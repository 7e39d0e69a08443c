// Response files (`@file`): a compiler argument that stands for the arguments written in a file.
//
// The wrapper reads them to classify a call (the command itself reaches the compiler untouched), and
// `hone vec --remarks-dir` reads them to find the source and output a database entry names, so both
// sides see the same arguments. GCC's syntax: white space separates arguments; single quotes, double
// quotes and backslash quote. A file that cannot be read stays a literal argument (the compiler then
// reports it), and expansion stops at a small nesting depth, at a cycle and at a size bound.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hone::support {

// The arguments written in a response file's text (GCC quoting rules).
std::vector<std::string> split_response_text(std::string_view text);

// `arguments` with every `@file` replaced by the arguments in that file, recursively up to a small
// depth. Relative `@file` names are opened against `directory` (empty: the working directory). Sets
// `error` when a file cannot be read, names a file already being expanded (a cycle), or would pass the
// bounds on files opened and bytes read (response_files.cpp); that argument is then kept as it is.
// `origins`, when given, receives for each returned word the index in `arguments` of the argument it is,
// or std::string::npos when it was read from a response file.
std::vector<std::string> expand_response_files(const std::vector<std::string>& arguments, bool& error,
                                               std::string_view directory = {}, std::vector<size_t>* origins = nullptr);

}  // namespace hone::support
