#pragma once
/// @file
/// Reply templates: text with `{{placeholder}}` fields filled from the player and the ticket.
/// Parsing and rendering are pure; storage lives in HelpdeskService.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/time.hpp"

namespace pitboss::helpdesk {

/// The placeholders a template may use: player.external_id, player.email, player.country,
/// player.language, player.brand, ticket.id, ticket.subject, ticket.status, ticket.priority,
/// ticket.category, agent.name.
[[nodiscard]] const std::vector<std::string_view>& known_placeholders();

/// The placeholders of `body` in order of appearance (with repeats). Whitespace inside the
/// braces is ignored (`{{ ticket.id }}`). Throws ValidationError(`field`) for an unterminated
/// `{{`, an empty placeholder, or a name not in known_placeholders().
[[nodiscard]] std::vector<std::string> parse_placeholders(std::string_view body,
                                                          std::string_view field = "body");

/// Values for rendering, by placeholder name.
using TemplateValues = std::map<std::string, std::string, std::less<>>;

/// `body` with every placeholder replaced by its value; throws ValidationError("body") as
/// parse_placeholders() does, and ValidationError(name) when `values` lacks a placeholder's
/// value, so a blank never reaches a player.
[[nodiscard]] std::string render_template(std::string_view body, const TemplateValues& values);

/// A stored reply template in one language.
struct ReplyTemplate {
    std::string name;      ///< 1-64 of [a-z0-9._-], e.g. "kyc.documents_received"
    std::string language;  ///< ISO 639-1, lower case
    std::string body;      ///< text with placeholders, 1-20,000 characters
    Timestamp updated_at;  ///< last save (UTC)
};

}  // namespace pitboss::helpdesk
