#include "pitboss/access/totp.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "pitboss/core/error.hpp"

using pitboss::Timestamp;
using pitboss::ValidationError;
using pitboss::access::generate_totp_secret;
using pitboss::access::hotp;
using pitboss::access::otpauth_uri;
using pitboss::access::totp;
using pitboss::access::TotpAlgorithm;
using pitboss::access::TotpParams;
using pitboss::access::TotpSecret;
using pitboss::access::verify_totp;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

// RFC 6238 Appendix A: the seed for each hash is "1234567890" repeated to the hash's length.
std::vector<std::uint8_t> rfc6238_seed(TotpAlgorithm algorithm) {
    switch (algorithm) {
        case TotpAlgorithm::kSha1:
            return bytes_of("12345678901234567890");
        case TotpAlgorithm::kSha256:
            return bytes_of("12345678901234567890123456789012");
        case TotpAlgorithm::kSha512:
            return bytes_of("1234567890123456789012345678901234567890123456789012345678901234");
    }
    return {};
}

Timestamp at_unix_seconds(std::int64_t seconds) { return Timestamp(std::chrono::seconds(seconds)); }

const std::vector<std::uint8_t> kRfc4226Key = bytes_of("12345678901234567890");

}  // namespace

TEST_CASE("access: hotp matches every RFC 4226 Appendix D value", "[access]") {
    const std::vector<std::string> expected = {"755224", "287082", "359152", "969429", "338314",
                                               "254676", "287922", "162583", "399871", "520489"};
    for (std::uint64_t counter = 0; counter < expected.size(); ++counter) {
        INFO("counter " << counter);
        CHECK(hotp(kRfc4226Key, counter, 6, TotpAlgorithm::kSha1) == expected[counter]);
    }
}

TEST_CASE("access: totp matches every RFC 6238 Appendix B value", "[access]") {
    using Row = std::tuple<std::int64_t, TotpAlgorithm, const char*>;
    const std::vector<Row> rows = {
        {59, TotpAlgorithm::kSha1, "94287082"},
        {59, TotpAlgorithm::kSha256, "46119246"},
        {59, TotpAlgorithm::kSha512, "90693936"},
        {1111111109, TotpAlgorithm::kSha1, "07081804"},
        {1111111109, TotpAlgorithm::kSha256, "68084774"},
        {1111111109, TotpAlgorithm::kSha512, "25091201"},
        {1111111111, TotpAlgorithm::kSha1, "14050471"},
        {1111111111, TotpAlgorithm::kSha256, "67062674"},
        {1111111111, TotpAlgorithm::kSha512, "99943326"},
        {1234567890, TotpAlgorithm::kSha1, "89005924"},
        {1234567890, TotpAlgorithm::kSha256, "91819424"},
        {1234567890, TotpAlgorithm::kSha512, "93441116"},
        {2000000000, TotpAlgorithm::kSha1, "69279037"},
        {2000000000, TotpAlgorithm::kSha256, "90698825"},
        {2000000000, TotpAlgorithm::kSha512, "38618901"},
        {20000000000, TotpAlgorithm::kSha1, "65353130"},
        {20000000000, TotpAlgorithm::kSha256, "77737706"},
        {20000000000, TotpAlgorithm::kSha512, "47863826"},
    };
    for (const auto& [seconds, algorithm, code] : rows) {
        INFO("time " << seconds << ", " << to_string(algorithm));
        const TotpParams params{.algorithm = algorithm, .digits = 8};
        const auto key = rfc6238_seed(algorithm);
        CHECK(totp(key, at_unix_seconds(seconds), params) == code);
        CHECK(verify_totp(key, code, at_unix_seconds(seconds), params, 0).has_value());
    }
}

