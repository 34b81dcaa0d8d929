#include "pitboss/access/password.hpp"

#include <argon2.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "pitboss/core/error.hpp"

using pitboss::ValidationError;
using pitboss::access::Argon2Params;
using pitboss::access::hash_password;
using pitboss::access::is_common_password;
using pitboss::access::needs_rehash;
using pitboss::access::parse_argon2_params;
using pitboss::access::PasswordPolicy;
using pitboss::access::verify_password;

namespace {

// Small enough to keep the suite fast under the sanitizers.
constexpr Argon2Params kFast{.t_cost = 1, .m_cost_kib = 1024, .parallelism = 1};

// From the reference implementation's src/test.c (argon2id, v=19, password "password", salt
// "somesalt").
constexpr const char* kReferenceP1 =
    "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
constexpr const char* kReferenceP2 =
    "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";

std::string policy_failure(const PasswordPolicy& policy, const std::string& password,
                           const std::string& login = {}) {
    try {
        policy.check(password, login);
    } catch (const ValidationError& e) {
        CHECK(e.field() == "password");
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("access: a password hash verifies with its password only", "[access]") {
    const std::string encoded = hash_password("correct horse battery staple", kFast);
    CHECK(encoded.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0) == 0);
    CHECK(verify_password("correct horse battery staple", encoded));
    CHECK_FALSE(verify_password("correct horse battery stapl", encoded));
    CHECK_FALSE(verify_password("Correct horse battery staple", encoded));
    CHECK_FALSE(verify_password("", encoded));
}

TEST_CASE("access: the default argon2 parameters hash and verify", "[access]") {
    const std::string encoded = hash_password("tulip-garage-lantern");
    CHECK(encoded.rfind("$argon2id$v=19$m=47104,t=1,p=1$", 0) == 0);
    CHECK(verify_password("tulip-garage-lantern", encoded));
    CHECK_FALSE(needs_rehash(encoded, Argon2Params{}));
}

TEST_CASE("access: each password hash gets its own salt", "[access]") {
    const std::string a = hash_password("same password here", kFast);
    const std::string b = hash_password("same password here", kFast);
    CHECK(a != b);
    CHECK(verify_password("same password here", a));
    CHECK(verify_password("same password here", b));
}

TEST_CASE("access: a tampered password hash is refused", "[access]") {
    const std::string encoded = hash_password("correct horse battery staple", kFast);
    std::string flipped_tag = encoded;
    char& last = flipped_tag[flipped_tag.size() - 2];
    last = last == 'A' ? 'B' : 'A';
    CHECK_FALSE(verify_password("correct horse battery staple", flipped_tag));

    std::string other_params = encoded;
    other_params.replace(other_params.find("t=1"), 3, "t=2");
    CHECK_FALSE(verify_password("correct horse battery staple", other_params));

    std::string other_type = encoded;
    other_type.replace(0, 9, "$argon2i");
    CHECK_FALSE(verify_password("correct horse battery staple", other_type));
    CHECK_FALSE(verify_password("correct horse battery staple", encoded.substr(0, 40)));
    CHECK_FALSE(verify_password("correct horse battery staple", ""));
    CHECK_FALSE(verify_password("correct horse battery staple", "plain text"));
}

TEST_CASE("access: password hashes from the reference implementation verify", "[access]") {
    CHECK(verify_password("password", kReferenceP1));
    CHECK(verify_password("password", kReferenceP2));
    CHECK_FALSE(verify_password("Password", kReferenceP1));
    CHECK_FALSE(verify_password("password", std::string(kReferenceP1).replace(32, 1, "u")));
}

TEST_CASE("access: libargon2 reproduces the RFC 9106 section 5.3 Argon2id vector", "[access]") {
    std::array<std::uint8_t, 32> password{};
    password.fill(0x01);
    std::array<std::uint8_t, 16> salt{};
    salt.fill(0x02);
    std::array<std::uint8_t, 8> secret{};
    secret.fill(0x03);
    std::array<std::uint8_t, 12> associated{};
    associated.fill(0x04);
    std::array<std::uint8_t, 32> tag{};
    argon2_context context{};
    context.out = tag.data();
    context.outlen = tag.size();
    context.pwd = password.data();
    context.pwdlen = password.size();
    context.salt = salt.data();
    context.saltlen = salt.size();
    context.secret = secret.data();
    context.secretlen = secret.size();
    context.ad = associated.data();
    context.adlen = associated.size();
    context.t_cost = 3;
    context.m_cost = 32;
    context.lanes = 4;
    context.threads = 4;
    context.version = ARGON2_VERSION_13;
    context.flags = ARGON2_DEFAULT_FLAGS;
    REQUIRE(argon2_ctx(&context, Argon2_id) == ARGON2_OK);
    const std::array<std::uint8_t, 32> expected = {0x0d, 0x64, 0x0d, 0xf5, 0x8d, 0x78, 0x76, 0x6c,
                                                   0x08, 0xc0, 0x37, 0xa3, 0x4a, 0x8b, 0x53, 0xc9,
                                                   0xd0, 0x1e, 0xf0, 0x45, 0x2d, 0x75, 0xb6, 0x5e,
                                                   0xb5, 0x25, 0x20, 0xe9, 0x6b, 0x01, 0xe6, 0x59};
    CHECK(tag == expected);
}

TEST_CASE("access: needs_rehash compares the stored parameters with the current ones", "[access]") {
    const std::string encoded = hash_password("correct horse battery staple", kFast);
    REQUIRE(parse_argon2_params(encoded) == kFast);
    CHECK_FALSE(needs_rehash(encoded, kFast));
    CHECK(needs_rehash(encoded, Argon2Params{.t_cost = 2, .m_cost_kib = 1024, .parallelism = 1}));
    CHECK(needs_rehash(encoded, Argon2Params{.t_cost = 1, .m_cost_kib = 2048, .parallelism = 1}));
    CHECK(needs_rehash(encoded, Argon2Params{.t_cost = 1, .m_cost_kib = 1024, .parallelism = 2}));
    CHECK(needs_rehash(encoded, Argon2Params{}));
    CHECK(parse_argon2_params(kReferenceP2) ==
          Argon2Params{.t_cost = 2, .m_cost_kib = 256, .parallelism = 2});
    // An old version, another variant or garbage all call for a fresh hash.
    CHECK(needs_rehash("$argon2id$v=16$m=1024,t=1,p=1$c29tZXNhbHQ$AAAA", kFast));
    CHECK(needs_rehash("$argon2id$m=1024,t=1,p=1$c29tZXNhbHQ$AAAA", kFast));
    CHECK(needs_rehash("$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$AAAA", kFast));
    CHECK(needs_rehash("$argon2id$v=19$m=1024,t=x,p=1$c29tZXNhbHQ$AAAA", kFast));
    CHECK(needs_rehash("", kFast));
    CHECK_FALSE(parse_argon2_params("$argon2id$v=19$m=1024,t=1$c29tZXNhbHQ$AAAA"));
}

TEST_CASE("access: invalid argon2 parameters are refused", "[access]") {
    CHECK_THROWS_AS(
        hash_password("x", Argon2Params{.t_cost = 0, .m_cost_kib = 1024, .parallelism = 1}),
        ValidationError);
    CHECK_THROWS_AS(
        hash_password("x", Argon2Params{.t_cost = 1, .m_cost_kib = 1024, .parallelism = 0}),
        ValidationError);
    CHECK_THROWS_AS(
        hash_password("x", Argon2Params{.t_cost = 1, .m_cost_kib = 15, .parallelism = 2}),
        ValidationError);
}

TEST_CASE("access: the password policy enforces length in characters", "[access]") {
    const PasswordPolicy policy;
    CHECK(policy_failure(policy, "tulip-garage") == "");  // 12 characters
    CHECK(policy_failure(policy, "tulip-garag") == "password: must be at least 12 characters");
    CHECK(policy_failure(policy, "") == "password: must be at least 12 characters");
    CHECK(policy_failure(policy, std::string(256, 'k')) == "");
    CHECK(policy_failure(policy, std::string(257, 'k')) ==
          "password: must be at most 256 characters");
    // Twelve two-byte characters are twelve characters; eleven are too few.
    std::string accents;
    for (int i = 0; i < 11; ++i) accents += "\xC3\xA9";
    CHECK(policy_failure(policy, accents) == "password: must be at least 12 characters");
    CHECK(policy_failure(policy, accents + "\xC3\xA9") == "");
}

TEST_CASE("access: the password policy refuses common passwords", "[access]") {
    const PasswordPolicy policy;
    CHECK(policy_failure(policy, "passwordpassword") == "password: is too common");
    CHECK(policy_failure(policy, "PasswordPassword") == "password: is too common");
    CHECK(policy_failure(policy, "qwertyuiop123") == "password: is too common");
    CHECK(policy_failure(policy, "1qaz2wsx3edc") == "password: is too common");
    CHECK(is_common_password("123456"));
    CHECK(is_common_password("password"));
    CHECK(is_common_password("QWERTY"));
    CHECK(is_common_password("iloveyou"));
    CHECK_FALSE(is_common_password("tulip-garage-lantern"));
    CHECK_FALSE(is_common_password(""));
    const PasswordPolicy lenient{.min_length = 6, .max_length = 256, .reject_common = true};
    CHECK(policy_failure(lenient, "dragon") == "password: is too common");
    const PasswordPolicy no_list{.min_length = 6, .max_length = 256, .reject_common = false};
    CHECK(policy_failure(no_list, "dragon") == "");
}

TEST_CASE("access: the password policy refuses a password containing the login", "[access]") {
    const PasswordPolicy policy;
    CHECK(policy_failure(policy, "my-Alice-lantern", "alice") ==
          "password: must not contain the login name");
    CHECK(policy_failure(policy, "alicealicealice", "ALICE") ==
          "password: must not contain the login name");
    CHECK(policy_failure(policy, "my-Alice-lantern", "bob") == "");
    // Logins shorter than three characters are not checked.
    CHECK(policy_failure(policy, "tulip-garage-al", "al") == "");
}

TEST_CASE("access: a stored hash demanding excessive cost is refused without hashing", "[access]") {
    const std::string encoded = hash_password("correct horse battery staple", kFast);
    std::string greedy = encoded;
    greedy.replace(greedy.find("m=1024"), 6, "m=4194304");  // 4 GiB: refused before hashing
    CHECK_FALSE(verify_password("correct horse battery staple", greedy));
    CHECK_FALSE(within_verification_limits(Argon2Params{17, 1024, 1}));
    CHECK_FALSE(within_verification_limits(Argon2Params{1, 1024 * 1024 + 1, 1}));
    CHECK_FALSE(within_verification_limits(Argon2Params{1, 1024, 17}));
    CHECK(within_verification_limits(Argon2Params{}));
}
