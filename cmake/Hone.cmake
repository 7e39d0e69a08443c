# Hone.cmake: hone for projects that want it in their own CMakeLists.txt (docs/cmake.md).
#
#   find_package(hone REQUIRED)      # hone::hone (the executable) and this module's folder on the path
#   include(Hone)
#   hone_enable_launcher()           # every C/C++ compile and link of later targets goes through hone
#   hone_pgo_build(TARGET server TRAINING server --replay ${CMAKE_SOURCE_DIR}/traces/day1.log)
#                                    # `cmake --build . --target server-pgo` runs hone pgo for it
#
# The launcher is how hone sees a build without changing it: CMake runs `hone <compiler> <args>`, and hone
# adds only what a HONE_* mode asks for (none: the compile is unchanged). An existing launcher such as
# ccache is kept after hone (`hone;ccache`), the order in which ccache hashes hone's flags and never serves
# a plain object to an instrumented build (docs/wrapper.md). hone_pgo_build writes a hone.yaml for one
# executable target into the build folder; hone pgo then configures and builds the same source tree in
# its own folders, so nothing here changes the normal build.
include_guard(GLOBAL)

# The hone executable: hone::hone when find_package(hone) imported it, else HONE_EXECUTABLE, else `hone`
# on PATH.
function(_hone_find_executable out_variable)
  if(TARGET hone::hone)
    get_target_property(location hone::hone IMPORTED_LOCATION)
    if(location)
      set(${out_variable} "${location}" PARENT_SCOPE)
      return()
    endif()
  endif()
  find_program(HONE_EXECUTABLE hone DOC "The hone executable (Hone.cmake)")
  if(NOT HONE_EXECUTABLE)
    message(FATAL_ERROR "Hone.cmake: no hone executable: call find_package(hone) first, put hone on PATH, or set "
                        "HONE_EXECUTABLE to its path")
  endif()
  set(${out_variable} "${HONE_EXECUTABLE}" PARENT_SCOPE)
endfunction()

# True in `out_variable` when a launcher list already starts a compile with hone (hone pgo configures the
# project with hone as its launcher, and this module must not add a second one inside that build).
function(_hone_list_has_hone launchers out_variable)
  set(found FALSE)
  foreach(launcher IN LISTS launchers)
    get_filename_component(name "${launcher}" NAME)
    if(name STREQUAL "hone")
      set(found TRUE)
    endif()
  endforeach()
  set(${out_variable} ${found} PARENT_SCOPE)
endfunction()

# hone_enable_launcher([LANGUAGES lang...]): sets CMAKE_<LANG>_COMPILER_LAUNCHER and
# CMAKE_<LANG>_LINKER_LAUNCHER in the calling scope, so targets created after the call compile and link
# through hone. LANGUAGES defaults to the enabled ones among C and CXX.
function(hone_enable_launcher)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "" "LANGUAGES")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "hone_enable_launcher: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_LANGUAGES)
    get_property(enabled GLOBAL PROPERTY ENABLED_LANGUAGES)
    foreach(language IN ITEMS C CXX)
      if(language IN_LIST enabled)
        list(APPEND ARG_LANGUAGES ${language})
      endif()
    endforeach()
  endif()
  _hone_find_executable(hone)
  foreach(language IN LISTS ARG_LANGUAGES)
    if(NOT language MATCHES "^(C|CXX)$")
      message(FATAL_ERROR "hone_enable_launcher: hone wraps C and C++ compilers, not ${language}")
    endif()
    foreach(kind IN ITEMS COMPILER LINKER)
      set(variable CMAKE_${language}_${kind}_LAUNCHER)
      _hone_list_has_hone("${${variable}}" already)
      if(NOT already)
        set(${variable} "${hone};${${variable}}")
        list(REMOVE_ITEM ${variable} "")
        set(${variable} "${${variable}}" PARENT_SCOPE)
      endif()
    endforeach()
  endforeach()
  message(STATUS "hone: ${ARG_LANGUAGES} compiles and links go through ${hone}")
endfunction()

# Quotes one YAML scalar (double-quoted style: backslash and double quote escaped).
function(_hone_yaml_quote text out_variable)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  set(${out_variable} "\"${text}\"" PARENT_SCOPE)
endfunction()

# A workload command as a YAML flow list; the target's own name as a word becomes {bin:TARGET}.
function(_hone_yaml_command target words out_variable)
  set(items "")
  foreach(word IN LISTS words)
    if(word STREQUAL target)
      set(word "{bin:${target}}")
    endif()
    _hone_yaml_quote("${word}" quoted)
    list(APPEND items "${quoted}")
  endforeach()
  list(JOIN items ", " joined)
  set(${out_variable} "[${joined}]" PARENT_SCOPE)
endfunction()

