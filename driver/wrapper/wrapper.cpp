// Passthrough wrapper: exec the compiler unchanged. The mode machinery (classification, flag
// injection, compile-db capture) builds on this; exec'ing rather than forking keeps the compiler's
// exit status, output and signals exactly its own.
#include "driver/wrapper/wrapper.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace hone {

int run_launcher(int argc, char** argv) {
  (void)argc;
  execvp(argv[0], argv);
  std::fprintf(stderr, "hone: error: cannot run compiler '%s': %s\n", argv[0], std::strerror(errno));
  return errno == ENOENT ? 127 : 126;
}

int run_masquerade(int argc, char** argv) {
  (void)argc;
  std::fprintf(stderr, "hone: error: masquerade mode ('%s' -> hone) is not available in this build\n",
               argv[0]);
  return 2;
}

} // namespace hone
