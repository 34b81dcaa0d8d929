#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "pitboss/access/access_control.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/events/ingestor.hpp"
#include "pitboss/segments/ab_bucket.hpp"
#include "pitboss/segments/rule.hpp"
#include "pitboss/segments/segments.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/transport/outbox.hpp"
#include "segments/segment_store.hpp"
#include "segments/snapshot_loader.hpp"

namespace pitboss::segments {
namespace {

namespace permission = access::permission;
using detail::MemberKey;
using detail::SegmentStore;
using storage::Transaction;
using storage::TxMode;

constexpr std::size_t kProfilePage = 65'536;
constexpr std::size_t kMaxPage = 10'000;
constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxDescriptionLength = 500;
constexpr int kMaxBuckets = 100;
constexpr std::string_view kEngineActor = "segment-engine";

std::string target_of(SegmentId id) { return "segment:" + id.to_string(); }

void validate_name(std::string_view name, std::string_view field) {
    if (name.empty() || name.size() > kMaxNameLength) {
        throw ValidationError(std::string(field), "must be 1-64 characters");
    }
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok) throw ValidationError(std::string(field), "may hold only A-Z a-z 0-9 _ - .");
    }
}

void validate_limit(std::size_t limit) {
    if (limit < 1 || limit > kMaxPage) throw ValidationError("limit", "must be 1-10000");
}

// Members sorted by player id: who entered (in `desired` only) and who exited (in `current`
// only). A changed bucket cannot happen (buckets are a function of the player), so keys
// compare by player.
void diff(const std::vector<MemberKey>& current, const std::vector<MemberKey>& desired,
          std::vector<MemberKey>& entered, std::vector<MemberKey>& exited) {
    auto c = current.begin();
    auto d = desired.begin();
    while (c != current.end() || d != desired.end()) {
        if (d == desired.end() || (c != current.end() && c->player_id < d->player_id)) {
            exited.push_back(*c++);
        } else if (c == current.end() || d->player_id < c->player_id) {
            entered.push_back(*d++);
        } else {
            ++c;
            ++d;
        }
    }
}

// One `segment.entered` / `segment.exited` event per change.
void add_change_events(const Segment& segment, const std::vector<MemberKey>& keys, bool entered,
                       Timestamp now, std::vector<transport::OutboxEntry>& out) {
    const std::string at = format_timestamp(now);
    for (const MemberKey& key : keys) {
        Json payload{{"segment_id", segment.id.value()},
                     {"segment", segment.name},
                     {"player_id", key.player_id.value()},
                     {"at", at}};
        if (segment.kind == SegmentKind::kAbSplit) payload["bucket"] = key.bucket;
        out.push_back({entered ? "segment.entered" : "segment.exited",
                       "player:" + key.player_id.to_string(), std::move(payload)});
    }
}

}  // namespace

// The in-memory snapshot and what is needed to tell whether it is still current: the
// profile version of every row, so the players-table fingerprint it should match is known
// exactly after rows were refreshed in place.
struct Snapshot {
    explicit Snapshot(Currency base) : table(base) {}
    PlayerTable table;
    Timestamp as_of;
    std::vector<std::int64_t> versions;  // by row
    detail::PlayersFingerprint expected{0, 0, 0};
    Duration build_time{};

    void add(const PlayerRow& row, std::int64_t version) {
        if (const auto existing = table.row_of(row.player_id)) {
            table.update(*existing, row);
            expected.version_sum += version - versions[*existing];
            versions[*existing] = version;
            return;
        }
        table.append(row);
        versions.push_back(version);
        expected.count += 1;
        expected.max_id = std::max(expected.max_id, row.player_id.value());
        expected.version_sum += version;
    }
};

struct SegmentService::Impl {
    Impl(storage::Database& db_in, const Clock& clock_in, access::AccessControl& access_in,
         audit::AuditLog& audit_in, const transport::Outbox& outbox_in, events::Ingestor& events_in)
        : db(db_in),
          clock(clock_in),
          access(access_in),
          audit(audit_in),
          outbox(outbox_in),
          events(events_in),
          base(Currency::of(events_in.base_currency(), "base_currency")) {}

