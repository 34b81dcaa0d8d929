// The pure aggregate engine: hand-made cases for every rule in docs/events.md ("Aggregates"),
// the checkpoint codec, and a property test against the naive reference on random histories
// (late events, lifecycles, shuffled arrival, as_of before, at and after the events).

#include "events/aggregate_state.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "pitboss/core/error.hpp"
#include "reference_aggregates.hpp"

using namespace pitboss;
using namespace pitboss::events;
using namespace pitboss::events::detail;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

namespace {

Timestamp at(const char* rfc3339) { return parse_timestamp(rfc3339); }

const Currency kEur = Currency::of("EUR");
const Currency kUsd = Currency::of("USD");
const PlayerIdentity kWho{PlayerId(7), "p-7", kUsd, kEur};
const Timestamp kT0 = at("2026-03-01T12:00:00Z");

int status(DepositStatus s) { return static_cast<int>(s); }
int status(WithdrawalStatus s) { return static_cast<int>(s); }
int status(BonusKind k) { return static_cast<int>(k); }

LoggedEvent event(EventType type, Timestamp when, std::string ref = {}, int state = -1,
                  std::int64_t player_minor = 0, std::int64_t base_minor = -1) {
    LoggedEvent e;
    e.type = type;
    e.occurred_at = when;
    e.ref = std::move(ref);
    e.state = state;
    e.player_minor = player_minor;
    e.base_minor = base_minor < 0 ? player_minor : base_minor;
    return e;
}
LoggedEvent deposit(Timestamp when, std::string tx, DepositStatus s, std::int64_t minor,
                    std::int64_t base = -1) {
    return event(EventType::kDeposit, when, std::move(tx), status(s), minor, base);
}
LoggedEvent withdrawal(Timestamp when, std::string tx, WithdrawalStatus s, std::int64_t minor) {
    return event(EventType::kWithdrawal, when, std::move(tx), status(s), minor);
}
LoggedEvent bet(Timestamp when, std::string game_type, std::int64_t minor, std::int64_t base = -1) {
    LoggedEvent e = event(EventType::kBet, when, "r", -1, minor, base);
    e.game_type = std::move(game_type);
    return e;
}
LoggedEvent win(Timestamp when, std::int64_t minor) {
    return event(EventType::kWin, when, "r", -1, minor);
}
LoggedEvent bonus(Timestamp when, BonusKind kind, std::int64_t minor) {
    return event(EventType::kBonus, when, "b", status(kind), minor);
}
LoggedEvent login(Timestamp when) { return event(EventType::kLogin, when, "s"); }
LoggedEvent session_end(Timestamp when, std::int64_t seconds) {
    LoggedEvent e = event(EventType::kSessionEnd, when, "s");
    e.duration_s = seconds;
    return e;
}

/// One player fed like the ingestor does: seq order, each lifecycle event with the current
/// status event of its transaction as `previous`.
class Player {
public:
    explicit Player(PlayerIdentity who = kWho) : who_(std::move(who)) {}

    /// Logs and applies one event; gives it the next seq and, unless set, an event id.
    Player& feed(LoggedEvent e) {
        e.seq = static_cast<std::int64_t>(history_.size()) + 1;
        if (e.event_id.empty()) e.event_id = "e" + std::to_string(1000 + e.seq);
        const LoggedEvent* previous = nullptr;
        LoggedEvent previous_copy;
        if (has_lifecycle(e.type)) {
            auto key = std::make_pair(e.type, e.ref);
            auto it = winners_.find(key);
            if (it != winners_.end()) {
                previous_copy = it->second;
                previous = &previous_copy;
                if (supersedes(e, it->second)) it->second = e;
            } else {
                winners_.emplace(key, e);
            }
        }
        state_.apply(e, previous);
        history_.push_back(std::move(e));
        return *this;
    }

    [[nodiscard]] Aggregates live(Timestamp as_of) const { return state_.as_of(who_, as_of); }
    [[nodiscard]] Aggregates recomputed(Timestamp as_of) const {
        return recompute(who_, history_, as_of);
    }
    [[nodiscard]] Aggregates reference(Timestamp as_of) const {
        return testing::reference_aggregates(who_, history_, as_of);
    }
    /// The live figures, after checking they equal recompute and the reference.
    Aggregates checked(Timestamp as_of) const {
        const Aggregates expected = reference(as_of);
        INFO("as_of " << format_timestamp(as_of));
        CHECK(to_json(recomputed(as_of)).dump() == to_json(expected).dump());
        REQUIRE(state_.answers(as_of));
        const Aggregates actual = live(as_of);
        CHECK(to_json(actual).dump() == to_json(expected).dump());
        CHECK(actual == expected);
        return actual;
    }

    [[nodiscard]] const PlayerState& state() const { return state_; }
    [[nodiscard]] PlayerState& state() { return state_; }
    [[nodiscard]] const std::vector<LoggedEvent>& history() const { return history_; }
    [[nodiscard]] const PlayerIdentity& who() const { return who_; }

private:
    PlayerIdentity who_;
    PlayerState state_;
    std::vector<LoggedEvent> history_;
    std::map<std::pair<EventType, std::string>, LoggedEvent> winners_;
};

/// Requires equal aggregates; on a difference, shows both as JSON.
void require_equal(const Aggregates& actual, const Aggregates& expected) {
    if (actual == expected) return;
    FAIL("actual   " << to_json(actual).dump() << "\nexpected " << to_json(expected).dump());
}

Player fed(const std::vector<LoggedEvent>& events) {
    Player p;
    for (const auto& e : events) p.feed(e);
    return p;
}

}  // namespace

