#pragma once
// The pure aggregate engine: one player's running state, fed with logged events in log order,
// answering "what are the aggregates as of T". No database, no clock, no locks.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/money.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/events/aggregates.hpp"
#include "pitboss/events/event.hpp"

namespace pitboss::events::detail {

/// One accepted event as the log keeps it: amounts already converted (at ingest, with the rate
/// valid at occurred_at) into the player's currency and the base currency.
struct LoggedEvent {
    std::int64_t seq = 0;         ///< position in the log (apply order)
    std::int64_t player_key = 0;  ///< players.id
    EventType type = EventType::kLogin;
    Timestamp occurred_at;
    std::string event_id;  ///< the platform's id (lifecycle tie-break)
    std::string ref;       ///< transaction_id, round_id, session_id or bonus_id; empty otherwise
    /// DepositStatus / WithdrawalStatus / BonusKind as its enum value; -1 for other types.
    int state = -1;
    std::int64_t player_minor = 0;  ///< amount in the player's currency (0 for non-money types)
    std::int64_t base_minor = 0;    ///< amount in the base currency
    std::string game_type;          ///< bets only
    std::int64_t duration_s = 0;    ///< session_end only
};

/// True for deposits and withdrawals: events that belong to a transaction lifecycle.
[[nodiscard]] bool has_lifecycle(EventType type) noexcept;

/// Lifecycle order: true when `a` supersedes `b` (same transaction). Compares
/// (occurred_at, state, event_id) lexicographically; the greatest is the transaction's status.
[[nodiscard]] bool supersedes(const LoggedEvent& a, const LoggedEvent& b) noexcept;

/// True when a lifecycle event is the counted status: an approved deposit, a paid withdrawal.
[[nodiscard]] bool counts_as_money_movement(const LoggedEvent& e) noexcept;

/// True for the events that make a day "active": every type except bonus.
[[nodiscard]] bool is_activity(EventType type) noexcept;

/// Everything needed to turn a PlayerState into an Aggregates value.
struct PlayerIdentity {
    PlayerId player_id;
    std::string external_id;
    Currency player_currency;
    Currency base_currency;
};

/// One player's running aggregates. Memory is bounded by the player, not by their events:
/// per-transaction history lives in the log, windows keep only what can still fall inside
/// them for any as_of >= max_occurred_at().
class alignas(64) PlayerState {
public:
    /// Applies one event. `previous` is, for a lifecycle event, the transaction's current status
    /// event among the events applied before (nullptr for its first event); ignored otherwise.
    /// Events must be applied in log order; a late event (older occurred_at) is fine.
    void apply(const LoggedEvent& event, const LoggedEvent* previous);

    /// The greatest occurred_at applied so far (the epoch when nothing was applied).
    [[nodiscard]] Timestamp max_occurred_at() const noexcept { return max_occurred_at_; }
    /// True when as_of(t) is exact from this state alone: t >= max_occurred_at() and the
    /// first/last deposit times are known (see deposit_times_known()).
    [[nodiscard]] bool answers(Timestamp as_of) const noexcept {
        return as_of >= max_occurred_at_ && deposit_times_known();
    }
    /// False only after more counted deposits were removed by lifecycle changes than the
    /// bounded state remembers (docs/events.md, "Aggregates"); replay() restores exactness.
    [[nodiscard]] bool deposit_times_known() const noexcept;
    /// The aggregates as of `as_of`; precondition answers(as_of) (else std::logic_error).
    [[nodiscard]] Aggregates as_of(const PlayerIdentity& who, Timestamp as_of) const;

    /// Rebuilds the state of a player's complete history (sorted by seq): the same figures as
    /// applying it event by event, but each lifecycle contributes only its final status, so
    /// the result always answers (deposit times known). Also the repair for a state that lost
    /// its deposit times.
    [[nodiscard]] static PlayerState replay(const std::vector<LoggedEvent>& history);

    /// Heap bytes held by this state (vector capacities, long strings), for memory reports.
    [[nodiscard]] std::size_t heap_bytes() const noexcept;

    /// Field-wise equality (checkpoint round trips).
    friend bool operator==(const PlayerState&, const PlayerState&) = default;

