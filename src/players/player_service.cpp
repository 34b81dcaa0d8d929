#include "pitboss/players/player_service.hpp"

#include <string>
#include <utility>

#include "access/guarded.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/transport/outbox.hpp"
#include "players/player_changes.hpp"
#include "players/player_store.hpp"
#include "players/player_validation.hpp"

namespace pitboss::players {
namespace {

namespace permission = access::permission;
using storage::Transaction;
using storage::TxMode;

constexpr std::size_t kMaxPageSize = 10'000;

std::string target_of(PlayerId id) { return "player:" + id.to_string(); }

Attributes attributes_of(const Player& player) {
    return {{"country", player.country},
            {"brand", player.brand},
            {"status", std::string(to_string(player.status))}};
}

Attributes attributes_of(const NewPlayer& input) {
    return {{"country", input.country},
            {"brand", input.brand},
            {"status", std::string(to_string(PlayerStatus::kActive))}};
}

// The stored player, once the actor may act on it. An absent player is checked without
// attributes first, so a scoped actor cannot tell "absent" from "outside my scope".
Player load_authorized(PlayerStore& store, const access::AccessControl& access, const Actor& actor,
                       std::string_view permission, PlayerId id) {
    auto player = store.find(id);
    if (!player) {
        access.require(actor, permission);
        throw NotFoundError(target_of(id) + " not found");
    }
    access.require(actor, permission, attributes_of(*player));
    return std::move(*player);
}

void validate_limit(std::size_t limit) {
    if (limit < 1 || limit > kMaxPageSize) throw ValidationError("limit", "must be 1-10000");
}

}  // namespace

PlayerService::PlayerService(storage::Database& db, const Clock& clock,
                             access::AccessControl& access, audit::AuditLog& audit,
                             const transport::Outbox& outbox)
    : db_(db), clock_(clock), access_(access), audit_(audit), outbox_(outbox) {}

Player PlayerService::register_player(const Actor& actor, const NewPlayer& input) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kPlayersWrite, attributes_of(input));
        const Timestamp now = clock_.now();
        const NewPlayer clean = validated(input, now);
        const Player player = PlayerStore(tx).insert(clean, clean.registered_at.value_or(now), now);
        const Json after = to_json(player);
        audit_.append(tx, actor, {"player.registered", target_of(player.id), nullptr, after});
        outbox_.add(tx, "player.registered", target_of(player.id), after);
        return player;
    });
}

Player PlayerService::update_player(const Actor& actor, PlayerId id, const PlayerUpdate& update) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        PlayerStore store(tx);
        const Player before = load_authorized(store, access_, actor, permission::kPlayersWrite, id);
        const Timestamp now = clock_.now();
        const PlayerUpdate clean = validated(update, now);
        if (clean.expected_version && *clean.expected_version != before.version) {
            throw ConflictError(target_of(id) + " is at version " + std::to_string(before.version) +
                                ", not " + std::to_string(*clean.expected_version));
        }
        Player after = apply_update(before, clean);
        const auto changed = changed_fields(before, after);
        if (changed.empty()) return before;
        // The new values must stay within the actor's scope too (no moving a player out of it).
        access_.require(actor, permission::kPlayersWrite, attributes_of(after));
        after.version = before.version + 1;
        after.updated_at = now;
        store.update(after, before.version);
        audit_.append(tx, actor,
                      {"player.updated", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "player.updated", target_of(id),
                    Json{{"player", to_json(after)}, {"changed", changed}});
        return after;
    });
}

Player PlayerService::set_status(const Actor& actor, PlayerId id, PlayerStatus status,
                                 std::string_view reason) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        PlayerStore store(tx);
        const Player before =
            load_authorized(store, access_, actor, permission::kPlayersStatus, id);
        validate_reason(reason);
        check_status_transition(id, before.status, status);
        Player after = before;
        after.status = status;
        after.version = before.version + 1;
        after.updated_at = clock_.now();
        store.update(after, before.version);
        Json audited_after = to_json(after);
        audited_after["status_reason"] = std::string(reason);
        audit_.append(tx, actor,
                      {"player.status_changed", target_of(id), to_json(before), audited_after});
        outbox_.add(tx, "player.status_changed", target_of(id),
                    Json{{"player_id", id.value()},
                         {"external_id", after.external_id},
                         {"brand", after.brand},
                         {"country", after.country},
                         {"from", to_string(before.status)},
                         {"to", to_string(status)},
                         {"version", after.version}});
        return after;
    });
}

Player PlayerService::get_player(const Actor& actor, PlayerId id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        PlayerStore store(tx);
        return load_authorized(store, access_, actor, permission::kPlayersRead, id);
    });
}

Player PlayerService::get_by_external_id(const Actor& actor, std::string_view external_id) const {
    auto player = find_by_external_id(actor, external_id);
    if (!player)
        throw NotFoundError("no player with external_id '" + std::string(external_id) + "'");
    return std::move(*player);
}

std::optional<Player> PlayerService::find_by_external_id(const Actor& actor,
                                                         std::string_view external_id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        auto player = PlayerStore(tx).find_by_external_id(external_id);
        // An absent player is checked without attributes, so a scoped actor learns nothing
        // about which ids exist outside its scope.
        access_.require(actor, permission::kPlayersRead,
                        player ? attributes_of(*player) : Attributes{});
        return player;
    });
}

std::vector<Player> PlayerService::list_players(const Actor& actor,
                                                const PlayerFilter& filter) const {
    validate_limit(filter.limit);
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        // No role granting the permission at all is a denial (audited), not an empty page.
        if (!access_.grants_any(actor, permission::kPlayersRead)) {
            access_.require(actor, permission::kPlayersRead);
        }
        PlayerStore store(tx);
        // An actor allowed without any attribute is unscoped: the page needs no filtering.
        if (access_.allowed(actor, permission::kPlayersRead)) {
            return store.list(filter, filter.after, filter.limit);
        }
        // A scoped actor gets the players inside its scope; keep reading until the page is
        // full, so a short page still means "no more".
        std::vector<Player> page;
        PlayerId cursor = filter.after;
        while (page.size() < filter.limit) {
            const auto batch = store.list(filter, cursor, filter.limit);
            for (const Player& player : batch) {
                if (page.size() == filter.limit) break;
                if (access_.allowed(actor, permission::kPlayersRead, attributes_of(player))) {
                    page.push_back(player);
                }
            }
            if (batch.size() < filter.limit) break;
            cursor = batch.back().id;
        }
        return page;
    });
}

std::int64_t PlayerService::count_players(const Actor& actor) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kPlayersRead);
        return PlayerStore(tx).count();
    });
}

std::vector<storage::Migration> PlayerService::migrations() { return PlayerStore::migrations(); }

}  // namespace pitboss::players
