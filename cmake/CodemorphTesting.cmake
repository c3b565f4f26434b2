# codemorph_add_gtest(<name> SOURCES ... LIBS ... [LABELS ...])
# One GoogleTest executable whose cases are registered with ctest one by one. Every test
# gets the label "unit"; add "nosan" to keep a test out of the sanitizer run (say why
# next to the call), "long" for runs that stay out of CI.
include(GoogleTest)
function(codemorph_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  codemorph_warnings(${name})
  gtest_discover_tests(${name}
    PROPERTIES LABELS "unit;${ARG_LABELS}"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    DISCOVERY_TIMEOUT 60)
endfunction()
