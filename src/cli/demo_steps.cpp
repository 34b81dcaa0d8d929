// The demo's steps. Each reads and extends the DemoContext and notes what it did.

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>

#include "cli/demo.hpp"
#include "cli/demo_data.hpp"
#include "cli/demo_helpdesk.hpp"
#include "cli/demo_stream.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/events/ingestor.hpp"
#include "pitboss/players/player_service.hpp"

namespace pitboss::cli {
namespace {

using players::Player;
using players::PlayerStatus;

struct DemoOperator {
    std::string_view name;
    std::string_view display_name;
    std::string_view role;
    std::array<std::string_view, 4> countries;  ///< scope of a support agent; empty: unscoped
};

constexpr std::array<DemoOperator, 9> kOperators = {{
    {"alice", "Alice Admin", "admin", {}},
    {"bruno", "Bruno Operations", "operator", {}},
    {"carla", "Carla Support DACH", "support_agent", {"DE", "AT", "CH"}},
    {"dario", "Dario Support UK/IE/MT", "support_agent", {"GB", "IE", "MT"}},
    {"eeva", "Eeva Support Nordics", "support_agent", {"SE", "FI", "NO", "DK"}},
    {"felipe", "Felipe Support LatAm", "support_agent", {"BR", "MX"}},
    {"greta", "Greta Marketing", "marketer", {}},
    {"hugo", "Hugo Compliance", "compliance_officer", {}},
    {"ines", "Ines Analytics", "analyst", {}},
}};

Json scope_of(const DemoOperator& op) {
    Json countries = Json::array();
    for (const auto country : op.countries) {
        if (!country.empty()) countries.push_back(country);
    }
    return countries.empty() ? Json::object() : Json{{"country", {{"in", countries}}}};
}

bool in_scope(const DemoOperator& op, const Player& player) {
    for (const auto country : op.countries) {
        if (country == player.country) return true;
    }
    return false;
}

void create_operators(DemoContext& ctx) {
    ctx.advance_to(ctx.start());
    auto& access = ctx.bo.access();
    int scoped = 0;
    for (const DemoOperator& op : kOperators) {
        const auto created = access.create_operator(
            ctx.bootstrap, {std::string(op.name), std::string(op.display_name)});
        const auto scope = access::Condition::from_json(scope_of(op));
        access.assign_role(ctx.bootstrap, created.id, op.role, scope);
        if (!scope.empty()) ++scoped;
        ctx.operators.emplace(op.name, access.operator_actor(created.id));
        ctx.clock.advance(std::chrono::minutes(ctx.random.between(2, 30)));
    }
    ctx.note("operators", std::to_string(kOperators.size()) + " operators with roles, " +
                              std::to_string(scoped) + " support agents scoped by country");
}

void register_players(DemoContext& ctx) {
    const std::int64_t count = ctx.options.players;
    const Timestamp from = ctx.at(10);
    const Timestamp until = ctx.at(800);
    const std::int64_t gap = (until - from).count() / count;
    ctx.advance_to(from);
    for (std::int64_t i = 1; i <= count; ++i) {
        const Timestamp slot = from + Duration(gap * (i - 1) + ctx.random.between(0, gap - 1));
        ctx.advance_to(slot);
        const auto input = make_demo_player(ctx.random, i, utc_date(ctx.clock.now()));
        ctx.players.push_back(ctx.bo.players().register_player(ctx.bootstrap, input));
    }
    ctx.note("players", std::to_string(count) + " players registered over " +
                            std::to_string((until - from) / std::chrono::days(1)) + " days");
}

// Players change their minds: consents withdrawn or given, a new phone, a VIP promotion.
void update_profiles(DemoContext& ctx) {
    const Actor& actor = ctx.operator_named("bruno");
    int consents = 0, phones = 0, promotions = 0;
    ctx.advance_to(ctx.at(810));
    for (Player& player : ctx.players) {
        players::PlayerUpdate update;
        if (ctx.random.chance(0.08)) {
            auto c = player.consents;
            c.email = !c.email;
            if (ctx.random.chance(0.5)) c.sms = false;
            update.consents = c;
            ++consents;
        }
        if (ctx.random.chance(0.02) && player.phone) {
            update.phone = player.phone->substr(0, player.phone->size() - 4) +
                           std::to_string(ctx.random.between(1000, 9999));
            ++phones;
        }
        const bool vip =
            std::find(player.tags.begin(), player.tags.end(), "vip") != player.tags.end();
        if (ctx.random.chance(0.01) && !vip) {
            auto tags = player.tags;
            tags.emplace_back("vip");
            update.tags = tags;
            ++promotions;
        }
        if (!update.consents && !update.phone && !update.tags) continue;
        ctx.clock.advance(std::chrono::seconds(ctx.random.between(60, 3600)));
        player = ctx.bo.players().update_player(actor, player.id, update);
    }
    ctx.note("updates", std::to_string(consents) + " consent changes, " + std::to_string(phones) +
                            " new phone numbers, " + std::to_string(promotions) +
                            " VIP promotions");
}

constexpr std::array<std::string_view, 3> kBlockReasons = {
    "chargeback under review", "duplicate account suspected", "payment method mismatch"};

struct StatusChange {
    PlayerStatus status;
    std::string reason;
};

// About 1.5% blocked, 1% self-excluded, 2% closed; nothing for the rest.
std::optional<StatusChange> draw_status_change(DemoRandom& random) {
    const double draw = random.unit();
    if (draw < 0.015)
        return StatusChange{PlayerStatus::kBlocked, std::string(random.pick(kBlockReasons))};
    if (draw < 0.025) {
        return StatusChange{PlayerStatus::kSelfExcluded,
                            "self-exclusion requested by the player for " +
                                std::to_string(random.between(6, 60)) + " months"};
    }
    if (draw < 0.045) return StatusChange{PlayerStatus::kClosed, "closed at the player's request"};
    return std::nullopt;
}

// A few accounts are blocked, self-excluded or closed, as compliance and players decide.
void change_statuses(DemoContext& ctx) {
    const Actor& actor = ctx.operator_named("alice");
    std::map<PlayerStatus, int> counts;
    ctx.advance_to(ctx.at(900));
    for (Player& player : ctx.players) {
        const auto change = draw_status_change(ctx.random);
        if (!change) continue;
        ctx.clock.advance(std::chrono::seconds(ctx.random.between(60, 3600)));
        player = ctx.bo.players().set_status(actor, player.id, change->status, change->reason);
        ++counts[change->status];
    }
    ctx.note("statuses", std::to_string(counts[PlayerStatus::kBlocked]) + " blocked, " +
                             std::to_string(counts[PlayerStatus::kSelfExcluded]) +
                             " self-excluded, " + std::to_string(counts[PlayerStatus::kClosed]) +
                             " closed");
}

// Each support agent opens a player of their market, then one outside it: ABAC refuses the
// second, and the refusal is audited.
void exercise_access(DemoContext& ctx) {
    int allowed = 0, denied = 0;
    ctx.advance_to(ctx.at(980));
    for (const DemoOperator& op : kOperators) {
        if (op.countries[0].empty()) continue;
        const Actor& agent = ctx.operator_named(std::string(op.name));
        const Player* inside = nullptr;
        const Player* outside = nullptr;
        for (const Player& p : ctx.players) {
            if (!inside && in_scope(op, p)) inside = &p;
            if (!outside && !in_scope(op, p)) outside = &p;
        }
        ctx.clock.advance(std::chrono::minutes(ctx.random.between(1, 20)));
        if (inside) {
            (void)ctx.bo.players().get_player(agent, inside->id);
            ++allowed;
        }
        if (outside) {
            try {
                (void)ctx.bo.players().get_player(agent, outside->id);
            } catch (const AccessDenied&) {
                ++denied;
            }
        }
    }
    ctx.note("access", std::to_string(allowed) + " reads inside an agent's scope allowed, " +
                           std::to_string(denied) + " outside it denied and audited");
}

// Exchange rates for every wallet currency of the stream: one from before its first event,
// revised half-way through (events are converted with the rate valid at their time).
int set_exchange_rates(DemoContext& ctx, events::Ingestor& ingestor, Timestamp stream_start,
                       std::chrono::days span) {
    const Actor& actor = ctx.operator_named("alice");
    int count = 0;
    for (const DemoFxRate& fx : demo_fx_rates()) {
        if (fx.currency == ctx.bo.base_currency()) continue;
        ingestor.set_fx_rate(actor, fx.currency, fx.rate, stream_start - std::chrono::days(1));
        ingestor.set_fx_rate(actor, fx.currency, fx.revised_rate, stream_start + span / 2);
        count += 2;
    }
    return count;
}

// The casino platform's event stream of the last 120 days, fed through the ingestor as the
// system actor "platform": new players, their sessions, bets, payments and bonuses.
void ingest_platform_events(DemoContext& ctx) {
    ctx.advance_to(ctx.options.end);
    DemoStreamOptions stream_options;
    stream_options.seed = ctx.options.seed;
    stream_options.players = ctx.options.players;
    stream_options.end = ctx.options.end;
    // The demo must replay byte for byte: commits are cut by event count only, never by how
    // long a commit took, so the audit log (one entry per commit) does not depend on timing.
    events::IngestOptions deterministic;
    deterministic.commit_interval = std::chrono::hours(24);
    events::Ingestor ingestor(ctx.bo.database(), ctx.bo.clock(), ctx.bo.access(), ctx.bo.audit(),
                              ctx.bo.outbox(), ctx.bo.base_currency(), deterministic);
    const int rates = set_exchange_rates(ctx, ingestor, stream_options.end - stream_options.span,
                                         stream_options.span);
    const std::string text = demo_stream_text(stream_options, &ctx.stream);
    ctx.ingested = ingestor.ingest_jsonl(ctx.bo.access().system_actor("platform"), text);
    ctx.note("fx", std::to_string(rates) + " exchange rates to " + ctx.bo.base_currency() +
                       " for the wallet currencies");
    ctx.note("events",
             std::to_string(ctx.stream.lines) + " platform events over " +
                 std::to_string(stream_options.span.count()) +
                 " days: " + std::to_string(ctx.ingested.accepted) + " accepted, " +
                 std::to_string(ctx.ingested.duplicate) + " duplicates, " +
                 std::to_string(ctx.ingested.quarantined) + " quarantined; " +
                 std::to_string(ctx.stream.external_ids_of(StreamProfile::kChurner).size()) +
                 " churners and " +
                 std::to_string(ctx.stream.external_ids_of(StreamProfile::kBonusAbuser).size()) +
                 " bonus abusers among " + std::to_string(ctx.stream.players.size()) +
                 " new players");
}

}  // namespace

const std::vector<DemoStep>& demo_steps() {
    static const std::vector<DemoStep> steps = {
        {"operators", create_operators},    {"players", register_players},
        {"updates", update_profiles},       {"statuses", change_statuses},
        {"access", exercise_access},        {"tickets", run_demo_tickets},
        {"events", ingest_platform_events},
    };
    return steps;
}

}  // namespace pitboss::cli
