// Path text helpers every part needs and none should spell twice. Pure string work: no file system
// access, so they are safe on the wrapper's hot path and give the same answer on every machine.
#pragma once

#include <string>
#include <string_view>

namespace hone::support {

// The last component of `path` ("a/b/c.cpp" -> "c.cpp", "c.cpp" -> "c.cpp", "a/b/" -> "").
std::string_view base_name(std::string_view path);

// `path` made absolute against `directory` when it is relative; no other normalization (no "..",
// no symlink resolution), so that two programs given the same texts compute the same answer.
std::string absolute_in(std::string_view directory, std::string_view path);

}  // namespace hone::support
