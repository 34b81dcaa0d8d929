#pragma once
/// @file
/// QR codes as SVG, so an operator can scan a TOTP enrolment URI with an authenticator app.

#include <string>
#include <string_view>

namespace pitboss::access {

/// A QR code of `text` (libqrencode, byte mode, error correction level M, the smallest version
/// that fits) as a standalone SVG document: one user unit per module, a 4-module quiet zone,
/// black modules on a white background. Throws ValidationError("text") when the text is empty,
/// holds a NUL byte, or does not fit in a version-40 code.
[[nodiscard]] std::string qr_code_svg(std::string_view text);

}  // namespace pitboss::access
