#pragma once
/// @file
/// Named segments and their membership: the value types of segments::SegmentService.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/id.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::segments {

/// Id of a stored named segment.
using SegmentId = StrongId<struct SegmentIdTag>;

/// How a named segment decides who belongs to it.
enum class SegmentKind {
    kDynamic,  ///< the players a rule selects, kept current as events arrive
    kStatic,   ///< an uploaded list of player ids
    kAbSplit,  ///< every player (or every member of a parent segment), split into N buckets
};

/// "dynamic", "static", "ab_split".
[[nodiscard]] std::string_view to_string(SegmentKind kind) noexcept;
/// Parses the names above; throws ValidationError(field "kind").
[[nodiscard]] SegmentKind parse_segment_kind(std::string_view text);

/// Input for SegmentService::create; build it with one of the factories.
struct NewSegment {
    std::string name;                          ///< unique; 1-64 of A-Z a-z 0-9 _ - .
    SegmentKind kind = SegmentKind::kDynamic;  ///< which of the fields below apply
    std::string description;                   ///< free text, at most 500 characters
    std::string rule;                          ///< dynamic: the rule text (compiled when saved)
    std::vector<PlayerId> player_ids;          ///< static: the members (unknown ids are refused)
    int buckets = 0;                           ///< A/B split: number of buckets, 2-100
    std::optional<std::string> parent;         ///< A/B split: split only this segment's members

    /// A dynamic segment selecting the players `rule` matches.
    static NewSegment dynamic(std::string name, std::string rule, std::string description = {});
    /// A static segment holding exactly `players`.
    static NewSegment static_list(std::string name, std::vector<PlayerId> players,
                                  std::string description = {});
    /// An A/B split of every player, or of `parent`'s members, into `buckets` buckets.
    static NewSegment ab_split(std::string name, int buckets,
                               std::optional<std::string> parent = std::nullopt,
                               std::string description = {});
};

/// A stored named segment.
struct Segment {
    SegmentId id;                              ///< pitboss's id
    std::string name;                          ///< unique name, used by in_segment(NAME)
    SegmentKind kind = SegmentKind::kDynamic;  ///< how membership is decided
    std::string description;                   ///< free text
    std::optional<std::string> rule;           ///< dynamic segments: the rule text
    int buckets = 0;                           ///< A/B splits: number of buckets (else 0)
    std::optional<std::string> parent;         ///< A/B splits: the parent segment's name
    std::string created_by;                    ///< the creating actor's label
    Timestamp created_at;                      ///< when it was created
    std::optional<Timestamp> refreshed_at;     ///< last full re-evaluation (empty: never)
    std::int64_t size = 0;                     ///< current number of members
};

/// One current member of a segment.
struct SegmentMember {
    PlayerId player_id;    ///< the member
    int bucket = 0;        ///< A/B splits: the bucket, 0-based (else 0)
    Timestamp entered_at;  ///< when the player last entered
    /// Field-wise equality, for tests.
    friend bool operator==(const SegmentMember&, const SegmentMember&) = default;
};

/// What a re-evaluation changed.
struct RefreshResult {
    std::int64_t entered = 0;  ///< players who entered
    std::int64_t exited = 0;   ///< players who left
    std::int64_t size = 0;     ///< members afterwards
    /// Field-wise equality, for tests.
    friend bool operator==(const RefreshResult&, const RefreshResult&) = default;
};

/// `{"id","name","kind","description","rule","buckets","parent","created_by","created_at",
/// "refreshed_at","size"}` (absent values as null).
[[nodiscard]] Json to_json(const Segment& segment);
/// `{"entered":N,"exited":N,"size":N}`.
[[nodiscard]] Json to_json(const RefreshResult& result);

}  // namespace pitboss::segments
