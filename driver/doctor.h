// `hone doctor`: what hone will use on this machine, and what will break PGO before it does.
#pragma once

namespace hone {

int run_doctor(int argc, char** argv);

}  // namespace hone