TEST_CASE("lifecycle helpers", "[events][aggregates]") {
    CHECK(has_lifecycle(EventType::kDeposit));
    CHECK(has_lifecycle(EventType::kWithdrawal));
    CHECK_FALSE(has_lifecycle(EventType::kBet));
    CHECK_FALSE(has_lifecycle(EventType::kBonus));
    CHECK(is_activity(EventType::kRegistration));
    CHECK(is_activity(EventType::kSessionEnd));
    CHECK_FALSE(is_activity(EventType::kBonus));
    CHECK(counts_as_money_movement(deposit(kT0, "t", DepositStatus::kApproved, 1)));
    CHECK_FALSE(counts_as_money_movement(deposit(kT0, "t", DepositStatus::kPending, 1)));
    CHECK(counts_as_money_movement(withdrawal(kT0, "t", WithdrawalStatus::kPaid, 1)));
    CHECK_FALSE(counts_as_money_movement(withdrawal(kT0, "t", WithdrawalStatus::kApproved, 1)));

    auto pending = deposit(kT0, "t", DepositStatus::kPending, 1);
    auto approved = deposit(kT0, "t", DepositStatus::kApproved, 1);
    auto declined = deposit(kT0, "t", DepositStatus::kDeclined, 1);
    pending.event_id = "z";  // the status order decides before the event id
    approved.event_id = "b";
    declined.event_id = "a";
    CHECK(supersedes(approved, pending));
    CHECK(supersedes(declined, approved));
    CHECK(supersedes(declined, pending));
    CHECK_FALSE(supersedes(pending, approved));
    auto later_pending = deposit(kT0 + milliseconds(1), "t", DepositStatus::kPending, 1);
    CHECK(supersedes(later_pending, declined));  // time first
    auto approved_again = approved;
    approved_again.event_id = "c";
    CHECK(supersedes(approved_again, approved));
    CHECK_FALSE(supersedes(approved, approved_again));
    CHECK_FALSE(supersedes(approved, approved));

    auto requested = withdrawal(kT0, "w", WithdrawalStatus::kRequested, 1);
    auto paid = withdrawal(kT0, "w", WithdrawalStatus::kPaid, 1);
    auto cancelled = withdrawal(kT0, "w", WithdrawalStatus::kCancelled, 1);
    CHECK(supersedes(paid, requested));
    CHECK(supersedes(cancelled, paid));
}

TEST_CASE("a pending deposit later approved counts once", "[events][aggregates]") {
    Player p;
    p.feed(deposit(kT0, "t1", DepositStatus::kPending, 2500, 2300));
    auto a = p.checked(kT0 + hours(1));
    CHECK(a.deposit_count == 0);
    CHECK(a.deposit_sum.player.is_zero());
    CHECK_FALSE(a.first_deposit_at);

    p.feed(deposit(kT0 + minutes(2), "t1", DepositStatus::kApproved, 2500, 2300));
    a = p.checked(kT0 + hours(1));
    CHECK(a.deposit_count == 1);
    CHECK(a.deposit_sum.player == Money(2500, kUsd));
    CHECK(a.deposit_sum.base == Money(2300, kEur));
    CHECK(a.deposits_7d == WindowFigures{1, {Money(2500, kUsd), Money(2300, kEur)}});
    CHECK(a.first_deposit_at == kT0 + minutes(2));  // counted at the winning event's time
    CHECK(a.last_deposit_at == kT0 + minutes(2));
    CHECK(a.days_since_last_deposit == 0);

    // The same status replayed under another event id changes nothing but activity.
    p.feed(deposit(kT0 + minutes(1), "t1", DepositStatus::kApproved, 9999));
    a = p.checked(kT0 + hours(1));
    CHECK(a.deposit_count == 1);
    CHECK(a.deposit_sum.player == Money(2500, kUsd));
}

TEST_CASE("approved then declined removes the deposit everywhere", "[events][aggregates]") {
    Player p;
    p.feed(deposit(kT0 - days(3), "old", DepositStatus::kApproved, 1000));
    p.feed(deposit(kT0, "t1", DepositStatus::kApproved, 2500));
    auto a = p.checked(kT0 + hours(1));
    CHECK(a.deposit_count == 2);
    CHECK(a.deposits_7d.count == 2);
    CHECK(a.last_deposit_at == kT0);

    p.feed(deposit(kT0 + hours(1), "t1", DepositStatus::kDeclined, 2500));
    a = p.checked(kT0 + hours(2));
    CHECK(a.deposit_count == 1);
    CHECK(a.deposit_sum.player == Money(1000, kUsd));
    CHECK(a.deposits_7d.count == 1);
    CHECK(a.deposits_90d.sum.base == Money(1000, kEur));
    CHECK(a.first_deposit_at == kT0 - days(3));
    CHECK(a.last_deposit_at == kT0 - days(3));
    CHECK(a.days_since_last_deposit == 3);

    p.feed(deposit(kT0 + hours(2), "old", DepositStatus::kDeclined, 1000));
    a = p.checked(kT0 + hours(2));
    CHECK(a.deposit_count == 0);
    CHECK(a.deposit_sum.player.is_zero());
    CHECK(a.deposits_90d.count == 0);
    CHECK_FALSE(a.first_deposit_at);
    CHECK_FALSE(a.last_deposit_at);
    CHECK_FALSE(a.days_since_last_deposit);
    CHECK(a.last_seen_at == kT0 + hours(2));  // the declines are still activity
}

TEST_CASE("a re-approval with another amount replaces the counted one", "[events][aggregates]") {
    Player p;
    p.feed(deposit(kT0, "t1", DepositStatus::kApproved, 2500));
    p.feed(deposit(kT0 + days(2), "t1", DepositStatus::kApproved, 4000));
    const auto a = p.checked(kT0 + days(2));
    CHECK(a.deposit_count == 1);
    CHECK(a.deposit_sum.player == Money(4000, kUsd));
    CHECK(a.first_deposit_at == kT0 + days(2));
}

