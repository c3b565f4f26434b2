# Runs one suite kernel on `codemorph interp` and checks the exit status (0) and the line it
# prints against the host build's checksum.
# Usage: cmake -DCODEMORPH=.. -DIMAGE=.. -DHOST=.. -DNAME=.. -P run_kernel_test.cmake
execute_process(COMMAND ${HOST} OUTPUT_VARIABLE want RESULT_VARIABLE hrc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT hrc EQUAL 0 OR NOT want MATCHES "^0x[0-9a-f]+$")
  message(FATAL_ERROR "host build ${HOST} failed (${hrc}): ${want}")
endif()
execute_process(COMMAND ${CODEMORPH} interp ${IMAGE}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT out STREQUAL "${NAME}: checksum ${want} ok\n")
  message(FATAL_ERROR "${NAME}: expected \"${NAME}: checksum ${want} ok\", got:\n${out}\nstderr: ${err}")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: exit status ${rc}, expected 0\nstderr: ${err}")
endif()
