#pragma once
// A deliberately naive reference for the per-player aggregates, written from the definitions in
// docs/events.md ("Aggregates") without the engine: no bounded state, no incremental updates,
// just the events with occurred_at <= as_of, each transaction's final status, and direct sums.
// Slow on purpose; used by the unit property test and the conformance property test.

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "events/aggregate_state.hpp"
#include "pitboss/core/money.hpp"
#include "pitboss/events/aggregates.hpp"

namespace pitboss::events::testing {

/// Position of a status in its lifecycle; the later stage wins when two status events of one
/// transaction have the same occurred_at.
inline int reference_stage(const detail::LoggedEvent& e) {
    if (e.type == EventType::kDeposit) {
        const auto status = static_cast<DepositStatus>(e.state);
        if (status == DepositStatus::kPending) return 0;
        if (status == DepositStatus::kApproved) return 1;
        return 2;  // declined
    }
    const auto status = static_cast<WithdrawalStatus>(e.state);
    if (status == WithdrawalStatus::kRequested) return 0;
    if (status == WithdrawalStatus::kApproved) return 1;
    if (status == WithdrawalStatus::kPaid) return 2;
    if (status == WithdrawalStatus::kRejected) return 3;
    return 4;  // cancelled
}

/// The aggregates of `history` (any order) as of `as_of`, computed the slow, obvious way.
inline Aggregates reference_aggregates(const detail::PlayerIdentity& who,
                                       const std::vector<detail::LoggedEvent>& history,
                                       Timestamp as_of) {
    using std::chrono::days;
    const Currency pc = who.player_currency;
    const Currency bc = who.base_currency;
    const DualAmount zero{Money::zero(pc), Money::zero(bc)};
    auto plus = [](DualAmount sum, const detail::LoggedEvent& e) {
        sum.player += Money(e.player_minor, sum.player.currency());
        sum.base += Money(e.base_minor, sum.base.currency());
        return sum;
    };
    auto minus = [](DualAmount a, const DualAmount& b) {
        a.player -= b.player;
        a.base -= b.base;
        return a;
    };

    // 1. What had happened by as_of.
    std::vector<detail::LoggedEvent> seen;
    for (const auto& e : history) {
        if (e.occurred_at <= as_of) seen.push_back(e);
    }

    // 2. Each transaction's status: its event with the greatest (occurred_at, stage, event_id).
    std::map<std::pair<EventType, std::string>, detail::LoggedEvent> status;
    for (const auto& e : seen) {
        if (e.type != EventType::kDeposit && e.type != EventType::kWithdrawal) continue;
        const auto key = std::make_pair(e.type, e.ref);
        auto it = status.find(key);
        if (it == status.end()) {
            status.emplace(key, e);
            continue;
        }
        const auto& old = it->second;
        if (std::make_tuple(e.occurred_at, reference_stage(e), e.event_id) >
            std::make_tuple(old.occurred_at, reference_stage(old), old.event_id)) {
            it->second = e;
        }
    }
    std::vector<detail::LoggedEvent> approved_deposits;
    std::vector<detail::LoggedEvent> paid_withdrawals;
    for (const auto& [key, e] : status) {
        if (e.type == EventType::kDeposit &&
            static_cast<DepositStatus>(e.state) == DepositStatus::kApproved) {
            approved_deposits.push_back(e);
        }
        if (e.type == EventType::kWithdrawal &&
            static_cast<WithdrawalStatus>(e.state) == WithdrawalStatus::kPaid) {
            paid_withdrawals.push_back(e);
        }
    }

    // Aggregates has no default constructor (Money has none): start from explicit zeros.
    Aggregates a{.player_id = who.player_id,
                 .external_id = who.external_id,
                 .as_of = as_of,
                 .deposit_sum = zero,
                 .deposits_7d = {0, zero},
                 .deposits_30d = {0, zero},
                 .deposits_90d = {0, zero},
                 .first_deposit_at = std::nullopt,
                 .last_deposit_at = std::nullopt,
                 .withdrawal_sum = zero,
                 .bet_sum = zero,
                 .win_sum = zero,
                 .ggr = zero,
                 .bonus_sum = zero,
                 .bonus_cost = zero,
                 .ngr = zero,
                 .last_login_at = std::nullopt,
                 .last_seen_at = std::nullopt,
                 .favourite_game_type = std::nullopt,
                 .days_since_last_deposit = std::nullopt,
                 .days_since_last_login = std::nullopt};

    // 3. Deposits: lifetime, windows [as_of - N days, as_of], first and last.
    for (const auto& d : approved_deposits) {
        a.deposit_count += 1;
        a.deposit_sum = plus(a.deposit_sum, d);
        for (auto [length, window] :
             {std::make_pair(7, &a.deposits_7d), std::make_pair(30, &a.deposits_30d),
              std::make_pair(90, &a.deposits_90d)}) {
            if (d.occurred_at >= as_of - days(length) && d.occurred_at <= as_of) {
                window->count += 1;
                window->sum = plus(window->sum, d);
            }
        }
        if (!a.first_deposit_at || d.occurred_at < *a.first_deposit_at) {
            a.first_deposit_at = d.occurred_at;
        }
        if (!a.last_deposit_at || d.occurred_at > *a.last_deposit_at) {
            a.last_deposit_at = d.occurred_at;
        }
    }
    for (const auto& w : paid_withdrawals) {
        a.withdrawal_count += 1;
        a.withdrawal_sum = plus(a.withdrawal_sum, w);
    }

    // 4. Play, bonuses, sessions, activity.
    DualAmount forfeited = zero;
    std::map<std::string, std::pair<std::int64_t, Money>> per_game_type;
    std::set<std::chrono::sys_days> active_dates;
    for (const auto& e : seen) {
        switch (e.type) {
            case EventType::kBet: {
                a.bet_count += 1;
                a.bet_sum = plus(a.bet_sum, e);
                auto [it, added] = per_game_type.try_emplace(e.game_type, 0, Money::zero(bc));
                it->second.first += 1;
                it->second.second += Money(e.base_minor, bc);
                break;
            }
            case EventType::kWin:
                a.win_sum = plus(a.win_sum, e);
                break;
            case EventType::kBonus:
                if (static_cast<BonusKind>(e.state) == BonusKind::kGranted) {
                    a.bonus_sum = plus(a.bonus_sum, e);
                }
                if (static_cast<BonusKind>(e.state) == BonusKind::kForfeited) {
                    forfeited = plus(forfeited, e);
                }
                break;
            case EventType::kLogin:
                a.login_count += 1;
                if (!a.last_login_at || e.occurred_at > *a.last_login_at) {
                    a.last_login_at = e.occurred_at;
                }
                break;
            case EventType::kSessionEnd:
                a.session_count += 1;
                a.session_duration += std::chrono::seconds(e.duration_s);
                break;
            default:
                break;
        }
        if (e.type != EventType::kBonus) {
            if (!a.last_seen_at || e.occurred_at > *a.last_seen_at) a.last_seen_at = e.occurred_at;
            active_dates.insert(std::chrono::floor<days>(e.occurred_at));
        }
    }
    a.ggr = minus(a.bet_sum, a.win_sum);
    a.bonus_cost = minus(a.bonus_sum, forfeited);
    a.ngr = minus(a.ggr, a.bonus_cost);

    const auto today = std::chrono::floor<days>(as_of);
    for (auto date : active_dates) {
        if (date >= today - days(29) && date <= today) a.active_days_30d += 1;
    }

    // 5. Favourite game type: most bets, then larger base turnover, then the smaller name.
    for (const auto& [name, figures] : per_game_type) {
        if (!a.favourite_game_type) {
            a.favourite_game_type = name;
            continue;
        }
        const auto& best = per_game_type.at(*a.favourite_game_type);
        if (figures.first > best.first ||
            (figures.first == best.first && figures.second > best.second)) {
            a.favourite_game_type = name;  // names ascend, so a tie keeps the smaller one
        }
    }

    // 6. Whole days since, rounded down.
    const auto whole_days = [&](Timestamp t) {
        const auto ms = (as_of - t).count();
        const std::int64_t per_day = 24LL * 60 * 60 * 1000;
        return ms >= 0 ? ms / per_day : -((-ms + per_day - 1) / per_day);
    };
    if (a.last_deposit_at) a.days_since_last_deposit = whole_days(*a.last_deposit_at);
    if (a.last_login_at) a.days_since_last_login = whole_days(*a.last_login_at);
    return a;
}

}  // namespace pitboss::events::testing