    /// Storage form for checkpoints: every field as an integer column or a compact text.
    struct Columns {
        std::array<std::int64_t, 28> numbers{};  ///< fixed-position integer fields
        std::string deposits;                    ///< approved deposits still inside 90 days
        std::string game_types;                  ///< per game type: bet count and base sum
    };
    /// The checkpoint form of this state.
    [[nodiscard]] Columns to_columns() const;
    /// Rebuilds a state from its checkpoint form; StorageError when the text is malformed.
    [[nodiscard]] static PlayerState from_columns(const Columns& columns);
    /// Names of `Columns::numbers`, in order, for the checkpoint table's DDL and statements.
    [[nodiscard]] static const std::array<std::string_view, 28>& number_column_names() noexcept;

private:
    /// Player-currency and base-currency minor units of one running sum.
    struct MinorPair {
        std::int64_t player = 0;
        std::int64_t base = 0;
        friend bool operator==(const MinorPair&, const MinorPair&) = default;
    };
    struct WindowDeposit {
        Timestamp at;
        std::int64_t player_minor = 0;
        std::int64_t base_minor = 0;
        friend bool operator==(const WindowDeposit&, const WindowDeposit&) = default;
    };
    struct GameTypeFigures {
        std::string game_type;
        std::int64_t bets = 0;
        std::int64_t base_sum = 0;
        friend bool operator==(const GameTypeFigures&, const GameTypeFigures&) = default;
    };
    /// Counted deposits remembered at one end of the time order.
    static constexpr std::size_t kKeptDepositTimes = 3;
    /// The `size` earliest (or latest) counted deposit times, best first; unused slots zero.
    struct DepositTimes {
        std::array<Timestamp, kKeptDepositTimes> times{};
        std::uint8_t size = 0;
        friend bool operator==(const DepositTimes&, const DepositTimes&) = default;
    };

    void apply_bet(const LoggedEvent& e);
    void apply_bonus(const LoggedEvent& e);
    void apply_lifecycle(const LoggedEvent& e, const LoggedEvent* previous);
    void change_deposits(const LoggedEvent* removed, const LoggedEvent* added);
    void change_withdrawals(const LoggedEvent* removed, const LoggedEvent* added);
    void note_activity(Timestamp at) noexcept;
    void advance_max(Timestamp at);
    void refill_deposit_times_from_window();
    void apply_without_money(const LoggedEvent& e);
    [[nodiscard]] std::optional<Timestamp> first_deposit_at() const noexcept;
    [[nodiscard]] std::optional<Timestamp> last_deposit_at() const noexcept;
    [[nodiscard]] int active_days_as_of(Timestamp as_of) const noexcept;
    [[nodiscard]] std::optional<std::string> favourite_game_type() const;
    [[nodiscard]] Aggregates figures(const PlayerIdentity& who, Timestamp as_of) const;
    friend Aggregates recompute(const PlayerIdentity& who, const std::vector<LoggedEvent>& history,
                                Timestamp as_of);

    // Hot: touched by nearly every event, kept together in the first two cache lines.
    Timestamp max_occurred_at_{};
    Timestamp last_seen_at_{};  // meaningful when active_day_bits_ != 0
    // Bit i: activity on the UTC date i days before last_seen_at_'s date (i < 30); bit 0 is set
    // once there was any activity.
    std::uint32_t active_day_bits_ = 0;
    std::int64_t bet_count_ = 0;
    MinorPair bet_sum_;
    MinorPair win_sum_;
    // In order of first bet.
    std::vector<GameTypeFigures> game_types_;
    // Counted deposits with at >= max_occurred_at_ - 90 days, sorted by (at, amounts).
    std::vector<WindowDeposit> recent_deposits_;

    std::int64_t deposit_count_ = 0;
    MinorPair deposit_sum_;
    std::int64_t withdrawal_count_ = 0;
    MinorPair withdrawal_sum_;
    MinorPair bonus_granted_;
    MinorPair bonus_forfeited_;
    std::int64_t login_count_ = 0;
    std::int64_t session_count_ = 0;
    std::int64_t session_duration_s_ = 0;
    std::optional<Timestamp> last_login_at_;
    DepositTimes earliest_deposits_;  // ascending
    DepositTimes latest_deposits_;    // descending
};

/// Exact recomputation from a player's complete history (any order of arrival, sorted by seq):
/// applies the events with occurred_at <= as_of, tracking lifecycles in memory.
[[nodiscard]] Aggregates recompute(const PlayerIdentity& who,
                                   const std::vector<LoggedEvent>& history, Timestamp as_of);

}  // namespace pitboss::events::detail
