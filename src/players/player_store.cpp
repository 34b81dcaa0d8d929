#include "players/player_store.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "pitboss/core/error.hpp"

namespace pitboss::players {
namespace {

using storage::Params;
using storage::Row;

constexpr std::string_view kColumns =
    "id, external_id, brand, email, phone, country, birth_date, currency, language, "
    "traffic_source, affiliate_id, registered_at, consent_email, consent_sms, consent_push, "
    "consent_messenger, status, updated_at, version";

// Column positions in kColumns.
// clang-format off
enum Column : std::size_t {
    kId, kExternalId, kBrand, kEmail, kPhone, kCountry, kBirthDate, kCurrency, kLanguage,
    kTrafficSource, kAffiliateId, kRegisteredAt, kConsentEmail, kConsentSms, kConsentPush,
    kConsentMessenger, kStatus, kUpdatedAt, kVersion
};
// clang-format on

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE players (
    id {{id}},
    external_id {{text}} NOT NULL,
    brand {{text}} NOT NULL,
    email {{text}},
    phone {{text}},
    country {{text}} NOT NULL,
    birth_date {{text}} NOT NULL,
    currency {{text}} NOT NULL,
    language {{text}} NOT NULL,
    traffic_source {{text}},
    affiliate_id {{text}},
    registered_at {{bigint}} NOT NULL,
    consent_email {{bigint}} NOT NULL DEFAULT 0,
    consent_sms {{bigint}} NOT NULL DEFAULT 0,
    consent_push {{bigint}} NOT NULL DEFAULT 0,
    consent_messenger {{bigint}} NOT NULL DEFAULT 0,
    status {{text}} NOT NULL,
    updated_at {{bigint}} NOT NULL,
    version {{bigint}} NOT NULL
);
CREATE UNIQUE INDEX players_external_id ON players (external_id);
CREATE INDEX players_country_status ON players (country, status);
CREATE INDEX players_status ON players (status);
CREATE INDEX players_brand ON players (brand);
CREATE TABLE player_tags (
    player_id {{bigint}} NOT NULL REFERENCES players (id),
    tag {{text}} NOT NULL,
    PRIMARY KEY (player_id, tag)
);
CREATE INDEX player_tags_tag ON player_tags (tag, player_id)
)sql";

Player player_from_row(const Row& row) {
    Player p;
    p.id = PlayerId(row.int64(kId));
    p.external_id = row.text(kExternalId);
    p.brand = row.text(kBrand);
    p.email = row.opt_text(kEmail);
    p.phone = row.opt_text(kPhone);
    p.country = row.text(kCountry);
    p.birth_date = parse_date(row.text(kBirthDate), "birth_date");
    p.currency = row.text(kCurrency);
    p.language = row.text(kLanguage);
    p.traffic_source = row.opt_text(kTrafficSource);
    p.affiliate_id = row.opt_text(kAffiliateId);
    p.registered_at = row.timestamp(kRegisteredAt);
    p.consents = Consents{row.boolean(kConsentEmail), row.boolean(kConsentSms),
                          row.boolean(kConsentPush), row.boolean(kConsentMessenger)};
    p.status = parse_player_status(row.text(kStatus));
    p.updated_at = row.timestamp(kUpdatedAt);
    p.version = row.int64(kVersion);
    return p;
}

std::string select_from_players() { return "SELECT " + std::string(kColumns) + " FROM players "; }

}  // namespace

Player PlayerStore::insert(const NewPlayer& input, Timestamp registered_at, Timestamp now) {
    const auto row = tx_.query_optional(
        "INSERT INTO players (external_id, brand, email, phone, country, birth_date, currency, "
        "language, traffic_source, affiliate_id, registered_at, consent_email, consent_sms, "
        "consent_push, consent_messenger, status, updated_at, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
        "ON CONFLICT (external_id) DO NOTHING RETURNING " +
            std::string(kColumns),
        Params(input.external_id, input.brand, input.email, input.phone, input.country,
               format_date(input.birth_date), input.currency, input.language, input.traffic_source,
               input.affiliate_id, registered_at, input.consents.email, input.consents.sms,
               input.consents.push, input.consents.messenger, to_string(PlayerStatus::kActive),
               now));
    if (!row) throw ConflictError("external_id '" + input.external_id + "' is already registered");
    Player player = player_from_row(*row);
    insert_tags(player.id, input.tags);
    player.tags = input.tags;
    return player;
}

std::vector<PlayerId> PlayerStore::insert_many(const std::vector<NewPlayer>& inputs,
                                               Timestamp now) {
    constexpr std::size_t kRowsPerStatement = 200;
    constexpr std::string_view kRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";
    std::unordered_map<std::string, PlayerId> created;
    storage::Params params;
    for (std::size_t start = 0; start < inputs.size(); start += kRowsPerStatement) {
        const std::size_t end = std::min(inputs.size(), start + kRowsPerStatement);
        std::string sql =
            "INSERT INTO players (external_id, brand, email, phone, country, birth_date, "
            "currency, language, traffic_source, affiliate_id, registered_at, consent_email, "
            "consent_sms, consent_push, consent_messenger, status, updated_at, version) VALUES ";
        params.clear();
        for (std::size_t i = start; i < end; ++i) {
            const NewPlayer& p = inputs[i];
            if (i > start) sql += ", ";
            sql += kRow;
            params.add(p.external_id).add(p.brand).add(p.email).add(p.phone).add(p.country);
            params.add(format_date(p.birth_date)).add(p.currency).add(p.language);
            params.add(p.traffic_source).add(p.affiliate_id).add(p.registered_at.value_or(now));
            params.add(p.consents.email).add(p.consents.sms).add(p.consents.push);
            params.add(p.consents.messenger).add(to_string(PlayerStatus::kActive)).add(now);
        }
        sql += " ON CONFLICT (external_id) DO NOTHING RETURNING id, external_id";
        tx_.for_each(sql, params, [&](const storage::Cursor& row) {
            created.insert_or_assign(std::string(row.text(1)), PlayerId(row.int64(0)));
        });
    }
    std::vector<PlayerId> out;
    out.reserve(inputs.size());
    for (const NewPlayer& input : inputs) {
        auto it = created.find(input.external_id);
        if (it == created.end()) {
            throw ConflictError("external_id '" + input.external_id + "' is already registered");
        }
        insert_tags(it->second, input.tags);
        out.push_back(it->second);
    }
    return out;
}