    storage::Database& db;
    const Clock& clock;
    access::AccessControl& access;
    audit::AuditLog& audit;
    const transport::Outbox& outbox;
    events::Ingestor& events;
    Currency base;

    mutable std::mutex mutex;
    std::unique_ptr<Snapshot> snapshot;
    std::set<PlayerId> pending;  // players named by ingested events since the last look
    ChurnWeights weights;
    Duration max_age = std::chrono::seconds(60);
    std::optional<Actor> engine;

    // A denial is audited (in its own transaction: none is open here) and rethrown.
    void require(const Actor& actor, std::string_view perm) const {
        try {
            access.require(actor, perm);
        } catch (const AccessDenied& denied) {
            access.record_denial(actor, denied);
            throw;
        }
    }

    // The system actor the snapshot reads aggregates as (looked up once; opens a transaction,
    // so never called while one is open).
    const Actor& engine_actor() {
        if (!engine) engine = access.system_actor(kEngineActor);
        return *engine;
    }

    // --- the snapshot (caller holds the mutex; no transaction open) ---

    std::unique_ptr<Snapshot> build() {
        const auto started = std::chrono::steady_clock::now();  // instrumentation only
        const Actor& who = engine_actor();
        const Timestamp now = clock.now();
        auto snap = std::make_unique<Snapshot>(base);
        snap->as_of = now;
        const auto size = db.run(
            TxMode::kRead, [](Transaction& tx) { return detail::players_fingerprint(tx).count; });
        snap->table.reserve(static_cast<std::size_t>(size));
        snap->versions.reserve(static_cast<std::size_t>(size));
        PlayerId after;
        for (;;) {
            auto page = db.run(TxMode::kRead, [&](Transaction& tx) {
                return detail::read_profiles(tx, after, kProfilePage);
            });
            if (page.rows.empty()) break;
            load_rows(*snap, page, who, now);
            after = page.rows.back().player_id;
            if (page.rows.size() < kProfilePage) break;
        }
        snap->build_time =
            std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
        return snap;
    }

    void load_rows(Snapshot& snap, detail::ProfilePage& page, const Actor& who, Timestamp now) {
        std::vector<PlayerId> ids;
        ids.reserve(page.rows.size());
        for (const PlayerRow& row : page.rows) ids.push_back(row.player_id);
        const auto figures = events.aggregates_of(who, ids, now);
        detail::merge_aggregates(page.rows, figures, now, weights);
        for (std::size_t i = 0; i < page.rows.size(); ++i) snap.add(page.rows[i], page.versions[i]);
    }

    // Refreshes the rows of players named by ingested events.
    void apply_pending() {
        if (pending.empty()) return;
        const std::vector<PlayerId> ids(pending.begin(), pending.end());
        const Actor& who = engine_actor();
        const Timestamp now = clock.now();
        auto page =
            db.run(TxMode::kRead, [&](Transaction& tx) { return detail::read_profiles(tx, ids); });
        load_rows(*snapshot, page, who, now);
        pending.clear();
    }

    // The current snapshot: rebuilt when missing, too old, or when the players table changed
    // other than through the rows refreshed here. The incremental path skips the last check
    // (a scan of the players table): it re-reads the profiles of the players it evaluates.
    Snapshot& current(bool check_players = true) {
        if (snapshot) {
            const Timestamp now = clock.now();
            const bool too_old = max_age == Duration::zero() ? now != snapshot->as_of
                                                             : now - snapshot->as_of > max_age;
            if (!too_old) {
                apply_pending();
                if (!check_players) return *snapshot;
                const auto seen = db.run(
                    TxMode::kRead, [](Transaction& tx) { return detail::players_fingerprint(tx); });
                if (seen == snapshot->expected) return *snapshot;
            }
        }
        snapshot.reset();  // free the old columns before building the new ones
        pending.clear();
        snapshot = build();
        return *snapshot;
    }

    // --- membership ---

    // A bitmap (rows of `table`) of a stored segment's current members.
    static Bitmap bitmap_of(SegmentStore& store, const PlayerTable& table, SegmentId id) {
        Bitmap bits(table.size());
        for (const MemberKey& key : store.member_keys(id)) {
            if (const auto row = table.row_of(key.player_id)) bits.set(*row);
        }
        return bits;
    }

