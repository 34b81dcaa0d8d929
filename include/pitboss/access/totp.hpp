#pragma once
/// @file
/// One-time passwords for operator two-factor sign-in: HOTP (RFC 4226) and TOTP (RFC 6238).
///
/// Pure functions of the key and the time given; nothing here reads a clock or stores state.
/// Replay protection belongs to the caller: verify_totp returns the time step it matched so the
/// caller can refuse a step it has already accepted.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pitboss/core/time.hpp"

namespace pitboss::access {

/// The HMAC hash behind the codes; authenticator apps universally support kSha1.
enum class TotpAlgorithm { kSha1, kSha256, kSha512 };

/// How TOTP codes are derived from time.
struct TotpParams {
    TotpAlgorithm algorithm = TotpAlgorithm::kSha1;  ///< HMAC hash
    int digits = 6;                                  ///< code length: 6 or 8
    std::chrono::seconds step{30};                   ///< length of one time step, positive
    std::chrono::seconds t0{0};                      ///< Unix time at which counting starts
};

/// Throws ValidationError("digits") unless 6 or 8, ValidationError("step") unless positive.
void validate(const TotpParams& params);

/// The RFC 4226 HOTP code for `counter`, zero-padded to `digits` (6 to 8, else
/// ValidationError("digits")).
[[nodiscard]] std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter, int digits,
                               TotpAlgorithm algorithm = TotpAlgorithm::kSha1);

/// The RFC 6238 time step containing `at`; throws ValidationError("at") before `params.t0`.
[[nodiscard]] std::int64_t totp_counter(Timestamp at, const TotpParams& params = {});

/// The RFC 6238 TOTP code valid at `at`.
[[nodiscard]] std::string totp(std::span<const std::uint8_t> key, Timestamp at,
                               const TotpParams& params = {});

/// Checks `code` against the steps within `drift_steps` of the one containing `at`.
///
/// Returns the matched time-step counter (store it; refuse a later code whose step is not
/// greater, so a code cannot be replayed), or nullopt when the code does not match or is not
/// exactly `params.digits` ASCII digits. Every candidate is compared in constant time and all
/// candidates are computed, so timing reveals neither which step matched nor how much of the
/// code was right. Throws ValidationError for invalid params or a negative `drift_steps`.
[[nodiscard]] std::optional<std::int64_t> verify_totp(std::span<const std::uint8_t> key,
                                                      std::string_view code, Timestamp at,
                                                      const TotpParams& params = {},
                                                      int drift_steps = 1);

/// A shared TOTP secret; its bytes are wiped from memory on destruction.
class TotpSecret {
public:
    /// Takes ownership of raw key bytes.
    explicit TotpSecret(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
    /// Parses the Base32 text form (case-insensitive, padding optional); throws
    /// ValidationError("secret") when malformed or empty.
    [[nodiscard]] static TotpSecret from_base32(std::string_view text);

    /// Copies the key bytes.
    TotpSecret(const TotpSecret&) = default;
    /// Copies the key bytes.
    TotpSecret& operator=(const TotpSecret&) = default;
    /// Takes over the key bytes.
    TotpSecret(TotpSecret&&) noexcept = default;
    /// Takes over the key bytes.
    TotpSecret& operator=(TotpSecret&&) noexcept = default;
    ~TotpSecret();

    /// The raw key.
    [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }
    /// Unpadded upper-case Base32, as authenticator apps expect it.
    [[nodiscard]] std::string base32() const;

private:
    std::vector<std::uint8_t> bytes_;
};

/// A fresh random secret from OpenSSL's CSPRNG, sized to the hash as RFC 6238 recommends: 20
/// bytes for SHA-1, 32 for SHA-256, 64 for SHA-512. Throws Error(kInternal) if the generator
/// fails.
[[nodiscard]] TotpSecret generate_totp_secret(TotpAlgorithm algorithm = TotpAlgorithm::kSha1);

/// The `otpauth://totp/...` enrolment URI of the Google Authenticator key-uri format.
///
/// The label is "issuer:account" with each part percent-encoded; the query carries secret
/// (canonical unpadded Base32), issuer, algorithm, digits and period. Throws
/// ValidationError("issuer") / ("account") when empty or containing ':',
/// ValidationError("secret") when `secret_base32` is not valid Base32, and ValidationError("t0")
/// for a non-zero t0, which the format cannot express.
[[nodiscard]] std::string otpauth_uri(std::string_view issuer, std::string_view account,
                                      std::string_view secret_base32,
                                      const TotpParams& params = {});

/// "SHA1", "SHA256" or "SHA512", as spelled in otpauth URIs.
[[nodiscard]] std::string_view to_string(TotpAlgorithm algorithm) noexcept;

}  // namespace pitboss::access