TEST_CASE("access: totp uses whole steps of the time since t0", "[access]") {
    const auto key = rfc6238_seed(TotpAlgorithm::kSha1);
    const TotpParams eight{.digits = 8};
    // 59.999 s is still step 1; 60 s is step 2.
    CHECK(totp(key, Timestamp(std::chrono::milliseconds(59'999)), eight) == "94287082");
    CHECK(totp(key, at_unix_seconds(60), eight) != "94287082");
    CHECK(pitboss::access::totp_counter(at_unix_seconds(60), eight) == 2);
    const TotpParams shifted{.digits = 8, .t0 = std::chrono::seconds(1000)};
    CHECK(totp(key, at_unix_seconds(1059), shifted) == "94287082");
    CHECK_THROWS_AS(totp(key, at_unix_seconds(999), shifted), ValidationError);
}

TEST_CASE("access: verify_totp accepts one step of drift and returns the matched step",
          "[access]") {
    const auto key = rfc6238_seed(TotpAlgorithm::kSha1);
    const TotpParams params;
    const Timestamp now = at_unix_seconds(1234567890);  // step 41152263
    const std::int64_t step = 41152263;
    const auto code_at = [&](std::int64_t counter) {
        return hotp(key, static_cast<std::uint64_t>(counter), 6);
    };
    CHECK(verify_totp(key, code_at(step), now, params) == step);
    CHECK(verify_totp(key, code_at(step - 1), now, params) == step - 1);
    CHECK(verify_totp(key, code_at(step + 1), now, params) == step + 1);
    CHECK_FALSE(verify_totp(key, code_at(step - 2), now, params));
    CHECK_FALSE(verify_totp(key, code_at(step + 2), now, params));
    CHECK_FALSE(verify_totp(key, code_at(step - 1), now, params, 0));
    CHECK(verify_totp(key, code_at(step + 2), now, params, 2) == step + 2);
    CHECK_THROWS_AS(verify_totp(key, code_at(step), now, params, -1), ValidationError);
}

TEST_CASE("access: verify_totp refuses codes of the wrong shape", "[access]") {
    const auto key = rfc6238_seed(TotpAlgorithm::kSha1);
    const Timestamp now = at_unix_seconds(59);
    const TotpParams eight{.digits = 8};
    REQUIRE(verify_totp(key, "94287082", now, eight));
    CHECK_FALSE(verify_totp(key, "4287082", now, eight));    // too short
    CHECK_FALSE(verify_totp(key, "942870820", now, eight));  // too long
    CHECK_FALSE(verify_totp(key, "287082", now, eight));     // the 6-digit code, 8 expected
    CHECK_FALSE(verify_totp(key, "9428708a", now, eight));
    CHECK_FALSE(verify_totp(key, " 4287082", now, eight));
    CHECK_FALSE(verify_totp(key, "9428708\xD9", now, eight));
    CHECK_FALSE(verify_totp(key, "", now, eight));
    CHECK_FALSE(verify_totp(key, "94287083", now, eight));
    // The 6-digit code at the same moment is the last six digits.
    CHECK(verify_totp(key, "287082", now, TotpParams{}) == 1);
}

TEST_CASE("access: totp parameters are validated", "[access]") {
    const auto key = rfc6238_seed(TotpAlgorithm::kSha1);
    const Timestamp now = at_unix_seconds(59);
    CHECK_THROWS_AS(totp(key, now, TotpParams{.digits = 7}), ValidationError);
    CHECK_THROWS_AS(totp(key, now, TotpParams{.digits = 5}), ValidationError);
    CHECK_THROWS_AS(totp(key, now, TotpParams{.step = std::chrono::seconds(0)}), ValidationError);
    CHECK_THROWS_AS(verify_totp(key, "123456", now, TotpParams{.digits = 9}), ValidationError);
    CHECK_THROWS_AS(hotp(key, 0, 5), ValidationError);
    CHECK_THROWS_AS(hotp(key, 0, 9), ValidationError);
    CHECK(hotp(key, 0, 7) == "4755224");
}

TEST_CASE("access: generated totp secrets are random, sized to the hash and round-trip",
          "[access]") {
    const TotpSecret a = generate_totp_secret();
    const TotpSecret b = generate_totp_secret();
    CHECK(a.bytes().size() == 20);
    CHECK(a.base32() != b.base32());
    CHECK(a.base32().size() == 32);
    CHECK(a.base32().find('=') == std::string::npos);
    CHECK(generate_totp_secret(TotpAlgorithm::kSha256).bytes().size() == 32);
    CHECK(generate_totp_secret(TotpAlgorithm::kSha512).bytes().size() == 64);
    const TotpSecret parsed = TotpSecret::from_base32(a.base32());
    CHECK(std::vector<std::uint8_t>(parsed.bytes().begin(), parsed.bytes().end()) ==
          std::vector<std::uint8_t>(a.bytes().begin(), a.bytes().end()));
}

TEST_CASE("access: a totp secret parses from Base32 text", "[access]") {
    const TotpSecret secret = TotpSecret::from_base32("gezdgnbvgy3tqojqgezdgnbvgy3tqojq");
    CHECK(totp(secret.bytes(), at_unix_seconds(59), TotpParams{.digits = 8}) == "94287082");
    CHECK(secret.base32() == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    CHECK_THROWS_AS(TotpSecret::from_base32(""), ValidationError);
    CHECK_THROWS_AS(TotpSecret::from_base32("GEZDGNBV GY3TQOJQ"), ValidationError);
}

TEST_CASE("access: otpauth_uri follows the key-uri format", "[access]") {
    CHECK(otpauth_uri("Pitboss Casino", "alice@example.com", "jbswy3dpehpk3pxp") ==
          "otpauth://totp/Pitboss%20Casino:alice%40example.com?secret=JBSWY3DPEHPK3PXP"
          "&issuer=Pitboss%20Casino&algorithm=SHA1&digits=6&period=30");
    const TotpParams params{
        .algorithm = TotpAlgorithm::kSha512, .digits = 8, .step = std::chrono::seconds(60)};
    CHECK(otpauth_uri("A&B", "bob", "MZXW6YTBOI======", params) ==
          "otpauth://totp/A%26B:bob?secret=MZXW6YTBOI&issuer=A%26B&algorithm=SHA512&digits=8"
          "&period=60");
}

TEST_CASE("access: otpauth_uri rejects what the format cannot carry", "[access]") {
    CHECK_THROWS_AS(otpauth_uri("", "bob", "JBSWY3DPEHPK3PXP"), ValidationError);
    CHECK_THROWS_AS(otpauth_uri("Pit:boss", "bob", "JBSWY3DPEHPK3PXP"), ValidationError);
    CHECK_THROWS_AS(otpauth_uri("Pitboss", "b:ob", "JBSWY3DPEHPK3PXP"), ValidationError);
    CHECK_THROWS_AS(otpauth_uri("Pitboss", "", "JBSWY3DPEHPK3PXP"), ValidationError);
    CHECK_THROWS_AS(otpauth_uri("Pitboss", "bob", "JBSWY3DPEHPK3PX1"), ValidationError);
    CHECK_THROWS_AS(otpauth_uri("Pitboss", "bob", "JBSWY3DPEHPK3PXP",
                                TotpParams{.t0 = std::chrono::seconds(5)}),
                    ValidationError);
}
