#include "events/aggregate_state.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::events::detail {
namespace {

using std::chrono::days;

constexpr Duration kLongestWindow = days(90);
constexpr int kActiveDaysWindow = 30;
constexpr std::uint32_t kActiveDayMask = (std::uint32_t{1} << kActiveDaysWindow) - 1;
// Checkpoint value of an absent timestamp.
constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

[[noreturn]] void throw_overflow() {
    throw ValidationError("amount", "an aggregate overflows the 64-bit minor-unit range");
}

std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) throw_overflow();
    return sum;
}

std::int64_t checked_sub(std::int64_t a, std::int64_t b) {
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(a, b, &difference)) throw_overflow();
    return difference;
}

std::int64_t day_number(Timestamp t) noexcept {
    return std::chrono::floor<days>(t).time_since_epoch().count();
}

// Lifecycle order of a status: the later stage wins a tie on occurred_at. Deposits go
// pending -> approved -> declined (a decline at the same instant as an approval reverses it);
// withdrawals follow their enum: requested, approved, paid, rejected, cancelled.
int lifecycle_rank(const LoggedEvent& e) noexcept {
    if (e.type == EventType::kDeposit) {
        switch (static_cast<DepositStatus>(e.state)) {
            case DepositStatus::kPending:
                return 0;
            case DepositStatus::kApproved:
                return 1;
            case DepositStatus::kDeclined:
                return 2;
        }
    }
    return e.state;
}

}  // namespace

bool has_lifecycle(EventType type) noexcept {
    return type == EventType::kDeposit || type == EventType::kWithdrawal;
}

bool supersedes(const LoggedEvent& a, const LoggedEvent& b) noexcept {
    if (a.occurred_at != b.occurred_at) return a.occurred_at > b.occurred_at;
    const int rank_a = lifecycle_rank(a);
    const int rank_b = lifecycle_rank(b);
    if (rank_a != rank_b) return rank_a > rank_b;
    return a.event_id > b.event_id;
}

bool counts_as_money_movement(const LoggedEvent& e) noexcept {
    return (e.type == EventType::kDeposit &&
            e.state == static_cast<int>(DepositStatus::kApproved)) ||
           (e.type == EventType::kWithdrawal &&
            e.state == static_cast<int>(WithdrawalStatus::kPaid));
}

bool is_activity(EventType type) noexcept { return type != EventType::kBonus; }

// ---- bounded deposit times ----------------------------------------------------------------
//
// DepositTimes keeps the `size` first counted deposit times in rank order (earliest first, or
// latest first). Invariant: they are exactly the `size` best-ranked elements of the multiset of
// counted deposit times (so the first one is the true minimum / maximum whenever size > 0).
// Adding keeps it; removing an element from the kept ones shrinks it by one (the next one is
// unknown if more deposits exist), which is how the state can lose them.

namespace {

template <class Times, class Before>
void keep_time(Times& kept, Timestamp t, std::int64_t count_before, Before before) {
    const bool holds_all = kept.size == count_before;
    // Unknown deposits may rank between the last kept one and t.
    if (!holds_all && (kept.size == 0 || before(kept.times[kept.size - 1], t))) return;
    std::size_t pos = kept.size;
    while (pos > 0 && before(t, kept.times[pos - 1])) --pos;
    if (pos == kept.times.size()) return;
    const std::size_t last = std::min<std::size_t>(kept.size, kept.times.size() - 1);
    for (std::size_t i = last; i > pos; --i) kept.times[i] = kept.times[i - 1];
    kept.times[pos] = t;
    if (kept.size < kept.times.size()) ++kept.size;
}

template <class Times, class Before>
void forget_time(Times& kept, Timestamp t, Before before) {
    if (kept.size == 0 || before(kept.times[kept.size - 1], t)) return;
    std::size_t pos = 0;
    while (pos < kept.size && kept.times[pos] != t) ++pos;
    if (pos == kept.size) return;
    for (std::size_t i = pos + 1; i < kept.size; ++i) kept.times[i - 1] = kept.times[i];
    --kept.size;
    kept.times[kept.size] = Timestamp{};
}

constexpr auto kEarlier = [](Timestamp a, Timestamp b) { return a < b; };
constexpr auto kLater = [](Timestamp a, Timestamp b) { return a > b; };

}  // namespace

