# cmake -DSERVER=rtd-server -DOUTPUT=rtd.ini -DSTATIC_DIR=... -DDATA_DIR=... -P this file
#
# Writes the installed rtd.ini: what `rtd-server --print-config` prints (every option commented
# out, at its default, with its help), with static-dir and data-dir set to the installed paths.
# Generated from the binary so that it never misses or misstates an option.
execute_process(COMMAND ${SERVER} --print-config
  OUTPUT_VARIABLE text
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${SERVER} --print-config failed: ${status}")
endif()

foreach(setting "static-dir=${STATIC_DIR}" "data-dir=${DATA_DIR}")
  string(REGEX MATCH "^[^=]+" name "${setting}")
  string(REGEX REPLACE "^[^=]+=" "" value "${setting}")
  set(commented "\n; ${name} = [^\n]*")
  if(NOT text MATCHES "${commented}")
    message(FATAL_ERROR "--print-config has no ${name} line")
  endif()
  # The installed path replaces the default (static-dir's is a path on the build machine).
  string(REGEX REPLACE "${commented}" "\n${name} = \"${value}\"" text "${text}")
endforeach()

file(WRITE ${OUTPUT} "${text}")
