# Runs one suite kernel on `codemorph interp` and checks the exit status (0) and the line it
# prints against the host build's checksum.
# Usage: cmake -DCODEMORPH=.. -DIMAGE=.. -DHOST=.. -DNAME=.. [-DEXTRA_ARGS=a;b]
#              [-DSTATS=FILE] -P run_kernel_test.cmake
# With STATS the run writes its report there and must have had no ILLEGAL rollback (a
# translation using an atom or alias register the configured core does not have).
execute_process(COMMAND ${HOST} OUTPUT_VARIABLE want RESULT_VARIABLE hrc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT hrc EQUAL 0 OR NOT want MATCHES "^0x[0-9a-f]+$")
  message(FATAL_ERROR "host build ${HOST} failed (${hrc}): ${want}")
endif()
if(STATS)
  list(APPEND EXTRA_ARGS --stats-json ${STATS})
endif()
execute_process(COMMAND ${CODEMORPH} interp ${EXTRA_ARGS} ${IMAGE}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT out STREQUAL "${NAME}: checksum ${want} ok\n")
  message(FATAL_ERROR "${NAME}: expected \"${NAME}: checksum ${want} ok\", got:\n${out}\nstderr: ${err}")
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: exit status ${rc}, expected 0\nstderr: ${err}")
endif()
if(STATS)
  file(READ ${STATS} report)
  string(JSON illegal GET "${report}" stats cms.rollbacks.illegal value)
  string(JSON translated GET "${report}" stats cms.insns.translated value)
  if(NOT illegal EQUAL 0)
    message(FATAL_ERROR "${NAME}: ${illegal} ILLEGAL rollbacks: translations used what the core lacks")
  endif()
  if(translated LESS 1000000)
    message(FATAL_ERROR "${NAME}: only ${translated} instructions translated on the reduced core")
  endif()
endif()
