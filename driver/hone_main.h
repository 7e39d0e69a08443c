// hone_main decides, from argv[0] and argv[1], whether this is a compiler invocation (wrapper mode) or
// a management command (`hone pgo`, `hone doctor`, ...), and runs it.
#pragma once

namespace hone {

int hone_main(int argc, char** argv);

}  // namespace hone
