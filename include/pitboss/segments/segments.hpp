#pragma once
/// @file
/// `segments::SegmentService`: evaluates rules over a columnar snapshot of every player, keeps
/// named segments (dynamic, static, A/B splits) and their membership history, and tells
/// campaigns who entered and who left (`segment.entered` / `segment.exited` outbox events).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/segments/churn.hpp"
#include "pitboss/segments/player_table.hpp"
#include "pitboss/segments/segment.hpp"
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
namespace pitboss::events {
class Ingestor;
}

namespace pitboss::segments {

/// The players a rule matches with chosen fields, column by column.
struct SegmentFrame {
    std::vector<std::string> fields;   ///< the requested fields, in request order
    std::vector<PlayerId> player_ids;  ///< matching players, ascending
    /// columns[f][i]: field fields[f] of player player_ids[i] (see PlayerTable::value).
    std::vector<std::vector<FieldValue>> columns;
};

/// What the in-memory snapshot holds.
struct SnapshotStats {
    std::size_t players = 0;       ///< rows
    std::size_t memory_bytes = 0;  ///< bytes held by the columns (PlayerTable::memory_bytes)
    Timestamp as_of;               ///< when its aggregates and churn scores were computed
    Duration build_time{};         ///< how long the last full build took (wall time)
};

/// The segment service. Thread-safe: calls are serialised.
///
/// Permissions (unscoped grants: a rule scans every player): `segments.read` to evaluate
/// rules and read segments, plus `players.read` for previews and frames (they show profile
/// fields); `segments.write` to create, refresh and delete named segments.
///
/// Rules run against an in-memory snapshot of every player's profile and aggregates
/// (PlayerTable). It is built on first use and rebuilt when the players table changed (row
/// count, highest id or sum of versions differ), or when it is older than the maximum age
/// (60 s by default; rolling windows and churn scores are as of its build). Players named by
/// ingested events are refreshed in place through the ingestor's commit observer, and their
/// membership in every dynamic segment and A/B split is re-evaluated at once (the incremental
/// path), with the same entered/exited events a full refresh() writes.
class SegmentService {
public:
    /// Wires the service to shared infrastructure and registers update_players() as the
    /// ingestor's commit observer (cleared on destruction); every reference must outlive it.
    SegmentService(storage::Database& db, const Clock& clock, access::AccessControl& access,
                   audit::AuditLog& audit, const transport::Outbox& outbox,
                   events::Ingestor& events);
    ~SegmentService();
    SegmentService(const SegmentService&) = delete;
    SegmentService& operator=(const SegmentService&) = delete;

    /// The players `rule` matches now, ascending (`segments.read`); RuleError (a
    /// ValidationError naming the column) for a bad rule.
    [[nodiscard]] std::vector<PlayerId> evaluate(const Actor& actor, std::string_view rule);
    /// How many players `rule` matches now (`segments.read`).
    [[nodiscard]] std::int64_t count(const Actor& actor, std::string_view rule);
    /// The first `limit` matching players (by id) with `fields` (`segments.read` and
    /// `players.read`); ValidationError("fields") for an unknown field, ("limit") for 0 or
    /// more than 10,000.
    [[nodiscard]] SegmentFrame preview(const Actor& actor, std::string_view rule,
                                       std::span<const std::string> fields, std::size_t limit);
    /// Every matching player with `fields` (`segments.read` and `players.read`).
    [[nodiscard]] SegmentFrame frame(const Actor& actor, std::string_view rule,
                                     std::span<const std::string> fields);

    /// Creates a named segment and its first membership (`segments.write`); writes
    /// `segment.created` and a `segment.entered` event per member. ValidationError for a bad
    /// name, rule, bucket count or unknown player id; NotFoundError for an unknown parent;
    /// ConflictError for a taken name.
    Segment create(const Actor& actor, const NewSegment& input);
    /// Every named segment with its size, by id (`segments.read`).
    [[nodiscard]] std::vector<Segment> list(const Actor& actor);
    /// One named segment (`segments.read`); NotFoundError when absent.
    [[nodiscard]] Segment get(const Actor& actor, std::string_view name);
    /// Deletes a segment with its membership and history (`segments.write`); writes
    /// `segment.deleted`. PreconditionError while an A/B split or a rule uses it.
    void remove(const Actor& actor, std::string_view name);
    /// Current members with ids above `after`, ascending, at most `limit` (1-10,000)
    /// (`segments.read`).
    [[nodiscard]] std::vector<SegmentMember> members(const Actor& actor, std::string_view name,
                                                     PlayerId after = PlayerId(),
                                                     std::size_t limit = 1000);
    /// The members at instant `at`, from the entered/exited history (`segments.read`).
    [[nodiscard]] std::vector<PlayerId> members_on(const Actor& actor, std::string_view name,
                                                   Timestamp at);
    /// Re-evaluates a segment against the current snapshot (`segments.write`) and writes the
    /// changes, their events, history rows and one audit entry in one transaction. A static
    /// segment does not change.
    RefreshResult refresh(const Actor& actor, std::string_view name);

    /// The incremental path: refreshes these players' snapshot rows and re-evaluates their
    /// membership in every dynamic segment and A/B split (as the system actor
    /// "segment-engine"). Called by the ingestor's commit observer.
    void update_players(std::span<const PlayerId> players);

    /// Replaces the churn weights (ValidationError for a bad weight); the snapshot is rebuilt
    /// on next use.
    void set_churn_weights(const ChurnWeights& weights);
    /// The churn weights in use.
    [[nodiscard]] ChurnWeights churn_weights() const;
    /// Sets how old the snapshot may grow before a read rebuilds it (zero: whenever the
    /// clock moved).
    void set_snapshot_max_age(Duration age);
    /// Builds the snapshot now if it is missing or stale (`segments.read`) and describes it.
    SnapshotStats snapshot_stats(const Actor& actor);
    /// Rebuilds the snapshot now, whatever its age (`segments.read`), and describes it.
    SnapshotStats rebuild_snapshot(const Actor& actor);

    /// The schema of segments, membership and history, with the permissions' grants.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace pitboss::segments
