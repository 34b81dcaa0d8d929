#include "segments/snapshot_loader.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "pitboss/players/player.hpp"

namespace pitboss::segments::detail {
namespace {

using storage::Params;

constexpr std::size_t kIdsPerStatement = 500;

constexpr std::string_view kSelect =
    "SELECT id, external_id, country, language, currency, traffic_source, affiliate_id, "
    "status, birth_date, registered_at, consent_email, consent_sms, consent_push, "
    "consent_messenger, version FROM players ";

void read_into(storage::Transaction& tx, const std::string& sql, const Params& params,
               ProfilePage& out) {
    tx.for_each(sql, params, [&](const storage::Cursor& c) {
        out.versions.push_back(c.int64(14));
        PlayerRow& row = out.rows.emplace_back();
        row.player_id = PlayerId(c.int64(0));
        row.external_id = c.text(1);
        row.country = c.text(2);
        row.language = c.text(3);
        row.currency = c.text(4);
        if (!c.is_null(5)) row.traffic_source = std::string(c.text(5));
        if (!c.is_null(6)) row.affiliate_id = std::string(c.text(6));
        const players::PlayerStatus status = players::parse_player_status(c.text(7));
        row.status = players::to_string(status);
        row.self_excluded = status == players::PlayerStatus::kSelfExcluded;
        row.blocked = status == players::PlayerStatus::kBlocked;
        row.birth_date = parse_date(c.text(8), "birth_date");
        row.registered_at = from_unix_millis(c.int64(9));
        row.consent_email = c.int64(10) != 0;
        row.consent_sms = c.int64(11) != 0;
        row.consent_push = c.int64(12) != 0;
        row.consent_messenger = c.int64(13) != 0;
    });
}

}  // namespace

ProfilePage read_profiles(storage::Transaction& tx, PlayerId after, std::size_t limit) {
    ProfilePage out;
    out.rows.reserve(limit);
    out.versions.reserve(limit);
    read_into(tx, std::string(kSelect) + "WHERE id > ? ORDER BY id LIMIT ?",
              Params(after.value(), static_cast<std::int64_t>(limit)), out);
    return out;
}

ProfilePage read_profiles(storage::Transaction& tx, const std::vector<PlayerId>& ids) {
    ProfilePage out;
    for (std::size_t start = 0; start < ids.size(); start += kIdsPerStatement) {
        const std::size_t end = std::min(ids.size(), start + kIdsPerStatement);
        std::string sql = std::string(kSelect) + "WHERE id IN (";
        Params params;
        for (std::size_t i = start; i < end; ++i) {
            sql += i == start ? "?" : ", ?";
            params.add(ids[i].value());
        }
        read_into(tx, sql + ") ORDER BY id", params, out);
    }
    return out;
}

void apply_aggregates(PlayerRow& row, const events::Aggregates& a, const ChurnWeights& weights) {
    row.deposit_count = a.deposit_count;
    row.deposit_sum = a.deposit_sum.base.minor_units();
    row.deposit_count_7d = a.deposits_7d.count;
    row.deposit_sum_7d = a.deposits_7d.sum.base.minor_units();
    row.deposit_count_30d = a.deposits_30d.count;
    row.deposit_sum_30d = a.deposits_30d.sum.base.minor_units();
    row.deposit_count_90d = a.deposits_90d.count;
    row.deposit_sum_90d = a.deposits_90d.sum.base.minor_units();
    row.first_deposit_at = a.first_deposit_at;
    row.last_deposit_at = a.last_deposit_at;
    row.withdrawal_count = a.withdrawal_count;
    row.withdrawal_sum = a.withdrawal_sum.base.minor_units();
    row.bet_count = a.bet_count;
    row.bet_sum = a.bet_sum.base.minor_units();
    row.win_sum = a.win_sum.base.minor_units();
    row.ggr = a.ggr.base.minor_units();
    row.ngr = a.ngr.base.minor_units();
    row.bonus_sum = a.bonus_sum.base.minor_units();
    row.login_count = a.login_count;
    row.session_count = a.session_count;
    row.last_login_at = a.last_login_at;
    row.active_days_30d = a.active_days_30d;
    row.favourite_game_type = a.favourite_game_type;
    const Timestamp registered = row.registered_at.value_or(a.as_of);
    row.churn_risk = churn_risk(churn_inputs(a, registered), weights);
}

void apply_no_aggregates(PlayerRow& row, Timestamp now, const ChurnWeights& weights) {
    ChurnInputs in;
    const Timestamp registered = row.registered_at.value_or(now);
    in.tenure_days =
        registered < now ? std::chrono::floor<std::chrono::days>(now - registered).count() : 0;
    row.churn_risk = churn_risk(in, weights);
}

PlayersFingerprint players_fingerprint(storage::Transaction& tx) {
    const auto row = tx.query_single(
        "SELECT COUNT(*), CAST(COALESCE(MAX(id), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM players");
    return {row.int64(0), row.int64(1), row.int64(2)};
}

void merge_aggregates(std::vector<PlayerRow>& rows, const std::vector<events::Aggregates>& figures,
                      Timestamp now, const ChurnWeights& weights) {
    auto next = figures.begin();
    for (PlayerRow& row : rows) {
        while (next != figures.end() && next->player_id < row.player_id) ++next;
        if (next != figures.end() && next->player_id == row.player_id) {
            apply_aggregates(row, *next, weights);
        } else {
            apply_no_aggregates(row, now, weights);
        }
    }
}

}  // namespace pitboss::segments::detail