TEST_CASE("out-of-order arrival gives the same figures as in-order", "[events][aggregates]") {
    std::vector<LoggedEvent> in_order = {
        login(kT0),
        deposit(kT0 + minutes(1), "t1", DepositStatus::kPending, 5000),
        bet(kT0 + minutes(2), "slots", 100),
        deposit(kT0 + minutes(3), "t1", DepositStatus::kApproved, 5000),
        win(kT0 + minutes(4), 40),
        deposit(kT0 + days(1), "t1", DepositStatus::kDeclined, 5000),
        withdrawal(kT0 + days(1), "w1", WithdrawalStatus::kRequested, 700),
        withdrawal(kT0 + days(2), "w1", WithdrawalStatus::kPaid, 700),
    };
    for (std::size_t i = 0; i < in_order.size(); ++i) {
        in_order[i].event_id = "e" + std::to_string(i);
    }
    const Timestamp as_of = kT0 + days(3);
    const Aggregates expected = fed(in_order).checked(as_of);
    CHECK(expected.deposit_count == 0);
    CHECK(expected.withdrawal_count == 1);

    std::vector<std::size_t> order(in_order.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    int permutations = 0;
    do {
        std::vector<LoggedEvent> arrival;
        for (std::size_t i : order) arrival.push_back(in_order[i]);
        const Player p = fed(arrival);
        REQUIRE(p.live(as_of) == expected);
        ++permutations;
    } while (std::next_permutation(order.begin(), order.end()));
    CHECK(permutations == 40320);
}

TEST_CASE("equal timestamps: the later lifecycle stage, then the greater event id",
          "[events][aggregates]") {
    SECTION("pending and approved at the same instant: approved, in either order") {
        for (bool approved_first : {true, false}) {
            Player p;
            auto pending = deposit(kT0, "t1", DepositStatus::kPending, 2500);
            auto approved = deposit(kT0, "t1", DepositStatus::kApproved, 2500);
            pending.event_id = "z";
            approved.event_id = "a";
            if (approved_first) {
                p.feed(approved).feed(pending);
            } else {
                p.feed(pending).feed(approved);
            }
            CHECK(p.checked(kT0).deposit_count == 1);
        }
    }
    SECTION("approved and declined at the same instant: declined") {
        for (bool approved_first : {true, false}) {
            Player p;
            auto approved = deposit(kT0, "t1", DepositStatus::kApproved, 2500);
            auto declined = deposit(kT0, "t1", DepositStatus::kDeclined, 2500);
            if (approved_first) {
                p.feed(approved).feed(declined);
            } else {
                p.feed(declined).feed(approved);
            }
            CHECK(p.checked(kT0).deposit_count == 0);
        }
    }
    SECTION("two approvals at the same instant: the greater event id's amount") {
        for (bool small_first : {true, false}) {
            Player p;
            auto small = deposit(kT0, "t1", DepositStatus::kApproved, 1000);
            auto large = deposit(kT0, "t1", DepositStatus::kApproved, 3000);
            small.event_id = "evt-a";
            large.event_id = "evt-b";
            if (small_first) {
                p.feed(small).feed(large);
            } else {
                p.feed(large).feed(small);
            }
            const auto a = p.checked(kT0);
            CHECK(a.deposit_count == 1);
            CHECK(a.deposit_sum.player == Money(3000, kUsd));
        }
    }
    SECTION("paid and rejected at the same instant: rejected") {
        Player p;
        p.feed(withdrawal(kT0, "w1", WithdrawalStatus::kRejected, 500));
        p.feed(withdrawal(kT0, "w1", WithdrawalStatus::kPaid, 500));
        CHECK(p.checked(kT0).withdrawal_count == 0);
    }
    SECTION("a deposit and a withdrawal may share a transaction id") {
        Player p;
        p.feed(deposit(kT0, "t1", DepositStatus::kApproved, 100));
        p.feed(withdrawal(kT0 + hours(1), "t1", WithdrawalStatus::kPaid, 50));
        const auto a = p.checked(kT0 + hours(1));
        CHECK(a.deposit_count == 1);
        CHECK(a.withdrawal_count == 1);
    }
}

TEST_CASE("withdrawals count when paid, once", "[events][aggregates]") {
    Player p;
    p.feed(withdrawal(kT0, "w1", WithdrawalStatus::kRequested, 900));
    p.feed(withdrawal(kT0 + hours(1), "w1", WithdrawalStatus::kApproved, 900));
    CHECK(p.checked(kT0 + hours(1)).withdrawal_count == 0);
    p.feed(withdrawal(kT0 + hours(2), "w1", WithdrawalStatus::kPaid, 900));
    auto a = p.checked(kT0 + hours(2));
    CHECK(a.withdrawal_count == 1);
    CHECK(a.withdrawal_sum.player == Money(900, kUsd));
    p.feed(withdrawal(kT0 + hours(3), "w2", WithdrawalStatus::kPaid, 100));
    p.feed(withdrawal(kT0 + hours(4), "w2", WithdrawalStatus::kCancelled, 100));
    a = p.checked(kT0 + hours(4));
    CHECK(a.withdrawal_count == 1);
    CHECK(a.withdrawal_sum.base == Money(900, kEur));
}

TEST_CASE("rolling windows are [as_of - N days, as_of], start inclusive", "[events][aggregates]") {
    const Timestamp as_of = at("2026-06-30T15:30:00.250Z");
    for (int length : {7, 30, 90}) {
        INFO("window " << length);
        Player exact;
        exact.feed(deposit(as_of - days(length), "t", DepositStatus::kApproved, 100));
        Player older;
        older.feed(
            deposit(as_of - days(length) - milliseconds(1), "t", DepositStatus::kApproved, 100));
        const auto in = exact.checked(as_of);
        const auto out = older.checked(as_of);
        const auto count_in = [length](const Aggregates& a) {
            return length == 7    ? a.deposits_7d.count
                   : length == 30 ? a.deposits_30d.count
                                  : a.deposits_90d.count;
        };
        CHECK(count_in(in) == 1);
        CHECK(count_in(out) == 0);
        CHECK(in.deposit_count == 1);
        CHECK(out.deposit_count == 1);
    }
    Player now;
    now.feed(deposit(as_of, "t", DepositStatus::kApproved, 100));
    CHECK(now.checked(as_of).deposits_7d.count == 1);  // the end is inclusive too
    // Events after as_of do not count (recompute answers for an earlier as_of).
    const auto before = now.recomputed(as_of - milliseconds(1));
    CHECK(before.deposit_count == 0);
    CHECK(before == now.reference(as_of - milliseconds(1)));
    CHECK_FALSE(now.state().answers(as_of - milliseconds(1)));
    CHECK_THROWS_AS(now.live(as_of - milliseconds(1)), std::logic_error);
}

TEST_CASE("windows forget deposits as time moves on, lifetime figures keep them",
          "[events][aggregates]") {
    Player p;
    p.feed(deposit(kT0, "t1", DepositStatus::kApproved, 100));
    p.feed(deposit(kT0 + days(10), "t2", DepositStatus::kApproved, 200));
    p.feed(login(kT0 + days(95)));  // t1 leaves every window for good
    auto a = p.checked(kT0 + days(95));
    CHECK(a.deposits_90d.count == 1);
    CHECK(a.deposits_90d.sum.player == Money(200, kUsd));
    CHECK(a.deposit_count == 2);
    CHECK(a.first_deposit_at == kT0);
    // A late deposit older than every window still counts in the lifetime figures.
    p.feed(deposit(kT0 - days(30), "t0", DepositStatus::kApproved, 50));
    a = p.checked(kT0 + days(95));
    CHECK(a.deposits_90d.count == 1);
    CHECK(a.deposit_count == 3);
    CHECK(a.first_deposit_at == kT0 - days(30));
    // And a lifecycle change of a forgotten deposit still removes it from the lifetime figures.
    p.feed(deposit(kT0 + days(1), "t1", DepositStatus::kDeclined, 100));
    a = p.checked(kT0 + days(100));
    CHECK(a.deposit_count == 2);
    CHECK(a.deposit_sum.player == Money(250, kUsd));
    CHECK(a.first_deposit_at == kT0 - days(30));
    CHECK(a.last_deposit_at == kT0 + days(10));
    CHECK(a.deposits_90d.count == 1);
}

TEST_CASE("days_since are whole days, rounded down", "[events][aggregates]") {
    Player p;
    p.feed(deposit(kT0, "t1", DepositStatus::kApproved, 100));
    p.feed(login(kT0 + hours(6)));
    CHECK(p.checked(kT0 + hours(6)).days_since_last_deposit == 0);
    CHECK(p.checked(kT0 + days(1) - milliseconds(1)).days_since_last_deposit == 0);
    CHECK(p.checked(kT0 + days(1)).days_since_last_deposit == 1);
    CHECK(p.checked(kT0 + days(1)).days_since_last_login == 0);
    CHECK(p.checked(kT0 + days(1) + hours(6)).days_since_last_login == 1);
    CHECK(p.checked(kT0 + days(2) - milliseconds(1)).days_since_last_deposit == 1);
    CHECK(p.checked(kT0 + days(400)).days_since_last_deposit == 400);
    Player never;
    never.feed(bet(kT0, "slots", 1));
    CHECK_FALSE(never.checked(kT0).days_since_last_deposit);
    CHECK_FALSE(never.checked(kT0).days_since_last_login);
}

TEST_CASE("active days: UTC dates among the 30 ending on as_of's date", "[events][aggregates]") {
    // 2026 is not a leap year: 2026-03-01 minus 29 days is 2026-01-31.
    Player p;
    p.feed(login(at("2026-03-01T00:00:00Z")));
    p.feed(bet(at("2026-03-01T23:59:59.999Z"), "slots", 1));  // same date: counted once
    p.feed(session_end(at("2026-02-28T23:59:59.999Z"), 60));
    p.feed(login(at("2026-01-31T00:00:00Z")));       // late, 29 days before
    p.feed(win(at("2026-01-30T23:59:59.999Z"), 1));  // late, 30 days before
    p.feed(event(EventType::kRegistration, at("2026-02-01T10:00:00Z")));
    p.feed(bonus(at("2026-02-15T10:00:00Z"), BonusKind::kGranted, 5));  // not activity
    auto a = p.checked(at("2026-03-01T23:59:59.999Z"));
    CHECK(a.active_days_30d == 4);  // Jan 31, Feb 1, Feb 28, Mar 1
    CHECK(a.last_seen_at == at("2026-03-01T23:59:59.999Z"));
    CHECK(p.checked(at("2026-03-02T00:00:00Z")).active_days_30d == 3);      // Jan 31 drops
    CHECK(p.checked(at("2026-03-29T23:59:59.999Z")).active_days_30d == 2);  // Feb 28, Mar 1
    CHECK(p.checked(at("2026-03-30T00:00:00Z")).active_days_30d == 1);      // Mar 1
    CHECK(p.checked(at("2026-03-31T00:00:00Z")).active_days_30d == 0);
    CHECK(p.checked(at("2027-04-01T00:00:00Z")).active_days_30d == 0);
    // As of an earlier moment (recompute): only the dates up to then.
    CHECK(p.recomputed(at("2026-02-28T00:00:00Z")).active_days_30d == 3);  // Jan 30, 31, Feb 1
    CHECK(p.recomputed(at("2026-02-28T00:00:00Z")) == p.reference(at("2026-02-28T00:00:00Z")));

    Player leap;  // 2028 is a leap year: 2028-03-01 minus 29 days is 2028-02-01.
    leap.feed(login(at("2028-01-31T12:00:00Z")));
    leap.feed(login(at("2028-02-01T12:00:00Z")));
    leap.feed(login(at("2028-02-29T12:00:00Z")));
    leap.feed(login(at("2028-03-01T12:00:00Z")));
    CHECK(leap.checked(at("2028-03-01T12:00:00Z")).active_days_30d == 3);

    Player gap;  // a jump of more than 30 days clears the older dates
    gap.feed(login(at("2026-01-01T00:00:00Z")));
    gap.feed(login(at("2026-03-01T00:00:00Z")));
    CHECK(gap.checked(at("2026-03-01T00:00:00Z")).active_days_30d == 1);
    gap.feed(login(at("2026-02-10T00:00:00Z")));  // late, inside the window again
    CHECK(gap.checked(at("2026-03-01T00:00:00Z")).active_days_30d == 2);
}

TEST_CASE("favourite game type: most bets, then base turnover, then name", "[events][aggregates]") {
    Player p;
    p.feed(login(kT0));
    CHECK_FALSE(p.checked(kT0).favourite_game_type);  // no bets
    p.feed(bet(kT0, "slots", 100, 100));
    p.feed(bet(kT0, "table", 100, 300));
    CHECK(p.checked(kT0).favourite_game_type == "table");  // one bet each, more turnover
    p.feed(bet(kT0, "slots", 100, 100));
    CHECK(p.checked(kT0).favourite_game_type == "slots");  // two bets beat more turnover
    p.feed(bet(kT0, "table", 100, 0));
    CHECK(p.checked(kT0).favourite_game_type == "table");  // 2 vs 2 bets, 300 vs 200
    p.feed(bet(kT0, "slots", 100, 100));
    p.feed(bet(kT0, "live_casino", 1, 300));
    p.feed(bet(kT0, "live_casino", 1, 0));
    p.feed(bet(kT0, "live_casino", 1, 0));
    // slots 3 bets / 300, live_casino 3 bets / 300, table 2 bets: the smaller name
    CHECK(p.checked(kT0).favourite_game_type == "live_casino");
    p.feed(bet(kT0, "sports", 1, 1));
    p.feed(bet(kT0, "sports", 1, 1));
    p.feed(bet(kT0, "sports", 1, 1));
    p.feed(bet(kT0, "sports", 1, 297));
    CHECK(p.checked(kT0).favourite_game_type == "sports");
}

TEST_CASE("lifetime play, bonus and session figures in both currencies", "[events][aggregates]") {
    Player p;
    p.feed(event(EventType::kRegistration, kT0 - days(1)));
    p.feed(login(kT0));
    p.feed(bet(kT0 + minutes(1), "slots", 1000, 920));
    p.feed(bet(kT0 + minutes(2), "slots", 500, 460));
    p.feed(win(kT0 + minutes(3), 1200));
    p.feed(bonus(kT0 + minutes(4), BonusKind::kGranted, 1000));
    p.feed(bonus(kT0 + minutes(5), BonusKind::kWagered, 700));
    p.feed(bonus(kT0 + minutes(6), BonusKind::kForfeited, 300));
    p.feed(bonus(kT0 + days(3), BonusKind::kGranted, 200));  // not activity
    p.feed(session_end(kT0 + minutes(30), 1800));
    p.feed(login(kT0 + hours(5)));
    p.feed(session_end(kT0 + hours(6), 600));
    const auto a = p.checked(kT0 + days(3));
    CHECK(a.bet_count == 2);
    CHECK(a.bet_sum.player == Money(1500, kUsd));
    CHECK(a.bet_sum.base == Money(1380, kEur));
    CHECK(a.win_sum.player == Money(1200, kUsd));
    CHECK(a.ggr.player == Money(300, kUsd));
    CHECK(a.ggr.base == Money(180, kEur));
    CHECK(a.bonus_sum.player == Money(1200, kUsd));  // granted only
    CHECK(a.bonus_cost.player == Money(900, kUsd));  // granted - forfeited; wagered is no cost
    CHECK(a.ngr.player == Money(-600, kUsd));        // ggr - bonus cost
    CHECK(a.ngr.base == Money(-720, kEur));
    CHECK(a.login_count == 2);
    CHECK(a.session_count == 2);
    CHECK(a.session_duration == std::chrono::seconds(2400));
    CHECK(a.last_login_at == kT0 + hours(5));
    CHECK(a.last_seen_at == kT0 + hours(6));  // the bonus on day 3 is not activity
    CHECK(a.active_days_30d == 2);
    CHECK(a.player_id == PlayerId(7));
    CHECK(a.external_id == "p-7");
    CHECK(a.as_of == kT0 + days(3));
    CHECK(p.state().max_occurred_at() == kT0 + days(3));  // but it moves the clock of the state
}

TEST_CASE("to_json of the aggregates", "[events][aggregates]") {
    Player p;
    p.feed(deposit(at("2026-03-01T12:00:00Z"), "t1", DepositStatus::kApproved, 2550, 2346));
    p.feed(login(at("2026-03-01T12:05:00Z")));
    const Json j = to_json(p.checked(at("2026-03-02T12:00:00Z")));
    CHECK(j.at("player_id") == 7);
    CHECK(j.at("external_id") == "p-7");
    CHECK(j.at("as_of") == "2026-03-02T12:00:00.000Z");
    CHECK(j.at("deposit_count") == 1);
    CHECK(
        j.at("deposit_sum").dump() ==
        R"({"base":{"amount":"23.46","currency":"EUR"},"player":{"amount":"25.50","currency":"USD"}})");
    CHECK(j.at("deposits_7d").at("count") == 1);
    CHECK(j.at("deposits_7d").at("sum").at("player").at("amount") == "25.50");
    CHECK(j.at("first_deposit_at") == "2026-03-01T12:00:00.000Z");
    CHECK(j.at("last_login_at") == "2026-03-01T12:05:00.000Z");
    CHECK(j.at("withdrawal_sum").at("base").at("amount") == "0.00");
    CHECK(j.at("session_duration_s") == 0);
    CHECK(j.at("favourite_game_type").is_null());
    CHECK(j.at("days_since_last_deposit") == 1);
    CHECK(j.at("days_since_last_login") == 0);
    CHECK(j.at("active_days_30d") == 1);
    CHECK(j.size() == 28);
}

TEST_CASE("an overflowing sum is a ValidationError and leaves the state unchanged",
          "[events][aggregates]") {
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    auto field_of = [](Player& p, const LoggedEvent& e) -> std::string {
        try {
            p.feed(e);
        } catch (const ValidationError& error) {
            return error.field();
        }
        return "<applied>";
    };
    Player p;
    p.feed(bet(kT0, "slots", kMax - 1, 10));
    p.feed(deposit(kT0, "t1", DepositStatus::kApproved, kMax));
    p.feed(win(kT0, kMax));
    p.feed(bonus(kT0, BonusKind::kGranted, kMax));
    const PlayerState before = p.state();
    CHECK(field_of(p, bet(kT0 + days(1), "table", 2, 1)) == "amount");
    CHECK(field_of(p, bet(kT0 + days(1), "slots", 1, kMax)) == "amount");  // the type's sum
    CHECK(field_of(p, deposit(kT0 + days(1), "t2", DepositStatus::kApproved, 1)) == "amount");
    CHECK(field_of(p, win(kT0 + days(1), 1)) == "amount");
    CHECK(field_of(p, bonus(kT0 + days(1), BonusKind::kGranted, 1)) == "amount");
    CHECK(p.state() == before);
    CHECK(p.state().max_occurred_at() == kT0);
    CHECK(field_of(p, bet(kT0, "slots", 1, 1)) == "<applied>");
    // A figure derived at query time can overflow too: ggr = bets - wins is fine here, but
    // ngr = ggr - (granted - forfeited) is not.
    Player q;
    q.feed(bonus(kT0, BonusKind::kGranted, kMax));
    q.feed(win(kT0, kMax));
    CHECK_THROWS_AS(q.live(kT0), ValidationError);
}

TEST_CASE("first and last deposit times stay exact when deposits are removed",
          "[events][aggregates]") {
    SECTION("removals inside the 90-day window are always exact") {
        Player p;
        for (int i = 0; i < 8; ++i) {
            p.feed(deposit(kT0 + days(i), "t" + std::to_string(i), DepositStatus::kApproved, 100));
        }
        for (int i : {0, 7, 1, 6, 2, 5, 3}) {
            p.feed(deposit(kT0 + days(20), "t" + std::to_string(i), DepositStatus::kDeclined, 100));
            const auto a = p.checked(kT0 + days(20));
            CHECK(a.first_deposit_at);
        }
        const auto a = p.checked(kT0 + days(20));
        CHECK(a.deposit_count == 1);
        CHECK(a.first_deposit_at == kT0 + days(4));
        CHECK(a.last_deposit_at == kT0 + days(4));
    }
    SECTION("old deposits: the three earliest and three latest are remembered") {
        Player p;
        for (int i = 0; i < 6; ++i) {
            p.feed(deposit(kT0 + days(i), "t" + std::to_string(i), DepositStatus::kApproved, 100));
        }
        p.feed(login(kT0 + days(200)));  // every deposit is out of the windows now
        // Remove the earliest twice and the latest twice: still exact.
        for (int i : {0, 5, 1, 4}) {
            p.feed(
                deposit(kT0 + days(201), "t" + std::to_string(i), DepositStatus::kDeclined, 100));
            REQUIRE(p.state().deposit_times_known());
            p.checked(kT0 + days(201));
        }
        const auto a = p.checked(kT0 + days(201));
        CHECK(a.first_deposit_at == kT0 + days(2));
        CHECK(a.last_deposit_at == kT0 + days(3));
        // A new deposit becomes the latest; then the rest go (the third removal from the
        // earliest end: exact again because the window holds every remaining deposit).
        p.feed(deposit(kT0 + days(202), "t9", DepositStatus::kApproved, 100));
        CHECK(p.checked(kT0 + days(202)).last_deposit_at == kT0 + days(202));
        for (int i : {3, 2}) {
            p.feed(
                deposit(kT0 + days(203), "t" + std::to_string(i), DepositStatus::kDeclined, 100));
            p.checked(kT0 + days(203));
        }
        CHECK(p.checked(kT0 + days(203)).first_deposit_at == kT0 + days(202));
    }
    SECTION("more removals of old earliest deposits than remembered: answers() says no") {
        Player p;
        for (int i = 0; i < 10; ++i) {
            p.feed(deposit(kT0 + days(i), "t" + std::to_string(i), DepositStatus::kApproved, 100));
        }
        p.feed(login(kT0 + days(200)));
        for (int i : {0, 1, 2}) {
            REQUIRE(p.state().answers(kT0 + days(201)));
            p.feed(
                deposit(kT0 + days(201), "t" + std::to_string(i), DepositStatus::kDeclined, 100));
        }
        // The fourth earliest was never remembered.
        CHECK_FALSE(p.state().deposit_times_known());
        CHECK_FALSE(p.state().answers(kT0 + days(201)));
        CHECK_THROWS_AS(p.live(kT0 + days(201)), std::logic_error);
        // recompute and replay stay exact.
        const auto expected = p.reference(kT0 + days(201));
        CHECK(expected.first_deposit_at == kT0 + days(3));
        CHECK(p.recomputed(kT0 + days(201)) == expected);
        const PlayerState repaired = PlayerState::replay(p.history());
        REQUIRE(repaired.answers(kT0 + days(201)));
        CHECK(repaired.as_of(p.who(), kT0 + days(201)) == expected);
        CHECK(repaired.max_occurred_at() == p.state().max_occurred_at());
    }
    SECTION("a deposit after the remembered ones is not remembered while others are unknown") {
        Player p;
        for (int i = 0; i < 6; ++i) {
            p.feed(deposit(kT0 + days(i), "t" + std::to_string(i), DepositStatus::kApproved, 100));
        }
        p.feed(login(kT0 + days(200)));
        p.feed(deposit(kT0 + days(201), "t0", DepositStatus::kDeclined, 100));
        // Remembered earliest: days 1, 2; days 3 and 4 are not. A deposit on day 10 must not
        // join them: day 3 and 4 would then be skipped.
        p.feed(deposit(kT0 + days(10), "t10", DepositStatus::kApproved, 100));
        for (int i : {1, 2}) {
            p.feed(
                deposit(kT0 + days(202), "t" + std::to_string(i), DepositStatus::kDeclined, 100));
        }
        CHECK_FALSE(p.state().answers(kT0 + days(202)));
        CHECK(p.recomputed(kT0 + days(202)).first_deposit_at == kT0 + days(3));
        CHECK(PlayerState::replay(p.history()).as_of(p.who(), kT0 + days(202)).first_deposit_at ==
              kT0 + days(3));
    }
    SECTION("a state that lost them recovers once all its deposits are inside the window") {
        Player p;
        for (int i = 0; i < 5; ++i) {
            p.feed(deposit(kT0 + days(i), "t" + std::to_string(i), DepositStatus::kApproved, 100));
        }
        p.feed(login(kT0 + days(100)));
        for (int i : {0, 1, 2}) {
            p.feed(
                deposit(kT0 + days(101), "t" + std::to_string(i), DepositStatus::kDeclined, 100));
        }
        CHECK_FALSE(p.state().deposit_times_known());  // t3, t4 remain, never remembered first
        for (int i : {3, 4}) {
            p.feed(
                deposit(kT0 + days(101), "t" + std::to_string(i), DepositStatus::kDeclined, 100));
        }
        CHECK(p.state().deposit_times_known());  // none left
        p.feed(deposit(kT0 + days(102), "t5", DepositStatus::kApproved, 100));
        CHECK(p.checked(kT0 + days(102)).first_deposit_at == kT0 + days(102));
    }
}

TEST_CASE("replay equals applying the history event by event", "[events][aggregates]") {
    Player p;
    p.feed(deposit(kT0, "t1", DepositStatus::kPending, 100));
    p.feed(bet(kT0 + minutes(1), "slots", 5));
    p.feed(deposit(kT0 + minutes(2), "t1", DepositStatus::kApproved, 100));
    p.feed(deposit(kT0 - days(1), "t2", DepositStatus::kApproved, 30));
    p.feed(withdrawal(kT0 + hours(1), "w1", WithdrawalStatus::kPaid, 20));
    p.feed(withdrawal(kT0 + hours(2), "w1", WithdrawalStatus::kRejected, 20));
    const PlayerState replayed = PlayerState::replay(p.history());
    CHECK(replayed == p.state());
    CHECK(replayed.as_of(p.who(), kT0 + days(1)) == p.checked(kT0 + days(1)));
}

TEST_CASE("checkpoint columns round-trip the state exactly", "[events][aggregates]") {
    const auto& names = PlayerState::number_column_names();
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK_FALSE(names[i].empty());
        for (std::size_t j = 0; j < i; ++j) CHECK(names[i] != names[j]);
    }
    Player p;
    auto round_trips = [&] {
        const PlayerState::Columns columns = p.state().to_columns();
        const PlayerState back = PlayerState::from_columns(columns);
        CHECK(back == p.state());
        CHECK(back.to_columns().numbers == columns.numbers);
        CHECK(back.to_columns().deposits == columns.deposits);
        CHECK(back.to_columns().game_types == columns.game_types);
    };
    round_trips();                              // the empty state
    p.feed(login(at("1969-12-31T23:00:00Z")));  // before the epoch
    round_trips();
    p.feed(deposit(kT0, "t1", DepositStatus::kApproved, 2500, 2300));
    p.feed(deposit(kT0, "t2", DepositStatus::kApproved, 2500, 2300));  // the same figures twice
    p.feed(deposit(kT0 + days(1), "t3", DepositStatus::kApproved, 1, 0));
    p.feed(bet(kT0, "slots", 10, 9));
    p.feed(bet(kT0, "live_casino", 10, 9));
    p.feed(bonus(kT0, BonusKind::kForfeited, 3));
    p.feed(session_end(kT0, 77));
    round_trips();
    const auto columns = p.state().to_columns();
    CHECK(columns.deposits == "1772366400000:2500:2300,1772366400000:2500:2300,1772452800000:1:0");
    CHECK(columns.game_types == "slots:1:9,live_casino:1:9");
    // A restored state goes on exactly like the original.
    PlayerState restored = PlayerState::from_columns(columns);
    const auto next = deposit(kT0 + days(2), "t1", DepositStatus::kDeclined, 2500, 2300);
    LoggedEvent previous = p.history()[1];
    restored.apply(next, &previous);
    p.feed(next);
    CHECK(restored == p.state());
}

