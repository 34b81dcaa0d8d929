#include "cli/demo_stream.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pitboss/events/event.hpp"
#include "players/player_validation.hpp"

using namespace pitboss;
using namespace pitboss::cli;
using namespace pitboss::events;
using std::chrono::days;

namespace {

const Timestamp kEnd = parse_timestamp("2026-01-01T00:00:00Z");

DemoStreamOptions options_for(std::int64_t players, std::uint64_t seed = 42) {
    DemoStreamOptions options;
    options.seed = seed;
    options.players = players;
    options.end = kEnd;
    return options;
}

struct Line {
    std::string text;
    std::optional<Event> event;  ///< empty when the parser refused the line
};

// The stream of `players` players, each line parsed.
struct ParsedStream {
    DemoStreamSummary summary;
    std::vector<Line> lines;
};

ParsedStream parsed_stream(std::int64_t players, std::uint64_t seed = 42) {
    ParsedStream stream;
    stream.summary = generate_demo_stream(options_for(players, seed), [&](std::string_view text) {
        ParseResult result = parse_event(text);
        stream.lines.push_back(
            {std::string(text),
             result.ok() ? std::optional<Event>(std::move(result).event()) : std::nullopt});
    });
    return stream;
}

// One 400-player stream shared by the shape tests (generating it takes a moment in Debug).
const ParsedStream& shared_stream() {
    static const ParsedStream stream = parsed_stream(400);
    return stream;
}

std::set<std::string> player_ids(const DemoStreamSummary& summary) {
    std::set<std::string> ids;
    for (const auto& p : summary.players) ids.insert(p.external_id);
    return ids;
}

// Rough EUR value of an amount, for comparing players with different wallets.
double euros(const Money& m) {
    double rate = 1.0;
    for (const DemoFxRate& fx : demo_fx_rates()) {
        if (fx.currency == m.currency().code()) rate = std::stod(std::string(fx.rate));
    }
    return static_cast<double>(m.minor_units()) / 100.0 * rate;
}

}  // namespace

TEST_CASE("demo stream: the same options give the same bytes, another seed other bytes") {
    DemoStreamSummary first_summary;
    const std::string first = demo_stream_text(options_for(60), &first_summary);
    const std::string again = demo_stream_text(options_for(60));
    const std::string other = demo_stream_text(options_for(60, 43));
    CHECK(first == again);
    CHECK(first != other);
    CHECK(std::count(first.begin(), first.end(), '\n') == first_summary.lines);
    CHECK(first_summary.lines ==
          first_summary.events + first_summary.replays + first_summary.broken);
}

TEST_CASE("demo stream: refuses no players and a short span") {
    auto options = options_for(0);
    CHECK_THROWS_AS(demo_stream_text(options), std::invalid_argument);
    options.players = 5;
    options.span = days(30);
    CHECK_THROWS_AS(demo_stream_text(options), std::invalid_argument);
}

TEST_CASE("demo stream: players are numbered in registration order with their profiles") {
    const auto& summary = shared_stream().summary;
    REQUIRE(summary.players.size() == 400);
    for (std::size_t i = 0; i < summary.players.size(); ++i) {
        CHECK(summary.players[i].external_id == demo_stream_external_id(std::int64_t(i) + 1));
        if (i > 0) CHECK(summary.players[i - 1].registered_at <= summary.players[i].registered_at);
    }
    CHECK(demo_stream_external_id(1) == "PL500001");
    std::map<StreamProfile, std::size_t> counts;
    for (const auto& p : summary.players) ++counts[p.profile];
    CHECK(counts[StreamProfile::kChurner] == 48);
    CHECK(counts[StreamProfile::kBonusAbuser] == 8);
    CHECK(counts[StreamProfile::kHighRoller] == 16);
    CHECK(counts[StreamProfile::kNonDepositor] == 48);
    CHECK(summary.external_ids_of(StreamProfile::kChurner).size() == 48);
    CHECK(to_string(StreamProfile::kBonusAbuser) == "bonus_abuser");
}

TEST_CASE("demo stream: every line is a valid event except the deliberately broken ones") {
    const auto& [summary, lines] = shared_stream();
    const auto known = player_ids(summary);
    std::int64_t refused = 0, unknown_player = 0, valid = 0;
    for (const Line& line : lines) {
        if (!line.event) {
            ++refused;
        } else if (known.count(line.event->player_id) == 0) {
            ++unknown_player;
        } else {
            ++valid;
        }
    }
    CHECK(summary.broken == 3 + 400 / 150);
    CHECK(refused + unknown_player == summary.broken);
    CHECK(refused >= 4);  // bad decimals, unknown currency, negative amount, truncated JSON ...
    CHECK(unknown_player >= 1);
    CHECK(valid == summary.events + summary.replays);
    CHECK(std::int64_t(lines.size()) == summary.lines);
}

