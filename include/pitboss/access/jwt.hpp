#pragma once
/// @file
/// JSON Web Tokens for OpenID Connect sign-in: compact JWS parsing (RFC 7515), JSON Web Key sets
/// (RFC 7517) and RS256 / ES256 signature checks (RFC 7518), following RFC 8725's advice: the
/// algorithm comes from an allow-list and must match the key's type, never from the token alone.
///
/// Pure functions of their inputs (the time is given); OpenSSL stays behind the interface.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::access {

/// A compact JWS split and decoded, not yet verified.
struct Jwt {
    Json header;                          ///< the JOSE header, a JSON object
    Json claims;                          ///< the payload, a JSON object
    std::string algorithm;                ///< header "alg"
    std::optional<std::string> key_id;    ///< header "kid"
    std::string signing_input;            ///< "<header>.<payload>" as received (base64url)
    std::vector<std::uint8_t> signature;  ///< the decoded signature bytes
};

/// Decodes unpadded base64url (RFC 4648 section 5) strictly; nullopt when malformed.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);
/// Encodes as unpadded base64url.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

/// Splits and decodes a compact JWS (three base64url parts, JSON-object header and payload,
/// a string "alg", at most 16 KiB). Throws ValidationError("token", reason) when malformed.
[[nodiscard]] Jwt parse_jwt(std::string_view compact);

/// One public key of a JWKS, usable for verification.
struct JsonWebKey {
    std::string key_id;                      ///< "kid" (required here)
    std::string key_type;                    ///< "RSA" or "EC"
    std::optional<std::string> algorithm;    ///< "alg" when the set names it
    std::optional<Timestamp> expires_at;     ///< "exp" (NumericDate), a pitboss extension
    std::shared_ptr<const void> public_key;  ///< the OpenSSL key (EVP_PKEY), opaque here
};

/// A parsed JSON Web Key Set.
class JsonWebKeySet {
public:
    /// Parses `{"keys": [...]}`. RSA keys need n and e (modulus of 2048 bits or more), EC keys
    /// crv "P-256" with 32-byte x and y on the curve; every key needs a unique "kid", and a
    /// "use" other than "sig" is refused. Keys of other types ("oct" included) are skipped, so
    /// a symmetric key can never verify anything. Throws ValidationError("jwks", reason).
    [[nodiscard]] static JsonWebKeySet parse(std::string_view json);
    /// The key named `key_id`, or nullptr.
    [[nodiscard]] const JsonWebKey* find(std::string_view key_id) const noexcept;
    /// Number of usable keys.
    [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }

private:
    std::vector<JsonWebKey> keys_;
};

/// Why a token's signature was not accepted.
enum class JwsFailure {
    kAlgorithmNotAllowed,  ///< "none", HS*, or anything outside the allow-list
    kMissingKeyId,         ///< no "kid" in the header
    kUnknownKey,           ///< no key with that "kid"
    kKeyMismatch,          ///< the key's type or "alg" does not match the token's algorithm
    kKeyExpired,           ///< the key's "exp" has passed
    kBadSignature,         ///< malformed (e.g. all-zero ECDSA) or not made by the key
};

/// "algorithm_not_allowed", "unknown_key", ... (audit spelling).
[[nodiscard]] std::string_view to_string(JwsFailure failure) noexcept;

/// Checks the signature of `token` with the key its "kid" names. `allowed` may hold only
/// "RS256" and "ES256" (others: ValidationError("allowed_algorithms")). Returns nullopt when
/// the signature is good, else why not.
[[nodiscard]] std::optional<JwsFailure> verify_signature(const Jwt& token,
                                                         const JsonWebKeySet& keys,
                                                         const std::vector<std::string>& allowed,
                                                         Timestamp now);

}  // namespace pitboss::access
