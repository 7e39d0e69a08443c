// `hone report`'s command line, as a function the executable's main and the tests call.
#pragma once

namespace hone::report {

// Parses the arguments (argv[0] is the program), writes the page; returns the exit status: 0 written,
// 2 bad usage or bad input (the message on stderr names the file and what is wrong), 1 the page could
// not be written.
int report_main(int argc, char** argv);

}  // namespace hone::report
