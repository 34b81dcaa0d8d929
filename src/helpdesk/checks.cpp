#include "helpdesk/checks.hpp"

#include <algorithm>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk::checks {

void validate_text(std::string_view field, std::string_view text, std::size_t max) {
    if (text.empty() || text.size() > max) {
        throw ValidationError(std::string(field),
                              concat({"must be 1-", std::to_string(max), " characters"}));
    }
}

void validate_name(std::string_view field, std::string_view name) {
    const bool ok =
        !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                   c == '-';
        });
    if (!ok) throw ValidationError(std::string(field), "must be 1-64 of [a-z0-9._-]");
}

std::string concat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view part : parts) out += part;
    return out;
}

void reject(const std::string& field, const std::string& message) {
    throw ValidationError(field, message);
}

}  // namespace pitboss::helpdesk::checks
