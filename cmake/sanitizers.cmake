# AddressSanitizer + UndefinedBehaviorSanitizer, opt-in, through an INTERFACE target.
add_library(pitboss_sanitizers INTERFACE)
if(PITBOSS_SANITIZE)
    target_compile_options(pitboss_sanitizers INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(pitboss_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