    // Compiles `rule` with in_segment(NAME) resolved to the named segments' stored members.
    static CompiledRule compile_with_members(const Rule& rule, SegmentStore& store,
                                             PlayerTable& table,
                                             std::map<std::string, Bitmap, std::less<>>& bitmaps) {
        for (const std::string& name : rule.segments()) {
            if (const auto segment = store.find(name)) {
                bitmaps.emplace(name, bitmap_of(store, table, segment->id));
            }
        }
        return compile_rule(rule, table, [&bitmaps](std::string_view name) -> const Bitmap* {
            const auto it = bitmaps.find(name);
            return it == bitmaps.end() ? nullptr : &it->second;
        });
    }

    // Who should be in `segment` now, by player id.
    std::vector<MemberKey> desired_members(SegmentStore& store, Snapshot& snap,
                                           const Segment& segment, Timestamp now) {
        std::vector<MemberKey> out;
        switch (segment.kind) {
            case SegmentKind::kStatic: {
                return store.member_keys(segment.id);
            }
            case SegmentKind::kDynamic: {
                std::map<std::string, Bitmap, std::less<>> bitmaps;
                const Rule rule = parse_rule(*segment.rule);
                const CompiledRule compiled =
                    compile_with_members(rule, store, snap.table, bitmaps);
                for (const PlayerId id :
                     snap.table.player_ids(compiled.evaluate(snap.table, now))) {
                    out.push_back({id, 0});
                }
                return out;
            }
            case SegmentKind::kAbSplit: {
                const auto n = static_cast<std::uint32_t>(segment.buckets);
                auto add = [&](RowIndex row) {
                    out.push_back({snap.table.player_id(row),
                                   static_cast<int>(
                                       ab_bucket(segment.name, snap.table.external_id(row), n))});
                };
                if (segment.parent) {
                    const auto parent = store.find(*segment.parent);
                    if (!parent) {
                        throw IntegrityError(target_of(segment.id) + " has no parent segment");
                    }
                    for (const MemberKey& key : store.member_keys(parent->id)) {
                        if (const auto row = snap.table.row_of(key.player_id)) add(*row);
                    }
                } else {
                    for (RowIndex row = 0; row < snap.table.size(); ++row) add(row);
                }
                std::sort(out.begin(), out.end(), [](const MemberKey& a, const MemberKey& b) {
                    return a.player_id < b.player_id;
                });
                return out;
            }
        }
        return out;
    }

    // Brings a segment's stored membership to `desired` with its events, history rows and
    // audit entry, inside `tx`.
    RefreshResult write_membership(Transaction& tx, const Actor& actor, const Segment& segment,
                                   const std::vector<MemberKey>& desired, Timestamp now,
                                   std::string_view action) {
        SegmentStore store(tx);
        const std::vector<MemberKey> current = store.member_keys(segment.id);
        std::vector<MemberKey> entered;
        std::vector<MemberKey> exited;
        diff(current, desired, entered, exited);
        store.apply(segment.id, entered, exited, now);
        store.mark_refreshed(segment.id, now);
        std::vector<transport::OutboxEntry> messages;
        add_change_events(segment, entered, true, now, messages);
        add_change_events(segment, exited, false, now, messages);
        outbox.add_many(tx, messages);
        const RefreshResult result{static_cast<std::int64_t>(entered.size()),
                                   static_cast<std::int64_t>(exited.size()),
                                   static_cast<std::int64_t>(desired.size())};
        Json after = to_json(result);
        after["name"] = segment.name;
        audit.append(tx, actor,
                     {std::string(action), target_of(segment.id),
                      Json{{"name", segment.name}, {"size", current.size()}}, after});
        return result;
    }

