# cmake -DPROGRAM=path -DWORKDIR=dir -P run_in_empty_dir.cmake: runs PROGRAM in a new, empty
# WORKDIR and fails when it exits non-zero.
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")
execute_process(COMMAND "${PROGRAM}" WORKING_DIRECTORY "${WORKDIR}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} exited with ${status}")
endif()