void PlayerStore::update(const Player& p, std::int64_t expected_version) {
    const auto changed = tx_.execute(
        "UPDATE players SET email = ?, phone = ?, country = ?, birth_date = ?, language = ?, "
        "traffic_source = ?, affiliate_id = ?, consent_email = ?, consent_sms = ?, "
        "consent_push = ?, consent_messenger = ?, status = ?, updated_at = ?, version = ? "
        "WHERE id = ? AND version = ?",
        Params(p.email, p.phone, p.country, format_date(p.birth_date), p.language, p.traffic_source,
               p.affiliate_id, p.consents.email, p.consents.sms, p.consents.push,
               p.consents.messenger, to_string(p.status), p.updated_at, p.version, p.id.value(),
               expected_version));
    if (changed != 1) {
        throw ConflictError("player:" + p.id.to_string() + " changed concurrently (version " +
                            std::to_string(expected_version) + " is stale)");
    }
    tx_.execute("DELETE FROM player_tags WHERE player_id = ?", Params(p.id.value()));
    insert_tags(p.id, p.tags);
}

std::optional<Player> PlayerStore::find(PlayerId id) {
    auto row = tx_.query_optional(select_from_players() + "WHERE id = ?", Params(id.value()));
    if (!row) return std::nullopt;
    Player player = player_from_row(*row);
    player.tags = tags_of(player.id);
    return player;
}

std::optional<Player> PlayerStore::find_by_external_id(std::string_view external_id) {
    auto row =
        tx_.query_optional(select_from_players() + "WHERE external_id = ?", Params(external_id));
    if (!row) return std::nullopt;
    Player player = player_from_row(*row);
    player.tags = tags_of(player.id);
    return player;
}

std::vector<Player> PlayerStore::list(const PlayerFilter& filter, PlayerId after,
                                      std::size_t limit) {
    std::string sql = select_from_players() + "WHERE id > ?";
    Params params(after.value());
    if (filter.country) {
        sql += " AND country = ?";
        params.add(*filter.country);
    }
    if (filter.brand) {
        sql += " AND brand = ?";
        params.add(*filter.brand);
    }
    if (filter.status) {
        sql += " AND status = ?";
        params.add(to_string(*filter.status));
    }
    if (filter.tag) {
        sql +=
            " AND EXISTS (SELECT 1 FROM player_tags t WHERE t.player_id = players.id"
            " AND t.tag = ?)";
        params.add(*filter.tag);
    }
    sql += " ORDER BY id LIMIT ?";
    params.add(static_cast<std::int64_t>(limit));
    std::vector<Player> players;
    for (const Row& row : tx_.query(sql, params)) players.push_back(player_from_row(row));
    attach_tags(players);
    return players;
}

std::int64_t PlayerStore::count() {
    return tx_.query_single("SELECT COUNT(*) FROM players").int64(0);
}

void PlayerStore::insert_tags(PlayerId id, const std::vector<std::string>& tags) {
    for (const auto& tag : tags) {
        tx_.execute("INSERT INTO player_tags (player_id, tag) VALUES (?, ?)",
                    Params(id.value(), tag));
    }
}

std::vector<std::string> PlayerStore::tags_of(PlayerId id) {
    std::vector<std::string> tags;
    for (const Row& row :
         tx_.query("SELECT tag FROM player_tags WHERE player_id = ?", Params(id.value()))) {
        tags.push_back(row.text(0));
    }
    std::sort(tags.begin(), tags.end());  // byte order on every backend, whatever its collation
    return tags;
}

// One query for the tags of a whole page: the id range of the page, then matched by id.
void PlayerStore::attach_tags(std::vector<Player>& players) {
    if (players.empty()) return;
    std::map<std::int64_t, Player*> by_id;
    for (Player& p : players) by_id.emplace(p.id.value(), &p);
    const auto rows =
        tx_.query("SELECT player_id, tag FROM player_tags WHERE player_id >= ? AND player_id <= ?",
                  Params(players.front().id.value(), players.back().id.value()));
    for (const Row& row : rows) {
        const auto it = by_id.find(row.int64(0));
        if (it != by_id.end()) it->second->tags.push_back(row.text(1));
    }
    for (Player& p : players) std::sort(p.tags.begin(), p.tags.end());
}

std::vector<storage::Migration> PlayerStore::migrations() {
    return {storage::Migration{"players", 1, "player master profiles and their tags",
                               std::string(kSchemaV1)}};
}

}  // namespace pitboss::players
