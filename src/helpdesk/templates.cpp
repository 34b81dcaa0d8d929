#include "pitboss/helpdesk/templates.hpp"

#include <algorithm>
#include <cctype>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {
namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return text;
}

// One placeholder found in a body: where it starts and ends (past the closing braces).
struct Found {
    std::size_t begin;
    std::size_t end;
    std::string name;
};

std::vector<Found> scan(std::string_view body, std::string_view field) {
    std::vector<Found> out;
    std::size_t pos = 0;
    while ((pos = body.find("{{", pos)) != std::string_view::npos) {
        const std::size_t close = body.find("}}", pos + 2);
        if (close == std::string_view::npos) {
            throw ValidationError(std::string(field),
                                  "unterminated '{{' at offset " + std::to_string(pos));
        }
        const std::string_view name = trimmed(body.substr(pos + 2, close - pos - 2));
        if (name.empty()) {
            throw ValidationError(std::string(field),
                                  "empty placeholder at offset " + std::to_string(pos));
        }
        const auto& known = known_placeholders();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            throw ValidationError(std::string(field), "unknown placeholder '" + std::string(name) +
                                                          "' at offset " + std::to_string(pos));
        }
        out.push_back({pos, close + 2, std::string(name)});
        pos = close + 2;
    }
    return out;
}

}  // namespace

const std::vector<std::string_view>& known_placeholders() {
    static const std::vector<std::string_view> names = {
        "player.external_id", "player.email",    "player.country", "player.language",
        "player.brand",       "ticket.id",       "ticket.subject", "ticket.status",
        "ticket.priority",    "ticket.category", "agent.name"};
    return names;
}

std::vector<std::string> parse_placeholders(std::string_view body, std::string_view field) {
    std::vector<std::string> names;
    for (auto& found : scan(body, field)) names.push_back(std::move(found.name));
    return names;
}

std::string render_template(std::string_view body, const TemplateValues& values) {
    std::string out;
    out.reserve(body.size());
    std::size_t copied = 0;
    for (const Found& found : scan(body, "body")) {
        const auto it = values.find(found.name);
        if (it == values.end() || it->second.empty()) {
            throw ValidationError(found.name, "has no value for this ticket");
        }
        out.append(body.substr(copied, found.begin - copied));
        out.append(it->second);
        copied = found.end;
    }
    out.append(body.substr(copied));
    return out;
}

}  // namespace pitboss::helpdesk
