#include "segments/segment_store.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::segments::detail {
namespace {

using storage::Params;
using storage::Row;
using storage::RowSink;

constexpr std::size_t kIdsPerStatement = 500;

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE segments (
    id {{id}},
    name {{text}} NOT NULL UNIQUE,
    kind {{text}} NOT NULL CHECK (kind IN ('dynamic', 'static', 'ab_split')),
    description {{text}} NOT NULL,
    rule_text {{text}},
    buckets {{bigint}} NOT NULL DEFAULT 0,
    parent_id {{bigint}} REFERENCES segments (id),
    created_by {{text}} NOT NULL,
    created_at {{bigint}} NOT NULL,
    refreshed_at {{bigint}}
);
CREATE TABLE segment_members (
    segment_id {{bigint}} NOT NULL REFERENCES segments (id),
    player_id {{bigint}} NOT NULL REFERENCES players (id),
    bucket {{bigint}} NOT NULL DEFAULT 0,
    entered_at {{bigint}} NOT NULL,
    PRIMARY KEY (segment_id, player_id)
);
CREATE INDEX segment_members_player ON segment_members (player_id);
CREATE TABLE segment_history (
    id {{id}},
    segment_id {{bigint}} NOT NULL REFERENCES segments (id),
    player_id {{bigint}} NOT NULL,
    direction {{text}} NOT NULL CHECK (direction IN ('entered', 'exited')),
    bucket {{bigint}} NOT NULL DEFAULT 0,
    changed_at {{bigint}} NOT NULL
);
CREATE INDEX segment_history_segment ON segment_history (segment_id, changed_at);
INSERT INTO role_permissions (role, permission, condition_json) VALUES
    ('marketer', 'segments.read', NULL),
    ('marketer', 'segments.write', NULL),
    ('analyst', 'segments.read', NULL);
INSERT INTO roles (name, description) VALUES
    ('segment_engine', 'Keeps dynamic segment membership current as events arrive');
INSERT INTO role_permissions (role, permission, condition_json) VALUES
    ('segment_engine', 'players.read', NULL),
    ('segment_engine', 'events.read', NULL),
    ('segment_engine', 'segments.read', NULL),
    ('segment_engine', 'segments.write', NULL);
INSERT INTO operators (name, display_name, kind, status, created_at) VALUES
    ('segment-engine', 'Segment membership engine', 'system', 'active', 0);
INSERT INTO operator_roles (operator_id, role, scope_json)
    SELECT id, 'segment_engine', NULL FROM operators WHERE name = 'segment-engine'
)sql";

constexpr std::string_view kSelectColumns =
    "SELECT s.id, s.name, s.kind, s.description, s.rule_text, s.buckets, p.name, s.created_by, "
    "s.created_at, s.refreshed_at, ";
constexpr std::string_view kFrom = " FROM segments s LEFT JOIN segments p ON p.id = s.parent_id ";
constexpr std::string_view kSize =
    "(SELECT COUNT(*) FROM segment_members m WHERE m.segment_id = s.id)";

std::string select_segments(bool with_sizes) {
    return std::string(kSelectColumns) + std::string(with_sizes ? kSize : "0") + std::string(kFrom);
}

Segment segment_from(const Row& row) {
    Segment s;
    s.id = SegmentId(row.int64(0));
    s.name = row.text(1);
    s.kind = parse_segment_kind(row.text(2));
    s.description = row.text(3);
    s.rule = row.opt_text(4);
    s.buckets = static_cast<int>(row.int64(5));
    s.parent = row.opt_text(6);
    s.created_by = row.text(7);
    s.created_at = row.timestamp(8);
    if (const auto refreshed = row.opt_int64(9)) s.refreshed_at = from_unix_millis(*refreshed);
    s.size = row.int64(10);
    return s;
}

// "(?, ?, ...)" with n placeholders.
std::string placeholders(std::size_t n) {
    std::string text = "(";
    for (std::size_t i = 0; i < n; ++i) text += i == 0 ? "?" : ", ?";
    return text + ")";
}

}  // namespace

Segment SegmentStore::insert(const NewSegment& input, std::optional<SegmentId> parent_id,
                             std::string_view created_by, Timestamp now) {
    const auto row = tx_.query_optional(
        "INSERT INTO segments (name, kind, description, rule_text, buckets, parent_id, "
        "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (name) DO NOTHING RETURNING id",
        Params(input.name, to_string(input.kind), input.description,
               input.kind == SegmentKind::kDynamic ? std::optional<std::string>(input.rule)
                                                   : std::nullopt,
               input.buckets,
               parent_id ? std::optional<std::int64_t>(parent_id->value()) : std::nullopt,
               created_by, now));
    if (!row) throw ConflictError("segment '" + input.name + "' already exists");
    return *find(SegmentId(row->int64(0)));
}

std::optional<Segment> SegmentStore::find_where(std::string_view where, const Params& params) {
    auto row = tx_.query_optional(select_segments(true) + std::string(where), params);
    if (!row) return std::nullopt;
    return segment_from(*row);
}

std::optional<Segment> SegmentStore::find(std::string_view name) {
    return find_where("WHERE s.name = ?", Params(name));
}

std::optional<Segment> SegmentStore::find(SegmentId id) {
    return find_where("WHERE s.id = ?", Params(id.value()));
}

std::vector<Segment> SegmentStore::list(bool with_sizes) {
    std::vector<Segment> out;
    for (const Row& row : tx_.query(select_segments(with_sizes) + "ORDER BY s.id")) {
        out.push_back(segment_from(row));
    }
    return out;
}

