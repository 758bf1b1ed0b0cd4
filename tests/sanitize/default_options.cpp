// The sanitizers' options in the RTD_SANITIZE build (cmake/checked_builds.cmake), built into
// every executable: the runtimes ask for them at start, and ASAN_OPTIONS and UBSAN_OPTIONS
// still override them. Any report fails the process: ASan always halts, UBSan is told to, and
// LeakSanitizer's leak report at exit makes the exit code non-zero. No leak is suppressed.

extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:check_initialization_order=1";
}

extern "C" const char* __ubsan_default_options() {
  return "halt_on_error=1:print_stacktrace=1:suppressions=" RTD_SANITIZE_DIR "/ubsan.supp";
}
