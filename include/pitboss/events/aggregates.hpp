#pragma once
/// @file
/// Per-player aggregates kept current by ingestion: what a player deposited, wagered, won and
/// how active they are, exact at any point in time. Definitions are in docs/events.md.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "pitboss/core/id.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/core/money.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::events {

/// One figure in the player's wallet currency and in the operator's base currency. Both are
/// converted once, when the event is ingested, with the exchange rate valid at the event's time.
struct DualAmount {
    Money player;  ///< in the player's currency
    Money base;    ///< in the operator's base currency
    /// Field-wise equality, for tests.
    friend bool operator==(const DualAmount&, const DualAmount&) = default;
};

/// A count and a sum over a rolling window `[now - N days, now]`.
struct WindowFigures {
    std::int64_t count = 0;  ///< approved deposits in the window
    DualAmount sum;          ///< their total
    /// Field-wise equality, for tests.
    friend bool operator==(const WindowFigures&, const WindowFigures&) = default;
};

/// A player's figures as of one moment (`as_of`): events after it do not count.
///
/// Deposits count when their transaction's latest status is `approved`, withdrawals when it is
/// `paid`; a transaction's latest status is that of its event with the greatest
/// (occurred_at, status order, event_id). Rolling windows are `[as_of - N days, as_of]` with
/// the start inclusive. `days_since_*` are whole days, rounded down; empty when never.
struct Aggregates {
    PlayerId player_id;       ///< pitboss's id
    std::string external_id;  ///< the platform's player id
    Timestamp as_of;          ///< the moment the figures describe

    std::int64_t deposit_count = 0;             ///< approved deposits, lifetime
    DualAmount deposit_sum;                     ///< their total
    WindowFigures deposits_7d;                  ///< approved deposits in the last 7 days
    WindowFigures deposits_30d;                 ///< ... 30 days
    WindowFigures deposits_90d;                 ///< ... 90 days
    std::optional<Timestamp> first_deposit_at;  ///< time of the earliest approved deposit
    std::optional<Timestamp> last_deposit_at;   ///< time of the latest approved deposit

    std::int64_t withdrawal_count = 0;  ///< paid withdrawals, lifetime
    DualAmount withdrawal_sum;          ///< their total

    std::int64_t bet_count = 0;  ///< bets placed
    DualAmount bet_sum;          ///< turnover
    DualAmount win_sum;          ///< winnings paid
    DualAmount ggr;              ///< gross gaming revenue: bets - wins
    DualAmount bonus_sum;        ///< bonuses granted
    DualAmount bonus_cost;       ///< bonuses granted - bonuses forfeited
    DualAmount ngr;              ///< net gaming revenue: ggr - bonus_cost

    std::int64_t login_count = 0;             ///< logins
    std::int64_t session_count = 0;           ///< ended sessions
    std::chrono::seconds session_duration{};  ///< total length of ended sessions
    std::optional<Timestamp> last_login_at;   ///< latest login
    std::optional<Timestamp> last_seen_at;    ///< latest player activity of any kind
    int active_days_30d = 0;  ///< UTC dates among the 30 ending on as_of's date with activity
    std::optional<std::string> favourite_game_type;  ///< game type with the most bets

    std::optional<std::int64_t> days_since_last_deposit;  ///< whole days since last deposit
    std::optional<std::int64_t> days_since_last_login;    ///< whole days since last login

    /// Field-wise equality, for tests.
    friend bool operator==(const Aggregates&, const Aggregates&) = default;
};

/// The JSON form used by the CLI, the REST API and Python: money as
/// `{"amount":"12.50","currency":"EUR"}` pairs under `player` / `base`, times as RFC 3339.
[[nodiscard]] Json to_json(const Aggregates& aggregates);

}  // namespace pitboss::events
