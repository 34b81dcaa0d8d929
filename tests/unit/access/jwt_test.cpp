// JWT / JWKS parsing and OpenID Connect ID-token checks, with keys and tokens made by OpenSSL
// at test time (tests/support/jwt_keys.hpp).

#include "pitboss/access/jwt.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "pitboss/access/oidc.hpp"
#include "pitboss/core/error.hpp"
#include "support/jwt_keys.hpp"

namespace pitboss::access {
namespace {

using pitboss::testing::hs256_token;
using pitboss::testing::jwks_of;
using pitboss::testing::TestKey;

constexpr std::int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z
const Timestamp kNowTs = from_unix_millis(kNow * 1000);

const TestKey& rsa() {
    static const TestKey key("RSA", "rsa-1");
    return key;
}
const TestKey& ec() {
    static const TestKey key("EC", "ec-1");
    return key;
}

Json claims() {
    return {{"iss", "https://idp.example"},
            {"aud", "pitboss"},
            {"sub", "user-1"},
            {"exp", kNow + 600},
            {"iat", kNow - 10},
            {"nonce", "n-1"},
            {"preferred_username", "alice"},
            {"groups", {"casino-admins", "staff"}},
            {"amr", {"pwd", "mfa"}}};
}

OidcProvider provider() {
    OidcProvider p;
    p.issuer = "https://idp.example";
    p.client_id = "pitboss";
    return p;
}

JsonWebKeySet keys() { return JsonWebKeySet::parse(jwks_of({rsa().jwk(), ec().jwk()})); }

// The reason an ID token is rejected, or "accepted".
std::string verdict(const std::string& token, const OidcProvider& p = provider(),
                    std::optional<std::string_view> nonce = "n-1", Timestamp now = kNowTs) {
    try {
        (void)verify_id_token(token, keys(), p, nonce, now);
        return "accepted";
    } catch (const IdTokenRejected& e) {
        return e.reason();
    }
}

std::string with_signature(const std::string& token, const std::string& raw_signature) {
    return token.substr(0, token.rfind('.') + 1) + base64url_encode(raw_signature);
}

TEST_CASE("access: base64url decoding is strict", "[access][jwt]") {
    CHECK(base64url_encode("a") == "YQ");
    CHECK(base64url_encode("\xfb\xff") == "-_8");
    CHECK(base64url_decode("YQ") == std::vector<std::uint8_t>{'a'});
    CHECK(base64url_decode("-_8") == std::vector<std::uint8_t>{0xfb, 0xff});
    CHECK(base64url_decode("")->empty());
    CHECK_FALSE(base64url_decode("YR"));    // non-zero trailing bits
    CHECK_FALSE(base64url_decode("Y"));     // impossible length
    CHECK_FALSE(base64url_decode("YQ=="));  // padding
    CHECK_FALSE(base64url_decode("+/"));    // the other alphabet
}

TEST_CASE("access: parse_jwt refuses malformed tokens", "[access][jwt]") {
    const std::string good = rsa().token(claims());
    const Jwt jwt = parse_jwt(good);
    CHECK(jwt.algorithm == "RS256");
    CHECK(jwt.key_id == "rsa-1");
    CHECK(jwt.claims["sub"] == "user-1");
    CHECK(jwt.signature.size() == 256);
    const std::string payload = base64url_encode(claims().dump());
    for (const std::string& bad :
         {std::string("a.b"), good + ".x", std::string("..."),
          base64url_encode("[1]") + "." + payload + ".",
          base64url_encode("{\"kid\":\"x\"}") + "." + payload + ".",
          base64url_encode("{\"alg\":7}") + "." + payload + ".",
          base64url_encode("{\"alg\":\"RS256\",\"crit\":[\"x\"]}") + "." + payload + ".",
          base64url_encode("{\"alg\":\"RS256\"}") + ".bm90IGpzb24." + "AA",
          base64url_encode("{\"alg\":\"RS256\"}") + "." + payload + ".A=",
          std::string(17 * 1024, 'a')}) {
        CHECK_THROWS_AS(parse_jwt(bad), ValidationError);
    }
}

TEST_CASE("access: RS256 and ES256 ID tokens verify and yield their claims", "[access][jwt]") {
    const IdTokenClaims rs =
        verify_id_token(rsa().token(claims()), keys(), provider(), "n-1", kNowTs);
    CHECK(rs.issuer == "https://idp.example");
    CHECK(rs.subject == "user-1");
    CHECK(rs.username == "alice");
    CHECK(rs.groups == std::vector<std::string>{"casino-admins", "staff"});
    CHECK(rs.amr == std::vector<std::string>{"pwd", "mfa"});
    CHECK(verdict(ec().token(claims())) == "accepted");
    CHECK(verdict(rsa().token(claims()), provider(), std::nullopt) == "accepted");
}

TEST_CASE("access: signatures are checked the RFC 8725 way", "[access][jwt]") {
    const std::string payload = base64url_encode(claims().dump());
    // alg "none" with an empty signature.
    CHECK(verdict(base64url_encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + payload + ".") ==
          "algorithm_not_allowed");
    // HS256 keyed with the RSA public key's modulus (and its JWK text): key confusion.
    const std::string n = *rsa().jwk()["n"].get_ptr<const std::string*>();
    CHECK(verdict(hs256_token(claims(), "rsa-1", n)) == "algorithm_not_allowed");
    CHECK(verdict(hs256_token(claims(), "rsa-1", rsa().jwk().dump())) == "algorithm_not_allowed");
    // All-zero ECDSA signature (r = s = 0) and zero r alone.
    CHECK(verdict(with_signature(ec().token(claims()), std::string(64, '\0'))) == "bad_signature");
    std::string zero_r = ec().sign("x");
    std::fill(zero_r.begin(), zero_r.begin() + 32, '\0');
    CHECK(verdict(with_signature(ec().token(claims()), zero_r)) == "bad_signature");
    CHECK(verdict(with_signature(ec().token(claims()), std::string(63, '\1'))) == "bad_signature");
    // Outside the allow-list.
    OidcProvider rs_only = provider();
    rs_only.allowed_algorithms = {"RS256"};
    CHECK(verdict(ec().token(claims()), rs_only) == "algorithm_not_allowed");
    CHECK(verdict(rsa().token(claims()), rs_only) == "accepted");
    // Unknown and missing kid.
    CHECK(verdict(rsa().token(claims(), {{"kid", "other"}})) == "unknown_key");
    const std::string no_kid_input =
        base64url_encode(Json{{"alg", "RS256"}}.dump()) + "." + payload;
    CHECK(verdict(no_kid_input + "." + base64url_encode(rsa().sign(no_kid_input))) ==
          "missing_key_id");
    // The EC key named for an RS256 signature: the key type decides, not the header.
    CHECK(verdict(ec().token(claims(), {{"alg", "RS256"}})) == "key_mismatch");
    // A payload changed after signing.
    std::string tampered = rsa().token(claims());
    Json changed = claims();
    changed["sub"] = "admin";
    const auto first = tampered.find('.');
    const auto second = tampered.find('.', first + 1);
    tampered.replace(first + 1, second - first - 1, base64url_encode(changed.dump()));
    CHECK(verdict(tampered) == "bad_signature");
}

TEST_CASE("access: an expired key verifies nothing", "[access][jwt]") {
    Json jwk = rsa().jwk();
    jwk["exp"] = kNow;
    const JsonWebKeySet set = JsonWebKeySet::parse(jwks_of({jwk}));
    const Jwt jwt = parse_jwt(rsa().token(claims()));
    CHECK(verify_signature(jwt, set, {"RS256"}, kNowTs) == JwsFailure::kKeyExpired);
    CHECK_FALSE(verify_signature(jwt, set, {"RS256"}, kNowTs - std::chrono::seconds(1)));
    CHECK_THROWS_AS(verify_signature(jwt, set, {"HS256"}, kNowTs), ValidationError);
}

TEST_CASE("access: issuer, audience, times and nonce are checked", "[access][jwt]") {
    auto claim = [](const char* name, Json value) {
        Json c = claims();
        c[name] = std::move(value);
        return rsa().token(c);
    };
    CHECK(verdict(claim("iss", "https://evil.example")) == "issuer");
    CHECK(verdict(claim("aud", "someone-else")) == "audience");
    CHECK(verdict(claim("aud", {"someone-else", "pitboss"})) == "authorized_party");
    Json two = claims();
    two["aud"] = {"someone-else", "pitboss"};
    two["azp"] = "pitboss";
    CHECK(verdict(rsa().token(two)) == "accepted");

    // exp with 60 s of leeway.
    CHECK(verdict(claim("exp", kNow - 59)) == "accepted");
    CHECK(verdict(claim("exp", kNow - 60)) == "expired");
    Json no_exp = claims();
    no_exp.erase("exp");
    CHECK(verdict(rsa().token(no_exp)) == "exp_missing");
    CHECK(verdict(claim("exp", "soon")) == "exp_not_integer");
    CHECK(verdict(claim("nbf", kNow + 60)) == "accepted");
    CHECK(verdict(claim("nbf", kNow + 61)) == "not_yet_valid");
    CHECK(verdict(claim("iat", kNow + 61)) == "issued_in_future");
    CHECK(verdict(claim("iat", kNow - 3600 - 61)) == "too_old");
    CHECK(verdict(claim("sub", "")) == "subject");

    CHECK(verdict(claim("nonce", "other")) == "nonce");
    Json no_nonce = claims();
    no_nonce.erase("nonce");
    CHECK(verdict(rsa().token(no_nonce)) == "nonce");
    CHECK(verdict(rsa().token(no_nonce), provider(), std::nullopt) == "accepted");
    CHECK(verdict("garbage") == "malformed");
}

TEST_CASE("access: JWKS parsing refuses bad keys and skips unusable ones", "[access][jwt]") {
    CHECK(keys().size() == 2);
    CHECK(keys().find("ec-1") != nullptr);
    CHECK(keys().find("nope") == nullptr);
    CHECK_THROWS_AS(JsonWebKeySet::parse("not json"), ValidationError);
    CHECK_THROWS_AS(JsonWebKeySet::parse("{\"keys\": {}}"), ValidationError);
    CHECK_THROWS_AS(JsonWebKeySet::parse(jwks_of({rsa().jwk(), rsa().jwk()})), ValidationError);

    Json short_rsa = rsa().jwk();
    short_rsa["n"] = base64url_encode(std::string(128, '\x7f'));  // 1024 bits
    CHECK_THROWS_AS(JsonWebKeySet::parse(jwks_of({short_rsa})), ValidationError);
    Json off_curve = ec().jwk();
    std::string y(32, '\0');
    y[31] = 1;
    off_curve["y"] = base64url_encode(y);
    CHECK_THROWS_AS(JsonWebKeySet::parse(jwks_of({off_curve})), ValidationError);
    Json other_curve = ec().jwk();
    other_curve["crv"] = "P-384";
    CHECK_THROWS_AS(JsonWebKeySet::parse(jwks_of({other_curve})), ValidationError);
    Json no_kid = ec().jwk();
    no_kid.erase("kid");
    CHECK_THROWS_AS(JsonWebKeySet::parse(jwks_of({no_kid})), ValidationError);

    const Json oct = {{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}};
    Json encryption = rsa().jwk();
    encryption["use"] = "enc";
    CHECK(JsonWebKeySet::parse(jwks_of({oct, encryption})).size() == 0);
}

TEST_CASE("access: OIDC provider settings are validated", "[access][jwt]") {
    CHECK_NOTHROW(validate(provider()));
    OidcProvider p = provider();
    p.allowed_algorithms = {"RS256", "HS256"};
    CHECK_THROWS_AS(validate(p), ValidationError);
    p = provider();
    p.leeway = std::chrono::seconds(301);
    CHECK_THROWS_AS(validate(p), ValidationError);
    p = provider();
    p.issuer.clear();
    CHECK_THROWS_AS(validate(p), ValidationError);
}

}  // namespace
}  // namespace pitboss::access
