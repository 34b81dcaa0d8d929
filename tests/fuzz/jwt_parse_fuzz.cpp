// libFuzzer target for the JWT and JWKS parsers (pitboss/access/jwt.hpp). Invariants:
//  - the only exception parse_jwt and JsonWebKeySet::parse may throw is pitboss::ValidationError;
//  - base64url_decode accepts exactly what base64url_encode produces: decode(encode(x)) == x,
//    and whatever decodes re-encodes to the same text;
//  - a parsed token's signing input is the input up to its last '.', and verifying it against
//    an empty key set never succeeds.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "pitboss/access/jwt.hpp"
#include "pitboss/core/error.hpp"

namespace {

[[noreturn]] void violated(const char* invariant, std::size_t size) {
    std::cerr << "invariant violated (" << invariant << ") for an input of " << size << " bytes\n";
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace pitboss::access;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (const auto decoded = base64url_decode(text)) {
        const std::string bytes(decoded->begin(), decoded->end());
        if (base64url_encode(bytes) != text) violated("decode then encode gives the text", size);
    }
    const auto round = base64url_decode(base64url_encode(text));
    if (!round || std::string(round->begin(), round->end()) != text) {
        violated("encode then decode gives the bytes", size);
    }

    try {
        const Jwt jwt = parse_jwt(text);
        if (text.substr(0, text.rfind('.')) != jwt.signing_input) {
            violated("signing input is the text before the last dot", size);
        }
        static const JsonWebKeySet empty = JsonWebKeySet::parse("{\"keys\":[]}");
        if (!verify_signature(jwt, empty, {"RS256", "ES256"}, pitboss::from_unix_millis(0))) {
            violated("nothing verifies without keys", size);
        }
    } catch (const pitboss::ValidationError&) {
    }
    try {
        (void)JsonWebKeySet::parse(text);
    } catch (const pitboss::ValidationError&) {
    }
    return 0;
}
