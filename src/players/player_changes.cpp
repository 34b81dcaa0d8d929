#include "players/player_changes.hpp"

#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::players {
namespace {

// Keeps `field` when the update leaves it unset; clears it on an empty string.
void apply_nullable(std::optional<std::string>& field, const std::optional<std::string>& value) {
    if (!value) return;
    field = value->empty() ? std::nullopt : value;
}

template <class T>
void apply(T& field, const std::optional<T>& value) {
    if (value) field = *value;
}

template <class T>
void note_change(std::vector<std::string>& changed, const char* name, const T& a, const T& b) {
    if (!(a == b)) changed.emplace_back(name);
}

}  // namespace

Player apply_update(Player player, const PlayerUpdate& update) {
    apply_nullable(player.email, update.email);
    apply_nullable(player.phone, update.phone);
    apply(player.country, update.country);
    apply(player.birth_date, update.birth_date);
    apply(player.language, update.language);
    apply_nullable(player.traffic_source, update.traffic_source);
    apply_nullable(player.affiliate_id, update.affiliate_id);
    apply(player.consents, update.consents);
    apply(player.tags, update.tags);
    return player;
}

std::vector<std::string> changed_fields(const Player& before, const Player& after) {
    std::vector<std::string> changed;
    note_change(changed, "email", before.email, after.email);
    note_change(changed, "phone", before.phone, after.phone);
    note_change(changed, "country", before.country, after.country);
    note_change(changed, "birth_date", before.birth_date, after.birth_date);
    note_change(changed, "language", before.language, after.language);
    note_change(changed, "traffic_source", before.traffic_source, after.traffic_source);
    note_change(changed, "affiliate_id", before.affiliate_id, after.affiliate_id);
    note_change(changed, "consents", before.consents, after.consents);
    note_change(changed, "tags", before.tags, after.tags);
    note_change(changed, "status", before.status, after.status);
    return changed;
}

void check_status_transition(PlayerId id, PlayerStatus from, PlayerStatus to) {
    const std::string target = "player:" + id.to_string();
    if (from == to) throw PreconditionError(target + " is already " + std::string(to_string(to)));
    if (from == PlayerStatus::kClosed) {
        throw PreconditionError(target + " is closed; a closed account cannot be reopened");
    }
    if (from == PlayerStatus::kSelfExcluded && to != PlayerStatus::kClosed) {
        throw PreconditionError(target +
                                " is self-excluded; self-exclusion ends only through the "
                                "responsible-gambling workflow");
    }
}

}  // namespace pitboss::players
