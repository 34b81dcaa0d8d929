#pragma once
// Pure rules for changing a stored profile: applying a partial update, naming what changed,
// and which status transitions are allowed.

#include <string>
#include <vector>

#include "pitboss/players/player.hpp"

namespace pitboss::players {

/// `player` with the update's set fields applied; an empty string clears a nullable field.
/// Does not touch version or updated_at.
[[nodiscard]] Player apply_update(Player player, const PlayerUpdate& update);

/// Names of the profile fields that differ between two versions, in declaration order
/// (e.g. {"email", "tags"}).
[[nodiscard]] std::vector<std::string> changed_fields(const Player& before, const Player& after);

/// Throws PreconditionError unless an account may move from `from` to `to`: a closed account
/// stays closed, a self-excluded one may only be closed, and the status must change.
void check_status_transition(PlayerId id, PlayerStatus from, PlayerStatus to);

}  // namespace pitboss::players
