#pragma once
// Input checks and message building shared by the help-desk sources.

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace pitboss::helpdesk::checks {

/// ValidationError(field) unless `text` has 1 to `max` bytes.
void validate_text(std::string_view field, std::string_view text, std::size_t max);

/// ValidationError(field) unless `name` is 1-64 of [a-z0-9._-] (queues, skills, templates,
/// article categories and slugs).
void validate_name(std::string_view field, std::string_view name);

/// Joins parts by appending (GCC 12 misreports `"literal" + std::string&&` at -O3 as an
/// overlapping memcpy, -Wrestrict).
[[nodiscard]] std::string concat(std::initializer_list<std::string_view> parts);

/// Throws ValidationError(field, message).
[[noreturn]] void reject(const std::string& field, const std::string& message);

}  // namespace pitboss::helpdesk::checks
