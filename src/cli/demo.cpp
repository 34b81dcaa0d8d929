#include "cli/demo.hpp"

#include <chrono>
#include <iomanip>
#include <memory>

#include "cli/commands.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/players/player_service.hpp"

namespace pitboss::cli {
namespace {

constexpr auto kSimulatedPeriod = std::chrono::days(90);
constexpr std::int64_t kMaxPlayers = 1'000'000;

// What the summary counts, read back through the services (not from the steps' notes).
struct DemoTotals {
    std::map<std::string, std::int64_t> by_country;
    std::map<std::string, std::int64_t> by_status;
    std::size_t operators = 0;
    audit::VerifyReport audit;
};

DemoTotals count_totals(DemoContext& ctx) {
    DemoTotals totals;
    players::PlayerFilter page;
    page.limit = 10'000;
    for (;;) {
        const auto batch = ctx.bo.players().list_players(ctx.bootstrap, page);
        for (const auto& p : batch) {
            ++totals.by_country[p.country];
            ++totals.by_status[std::string(to_string(p.status))];
        }
        if (batch.size() < page.limit) break;
        page.after = batch.back().id;
    }
    totals.operators = ctx.bo.access().list_operators(ctx.bootstrap).size();
    totals.audit = ctx.bo.audit().verify();
    return totals;
}

std::string verify_line(const audit::VerifyReport& report) {
    if (report.ok) return "ok: " + std::to_string(report.entries_checked) + " entries";
    return "broken at seq " + std::to_string(report.first_broken_seq.value_or(0)) + ": " +
           report.problem;
}

void print_counts(std::ostream& out, const std::map<std::string, std::int64_t>& counts) {
    std::int64_t total = 0;
    for (const auto& entry : counts) total += entry.second;
    for (const auto& [key, n] : counts) {
        const std::int64_t tenths = total > 0 ? (n * 1000 + total / 2) / total : 0;
        out << "  " << std::left << std::setw(15) << key << std::right << std::setw(8) << n
            << std::setw(6) << tenths / 10 << '.' << tenths % 10 << "%\n";
    }
}

void print_summary(std::ostream& out, const DemoContext& ctx, const DemoTotals& totals) {
    out << "pitboss demo: seed " << ctx.options.seed << ", " << ctx.options.players << " players, "
        << format_timestamp(ctx.start()) << " .. " << format_timestamp(ctx.options.end) << '\n';
    for (const auto& [step, what] : ctx.report) {
        out << "  " << std::left << std::setw(11) << step << what << '\n';
    }
    out << "players by country:\n";
    print_counts(out, totals.by_country);
    out << "players by status:\n";
    print_counts(out, totals.by_status);
    out << "operators:     " << totals.operators << " (with system actors)\n"
        << "audit entries: " << totals.audit.entries_checked << '\n'
        << "audit verify:  " << verify_line(totals.audit) << '\n'
        << "try:           pitboss player show " << ctx.players.front().external_id << '\n';
    if (!ctx.stream.players.empty()) {
        out << "               pitboss player show " << ctx.stream.players.front().external_id
            << "\n               pitboss quarantine list\n";
    }
}

Json summary_json(const DemoContext& ctx, const DemoTotals& totals) {
    Json steps = Json::array();
    for (const auto& [step, what] : ctx.report) steps.push_back({{"step", step}, {"did", what}});
    return Json{{"seed", ctx.options.seed},
                {"players", ctx.options.players},
                {"from", format_timestamp(ctx.start())},
                {"to", format_timestamp(ctx.options.end)},
                {"steps", steps},
                {"by_country", totals.by_country},
                {"by_status", totals.by_status},
                {"operators", totals.operators},
                {"stream",
                 {{"lines", ctx.stream.lines},
                  {"events", ctx.stream.events},
                  {"replays", ctx.stream.replays},
                  {"broken", ctx.stream.broken},
                  {"late", ctx.stream.late}}},
                {"ingest", events::to_json(ctx.ingested)},
                {"audit_entries", totals.audit.entries_checked},
                {"audit_verify", verify_line(totals.audit)}};
}

DemoOptions demo_options(const Invocation& call) {
    DemoOptions options;
    if (auto seed = call.args.value("seed")) {
        options.seed = static_cast<std::uint64_t>(
            integer_option("seed", *seed, 0, std::numeric_limits<std::int64_t>::max()));
    }
    if (auto players = call.args.value("players")) {
        options.players = integer_option("players", *players, 1, kMaxPlayers);
    }
    options.end = call.now.value_or(system_clock()->now());
    return options;
}

}  // namespace

Timestamp DemoContext::start() const { return options.end - kSimulatedPeriod; }

Timestamp DemoContext::at(std::int64_t per_mille) const {
    return start() + Duration(Duration(kSimulatedPeriod).count() * per_mille / 1000);
}

void DemoContext::advance_to(Timestamp t) {
    if (clock.now() < t) clock.set(t);
}

const Actor& DemoContext::operator_named(const std::string& name) const {
    return operators.at(name);
}

void DemoContext::note(std::string_view step, std::string text) {
    report.emplace_back(step, std::move(text));
}

int run_demo(const Invocation& call) {
    const DemoOptions options = demo_options(call);
    // The demo always runs on a stopped clock that it moves itself, so a seed and --now
    // reproduce the same database byte for byte.
    auto clock = std::make_shared<ManualClock>(options.end - kSimulatedPeriod);
    Options open_options;
    open_options.clock = clock;
    Backoffice bo = open(call.db_url, open_options);
    DemoContext ctx{bo,
                    *clock,
                    DemoRandom(options.seed),
                    options,
                    bo.access().system_actor(kCliActor),
                    {},
                    {},
                    {},
                    {},
                    {}};
    if (const auto existing = bo.players().count_players(ctx.bootstrap); existing > 0) {
        throw UsageError("demo: the database already holds " + std::to_string(existing) +
                         " players; give a fresh one with --db");
    }
    for (const DemoStep& step : demo_steps()) step.run(ctx);
    ctx.advance_to(options.end);
    const DemoTotals totals = count_totals(ctx);
    if (call.json) {
        call.out << summary_json(ctx, totals).dump() << '\n';
    } else {
        print_summary(call.out, ctx, totals);
    }
    return totals.audit.ok ? kExitOk : kExitIntegrity;
}

}  // namespace pitboss::cli
