// hone-report: the executable `hone report` runs (driver/command_table.cpp). Everything is in
// report_main (driver/report/report_main.cpp).
#include "driver/report/report_main.h"

int main(int argc, char** argv) {
  return hone::report::report_main(argc, argv);
}