    // The incremental path for `players` (rows already refreshed): every dynamic segment and
    // A/B split, in id order (a segment only refers to older ones), inside `tx`.
    void reevaluate(Transaction& tx, const std::vector<PlayerId>& players, Timestamp now) {
        SegmentStore store(tx);
        const std::vector<Segment> segments = store.list(false);
        const bool maintained = std::any_of(segments.begin(), segments.end(), [](const Segment& s) {
            return s.kind != SegmentKind::kStatic;
        });
        if (!maintained) return;
        PlayerTable& table = snapshot->table;
        std::vector<std::pair<PlayerId, RowIndex>> rows;
        for (const PlayerId id : players) {
            if (const auto row = table.row_of(id)) rows.emplace_back(id, *row);
        }
        // Current memberships of these players, and bitmaps (these players' bits only) of
        // the segments others refer to, updated as segments are re-evaluated in order.
        std::map<std::int64_t, std::map<PlayerId, int>> current;
        for (const auto& [segment, key] : store.memberships_of(players)) {
            current[segment.value()][key.player_id] = key.bucket;
        }
        std::map<std::string, Bitmap, std::less<>> bitmaps;
        std::vector<std::optional<CompiledRule>> compiled(segments.size());
        std::set<std::string, std::less<>> referenced;
        for (const Segment& s : segments) {
            if (s.parent) referenced.insert(*s.parent);
            if (s.kind == SegmentKind::kDynamic) {
                const Rule rule = parse_rule(*s.rule);
                for (const std::string& name : rule.segments()) referenced.insert(name);
            }
        }
        for (const Segment& s : segments) {
            if (referenced.count(s.name) == 0) continue;
            Bitmap bits(table.size());
            const auto& members = current[s.id.value()];
            for (const auto& [id, row] : rows) bits.assign(row, members.count(id) > 0);
            bitmaps.emplace(s.name, std::move(bits));
        }
        const SegmentResolver resolver = [&bitmaps](std::string_view name) -> const Bitmap* {
            const auto it = bitmaps.find(name);
            return it == bitmaps.end() ? nullptr : &it->second;
        };
        for (std::size_t i = 0; i < segments.size(); ++i) {
            if (segments[i].kind == SegmentKind::kDynamic) {
                compiled[i] = compile_rule(*segments[i].rule, table, resolver);
            }
        }
        const EvalTime time(now);
        std::vector<transport::OutboxEntry> messages;
        std::int64_t entered_total = 0;
        std::int64_t exited_total = 0;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const Segment& s = segments[i];
            if (s.kind == SegmentKind::kStatic) continue;
            const auto& members = current[s.id.value()];
            const Bitmap* parent = s.parent ? resolver(*s.parent) : nullptr;
            auto own = bitmaps.find(s.name);
            std::vector<MemberKey> entered;
            std::vector<MemberKey> exited;
            for (const auto& [id, row] : rows) {
                const bool want = s.kind == SegmentKind::kDynamic
                                      ? compiled[i]->matches(table, row, time)
                                  : parent ? parent->test(row)
                                           : true;
                const auto was = members.find(id);
                if (want && was == members.end()) {
                    const int bucket =
                        s.kind == SegmentKind::kAbSplit
                            ? static_cast<int>(ab_bucket(s.name, table.external_id(row),
                                                         static_cast<std::uint32_t>(s.buckets)))
                            : 0;
                    entered.push_back({id, bucket});
                } else if (!want && was != members.end()) {
                    exited.push_back({id, was->second});
                }
                if (own != bitmaps.end()) own->second.assign(row, want);
            }
            if (entered.empty() && exited.empty()) continue;
            store.apply(s.id, entered, exited, now);
            add_change_events(s, entered, true, now, messages);
            add_change_events(s, exited, false, now, messages);
            entered_total += static_cast<std::int64_t>(entered.size());
            exited_total += static_cast<std::int64_t>(exited.size());
        }
        if (messages.empty()) return;
        outbox.add_many(tx, messages);
        audit.append(
            tx, engine_actor_cached(),
            {"segment.membership_updated", "segments", nullptr,
             Json{{"players", rows.size()}, {"entered", entered_total}, {"exited", exited_total}}});
    }

    // engine_actor() without a lookup (callers looked it up before opening a transaction).
    const Actor& engine_actor_cached() const { return *engine; }

    SegmentFrame make_frame(const Actor& actor, std::string_view rule,
                            std::span<const std::string> fields, std::size_t limit) {
        require(actor, permission::kSegmentsRead);
        require(actor, permission::kPlayersRead);
        for (const std::string& field : fields) {
            if (!find_field(field))
                throw ValidationError("fields", "unknown field '" + field + "'");
        }
        std::lock_guard lock(mutex);
        Snapshot& snap = current();
        const Timestamp now = clock.now();
        const Bitmap bits = evaluate_locked(snap, rule, now);
        SegmentFrame frame;
        frame.fields.assign(fields.begin(), fields.end());
        frame.columns.resize(fields.size());
        std::vector<std::pair<PlayerId, RowIndex>> matched;
        for (const RowIndex row : bits.rows()) matched.emplace_back(snap.table.player_id(row), row);
        std::sort(matched.begin(), matched.end());
        if (matched.size() > limit) matched.resize(limit);
        for (const auto& [id, row] : matched) {
            frame.player_ids.push_back(id);
            for (std::size_t f = 0; f < fields.size(); ++f) {
                frame.columns[f].push_back(snap.table.value(row, fields[f], now));
            }
        }
        return frame;
    }

    Bitmap evaluate_locked(Snapshot& snap, std::string_view text, Timestamp now) {
        const Rule rule = parse_rule(text);
        return db.run(TxMode::kRead, [&](Transaction& tx) {
            SegmentStore store(tx);
            std::map<std::string, Bitmap, std::less<>> bitmaps;
            return compile_with_members(rule, store, snap.table, bitmaps).evaluate(snap.table, now);
        });
    }

    Segment find_segment(Transaction& tx, std::string_view name) {
        auto segment = SegmentStore(tx).find(name);
        if (!segment) throw NotFoundError("segment '" + std::string(name) + "' not found");
        return std::move(*segment);
    }
};