TEST_CASE("malformed checkpoint columns are a StorageError", "[events][aggregates]") {
    Player p;
    p.feed(deposit(kT0, "t1", DepositStatus::kApproved, 2500));
    p.feed(bet(kT0, "slots", 10));
    const PlayerState::Columns good = p.state().to_columns();
    REQUIRE_NOTHROW(PlayerState::from_columns(good));
    auto with_deposits = [&](std::string text) {
        auto c = good;
        c.deposits = std::move(text);
        return c;
    };
    auto with_game_types = [&](std::string text) {
        auto c = good;
        c.game_types = std::move(text);
        return c;
    };
    for (const char* bad :
         {"abc", "1", "1:2", "1:2:", "1:2:3,", ",1:2:3", "1:2:3:4", "1:2:x", "1::3", "1:2:3,,1:2:3",
          "1772366400000:2500:2500,1:2:3", "1:2:3,4:5:6", "99999999999999999999:1:1", " 1:2:3"}) {
        INFO(bad);
        CHECK_THROWS_AS(PlayerState::from_columns(with_deposits(bad)), StorageError);
    }
    for (const char* bad :
         {"slots", "slots:1", "slots:1:", "Slots:1:1", "slots:0:1", "slots:-1:1",
          "slots:1:1,slots:1:1", "sl,ots:1:1", "slots:1:1,", ":1:1", "slots:1:1:1", "s lots:1:1"}) {
        INFO(bad);
        CHECK_THROWS_AS(PlayerState::from_columns(with_game_types(bad)), StorageError);
    }
    auto with_number = [&](std::size_t index, std::int64_t value) {
        auto c = good;
        c.numbers[index] = value;
        return c;
    };
    constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
    CHECK_THROWS_AS(PlayerState::from_columns(with_number(1, -1)), StorageError);  // count
    CHECK_THROWS_AS(PlayerState::from_columns(with_number(21, 1LL << 31)), StorageError);
    CHECK_THROWS_AS(PlayerState::from_columns(with_number(21, 2)), StorageError);  // no bit 0
    CHECK_THROWS_AS(PlayerState::from_columns(with_number(21, 0)), StorageError);  // but seen
    CHECK_THROWS_AS(PlayerState::from_columns(with_number(20, kNone)), StorageError);
    CHECK_THROWS_AS(PlayerState::from_columns(with_number(23, 5)), StorageError);  // 2 of 1
    auto gap = good;
    gap.numbers[22] = kNone;
    gap.numbers[23] = 5;
    CHECK_THROWS_AS(PlayerState::from_columns(gap), StorageError);
    auto unordered = good;
    unordered.numbers[1] = 3;
    unordered.numbers[22] = 10;
    unordered.numbers[23] = 5;
    CHECK_THROWS_AS(PlayerState::from_columns(unordered), StorageError);
    CHECK(PlayerState::from_columns(with_deposits("")) != p.state());  // valid, just different
}

