# The program's version for stats files and --version: the project version plus the
# git commit when the source is a git checkout (so a stats file names its exact build).
find_package(Git QUIET)
set(CODEMORPH_GIT_DESCRIBE "unknown")
if(GIT_FOUND AND EXISTS ${CMAKE_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE CODEMORPH_GIT_DESCRIBE
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT CODEMORPH_GIT_DESCRIBE)
    set(CODEMORPH_GIT_DESCRIBE "unknown")
  endif()
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
               ${CMAKE_BINARY_DIR}/generated/codemorph/version.h @ONLY)
