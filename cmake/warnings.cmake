# Warnings as errors, through an INTERFACE target (never global flags).
add_library(pitboss_warnings INTERFACE)
target_compile_options(pitboss_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Werror)
