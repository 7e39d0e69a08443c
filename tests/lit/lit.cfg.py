# lit configuration for hone's command-line tests.
#
# Every test is one file that is its own input and its own expectations (RUN:/CHECK: lines). The built
# tools come first on PATH, then LLVM 19's (FileCheck, not, split-file, clang, llvm-profdata), and any
# environment variable that could leak a user's hone or compiler configuration into a test is cleared.
import os
import shutil

import lit.formats
import lit.util

config.name = "hone"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".test", ".c", ".cpp", ".sh"]
config.excludes = ["Inputs", "CMakeLists.txt"]

if not hasattr(config, "hone_bin_dir"):
    site = lit_config.params.get("hone_site_config")
    if not site:
        lit_config.fatal("run lit through ctest, or pass --param hone_site_config=BUILD/tests/lit/lit.site.cfg.py")
    lit_config.load_config(config, site)

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hone_binary_dir, "tests", "lit-out")

# A hung test (a deadlock in a tool, a compile that never ends) fails after ten minutes with lit's own
# message instead of holding the whole suite until ctest's limit. lit needs psutil to stop the test's
# process tree (scripts/setup installs python3-psutil); without it there is no per-test limit.
try:
    import psutil  # noqa: F401

    lit_config.maxIndividualTestTime = 600
except ImportError:
    pass

# A clean, predictable environment: no HONE_* from the developer's shell, no ccache or distcc settings.
for name in list(os.environ):
    if name.startswith(("HONE_", "CCACHE_", "DISTCC_", "LLVM_PROFILE_")) or name in ("CC", "CXX", "CFLAGS", "CXXFLAGS", "LDFLAGS", "MAKEFLAGS"):
        config.environment.pop(name, None)
path = os.pathsep.join([config.hone_bin_dir, config.llvm_bin_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["PATH"] = path
config.environment["LC_ALL"] = "C"
for keep in ("HOME", "TMPDIR"):
    if keep in os.environ:
        config.environment[keep] = os.environ[keep]

def tool(name):
    return os.path.join(config.hone_bin_dir, name)

config.substitutions.append(("%hone_src", config.hone_source_dir))
config.substitutions.append(("%hone-analyze", tool("hone-analyze")))
config.substitutions.append(("%hone", tool("hone")))
config.substitutions.append(("%clangxx", os.path.join(config.llvm_bin_dir, "clang++")))
config.substitutions.append(("%clang", os.path.join(config.llvm_bin_dir, "clang")))
config.substitutions.append(("%llvm_bin", config.llvm_bin_dir))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%cmake", config.cmake_command))

# Features for REQUIRES: lines, from what this machine really has.
for program in ("gcc", "g++", "gcc-12", "g++-12", "gcov-tool-12", "ccache", "distcc", "ninja", "make", "pahole", "perf", "valgrind",
                "protoc"):
    if shutil.which(program, path=path):
        config.available_features.add(program)
for program in ("llvm-bolt", "merge-fdata", "ld.lld", "llvm-profdata"):
    if os.path.exists(os.path.join(config.llvm_bin_dir, program)):
        config.available_features.add(program)
if config.hone_sanitize:
    config.available_features.add("sanitizer")
    for s in config.hone_sanitize.split(","):
        config.available_features.add(s.strip() + "-sanitizer")
if config.hone_build_analyzers:
    config.available_features.add("analyzers")
