#include "cli/demo_stream.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "cli/demo_data.hpp"
#include "cli/demo_random.hpp"
#include "pitboss/players/player.hpp"

namespace pitboss::cli {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::int64_t kFirstExternalNumber = 500000;
constexpr double kReplayChance = 0.0015;  // per valid event
constexpr double kLateChance = 0.004;     // per valid event after the registration

// --- the casino's catalogue ------------------------------------------------------------------

// Amounts are drawn in euro cents, then scaled so they look local (200 SEK, not 20 SEK).
struct CurrencyScale {
    std::string_view currency;
    std::int64_t percent;  ///< local minor units per 100 euro cents
};
constexpr std::array<CurrencyScale, 12> kScales = {{
    {"EUR", 100},
    {"GBP", 90},
    {"USD", 110},
    {"CHF", 100},
    {"CAD", 150},
    {"NZD", 180},
    {"BRL", 500},
    {"MXN", 2000},
    {"PLN", 400},
    {"SEK", 1000},
    {"NOK", 1000},
    {"DKK", 700},
}};

constexpr std::array<DemoFxRate, 11> kFxRates = {{
    {"GBP", "1.1700", "1.1580"},
    {"USD", "0.9200", "0.9350"},
    {"CHF", "1.0600", "1.0710"},
    {"CAD", "0.6800", "0.6720"},
    {"NZD", "0.5500", "0.5460"},
    {"BRL", "0.1700", "0.1660"},
    {"MXN", "0.0500", "0.0490"},
    {"PLN", "0.2300", "0.2320"},
    {"SEK", "0.0870", "0.0880"},
    {"NOK", "0.0850", "0.0840"},
    {"DKK", "0.1341", "0.1340"},
}};

// Some players in the Americas keep a US dollar wallet.
struct DollarShare {
    std::string_view country;
    double share;
};
constexpr std::array<DollarShare, 3> kDollarWallets = {{{"MX", 0.15}, {"CA", 0.10}, {"BR", 0.05}}};

struct Behaviour {
    StreamProfile profile;
    int per_mille;                       ///< share of players
    double activity_low, activity_high;  ///< chance of a session on an average day
    double rounds_mean;                  ///< game rounds in a session
    double redeposit_chance;             ///< deposits again when the balance runs out
};
constexpr std::array<Behaviour, 6> kBehaviours = {{
    {StreamProfile::kCasual, 420, 0.04, 0.10, 6, 0.25},
    {StreamProfile::kRegular, 280, 0.12, 0.28, 10, 0.40},
    {StreamProfile::kHighRoller, 40, 0.30, 0.55, 16, 0.60},
    {StreamProfile::kChurner, 120, 0.20, 0.45, 10, 0.40},
    {StreamProfile::kBonusAbuser, 20, 0.12, 0.25, 4, 0.10},
    {StreamProfile::kNonDepositor, 120, 0.10, 0.20, 0, 0.0},
}};

const Behaviour& behaviour_of(StreamProfile profile) {
    return kBehaviours[static_cast<std::size_t>(profile)];
}

enum GameKind : std::size_t { kSlots, kLiveCasino, kTable, kSports };
struct Game {
    std::string_view type;
    std::array<std::string_view, 4> ids;
    int win_per_mille;                 ///< chance that a round pays
    std::array<int, 7> payout_tenths;  ///< win as a multiple of the stake, in tenths
    std::array<int, 7> payout_weights;
    std::int64_t settle_low, settle_high;    ///< seconds from bet to win
    std::int64_t spacing_low, spacing_high;  ///< seconds between rounds
};
// Paytables give a return to player of about 93-97%.
constexpr std::array<Game, 4> kGames = {{
    {"slots",
     {"starburst", "book_of_dead", "sweet_bonanza", "gates_of_olympus"},
     300,
     {5, 10, 20, 50, 100, 500, 1000},
     {400, 200, 200, 120, 60, 18, 2},
     2,
     4,
     4,
     10},
    {"live_casino",
     {"lightning_roulette", "crazy_time", "live_blackjack", "monopoly_live"},
     430,
     {20, 30, 80, 20, 20, 20, 20},
     {90, 7, 3, 0, 0, 0, 0},
     25,
     60,
     35,
     90},
    {"table",
     {"european_roulette", "blackjack_classic", "baccarat", "casino_holdem"},
     440,
     {20, 25, 30, 20, 20, 20, 20},
     {85, 10, 5, 0, 0, 0, 0},
     10,
     40,
     20,
     60},
    {"sports",
     {"football", "tennis", "ice_hockey", "basketball"},
     360,
     {14, 18, 22, 28, 35, 50, 90},
     {20, 25, 20, 15, 10, 7, 3},
     3600,
     5 * 3600,
     30,
     180},
}};
constexpr std::array<int, 4> kGameWeights = {60, 15, 10, 15};
constexpr std::array<int, 4> kAbuserGameWeights = {10, 10, 75, 5};

constexpr std::array<std::int64_t, 11> kStakesCents = {10,   20,   50,   100,   200,  500,
                                                       1000, 2000, 5000, 10000, 20000};
constexpr std::array<std::int64_t, 19> kDepositsCents = {
    1000,  1500,  2000,  2500,  3000,   5000,   7500,   10000,  15000, 20000,
    25000, 30000, 50000, 75000, 100000, 150000, 200000, 250000, 500000};

constexpr std::array<std::string_view, 6> kWallets = {"card",   "card",     "skrill",
                                                      "paypal", "neteller", "paysafecard"};
struct LocalMethod {
    std::string_view country;
    std::string_view method;
};
constexpr std::array<LocalMethod, 10> kLocalMethods = {{{"BR", "pix"},
                                                        {"MX", "spei"},
                                                        {"CA", "interac"},
                                                        {"PL", "blik"},
                                                        {"NL", "ideal"},
                                                        {"SE", "trustly"},
                                                        {"FI", "trustly"},
                                                        {"NO", "vipps"},
                                                        {"DK", "mobilepay"},
                                                        {"DE", "sofort"}}};

constexpr std::array<std::string_view, 3> kDevices = {"web", "ios", "android"};
constexpr std::array<int, 3> kDeviceWeights = {45, 25, 30};

// Sessions start mostly in the (European) evening, UTC hours 0..23.
constexpr std::array<int, 24> kHourWeights = {3, 2, 1, 1, 1, 1, 2,  3,  4,  5,  5,  6,
                                              7, 7, 7, 7, 8, 9, 11, 13, 14, 13, 10, 6};
// Weekday factor in percent, Sunday first (std::chrono::weekday::c_encoding).
constexpr std::array<int, 7> kWeekdayPercent = {130, 85, 85, 90, 95, 115, 145};

// --- JSON text -------------------------------------------------------------------------------

// Every value the simulation writes is plain ASCII without quotes or backslashes, so lines are
// assembled directly, in the field order of docs/events.md.
class EventLine {
public:
    EventLine(std::string_view event_id, std::string_view type, std::string_view player,
              Timestamp at) {
        text_.reserve(256);
        text_ = "{";
        text("event_id", event_id);
        text("type", type);
        text("player_id", player);
        text("occurred_at", format_timestamp(at));
    }
    EventLine& text(std::string_view key, std::string_view value) {
        return raw(key, std::string("\"").append(value).append("\""));
    }
    EventLine& raw(std::string_view key, std::string_view json) {
        if (text_.size() > 1) text_ += ',';
        text_.append("\"").append(key).append("\":").append(json);
        return *this;
    }
    /// The finished line; the builder is empty afterwards.
    [[nodiscard]] std::string finish() {
        text_ += '}';
        return std::move(text_);
    }

private:
    std::string text_;
};

std::string decimal(std::int64_t minor) {
    const std::int64_t cents = minor % 100;
    return std::to_string(minor / 100) + (cents < 10 ? ".0" : ".") + std::to_string(cents);
}

// The same amount as a JSON number, as some platforms send it: "2.50" -> 2.5, "3.00" -> 3.
std::string json_number(std::int64_t minor) {
    std::string text = decimal(minor);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

std::string json_bool(bool value) { return value ? "true" : "false"; }

// --- the simulation --------------------------------------------------------------------------

struct ActiveBonus {
    std::string bonus_id;
    std::int64_t amount = 0;
    std::int64_t to_wager = 0;
};

struct SimPlayer {
    std::size_t slot = 0;  ///< index in the summary's players
    StreamProfile profile = StreamProfile::kCasual;
    players::NewPlayer data;
    std::int64_t percent = 100;  ///< currency scale
    double value = 1.0;          ///< Pareto spend factor
    double activity = 0.0;
    std::array<int, 4> game_weights{};
    std::string_view method;
    std::string_view device;
    Timestamp registered_at;
    Timestamp active_until;
    Timestamp busy_until;
    bool registration_written = false;

    std::int64_t balance = 0;
    std::int64_t stake = 0;
    std::int64_t last_deposit = 0;
    int approved_deposits = 0;
    std::optional<ActiveBonus> bonus;

    std::int64_t events = 0, sessions = 0, transactions = 0, rounds = 0, bonuses = 0;
};

struct Pending {
    Timestamp arrival;
    std::int64_t seq = 0;
    std::string line;
};
struct ArrivesLater {
    bool operator()(const Pending& a, const Pending& b) const {
        return std::tie(a.arrival, a.seq) > std::tie(b.arrival, b.seq);
    }
};

enum class BrokenKind { kDecimals, kCurrency, kUnknownPlayer, kNegative, kTruncated, kType };
constexpr std::array<BrokenKind, 6> kBrokenKinds = {
    BrokenKind::kDecimals, BrokenKind::kCurrency,  BrokenKind::kUnknownPlayer,
    BrokenKind::kNegative, BrokenKind::kTruncated, BrokenKind::kType};

struct BrokenLine {
    Timestamp at;
    std::size_t player = 0;
    BrokenKind kind = BrokenKind::kDecimals;
};

class Simulator {
public:
    Simulator(const DemoStreamOptions& options, const StreamLineSink& sink)
        : options_(options),
          sink_(sink),
          random_(options.seed),
          start_(options.end - options.span),
          end_(options.end) {}

    DemoStreamSummary run() {
        create_players();
        schedule_broken_lines();
        const Timestamp first_day = std::chrono::floor<days>(start_);
        for (Timestamp day = first_day; day <= end_; day += days(1)) {
            for (SimPlayer& p : players_) {
                if (p.registered_at >= day + days(1)) break;
                simulate_day(p, day);
            }
            write_broken_lines_before(day + days(1));
            flush_before(day + days(1));
        }
        flush_before(Timestamp::max());
        return std::move(summary_);
    }

private:
    // --- players ---

    std::vector<StreamProfile> draw_profiles() {
        const std::int64_t n = options_.players;
        std::vector<StreamProfile> profiles;
        for (const Behaviour& b : kBehaviours) {
            if (b.profile == StreamProfile::kCasual) continue;
            std::int64_t count = (b.per_mille * n + 500) / 1000;
            const bool always =
                b.profile == StreamProfile::kChurner || b.profile == StreamProfile::kBonusAbuser;
            if (always && n >= 20) count = std::max<std::int64_t>(count, 1);
            count = std::min<std::int64_t>(count, n - static_cast<std::int64_t>(profiles.size()));
            profiles.insert(profiles.end(), static_cast<std::size_t>(count), b.profile);
        }
        profiles.resize(static_cast<std::size_t>(n), StreamProfile::kCasual);
        for (std::size_t i = profiles.size(); i > 1; --i) {
            std::swap(profiles[i - 1], profiles[random_.below(i)]);
        }
        return profiles;
    }

    Timestamp draw_registration(StreamProfile profile) {
        // Churners register early enough to play for a while and still be silent for 38+ days.
        const Timestamp last =
            profile == StreamProfile::kChurner ? end_ - days(60) : end_ - days(2);
        return start_ + Duration(random_.between(0, (last - start_).count()));
    }

    void create_players() {
        const auto profiles = draw_profiles();
        std::vector<std::pair<Timestamp, StreamProfile>> order;
        order.reserve(profiles.size());
        for (const StreamProfile profile : profiles) {
            order.emplace_back(std::chrono::floor<seconds>(draw_registration(profile)), profile);
        }
        std::stable_sort(order.begin(), order.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        players_.reserve(order.size());
        summary_.players.reserve(order.size());
        for (const auto& [registered_at, profile] : order) add_player(registered_at, profile);
    }

    void add_player(Timestamp registered_at, StreamProfile profile) {
        const auto index = static_cast<std::int64_t>(players_.size()) + 1;
        SimPlayer p;
        p.slot = players_.size();
        p.profile = profile;
        p.registered_at = registered_at;
        p.data = make_demo_player(random_, index, utc_date(registered_at));
        p.data.external_id = demo_stream_external_id(index);
        for (const auto& [country, share] : kDollarWallets) {
            if (p.data.country == country && random_.chance(share)) p.data.currency = "USD";
        }
        p.percent = scale_of(p.data.currency);
        draw_habits(p);
        summary_.players.push_back({p.data.external_id, profile, p.data.country, p.data.currency,
                                    registered_at, registered_at});
        players_.push_back(std::move(p));
    }

    static std::int64_t scale_of(std::string_view currency) {
        for (const auto& s : kScales) {
            if (s.currency == currency) return s.percent;
        }
        return 100;
    }

    void draw_habits(SimPlayer& p) {
        const Behaviour& b = behaviour_of(p.profile);
        p.activity = b.activity_low + (b.activity_high - b.activity_low) * random_.unit();
        // Pareto with alpha 1.2: most players spend little, a few spend a lot.
        p.value = std::min(300.0, std::pow(1.0 - random_.unit(), -1.0 / 1.2));
        if (p.profile == StreamProfile::kHighRoller) p.value = std::min(600.0, p.value * 12.0);
        if (p.profile == StreamProfile::kCasual) p.value *= 0.7;
        if (p.profile == StreamProfile::kBonusAbuser) {
            p.game_weights = kAbuserGameWeights;
        } else {
            p.game_weights = kGameWeights;
            p.game_weights[random_.weighted(kGameWeights)] *= 4;  // a favourite game type
        }
        p.method = random_.pick(kWallets);
        for (const auto& [country, method] : kLocalMethods) {
            if (p.data.country == country && random_.chance(0.5)) p.method = method;
        }
        p.device = kDevices[random_.weighted(kDeviceWeights)];
        p.active_until = end_;
        if (p.profile == StreamProfile::kChurner) {
            p.active_until =
                std::min(p.registered_at + days(random_.between(10, 40)), end_ - days(38));
        } else if (p.profile == StreamProfile::kNonDepositor) {
            p.active_until = p.registered_at + days(random_.between(1, 10));
        }
    }

    [[nodiscard]] std::int64_t scaled(std::int64_t cents, const SimPlayer& p,
                                      std::int64_t step) const {
        const std::int64_t local = cents * p.percent / 100;
        return std::max(step, (local + step / 2) / step * step);
    }

    // --- days and sessions ---

    void simulate_day(SimPlayer& p, Timestamp day) {
        if (!p.registration_written) {
            write_registration(p);
            const double first_session = p.profile == StreamProfile::kNonDepositor ? 0.9 : 0.8;
            if (random_.chance(first_session)) {
                session(p, p.registered_at + seconds(random_.between(60, 1800)));
            }
        }
        if (day > p.active_until) return;
        for (const Timestamp start : session_starts(p, day)) {
            const Timestamp begin = std::max(start, p.busy_until);
            if (begin >= day + days(1) || begin > std::min(end_, p.active_until)) break;
            session(p, begin);
        }
    }

    std::vector<Timestamp> session_starts(SimPlayer& p, Timestamp day) {
        const auto weekday = std::chrono::weekday(std::chrono::floor<days>(day)).c_encoding();
        const double chance = p.activity * kWeekdayPercent[weekday] / 100.0;
        std::vector<Timestamp> starts;
        if (!random_.chance(std::min(0.95, chance))) return starts;
        int count = 1;
        if (random_.chance(chance * 0.5)) ++count;
        if (count == 2 && random_.chance(chance * 0.3)) ++count;
        for (int i = 0; i < count; ++i) {
            const auto hour = static_cast<std::int64_t>(random_.weighted(kHourWeights));
            starts.push_back(day + hours(hour) + seconds(random_.between(0, 3599)));
        }
        std::sort(starts.begin(), starts.end());
        return starts;
    }

    void session(SimPlayer& p, Timestamp start) {
        if (start > end_) return;
        const std::string session_id =
            "s-" + p.data.external_id + "-" + std::to_string(++p.sessions);
        const bool abroad = random_.chance(0.05);
        publish(p, "login", start,
                begin(p, "login", start)
                    .text("session_id", session_id)
                    .text("device", p.device)
                    .text("ip_country", abroad ? random_.pick(markets()).country
                                               : std::string_view(p.data.country)));
        Timestamp t = start + seconds(random_.between(5, 60));
        if (p.profile == StreamProfile::kNonDepositor) {
            t += seconds(random_.between(60, 900));
        } else {
            play(p, t);
        }
        p.busy_until = t + minutes(10);
        if (t > end_) return;  // still playing at the end of the stream
        publish(p, "session_end", t,
                begin(p, "session_end", t)
                    .text("session_id", session_id)
                    .raw("duration_s", std::to_string((t - start) / seconds(1))));
    }

    void play(SimPlayer& p, Timestamp& t) {
        const Behaviour& b = behaviour_of(p.profile);
        const bool low = p.stake == 0 || p.balance < 3 * p.stake;
        if (low || random_.chance(0.12)) deposit(p, t);
        if (p.stake == 0 || p.balance < p.stake) return;
        maybe_free_bonus(p, t);
        const std::int64_t rounds = draw_rounds(b.rounds_mean);
        for (std::int64_t i = 0; i < rounds && t <= end_; ++i) {
            if (p.balance < p.stake) {
                forfeit_bonus(p, t);
                if (!random_.chance(b.redeposit_chance) || !deposit(p, t)) break;
            }
            play_round(p, t);
        }
        maybe_withdraw(p, t);
    }

    std::int64_t draw_rounds(double mean) {
        const double extra = -std::log(1.0 - random_.unit()) * (mean - 1.0);
        return 1 + std::min<std::int64_t>(120, static_cast<std::int64_t>(extra));
    }

    void play_round(SimPlayer& p, Timestamp& t) {
        const Game& game = kGames[random_.weighted(p.game_weights)];
        std::int64_t stake = p.stake;
        if (random_.chance(0.15) && p.balance >= 2 * stake) stake *= 2;
        const std::string round_id = "r-" + p.data.external_id + "-" + std::to_string(++p.rounds);
        const std::string_view game_id = random_.pick(game.ids);
        const bool as_number = random_.chance(0.2);
        publish(p, "bet", t,
                begin(p, "bet", t)
                    .text("round_id", round_id)
                    .text("game_id", game_id)
                    .text("game_type", game.type)
                    .raw("amount", as_number ? json_number(stake) : "\"" + decimal(stake) + "\"")
                    .text("currency", p.data.currency));
        p.balance -= stake;
        wager_bonus(p, stake, t);
        if (const std::int64_t win = draw_win(game, stake); win > 0) {
            const Timestamp paid = t + seconds(random_.between(game.settle_low, game.settle_high));
            p.balance += win;
            if (paid <= end_) {
                publish(p, "win", paid,
                        begin(p, "win", paid)
                            .text("round_id", round_id)
                            .text("game_id", game_id)
                            .text("amount", decimal(win))
                            .text("currency", p.data.currency));
            }
        }
        t += seconds(random_.between(game.spacing_low, game.spacing_high));
    }

    std::int64_t draw_win(const Game& game, std::int64_t stake) {
        if (random_.below(1000) >= static_cast<std::uint64_t>(game.win_per_mille)) return 0;
        const std::size_t payout = random_.weighted(game.payout_weights);
        return stake * game.payout_tenths[payout] / 10;
    }

    // --- money ---

    std::int64_t draw_deposit(const SimPlayer& p) {
        if (p.profile == StreamProfile::kBonusAbuser) {
            return scaled(random_.chance(0.7) ? 1000 : 2000, p, 500);
        }
        const double wanted = 2000.0 * p.value * (0.5 + random_.unit());
        const auto nice = std::lower_bound(kDepositsCents.begin(), kDepositsCents.end(),
                                           static_cast<std::int64_t>(wanted));
        return scaled(nice == kDepositsCents.end() ? kDepositsCents.back() : *nice, p, 500);
    }

    [[nodiscard]] std::int64_t stake_for(const SimPlayer& p, std::int64_t deposit) const {
        const std::int64_t cents = deposit * 100 / p.percent / 25;
        std::int64_t stake = kStakesCents.front();
        for (const std::int64_t s : kStakesCents) {
            if (s <= cents) stake = s;
        }
        return scaled(stake, p, 10);
    }

    // Returns true when the deposit was approved (the player can play on).
    bool deposit(SimPlayer& p, Timestamp& t) {
        const std::int64_t amount = draw_deposit(p);
        const std::string txn = "t-" + p.data.external_id + "-" + std::to_string(++p.transactions);
        const std::string_view method = random_.chance(0.85) ? p.method : random_.pick(kWallets);
        const auto write = [&](Timestamp at, std::string_view status) {
            if (at > end_) return false;
            publish(p, "deposit", at,
                    begin(p, "deposit", at)
                        .text("transaction_id", txn)
                        .text("amount", decimal(amount))
                        .text("currency", p.data.currency)
                        .text("method", method)
                        .text("status", status));
            return true;
        };
        const double roll = random_.unit();
        bool approved = false;
        if (roll < 0.35) {
            approved = write(t, "approved");
            t += seconds(random_.between(5, 30));
        } else if (roll < 0.90) {
            write(t, "pending");
            t += seconds(random_.between(20, 900));
            approved = write(t, "approved");
        } else if (roll < 0.96) {
            write(t, "pending");
            write(t + seconds(random_.between(60, 3600)), "declined");
            t += seconds(random_.between(20, 60));
        } else {
            write(t, "declined");
            t += seconds(random_.between(10, 40));
        }
        if (!approved) return false;
        p.balance += amount;
        p.last_deposit = amount;
        p.stake = stake_for(p, amount);
        ++p.approved_deposits;
        maybe_deposit_bonus(p, t, amount);
        return true;
    }

    void maybe_deposit_bonus(SimPlayer& p, Timestamp& t, std::int64_t deposit) {
        if (p.bonus) return;
        const bool abuser = p.profile == StreamProfile::kBonusAbuser;
        if (p.approved_deposits == 1 && random_.chance(abuser ? 1.0 : 0.6)) {
            grant_bonus(p, t, std::min(deposit, scaled(10000, p, 100)), abuser ? 5 : 25);
        } else if (random_.chance(abuser ? 0.9 : 0.12)) {
            const std::int64_t match = abuser ? deposit : deposit / 2;
            grant_bonus(p, t, std::min(match, scaled(5000, p, 100)), abuser ? 5 : 30);
        }
    }

    // No-deposit bonuses (cashback, free chips): abusers collect them constantly.
    void maybe_free_bonus(SimPlayer& p, Timestamp& t) {
        if (p.bonus) return;
        const bool abuser = p.profile == StreamProfile::kBonusAbuser;
        if (!random_.chance(abuser ? 0.35 : 0.01)) return;
        grant_bonus(p, t, scaled(random_.chance(0.5) ? 500 : 1000, p, 100), 30);
    }

    void grant_bonus(SimPlayer& p, Timestamp& t, std::int64_t amount, std::int64_t wager_times) {
        t += seconds(random_.between(1, 5));
        if (t > end_ || amount <= 0) return;
        ActiveBonus bonus{"b-" + p.data.external_id + "-" + std::to_string(++p.bonuses), amount,
                          amount * wager_times};
        write_bonus(p, t, bonus, "granted");
        p.balance += amount;
        p.bonus = std::move(bonus);
    }

    void write_bonus(SimPlayer& p, Timestamp at, const ActiveBonus& bonus, std::string_view kind) {
        publish(p, "bonus", at,
                begin(p, "bonus", at)
                    .text("bonus_id", bonus.bonus_id)
                    .text("kind", kind)
                    .text("amount", decimal(bonus.amount))
                    .text("currency", p.data.currency));
    }

    void wager_bonus(SimPlayer& p, std::int64_t stake, Timestamp t) {
        if (!p.bonus) return;
        p.bonus->to_wager -= stake;
        if (p.bonus->to_wager > 0) return;
        write_bonus(p, t + seconds(1), *p.bonus, "wagered");
        p.bonus.reset();
    }

    void forfeit_bonus(SimPlayer& p, Timestamp& t) {
        if (!p.bonus || t > end_) return;
        t += seconds(1);
        write_bonus(p, t, *p.bonus, "forfeited");
        p.balance = std::max<std::int64_t>(0, p.balance - p.bonus->amount);
        p.bonus.reset();
    }

    void maybe_withdraw(SimPlayer& p, Timestamp& t) {
        if (p.approved_deposits == 0 || t > end_) return;
        const bool abuser = p.profile == StreamProfile::kBonusAbuser;
        const std::int64_t threshold =
            abuser ? p.last_deposit : std::max(3 * p.last_deposit, scaled(5000, p, 100));
        if (p.balance < threshold || !random_.chance(abuser ? 0.9 : 0.5)) return;
        forfeit_bonus(p, t);
        const double share = abuser ? 1.0 : 0.5 + 0.5 * random_.unit();
        const std::int64_t amount =
            static_cast<std::int64_t>(static_cast<double>(p.balance) * share) / 100 * 100;
        if (amount < scaled(1000, p, 100)) return;
        p.balance -= amount;
        t += seconds(random_.between(5, 30));
        write_withdrawal(p, t, amount);
    }

    void write_withdrawal(SimPlayer& p, Timestamp requested, std::int64_t amount) {
        const std::string txn = "t-" + p.data.external_id + "-" + std::to_string(++p.transactions);
        const auto write = [&](Timestamp at, std::string_view status) {
            if (at > end_) return;
            publish(p, "withdrawal", at,
                    begin(p, "withdrawal", at)
                        .text("transaction_id", txn)
                        .text("amount", decimal(amount))
                        .text("currency", p.data.currency)
                        .text("method", p.method)
                        .text("status", status));
        };
        write(requested, "requested");
        const double roll = random_.unit();
        if (roll < 0.83) {
            const Timestamp approved = requested + seconds(random_.between(3600, 20 * 3600));
            write(approved, "approved");
            write(approved + seconds(random_.between(3600, 30 * 3600)), "paid");
        } else if (roll < 0.90) {
            write(requested + seconds(random_.between(2 * 3600, 30 * 3600)), "rejected");
            p.balance += amount;
        } else {
            write(requested + seconds(random_.between(600, 8 * 3600)), "cancelled");
            p.balance += amount;  // a reversed withdrawal: the money goes back into play
        }
    }

    // --- registration ---

    void write_registration(SimPlayer& p) {
        p.registration_written = true;
        const players::NewPlayer& d = p.data;
        EventLine line = begin(p, "registration", p.registered_at);
        line.text("country", d.country)
            .text("birth_date", format_date(d.birth_date))
            .text("currency", d.currency)
            .text("language", d.language);
        if (d.email) line.text("email", *d.email);
        if (d.phone) line.text("phone", *d.phone);
        if (d.traffic_source) line.text("traffic_source", *d.traffic_source);
        if (d.affiliate_id) line.text("affiliate_id", *d.affiliate_id);
        line.raw("consents", "{\"email\":" + json_bool(d.consents.email) +
                                 ",\"sms\":" + json_bool(d.consents.sms) +
                                 ",\"push\":" + json_bool(d.consents.push) +
                                 ",\"messenger\":" + json_bool(d.consents.messenger) + "}");
        publish(p, "registration", p.registered_at, std::move(line));
        p.busy_until = p.registered_at + seconds(30);
    }

    // --- broken lines ---

    void schedule_broken_lines() {
        const std::int64_t count = 3 + options_.players / 150;
        for (std::int64_t i = 0; i < count; ++i) {
            const std::size_t player = random_.below(players_.size());
            const Timestamp from = players_[player].registered_at + hours(1);
            const Timestamp at = from + Duration(random_.between(0, (end_ - from).count()));
            broken_.push_back({std::chrono::floor<seconds>(at), player,
                               kBrokenKinds[static_cast<std::size_t>(i) % kBrokenKinds.size()]});
        }
        std::stable_sort(broken_.begin(), broken_.end(),
                         [](const BrokenLine& a, const BrokenLine& b) { return a.at < b.at; });
    }

    void write_broken_lines_before(Timestamp limit) {
        while (next_broken_ < broken_.size() && broken_[next_broken_].at < limit) {
            const BrokenLine& b = broken_[next_broken_++];
            push(b.at, broken_line(b, static_cast<std::int64_t>(next_broken_)));
            ++summary_.broken;
        }
    }

    std::string broken_line(const BrokenLine& b, std::int64_t number) {
        const SimPlayer& p = players_[b.player];
        const std::string id = "ev-bad-" + std::to_string(number);
        const std::string txn = "t-bad-" + std::to_string(number);
        const auto deposit = [&](std::string_view player, std::string_view amount,
                                 std::string_view currency) {
            return EventLine(id, "deposit", player, b.at)
                .text("transaction_id", txn)
                .text("amount", amount)
                .text("currency", currency)
                .text("method", p.method)
                .text("status", "approved");
        };
        switch (b.kind) {
            case BrokenKind::kDecimals:
                return deposit(p.data.external_id, "12.345", p.data.currency).finish();
            case BrokenKind::kCurrency:
                return deposit(p.data.external_id, "20.00", "ZZZ").finish();
            case BrokenKind::kNegative:
                return deposit(p.data.external_id, "-20.00", p.data.currency).finish();
            case BrokenKind::kTruncated: {
                const std::string whole =
                    deposit(p.data.external_id, "20.00", p.data.currency).finish();
                return whole.substr(0, whole.size() / 2);
            }
            case BrokenKind::kType:
                return EventLine(id, "cashback", p.data.external_id, b.at)
                    .text("amount", "5.00")
                    .text("currency", p.data.currency)
                    .finish();
            case BrokenKind::kUnknownPlayer:
                return deposit("PX" + std::to_string(number), "20.00", "EUR").finish();
        }
        return {};
    }

    // --- output ---

    EventLine begin(SimPlayer& p, std::string_view type, Timestamp at) {
        return EventLine("ev-" + p.data.external_id + "-" + std::to_string(++p.events), type,
                         p.data.external_id, at);
    }

    void publish(SimPlayer& p, std::string_view type, Timestamp at, EventLine line) {
        std::string text = line.finish();
        ++summary_.events;
        ++summary_.by_type[std::string(type)];
        StreamPlayer& out = summary_.players[p.slot];
        out.last_event_at = std::max(out.last_event_at, at);
        Timestamp arrival = at;
        if (type != "registration" && random_.chance(kLateChance)) {
            arrival = std::min(end_, at + seconds(random_.between(3600, 10 * 3600)));
            if (arrival > at) ++summary_.late;
        }
        if (random_.chance(kReplayChance)) {
            push(std::min(end_, arrival + seconds(random_.between(60, 48 * 3600))), text);
            ++summary_.replays;
        }
        push(arrival, std::move(text));
    }

    void push(Timestamp arrival, std::string line) {
        queue_.push({arrival, next_seq_++, std::move(line)});
    }

    void flush_before(Timestamp limit) {
        while (!queue_.empty() && queue_.top().arrival < limit) {
            sink_(queue_.top().line);
            ++summary_.lines;
            queue_.pop();
        }
    }

    const DemoStreamOptions& options_;
    const StreamLineSink& sink_;
    DemoRandom random_;
    Timestamp start_;
    Timestamp end_;
    std::vector<SimPlayer> players_;
    std::vector<BrokenLine> broken_;
    std::size_t next_broken_ = 0;
    std::priority_queue<Pending, std::vector<Pending>, ArrivesLater> queue_;
    std::int64_t next_seq_ = 0;
    DemoStreamSummary summary_;
};

}  // namespace

std::string_view to_string(StreamProfile profile) noexcept {
    switch (profile) {
        case StreamProfile::kCasual:
            return "casual";
        case StreamProfile::kRegular:
            return "regular";
        case StreamProfile::kHighRoller:
            return "high_roller";
        case StreamProfile::kChurner:
            return "churner";
        case StreamProfile::kBonusAbuser:
            return "bonus_abuser";
        case StreamProfile::kNonDepositor:
            return "non_depositor";
    }
    return "unknown";
}

std::vector<std::string> DemoStreamSummary::external_ids_of(StreamProfile profile) const {
    std::vector<std::string> ids;
    for (const StreamPlayer& p : players) {
        if (p.profile == profile) ids.push_back(p.external_id);
    }
    return ids;
}

DemoStreamSummary generate_demo_stream(const DemoStreamOptions& options,
                                       const StreamLineSink& sink) {
    if (options.players < 1) throw std::invalid_argument("demo stream: players must be >= 1");
    if (options.span < days(90))
        throw std::invalid_argument("demo stream: span must be >= 90 days");
    return Simulator(options, sink).run();
}

std::string demo_stream_text(const DemoStreamOptions& options, DemoStreamSummary* summary) {
    std::string text;
    auto result = generate_demo_stream(options, [&](std::string_view line) {
        text.append(line);
        text += '\n';
    });
    if (summary != nullptr) *summary = std::move(result);
    return text;
}

std::string demo_stream_external_id(std::int64_t index) {
    return "PL" + std::to_string(kFirstExternalNumber + index);
}

std::span<const DemoFxRate> demo_fx_rates() { return kFxRates; }

}  // namespace pitboss::cli
