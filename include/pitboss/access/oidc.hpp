#pragma once
/// @file
/// OpenID Connect ID-token checks for single sign-on through an enterprise identity provider.
///
/// verify_id_token is pure (the time and the provider's keys are given); Identity::login_oidc
/// uses it to sign operators in, map the provider's groups to pitboss roles and create operators
/// just in time.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pitboss/access/jwt.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::access {

/// One trusted identity provider and how its users become operators.
struct OidcProvider {
    std::string issuer;     ///< the exact "iss" of its tokens
    std::string client_id;  ///< pitboss's client id: must be in "aud"
    std::vector<std::string> allowed_algorithms{"RS256", "ES256"};  ///< subset of these two
    std::chrono::seconds leeway{60};     ///< clock skew tolerated on exp/nbf/iat, 0-300 s
    std::chrono::seconds max_age{3600};  ///< oldest "iat" accepted, positive
    std::string username_claim = "preferred_username";  ///< names a new operator
    std::string groups_claim = "groups";                ///< array of the user's groups
    /// Provider group -> pitboss role. These roles are managed by sign-in: granted while the
    /// token lists the group, taken away when it no longer does. Other roles are left alone.
    std::vector<std::pair<std::string, std::string>> group_roles;
    bool create_operators = true;  ///< create an operator at the first sign-in of a new subject
    /// "amr" values that prove a second factor at the provider (for roles requiring 2FA).
    std::vector<std::string> mfa_methods{"mfa", "otp", "hwk", "swk", "sc"};
};

/// Throws ValidationError naming the field when `provider` is unusable.
void validate(const OidcProvider& provider);

/// What a verified ID token says about its user.
struct IdTokenClaims {
    std::string issuer;               ///< "iss"
    std::string subject;              ///< "sub": the provider's stable user id
    std::string username;             ///< the username claim ("" when absent)
    std::vector<std::string> groups;  ///< the groups claim (empty when absent)
    std::vector<std::string> amr;     ///< authentication methods ("amr", empty when absent)
};

/// An ID token that failed a check; reason() says which, for the audit log.
class IdTokenRejected : public AccessDenied {
public:
    /// A rejection for `reason`, e.g. "expired", "bad_signature", "audience".
    explicit IdTokenRejected(std::string reason)
        : AccessDenied("id token rejected: " + reason), reason_(std::move(reason)) {}
    /// Which check failed.
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::string reason_;
};

/// Verifies an ID token: its signature (jwt.hpp), "iss", "aud" (and "azp" when several
/// audiences), "exp" (required), "nbf", "iat" (required, within max_age) with the provider's
/// leeway, "sub", and "nonce" when `nonce` is given. Throws IdTokenRejected.
[[nodiscard]] IdTokenClaims verify_id_token(std::string_view token, const JsonWebKeySet& keys,
                                            const OidcProvider& provider,
                                            std::optional<std::string_view> nonce, Timestamp now);

}  // namespace pitboss::access
