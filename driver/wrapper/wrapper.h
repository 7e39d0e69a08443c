// Wrapper mode: run one compiler call, adding the flags of the active mode, without ever breaking it.
#pragma once

namespace hone {

// `hone <compiler> <args...>`: argv[0] is the compiler (or another launcher such as ccache).
int run_launcher(int argc, char** argv);

// Invoked through a symlink named like a compiler: argv[0] is that name; the real compiler is the
// next one of that name on PATH that is not hone itself.
int run_masquerade(int argc, char** argv);

}  // namespace hone