// ---- property test -------------------------------------------------------------------------

namespace {

/// Random player histories: sessions, play, bonuses, deposits and withdrawals with lifecycles
/// (repeated statuses, equal timestamps, status events out of time order), delivered late and
/// shuffled.
class HistoryGenerator {
public:
    explicit HistoryGenerator(std::uint64_t seed) : rng_(seed) {}

    std::vector<LoggedEvent> player(int index) {
        std::vector<LoggedEvent> events;
        // 0: removal-heavy, 1: idle, 2: chargebacks of many old deposits, others: mixed
        const int profile = pick(0, 9);
        const int count = profile == 1 ? pick(0, 3) : pick(5, 70);
        const Timestamp start = kStart + days(pick(0, 60));
        const std::int64_t span_days = pick(1, 200);
        if (pick(0, 3) > 0) events.push_back(event(EventType::kRegistration, start));
        int transactions = 0;
        if (profile == 2) {
            // Many approved deposits, then declines of a random subset, up to 200 days later.
            const int deposits = pick(5, 30);
            for (int i = 0; i < deposits; ++i) {
                const std::string ref = "c" + std::to_string(i);
                const Timestamp t = when(start, span_days);
                events.push_back(deposit(t, ref, DepositStatus::kApproved, amount()));
                if (pick(0, 9) < 6) {
                    events.push_back(deposit(t + minutes(pick(1, 200 * 24 * 60)), ref,
                                             DepositStatus::kDeclined, amount()));
                }
            }
        }
        while (static_cast<int>(events.size()) < count) {
            const Timestamp t = when(start, span_days);
            const int kind = pick(0, 99);
            if (kind < 30) {
                auto b =
                    bet(t, kGameTypes[static_cast<std::size_t>(pick(0, 4))], amount(), amount());
                events.push_back(std::move(b));
            } else if (kind < 45) {
                events.push_back(win(t, amount()));
            } else if (kind < 55) {
                events.push_back(login(t));
                if (pick(0, 1) == 0)
                    events.push_back(session_end(t + minutes(pick(0, 300)), pick(0, 20000)));
            } else if (kind < 62) {
                events.push_back(bonus(t, static_cast<BonusKind>(pick(0, 2)), amount()));
            } else if (kind < (profile == 0 ? 97 : 88)) {
                lifecycle(events, EventType::kDeposit, "t" + std::to_string(transactions++), t,
                          profile == 0);
            } else {
                lifecycle(events, EventType::kWithdrawal, "t" + std::to_string(transactions++), t,
                          false);
            }
        }
        for (std::size_t i = 0; i < events.size(); ++i) {
            events[i].event_id = "p" + std::to_string(index) + "-" + std::to_string(pick(0, 999)) +
                                 "-" + std::to_string(i);
        }
        return arrival_order(std::move(events));
    }