TEST_CASE("demo stream: replays repeat an earlier line verbatim; other event ids are unique") {
    const auto& [summary, lines] = shared_stream();
    std::map<std::string, std::string> first_line_of;
    std::int64_t repeated = 0;
    std::map<std::string, std::int64_t> types;
    std::int64_t unknown_player = 0;
    const auto known = player_ids(summary);
    for (const Line& line : lines) {
        if (!line.event) continue;
        if (known.count(line.event->player_id) == 0) ++unknown_player;
        const auto [it, inserted] = first_line_of.emplace(line.event->event_id, line.text);
        if (inserted) {
            ++types[std::string(to_string(line.event->type()))];
        } else {
            ++repeated;
            CHECK(it->second == line.text);
        }
    }
    CHECK(summary.replays > 0);
    CHECK(repeated == summary.replays);
    std::map<std::string, std::int64_t> expected = summary.by_type;
    expected["deposit"] += unknown_player;  // broken lines for unknown players are deposits
    CHECK(types == expected);
}

TEST_CASE("demo stream: a player's registration comes first and holds a valid adult profile") {
    const auto& [summary, lines] = shared_stream();
    std::set<std::string> registered;
    const Timestamp start = kEnd - days(120);
    for (const Line& line : lines) {
        if (!line.event) continue;
        const Event& e = *line.event;
        CHECK(e.occurred_at >= start);
        CHECK(e.occurred_at <= kEnd);
        if (const auto* r = std::get_if<Registration>(&e.payload)) {
            registered.insert(e.player_id);
            CHECK_NOTHROW(players::validate_country(r->country));
            CHECK_NOTHROW(players::validate_language(r->language.value()));
            CHECK_NOTHROW(players::validate_birth_date(r->birth_date, utc_date(e.occurred_at)));
            if (r->email) CHECK_NOTHROW(players::validate_email(*r->email));
            if (r->phone) CHECK_NOTHROW(players::validate_phone(*r->phone));
        } else if (e.player_id.rfind("PL", 0) == 0) {
            CHECK(registered.count(e.player_id) == 1);
        }
    }
    CHECK(registered.size() == summary.players.size());
}

TEST_CASE("demo stream: some events arrive hours late") {
    const auto& [summary, lines] = shared_stream();
    Timestamp latest = Timestamp::min();
    std::int64_t late_by_an_hour = 0;
    for (const Line& line : lines) {
        if (!line.event) continue;
        if (line.event->occurred_at + std::chrono::hours(1) <= latest) ++late_by_an_hour;
        latest = std::max(latest, line.event->occurred_at);
    }
    CHECK(summary.late > 0);
    CHECK(late_by_an_hour > 0);
    CHECK(late_by_an_hour <= summary.late + summary.replays);
}

TEST_CASE("demo stream: transactions follow their lifecycle in time") {
    const auto& lines = shared_stream().lines;
    std::map<std::string, std::vector<const Event*>> by_transaction;
    for (const Line& line : lines) {
        if (!line.event) continue;
        const Event& e = *line.event;
        if (const auto* d = std::get_if<Deposit>(&e.payload)) {
            by_transaction["d" + d->transaction_id].push_back(&e);
        } else if (const auto* w = std::get_if<Withdrawal>(&e.payload)) {
            by_transaction["w" + w->transaction_id].push_back(&e);
        }
    }
    std::set<std::string> endings;
    for (auto& [id, events] : by_transaction) {
        std::sort(events.begin(), events.end(),
                  [](const Event* a, const Event* b) { return a->occurred_at < b->occurred_at; });
        events.erase(std::unique(events.begin(), events.end(),
                                 [](const Event* a, const Event* b) { return *a == *b; }),
                     events.end());
        for (std::size_t i = 1; i < events.size(); ++i) {
            CHECK(events[i - 1]->occurred_at < events[i]->occurred_at);
        }
        std::string path;
        for (const Event* e : events) {
            if (const auto* d = std::get_if<Deposit>(&e->payload)) {
                path += std::string(to_string(d->status)) + " ";
            } else {
                path += std::string(to_string(std::get<Withdrawal>(e->payload).status)) + " ";
            }
        }
        endings.insert(id.substr(0, 1) + ":" + path);
    }
    const std::set<std::string> allowed = {"d:approved ",
                                           "d:pending approved ",
                                           "d:pending declined ",
                                           "d:declined ",
                                           "d:pending ",
                                           "w:requested approved paid ",
                                           "w:requested rejected ",
                                           "w:requested cancelled ",
                                           "w:requested ",
                                           "w:requested approved "};
    for (const auto& path : endings) {
        INFO(path);
        CHECK(allowed.count(path) == 1);
    }
    for (const auto* path :
         {"d:pending approved ", "d:pending declined ", "w:requested approved paid ",
          "w:requested rejected ", "w:requested cancelled "}) {
        INFO(path);
        CHECK(endings.count(path) == 1);
    }
}

