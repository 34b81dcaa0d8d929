#include "pitboss/events/aggregates.hpp"

#include <optional>
#include <string>

namespace pitboss::events {
namespace {

Json dual_to_json(const DualAmount& amount) {
    return Json{{"player", money_to_json(amount.player)}, {"base", money_to_json(amount.base)}};
}

Json window_to_json(const WindowFigures& window) {
    return Json{{"count", window.count}, {"sum", dual_to_json(window.sum)}};
}

template <class T>
Json optional_to_json(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

}  // namespace

Json to_json(const Aggregates& a) {
    return Json{
        {"player_id", a.player_id},
        {"external_id", a.external_id},
        {"as_of", a.as_of},
        {"deposit_count", a.deposit_count},
        {"deposit_sum", dual_to_json(a.deposit_sum)},
        {"deposits_7d", window_to_json(a.deposits_7d)},
        {"deposits_30d", window_to_json(a.deposits_30d)},
        {"deposits_90d", window_to_json(a.deposits_90d)},
        {"first_deposit_at", optional_to_json(a.first_deposit_at)},
        {"last_deposit_at", optional_to_json(a.last_deposit_at)},
        {"withdrawal_count", a.withdrawal_count},
        {"withdrawal_sum", dual_to_json(a.withdrawal_sum)},
        {"bet_count", a.bet_count},
        {"bet_sum", dual_to_json(a.bet_sum)},
        {"win_sum", dual_to_json(a.win_sum)},
        {"ggr", dual_to_json(a.ggr)},
        {"bonus_sum", dual_to_json(a.bonus_sum)},
        {"bonus_cost", dual_to_json(a.bonus_cost)},
        {"ngr", dual_to_json(a.ngr)},
        {"login_count", a.login_count},
        {"session_count", a.session_count},
        {"session_duration_s", a.session_duration.count()},
        {"last_login_at", optional_to_json(a.last_login_at)},
        {"last_seen_at", optional_to_json(a.last_seen_at)},
        {"active_days_30d", a.active_days_30d},
        {"favourite_game_type", optional_to_json(a.favourite_game_type)},
        {"days_since_last_deposit", optional_to_json(a.days_since_last_deposit)},
        {"days_since_last_login", optional_to_json(a.days_since_last_login)},
    };
}

}  // namespace pitboss::events
