# Checks that expected-serial.txt contains, verbatim, the workload lines printed by the host
# build of workload.c. Usage: cmake -DHOST=exe -DEXPECTED=file -P check_expected.cmake
execute_process(COMMAND ${HOST} OUTPUT_VARIABLE host_lines RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR host_lines STREQUAL "")
  message(FATAL_ERROR "host workload failed (${rc})")
endif()
file(READ ${EXPECTED} want)
string(FIND "${want}" "${host_lines}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${EXPECTED} does not contain the host's workload lines:\n${host_lines}")
endif()