SegmentService::SegmentService(storage::Database& db, const Clock& clock,
                               access::AccessControl& access, audit::AuditLog& audit,
                               const transport::Outbox& outbox, events::Ingestor& events)
    : impl_(std::make_unique<Impl>(db, clock, access, audit, outbox, events)) {
    events.set_commit_observer(
        [this](std::span<const PlayerId> players) { update_players(players); });
}

SegmentService::~SegmentService() { impl_->events.set_commit_observer({}); }

std::vector<PlayerId> SegmentService::evaluate(const Actor& actor, std::string_view rule) {
    impl_->require(actor, permission::kSegmentsRead);
    std::lock_guard lock(impl_->mutex);
    Snapshot& snap = impl_->current();
    return snap.table.player_ids(impl_->evaluate_locked(snap, rule, impl_->clock.now()));
}

std::int64_t SegmentService::count(const Actor& actor, std::string_view rule) {
    impl_->require(actor, permission::kSegmentsRead);
    std::lock_guard lock(impl_->mutex);
    Snapshot& snap = impl_->current();
    return static_cast<std::int64_t>(
        impl_->evaluate_locked(snap, rule, impl_->clock.now()).count());
}

SegmentFrame SegmentService::preview(const Actor& actor, std::string_view rule,
                                     std::span<const std::string> fields, std::size_t limit) {
    validate_limit(limit);
    return impl_->make_frame(actor, rule, fields, limit);
}

SegmentFrame SegmentService::frame(const Actor& actor, std::string_view rule,
                                   std::span<const std::string> fields) {
    return impl_->make_frame(actor, rule, fields, std::numeric_limits<std::size_t>::max());
}

