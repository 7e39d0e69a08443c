# Makes one man page from one docs/ page (cmake -P, run by the build when pandoc is there; see
# HonePackaging.cmake). The docs are the one source of truth: a man page is the same Markdown, with a NAME
# section (what `man -k` and whatis index) in place of the page's `#` title, and the headings shifted one
# level up, so its `##` sections become man sections. The result is gzipped with -n (no time stamp), as
# Debian packages ship man pages.
#
#   cmake -DPANDOC=... -DINPUT=docs/pgo.md -DOUTPUT=hone-pgo.1.gz -DNAME=hone-pgo -DSECTION=1 -DVERSION=0.1.0
#         -DSUMMARY="profile-guided release builds" -DGZIP=... -P HoneManPage.cmake
foreach(variable IN ITEMS PANDOC INPUT OUTPUT NAME SECTION VERSION SUMMARY GZIP)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "HoneManPage.cmake: -D${variable}=... is required")
  endif()
endforeach()
file(READ "${INPUT}" markdown)
string(REGEX REPLACE "^#[^\n]*\n" "" markdown "${markdown}")
string(TOUPPER "${NAME}" upper_name)
set(page "${OUTPUT}")
string(REGEX REPLACE "\\.gz$" "" page "${page}")
file(WRITE "${page}.md" "## NAME\n\n${NAME} - ${SUMMARY}\n${markdown}")
execute_process(COMMAND "${PANDOC}" --standalone --to man --from gfm --shift-heading-level-by=-1
                        -M "title=${upper_name}" -M "section=${SECTION}" -M "header=hone manual"
                        -M "footer=hone ${VERSION}" -M "date=" "${page}.md" -o "${page}"
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pandoc could not convert ${INPUT} (status ${status})")
endif()
file(REMOVE "${page}.md")
execute_process(COMMAND "${GZIP}" -9 -n -f "${page}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "gzip could not compress ${page} (status ${status})")
endif()
