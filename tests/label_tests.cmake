# Gives each test case of one Catch2 executable its CTest labels; run after
# the executable is built (POST_BUILD, next to Catch's own discovery, which
# makes one CTest entry per test case). tests/CMakeLists.txt says what the
# labels mean (ridealong_test_labels) and writes RULES_FILE:
#   label_names              the labels to consider
#   label_spec_<label>       a Catch2 test spec selecting that label's test
#                            cases; run with -# so a source file is the tag
#                            [#<file name without .cc>]
# Writes LABELS_FILE: set_tests_properties(<test> PROPERTIES LABELS ...) for
# every test case; ctest reads it after Catch's list (TEST_INCLUDE_FILES).
#
#   cmake -D TEST_EXECUTABLE=... -D RULES_FILE=... -D LABELS_FILE=... -P label_tests.cmake
cmake_minimum_required(VERSION 3.16)  # script mode: today's list() rules (CMP0007)
foreach(v TEST_EXECUTABLE RULES_FILE LABELS_FILE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "label_tests.cmake: ${v} is not set")
  endif()
endforeach()
include("${RULES_FILE}")

# The names one spec selects (an empty spec: every test, as Catch's discovery
# lists them). Catch exits with the number of tests listed; < 0 is a failure.
function(list_tests spec out)
  set(args "")
  if(NOT spec STREQUAL "")
    set(args "-#" "${spec}")
  endif()
  execute_process(COMMAND "${TEST_EXECUTABLE}" ${args} --list-test-names-only
                  OUTPUT_VARIABLE output RESULT_VARIABLE result)
  if(NOT result MATCHES "^[0-9]+$")
    message(FATAL_ERROR "label_tests.cmake: ${TEST_EXECUTABLE} ${args} --list-test-names-only: ${result}\n${output}")
  endif()
  string(REPLACE "\n" ";" names "${output}")
  list(FILTER names EXCLUDE REGEX "^$")
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

list_tests("" all)
foreach(test IN LISTS all)
  string(MD5 key "${test}")
  set(labels_${key} "")
endforeach()
foreach(label IN LISTS label_names)
  if(label_spec_${label} STREQUAL "")
    continue()
  endif()
  list_tests("${label_spec_${label}}" selected)
  foreach(test IN LISTS selected)
    string(MD5 key "${test}")
    if(DEFINED labels_${key})  # not a hidden test Catch's discovery left out
      list(APPEND labels_${key} ${label})
    endif()
  endforeach()
endforeach()

set(script "")
foreach(test IN LISTS all)
  string(MD5 key "${test}")
  set(script "${script}set_tests_properties([==[${test}]==] PROPERTIES LABELS \"${labels_${key}}\")\n")
endforeach()
file(WRITE "${LABELS_FILE}" "${script}")
