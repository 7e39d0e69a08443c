// The runtime's version string, so a program can log which hone runtime it was linked against.
#include "hone/version.h"

namespace hone {

const char* runtime_version() noexcept {
  return HONE_RUNTIME_VERSION;
}

}  // namespace hone
