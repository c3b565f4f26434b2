# Warning flags shared by every codemorph target: codemorph_warnings(<target>).
function(codemorph_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                         -Wno-missing-field-initializers)
  if(CODEMORPH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
