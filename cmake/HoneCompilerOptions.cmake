# Compiler settings shared by every hone target: warnings, -Werror in CI, and the sanitizers.
#
# Targets opt in through hone_target_defaults() rather than through global flags, so that the user
# example projects built inside the test suite never inherit hone's own warning or sanitizer flags.

set(HONE_WARNING_FLAGS -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(HONE_WARNING_FLAGS -Wall -Wextra -Wshadow-uncaptured-local -Wnon-virtual-dtor -Wformat=2
      -Wimplicit-fallthrough)
endif()

set(HONE_SANITIZER_FLAGS "")
if(HONE_SANITIZE)
  set(HONE_SANITIZER_FLAGS -fsanitize=${HONE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
endif()

# hone_target_defaults(<target>): the standard warning set, -Werror when HONE_WERROR is on, and the
# configured sanitizers (compile and link).
function(hone_target_defaults target)
  target_compile_options(${target} PRIVATE ${HONE_WARNING_FLAGS})
  if(HONE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(HONE_SANITIZER_FLAGS)
    target_compile_options(${target} PRIVATE ${HONE_SANITIZER_FLAGS})
    target_link_options(${target} PRIVATE ${HONE_SANITIZER_FLAGS})
  endif()
endfunction()