bool PlayerState::deposit_times_known() const noexcept {
    if (deposit_count_ == 0) return true;
    const auto in_window = static_cast<std::int64_t>(recent_deposits_.size());
    const bool first_known = earliest_deposits_.size > 0 || in_window == deposit_count_;
    const bool last_known = latest_deposits_.size > 0 || in_window > 0;
    return first_known && last_known;
}

std::optional<Timestamp> PlayerState::first_deposit_at() const noexcept {
    if (deposit_count_ == 0) return std::nullopt;
    if (earliest_deposits_.size > 0) return earliest_deposits_.times[0];
    if (static_cast<std::int64_t>(recent_deposits_.size()) == deposit_count_) {
        return recent_deposits_.front().at;
    }
    return std::nullopt;
}

std::optional<Timestamp> PlayerState::last_deposit_at() const noexcept {
    if (deposit_count_ == 0) return std::nullopt;
    if (latest_deposits_.size > 0) return latest_deposits_.times[0];
    if (!recent_deposits_.empty()) return recent_deposits_.back().at;
    return std::nullopt;
}

void PlayerState::refill_deposit_times_from_window() {
    const auto target = static_cast<std::uint8_t>(
        std::min<std::int64_t>(deposit_count_, static_cast<std::int64_t>(kKeptDepositTimes)));
    if (earliest_deposits_.size == target && latest_deposits_.size == target) return;
    if (static_cast<std::int64_t>(recent_deposits_.size()) != deposit_count_) return;
    earliest_deposits_ = DepositTimes{};
    latest_deposits_ = DepositTimes{};
    for (std::uint8_t i = 0; i < target; ++i) {
        earliest_deposits_.times[i] = recent_deposits_[i].at;
        latest_deposits_.times[i] = recent_deposits_[recent_deposits_.size() - 1 - i].at;
    }
    earliest_deposits_.size = target;
    latest_deposits_.size = target;
}

// ---- apply ----------------------------------------------------------------------------------

void PlayerState::apply(const LoggedEvent& event, const LoggedEvent* previous) {
    switch (event.type) {
        case EventType::kBet:
            apply_bet(event);
            break;
        case EventType::kWin:
            win_sum_ = {checked_add(win_sum_.player, event.player_minor),
                        checked_add(win_sum_.base, event.base_minor)};
            break;
        case EventType::kBonus:
            apply_bonus(event);
            break;
        case EventType::kDeposit:
        case EventType::kWithdrawal:
            apply_lifecycle(event, previous);
            break;
        case EventType::kSessionEnd:
            session_duration_s_ = checked_add(session_duration_s_, event.duration_s);
            ++session_count_;
            break;
        case EventType::kLogin:
            ++login_count_;
            if (!last_login_at_ || event.occurred_at > *last_login_at_) {
                last_login_at_ = event.occurred_at;
            }
            break;
        case EventType::kRegistration:
            break;
    }
    if (is_activity(event.type)) note_activity(event.occurred_at);
    advance_max(event.occurred_at);
}

void PlayerState::apply_bet(const LoggedEvent& e) {
    const MinorPair sum{checked_add(bet_sum_.player, e.player_minor),
                        checked_add(bet_sum_.base, e.base_minor)};
    auto figures =
        std::find_if(game_types_.begin(), game_types_.end(),
                     [&](const GameTypeFigures& g) { return g.game_type == e.game_type; });
    if (figures == game_types_.end()) {
        game_types_.push_back(GameTypeFigures{e.game_type, 0, 0});
        figures = game_types_.end() - 1;
    }
    std::int64_t type_sum = 0;
    if (__builtin_add_overflow(figures->base_sum, e.base_minor, &type_sum)) {
        if (figures->bets == 0) game_types_.pop_back();
        throw_overflow();
    }
    figures->base_sum = type_sum;
    ++figures->bets;
    bet_sum_ = sum;
    ++bet_count_;
}

