# The checked builds, each configured in a build folder of its own (deploy/test.sh,
# tests/fuzz/run.sh); the normal build is neither.
#   RTD_SANITIZE: ASan + LSan + UBSan on everything, for the unit, actor and integration tests.
#   RTD_FUZZ: clang's libFuzzer harnesses of tests/fuzz, on ASan + UBSan.
option(RTD_SANITIZE "build everything with AddressSanitizer, LeakSanitizer and UBSan" OFF)
option(RTD_FUZZ "build the libFuzzer harnesses of tests/fuzz (needs clang)" OFF)

if(RTD_SANITIZE AND RTD_FUZZ)
  message(FATAL_ERROR "RTD_SANITIZE and RTD_FUZZ go in separate build folders")
endif()
if(RTD_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "RTD_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
endif()

if(RTD_SANITIZE OR RTD_FUZZ)
  # -O1 keeps the runs fast and the stacks readable; line tables (-g1) are all a report needs
  # and compile much faster than full debug information.
  add_compile_options(-O1 -g1 -fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  if(RTD_FUZZ) # coverage for libFuzzer in every library; a harness links its main itself
    add_compile_options(-fsanitize=fuzzer-no-link)
  else()
    # GCC: "sanitizers tend to increase the rate of false positive warnings, most notably
    # those around -Wmaybe-uninitialized" (its manual; seen on std::variant moves).
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  # Every executable carries the sanitizers' options (tests/sanitize/default_options.cpp), so
  # ctest, a test run by hand, the server the integration tests start and a fuzzer all stop
  # at the first report.
  add_library(rtd_sanitizer_options OBJECT ${RTD_ROOT}/tests/sanitize/default_options.cpp)
  target_compile_definitions(rtd_sanitizer_options PRIVATE
    RTD_SANITIZE_DIR="${RTD_ROOT}/tests/sanitize")
  link_libraries(rtd_sanitizer_options)
endif()
