#include "pitboss/access/password.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "access/common_passwords.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kTagBytes = 32;
constexpr std::uint32_t kCurrentVersion = ARGON2_VERSION_13;  // "v=19"
constexpr std::size_t kMinLoginForCheck = 3;

struct PhcHeader {
    std::uint32_t version = ARGON2_VERSION_10;  // strings without "v=" predate version 19
    Argon2Params params;
};

// Consumes `prefix` from the front of `text`.
bool consume(std::string_view& text, std::string_view prefix) noexcept {
    if (!text.starts_with(prefix)) return false;
    text.remove_prefix(prefix.size());
    return true;
}

// Consumes "<key>=<decimal>" from the front of `text`.
bool consume_number(std::string_view& text, std::string_view key, std::uint32_t& value) noexcept {
    if (!consume(text, key) || !consume(text, "=")) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end == text.data()) return false;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
}

// Parses "$argon2id$[v=19$]m=..,t=..,p=..$"; the salt and tag are left to libargon2.
std::optional<PhcHeader> parse_header(std::string_view text) noexcept {
    PhcHeader header;
    if (!consume(text, "$argon2id$")) return std::nullopt;
    if (text.starts_with("v=")) {
        if (!consume_number(text, "v", header.version) || !consume(text, "$")) return std::nullopt;
    }
    Argon2Params& p = header.params;
    if (!consume_number(text, "m", p.m_cost_kib) || !consume(text, ",") ||
        !consume_number(text, "t", p.t_cost) || !consume(text, ",") ||
        !consume_number(text, "p", p.parallelism) || !consume(text, "$")) {
        return std::nullopt;
    }
    return header;
}

std::size_t code_points(std::string_view utf8) noexcept {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::vector<std::string_view> load_common_passwords() {
    std::vector<std::string_view> list;
    std::string_view text = common_passwords_text();
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        if (end > 0) list.push_back(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    std::sort(list.begin(), list.end());
    return list;
}

std::array<std::uint8_t, kSaltBytes> random_salt() {
    std::array<std::uint8_t, kSaltBytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        throw Error(ErrorCode::kInternal, "random generator failed");
    }
    return salt;
}

}  // namespace

bool within_verification_limits(const Argon2Params& params) noexcept {
    return params.t_cost <= kMaxVerifyTimeCost && params.m_cost_kib <= kMaxVerifyMemoryKib &&
           params.parallelism <= kMaxVerifyParallelism;
}

void validate(const Argon2Params& params) {
    if (params.t_cost < ARGON2_MIN_TIME) throw ValidationError("t_cost", "must be at least 1");
    if (params.parallelism < ARGON2_MIN_LANES || params.parallelism > ARGON2_MAX_LANES) {
        throw ValidationError("parallelism", "must be between 1 and 2^24-1");
    }
    if (params.m_cost_kib < 8 * params.parallelism) {
        throw ValidationError("m_cost_kib", "must be at least 8 KiB per lane");
    }
}

std::string hash_password(std::string_view password, const Argon2Params& params) {
    validate(params);
    if (password.size() > ARGON2_MAX_PWD_LENGTH) throw ValidationError("password", "too long");
    const auto salt = random_salt();
    std::string encoded(argon2_encodedlen(params.t_cost, params.m_cost_kib, params.parallelism,
                                          kSaltBytes, kTagBytes, Argon2_id),
                        '\0');
    const int rc = argon2id_hash_encoded(params.t_cost, params.m_cost_kib, params.parallelism,
                                         password.data(), password.size(), salt.data(), salt.size(),
                                         kTagBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) {
        throw Error(ErrorCode::kInternal, std::string("argon2id: ") + argon2_error_message(rc));
    }
    encoded.resize(encoded.find('\0'));
    return encoded;
}

bool verify_password(std::string_view password, std::string_view encoded) {
    const std::optional<PhcHeader> header = parse_header(encoded);
    // A stored hash is data: one edited to demand gigabytes or thousands of passes must not
    // turn a sign-in into a denial of service.
    if (!header || !within_verification_limits(header->params)) return false;
    const std::string terminated(encoded);  // libargon2 wants a C string
    return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::optional<Argon2Params> parse_argon2_params(std::string_view encoded) {
    const std::optional<PhcHeader> header = parse_header(encoded);
    if (!header) return std::nullopt;
    return header->params;
}

bool needs_rehash(std::string_view encoded, const Argon2Params& current) {
    const std::optional<PhcHeader> header = parse_header(encoded);
    return !header || header->version != kCurrentVersion || header->params != current;
}

void PasswordPolicy::check(std::string_view password, std::string_view login) const {
    const std::size_t length = code_points(password);
    if (length < min_length) {
        throw ValidationError("password",
                              "must be at least " + std::to_string(min_length) + " characters");
    }
    if (length > max_length) {
        throw ValidationError("password",
                              "must be at most " + std::to_string(max_length) + " characters");
    }
    if (reject_common && is_common_password(password)) {
        throw ValidationError("password", "is too common");
    }
    if (code_points(login) >= kMinLoginForCheck &&
        ascii_lower(password).find(ascii_lower(login)) != std::string::npos) {
        throw ValidationError("password", "must not contain the login name");
    }
}

bool is_common_password(std::string_view password) {
    static const std::vector<std::string_view> kList = load_common_passwords();
    return std::binary_search(kList.begin(), kList.end(), std::string_view(ascii_lower(password)));
}

}  // namespace pitboss::access