    /// Moments worth asking about: before, at and after events, on window edges.
    std::vector<Timestamp> as_of_values(const std::vector<LoggedEvent>& events) {
        std::vector<Timestamp> values = {kStart - days(1), kStart + days(400)};
        for (int i = 0; i < 8 && !events.empty(); ++i) {
            const auto& e =
                events[static_cast<std::size_t>(pick(0, static_cast<int>(events.size()) - 1))];
            const int edge =
                std::vector<int>{0, 7, 30, 90, 1}[static_cast<std::size_t>(pick(0, 4))];
            Timestamp t = e.occurred_at + days(edge);
            if (pick(0, 2) == 0) t += milliseconds(pick(-1, 1));
            if (pick(0, 3) == 0) t = e.occurred_at + milliseconds(pick64(0, 90 * 86'400'000LL));
            values.push_back(t);
        }
        return values;
    }

    int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
    std::int64_t pick64(std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(rng_);
    }

private:
    static constexpr const char* kGameTypes[] = {"slots", "live_casino", "table", "sports",
                                                 "crash"};
    const Timestamp kStart = at("2026-01-10T00:00:00Z");

    std::int64_t amount() { return pick(0, 3) == 0 ? pick(0, 100) : pick(0, 500000); }

    Timestamp when(Timestamp start, std::int64_t span_days) {
        Timestamp t = start + milliseconds(pick64(0, span_days * 86'400'000));
        switch (pick(0, 4)) {
            case 0:
                return std::chrono::floor<days>(t);  // midnight
            case 1:
                return std::chrono::floor<hours>(t);
            case 2:
                return std::chrono::floor<days>(t) - milliseconds(1);
            default:
                return t;
        }
    }

