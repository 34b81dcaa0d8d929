// aggregate_bench: the in-memory aggregate update path alone (PlayerState::apply) on pre-built
// logged events, and the state's memory per player.
//
// Workload: 100,000 players, 1,200,000 events over 180 days, a casino-like mix (bets 45%,
// wins 35%, logins and session ends 5% each, bonuses 4%, deposits ~5% as lifecycles
// pending -> approved / declined or approved alone, withdrawals ~1% requested -> paid /
// rejected), 5% of the events late by up to 6 hours, players drawn half uniformly and half
// from a skewed distribution (a few very active players). The lifecycle `previous` of each
// event (the ingestor's job) is resolved before timing, so only apply() is measured.
//
// Baseline in the same run: the fastest thing possible, a loop adding each event's two
// amounts into a flat per-player array. Both are timed over the same events, 7 runs each,
// on fresh states. The figures are checked against recompute() for a sample of players.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench_util.hpp"
#include "events/aggregate_state.hpp"

namespace {

using namespace pitboss;
using namespace pitboss::events;
using namespace pitboss::events::detail;

constexpr int kRuns = 7;
constexpr std::int64_t kPlayers = 100'000;
constexpr std::size_t kEvents = 1'200'000;
constexpr const char* kTarget = ">= 3,000,000 events/s";
const char* const kGameTypes[] = {"slots", "live_casino", "table", "sports", "crash", "bingo"};

/// `prefix` followed by the number ("t42"); written out because GCC 12's -Wrestrict misfires on
/// `"t" + std::to_string(n)` at -O3.
std::string id(char prefix, std::int64_t number) {
    std::string text(1, prefix);
    text += std::to_string(number);
    return text;
}

struct Workload {
    std::vector<LoggedEvent> events;
    std::vector<std::int64_t> previous;  // index of the lifecycle's previous status event, or -1
};

class Generator {
public:
    Workload build() {
        Workload w;
        w.events.reserve(kEvents + kEvents / 10);
        const Timestamp start = parse_timestamp("2026-01-01T00:00:00Z");
        const std::int64_t span_ms = 180LL * 86'400'000;
        std::int64_t transactions = 0;
        for (std::size_t i = 0; w.events.size() < kEvents; ++i) {
            Timestamp t = start + Duration(span_ms * static_cast<std::int64_t>(i) /
                                           static_cast<std::int64_t>(kEvents));
            if (pick(0, 19) == 0) t -= Duration(pick(1, 6 * 3'600'000));
            const std::int64_t player = player_key();
            const int kind = static_cast<int>(pick(0, 99));
            if (kind < 45) {
                LoggedEvent e = make(EventType::kBet, t, player, amount());
                e.ref = id('r', static_cast<std::int64_t>(i));
                e.game_type = kGameTypes[pick(0, player % 3 == 0 ? 5 : 2)];
                w.events.push_back(std::move(e));
            } else if (kind < 80) {
                w.events.push_back(make(EventType::kWin, t, player, amount()));
            } else if (kind < 85) {
                w.events.push_back(make(EventType::kLogin, t, player, 0));
            } else if (kind < 90) {
                LoggedEvent e = make(EventType::kSessionEnd, t, player, 0);
                e.duration_s = pick(30, 7200);
                w.events.push_back(std::move(e));
            } else if (kind < 94) {
                LoggedEvent e = make(EventType::kBonus, t, player, amount());
                e.state = static_cast<int>(pick(0, 2));
                w.events.push_back(std::move(e));
            } else if (kind < 97) {
                deposit(w.events, t, player, id('t', transactions++));
            } else if (kind < 98) {
                withdrawal(w.events, t, player, id('t', transactions++));
            } else {
                w.events.push_back(make(EventType::kWin, t, player, amount()));
            }
        }
        for (std::size_t i = 0; i < w.events.size(); ++i) {
            w.events[i].seq = static_cast<std::int64_t>(i) + 1;
            w.events[i].event_id = id('e', static_cast<std::int64_t>(i));
        }
        w.previous = resolve_previous(w.events);
        return w;
    }

private:
    std::int64_t pick(std::int64_t low, std::int64_t high) {
        return std::uniform_int_distribution<std::int64_t>(low, high)(rng_);
    }
    std::int64_t player_key() {
        if (pick(0, 1) == 0) return pick(0, kPlayers - 1);
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
        return std::min<std::int64_t>(
            kPlayers - 1, static_cast<std::int64_t>(static_cast<double>(kPlayers) * u * u * u));
    }
    std::int64_t amount() { return pick(10, 5000) * (pick(0, 20) == 0 ? 100 : 1); }

    static LoggedEvent make(EventType type, Timestamp t, std::int64_t player, std::int64_t minor) {
        LoggedEvent e;
        e.type = type;
        e.occurred_at = t;
        e.player_key = player;
        e.player_minor = minor;
        e.base_minor = minor * 92 / 100;
        return e;
    }