# hone_pgo_build(TARGET target TRAINING command... [BENCHMARK command...] [LTO off|thin|full] [BOLT]
#                [CMAKE_ARGS arg...] [BUILD_TYPE type] [TIMEOUT seconds])
# Writes <build>/hone-pgo/<target>/hone.yaml for the executable `target` (in TRAINING and BENCHMARK the
# target's name is replaced by the path of its build: `TRAINING server --replay day1.log`) and adds the
# target <target>-pgo, which runs `hone pgo` on it: instrument, train, merge, optimize (PGO + LTO),
# [bolt], verify. The optimized executable is then under <build>/hone-pgo/<target>/.hone/optimize/build/
# (or bolt/), and `hone pgo --config <build>/hone-pgo/<target>/hone.yaml info` shows the last results.
function(hone_pgo_build)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "BOLT" "TARGET;LTO;BUILD_TYPE;TIMEOUT" "TRAINING;BENCHMARK;CMAKE_ARGS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "hone_pgo_build: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_TARGET OR NOT ARG_TRAINING)
    message(FATAL_ERROR "hone_pgo_build: TARGET and TRAINING are required, e.g. "
                        "hone_pgo_build(TARGET server TRAINING server --replay day1.log)")
  endif()
  if(NOT TARGET ${ARG_TARGET})
    message(FATAL_ERROR "hone_pgo_build: '${ARG_TARGET}' is not a target; call it after add_executable(${ARG_TARGET} ...)")
  endif()
  get_target_property(type ${ARG_TARGET} TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "hone_pgo_build: '${ARG_TARGET}' is a ${type}; hone pgo trains and verifies an executable")
  endif()
  if("${ARG_LTO}" STREQUAL "")  # not if(NOT ...): "off" is false to CMake
    set(ARG_LTO thin)
  elseif(NOT ARG_LTO MATCHES "^(off|thin|full)$")
    message(FATAL_ERROR "hone_pgo_build: LTO must be off, thin or full, not '${ARG_LTO}'")
  endif()
  if(NOT ARG_BUILD_TYPE)
    set(ARG_BUILD_TYPE Release)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  _hone_find_executable(hone)

  set(folder "${CMAKE_CURRENT_BINARY_DIR}/hone-pgo/${ARG_TARGET}")
  _hone_yaml_quote("${CMAKE_SOURCE_DIR}" source)
  _hone_yaml_quote("${ARG_BUILD_TYPE}" build_type)
  # hone pgo configures the tree afresh: it must find this hone package (and whatever else the prefix path
  # finds) the way this configure did.
  set(inherited "")
  if(hone_DIR)
    list(APPEND inherited "-Dhone_DIR=${hone_DIR}")
  endif()
  if(CMAKE_PREFIX_PATH)
    list(JOIN CMAKE_PREFIX_PATH "\\;" prefix_path)
    list(APPEND inherited "-DCMAKE_PREFIX_PATH=${prefix_path}")
  endif()
  set(cmake_args "")
  foreach(argument IN LISTS inherited ARG_CMAKE_ARGS)
    _hone_yaml_quote("${argument}" quoted)
    list(APPEND cmake_args "${quoted}")
  endforeach()
  list(JOIN cmake_args ", " cmake_args)
  _hone_yaml_command(${ARG_TARGET} "${ARG_TRAINING}" training)
  set(bolt off)
  if(ARG_BOLT)
    set(bolt on)
  endif()
  # The executable's path inside a build folder, relative to it: hone pgo builds the same tree elsewhere.
  set(binary "$<PATH:RELATIVE_PATH,$<TARGET_FILE:${ARG_TARGET}>,${CMAKE_BINARY_DIR}>")
  string(CONCAT yaml "# Written by hone_pgo_build() (Hone.cmake) for target ${ARG_TARGET}; regenerated by every configure.\n"
           "build:\n  system: cmake\n  source_dir: ${source}\n  build_type: ${build_type}\n"
           "  cmake_args: [${cmake_args}]\n"
           "binaries:\n  - name: ${ARG_TARGET}\n    path: \"${binary}\"\n"
           "training:\n  - name: ${ARG_TARGET}-training\n    command: ${training}\n    timeout: ${ARG_TIMEOUT}\n")
  if(ARG_BENCHMARK)
    _hone_yaml_command(${ARG_TARGET} "${ARG_BENCHMARK}" benchmark)
    string(APPEND yaml "benchmark:\n  - name: ${ARG_TARGET}-benchmark\n    command: ${benchmark}\n"
                       "    timeout: ${ARG_TIMEOUT}\n")
  endif()
  string(APPEND yaml "lto: ${ARG_LTO}\nbolt: ${bolt}\n")
  file(GENERATE OUTPUT "${folder}/hone.yaml" CONTENT "${yaml}")
  add_custom_target(${ARG_TARGET}-pgo
                    COMMAND "${hone}" pgo --config "${folder}/hone.yaml"
                    WORKING_DIRECTORY "${folder}"
                    COMMENT "hone pgo: profile-guided build of ${ARG_TARGET} (${folder})"
                    USES_TERMINAL VERBATIM)
  set_target_properties(${ARG_TARGET}-pgo PROPERTIES HONE_PGO_CONFIG "${folder}/hone.yaml")
endfunction()
