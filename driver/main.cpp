// Entry point of `hone`. Everything happens in hone_main() so that tests can drive it in-process.
#include "driver/hone_main.h"

int main(int argc, char** argv) {
  return hone::hone_main(argc, argv);
}