Segment SegmentService::create(const Actor& actor, const NewSegment& input) {
    impl_->require(actor, permission::kSegmentsWrite);
    validate_name(input.name, "name");
    if (input.description.size() > kMaxDescriptionLength) {
        throw ValidationError("description", "must be at most 500 characters");
    }
    NewSegment clean = input;
    switch (input.kind) {
        case SegmentKind::kDynamic:
            clean.player_ids.clear();
            clean.buckets = 0;
            clean.parent.reset();
            (void)parse_rule(clean.rule);  // RuleError names the column
            break;
        case SegmentKind::kStatic:
            clean.rule.clear();
            clean.buckets = 0;
            clean.parent.reset();
            std::sort(clean.player_ids.begin(), clean.player_ids.end());
            clean.player_ids.erase(std::unique(clean.player_ids.begin(), clean.player_ids.end()),
                                   clean.player_ids.end());
            break;
        case SegmentKind::kAbSplit:
            clean.rule.clear();
            clean.player_ids.clear();
            if (clean.buckets < 2 || clean.buckets > kMaxBuckets) {
                throw ValidationError("buckets", "must be 2-100");
            }
            if (clean.parent) validate_name(*clean.parent, "parent");
            break;
    }
    std::lock_guard lock(impl_->mutex);
    // A static list needs no snapshot; the others are evaluated against it.
    Snapshot* snap = clean.kind == SegmentKind::kStatic ? nullptr : &impl_->current();
    return impl_->db.run(TxMode::kWrite, [&](Transaction& tx) {
        SegmentStore store(tx);
        const Timestamp now = impl_->clock.now();
        std::optional<SegmentId> parent_id;
        if (clean.parent) {
            const auto parent = store.find(*clean.parent);
            if (!parent) throw NotFoundError("parent segment '" + *clean.parent + "' not found");
            parent_id = parent->id;
        }
        std::vector<MemberKey> desired;
        if (clean.kind == SegmentKind::kStatic) {
            const auto found = detail::read_profiles(tx, clean.player_ids);
            if (found.rows.size() != clean.player_ids.size()) {
                std::size_t i = 0;
                while (i < found.rows.size() && found.rows[i].player_id == clean.player_ids[i]) ++i;
                throw ValidationError("player_ids",
                                      "player " + clean.player_ids[i].to_string() + " not found");
            }
            for (const PlayerId id : clean.player_ids) desired.push_back({id, 0});
        }
        if (clean.kind == SegmentKind::kDynamic) {
            // Compile before inserting, so a rule naming an unknown segment is refused.
            std::map<std::string, Bitmap, std::less<>> bitmaps;
            const Rule rule = parse_rule(clean.rule);
            (void)Impl::compile_with_members(rule, store, snap->table, bitmaps);
        }
        Segment segment = store.insert(clean, parent_id, actor.label(), now);
        if (snap) {
            desired = impl_->desired_members(store, *snap, segment, now);
        }
        const Json created = to_json(segment);
        impl_->audit.append(tx, actor,
                            {"segment.created", target_of(segment.id), nullptr, created});
        impl_->outbox.add(tx, "segment.created", target_of(segment.id), created);
        const RefreshResult first =
            impl_->write_membership(tx, actor, segment, desired, now, "segment.refreshed");
        segment.size = first.size;
        segment.refreshed_at = now;
        return segment;
    });
}

std::vector<Segment> SegmentService::list(const Actor& actor) {
    impl_->require(actor, permission::kSegmentsRead);
    return impl_->db.run(TxMode::kRead, [](Transaction& tx) { return SegmentStore(tx).list(); });
}

Segment SegmentService::get(const Actor& actor, std::string_view name) {
    impl_->require(actor, permission::kSegmentsRead);
    return impl_->db.run(TxMode::kRead,
                         [&](Transaction& tx) { return impl_->find_segment(tx, name); });
}

void SegmentService::remove(const Actor& actor, std::string_view name) {
    impl_->require(actor, permission::kSegmentsWrite);
    std::lock_guard lock(impl_->mutex);
    impl_->db.run(TxMode::kWrite, [&](Transaction& tx) {
        SegmentStore store(tx);
        const Segment segment = impl_->find_segment(tx, name);
        std::vector<std::string> users = store.children_of(segment.id);
        for (const Segment& other : store.list(false)) {
            if (other.kind != SegmentKind::kDynamic) continue;
            const Rule rule = parse_rule(*other.rule);
            const auto& uses = rule.segments();
            if (std::find(uses.begin(), uses.end(), segment.name) != uses.end()) {
                users.push_back(other.name);
            }
        }
        if (!users.empty()) {
            throw PreconditionError("segment '" + segment.name + "' is used by '" + users.front() +
                                    "'");
        }
        store.remove(segment.id);
        const Json before = to_json(segment);
        impl_->audit.append(tx, actor, {"segment.deleted", target_of(segment.id), before, nullptr});
        impl_->outbox.add(tx, "segment.deleted", target_of(segment.id),
                          Json{{"segment_id", segment.id.value()},
                               {"segment", segment.name},
                               {"size", segment.size}});
    });
}

