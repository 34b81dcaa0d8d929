#include "pitboss/players/player.hpp"

#include <array>
#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::players {
namespace {

constexpr std::array<std::pair<PlayerStatus, std::string_view>, 4> kStatusNames = {{
    {PlayerStatus::kActive, "active"},
    {PlayerStatus::kBlocked, "blocked"},
    {PlayerStatus::kSelfExcluded, "self_excluded"},
    {PlayerStatus::kClosed, "closed"},
}};

Json optional_text(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

}  // namespace

std::string_view to_string(PlayerStatus status) noexcept {
    for (const auto& [value, name] : kStatusNames) {
        if (value == status) return name;
    }
    return "unknown";
}

PlayerStatus parse_player_status(std::string_view text) {
    for (const auto& [value, name] : kStatusNames) {
        if (name == text) return value;
    }
    throw ValidationError("status", "must be active, blocked, self_excluded or closed");
}

Json to_json(const Player& player) {
    return Json{
        {"id", player.id.value()},
        {"external_id", player.external_id},
        {"brand", player.brand},
        {"email", optional_text(player.email)},
        {"phone", optional_text(player.phone)},
        {"country", player.country},
        {"birth_date", format_date(player.birth_date)},
        {"currency", player.currency},
        {"language", player.language},
        {"traffic_source", optional_text(player.traffic_source)},
        {"affiliate_id", optional_text(player.affiliate_id)},
        {"registered_at", format_timestamp(player.registered_at)},
        {"consents",
         {{"email", player.consents.email},
          {"sms", player.consents.sms},
          {"push", player.consents.push},
          {"messenger", player.consents.messenger}}},
        {"status", to_string(player.status)},
        {"tags", player.tags},
        {"updated_at", format_timestamp(player.updated_at)},
        {"version", player.version},
    };
}

}  // namespace pitboss::players