void PlayerState::apply_bonus(const LoggedEvent& e) {
    MinorPair* target = nullptr;
    if (e.state == static_cast<int>(BonusKind::kGranted)) target = &bonus_granted_;
    if (e.state == static_cast<int>(BonusKind::kForfeited)) target = &bonus_forfeited_;
    if (target == nullptr) return;  // wagered: no money moves
    *target = {checked_add(target->player, e.player_minor),
               checked_add(target->base, e.base_minor)};
}

void PlayerState::apply_lifecycle(const LoggedEvent& e, const LoggedEvent* previous) {
    if (previous != nullptr && !supersedes(e, *previous)) return;
    const LoggedEvent* removed =
        previous != nullptr && counts_as_money_movement(*previous) ? previous : nullptr;
    const LoggedEvent* added = counts_as_money_movement(e) ? &e : nullptr;
    if (removed == nullptr && added == nullptr) return;
    if (e.type == EventType::kDeposit) {
        change_deposits(removed, added);
    } else {
        change_withdrawals(removed, added);
    }
}

void PlayerState::change_withdrawals(const LoggedEvent* removed, const LoggedEvent* added) {
    MinorPair sum = withdrawal_sum_;
    std::int64_t count = withdrawal_count_;
    if (removed != nullptr) {
        sum = {checked_sub(sum.player, removed->player_minor),
               checked_sub(sum.base, removed->base_minor)};
        --count;
    }
    if (added != nullptr) {
        sum = {checked_add(sum.player, added->player_minor),
               checked_add(sum.base, added->base_minor)};
        ++count;
    }
    withdrawal_sum_ = sum;
    withdrawal_count_ = count;
}

void PlayerState::change_deposits(const LoggedEvent* removed, const LoggedEvent* added) {
    // Every check that can throw runs before the first change.
    MinorPair sum = deposit_sum_;
    if (removed != nullptr) {
        sum = {checked_sub(sum.player, removed->player_minor),
               checked_sub(sum.base, removed->base_minor)};
    }
    if (added != nullptr) {
        sum = {checked_add(sum.player, added->player_minor),
               checked_add(sum.base, added->base_minor)};
    }
    const Timestamp window_start = max_occurred_at_ - kLongestWindow;
    auto window_less = [](const WindowDeposit& a, const WindowDeposit& b) {
        return std::tie(a.at, a.player_minor, a.base_minor) <
               std::tie(b.at, b.player_minor, b.base_minor);
    };
    if (removed != nullptr) {
        const WindowDeposit gone{removed->occurred_at, removed->player_minor, removed->base_minor};
        auto it =
            std::lower_bound(recent_deposits_.begin(), recent_deposits_.end(), gone, window_less);
        if (it != recent_deposits_.end() && *it == gone) recent_deposits_.erase(it);
        forget_time(earliest_deposits_, removed->occurred_at, kEarlier);
        forget_time(latest_deposits_, removed->occurred_at, kLater);
        --deposit_count_;
    }
    if (added != nullptr) {
        if (added->occurred_at >= window_start) {
            const WindowDeposit fresh{added->occurred_at, added->player_minor, added->base_minor};
            recent_deposits_.insert(std::upper_bound(recent_deposits_.begin(),
                                                     recent_deposits_.end(), fresh, window_less),
                                    fresh);
        }
        keep_time(earliest_deposits_, added->occurred_at, deposit_count_, kEarlier);
        keep_time(latest_deposits_, added->occurred_at, deposit_count_, kLater);
        ++deposit_count_;
    }
    deposit_sum_ = sum;
    refill_deposit_times_from_window();
}

void PlayerState::note_activity(Timestamp at) noexcept {
    if (active_day_bits_ == 0) {
        last_seen_at_ = at;
        active_day_bits_ = 1;
        return;
    }
    const std::int64_t anchor = day_number(last_seen_at_);
    const std::int64_t day = day_number(at);
    if (day > anchor) {
        const std::int64_t shift = day - anchor;
        active_day_bits_ =
            shift >= kActiveDaysWindow
                ? 0
                : (active_day_bits_ << static_cast<unsigned>(shift)) & kActiveDayMask;
        active_day_bits_ |= 1;
    } else if (anchor - day < kActiveDaysWindow) {
        active_day_bits_ |= std::uint32_t{1} << static_cast<unsigned>(anchor - day);
    }
    if (at > last_seen_at_) last_seen_at_ = at;
}

