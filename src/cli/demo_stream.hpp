#pragma once
// A simulated casino platform's event stream: JSON Lines in the format of docs/events.md, for
// `pitboss demo`, `pitboss demo-stream` and tests. Pure (no database, no clock) and
// deterministic: the same options give the same bytes with every standard library.
//
// What it simulates, per player: a registration first, then sessions (login, rounds of bets and
// wins, session_end), deposits with their lifecycle (pending -> approved or declined),
// withdrawals (requested -> approved -> paid, some rejected or cancelled) and bonuses (granted,
// then wagered or forfeited). Spend follows a power law (Pareto), weekends are busier, a share
// of players churn (active early, silent for the last 30+ days) and a few abuse bonuses. The
// stream is written in arrival order, so a few events arrive late (hours after later ones); a
// few lines replay an earlier event verbatim, and a handful are deliberately broken.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/time.hpp"

namespace pitboss::cli {

/// The kind of player the generator simulated, for tests and for validating segmentation.
enum class StreamProfile {
    kCasual,        ///< plays now and then, small amounts
    kRegular,       ///< plays most weeks
    kHighRoller,    ///< plays often, deposits large amounts
    kChurner,       ///< active after registering, silent for (at least) the last 30 days
    kBonusAbuser,   ///< small deposits, takes every bonus, withdraws quickly
    kNonDepositor,  ///< registers, looks around once or twice, never deposits
};

/// "casual", "regular", "high_roller", "churner", "bonus_abuser", "non_depositor".
[[nodiscard]] std::string_view to_string(StreamProfile profile) noexcept;

/// What to generate.
struct DemoStreamOptions {
    std::uint64_t seed = 42;
    std::int64_t players = 1000;
    Timestamp end;                ///< the stream's "now": no event occurs after it
    std::chrono::days span{120};  ///< events occur in [end - span, end]
};

/// One simulated player.
struct StreamPlayer {
    std::string external_id;  ///< "PL500001" for the first player to register
    StreamProfile profile;
    std::string country;
    std::string currency;
    Timestamp registered_at;
    Timestamp last_event_at;  ///< latest occurred_at among the player's valid events
};

/// What was generated, for the caller to check what an ingestor reports.
struct DemoStreamSummary {
    std::vector<StreamPlayer> players;  ///< in registration order (= external id order)
    std::int64_t lines = 0;             ///< lines written
    std::int64_t events = 0;            ///< distinct valid events: an ingestor accepts them
    std::int64_t replays = 0;           ///< lines repeating an earlier valid line: duplicates
    std::int64_t broken = 0;            ///< deliberately invalid lines: quarantined
    std::int64_t late = 0;              ///< valid events written hours after they occurred
    std::map<std::string, std::int64_t> by_type;  ///< distinct valid events per type

    /// External ids of the players of one profile, in registration order.
    [[nodiscard]] std::vector<std::string> external_ids_of(StreamProfile profile) const;
};

/// Receives each line of the stream, without its "\n".
using StreamLineSink = std::function<void(std::string_view line)>;

/// Generates the stream in arrival order, line by line. Memory grows with players and with the
/// events of a few days, not with the whole stream. Throws std::invalid_argument for fewer than
/// one player or a span under 90 days.
DemoStreamSummary generate_demo_stream(const DemoStreamOptions& options,
                                       const StreamLineSink& sink);

/// The whole stream as JSON Lines text (every line ends with "\n").
[[nodiscard]] std::string demo_stream_text(const DemoStreamOptions& options,
                                           DemoStreamSummary* summary = nullptr);

/// The external id of the `index`-th player to register ("PL500001" for index 1).
[[nodiscard]] std::string demo_stream_external_id(std::int64_t index);

/// An exchange rate the demo sets: EUR per unit of `currency`, first from the stream's start,
/// then revised half-way through.
struct DemoFxRate {
    std::string_view currency;
    std::string_view rate;          ///< from `end - span - 1 day`
    std::string_view revised_rate;  ///< from `end - span / 2`
};

/// Rates (base EUR) for every non-EUR currency the stream uses.
[[nodiscard]] std::span<const DemoFxRate> demo_fx_rates();

}  // namespace pitboss::cli
