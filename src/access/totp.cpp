#include "pitboss/access/totp.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

#include "access/base32.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

const EVP_MD* message_digest(TotpAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case TotpAlgorithm::kSha256:
            return EVP_sha256();
        case TotpAlgorithm::kSha512:
            return EVP_sha512();
        case TotpAlgorithm::kSha1:
            break;
    }
    return EVP_sha1();
}

std::size_t secret_size(TotpAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case TotpAlgorithm::kSha256:
            return 32;
        case TotpAlgorithm::kSha512:
            return 64;
        case TotpAlgorithm::kSha1:
            break;
    }
    return 20;
}

void validate_hotp_digits(int digits) {
    if (digits < 6 || digits > 8) throw ValidationError("digits", "must be 6, 7 or 8");
}

std::uint32_t power_of_ten(int digits) noexcept {
    std::uint32_t result = 1;
    for (int i = 0; i < digits; ++i) result *= 10;
    return result;
}

// RFC 4226 section 5.3: 31 bits taken at the offset named by the low nibble of the last byte.
std::uint32_t dynamic_truncation(std::span<const std::uint8_t> mac) noexcept {
    const std::size_t offset = mac.back() & 0x0FU;
    return (static_cast<std::uint32_t>(mac[offset] & 0x7FU) << 24) |
           (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
           (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
           static_cast<std::uint32_t>(mac[offset + 3]);
}

std::string zero_padded(std::uint32_t value, int digits) {
    std::string code(static_cast<std::size_t>(digits), '0');
    for (auto it = code.rbegin(); it != code.rend(); ++it) {
        *it = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return code;
}

bool is_well_formed(std::string_view code, int digits) noexcept {
    if (code.size() != static_cast<std::size_t>(digits)) return false;
    for (const char c : code) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// RFC 3986 percent-encoding of everything but the unreserved characters (UTF-8 bytes pass
// through byte by byte).
std::string percent_encode(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (is_unreserved(c)) {
            out.push_back(c);
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        out.push_back('%');
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0x0FU]);
    }
    return out;
}

void validate_label_part(std::string_view text, const char* field) {
    if (text.empty()) throw ValidationError(field, "must not be empty");
    if (text.find(':') != std::string_view::npos) {
        throw ValidationError(field, "must not contain ':'");
    }
}

}  // namespace

void validate(const TotpParams& params) {
    if (params.digits != 6 && params.digits != 8) throw ValidationError("digits", "must be 6 or 8");
    if (params.step.count() <= 0) throw ValidationError("step", "must be positive");
}

std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter, int digits,
                 TotpAlgorithm algorithm) {
    validate_hotp_digits(digits);
    std::array<std::uint8_t, 8> message{};
    for (std::size_t i = message.size(); i-- > 0; counter >>= 8) {
        message[i] = static_cast<std::uint8_t>(counter & 0xFFU);
    }
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_size = 0;
    // An empty key still needs a valid pointer for HMAC.
    static constexpr std::uint8_t kNoKey = 0;
    const std::uint8_t* key_data = key.empty() ? &kNoKey : key.data();
    if (HMAC(message_digest(algorithm), key_data, static_cast<int>(key.size()), message.data(),
             message.size(), mac.data(), &mac_size) == nullptr) {
        throw Error(ErrorCode::kInternal, "HMAC computation failed");
    }
    const std::uint32_t truncated = dynamic_truncation(std::span(mac.data(), mac_size));
    return zero_padded(truncated % power_of_ten(digits), digits);
}

std::int64_t totp_counter(Timestamp at, const TotpParams& params) {
    validate(params);
    const std::int64_t since_t0 =
        to_unix_millis(at) - std::chrono::duration_cast<Duration>(params.t0).count();
    if (since_t0 < 0) throw ValidationError("at", "precedes the TOTP epoch t0");
    return since_t0 / std::chrono::duration_cast<Duration>(params.step).count();
}

std::string totp(std::span<const std::uint8_t> key, Timestamp at, const TotpParams& params) {
    const std::int64_t counter = totp_counter(at, params);
    return hotp(key, static_cast<std::uint64_t>(counter), params.digits, params.algorithm);
}

std::optional<std::int64_t> verify_totp(std::span<const std::uint8_t> key, std::string_view code,
                                        Timestamp at, const TotpParams& params, int drift_steps) {
    if (drift_steps < 0) throw ValidationError("drift_steps", "must not be negative");
    const std::int64_t current = totp_counter(at, params);
    if (!is_well_formed(code, params.digits)) return std::nullopt;
    std::optional<std::int64_t> matched;
    for (std::int64_t counter = current - drift_steps; counter <= current + drift_steps;
         ++counter) {
        if (counter < 0) continue;
        const std::string expected =
            hotp(key, static_cast<std::uint64_t>(counter), params.digits, params.algorithm);
        if (CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0 && !matched) {
            matched = counter;
        }
    }
    return matched;
}

TotpSecret TotpSecret::from_base32(std::string_view text) {
    std::vector<std::uint8_t> bytes = base32_decode(text, "secret");
    if (bytes.empty()) throw ValidationError("secret", "must not be empty");
    return TotpSecret(std::move(bytes));
}

TotpSecret::~TotpSecret() {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

std::string TotpSecret::base32() const { return base32_encode(bytes_, /*pad=*/false); }

TotpSecret generate_totp_secret(TotpAlgorithm algorithm) {
    std::vector<std::uint8_t> bytes(secret_size(algorithm));
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw Error(ErrorCode::kInternal, "random generator failed");
    }
    return TotpSecret(std::move(bytes));
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32, const TotpParams& params) {
    validate(params);
    validate_label_part(issuer, "issuer");
    validate_label_part(account, "account");
    if (params.t0.count() != 0) throw ValidationError("t0", "otpauth URIs cannot express it");
    const std::string secret = TotpSecret::from_base32(secret_base32).base32();
    std::string uri = "otpauth://totp/";
    uri += percent_encode(issuer);
    uri += ':';
    uri += percent_encode(account);
    uri += "?secret=" + secret;
    uri += "&issuer=" + percent_encode(issuer);
    uri += "&algorithm=" + std::string(to_string(params.algorithm));
    uri += "&digits=" + std::to_string(params.digits);
    uri += "&period=" + std::to_string(params.step.count());
    return uri;
}

std::string_view to_string(TotpAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case TotpAlgorithm::kSha256:
            return "SHA256";
        case TotpAlgorithm::kSha512:
            return "SHA512";
        case TotpAlgorithm::kSha1:
            break;
    }
    return "SHA1";
}

}  // namespace pitboss::access
