#pragma once
/// @file
/// Operator sign-in: passwords, lockout, TOTP two-factor enrolment, recovery codes, sessions.
///
/// Every sign-in, failure, lockout, replayed code, enrolment, password change and session
/// revocation is an audit entry written in the same transaction as the state it describes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pitboss/access/oidc.hpp"
#include "pitboss/access/password.hpp"
#include "pitboss/access/session.hpp"
#include "pitboss/access/totp.hpp"
#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::audit {
class AuditLog;
}

namespace pitboss::access {

class AccessControl;

/// How failed sign-ins lock out an account or a source address.
///
/// After `max_failures` failures (each within `forget_after` of the previous one) the key is
/// locked for `base_lockout`; every further failure doubles the lockout, up to `max_lockout`.
struct LockoutPolicy {
    int max_failures = 5;                          ///< failures before the first lockout, >= 1
    std::chrono::seconds base_lockout{30};         ///< length of the first lockout, > 0
    std::chrono::seconds max_lockout{3600};        ///< longest lockout, >= base_lockout
    std::chrono::seconds forget_after{24 * 3600};  ///< a quiet period that resets the count
};

/// Lifetimes of sessions and of the in-process validation cache.
struct SessionPolicy {
    std::chrono::seconds idle_timeout{30 * 60};        ///< ends a session unused this long
    std::chrono::seconds absolute_timeout{12 * 3600};  ///< ends every session this long after
    std::chrono::seconds cache_ttl{5};  ///< trust a validated session from memory this long; 0: off
    std::chrono::seconds touch_interval{60};  ///< write last_seen_at back at most this often
};

/// Configuration of Identity.
struct IdentityOptions {
    Argon2Params argon2;             ///< cost of new hashes; older hashes are redone at login
    PasswordPolicy password_policy;  ///< rules for new passwords
    LockoutPolicy account_lockout;   ///< per login name (known or not)
    LockoutPolicy source_lockout{20, std::chrono::seconds(30), std::chrono::seconds(3600),
                                 std::chrono::seconds(24 * 3600)};  ///< per source address
    SessionPolicy sessions;                                         ///< timeouts and caching
    std::string totp_issuer = "pitboss";  ///< issuer shown by authenticator apps
    TotpParams totp;                      ///< algorithm, digits and step of new enrolments
    int recovery_code_count = 10;         ///< recovery codes issued with each enrolment, 1-100
    /// Where sessions live; the back office's database when empty.
    std::shared_ptr<SessionStore> session_store;
};

/// What an operator presents to sign in.
struct LoginRequest {
    std::string name;                          ///< login name
    std::string password;                      ///< the password (never stored or logged)
    std::string source_address;                ///< client address, for throttling and audit
    std::optional<std::string> totp_code;      ///< the current authenticator code, if any
    std::optional<std::string> recovery_code;  ///< a single-use recovery code instead
};

/// Why a sign-in was refused.
enum class SignInFailure {
    kInvalidCredentials,       ///< unknown name, wrong password, disabled or no password
    kLockedOut,                ///< too many failures for the account or the source address
    kSecondFactorRequired,     ///< password right; a TOTP or recovery code is needed
    kSecondFactorInvalid,      ///< the code was wrong, replayed, or already used
    kSecondFactorNotEnrolled,  ///< a role demands 2FA but the operator has not enrolled
};

/// "invalid_credentials", "locked_out", "second_factor_required", ... (audit spelling).
[[nodiscard]] std::string_view to_string(SignInFailure failure) noexcept;

/// The AccessDenied login() throws; the message never says whether the name exists.
class SignInRefused : public AccessDenied {
public:
    /// A refusal for `failure`; `retry_after` is set for kLockedOut.
    SignInRefused(SignInFailure failure, std::optional<Timestamp> retry_after);
    /// Why the sign-in was refused.
    [[nodiscard]] SignInFailure failure() const noexcept { return failure_; }
    /// When a locked-out caller may try again.
    [[nodiscard]] std::optional<Timestamp> retry_after() const noexcept { return retry_after_; }

private:
    SignInFailure failure_;
    std::optional<Timestamp> retry_after_;
};

/// A successful sign-in.
struct SignIn {
    std::string token;               ///< the session token (64 hex digits); shown only here
    Session session;                 ///< the new session
    Actor actor;                     ///< the signed-in operator
    bool password_rehashed = false;  ///< the stored hash was redone with current parameters
};

/// A started TOTP enrolment: show the URI (or its QR code) to the operator.
struct TotpEnrolment {
    std::string secret_base32;  ///< the shared secret, unpadded Base32
    std::string otpauth_uri;    ///< `otpauth://totp/...` for authenticator apps
    std::string qr_svg;         ///< the URI as a QR code, an SVG document (qr_code_svg)
};

/// Passwords, two-factor enrolment, sign-in and sessions of operators. Thread-safe.
class Identity {
public:
    /// Works on `db`; `access` authorizes administration and names operators; `audit` records.
    Identity(storage::Database& db, const Clock& clock, AccessControl& access,
             audit::AuditLog& audit, IdentityOptions options = {});
    ~Identity();
    Identity(const Identity&) = delete;
    Identity& operator=(const Identity&) = delete;

