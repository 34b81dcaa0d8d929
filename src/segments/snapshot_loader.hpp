#pragma once
// Reads what the segment snapshot needs from the database: the players' profile columns (SQL
// here, read-only, against the players module's table) and their aggregates (through
// events::Ingestor), merged into PlayerRow values with the churn score.

#include <cstdint>
#include <vector>

#include "pitboss/events/aggregates.hpp"
#include "pitboss/segments/churn.hpp"
#include "pitboss/segments/player_table.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::segments::detail {

/// Profile columns of players, ascending by id; the aggregate fields are left at zero.
struct ProfilePage {
    std::vector<PlayerRow> rows;         ///< one per player
    std::vector<std::int64_t> versions;  ///< each profile's version, parallel to rows
};

/// Up to `limit` players with ids above `after`.
[[nodiscard]] ProfilePage read_profiles(storage::Transaction& tx, PlayerId after,
                                        std::size_t limit);
/// The given players (ascending, unique; absent ids are skipped).
[[nodiscard]] ProfilePage read_profiles(storage::Transaction& tx, const std::vector<PlayerId>& ids);

/// Sets the aggregate fields of `row` (base-currency amounts) and its churn score.
void apply_aggregates(PlayerRow& row, const events::Aggregates& aggregates,
                      const ChurnWeights& weights);
/// Sets the churn score of a player without aggregates (no activity at all) as of `now`.
void apply_no_aggregates(PlayerRow& row, Timestamp now, const ChurnWeights& weights);

/// Cheap evidence that the players table changed: any insert changes the count or highest id,
/// any update bumps a version.
struct PlayersFingerprint {
    std::int64_t count = -1;
    std::int64_t max_id = 0;
    std::int64_t version_sum = 0;
    friend bool operator==(const PlayersFingerprint&, const PlayersFingerprint&) = default;
};

/// The fingerprint as the transaction sees the table.
[[nodiscard]] PlayersFingerprint players_fingerprint(storage::Transaction& tx);

/// Merges profiles (ascending ids) with aggregates (ascending ids, a subset) into `rows`.
void merge_aggregates(std::vector<PlayerRow>& rows, const std::vector<events::Aggregates>& figures,
                      Timestamp now, const ChurnWeights& weights);

}  // namespace pitboss::segments::detail
