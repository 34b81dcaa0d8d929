#include "players/player_validation.hpp"

#include <algorithm>
#include <chrono>

#include "pitboss/core/error.hpp"
#include "pitboss/core/money.hpp"
#include "players/iso_codes.hpp"

namespace pitboss::players {
namespace {

bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
bool is_visible(char c) noexcept { return c >= '!' && c <= '~'; }
bool is_printable(char c) noexcept { return c >= ' ' && c <= '~'; }

// [a-z0-9_-]{1,max}: the shape of brands and tags.
bool is_slug(std::string_view text, std::size_t max) noexcept {
    return !text.empty() && text.size() <= max && std::all_of(text.begin(), text.end(), [](char c) {
        return is_lower_alnum(c) || c == '_' || c == '-';
    });
}

// RFC 5322 "atext": the characters of an unquoted local part, besides dots.
bool is_atext(char c) noexcept {
    return is_alnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool is_dot_atom(std::string_view text) noexcept {
    if (text.empty() || text.front() == '.' || text.back() == '.') return false;
    if (text.find("..") != std::string_view::npos) return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || is_atext(c); });
}

bool is_domain_label(std::string_view label) noexcept {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    return std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

// Dot-separated labels, at least two, the last alphabetic and 2+ letters long.
bool is_domain(std::string_view domain) noexcept {
    const auto last_dot = domain.rfind('.');
    if (last_dot == std::string_view::npos) return false;
    const auto tld = domain.substr(last_dot + 1);
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_alpha)) return false;
    std::size_t start = 0;
    while (start <= domain.size()) {
        const auto dot = std::min(domain.find('.', start), domain.size());
        if (!is_domain_label(domain.substr(start, dot - start))) return false;
        start = dot + 1;
    }
    return true;
}

[[noreturn]] void fail(std::string_view field, const std::string& message) {
    throw ValidationError(std::string(field), message);
}

template <class F>
void validate_nullable(const std::optional<std::string>& value, F&& validate) {
    if (value && !value->empty()) validate(*value);
}

}  // namespace

void validate_external_id(std::string_view external_id) {
    if (external_id.empty()) fail("external_id", "must not be empty");
    if (external_id.size() > kMaxExternalIdLength)
        fail("external_id", "longer than 128 characters");
    if (!std::all_of(external_id.begin(), external_id.end(), is_visible)) {
        fail("external_id", "must be visible ASCII characters without spaces");
    }
}

void validate_brand(std::string_view brand) {
    if (!is_slug(brand, kMaxBrandLength)) fail("brand", "must be 1-40 of [a-z0-9_-]");
}

void validate_country(std::string_view country) {
    if (!is_iso_country(country)) fail("country", "not an ISO 3166-1 alpha-2 code");
}

void validate_birth_date(Date birth_date, Date today) {
    using std::chrono::year;
    if (!birth_date.ok()) fail("birth_date", "not a valid calendar date");
    if (birth_date > today) fail("birth_date", "is in the future");
    if (birth_date.year() < year(1900)) fail("birth_date", "is before 1900-01-01");
    if (age_in_years(birth_date, today) < kMinimumAge) fail("birth_date", "player is under 18");
}

void validate_email(std::string_view email) {
    if (email.size() > kMaxEmailLength) fail("email", "longer than 254 characters");
    const auto at = email.find('@');
    if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
        fail("email", "must contain exactly one '@'");
    }
    const auto local = email.substr(0, at);
    if (local.size() > 64 || !is_dot_atom(local)) fail("email", "malformed local part");
    if (!is_domain(email.substr(at + 1))) fail("email", "malformed domain");
}

void validate_phone(std::string_view phone) {
    const auto digits = phone.empty() ? phone : phone.substr(1);
    const bool ok = phone.size() >= 2 && phone.front() == '+' && digits.size() >= 7 &&
                    digits.size() <= 15 && digits.front() != '0' &&
                    std::all_of(digits.begin(), digits.end(), is_digit);
    if (!ok) fail("phone", "not an E.164 number (+ and 7-15 digits)");
}

void validate_currency(std::string_view currency) {
    if (!Currency::is_known(currency)) fail("currency", "not an ISO 4217 code");
}

void validate_language(std::string_view language) {
    if (!is_iso_language(language)) fail("language", "not an ISO 639-1 code");
}

void validate_label(std::string_view field, std::string_view value) {
    if (value.empty() || value.size() > kMaxLabelLength) fail(field, "must be 1-128 characters");
    if (!std::all_of(value.begin(), value.end(), is_printable)) {
        fail(field, "must be printable ASCII");
    }
    if (value.front() == ' ' || value.back() == ' ') fail(field, "has leading or trailing spaces");
}

std::vector<std::string> normalize_tags(std::vector<std::string> tags) {
    for (const auto& tag : tags) {
        if (!is_slug(tag, kMaxTagLength)) fail("tags", "each tag must be 1-40 of [a-z0-9_-]");
    }
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    if (tags.size() > kMaxTags) fail("tags", "more than 50 tags");
    return tags;
}

void validate_reason(std::string_view reason) {
    if (reason.empty() || reason.size() > kMaxReasonLength) {
        fail("reason", "must be 1-500 characters");
    }
    if (std::all_of(reason.begin(), reason.end(), [](char c) { return c == ' '; })) {
        fail("reason", "must not be blank");
    }
    if (std::any_of(reason.begin(), reason.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        fail("reason", "must not contain control characters");
    }
}

NewPlayer validated(NewPlayer input, Timestamp now) {
    validate_external_id(input.external_id);
    validate_brand(input.brand);
    validate_nullable(input.email, validate_email);
    if (input.email && input.email->empty()) fail("email", "must not be empty (omit it instead)");
    validate_nullable(input.phone, validate_phone);
    if (input.phone && input.phone->empty()) fail("phone", "must not be empty (omit it instead)");
    validate_country(input.country);
    validate_birth_date(input.birth_date, utc_date(now));
    validate_currency(input.currency);
    validate_language(input.language);
    if (input.traffic_source) validate_label("traffic_source", *input.traffic_source);
    if (input.affiliate_id) validate_label("affiliate_id", *input.affiliate_id);
    if (input.registered_at && *input.registered_at > now) {
        fail("registered_at", "is in the future");
    }
    input.tags = normalize_tags(std::move(input.tags));
    return input;
}

PlayerUpdate validated(PlayerUpdate update, Timestamp now) {
    validate_nullable(update.email, validate_email);
    validate_nullable(update.phone, validate_phone);
    if (update.country) validate_country(*update.country);
    if (update.birth_date) validate_birth_date(*update.birth_date, utc_date(now));
    if (update.language) validate_language(*update.language);
    validate_nullable(update.traffic_source,
                      [](std::string_view v) { validate_label("traffic_source", v); });
    validate_nullable(update.affiliate_id,
                      [](std::string_view v) { validate_label("affiliate_id", v); });
    if (update.tags) update.tags = normalize_tags(std::move(*update.tags));
    if (update.expected_version && *update.expected_version < 1) {
        fail("expected_version", "must be 1 or more");
    }
    return update;
}

}  // namespace pitboss::players
