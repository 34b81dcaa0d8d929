#pragma once
/// @file
/// The bundled list of common passwords (src/access/common_passwords.txt, embedded at build
/// time by src/access/CMakeLists.txt).

#include <string_view>

namespace pitboss::access {

/// The list file's text: one lower-case password per line.
[[nodiscard]] std::string_view common_passwords_text() noexcept;

}  // namespace pitboss::access
