#pragma once
/// @file
/// Register, change, read and list master profiles. Every call is authorised, validated,
/// audited and (for changes) emits outbox events, in one transaction.

#include <optional>
#include <string_view>
#include <vector>

#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/players/player.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::storage {
class Database;
}
namespace pitboss::audit {
class AuditLog;
}
namespace pitboss::transport {
class Outbox;
}
namespace pitboss::access {
class AccessControl;
}

namespace pitboss::players {

/// The player master-profile service. Thread-safe.
///
/// ABAC attributes offered to conditions: `country`, `brand`, `status` — the stored player's
/// values for reads and changes (and, for an update, the new values too, so a scoped operator
/// cannot move a player out of their scope); the input's values for a registration. A call on
/// an absent player is checked without attributes first, so an operator scoped to some
/// countries gets AccessDenied rather than learning which ids exist elsewhere.
class PlayerService {
public:
    /// Wires the service to shared infrastructure; every reference must outlive it.
    PlayerService(storage::Database& db, const Clock& clock, access::AccessControl& access,
                  audit::AuditLog& audit, const transport::Outbox& outbox);

    /// Creates a profile (`players.write`). ValidationError names the bad field (bad country,
    /// future birth date, under 18, malformed email, ...); ConflictError for a duplicate
    /// external id. Emits "player.registered".
    Player register_player(const Actor& actor, const NewPlayer& input);
    /// Changes the set fields (`players.write`); emits "player.updated" with changed fields.
    /// An update that changes nothing writes nothing and returns the stored profile.
    Player update_player(const Actor& actor, PlayerId id, const PlayerUpdate& update);
    /// Moves the account to a new status (`players.status`) with a reason (kept in the audit
    /// entry). A closed account stays closed; leaving self-exclusion is refused here
    /// (PreconditionError) — it ends only through the responsible-gambling workflow. Setting
    /// the current status again is a PreconditionError ("already blocked"); the reason must be
    /// 1-500 characters (ValidationError "reason").
    Player set_status(const Actor& actor, PlayerId id, PlayerStatus status,
                      std::string_view reason);

    /// One profile (`players.read`); NotFoundError when absent.
    [[nodiscard]] Player get_player(const Actor& actor, PlayerId id) const;
    /// One profile by the platform's id (`players.read`); NotFoundError when absent.
    [[nodiscard]] Player get_by_external_id(const Actor& actor, std::string_view external_id) const;
    /// Same, empty when absent.
    [[nodiscard]] std::optional<Player> find_by_external_id(const Actor& actor,
                                                            std::string_view external_id) const;
    /// A page of profiles matching the filter, ordered by id (`players.read`). Players outside
    /// the actor's scope are left out, not reported as errors (so an actor without any
    /// `players.read` grant gets empty pages).
    [[nodiscard]] std::vector<Player> list_players(const Actor& actor,
                                                   const PlayerFilter& filter) const;
    /// Number of stored profiles (`players.read` without a scope: a scoped operator is refused).
    [[nodiscard]] std::int64_t count_players(const Actor& actor) const;

    /// The schema of the players tables, for Backoffice::migrate.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    storage::Database& db_;
    const Clock& clock_;
    access::AccessControl& access_;
    audit::AuditLog& audit_;
    const transport::Outbox& outbox_;
};

}  // namespace pitboss::players