    void lifecycle(std::vector<LoggedEvent>& events, EventType type, const std::string& ref,
                   Timestamp t, bool removal_heavy) {
        const int steps = removal_heavy ? pick(1, 2) : pick(1, 3);
        const std::int64_t base_amount = amount();
        for (int i = 0; i < steps; ++i) {
            int state = 0;
            if (type == EventType::kDeposit) {
                state = removal_heavy ? (i == 0 ? status(DepositStatus::kApproved)
                                                : status(DepositStatus::kDeclined))
                                      : pick(0, 2);
            } else {
                state = pick(0, 4);
            }
            const std::int64_t minor = pick(0, 4) == 0 ? amount() : base_amount;
            events.push_back(event(type, t, ref, state, minor, minor / 2 + 1));
            // The next status: usually later, sometimes at the same instant, sometimes (a
            // platform clock skew) earlier, sometimes much later.
            switch (pick(0, 5)) {
                case 0:
                    break;
                case 1:
                    t -= minutes(pick(1, 90));
                    break;
                case 2:
                    t += days(pick(1, 120));
                    break;
                default:
                    t += minutes(pick(1, 600));
                    break;
            }
        }
    }

    std::vector<LoggedEvent> arrival_order(std::vector<LoggedEvent> events) {
        std::vector<std::pair<Timestamp, std::size_t>> keys;
        for (std::size_t i = 0; i < events.size(); ++i) {
            Duration late{0};
            const int lateness = pick(0, 19);
            if (lateness < 5) late = hours(pick(1, 72));
            if (lateness == 5) late = days(pick(3, 150));
            keys.emplace_back(events[i].occurred_at + late, i);
        }
        std::sort(keys.begin(), keys.end());
        // A few arbitrary swaps on top.
        for (int i = 0; i < static_cast<int>(keys.size()) / 10; ++i) {
            std::swap(keys[static_cast<std::size_t>(pick(0, static_cast<int>(keys.size()) - 1))],
                      keys[static_cast<std::size_t>(pick(0, static_cast<int>(keys.size()) - 1))]);
        }
        std::vector<LoggedEvent> ordered;
        for (const auto& [key, i] : keys) ordered.push_back(events[i]);
        return ordered;
    }

