#pragma once
// All SQL of the segments module, written against storage::Transaction.
//
// Schema (module "segments"): `segments` holds one row per named segment; `segment_members`
// the current members (with the A/B bucket, 0 otherwise); `segment_history` one row per entry
// or exit, append-only, from which membership on any date is rebuilt. Version 1 also grants
// segments.read / segments.write to marketer and analyst (admin gets them in access's
// migration 5, where admin holds every permission) and seeds the system actor
// "segment-engine" that keeps dynamic membership current as events arrive.

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "pitboss/segments/segment.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::segments::detail {

/// A member as the diff of a re-evaluation sees it.
struct MemberKey {
    PlayerId player_id;
    int bucket = 0;
};

/// One row of segment_history.
struct HistoryRow {
    PlayerId player_id;
    bool entered = false;
    int bucket = 0;
    Timestamp at;
};

/// Reads and writes segment rows inside one transaction.
class SegmentStore {
public:
    explicit SegmentStore(storage::Transaction& tx) : tx_(tx) {}

    /// Inserts a validated segment (its parent resolved to `parent_id`); ConflictError when
    /// the name is taken.
    Segment insert(const NewSegment& input, std::optional<SegmentId> parent_id,
                   std::string_view created_by, Timestamp now);
    [[nodiscard]] std::optional<Segment> find(std::string_view name);
    [[nodiscard]] std::optional<Segment> find(SegmentId id);
    /// Every segment, by id; `with_sizes` false leaves size at 0 (cheaper).
    [[nodiscard]] std::vector<Segment> list(bool with_sizes = true);
    /// Names of the A/B splits whose parent is `id`.
    [[nodiscard]] std::vector<std::string> children_of(SegmentId id);
    /// Deletes the segment with its members and history.
    void remove(SegmentId id);

    /// Current members of a segment, by player id.
    [[nodiscard]] std::vector<MemberKey> member_keys(SegmentId id);
    /// A page of members with ids above `after`, by player id.
    [[nodiscard]] std::vector<SegmentMember> members(SegmentId id, PlayerId after,
                                                     std::size_t limit);
    /// Memberships of the given players in every segment: (segment, member) pairs.
    [[nodiscard]] std::vector<std::pair<SegmentId, MemberKey>> memberships_of(
        const std::vector<PlayerId>& players);
    /// Adds members and history rows, removes exited members and adds their history rows.
    void apply(SegmentId id, const std::vector<MemberKey>& entered,
               const std::vector<MemberKey>& exited, Timestamp now);
    /// Records a full re-evaluation.
    void mark_refreshed(SegmentId id, Timestamp now);
    /// History rows at or before `at`, by player then row id.
    [[nodiscard]] std::vector<HistoryRow> history_until(SegmentId id, Timestamp at);

    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    [[nodiscard]] std::optional<Segment> find_where(std::string_view where,
                                                    const storage::Params& params);
    storage::Transaction& tx_;
};

}  // namespace pitboss::segments::detail
