# UAE_SANITIZE and UAE_FUZZ: instrumentation flags, put on uae_warnings (which every target of the
# project links through uae_core), so core, the CLI, the tests and the fuzz targets agree.
set(UAE_SANITIZERS "")
if(UAE_SANITIZE)
  string(TOLOWER "${UAE_SANITIZE}" UAE_SANITIZERS)
  if(UAE_SANITIZERS MATCHES "^(on|yes|true|y|1)$")
    set(UAE_SANITIZERS "address,undefined")
  endif()
  string(REPLACE "," ";" uae_sanitizer_list "${UAE_SANITIZERS}")
  foreach(s IN LISTS uae_sanitizer_list)
    if(NOT s MATCHES "^(address|undefined|leak|thread|memory|integer|float-divide-by-zero)$")
      message(FATAL_ERROR "UAE_SANITIZE: unknown sanitizer '${s}' (in '${UAE_SANITIZE}'); "
                          "use OFF, ON or a comma list such as address,undefined")
    endif()
  endforeach()
endif()
if(UAE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "UAE_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Fuzz builds always run under ASan+UBSan; core is instrumented for coverage (fuzzer-no-link),
  # only the fuzz targets link libFuzzer's main (-fsanitize=fuzzer, in tests/fuzz).
  if(NOT UAE_SANITIZERS)
    set(UAE_SANITIZERS "address,undefined")
  endif()
  target_compile_options(uae_warnings INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(UAE_SANITIZERS)
  message(STATUS "Sanitizers: ${UAE_SANITIZERS}")
  # -fno-sanitize-recover: a UB report stops the test, so it cannot pass with a finding.
  target_compile_options(uae_warnings INTERFACE -fsanitize=${UAE_SANITIZERS}
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(uae_warnings INTERFACE -fsanitize=${UAE_SANITIZERS})
endif()
