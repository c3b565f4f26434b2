# Runs one guest image on `codemorph interp` and compares stdout with the expected file and
# the exit status with EXIT_STATUS. Usage: cmake -DCODEMORPH=.. -DIMAGE=.. -DEXPECTED=..
# -DEXIT_STATUS=N [-DSTDERR_MATCH=regex] [-DEXTRA_ARGS=a;b] -P run_guest_test.cmake
# EXTRA_ARGS: more `interp` options (e.g. --cms-threshold;0 or --no-translate).
execute_process(COMMAND ${CODEMORPH} interp --max-insns 10000000 ${EXTRA_ARGS} ${IMAGE}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
file(READ ${EXPECTED} want)
if(NOT out STREQUAL want)
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- got:\n${out}--- expected:\n${want}--- stderr:\n${err}")
endif()
if(NOT rc EQUAL EXIT_STATUS)
  message(FATAL_ERROR "exit status ${rc}, expected ${EXIT_STATUS}\nstderr: ${err}")
endif()
if(STDERR_MATCH AND NOT err MATCHES "${STDERR_MATCH}")
  message(FATAL_ERROR "stderr does not match '${STDERR_MATCH}': ${err}")
endif()
if(err)
  message(STATUS "stderr: ${err}")
endif()