std::vector<std::string> SegmentStore::children_of(SegmentId id) {
    std::vector<std::string> names;
    for (const Row& row : tx_.query("SELECT name FROM segments WHERE parent_id = ? ORDER BY id",
                                    Params(id.value()))) {
        names.push_back(row.text(0));
    }
    return names;
}

void SegmentStore::remove(SegmentId id) {
    const Params params(id.value());
    tx_.execute("DELETE FROM segment_history WHERE segment_id = ?", params);
    tx_.execute("DELETE FROM segment_members WHERE segment_id = ?", params);
    tx_.execute("DELETE FROM segments WHERE id = ?", params);
}

std::vector<MemberKey> SegmentStore::member_keys(SegmentId id) {
    std::vector<MemberKey> out;
    tx_.for_each(
        "SELECT player_id, bucket FROM segment_members WHERE segment_id = ? ORDER BY player_id",
        Params(id.value()), [&](const storage::Cursor& row) {
            out.push_back({PlayerId(row.int64(0)), static_cast<int>(row.int64(1))});
        });
    return out;
}

std::vector<SegmentMember> SegmentStore::members(SegmentId id, PlayerId after, std::size_t limit) {
    std::vector<SegmentMember> out;
    tx_.for_each(
        "SELECT player_id, bucket, entered_at FROM segment_members WHERE segment_id = ? AND "
        "player_id > ? ORDER BY player_id LIMIT ?",
        Params(id.value(), after.value(), static_cast<std::int64_t>(limit)),
        [&](const storage::Cursor& row) {
            out.push_back({PlayerId(row.int64(0)), static_cast<int>(row.int64(1)),
                           from_unix_millis(row.int64(2))});
        });
    return out;
}

std::vector<std::pair<SegmentId, MemberKey>> SegmentStore::memberships_of(
    const std::vector<PlayerId>& players) {
    std::vector<std::pair<SegmentId, MemberKey>> out;
    for (std::size_t start = 0; start < players.size(); start += kIdsPerStatement) {
        const std::size_t end = std::min(players.size(), start + kIdsPerStatement);
        Params params;
        for (std::size_t i = start; i < end; ++i) params.add(players[i].value());
        tx_.for_each(
            "SELECT segment_id, player_id, bucket FROM segment_members WHERE player_id IN " +
                placeholders(end - start),
            params, [&](const storage::Cursor& row) {
                out.emplace_back(SegmentId(row.int64(0)),
                                 MemberKey{PlayerId(row.int64(1)), static_cast<int>(row.int64(2))});
            });
    }
    return out;
}

void SegmentStore::apply(SegmentId id, const std::vector<MemberKey>& entered,
                         const std::vector<MemberKey>& exited, Timestamp now) {
    const std::int64_t at = to_unix_millis(now);
    for (std::size_t start = 0; start < exited.size(); start += kIdsPerStatement) {
        const std::size_t end = std::min(exited.size(), start + kIdsPerStatement);
        Params params(id.value());
        for (std::size_t i = start; i < end; ++i) params.add(exited[i].player_id.value());
        tx_.execute("DELETE FROM segment_members WHERE segment_id = ? AND player_id IN " +
                        placeholders(end - start),
                    params);
    }
    if (entered.empty() && exited.empty()) return;
    static constexpr std::array<std::string_view, 4> kMemberColumns = {"segment_id", "player_id",
                                                                       "bucket", "entered_at"};
    if (!entered.empty()) {
        tx_.insert_rows("segment_members", kMemberColumns, entered.size(),
                        [&](std::size_t i, RowSink& row) {
                            row.add(id.value());
                            row.add(entered[i].player_id.value());
                            row.add(std::int64_t{entered[i].bucket});
                            row.add(at);
                        });
    }
    static constexpr std::array<std::string_view, 5> kHistoryColumns = {
        "segment_id", "player_id", "direction", "bucket", "changed_at"};
    const std::size_t n = entered.size() + exited.size();
    tx_.insert_rows("segment_history", kHistoryColumns, n, [&](std::size_t i, RowSink& row) {
        const bool in = i < entered.size();
        const MemberKey& key = in ? entered[i] : exited[i - entered.size()];
        row.add(id.value());
        row.add(key.player_id.value());
        row.add(in ? std::string_view("entered") : std::string_view("exited"));
        row.add(std::int64_t{key.bucket});
        row.add(at);
    });
}

void SegmentStore::mark_refreshed(SegmentId id, Timestamp now) {
    tx_.execute("UPDATE segments SET refreshed_at = ? WHERE id = ?", Params(now, id.value()));
}

std::vector<HistoryRow> SegmentStore::history_until(SegmentId id, Timestamp at) {
    std::vector<HistoryRow> out;
    tx_.for_each(
        "SELECT player_id, direction, bucket, changed_at FROM segment_history "
        "WHERE segment_id = ? AND changed_at <= ? ORDER BY player_id, id",
        Params(id.value(), at), [&](const storage::Cursor& row) {
            out.push_back({PlayerId(row.int64(0)), row.text(1) == "entered",
                           static_cast<int>(row.int64(2)), from_unix_millis(row.int64(3))});
        });
    return out;
}

std::vector<storage::Migration> SegmentStore::migrations() {
    return {{"segments", 1,
             "named segments, membership and its history; segments.read/write; segment-engine",
             std::string(kSchemaV1)}};
}

}  // namespace pitboss::segments::detail