void PlayerState::advance_max(Timestamp at) {
    if (at <= max_occurred_at_) return;
    max_occurred_at_ = at;
    const Timestamp window_start = at - kLongestWindow;
    auto keep = std::find_if(recent_deposits_.begin(), recent_deposits_.end(),
                             [&](const WindowDeposit& d) { return d.at >= window_start; });
    recent_deposits_.erase(recent_deposits_.begin(), keep);
}

// ---- queries --------------------------------------------------------------------------------

Aggregates PlayerState::as_of(const PlayerIdentity& who, Timestamp as_of) const {
    if (as_of < max_occurred_at_) {
        throw std::logic_error("PlayerState::as_of: as_of precedes the latest applied event");
    }
    if (!deposit_times_known()) {
        throw std::logic_error("PlayerState::as_of: deposit times lost; replay the history");
    }
    return figures(who, as_of);
}

Aggregates PlayerState::figures(const PlayerIdentity& who, Timestamp as_of) const {
    const Currency pc = who.player_currency;
    const Currency bc = who.base_currency;
    auto dual = [&](const MinorPair& pair) {
        return DualAmount{Money(pair.player, pc), Money(pair.base, bc)};
    };
    auto difference = [](const MinorPair& a, const MinorPair& b) {
        return MinorPair{checked_sub(a.player, b.player), checked_sub(a.base, b.base)};
    };
    auto window = [&](int length_days) {
        const Timestamp start = as_of - days(length_days);
        MinorPair sum;
        std::int64_t count = 0;
        for (const WindowDeposit& d : recent_deposits_) {
            if (d.at < start || d.at > as_of) continue;
            sum = {checked_add(sum.player, d.player_minor), checked_add(sum.base, d.base_minor)};
            ++count;
        }
        return WindowFigures{count, dual(sum)};
    };
    auto whole_days_since = [&](std::optional<Timestamp> t) -> std::optional<std::int64_t> {
        if (!t) return std::nullopt;
        return std::chrono::floor<days>(as_of - *t).count();
    };

    const MinorPair ggr = difference(bet_sum_, win_sum_);
    const MinorPair bonus_cost = difference(bonus_granted_, bonus_forfeited_);
    const std::optional<Timestamp> last_deposit = last_deposit_at();
    return Aggregates{
        .player_id = who.player_id,
        .external_id = who.external_id,
        .as_of = as_of,
        .deposit_count = deposit_count_,
        .deposit_sum = dual(deposit_sum_),
        .deposits_7d = window(7),
        .deposits_30d = window(30),
        .deposits_90d = window(90),
        .first_deposit_at = first_deposit_at(),
        .last_deposit_at = last_deposit,
        .withdrawal_count = withdrawal_count_,
        .withdrawal_sum = dual(withdrawal_sum_),
        .bet_count = bet_count_,
        .bet_sum = dual(bet_sum_),
        .win_sum = dual(win_sum_),
        .ggr = dual(ggr),
        .bonus_sum = dual(bonus_granted_),
        .bonus_cost = dual(bonus_cost),
        .ngr = dual(difference(ggr, bonus_cost)),
        .login_count = login_count_,
        .session_count = session_count_,
        .session_duration = std::chrono::seconds(session_duration_s_),
        .last_login_at = last_login_at_,
        .last_seen_at = active_day_bits_ != 0 ? std::optional(last_seen_at_) : std::nullopt,
        .active_days_30d = active_days_as_of(as_of),
        .favourite_game_type = favourite_game_type(),
        .days_since_last_deposit = whole_days_since(last_deposit),
        .days_since_last_login = whole_days_since(last_login_at_),
    };
}

