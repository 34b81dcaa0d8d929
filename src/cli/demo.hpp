#pragma once
// `pitboss demo`: seeds a simulated casino, step by step. A step is a small function over a
// DemoContext; later issues add theirs (payments, tickets, KYC, campaigns, ...) to the list in
// demo_steps().

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cli/demo_random.hpp"
#include "cli/demo_stream.hpp"
#include "pitboss/backoffice.hpp"
#include "pitboss/core/actor.hpp"
#include "pitboss/events/ingestor.hpp"
#include "pitboss/players/player.hpp"

namespace pitboss::cli {

/// What the user asked for.
struct DemoOptions {
    std::uint64_t seed = 42;
    std::int64_t players = 1000;
    Timestamp end;  ///< the simulated "now": the demo covers the 90 days before it
};

/// The state steps share: the back office, the stopped clock they move forward, the random
/// source, who is acting, what has been created so far, and what each step reported.
struct DemoContext {
    Backoffice& bo;
    ManualClock& clock;
    DemoRandom random;
    DemoOptions options;
    Actor bootstrap;
    std::map<std::string, Actor> operators;  ///< by login name
    std::vector<players::Player> players;    ///< latest known state, in registration order
    std::vector<std::pair<std::string, std::string>> report;  ///< (step, what it did)
    DemoStreamSummary stream;       ///< the platform event stream the "events" step generated
    events::IngestCounts ingested;  ///< what ingesting it did

    /// The start of the simulated period.
    [[nodiscard]] Timestamp start() const;
    /// The instant `per_mille` thousandths through the simulated period.
    [[nodiscard]] Timestamp at(std::int64_t per_mille) const;
    /// Moves the clock forward to `t` (never backwards).
    void advance_to(Timestamp t);
    /// The actor of a demo operator created by the "operators" step.
    [[nodiscard]] const Actor& operator_named(const std::string& name) const;
    /// Records one line of what a step did.
    void note(std::string_view step, std::string text);
};

/// One step of the demo.
struct DemoStep {
    std::string_view name;
    void (*run)(DemoContext&);
};

/// The steps, in order: operators, players, updates, statuses, access, events.
[[nodiscard]] const std::vector<DemoStep>& demo_steps();

}  // namespace pitboss::cli