TEST_CASE("demo stream: churners are silent for the last 30 days, others mostly are not") {
    const auto& [summary, lines] = shared_stream();
    std::map<std::string, Timestamp> last_seen;
    for (const Line& line : lines) {
        if (!line.event) continue;
        auto& last = last_seen[line.event->player_id];
        last = std::max(last, line.event->occurred_at);
    }
    const Timestamp cutoff = kEnd - days(30);
    std::size_t recent_regulars = 0, regulars = 0;
    for (const StreamPlayer& p : summary.players) {
        CHECK(last_seen.at(p.external_id) == p.last_event_at);
        if (p.profile == StreamProfile::kChurner) {
            CHECK(p.last_event_at < cutoff);
            CHECK(p.last_event_at > p.registered_at + days(5));  // they did play first
        } else if (p.profile == StreamProfile::kRegular ||
                   p.profile == StreamProfile::kHighRoller) {
            ++regulars;
            if (p.last_event_at >= cutoff) ++recent_regulars;
        }
    }
    CHECK(recent_regulars * 10 >= regulars * 9);
}

TEST_CASE("demo stream: spend follows a power law, abusers live on bonuses, weekends are busy") {
    const auto& [summary, lines] = shared_stream();
    std::map<std::string, double> deposits, bonuses;
    std::map<unsigned, std::int64_t> logins_by_weekday;
    std::set<std::string> seen;
    for (const Line& line : lines) {
        if (!line.event || !seen.insert(line.event->event_id).second) continue;
        const Event& e = *line.event;
        if (const auto* d = std::get_if<Deposit>(&e.payload)) {
            if (d->status == DepositStatus::kApproved) deposits[e.player_id] += euros(d->amount);
        } else if (const auto* b = std::get_if<Bonus>(&e.payload)) {
            if (b->kind == BonusKind::kGranted) bonuses[e.player_id] += euros(b->amount);
        } else if (e.type() == EventType::kLogin) {
            ++logins_by_weekday[std::chrono::weekday(std::chrono::floor<days>(e.occurred_at))
                                    .c_encoding()];
        }
    }
    std::vector<double> spend;
    double total = 0;
    for (const auto& [player, sum] : deposits) {
        spend.push_back(sum);
        total += sum;
    }
    std::sort(spend.rbegin(), spend.rend());
    double top = 0;
    for (std::size_t i = 0; i < spend.size() / 5; ++i) top += spend[i];
    CHECK(top > 0.6 * total);  // the top 20% of depositors bring most of the money

    for (const auto& id : summary.external_ids_of(StreamProfile::kNonDepositor)) {
        CHECK(deposits.count(id) == 0);
    }
    double abuser_ratio = 0, regular_ratio = 0;
    for (const auto& id : summary.external_ids_of(StreamProfile::kBonusAbuser)) {
        abuser_ratio += bonuses[id] / std::max(1.0, deposits[id]);
    }
    for (const auto& id : summary.external_ids_of(StreamProfile::kRegular)) {
        regular_ratio += bonuses[id] / std::max(1.0, deposits[id]);
    }
    abuser_ratio /= double(summary.external_ids_of(StreamProfile::kBonusAbuser).size());
    regular_ratio /= double(summary.external_ids_of(StreamProfile::kRegular).size());
    CHECK(abuser_ratio > 0.5);
    CHECK(abuser_ratio > 4 * regular_ratio);

    const double weekend = double(logins_by_weekday[0] + logins_by_weekday[6]) / 2;
    const double midweek = double(logins_by_weekday[1] + logins_by_weekday[2] +
                                  logins_by_weekday[3] + logins_by_weekday[4]) /
                           4;
    CHECK(weekend > 1.2 * midweek);
}
