#include "pitboss/helpdesk/kpi.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "pitboss/core/error.hpp"

namespace {

using namespace pitboss;
using namespace pitboss::helpdesk;
using std::chrono::hours;
using std::chrono::minutes;

std::vector<Duration> mins(std::initializer_list<int> values) {
    std::vector<Duration> out;
    for (int v : values) out.push_back(minutes(v));
    return out;
}

TicketSummary summary(TicketStatus status, Priority priority, Channel channel, Timestamp created) {
    TicketSummary t;
    t.status = status;
    t.priority = priority;
    t.channel = channel;
    t.created_at = created;
    return t;
}

}  // namespace

TEST_CASE("kpi: median and p90 by nearest rank", "[helpdesk][kpi]") {
    const auto ten = mins({10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
    const DurationStats s = duration_stats(ten);
    CHECK(s.count == 10);
    CHECK(s.median == minutes(5));  // the 5th of 10
    CHECK(s.p90 == minutes(9));     // the 9th of 10

    const auto one = mins({42});
    CHECK(duration_stats(one).median == minutes(42));
    CHECK(duration_stats(one).p90 == minutes(42));

    const auto three = mins({30, 10, 20});
    CHECK(duration_stats(three).median == minutes(20));
    CHECK(duration_stats(three).p90 == minutes(30));

    const DurationStats empty = duration_stats({});
    CHECK(empty.count == 0);
    CHECK_FALSE(empty.median);
    CHECK_FALSE(empty.p90);

    CHECK(percentile(ten, 100.0) == minutes(10));
    CHECK(percentile(ten, 0.1) == minutes(1));
    CHECK(percentile(ten, 25.0) == minutes(3));
    CHECK_FALSE(percentile({}, 50.0));
    CHECK_THROWS_AS(percentile(ten, 0.0), ValidationError);
    CHECK_THROWS_AS(percentile(ten, 101.0), ValidationError);
}

TEST_CASE("kpi: queue figures", "[helpdesk][kpi]") {
    const Timestamp now = parse_timestamp("2026-11-22T12:00:00Z");
    std::vector<TicketSummary> tickets;
    // Open backlog of different ages.
    tickets.push_back(
        summary(TicketStatus::kNew, Priority::kHigh, Channel::kLiveChat, now - minutes(30)));
    tickets.push_back(
        summary(TicketStatus::kOpen, Priority::kNormal, Channel::kEmail, now - hours(1)));
    tickets.push_back(
        summary(TicketStatus::kPending, Priority::kNormal, Channel::kEmail, now - hours(30)));
    tickets.push_back(
        summary(TicketStatus::kOnHold, Priority::kLow, Channel::kPhone, now - hours(24 * 10)));
    tickets.push_back(
        summary(TicketStatus::kOpen, Priority::kUrgent, Channel::kWebForm, now + hours(1)));
    // Done.
    auto solved =
        summary(TicketStatus::kSolved, Priority::kNormal, Channel::kEmail, now - hours(48));
    solved.first_response_time = minutes(20);
    solved.resolution_time = hours(5);
    solved.sla_applies = true;
    tickets.push_back(solved);
    auto closed_late = solved;
    closed_late.status = TicketStatus::kClosed;
    closed_late.first_response_time = minutes(300);
    closed_late.resolution_time = hours(30);
    closed_late.sla_breached = true;
    tickets.push_back(closed_late);
    auto closed_no_sla = solved;
    closed_no_sla.status = TicketStatus::kClosed;
    closed_no_sla.sla_applies = false;
    closed_no_sla.first_response_time = minutes(40);
    closed_no_sla.resolution_time.reset();
    tickets.push_back(closed_no_sla);
    // Open tickets with an SLA: one breached (decided), one still running (undecided).
    tickets[1].sla_applies = true;
    tickets[1].sla_breached = true;
    tickets[2].sla_applies = true;

    const QueueKpis k = compute_queue_kpis(tickets, now);
    CHECK(k.total == 8);
    CHECK(k.open == 5);
    CHECK(k.by_status.at(TicketStatus::kOpen) == 2);
    CHECK(k.by_status.at(TicketStatus::kClosed) == 2);
    CHECK(k.by_status.at(TicketStatus::kSolved) == 1);
    CHECK(k.open_by_priority.at(Priority::kNormal) == 2);
    CHECK(k.open_by_priority.count(Priority::kNormal) == 1);
    CHECK(k.open_by_channel.at(Channel::kEmail) == 2);
    CHECK(k.open_by_channel.at(Channel::kPhone) == 1);
    CHECK(k.open_by_channel.count(Channel::kInternal) == 0);
    CHECK(k.first_response.count == 3);
    CHECK(k.first_response.median == minutes(40));
    CHECK(k.first_response.p90 == minutes(300));
    CHECK(k.resolution.count == 2);
    CHECK(k.resolution.median == hours(5));
    // Decided: the solved one (met), the closed late one and the open breached one.
    REQUIRE(k.sla_compliance_percent);
    CHECK(*k.sla_compliance_percent == Approx(100.0 / 3.0));
    CHECK(k.sla_breached == 2);
    CHECK(k.oldest_open == hours(240));
    // Bands: <1h, 1-4h, 4-24h, 1-3d, 3-7d, >=7d; an age of exactly 1 h is in the second band
    // and a ticket from the future counts as age 0.
    REQUIRE(k.backlog.size() == 6);
    CHECK(k.backlog[0].count == 2);
    CHECK(k.backlog[1].count == 1);
    CHECK(k.backlog[2].count == 0);
    CHECK(k.backlog[3].count == 1);
    CHECK(k.backlog[4].count == 0);
    CHECK(k.backlog[5].count == 1);
    CHECK(k.backlog[1].lower == hours(1));
    CHECK(k.backlog[1].upper == hours(4));
    CHECK_FALSE(k.backlog[5].upper);

    const Json j = to_json(k);
    CHECK(j["open_by_channel"]["email"] == 2);
    CHECK(j["by_status"]["on_hold"] == 1);
    CHECK(j["first_response"]["median_ms"] == 40 * 60'000);
    CHECK(j["backlog"][5]["upper_ms"].is_null());
    CHECK(j["oldest_open_ms"] == 240LL * 3'600'000);
}

TEST_CASE("kpi: empty input and custom bands", "[helpdesk][kpi]") {
    const Timestamp now = parse_timestamp("2026-11-22T12:00:00Z");
    const QueueKpis k = compute_queue_kpis({}, now);
    CHECK(k.total == 0);
    CHECK_FALSE(k.sla_compliance_percent);
    CHECK_FALSE(k.oldest_open);
    CHECK(k.backlog.size() == 6);

    const std::vector<TicketSummary> one = {
        summary(TicketStatus::kOpen, Priority::kLow, Channel::kEmail, now - hours(2))};
    const std::vector<Duration> bands = {hours(2)};
    const QueueKpis two = compute_queue_kpis(one, now, bands);
    REQUIRE(two.backlog.size() == 2);
    CHECK(two.backlog[0].count == 0);
    CHECK(two.backlog[1].count == 1);
    const QueueKpis none = compute_queue_kpis(one, now, std::span<const Duration>{});
    REQUIRE(none.backlog.size() == 1);
    CHECK(none.backlog[0].count == 1);

    const std::vector<Duration> unordered = {hours(2), hours(1)};
    CHECK_THROWS_AS(compute_queue_kpis(one, now, unordered), ValidationError);
    const std::vector<Duration> zero = {Duration(0)};
    CHECK_THROWS_AS(compute_queue_kpis(one, now, zero), ValidationError);
}
