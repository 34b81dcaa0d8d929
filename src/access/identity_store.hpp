#pragma once
// All SQL of operator identity (credentials, sign-in throttling, recovery codes, sessions),
// written against storage::Transaction; and the pure lockout arithmetic.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/access/identity.hpp"
#include "pitboss/access/session.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::access::detail {

/// Failures recorded against one throttle key ("account:<name>" or "source:<address>").
struct ThrottleState {
    std::int64_t failures = 0;              ///< consecutive failures not yet forgotten
    Timestamp last_failure_at;              ///< time of the latest failure
    std::optional<Timestamp> locked_until;  ///< end of the current or last lockout
};

/// Throws ValidationError naming `field` + ".max_failures" etc. when out of range.
void validate(const LockoutPolicy& policy, std::string_view field);

/// True when `state` locks its key at `now`.
[[nodiscard]] bool is_locked(const std::optional<ThrottleState>& state, Timestamp now) noexcept;

/// The state after one more failure at `now`: counts reset after `forget_after` of quiet;
/// from the max_failures-th failure on the key locks for base * 2^(failures - max), capped.
[[nodiscard]] ThrottleState after_failure(const std::optional<ThrottleState>& state, Timestamp now,
                                          const LockoutPolicy& policy);

/// Stored credentials of one operator.
struct StoredCredentials {
    std::optional<std::string> password_hash;    ///< Argon2id PHC string
    std::optional<std::string> totp_secret;      ///< confirmed secret, Base32
    std::optional<std::string> totp_pending;     ///< enrolment awaiting its first code
    TotpParams totp;                             ///< parameters of the confirmed secret
    std::optional<std::int64_t> totp_last_step;  ///< highest time step accepted
};

/// SHA-256 of `text` as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view text);

/// The identity tables as seen from one transaction.
class IdentityStore {
public:
    explicit IdentityStore(storage::Transaction& tx) : tx_(tx) {}

    [[nodiscard]] std::optional<StoredCredentials> credentials(OperatorId id);
    void set_password_hash(OperatorId id, std::string_view hash, Timestamp at);
    void set_pending_totp(OperatorId id, std::string_view secret_base32);
    /// Makes the pending secret the confirmed one, with `params` and the step already used.
    void confirm_totp(OperatorId id, const TotpParams& params, std::int64_t step, Timestamp at);
    /// Accepts time step `step` unless a step at or after it was accepted before (replay).
    [[nodiscard]] bool advance_totp_step(OperatorId id, std::int64_t step);

    void replace_recovery_codes(OperatorId id, const std::vector<std::string>& code_hashes);
    /// Marks an unused code as used; false when no unused code has that hash.
    [[nodiscard]] bool use_recovery_code(OperatorId id, std::string_view code_hash, Timestamp at);
    [[nodiscard]] std::int64_t unused_recovery_codes(OperatorId id);

    [[nodiscard]] bool requires_second_factor(OperatorId id);

    [[nodiscard]] std::optional<ThrottleState> throttle(std::string_view key);
    void save_throttle(std::string_view key, const ThrottleState& state);
    void clear_throttle(std::string_view key);
    /// Deletes keys unlocked and quiet since `quiet_since`.
    void purge_throttle(Timestamp quiet_since, Timestamp now);

    /// The operator an identity provider's subject signs in as, if linked.
    [[nodiscard]] std::optional<OperatorId> sso_operator(std::string_view issuer,
                                                         std::string_view subject);
    void link_sso(std::string_view issuer, std::string_view subject, OperatorId id, Timestamp at);

    /// Schema of operator identity: access migration 4.
    [[nodiscard]] static std::string_view schema();

private:
    storage::Transaction& tx_;
};

}  // namespace pitboss::access::detail