std::vector<SegmentMember> SegmentService::members(const Actor& actor, std::string_view name,
                                                   PlayerId after, std::size_t limit) {
    impl_->require(actor, permission::kSegmentsRead);
    validate_limit(limit);
    return impl_->db.run(TxMode::kRead, [&](Transaction& tx) {
        const Segment segment = impl_->find_segment(tx, name);
        return SegmentStore(tx).members(segment.id, after, limit);
    });
}

std::vector<PlayerId> SegmentService::members_on(const Actor& actor, std::string_view name,
                                                 Timestamp at) {
    impl_->require(actor, permission::kSegmentsRead);
    return impl_->db.run(TxMode::kRead, [&](Transaction& tx) {
        const Segment segment = impl_->find_segment(tx, name);
        const auto history = SegmentStore(tx).history_until(segment.id, at);
        std::vector<PlayerId> out;
        // Rows come by player, oldest first: the last row of each player decides.
        for (std::size_t i = 0; i < history.size(); ++i) {
            const bool last =
                i + 1 == history.size() || history[i + 1].player_id != history[i].player_id;
            if (last && history[i].entered) out.push_back(history[i].player_id);
        }
        return out;
    });
}

RefreshResult SegmentService::refresh(const Actor& actor, std::string_view name) {
    impl_->require(actor, permission::kSegmentsWrite);
    std::lock_guard lock(impl_->mutex);
    Snapshot& snap = impl_->current();
    return impl_->db.run(TxMode::kWrite, [&](Transaction& tx) {
        SegmentStore store(tx);
        const Timestamp now = impl_->clock.now();
        const Segment segment = impl_->find_segment(tx, name);
        const auto desired = impl_->desired_members(store, snap, segment, now);
        return impl_->write_membership(tx, actor, segment, desired, now, "segment.refreshed");
    });
}

void SegmentService::update_players(std::span<const PlayerId> players) {
    if (players.empty()) return;
    std::lock_guard lock(impl_->mutex);
    impl_->pending.insert(players.begin(), players.end());
    const bool maintained = impl_->db.run(TxMode::kRead, [](Transaction& tx) {
        return !tx.query("SELECT id FROM segments WHERE kind <> 'static' LIMIT 1").empty();
    });
    // Without dynamic segments or splits there is nothing to keep current: the rows are
    // refreshed on the next read.
    if (!maintained) return;
    impl_->engine_actor();
    const std::vector<PlayerId> ids(players.begin(), players.end());
    impl_->current(/*check_players=*/false);
    impl_->db.run(TxMode::kWrite,
                  [&](Transaction& tx) { impl_->reevaluate(tx, ids, impl_->clock.now()); });
}

void SegmentService::set_churn_weights(const ChurnWeights& weights) {
    validate(weights);
    std::lock_guard lock(impl_->mutex);
    impl_->weights = weights;
    impl_->snapshot.reset();
}

ChurnWeights SegmentService::churn_weights() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->weights;
}

void SegmentService::set_snapshot_max_age(Duration age) {
    if (age < Duration::zero()) throw ValidationError("max_age", "must not be negative");
    std::lock_guard lock(impl_->mutex);
    impl_->max_age = age;
}

SnapshotStats SegmentService::snapshot_stats(const Actor& actor) {
    impl_->require(actor, permission::kSegmentsRead);
    std::lock_guard lock(impl_->mutex);
    const Snapshot& snap = impl_->current();
    return {snap.table.size(), snap.table.memory_bytes(), snap.as_of, snap.build_time};
}

SnapshotStats SegmentService::rebuild_snapshot(const Actor& actor) {
    impl_->require(actor, permission::kSegmentsRead);
    std::lock_guard lock(impl_->mutex);
    impl_->snapshot.reset();
    const Snapshot& snap = impl_->current();
    return {snap.table.size(), snap.table.memory_bytes(), snap.as_of, snap.build_time};
}

std::vector<storage::Migration> SegmentService::migrations() { return SegmentStore::migrations(); }

}  // namespace pitboss::segments
