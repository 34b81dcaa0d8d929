#include "players/platform_profiles.hpp"

#include <algorithm>

#include "pitboss/core/error.hpp"
#include "players/player_changes.hpp"
#include "players/player_store.hpp"
#include "players/player_validation.hpp"

namespace pitboss::players {
namespace {

using storage::Cursor;
using storage::Params;

// External ids per `IN (...)` lookup; short chunks are padded so one cached statement serves.
constexpr std::size_t kChunk = 500;

std::string target_of(PlayerId id) { return "player:" + id.to_string(); }

PlayerUpdate update_from(const NewPlayer& input) {
    PlayerUpdate update;
    update.email = input.email.value_or("");
    update.phone = input.phone.value_or("");
    update.country = input.country;
    update.birth_date = input.birth_date;
    update.language = input.language;
    update.traffic_source = input.traffic_source.value_or("");
    update.affiliate_id = input.affiliate_id.value_or("");
    update.consents = input.consents;
    return update;
}

}  // namespace

std::vector<KnownPlayer> PlatformProfiles::find(const std::vector<std::string_view>& external_ids) {
    std::vector<KnownPlayer> found;
    std::string sql = "SELECT id, external_id, currency FROM players WHERE external_id IN (?";
    for (std::size_t i = 1; i < kChunk; ++i) sql += ", ?";
    sql += ")";
    Params params;
    for (std::size_t start = 0; start < external_ids.size(); start += kChunk) {
        params.clear();
        const std::size_t end = std::min(external_ids.size(), start + kChunk);
        for (std::size_t i = start; i < end; ++i) params.add(external_ids[i]);
        for (std::size_t i = end - start; i < kChunk; ++i) params.add(external_ids[end - 1]);
        tx_.for_each(sql, params, [&](const Cursor& row) {
            found.push_back(
                {PlayerId(row.int64(0)), std::string(row.text(1)), std::string(row.text(2))});
        });
    }
    return found;
}

KnownPlayer PlatformProfiles::create(const NewPlayer& input) {
    const NewPlayer clean = validated(input, now_);
    const Player player = PlayerStore(tx_).insert(clean, clean.registered_at.value_or(now_), now_);
    outbox_.add(tx_, "player.registered", target_of(player.id), to_json(player));
    return {player.id, player.external_id, player.currency};
}

NewPlayer PlatformProfiles::validate(const NewPlayer& input) const {
    return validated(input, now_);
}

std::vector<KnownPlayer> PlatformProfiles::create_many(
    const std::vector<NewPlayer>& validated_inputs) {
    const auto ids = PlayerStore(tx_).insert_many(validated_inputs, now_);
    std::vector<KnownPlayer> known;
    known.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        known.push_back({ids[i], validated_inputs[i].external_id, validated_inputs[i].currency});
    }
    return known;
}

bool PlatformProfiles::update(PlayerId id, const NewPlayer& input) {
    PlayerStore store(tx_);
    const auto before = store.find(id);
    if (!before) throw NotFoundError(target_of(id) + " not found");
    if (input.currency != before->currency) {
        throw ValidationError("currency", "the wallet currency of player '" + before->external_id +
                                              "' is " + before->currency + " and cannot change");
    }
    const PlayerUpdate clean = validated(update_from(input), now_);
    Player after = apply_update(*before, clean);
    const auto changed = changed_fields(*before, after);
    if (changed.empty()) return false;
    after.version = before->version + 1;
    after.updated_at = now_;
    store.update(after, before->version);
    outbox_.add(tx_, "player.updated", target_of(id),
                Json{{"player", to_json(after)}, {"changed", changed}});
    return true;
}

}  // namespace pitboss::players
