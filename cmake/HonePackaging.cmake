# Installing hone as a tool, beside the runtime's package (runtime/packaging): the hone::hone imported
# target and the Hone.cmake module for find_package(hone) users (docs/cmake.md).
#
# These files are in the install component "tools" (the executables are in the default component), so
# `cmake --install BUILD --component runtime` still installs the runtime alone, and honeConfig.cmake
# includes honeToolTargets.cmake only when it is there.
set(HONE_INSTALL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hone)
if(IS_ABSOLUTE "${HONE_INSTALL_CMAKE_DIR}")
  file(RELATIVE_PATH HONE_PREFIX_FROM_CMAKE_DIR "${HONE_INSTALL_CMAKE_DIR}" "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH HONE_PREFIX_FROM_CMAKE_DIR "/prefix/${HONE_INSTALL_CMAKE_DIR}" "/prefix")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/honeToolTargets.cmake.in ${PROJECT_BINARY_DIR}/honeToolTargets.cmake @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/honeToolTargets.cmake ${CMAKE_CURRENT_LIST_DIR}/Hone.cmake
        DESTINATION ${HONE_INSTALL_CMAKE_DIR} COMPONENT tools)

# ---- Man pages, made from docs/ -------------------------------------------------------------------
# One page per command (section 1), hone.yaml (5) and the guides a user reads beside them (7), each from
# its docs/ page by cmake/HoneManPage.cmake with pandoc, so the docs stay the one source. Without pandoc
# there are none (and a message says so): the build never fails for lack of a documentation tool.
find_program(HONE_PANDOC pandoc DOC "pandoc, for the man pages made from docs/")
find_program(HONE_GZIP gzip)
# page name, section, source, summary (the NAME line `man -k` shows)
set(HONE_MAN_PAGES
    "hone|1|README.md|measured, automatic C and C++ performance (compiler wrapper and commands)"
    "hone-pgo|1|docs/pgo.md|profile-guided, link-time-optimized and BOLT release builds, measured"
    "hone-layout|1|docs/layout.md|struct padding and the minimum-size field order across a codebase"
    "hone-vec|1|docs/vec.md|loops the compiler did not vectorize, why, and verified fixes"
    "hone-bench|1|docs/bench.md|Google Benchmark runs, interleaved A/B runs and regression gating"
    "hone-profile|1|docs/profile.md|a perf profile of any command as an interactive flame graph"
    "hone-doctor|1|docs/doctor.md|check what hone needs on this machine"
    "hone.yaml|5|docs/config.md|the configuration of hone pgo"
    "hone-wrapper|7|docs/wrapper.md|the compiler wrapper, its HONE_* modes and how it chains with ccache"
    "hone-cmake|7|docs/cmake.md|find_package(hone), hone::hone and the Hone.cmake module"
    "hone-runtime|7|docs/runtime.md|the hone runtime library: profiling zones, pools, SIMD, allocation tracking"
    "hone-troubleshooting|7|docs/troubleshooting.md|what to do when hone does not do what you expect")
if(HONE_PANDOC AND HONE_GZIP)
  set(man_outputs "")
  foreach(entry IN LISTS HONE_MAN_PAGES)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 name)
    list(GET fields 1 section)
    list(GET fields 2 source)
    list(GET fields 3 summary)
    set(output ${PROJECT_BINARY_DIR}/man/man${section}/${name}.${section}.gz)
    add_custom_command(OUTPUT ${output}
                       COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man/man${section}
                       COMMAND ${CMAKE_COMMAND} -DPANDOC=${HONE_PANDOC} -DGZIP=${HONE_GZIP}
                               -DINPUT=${PROJECT_SOURCE_DIR}/${source} -DOUTPUT=${output} -DNAME=${name}
                               -DSECTION=${section} -DVERSION=${PROJECT_VERSION} "-DSUMMARY=${summary}"
                               -P ${CMAKE_CURRENT_LIST_DIR}/HoneManPage.cmake
                       DEPENDS ${PROJECT_SOURCE_DIR}/${source} ${CMAKE_CURRENT_LIST_DIR}/HoneManPage.cmake
                       COMMENT "man page ${name}(${section}) from ${source}"
                       VERBATIM)
    list(APPEND man_outputs ${output})
    install(FILES ${output} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section} COMPONENT tools)
  endforeach()
  add_custom_target(hone-man ALL DEPENDS ${man_outputs})
  # `ninja check` builds them too: the package suite (tests/lit/package) looks for them in the .deb.
  set_property(GLOBAL APPEND PROPERTY HONE_CHECK_DEPENDS hone-man)
else()
  message(STATUS "hone: no pandoc, so no man pages (scripts/setup installs it)")
endif()

# ---- Shell completion, documentation, copyright ---------------------------------------------------
install(FILES ${PROJECT_SOURCE_DIR}/driver/completion/hone.bash
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions RENAME hone COMPONENT tools)
# zsh: Debian's zsh has vendor-completions on its fpath, so compinit finds _hone with no set-up.
install(FILES ${PROJECT_SOURCE_DIR}/driver/completion/hone.zsh
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions RENAME _hone COMPONENT tools)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/ARCHITECTURE.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tools)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs COMPONENT tools
        FILES_MATCHING PATTERN "*.md" PATTERN "*.png" PATTERN "*.svg")
# Debian wants the licence in /usr/share/doc/<package>/copyright, in its machine-readable format
# (cmake/deb/copyright: Apache-2.0, pointing at the full text in /usr/share/common-licenses, which
# base-files provides on every Debian system; Debian's policy is to point there rather than ship a
# second copy). LICENSE at the top of the tree is the full text, CPack's licence resource.
set(HONE_LICENSE_FILE ${PROJECT_SOURCE_DIR}/LICENSE)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/deb/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tools)

# ---- The Debian package: cpack -G DEB ------------------------------------------------------------------
# One package with everything `cmake --install` installs (tools, runtime, CMake package, man pages,
# completion, docs) under /usr, binaries stripped (the unstripped install is mostly debug information:
# docs/packaging.md has the sizes), dependencies computed by dpkg-shlibdeps from what the binaries link.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hone)
set(CPACK_PACKAGE_VENDOR "hone")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE ${HONE_LICENSE_FILE})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "hone developers <hone@invalid>")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)  # xz saves a few MB and costs minutes on a busy 2-core machine
# What hone pgo, hone profile and the tests of a user's build run as programs (not linked, so not found
# by shlibdeps): recommended, since the wrapper, bench and layout work without them.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang-19, llvm-19, lld-19")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bolt-19, linux-perf, ccache")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "measured, automatic C and C++ performance\n A compiler wrapper for any build system (hone <compiler>), profile-guided and\n link-time-optimized release builds with measured speedups (hone pgo), struct\n layout and vectorization analyzers (hone layout, hone vec), benchmark gating\n (hone bench), perf flame graphs (hone profile) and a runtime library.")
# ldconfig through a trigger, not a postinst of CPack's making (cmake/deb/postinst says why).
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/deb/postinst ${CMAKE_CURRENT_LIST_DIR}/deb/postrm
                                       ${CMAKE_CURRENT_LIST_DIR}/deb/triggers)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