int PlayerState::active_days_as_of(Timestamp as_of) const noexcept {
    if (active_day_bits_ == 0) return 0;
    // Dates as_of-29 .. as_of; bit i is the date i days before the latest activity.
    const std::int64_t reach = day_number(last_seen_at_) - day_number(as_of) + kActiveDaysWindow;
    if (reach <= 0) return 0;
    const std::uint32_t mask = reach >= kActiveDaysWindow
                                   ? kActiveDayMask
                                   : (std::uint32_t{1} << static_cast<unsigned>(reach)) - 1;
    return std::popcount(active_day_bits_ & mask);
}

std::optional<std::string> PlayerState::favourite_game_type() const {
    const GameTypeFigures* favourite = nullptr;
    for (const GameTypeFigures& g : game_types_) {
        if (favourite == nullptr ||
            std::tie(g.bets, g.base_sum) > std::tie(favourite->bets, favourite->base_sum) ||
            (g.bets == favourite->bets && g.base_sum == favourite->base_sum &&
             g.game_type < favourite->game_type)) {
            favourite = &g;
        }
    }
    if (favourite == nullptr) return std::nullopt;
    return favourite->game_type;
}

std::size_t PlayerState::heap_bytes() const noexcept {
    std::size_t bytes = recent_deposits_.capacity() * sizeof(WindowDeposit) +
                        game_types_.capacity() * sizeof(GameTypeFigures);
    for (const GameTypeFigures& g : game_types_) {
        // Strings beyond the small-string buffer live on the heap.
        if (g.game_type.capacity() > std::string().capacity()) bytes += g.game_type.capacity() + 1;
    }
    return bytes;
}

// ---- replay and recompute -------------------------------------------------------------------

void PlayerState::apply_without_money(const LoggedEvent& e) {
    // A lifecycle event that is not its transaction's final status: activity only.
    note_activity(e.occurred_at);
    advance_max(e.occurred_at);
}

PlayerState PlayerState::replay(const std::vector<LoggedEvent>& history) {
    std::map<std::pair<EventType, std::string_view>, const LoggedEvent*> finals;
    for (const LoggedEvent& e : history) {
        if (!has_lifecycle(e.type)) continue;
        auto [it, inserted] = finals.try_emplace({e.type, e.ref}, &e);
        if (!inserted && supersedes(e, *it->second)) it->second = &e;
    }
    PlayerState state;
    for (const LoggedEvent& e : history) {
        if (has_lifecycle(e.type) && finals.at({e.type, e.ref}) != &e) {
            state.apply_without_money(e);
        } else {
            state.apply(e, nullptr);
        }
    }
    return state;
}

Aggregates recompute(const PlayerIdentity& who, const std::vector<LoggedEvent>& history,
                     Timestamp as_of) {
    std::vector<LoggedEvent> known;
    known.reserve(history.size());
    for (const LoggedEvent& e : history) {
        if (e.occurred_at <= as_of) known.push_back(e);
    }
    // Without removals the bounded deposit times never lose anything, and every applied event
    // is at or before as_of: the unchecked query is exact.
    return PlayerState::replay(known).figures(who, as_of);
}

// ---- checkpoint columns ---------------------------------------------------------------------

