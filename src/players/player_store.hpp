#pragma once
// All SQL of the players module, written against storage::Transaction.
//
// Schema (module "players", version 1): one row per profile in `players`, the four marketing
// consents as 0/1 columns, the birth date as ISO text "YYYY-MM-DD" (a calendar date, not an
// instant), times as Unix milliseconds. Tags live in the side table `player_tags(player_id,
// tag)` so segments and filters can join on them with an index.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "pitboss/players/player.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::players {

/// Reads and writes profile rows inside one transaction.
class PlayerStore {
public:
    explicit PlayerStore(storage::Transaction& tx) : tx_(tx) {}

    /// Inserts a validated profile; ConflictError when the external id is taken.
    Player insert(const NewPlayer& input, Timestamp registered_at, Timestamp now);
    /// Inserts validated profiles with few statements; returns their ids in input order.
    /// ConflictError when an external id is taken.
    std::vector<PlayerId> insert_many(const std::vector<NewPlayer>& inputs, Timestamp now);
    /// Writes every mutable field of `player` (including version and updated_at) and replaces
    /// its tags; ConflictError unless the stored version is still `expected_version`.
    void update(const Player& player, std::int64_t expected_version);

    [[nodiscard]] std::optional<Player> find(PlayerId id);
    [[nodiscard]] std::optional<Player> find_by_external_id(std::string_view external_id);
    /// Up to `limit` profiles matching the filter's country/brand/status/tag with ids after
    /// `after`, ordered by id (the filter's own `after` and `limit` are ignored).
    [[nodiscard]] std::vector<Player> list(const PlayerFilter& filter, PlayerId after,
                                           std::size_t limit);
    [[nodiscard]] std::int64_t count();

    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    void insert_tags(PlayerId id, const std::vector<std::string>& tags);
    std::vector<std::string> tags_of(PlayerId id);
    void attach_tags(std::vector<Player>& players);

    storage::Transaction& tx_;
};

}  // namespace pitboss::players