    std::mt19937_64 rng_;
};

}  // namespace

TEST_CASE("property: live state and recompute equal the naive reference",
          "[events][aggregates][property]") {
    const Currency currencies[] = {kEur, kUsd, Currency::of("JPY"), Currency::of("BHD")};
    int live_checks = 0;
    int recompute_checks = 0;
    int lost_deposit_times = 0;
    int removals = 0;
    for (std::uint64_t seed : {1ULL, 2ULL, 3ULL, 42ULL, 20261122ULL}) {
        HistoryGenerator generator(seed);
        for (int index = 0; index < 250; ++index) {
            const auto events = generator.player(index);
            const PlayerIdentity who{PlayerId(index + 1), "p-" + std::to_string(index),
                                     currencies[index % 4], kEur};
            INFO("seed " << seed << " player " << index);
            Player p(who);
            for (std::size_t i = 0; i < events.size(); ++i) {
                p.feed(events[i]);
                // Mid-stream: the live state against the reference on the prefix.
                if (generator.pick(0, 9) == 0) {
                    const Timestamp as_of =
                        p.state().max_occurred_at() +
                        milliseconds(
                            generator.pick(0, 3) == 0 ? 0 : generator.pick64(0, 40 * 86'400'000LL));
                    if (p.state().answers(as_of)) {
                        require_equal(p.live(as_of), p.reference(as_of));
                        ++live_checks;
                    } else {
                        ++lost_deposit_times;
                    }
                }
                // Now and then through the checkpoint form, as after a restart.
                if (generator.pick(0, 19) == 0) {
                    p.state() = PlayerState::from_columns(p.state().to_columns());
                }
            }
            for (const auto& e : p.history()) {
                if (e.type == EventType::kDeposit && e.state != status(DepositStatus::kApproved)) {
                    ++removals;
                }
            }
            const PlayerState replayed = PlayerState::replay(p.history());
            for (const Timestamp as_of : generator.as_of_values(p.history())) {
                const Aggregates expected = p.reference(as_of);
                require_equal(p.recomputed(as_of), expected);
                ++recompute_checks;
                if (p.state().answers(as_of)) {
                    require_equal(p.live(as_of), expected);
                    ++live_checks;
                }
                if (as_of >= p.state().max_occurred_at()) {
                    REQUIRE(replayed.answers(as_of));
                    require_equal(replayed.as_of(who, as_of), expected);
                }
            }
        }
    }
    CHECK(live_checks > 2000);
    CHECK(recompute_checks > 10000);
    CHECK(removals > 1000);
    INFO("live states that lost their deposit times: " << lost_deposit_times);
    CHECK(lost_deposit_times < live_checks / 10);
}
