// Commands of the events module: ingest, quarantine, exchange rates, aggregates, and the demo
// stream generator (a hidden tool for tests and benchmarks).

#include <filesystem>
#include <limits>

#include "cli/commands.hpp"
#include "cli/demo_stream.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/events/ingestor.hpp"

namespace pitboss::cli {
namespace {

constexpr std::int64_t kDefaultQuarantinePage = 100;
constexpr std::int64_t kMaxQuarantinePage = 10'000;
constexpr std::int64_t kMaxStreamPlayers = 1'000'000;

std::string amount_text(const events::DualAmount& amount) {
    if (amount.player.currency() == amount.base.currency()) return amount.player.to_string();
    return amount.player.to_string() + " (" + amount.base.to_string() + ")";
}

std::string time_text(const std::optional<Timestamp>& t) { return t ? format_timestamp(*t) : "-"; }

std::string days_text(const std::optional<std::int64_t>& days) {
    return days ? std::to_string(*days) : "-";
}

std::string duration_text(std::chrono::seconds total) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(total).count();
    return std::to_string(minutes / 60) + "h " + std::to_string(minutes % 60) + "m";
}

// A file argument must name a readable file; say so before opening the database.
void check_input_file(const std::string& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status)) throw ValidationError(path, "no such file");
    if (std::filesystem::is_directory(status)) throw ValidationError(path, "is a directory");
}

void print_counts(const Invocation& call, const events::IngestCounts& counts) {
    if (call.json) {
        call.out << events::to_json(counts).dump() << '\n';
        return;
    }
    print_fields(call.out, {{"accepted", std::to_string(counts.accepted)},
                            {"duplicate", std::to_string(counts.duplicate)},
                            {"quarantined", std::to_string(counts.quarantined)}});
}

Json rate_to_json(const events::FxRate& rate) {
    return Json{{"currency", rate.currency},
                {"rate", rate.rate},
                {"valid_from", format_timestamp(rate.valid_from)}};
}

}  // namespace

Fields aggregate_fields(const events::Aggregates& a) {
    return {
        {"deposits", std::to_string(a.deposit_count) + ", " + amount_text(a.deposit_sum)},
        {"deposits_30d",
         std::to_string(a.deposits_30d.count) + ", " + amount_text(a.deposits_30d.sum)},
        {"last_deposit_at", time_text(a.last_deposit_at)},
        {"withdrawals", std::to_string(a.withdrawal_count) + ", " + amount_text(a.withdrawal_sum)},
        {"bets", std::to_string(a.bet_count) + ", " + amount_text(a.bet_sum)},
        {"wins", amount_text(a.win_sum)},
        {"ggr", amount_text(a.ggr)},
        {"bonuses", amount_text(a.bonus_sum)},
        {"ngr", amount_text(a.ngr)},
        {"logins", std::to_string(a.login_count)},
        {"sessions",
         std::to_string(a.session_count) + ", " + duration_text(a.session_duration) + " in all"},
        {"last_seen_at", time_text(a.last_seen_at)},
        {"active_days_30d", std::to_string(a.active_days_30d)},
        {"favourite_game", or_dash(a.favourite_game_type)},
        {"days_since_deposit", days_text(a.days_since_last_deposit)},
        {"days_since_login", days_text(a.days_since_last_login)},
        {"figures_as_of", format_timestamp(a.as_of)},
    };
}

int run_ingest(const Invocation& call) {
    const std::string& source = call.arguments.at(0);
    if (source != "-") check_input_file(source);
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const events::IngestCounts counts = source == "-" ? bo.events().ingest_stream(actor, call.in)
                                                      : bo.events().ingest_file(actor, source);
    print_counts(call, counts);
    return kExitOk;
}