namespace {

constexpr std::array<std::string_view, 28> kNumberColumns = {
    "max_occurred_at_ms",
    "deposit_count",
    "deposit_player_minor",
    "deposit_base_minor",
    "withdrawal_count",
    "withdrawal_player_minor",
    "withdrawal_base_minor",
    "bet_count",
    "bet_player_minor",
    "bet_base_minor",
    "win_player_minor",
    "win_base_minor",
    "bonus_granted_player_minor",
    "bonus_granted_base_minor",
    "bonus_forfeited_player_minor",
    "bonus_forfeited_base_minor",
    "login_count",
    "session_count",
    "session_duration_s",
    "last_login_at_ms",
    "last_seen_at_ms",
    "active_day_bits",
    "earliest_deposit_1_ms",
    "earliest_deposit_2_ms",
    "earliest_deposit_3_ms",
    "latest_deposit_1_ms",
    "latest_deposit_2_ms",
    "latest_deposit_3_ms",
};

[[noreturn]] void malformed(const std::string& what) {
    throw StorageError("aggregate checkpoint: " + what);
}

std::int64_t optional_millis(const std::optional<Timestamp>& t) {
    return t ? to_unix_millis(*t) : kNoTime;
}

std::optional<Timestamp> millis_or_none(std::int64_t ms) {
    if (ms == kNoTime) return std::nullopt;
    return from_unix_millis(ms);
}

void append_number(std::string& out, std::int64_t value) {
    char buffer[24];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

/// Reads the comma-separated items of a column, each `fields` values joined by ':'. The
/// first field may be text (game types) when `text_first`.
class ItemReader {
public:
    ItemReader(std::string_view text, std::string_view column) : rest_(text), column_(column) {}

    [[nodiscard]] bool done() const noexcept { return rest_.empty() && !pending_comma_; }

    std::string_view next_field(bool last_in_item) {
        const char stop = last_in_item ? ',' : ':';
        const std::size_t end = rest_.find(stop);
        std::string_view field = rest_.substr(0, end);
        if (end == std::string_view::npos) {
            if (!last_in_item) malformed(std::string(column_) + " item is incomplete");
            rest_ = {};
            pending_comma_ = false;
        } else {
            rest_.remove_prefix(end + 1);
            pending_comma_ = last_in_item;
        }
        if (!last_in_item && field.find(',') != std::string_view::npos) {
            malformed(std::string(column_) + " item is incomplete");
        }
        if (field.empty()) malformed(std::string(column_) + " has an empty field");
        return field;
    }

    std::int64_t next_number(bool last_in_item) {
        const std::string_view field = next_field(last_in_item);
        std::int64_t value = 0;
        auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
        if (error != std::errc{} || end != field.data() + field.size()) {
            malformed(std::string(column_) + " has a bad number");
        }
        return value;
    }

private:
    std::string_view rest_;
    std::string_view column_;
    bool pending_comma_ = false;
};

bool is_game_type_name(std::string_view name) noexcept {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

}  // namespace

const std::array<std::string_view, 28>& PlayerState::number_column_names() noexcept {
    return kNumberColumns;
}

PlayerState::Columns PlayerState::to_columns() const {
    Columns c;
    c.numbers = {to_unix_millis(max_occurred_at_),
                 deposit_count_,
                 deposit_sum_.player,
                 deposit_sum_.base,
                 withdrawal_count_,
                 withdrawal_sum_.player,
                 withdrawal_sum_.base,
                 bet_count_,
                 bet_sum_.player,
                 bet_sum_.base,
                 win_sum_.player,
                 win_sum_.base,
                 bonus_granted_.player,
                 bonus_granted_.base,
                 bonus_forfeited_.player,
                 bonus_forfeited_.base,
                 login_count_,
                 session_count_,
                 session_duration_s_,
                 optional_millis(last_login_at_),
                 active_day_bits_ != 0 ? to_unix_millis(last_seen_at_) : kNoTime,
                 static_cast<std::int64_t>(active_day_bits_),
                 kNoTime,
                 kNoTime,
                 kNoTime,
                 kNoTime,
                 kNoTime,
                 kNoTime};
    for (std::size_t i = 0; i < earliest_deposits_.size; ++i) {
        c.numbers[22 + i] = to_unix_millis(earliest_deposits_.times[i]);
    }
    for (std::size_t i = 0; i < latest_deposits_.size; ++i) {
        c.numbers[25 + i] = to_unix_millis(latest_deposits_.times[i]);
    }
    for (const WindowDeposit& d : recent_deposits_) {
        if (!c.deposits.empty()) c.deposits += ',';
        append_number(c.deposits, to_unix_millis(d.at));
        c.deposits += ':';
        append_number(c.deposits, d.player_minor);
        c.deposits += ':';
        append_number(c.deposits, d.base_minor);
    }
    for (const GameTypeFigures& g : game_types_) {
        if (!is_game_type_name(g.game_type)) {
            throw ValidationError("game_type", "cannot be checkpointed: not [a-z0-9_]{1,64}");
        }
        if (!c.game_types.empty()) c.game_types += ',';
        c.game_types += g.game_type;
        c.game_types += ':';
        append_number(c.game_types, g.bets);
        c.game_types += ':';
        append_number(c.game_types, g.base_sum);
    }
    return c;
}

namespace {

template <class Times, class Before>
void read_times(Times& kept, const std::int64_t* slots, Before before, std::string_view what) {
    for (std::size_t i = 0; i < kept.times.size(); ++i) {
        if (slots[i] == kNoTime) {
            for (std::size_t j = i + 1; j < kept.times.size(); ++j) {
                if (slots[j] != kNoTime) malformed(std::string(what) + " has a gap");
            }
            return;
        }
        const Timestamp t = from_unix_millis(slots[i]);
        if (i > 0 && before(t, kept.times[i - 1])) malformed(std::string(what) + " out of order");
        kept.times[i] = t;
        kept.size = static_cast<std::uint8_t>(i + 1);
    }
}

}  // namespace

PlayerState PlayerState::from_columns(const Columns& columns) {
    const auto& n = columns.numbers;
    PlayerState s;
    s.max_occurred_at_ = from_unix_millis(n[0]);
    s.deposit_count_ = n[1];
    s.deposit_sum_ = {n[2], n[3]};
    s.withdrawal_count_ = n[4];
    s.withdrawal_sum_ = {n[5], n[6]};
    s.bet_count_ = n[7];
    s.bet_sum_ = {n[8], n[9]};
    s.win_sum_ = {n[10], n[11]};
    s.bonus_granted_ = {n[12], n[13]};
    s.bonus_forfeited_ = {n[14], n[15]};
    s.login_count_ = n[16];
    s.session_count_ = n[17];
    s.session_duration_s_ = n[18];
    s.last_login_at_ = millis_or_none(n[19]);
    // Activity on last_seen_at's date is bit 0: set exactly when there was activity.
    if (n[21] < 0 || n[21] > static_cast<std::int64_t>(kActiveDayMask) ||
        (n[20] == kNoTime) != (n[21] == 0) || (n[21] != 0 && n[21] % 2 == 0)) {
        malformed("active_day_bits out of range");
    }
    if (n[20] != kNoTime) s.last_seen_at_ = from_unix_millis(n[20]);
    s.active_day_bits_ = static_cast<std::uint32_t>(n[21]);
    for (std::int64_t count : {s.deposit_count_, s.withdrawal_count_, s.bet_count_, s.login_count_,
                               s.session_count_, s.session_duration_s_}) {
        if (count < 0) malformed("negative count");
    }
    read_times(s.earliest_deposits_, &n[22], kEarlier, "earliest deposits");
    read_times(s.latest_deposits_, &n[25], kLater, "latest deposits");
    if (s.earliest_deposits_.size > s.deposit_count_ ||
        s.latest_deposits_.size > s.deposit_count_) {
        malformed("more deposit times than deposits");
    }

    ItemReader deposits(columns.deposits, "deposits");
    while (!deposits.done()) {
        WindowDeposit d;
        d.at = from_unix_millis(deposits.next_number(false));
        d.player_minor = deposits.next_number(false);
        d.base_minor = deposits.next_number(true);
        if (!s.recent_deposits_.empty() &&
            std::tie(d.at, d.player_minor, d.base_minor) <
                std::tie(s.recent_deposits_.back().at, s.recent_deposits_.back().player_minor,
                         s.recent_deposits_.back().base_minor)) {
            malformed("deposits out of order");
        }
        s.recent_deposits_.push_back(d);
    }
    if (static_cast<std::int64_t>(s.recent_deposits_.size()) > s.deposit_count_) {
        malformed("more window deposits than deposits");
    }

    ItemReader game_types(columns.game_types, "game_types");
    while (!game_types.done()) {
        GameTypeFigures g;
        g.game_type = std::string(game_types.next_field(false));
        if (!is_game_type_name(g.game_type)) malformed("game_types has a bad name");
        g.bets = game_types.next_number(false);
        g.base_sum = game_types.next_number(true);
        if (g.bets <= 0) malformed("game_types has a non-positive bet count");
        for (const GameTypeFigures& other : s.game_types_) {
            if (other.game_type == g.game_type) malformed("game_types repeats a name");
        }
        s.game_types_.push_back(std::move(g));
    }
    return s;
}

}  // namespace pitboss::events::detail
