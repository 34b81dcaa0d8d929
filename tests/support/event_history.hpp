#pragma once
// Random platform event histories for property tests: JSON Lines in a shuffled arrival order
// (with replays), and the same events as the reference implementation sees them.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "events/aggregate_state.hpp"
#include "pitboss/core/time.hpp"
#include "unit/events/reference_aggregates.hpp"

namespace pitboss::testing {

/// A generated history: what to ingest and what each player's events are.
struct EventHistory {
    std::vector<std::string> lines;  ///< JSON Lines in arrival order (replays included)
    std::map<std::string, std::vector<events::detail::LoggedEvent>> events;  ///< by player
    std::map<std::string, std::string> players;  ///< external id -> wallet currency
};

/// `players` players (EUR or USD wallets; USD converts at 0.92) with about `events_count`
/// events over the 120 days before `now`, some after it. Amounts are whole units so the
/// conversion is exact.
inline EventHistory random_event_history(std::uint32_t seed, int players, int events_count,
                                         Timestamp now) {
    using events::EventType;
    using events::detail::LoggedEvent;
    using namespace std::chrono;
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint32_t>(n)); };
    EventHistory h;
    std::vector<std::string> ordered;
    auto when = [&] {
        // Mostly the last 120 days, a few after now; some exactly on window edges.
        const int kind = pick(20);
        if (kind == 0) return now - days(30);
        if (kind == 1) return now - days(7) - milliseconds(1);
        if (kind == 2) return now + hours(1 + pick(48));
        return now - minutes(pick(120 * 24 * 60));
    };
    int next_id = 0;
    auto add = [&](const std::string& player, LoggedEvent e, const std::string& json_fields,
                   const std::string& currency) {
        e.event_id = "ev-" + std::to_string(seed) + "-" + std::to_string(next_id++);
        const std::string json = R"({"event_id":")" + e.event_id + R"(","type":")" +
                                 std::string(to_string(e.type)) + R"(","player_id":")" + player +
                                 R"(","occurred_at":")" + format_timestamp(e.occurred_at) + "\"" +
                                 json_fields + "}";
        (void)currency;
        h.events[player].push_back(e);
        ordered.push_back(json);
    };
    std::vector<std::string> names;
    for (int p = 0; p < players; ++p) {
        const std::string name = "pl-" + std::to_string(seed) + "-" + std::to_string(p);
        const std::string currency = pick(3) == 0 ? "USD" : "EUR";
        h.players[name] = currency;
        names.push_back(name);
        // Registrations come first in arrival order (ingestion needs the player).
        h.lines.push_back(
            R"({"event_id":"reg-)" + name + R"(","type":"registration","player_id":")" + name +
            R"(","occurred_at":")" + format_timestamp(now - days(400)) +
            R"(","country":"MT","birth_date":"1980-01-01","currency":")" + currency + "\"}");
        LoggedEvent reg;
        reg.type = EventType::kRegistration;
        reg.occurred_at = now - days(400);
        reg.event_id = "reg-" + name;
        h.events[name].push_back(reg);
    }
    static const char* kGameTypes[] = {"slots", "live_casino", "table", "sports"};
    for (int i = 0; i < events_count; ++i) {
        const std::string& player = names[static_cast<std::size_t>(pick(players))];
        const std::string& currency = h.players[player];
        const std::int64_t units = 1 + pick(500);
        LoggedEvent e;
        e.occurred_at = when();
        e.player_minor = units * 100;
        e.base_minor = currency == "USD" ? units * 92 : units * 100;
        const std::string money =
            R"(,"amount":")" + std::to_string(units) + R"(","currency":")" + currency + "\"";
        const int kind = pick(12);
        if (kind <= 3) {
            e.type = EventType::kBet;
            e.ref = "round-" + std::to_string(i);
            e.game_type = kGameTypes[pick(4)];
            add(player, e,
                R"(,"round_id":")" + e.ref + R"(","game_id":"g","game_type":")" + e.game_type +
                    "\"" + money,
                currency);
        } else if (kind <= 5) {
            e.type = EventType::kWin;
            e.ref = "round-" + std::to_string(i);
            add(player, e, R"(,"round_id":")" + e.ref + R"(","game_id":"g")" + money, currency);
        } else if (kind == 6) {
            e.type = EventType::kLogin;
            e.ref = "s-" + std::to_string(i);
            e.player_minor = e.base_minor = 0;
            add(player, e, R"(,"session_id":")" + e.ref + "\"", currency);
        } else if (kind == 7) {
            e.type = EventType::kSessionEnd;
            e.ref = "s-" + std::to_string(i);
            e.duration_s = pick(7200);
            e.player_minor = e.base_minor = 0;
            add(player, e,
                R"(,"session_id":")" + e.ref + R"(","duration_s":)" + std::to_string(e.duration_s),
                currency);
        } else if (kind == 8) {
            e.type = EventType::kBonus;
            e.ref = "bonus-" + std::to_string(i);
            e.state = pick(3);
            add(player, e,
                R"(,"bonus_id":")" + e.ref + R"(","kind":")" +
                    std::string(to_string(static_cast<events::BonusKind>(e.state))) + "\"" + money,
                currency);
        } else {
            // A transaction with one to three status events at nearby times.
            const bool deposit = kind != 11;
            e.type = deposit ? EventType::kDeposit : EventType::kWithdrawal;
            e.ref = "txn-" + std::to_string(seed) + "-" + std::to_string(i);
            const int steps = 1 + pick(3);
            for (int s = 0; s < steps; ++s) {
                LoggedEvent step = e;
                step.state = deposit ? pick(3) : pick(5);
                step.occurred_at = e.occurred_at + minutes(pick(3) * 30);
                const std::string status =
                    deposit
                        ? std::string(to_string(static_cast<events::DepositStatus>(step.state)))
                        : std::string(to_string(static_cast<events::WithdrawalStatus>(step.state)));
                add(player, step,
                    R"(,"transaction_id":")" + e.ref + R"(","status":")" + status + "\"" + money,
                    currency);
            }
        }
        // Replays of earlier events.
        if (pick(25) == 0 && !ordered.empty()) ordered.push_back(ordered[rng() % ordered.size()]);
    }
    std::shuffle(ordered.begin(), ordered.end(), rng);
    h.lines.insert(h.lines.end(), ordered.begin(), ordered.end());
    return h;
}

/// The reference aggregates of one generated player.
inline events::Aggregates reference_aggregates(const EventHistory& h, PlayerId id,
                                               const std::string& external_id, Timestamp as_of) {
    const events::detail::PlayerIdentity who{
        id, external_id, Currency::of(h.players.at(external_id)), Currency::of("EUR")};
    return events::testing::reference_aggregates(who, h.events.at(external_id), as_of);
}

}  // namespace pitboss::testing
