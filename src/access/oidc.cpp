#include "pitboss/access/oidc.hpp"

#include <algorithm>

namespace pitboss::access {
namespace {

constexpr std::chrono::seconds kMaxLeeway{300};

[[noreturn]] void reject(std::string reason) { throw IdTokenRejected(std::move(reason)); }

std::optional<std::int64_t> numeric_date(const Json& claims, const char* name) {
    const auto it = claims.find(name);
    if (it == claims.end()) return std::nullopt;
    if (!it->is_number_integer()) reject(std::string(name) + "_not_integer");
    return it->get<std::int64_t>();
}

std::vector<std::string> string_list(const Json& claims, const std::string& name) {
    std::vector<std::string> out;
    const auto it = claims.find(name);
    if (it == claims.end()) return out;
    if (it->is_string()) {
        out.push_back(it->get<std::string>());
        return out;
    }
    if (!it->is_array()) reject(name + "_not_list");
    for (const Json& item : *it) {
        if (!item.is_string()) reject(name + "_not_list");
        out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace

void validate(const OidcProvider& p) {
    if (p.issuer.empty()) throw ValidationError("issuer", "must not be empty");
    if (p.client_id.empty()) throw ValidationError("client_id", "must not be empty");
    if (p.allowed_algorithms.empty()) {
        throw ValidationError("allowed_algorithms", "must name RS256, ES256 or both");
    }
    for (const auto& alg : p.allowed_algorithms) {
        if (alg != "RS256" && alg != "ES256") {
            throw ValidationError("allowed_algorithms", "may hold only RS256 and ES256");
        }
    }
    if (p.leeway.count() < 0 || p.leeway > kMaxLeeway) {
        throw ValidationError("leeway", "must be 0-300 seconds");
    }
    if (p.max_age.count() <= 0) throw ValidationError("max_age", "must be positive");
    if (p.username_claim.empty()) throw ValidationError("username_claim", "must not be empty");
    if (p.groups_claim.empty()) throw ValidationError("groups_claim", "must not be empty");
}

IdTokenClaims verify_id_token(std::string_view token, const JsonWebKeySet& keys,
                              const OidcProvider& provider, std::optional<std::string_view> nonce,
                              Timestamp now) {
    validate(provider);
    Jwt jwt;
    try {
        jwt = parse_jwt(token);
    } catch (const ValidationError&) {
        reject("malformed");
    }
    if (const auto failure = verify_signature(jwt, keys, provider.allowed_algorithms, now)) {
        reject(std::string(to_string(*failure)));
    }
    const Json& c = jwt.claims;

    const auto iss = c.find("iss");
    if (iss == c.end() || !iss->is_string() || *iss != provider.issuer) reject("issuer");
    const std::vector<std::string> audiences = string_list(c, "aud");
    if (std::find(audiences.begin(), audiences.end(), provider.client_id) == audiences.end()) {
        reject("audience");
    }
    if (audiences.size() > 1) {
        const auto azp = c.find("azp");
        if (azp == c.end() || !azp->is_string() || azp->get<std::string>() != provider.client_id) {
            reject("authorized_party");
        }
    }

    const std::int64_t now_s = to_unix_millis(now) / 1000;
    const std::int64_t leeway = provider.leeway.count();
    const auto exp = numeric_date(c, "exp");
    if (!exp) reject("exp_missing");
    if (now_s >= *exp + leeway) reject("expired");
    if (const auto nbf = numeric_date(c, "nbf"); nbf && now_s + leeway < *nbf) {
        reject("not_yet_valid");
    }
    const auto iat = numeric_date(c, "iat");
    if (!iat) reject("iat_missing");
    if (*iat > now_s + leeway) reject("issued_in_future");
    if (now_s - *iat > provider.max_age.count() + leeway) reject("too_old");

    if (nonce) {
        const auto claim = c.find("nonce");
        if (claim == c.end() || !claim->is_string() || claim->get<std::string>() != *nonce) {
            reject("nonce");
        }
    }
    const auto sub = c.find("sub");
    if (sub == c.end() || !sub->is_string() || sub->get<std::string>().empty() ||
        sub->get<std::string>().size() > 255) {
        reject("subject");
    }

    IdTokenClaims out;
    out.issuer = iss->get<std::string>();
    out.subject = sub->get<std::string>();
    if (const auto name = c.find(provider.username_claim); name != c.end() && name->is_string()) {
        out.username = name->get<std::string>();
    }
    out.groups = string_list(c, provider.groups_claim);
    out.amr = string_list(c, "amr");
    return out;
}

}  // namespace pitboss::access
