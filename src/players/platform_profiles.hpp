#pragma once
// Profile changes that arrive as platform registration events (through event ingestion).
// Validated exactly like PlayerService::register_player / update_player and written with their
// outbox events in the caller's transaction; the caller authorises and audits the batch.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/id.hpp"
#include "pitboss/players/player.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/transport/outbox.hpp"

namespace pitboss::players {

/// A stored player as ingestion needs them.
struct KnownPlayer {
    PlayerId id;
    std::string external_id;
    std::string currency;
};

/// Creates and updates profiles from registration events inside one transaction.
class PlatformProfiles {
public:
    /// `now` is the clock's time for validation (age, future dates) and updated_at.
    PlatformProfiles(storage::Transaction& tx, const transport::Outbox& outbox, Timestamp now)
        : tx_(tx), outbox_(outbox), now_(now) {}

    /// The stored players among `external_ids` (any order).
    [[nodiscard]] std::vector<KnownPlayer> find(const std::vector<std::string_view>& external_ids);
    /// Creates a profile and emits "player.registered". ValidationError names a bad field;
    /// ConflictError when the external id exists.
    KnownPlayer create(const NewPlayer& input);
    /// Validates a profile as create() would, without writing; ValidationError names the field.
    [[nodiscard]] NewPlayer validate(const NewPlayer& input) const;
    /// Creates validated profiles in bulk and returns them in input order. ConflictError when
    /// an external id exists. No outbox event per profile: ingestion announces the batch (its
    /// `events.ingested` event lists the created player ids).
    std::vector<KnownPlayer> create_many(const std::vector<NewPlayer>& validated_inputs);
    /// Applies a repeated registration to a stored profile: changed fields are written and
    /// "player.updated" is emitted; nothing happens when nothing changed. ValidationError for a
    /// bad field or a different wallet currency. Returns true when the profile changed.
    bool update(PlayerId id, const NewPlayer& input);

private:
    storage::Transaction& tx_;
    const transport::Outbox& outbox_;
    Timestamp now_;
};

}  // namespace pitboss::players
