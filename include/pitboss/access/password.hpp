#pragma once
/// @file
/// Operator password hashing (Argon2id, RFC 9106) and the password policy.
///
/// Hashes are PHC strings ("$argon2id$v=19$m=47104,t=1,p=1$<salt>$<hash>") that carry their
/// own salt and parameters, so the parameters can be raised later: verify with the stored
/// string, then re-hash at login when needs_rehash says the parameters are old.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pitboss::access {

/// Argon2id cost parameters.
///
/// The default, m = 46 MiB, t = 1, p = 1 (the first Argon2id setting of the OWASP Password
/// Storage Cheat Sheet), took 45.6 ms median per hash (min 44.6, 15 runs) on the development
/// machine (2 cores busy with compiles, Debian's libargon2 20171227, -O2), meeting the ~50 ms
/// target. Alternatives on the same machine: m = 32 MiB, t = 2: 47.6 ms; m = 64 MiB, t = 1:
/// 74 ms; m = 64 MiB, t = 2: 117 ms; m = 64 MiB, t = 3 (RFC 9106's second recommendation):
/// 170 ms. Each hash records its parameters, so raising them later only needs needs_rehash.
struct Argon2Params {
    std::uint32_t t_cost = 1;          ///< passes over memory, at least 1
    std::uint32_t m_cost_kib = 47104;  ///< memory in KiB, at least 8 per lane
    std::uint32_t parallelism = 1;     ///< lanes (and threads), at least 1

    /// Field-wise equality.
    friend bool operator==(const Argon2Params&, const Argon2Params&) = default;
};

/// The costs a stored hash may demand of verify_password: 16 passes, 1 GiB, 16 lanes.
inline constexpr std::uint32_t kMaxVerifyTimeCost = 16;
inline constexpr std::uint32_t kMaxVerifyMemoryKib = 1024 * 1024;  ///< 1 GiB, in KiB
inline constexpr std::uint32_t kMaxVerifyParallelism = 16;         ///< lanes
/// True when `params` stay within the verification limits above.
[[nodiscard]] bool within_verification_limits(const Argon2Params& params) noexcept;

/// Throws ValidationError naming "t_cost", "m_cost_kib" or "parallelism" when out of range.
void validate(const Argon2Params& params);

/// Hashes with Argon2id, a fresh 16-byte random salt and a 32-byte tag; returns the PHC string.
/// Throws ValidationError for invalid params, Error(kInternal) if hashing fails (e.g. memory).
[[nodiscard]] std::string hash_password(std::string_view password, const Argon2Params& params = {});

/// True when `password` matches the PHC string; false on a mismatch or a malformed or
/// non-Argon2id string. The tag comparison is constant-time.
[[nodiscard]] bool verify_password(std::string_view password, std::string_view encoded);

/// The parameters recorded in an Argon2id PHC string, or nullopt when it is not one.
[[nodiscard]] std::optional<Argon2Params> parse_argon2_params(std::string_view encoded);

/// True when the stored hash should be replaced by one made with `current`: its parameters
/// differ, its version is not 19, or it is not an Argon2id PHC string at all.
[[nodiscard]] bool needs_rehash(std::string_view encoded, const Argon2Params& current);

/// Rules a new operator password must meet; check() throws ValidationError("password", reason).
///
/// Lengths count Unicode code points of the UTF-8 text. The common-password check compares the
/// ASCII-lower-cased password with a bundled list of about 1,000 of the most common passwords.
/// The login check refuses a password containing the login name (case-insensitively) once the
/// login is at least 3 characters long, so a short login does not rule out most passwords.
struct PasswordPolicy {
    std::size_t min_length = 12;   ///< fewest code points allowed
    std::size_t max_length = 256;  ///< most code points allowed (bounds hashing work)
    bool reject_common = true;     ///< refuse passwords on the bundled common list

    /// Throws ValidationError("password", reason) naming the first rule broken.
    void check(std::string_view password, std::string_view login = {}) const;
};

/// True when `password` (ASCII case-insensitively) is on the bundled common-password list.
[[nodiscard]] bool is_common_password(std::string_view password);

}  // namespace pitboss::access