int run_quarantine_list(const Invocation& call) {
    std::int64_t after = 0;
    std::int64_t limit = kDefaultQuarantinePage;
    if (auto text = call.args.value("after")) {
        after = integer_option("after", *text, 0, std::numeric_limits<std::int64_t>::max());
    }
    if (auto text = call.args.value("limit")) {
        limit = integer_option("limit", *text, 1, kMaxQuarantinePage);
    }
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto page = bo.events().quarantine(actor, after, static_cast<std::size_t>(limit));
    if (call.json) {
        Json list = Json::array();
        for (const auto& event : page) list.push_back(events::to_json(event));
        call.out << list.dump() << '\n';
        return kExitOk;
    }
    if (page.empty()) {
        call.out << (after == 0 ? "no quarantined events\n"
                                : "no quarantined events after " + std::to_string(after) + "\n");
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& event : page) {
        rows.push_back({std::to_string(event.id), format_timestamp(event.received_at),
                        or_dash(event.event_id), event.reason});
    }
    print_table(call.out, {"ID", "RECEIVED_AT", "EVENT_ID", "REASON"}, rows);
    if (static_cast<std::int64_t>(page.size()) == limit) {
        call.out << "more: pitboss quarantine list --after " << page.back().id << '\n';
    }
    return kExitOk;
}

int run_fx_set(const Invocation& call) {
    const std::string& currency = call.arguments.at(0);
    const std::string& rate = call.arguments.at(1);
    std::optional<Timestamp> from;
    if (auto text = call.args.value("from")) from = timestamp_option("from", *text);
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const Timestamp valid_from = from.value_or(bo.clock().now());
    bo.events().set_fx_rate(actor, currency, rate, valid_from);
    // Echo the rate as stored (normalised decimal text).
    events::FxRate stored{currency, rate, valid_from};
    for (const auto& r : bo.events().fx_rates(actor)) {
        if (r.currency == currency && r.valid_from == valid_from) stored = r;
    }
    if (call.json) {
        Json shown = rate_to_json(stored);
        shown["base_currency"] = bo.events().base_currency();
        call.out << shown.dump() << '\n';
    } else {
        call.out << "1 " << stored.currency << " = " << stored.rate << ' '
                 << bo.events().base_currency() << " from " << format_timestamp(valid_from) << '\n';
    }
    return kExitOk;
}

int run_fx_list(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto rates = bo.events().fx_rates(actor);
    if (call.json) {
        Json list = Json::array();
        for (const auto& rate : rates) list.push_back(rate_to_json(rate));
        call.out << list.dump() << '\n';
        return kExitOk;
    }
    call.out << "base currency: " << bo.events().base_currency() << '\n';
    if (rates.empty()) {
        call.out << "no exchange rates\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& rate : rates) {
        rows.push_back({rate.currency, rate.rate, format_timestamp(rate.valid_from)});
    }
    print_table(call.out, {"CURRENCY", "RATE", "VALID_FROM"}, rows);
    return kExitOk;
}

int run_aggregates_export(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto all = bo.events().aggregates_of(actor, {}, bo.clock().now());
    for (const auto& figures : all) call.out << events::to_json(figures).dump() << '\n';
    return kExitOk;
}

int run_demo_stream(const Invocation& call) {
    DemoStreamOptions options;
    if (auto seed = call.args.value("seed")) {
        options.seed = static_cast<std::uint64_t>(
            integer_option("seed", *seed, 0, std::numeric_limits<std::int64_t>::max()));
    }
    if (auto players = call.args.value("players")) {
        options.players = integer_option("players", *players, 1, kMaxStreamPlayers);
    }
    options.end = call.now.value_or(system_clock()->now());
    if (!call.args.has("profiles")) {
        generate_demo_stream(options, [&](std::string_view line) { call.out << line << '\n'; });
        return kExitOk;
    }
    const DemoStreamSummary summary = generate_demo_stream(options, [](std::string_view) {});
    for (const StreamPlayer& p : summary.players) {
        call.out << Json{{"external_id", p.external_id},
                         {"profile", to_string(p.profile)},
                         {"country", p.country},
                         {"currency", p.currency},
                         {"registered_at", format_timestamp(p.registered_at)},
                         {"last_event_at", format_timestamp(p.last_event_at)}}
                        .dump()
                 << '\n';
    }
    return kExitOk;
}

}  // namespace pitboss::cli