    /// The configuration in force.
    [[nodiscard]] const IdentityOptions& options() const noexcept { return options_; }

    /// Sets an operator's password (needs access.manage); checks the policy, hashes with
    /// Argon2id and ends the operator's sessions. ValidationError("password") names the rule.
    void set_password(const Actor& actor, OperatorId id, std::string_view password);
    /// The actor changes their own password, proving the current one (else SignInRefused
    /// kInvalidCredentials, audited); ends all of their sessions.
    void change_password(const Actor& actor, std::string_view current_password,
                         std::string_view new_password);

    /// Signs in: throttles, verifies the password (a dummy hash for unknown names, so timing
    /// does not reveal them), demands the second factor where configured or required by a
    /// role, and opens a session. Throws SignInRefused, after committing its audit entries.
    [[nodiscard]] SignIn login(const LoginRequest& request);

    /// Signs in through OpenID Connect with an ID token from `provider`, checked against its
    /// keys (verify_id_token, with `nonce` when given). The provider's (issuer, subject) names
    /// the operator; at its first sign-in the operator is created (when the provider allows,
    /// the username claim is a free operator name, and some group maps to a role). Mapped roles
    /// are granted and withdrawn to match the token's groups. Roles requiring 2FA need an "amr"
    /// of provider.mfa_methods. Throws SignInRefused (a rejected token is kInvalidCredentials,
    /// its reason audited), after committing its audit entries.
    [[nodiscard]] SignIn login_oidc(const OidcProvider& provider, const JsonWebKeySet& keys,
                                    std::string_view id_token,
                                    std::optional<std::string_view> nonce,
                                    std::string_view source_address);

    /// Starts (or restarts) TOTP enrolment for an operator: the actor itself or a holder of
    /// access.manage. The secret takes effect only once confirmed.
    [[nodiscard]] TotpEnrolment begin_totp_enrolment(const Actor& actor, OperatorId id);
    /// Confirms the pending enrolment with a first code (ValidationError("code") when wrong);
    /// returns fresh single-use recovery codes, replacing any earlier ones.
    [[nodiscard]] std::vector<std::string> confirm_totp_enrolment(const Actor& actor, OperatorId id,
                                                                  std::string_view code);
    /// True when the operator has a confirmed TOTP secret.
    [[nodiscard]] bool totp_enrolled(OperatorId id) const;
    /// True when some role of the operator demands two factors.
    [[nodiscard]] bool second_factor_required(OperatorId id) const;

    /// The actor of a valid session token; refreshes its idle timeout. AccessDenied when the
    /// token is unknown, expired, revoked, or its operator disabled.
    [[nodiscard]] Actor actor_from_token(std::string_view token);
    /// The operator's live sessions, newest first (self, or access.read).
    [[nodiscard]] std::vector<Session> sessions(const Actor& actor, OperatorId id) const;
    /// Ends one session (one's own, or with access.manage); NotFoundError when absent.
    void revoke_session(const Actor& actor, std::string_view session_id);
    /// Ends every session of an operator (self, or access.manage); returns how many.
    std::size_t revoke_sessions(const Actor& actor, OperatorId id);
    /// Ends the session of `token` (sign-out); false when it was not valid.
    bool logout(std::string_view token);

private:
    struct CacheEntry;
    struct Outcome;
    struct Credentials;

    [[nodiscard]] const std::string& dummy_hash() const;
    void forget(const std::vector<std::string>& session_ids);
    [[nodiscard]] Actor validate_in_store(std::uint64_t key, const std::string& token_hash,
                                          Timestamp now);
    void touch(const std::string& session_id, Timestamp at);

    storage::Database& db_;
    const Clock& clock_;
    AccessControl& access_;
    audit::AuditLog& audit_;
    IdentityOptions options_;
    std::shared_ptr<SessionStore> store_;
    mutable std::once_flag dummy_once_;
    mutable std::string dummy_hash_;
    mutable std::shared_mutex cache_mutex_;
    std::unordered_map<std::uint64_t, std::shared_ptr<CacheEntry>> cache_;  // by session id
};

}  // namespace pitboss::access
