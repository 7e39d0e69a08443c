// Version of the hone runtime library a program is linked against.
#pragma once

namespace hone {

// The hone release this runtime was built from, e.g. "0.1.0". Never null.
const char* runtime_version() noexcept;

}  // namespace hone
