# Locates the LLVM/Clang 19 installation that hone uses at build time and at run time.
#
# HONE_LLVM_BIN_DIR is where the tools live (clang, llvm-profdata, llvm-bolt, FileCheck, lit's helpers);
# it is baked into the binaries as the default tool folder and into the lit configuration. The libraries
# themselves are only loaded by analyzers/ (find_package(Clang) there), never by the driver.

set(HONE_LLVM_ROOT "/usr/lib/llvm-19" CACHE PATH "Root of the LLVM 19 installation (Debian: /usr/lib/llvm-19)")
set(HONE_LLVM_BIN_DIR "${HONE_LLVM_ROOT}/bin")
find_file(HONE_LIT_PY lit.py PATHS "${HONE_LLVM_ROOT}/build/utils/lit" NO_DEFAULT_PATH
          DOC "LLVM's lit test runner (Debian package llvm-19-tools)")
