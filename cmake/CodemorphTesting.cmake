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
  # Extra labels are set after discovery (ctest runs this directory's include files in
  # order): gtest_discover_tests' PROPERTIES splits a list value into separate arguments.
  gtest_discover_tests(${name}
    TEST_LIST ${name}_TESTS
    PROPERTIES LABELS unit
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    DISCOVERY_TIMEOUT 60)
  if(ARG_LABELS)
    set(script ${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake)
    file(WRITE ${script}
      "foreach(t IN LISTS ${name}_TESTS)\n"
      "  set_tests_properties(\"\${t}\" PROPERTIES LABELS \"unit;${ARG_LABELS}\")\n"
      "endforeach()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${script})
  endif()
endfunction()