    // Lifecycle events follow their first status by minutes, so they appear later in the log.
    void deposit(std::vector<LoggedEvent>& out, Timestamp t, std::int64_t player, std::string ref) {
        const std::int64_t minor = pick(1000, 50000);
        auto status = [&](DepositStatus s, Timestamp when) {
            LoggedEvent e = make(EventType::kDeposit, when, player, minor);
            e.ref = ref;
            e.state = static_cast<int>(s);
            out.push_back(std::move(e));
        };
        const std::int64_t path = pick(0, 9);
        if (path < 2) {
            status(DepositStatus::kApproved, t);
            return;
        }
        status(DepositStatus::kPending, t);
        status(path < 9 ? DepositStatus::kApproved : DepositStatus::kDeclined,
               t + Duration(pick(1000, 600'000)));
    }
    void withdrawal(std::vector<LoggedEvent>& out, Timestamp t, std::int64_t player,
                    std::string ref) {
        const std::int64_t minor = pick(2000, 100000);
        auto status = [&](WithdrawalStatus s, Timestamp when) {
            LoggedEvent e = make(EventType::kWithdrawal, when, player, minor);
            e.ref = ref;
            e.state = static_cast<int>(s);
            out.push_back(std::move(e));
        };
        status(WithdrawalStatus::kRequested, t);
        status(pick(0, 4) == 0 ? WithdrawalStatus::kRejected : WithdrawalStatus::kPaid,
               t + Duration(pick(60'000, 3'600'000)));
    }

    static std::vector<std::int64_t> resolve_previous(const std::vector<LoggedEvent>& events) {
        std::vector<std::int64_t> previous(events.size(), -1);
        std::map<std::pair<EventType, std::string>, std::size_t> winners;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const LoggedEvent& e = events[i];
            if (!has_lifecycle(e.type)) continue;
            auto [it, inserted] = winners.try_emplace({e.type, e.ref}, i);
            if (inserted) continue;
            previous[i] = static_cast<std::int64_t>(it->second);
            if (supersedes(e, events[it->second])) it->second = i;
        }
        return previous;
    }

    std::mt19937_64 rng_{20260101};
};

double apply_all(const Workload& w, std::vector<PlayerState>& states) {
    states.assign(static_cast<std::size_t>(kPlayers), PlayerState{});
    const LoggedEvent* events = w.events.data();
    const std::int64_t* previous = w.previous.data();
    const std::size_t n = w.events.size();
    return bench::seconds([&] {
        for (std::size_t i = 0; i < n; ++i) {
            const LoggedEvent& e = events[i];
            const LoggedEvent* prior =
                previous[i] < 0 ? nullptr : events + static_cast<std::size_t>(previous[i]);
            states[static_cast<std::size_t>(e.player_key)].apply(e, prior);
        }
    });
}

double add_all(const Workload& w, std::vector<std::int64_t>& sums) {
    sums.assign(static_cast<std::size_t>(kPlayers) * 2, 0);
    const LoggedEvent* events = w.events.data();
    const std::size_t n = w.events.size();
    return bench::seconds([&] {
        for (std::size_t i = 0; i < n; ++i) {
            const auto slot = static_cast<std::size_t>(events[i].player_key) * 2;
            sums[slot] += events[i].player_minor;
            sums[slot + 1] += events[i].base_minor;
        }
    });
}

/// The live states must equal recompute() for a sample of players.
std::size_t verify_sample(const Workload& w, const std::vector<PlayerState>& states) {
    std::map<std::int64_t, std::vector<LoggedEvent>> histories;
    for (std::int64_t key = 0; key < kPlayers; key += 997) histories[key];
    histories[0];
    for (const LoggedEvent& e : w.events) {
        auto it = histories.find(e.player_key);
        if (it != histories.end()) it->second.push_back(e);
    }
    std::size_t checked = 0;
    const Currency eur = Currency::of("EUR");
    for (const auto& [key, history] : histories) {
        const PlayerIdentity who{PlayerId(key), id('p', key), eur, eur};
        const PlayerState& state = states[static_cast<std::size_t>(key)];
        const Timestamp as_of = state.max_occurred_at() + std::chrono::hours(1);
        if (!state.answers(as_of) || state.as_of(who, as_of) != recompute(who, history, as_of)) {
            std::fprintf(stderr, "aggregate_bench: player %lld differs from recompute\n",
                         static_cast<long long>(key));
            std::exit(1);
        }
        ++checked;
    }
    return checked;
}

}  // namespace

int main() {
    const Workload workload = Generator().build();
    const auto n = static_cast<double>(workload.events.size());

    std::vector<PlayerState> states;
    std::vector<std::int64_t> sums;
    std::vector<double> apply_rates;
    std::vector<double> add_rates;
    std::int64_t checksum = 0;
    for (int run = 0; run < kRuns; ++run) {
        apply_rates.push_back(n / apply_all(workload, states));
        add_rates.push_back(n / add_all(workload, sums));
        for (std::int64_t s : sums) checksum += s;
    }
    const std::size_t verified = verify_sample(workload, states);

    std::size_t bytes = 0;
    std::size_t deposits = 0;
    for (const PlayerState& s : states) bytes += sizeof(PlayerState) + s.heap_bytes();
    for (const LoggedEvent& e : workload.events) deposits += e.type == EventType::kDeposit ? 1 : 0;
    const double per_player = static_cast<double>(bytes) / static_cast<double>(kPlayers);

    const double median = bench::median(apply_rates);
    const double baseline = bench::median(add_rates);
    bench::report({{"bench", "aggregate"},
                   {"case", "apply"},
                   {"unit", "events/s"},
                   {"median", median},
                   {"runs", apply_rates},
                   {"baseline", "flat per-player array add of both amounts"},
                   {"baseline_median", baseline},
                   {"baseline_runs", add_rates},
                   {"ratio", median / baseline},
                   {"events", workload.events.size()},
                   {"players", kPlayers},
                   {"deposit_events", deposits},
                   {"verified_players", verified},
                   {"checksum", checksum},
                   {"target", kTarget}});
    bench::report({{"bench", "aggregate"},
                   {"case", "state_bytes_per_player"},
                   {"unit", "bytes"},
                   {"median", per_player},
                   {"runs", {per_player}},
                   {"sizeof_player_state", sizeof(PlayerState)},
                   {"players", kPlayers},
                   {"events", workload.events.size()},
                   {"target", "grows with players, not with events"}});
    return 0;
}
