#include "pitboss/helpdesk/sla.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <functional>
#include <random>

#include "pitboss/core/error.hpp"

namespace {

using namespace pitboss;
using namespace pitboss::helpdesk;
using std::chrono::hours;
using std::chrono::minutes;

Timestamp at(const char* text) { return parse_timestamp(text); }

SlaRule rule(std::string name, Priority priority, std::optional<Duration> first,
             std::optional<Duration> next, std::optional<Duration> resolution) {
    SlaRule r;
    r.name = std::move(name);
    r.priority = priority;
    r.targets = {first, next, resolution};
    return r;
}

/// Rule indexes of standard().
constexpr std::size_t kLowRule = 0;
constexpr std::size_t kNormalRule = 1;
constexpr std::size_t kHighRule = 2;
constexpr std::size_t kUrgentRule = 3;
constexpr std::size_t kComplaintHighRule = 4;
constexpr std::size_t kGoldNormalRule = 5;
constexpr std::size_t kGoldComplaintRule = 6;

SlaPolicy standard() {
    SlaPolicy p;
    p.name = "standard";
    p.calendar = "malta";
    p.rules.push_back(rule("low", Priority::kLow, hours(8), std::nullopt, hours(40)));
    p.rules.push_back(rule("normal", Priority::kNormal, hours(4), hours(8), hours(24)));
    p.rules.push_back(rule("high", Priority::kHigh, hours(1), hours(2), hours(8)));
    p.rules.back().on_breach = {true, "supervisors"};
    p.rules.push_back(rule("urgent", Priority::kUrgent, minutes(30), hours(1), hours(4)));
    p.rules.back().business_hours = false;
    p.rules.push_back(rule("complaint-high", Priority::kHigh, minutes(30), hours(1), hours(4)));
    p.rules.back().category = Category::kComplaint;
    p.rules.push_back(rule("gold-normal", Priority::kNormal, hours(2), hours(4), hours(16)));
    p.rules.back().vip_tier = "gold";
    p.rules.push_back(rule("gold-complaint", Priority::kNormal, hours(1), hours(2), hours(8)));
    p.rules.back().category = Category::kComplaint;
    p.rules.back().vip_tier = "gold";
    return p;
}

CalendarSpec office(const std::string& zone) {
    CalendarSpec spec;
    spec.time_zone = zone;
    for (std::size_t d = 0; d < 5; ++d) spec.weekly_hours[d] = {{hours(9), hours(17)}};
    return spec;
}

BusinessCalendar malta() {
    CalendarSpec spec = office("Europe/Malta");
    spec.holidays = {Date{std::chrono::year{2026} / 12 / 25}};
    return BusinessCalendar(spec);
}

TicketHistory ticket(const char* created, Priority priority = Priority::kNormal,
                     Category category = Category::kPayments, std::string tier = "") {
    TicketHistory h;
    h.created_at = at(created);
    h.priority = priority;
    h.category = category;
    h.vip_tier = std::move(tier);
    return h;
}

std::string field_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ValidationError& e) {
        return e.field();
    }
    return "<no error>";
}

}  // namespace

TEST_CASE("sla: first response over a weekend", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    TicketHistory h = ticket("2026-11-20T16:00:00+01:00");  // Friday

    const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-21T12:00:00+01:00"));
    CHECK(s.rule == kNormalRule);
    CHECK_FALSE(s.paused);
    CHECK(s.first_response.state == SlaState::kRunning);
    CHECK(s.first_response.target == hours(4));
    CHECK(s.first_response.started_at == h.created_at);
    CHECK(s.first_response.elapsed == hours(1));
    CHECK(s.first_response.remaining == hours(3));
    CHECK(s.first_response.due_at == at("2026-11-23T12:00:00+01:00"));
    CHECK_FALSE(s.first_response.approaching);
    CHECK(s.resolution.due_at == at("2026-11-25T16:00:00+01:00"));
    CHECK(s.next_response.state == SlaState::kNone);
    CHECK_FALSE(s.next_response.started_at);
    // 80% of 4 h is reached Monday 11:12.
    CHECK(s.next_change_at == at("2026-11-23T11:12:00+01:00"));
    CHECK_FALSE(s.breached());

    SECTION("a reply before the due time meets the target") {
        h.events.push_back(TicketEvent::agent_reply(at("2026-11-23T11:30:00+01:00")));
        const SlaStatus m = compute_sla(policy, cal, h, at("2026-11-23T15:00:00+01:00"));
        CHECK(m.first_response.state == SlaState::kMet);
        CHECK(m.first_response.fulfilled_at == at("2026-11-23T11:30:00+01:00"));
        CHECK(m.first_response.elapsed == minutes(210));
        CHECK(m.first_response.remaining == minutes(30));
        CHECK(m.first_response.approaching_at == at("2026-11-23T11:12:00+01:00"));
        CHECK_FALSE(m.first_response.approaching);
        CHECK_FALSE(m.first_response.due_at);
        CHECK(m.status == TicketStatus::kNew);  // the workflow's moves are separate events
    }
    SECTION("a reply exactly at the due time is in time") {
        h.events.push_back(TicketEvent::agent_reply(at("2026-11-23T12:00:00+01:00")));
        const SlaStatus m = compute_sla(policy, cal, h, at("2026-11-23T15:00:00+01:00"));
        CHECK(m.first_response.state == SlaState::kMet);
        CHECK(m.first_response.remaining == Duration(0));
    }
    SECTION("a reply a millisecond late breaches") {
        h.events.push_back(TicketEvent::agent_reply(at("2026-11-23T12:00:00.001+01:00")));
        const SlaStatus m = compute_sla(policy, cal, h, at("2026-11-23T15:00:00+01:00"));
        CHECK(m.first_response.state == SlaState::kBreached);
        CHECK(m.first_response.breached_at == at("2026-11-23T12:00:00+01:00"));
        CHECK(m.first_response.fulfilled_at == at("2026-11-23T12:00:00.001+01:00"));
        CHECK(m.first_response.breaches == 1);
        CHECK(m.breached());
    }
    SECTION("at the due instant it is due, not yet breached") {
        const SlaStatus m = compute_sla(policy, cal, h, at("2026-11-23T12:00:00+01:00"));
        CHECK(m.first_response.state == SlaState::kRunning);
        CHECK(m.first_response.remaining == Duration(0));
        CHECK(m.first_response.approaching);
        CHECK(m.approaching());
        CHECK(m.next_change_at == at("2026-11-23T12:00:00.001+01:00"));
    }
    SECTION("past the due instant it is breached") {
        const SlaStatus m = compute_sla(policy, cal, h, at("2026-11-23T12:30:00+01:00"));
        CHECK(m.first_response.state == SlaState::kBreached);
        CHECK(m.first_response.breached_at == at("2026-11-23T12:00:00+01:00"));
        CHECK(m.first_response.due_at == at("2026-11-23T12:00:00+01:00"));
        CHECK(m.first_response.remaining == -minutes(30));
        CHECK_FALSE(m.first_response.approaching);
        // Next: the resolution's 80% (19 h 12 min) on Wednesday 11:12.
        CHECK(m.next_change_at == at("2026-11-25T11:12:00+01:00"));
    }
}

TEST_CASE("sla: a target falling due at closing time breaches overnight", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    const TicketHistory h = ticket("2026-11-20T16:00:00+01:00", Priority::kHigh);
    const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-20T18:00:00+01:00"));
    CHECK(s.rule == kHighRule);
    CHECK(s.first_response.state == SlaState::kBreached);
    CHECK(s.first_response.breached_at == at("2026-11-20T17:00:00+01:00"));
    CHECK(s.first_response.remaining == Duration(0));
    CHECK(policy.rules[*s.rule].on_breach.reassign_queue == "supervisors");
    CHECK(policy.rules[*s.rule].on_breach.raise_priority);
}

TEST_CASE("sla: due times across DST changes", "[helpdesk][sla][dst]") {
    const SlaPolicy policy = standard();
    SECTION("Europe/Malta spring forward") {
        const TicketHistory h = ticket("2026-03-27T15:00:00+01:00");
        const SlaStatus s = compute_sla(policy, malta(), h, h.created_at);
        CHECK(s.first_response.due_at == at("2026-03-30T11:00:00+02:00"));
        CHECK(s.resolution.due_at == at("2026-04-01T15:00:00+02:00"));
        const SlaStatus later = compute_sla(policy, malta(), h, at("2026-03-30T10:00:00+02:00"));
        CHECK(later.first_response.elapsed == hours(3));
    }
    SECTION("Europe/Malta fall back") {
        const TicketHistory h = ticket("2026-10-23T15:00:00+02:00");
        const SlaStatus s = compute_sla(policy, malta(), h, h.created_at);
        CHECK(s.first_response.due_at == at("2026-10-26T11:00:00+01:00"));
    }
    SECTION("America/Toronto spring forward and fall back") {
        const BusinessCalendar toronto(office("America/Toronto"));
        const TicketHistory spring = ticket("2026-03-06T15:00:00-05:00");
        CHECK(compute_sla(policy, toronto, spring, spring.created_at).first_response.due_at ==
              at("2026-03-09T11:00:00-04:00"));
        const TicketHistory fall = ticket("2026-10-30T15:00:00-04:00");
        CHECK(compute_sla(policy, toronto, fall, fall.created_at).first_response.due_at ==
              at("2026-11-02T11:00:00-05:00"));
        CHECK(compute_sla(policy, toronto, fall, fall.created_at).resolution.due_at ==
              at("2026-11-04T15:00:00-05:00"));
    }
    SECTION("24/7 rules count real hours over a change") {
        // Urgent counts the wall clock: 4 h from 00:30 CET is 05:30 CEST.
        const TicketHistory h = ticket("2026-03-29T00:30:00+01:00", Priority::kUrgent);
        const SlaStatus s = compute_sla(policy, malta(), h, h.created_at);
        CHECK(s.rule == kUrgentRule);
        CHECK(s.resolution.due_at == at("2026-03-29T05:30:00+02:00"));
    }
}

TEST_CASE("sla: holidays", "[helpdesk][sla]") {
    const TicketHistory h = ticket("2026-12-24T15:00:00+01:00");
    const SlaStatus s = compute_sla(standard(), malta(), h, h.created_at);
    CHECK(s.first_response.due_at == at("2026-12-28T11:00:00+01:00"));
}

TEST_CASE("sla: pauses while pending span nights", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    TicketHistory h = ticket("2026-11-16T09:00:00+01:00");  // Monday
    h.events = {
        TicketEvent::status_changed(at("2026-11-16T09:05:00+01:00"), TicketStatus::kOpen),
        TicketEvent::agent_reply(at("2026-11-16T10:00:00+01:00")),
        TicketEvent::status_changed(at("2026-11-16T10:00:00+01:00"), TicketStatus::kPending)};

    const SlaStatus paused = compute_sla(policy, cal, h, at("2026-11-17T12:00:00+01:00"));
    CHECK(paused.paused);
    CHECK(paused.status == TicketStatus::kPending);
    CHECK(paused.first_response.state == SlaState::kMet);
    CHECK(paused.first_response.elapsed == hours(1));
    CHECK(paused.resolution.state == SlaState::kPaused);
    CHECK(paused.resolution.elapsed == hours(1));
    CHECK(paused.resolution.remaining == hours(23));
    CHECK_FALSE(paused.resolution.due_at);
    CHECK_FALSE(paused.next_change_at);

    SECTION("the player's answer resumes the clocks") {
        h.events.push_back(
            TicketEvent::status_changed(at("2026-11-18T14:00:00+01:00"), TicketStatus::kOpen));
        h.events.push_back(TicketEvent::player_reply(at("2026-11-18T14:00:00+01:00")));
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-18T16:00:00+01:00"));
        CHECK_FALSE(s.paused);
        CHECK(s.resolution.state == SlaState::kRunning);
        CHECK(s.resolution.elapsed == hours(3));
        CHECK(s.resolution.due_at == at("2026-11-23T13:00:00+01:00"));
        CHECK(s.next_response.state == SlaState::kRunning);
        CHECK(s.next_response.started_at == at("2026-11-18T14:00:00+01:00"));
        CHECK(s.next_response.elapsed == hours(2));
        CHECK(s.next_response.due_at == at("2026-11-19T14:00:00+01:00"));
        // 80% of the next response (6 h 24 min) is Thursday 12:24.
        CHECK(s.next_change_at == at("2026-11-19T12:24:00+01:00"));
    }
    SECTION("a player reply without the workflow's move leaves the clocks paused") {
        h.events.push_back(TicketEvent::player_reply(at("2026-11-18T14:00:00+01:00")));
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-18T16:00:00+01:00"));
        CHECK(s.paused);
        CHECK(s.next_response.state == SlaState::kPaused);
        CHECK(s.next_response.elapsed == Duration(0));
        CHECK(s.resolution.elapsed == hours(1));
    }
    SECTION("on hold pauses too, over a weekend") {
        h.events.push_back(
            TicketEvent::status_changed(at("2026-11-16T11:00:00+01:00"), TicketStatus::kOpen));
        h.events.push_back(
            TicketEvent::status_changed(at("2026-11-16T12:00:00+01:00"), TicketStatus::kOnHold));
        h.events.push_back(
            TicketEvent::status_changed(at("2026-11-23T10:00:00+01:00"), TicketStatus::kOpen));
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-23T11:00:00+01:00"));
        CHECK(s.resolution.elapsed == hours(3));  // 09-10, 11-12, 10-11
    }
}

TEST_CASE("sla: reopen after solve", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
    h.events = {
        TicketEvent::agent_reply(at("2026-11-16T09:30:00+01:00")),
        TicketEvent::status_changed(at("2026-11-16T12:00:00+01:00"), TicketStatus::kSolved)};
    const SlaStatus solved = compute_sla(policy, cal, h, at("2026-11-17T09:00:00+01:00"));
    CHECK(solved.resolution.state == SlaState::kMet);
    CHECK(solved.resolution.elapsed == hours(3));
    CHECK(solved.resolution.fulfilled_at == at("2026-11-16T12:00:00+01:00"));
    CHECK_FALSE(solved.next_change_at);

    SECTION("the resolution clock resumes with the time already used") {
        h.events.push_back(
            TicketEvent::status_changed(at("2026-11-17T10:00:00+01:00"), TicketStatus::kOpen));
        h.events.push_back(TicketEvent::player_reply(at("2026-11-17T10:00:00+01:00")));
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-17T11:00:00+01:00"));
        CHECK(s.resolution.state == SlaState::kRunning);
        CHECK(s.resolution.elapsed == hours(4));
        CHECK_FALSE(s.resolution.fulfilled_at);
        CHECK(s.resolution.due_at == at("2026-11-19T15:00:00+01:00"));
        CHECK(s.next_response.state == SlaState::kRunning);
        CHECK(s.next_response.due_at == at("2026-11-18T10:00:00+01:00"));
        CHECK(s.first_response.state == SlaState::kMet);

        h.events.push_back(
            TicketEvent::status_changed(at("2026-11-17T15:00:00+01:00"), TicketStatus::kSolved));
        const SlaStatus again = compute_sla(policy, cal, h, at("2026-11-18T11:00:00+01:00"));
        CHECK(again.resolution.state == SlaState::kMet);
        CHECK(again.resolution.elapsed == hours(8));
        CHECK(again.resolution.fulfilled_at == at("2026-11-17T15:00:00+01:00"));
        CHECK(again.next_response.state == SlaState::kMet);  // solving answers the player
    }
    SECTION("a player reply without reopening changes nothing") {
        h.events.push_back(TicketEvent::player_reply(at("2026-11-17T10:00:00+01:00")));
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-17T12:00:00+01:00"));
        CHECK(s.next_response.state == SlaState::kNone);
        CHECK(s.resolution.state == SlaState::kMet);
        CHECK(s.resolution.elapsed == hours(3));
    }
    SECTION("time used before and after the reopen together breach") {
        TicketHistory late = ticket("2026-11-16T09:00:00+01:00");
        late.events = {
            TicketEvent::agent_reply(at("2026-11-16T09:30:00+01:00")),
            TicketEvent::status_changed(at("2026-11-18T16:00:00+01:00"), TicketStatus::kSolved),
            TicketEvent::status_changed(at("2026-11-19T09:00:00+01:00"), TicketStatus::kOpen)};
        const SlaStatus s = compute_sla(policy, cal, late, at("2026-11-19T11:00:00+01:00"));
        CHECK(s.resolution.state == SlaState::kBreached);
        CHECK(s.resolution.breached_at == at("2026-11-19T10:00:00+01:00"));
        CHECK(s.resolution.remaining == -hours(1));
    }
}

TEST_CASE("sla: solving fulfils an unanswered first response", "[helpdesk][sla]") {
    TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
    h.events = {
        TicketEvent::status_changed(at("2026-11-16T09:20:00+01:00"), TicketStatus::kSolved)};
    const SlaStatus s = compute_sla(standard(), malta(), h, at("2026-11-20T09:00:00+01:00"));
    CHECK(s.first_response.state == SlaState::kMet);
    CHECK(s.first_response.fulfilled_at == at("2026-11-16T09:20:00+01:00"));
    CHECK(s.resolution.state == SlaState::kMet);
    CHECK(s.status == TicketStatus::kSolved);
}

TEST_CASE("sla: next-response cycles", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
    h.events = {TicketEvent::player_reply(at("2026-11-16T09:10:00+01:00")),
                TicketEvent::agent_reply(at("2026-11-16T09:30:00+01:00")),
                TicketEvent::player_reply(at("2026-11-16T10:00:00+01:00")),
                TicketEvent::player_reply(at("2026-11-16T11:00:00+01:00")),
                TicketEvent::agent_reply(at("2026-11-16T12:00:00+01:00"))};
    const SlaStatus first = compute_sla(policy, cal, h, at("2026-11-16T12:30:00+01:00"));
    // The oldest unanswered message counts; the one before the first response does not.
    CHECK(first.next_response.state == SlaState::kMet);
    CHECK(first.next_response.started_at == at("2026-11-16T10:00:00+01:00"));
    CHECK(first.next_response.elapsed == hours(2));

    h.events.push_back(TicketEvent::player_reply(at("2026-11-16T13:00:00+01:00")));
    const SlaStatus late = compute_sla(policy, cal, h, at("2026-11-17T14:00:00+01:00"));
    CHECK(late.next_response.state == SlaState::kBreached);
    CHECK(late.next_response.breached_at == at("2026-11-17T13:00:00+01:00"));
    CHECK(late.next_response.breaches == 1);

    h.events.push_back(TicketEvent::agent_reply(at("2026-11-17T15:00:00+01:00")));
    const SlaStatus answered = compute_sla(policy, cal, h, at("2026-11-17T16:00:00+01:00"));
    CHECK(answered.next_response.state == SlaState::kBreached);
    CHECK(answered.next_response.fulfilled_at == at("2026-11-17T15:00:00+01:00"));

    h.events.push_back(TicketEvent::player_reply(at("2026-11-18T10:00:00+01:00")));
    const SlaStatus third = compute_sla(policy, cal, h, at("2026-11-18T11:00:00+01:00"));
    CHECK(third.next_response.state == SlaState::kRunning);
    CHECK_FALSE(third.next_response.breached_at);
    CHECK(third.next_response.breaches == 1);  // the earlier cycle's breach is still counted
    CHECK_FALSE(third.breached());
    CHECK(third.breach_count() == 1);
    CHECK(first.breach_count() == 0);
}

TEST_CASE("sla: a priority change re-targets", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    SECTION("raised past the new target: breached at the change") {
        TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
        h.events = {
            TicketEvent::priority_changed(at("2026-11-16T10:00:00+01:00"), Priority::kHigh)};
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-16T10:30:00+01:00"));
        CHECK(s.rule == kHighRule);
        CHECK(s.priority == Priority::kHigh);
        CHECK(s.first_response.target == hours(1));
        CHECK(s.first_response.state == SlaState::kBreached);
        CHECK(s.first_response.breached_at == at("2026-11-16T10:00:00+01:00"));
        const SlaStatus at_change = compute_sla(policy, cal, h, at("2026-11-16T10:00:00+01:00"));
        CHECK(at_change.first_response.state == SlaState::kRunning);
        CHECK(at_change.first_response.approaching);
        CHECK(at_change.first_response.due_at == at("2026-11-16T10:00:00+01:00"));
    }
    SECTION("raised within the new target: the due time moves closer") {
        TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
        h.events = {
            TicketEvent::priority_changed(at("2026-11-16T09:30:00+01:00"), Priority::kHigh)};
        CHECK(compute_sla(policy, cal, h, at("2026-11-16T09:40:00+01:00")).first_response.due_at ==
              at("2026-11-16T10:00:00+01:00"));
        h.events.push_back(TicketEvent::agent_reply(at("2026-11-16T09:50:00+01:00")));
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-16T11:00:00+01:00"));
        CHECK(s.first_response.state == SlaState::kMet);
        CHECK(s.first_response.elapsed == minutes(50));
        CHECK(s.resolution.target == hours(8));
    }
    SECTION("lowered after a breach: the breach stays, the due time moves away") {
        TicketHistory h = ticket("2026-11-16T09:00:00+01:00", Priority::kHigh);
        h.events = {
            TicketEvent::priority_changed(at("2026-11-16T10:30:00+01:00"), Priority::kNormal)};
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-16T11:00:00+01:00"));
        CHECK(s.first_response.state == SlaState::kBreached);
        CHECK(s.first_response.breached_at == at("2026-11-16T10:00:00+01:00"));
        CHECK(s.first_response.remaining == hours(2));
        CHECK(s.first_response.due_at == at("2026-11-16T13:00:00+01:00"));
    }
    SECTION("to a 24/7 rule: counted on the wall clock from then on") {
        TicketHistory h = ticket("2026-11-20T16:00:00+01:00");
        h.events = {
            TicketEvent::priority_changed(at("2026-11-20T16:30:00+01:00"), Priority::kUrgent)};
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-20T16:45:00+01:00"));
        CHECK(s.rule == kUrgentRule);
        CHECK(s.first_response.state == SlaState::kBreached);
        CHECK(s.first_response.breached_at == at("2026-11-20T16:30:00+01:00"));
        CHECK(s.resolution.elapsed == minutes(45));
        CHECK(s.resolution.due_at == at("2026-11-20T20:00:00+01:00"));
    }
}

TEST_CASE("sla: urgent tickets count around the clock", "[helpdesk][sla]") {
    const TicketHistory h = ticket("2026-11-21T10:00:00+01:00", Priority::kUrgent);  // Saturday
    const SlaStatus s = compute_sla(standard(), malta(), h, at("2026-11-21T10:20:00+01:00"));
    CHECK(s.first_response.elapsed == minutes(20));
    CHECK(s.first_response.due_at == at("2026-11-21T10:30:00+01:00"));
    CHECK_FALSE(s.first_response.approaching);
    CHECK(s.next_change_at == at("2026-11-21T10:24:00+01:00"));
}

TEST_CASE("sla: the most specific rule wins", "[helpdesk][sla]") {
    const SlaPolicy p = standard();
    CHECK(match_rule(p, Priority::kHigh, Category::kComplaint, "") == kComplaintHighRule);
    CHECK(match_rule(p, Priority::kHigh, Category::kPayments, "gold") == kHighRule);
    CHECK(match_rule(p, Priority::kNormal, Category::kPayments, "gold") == kGoldNormalRule);
    CHECK(match_rule(p, Priority::kNormal, Category::kComplaint, "gold") == kGoldComplaintRule);
    CHECK(match_rule(p, Priority::kNormal, Category::kComplaint, "silver") == kNormalRule);
    CHECK(match_rule(p, Priority::kLow, Category::kKyc, "gold") == kLowRule);
    SlaPolicy tier_vs_category;
    tier_vs_category.name = "t";
    tier_vs_category.rules.push_back(
        rule("tier", Priority::kLow, hours(1), std::nullopt, std::nullopt));
    tier_vs_category.rules.back().vip_tier = "gold";
    tier_vs_category.rules.push_back(
        rule("cat", Priority::kLow, hours(2), std::nullopt, std::nullopt));
    tier_vs_category.rules.back().category = Category::kKyc;
    CHECK(match_rule(tier_vs_category, Priority::kLow, Category::kKyc, "gold") == 1U);
    CHECK(match_rule(tier_vs_category, Priority::kLow, Category::kBonus, "gold") == 0U);
    CHECK_FALSE(match_rule(tier_vs_category, Priority::kLow, Category::kBonus, ""));
    CHECK_FALSE(match_rule(tier_vs_category, Priority::kHigh, Category::kKyc, "gold"));
}

TEST_CASE("sla: a category change re-targets", "[helpdesk][sla]") {
    TicketHistory h = ticket("2026-11-16T09:00:00+01:00", Priority::kHigh);
    h.events = {
        TicketEvent::category_changed(at("2026-11-16T09:10:00+01:00"), Category::kComplaint)};
    const SlaStatus s = compute_sla(standard(), malta(), h, at("2026-11-16T09:20:00+01:00"));
    CHECK(s.rule == kComplaintHighRule);
    CHECK(s.first_response.due_at == at("2026-11-16T09:30:00+01:00"));
    CHECK(s.first_response.remaining == minutes(10));
    CHECK(s.next_change_at == at("2026-11-16T09:24:00+01:00"));
}

TEST_CASE("sla: without a matching rule nothing is measured", "[helpdesk][sla]") {
    SlaPolicy p;
    p.name = "only-normal";
    p.rules.push_back(rule("normal", Priority::kNormal, hours(4), hours(8), hours(24)));
    const TicketHistory h = ticket("2026-11-16T09:00:00+01:00", Priority::kLow);
    const SlaStatus s = compute_sla(p, malta(), h, at("2026-11-20T09:00:00+01:00"));
    CHECK_FALSE(s.rule);
    for (SlaMetric m :
         {SlaMetric::kFirstResponse, SlaMetric::kNextResponse, SlaMetric::kResolution}) {
        CHECK(s.of(m).state == SlaState::kNone);
        CHECK_FALSE(s.of(m).target);
        CHECK_FALSE(s.of(m).due_at);
    }
    CHECK(s.first_response.elapsed == hours(32));
    CHECK_FALSE(s.breached());
    CHECK_FALSE(s.next_change_at);
}

TEST_CASE("sla: approaching by remaining time", "[helpdesk][sla]") {
    SlaPolicy p = standard();
    p.rules[kNormalRule].approaching.remaining = hours(1);
    const TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
    const SlaStatus before = compute_sla(p, malta(), h, at("2026-11-16T11:59:00+01:00"));
    CHECK_FALSE(before.first_response.approaching);
    CHECK(before.next_change_at == at("2026-11-16T12:00:00+01:00"));
    const SlaStatus s = compute_sla(p, malta(), h, at("2026-11-16T12:00:00+01:00"));
    CHECK(s.first_response.approaching);
    CHECK(s.first_response.approaching_at == at("2026-11-16T12:00:00+01:00"));
}

TEST_CASE("sla: 24/7 calendar and night hours", "[helpdesk][sla]") {
    const TicketHistory h = ticket("2026-11-21T10:00:00Z");
    CHECK(compute_sla(standard(), BusinessCalendar(), h, h.created_at).first_response.due_at ==
          at("2026-11-21T14:00:00Z"));
    CalendarSpec nights;
    nights.time_zone = "America/Toronto";
    for (auto& d : nights.weekly_hours) d = {{hours(22), hours(6)}};
    const TicketHistory t = ticket("2026-10-31T12:00:00-04:00");
    // 22:00 EDT + 4 h, with the clocks falling back at 02:00: 01:00 EST.
    CHECK(
        compute_sla(standard(), BusinessCalendar(nights), t, t.created_at).first_response.due_at ==
        at("2026-11-01T01:00:00-05:00"));
}

TEST_CASE("sla: history order and now", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
    SECTION("before creation nothing has started") {
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-16T08:00:00+01:00"));
        CHECK(s.rule == kNormalRule);
        CHECK(s.first_response.state == SlaState::kNone);
        CHECK_FALSE(s.first_response.started_at);
        CHECK_FALSE(s.next_change_at);
    }
    SECTION("events after now are ignored") {
        h.events = {TicketEvent::agent_reply(at("2026-11-16T11:00:00+01:00"))};
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-16T10:00:00+01:00"));
        CHECK(s.first_response.state == SlaState::kRunning);
        CHECK(s.first_response.elapsed == hours(1));
    }
    SECTION("events going back in time are rejected") {
        h.events = {TicketEvent::agent_reply(at("2026-11-16T11:00:00+01:00")),
                    TicketEvent::player_reply(at("2026-11-16T10:00:00+01:00"))};
        CHECK(field_of([&] { (void)compute_sla(policy, cal, h, h.created_at + hours(5)); }) ==
              "events[1].at");
        h.events = {TicketEvent::agent_reply(at("2026-11-16T08:00:00+01:00"))};
        CHECK(field_of([&] { (void)compute_sla(policy, cal, h, h.created_at); }) == "events[0].at");
    }
    SECTION("a ticket created solved has nothing running") {
        h.status = TicketStatus::kSolved;
        const SlaStatus s = compute_sla(policy, cal, h, at("2026-11-18T10:00:00+01:00"));
        CHECK(s.first_response.state == SlaState::kMet);
        CHECK(s.resolution.state == SlaState::kMet);
        CHECK(s.resolution.elapsed == Duration(0));
    }
}

TEST_CASE("sla: the batch gives the single-ticket answers", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    const BusinessCalendar cal = malta();
    std::mt19937 rng(7);
    const Timestamp now = at("2026-04-02T12:00:00Z");
    std::vector<TicketHistory> tickets;
    for (int i = 0; i < 400; ++i) {
        // Most around the March change; a few long ago or in the future (timeline growth both
        // ways).
        const auto spread = minutes(rng() % (20 * 1440));
        Timestamp created = now - spread;
        if (i % 50 == 0) created = now - hours(24 * 400) + spread;
        if (i % 77 == 0) created = now + spread;
        TicketHistory h;
        h.created_at = created;
        h.priority = static_cast<Priority>(rng() % 4);
        h.category = rng() % 5 == 0 ? Category::kComplaint : Category::kPayments;
        h.vip_tier = rng() % 3 == 0 ? "gold" : "";
        Timestamp t = created;
        TicketStatus status = TicketStatus::kNew;
        const int events = static_cast<int>(rng() % 8);
        for (int e = 0; e < events; ++e) {
            t += minutes(rng() % 2000);
            switch (rng() % 5) {
                case 0:
                    h.events.push_back(TicketEvent::agent_reply(t));
                    break;
                case 1:
                    h.events.push_back(TicketEvent::player_reply(t));
                    break;
                case 2: {
                    static constexpr std::array kStates = {
                        TicketStatus::kOpen, TicketStatus::kPending, TicketStatus::kOnHold,
                        TicketStatus::kSolved, TicketStatus::kOpen};
                    status = kStates[rng() % kStates.size()];
                    h.events.push_back(TicketEvent::status_changed(t, status));
                    break;
                }
                case 3:
                    h.events.push_back(
                        TicketEvent::priority_changed(t, static_cast<Priority>(rng() % 4)));
                    break;
                default:
                    h.events.push_back(TicketEvent::category_changed(t, Category::kComplaint));
                    break;
            }
        }
        tickets.push_back(std::move(h));
    }
    const std::vector<SlaStatus> batch = compute_sla_many(policy, cal, tickets, now);
    REQUIRE(batch.size() == tickets.size());
    int breached = 0;
    int running = 0;
    for (std::size_t i = 0; i < tickets.size(); ++i) {
        INFO("ticket " << i);
        const SlaStatus single = compute_sla(policy, cal, tickets[i], now);
        CHECK(batch[i] == single);
        breached += single.breached() ? 1 : 0;
        running += single.resolution.state == SlaState::kRunning ? 1 : 0;
        // next_change_at is exact: nothing changes before it, something changes at it (checked
        // where no recorded event lies after now).
        const bool settled = tickets[i].created_at <= now &&
                             std::all_of(tickets[i].events.begin(), tickets[i].events.end(),
                                         [&](const TicketEvent& e) { return e.at <= now; });
        if (single.next_change_at && settled) {
            const Timestamp change = *single.next_change_at;
            const SlaStatus before = compute_sla(policy, cal, tickets[i], change - Duration(1));
            const SlaStatus after = compute_sla(policy, cal, tickets[i], change);
            const auto flags = [](const SlaStatus& s) {
                return std::vector<int>{static_cast<int>(s.first_response.state),
                                        static_cast<int>(s.next_response.state),
                                        static_cast<int>(s.resolution.state),
                                        s.first_response.approaching ? 1 : 0,
                                        s.next_response.approaching ? 1 : 0,
                                        s.resolution.approaching ? 1 : 0};
            };
            CHECK(flags(before) == flags(single));
            CHECK(flags(after) != flags(single));
        }
    }
    // The sample exercises both outcomes.
    CHECK(breached > 20);
    CHECK(running > 20);
}

TEST_CASE("sla: policy validation names the field", "[helpdesk][sla]") {
    CHECK_NOTHROW(validate(standard()));
    const auto broken = [](const std::function<void(SlaPolicy&)>& change) {
        SlaPolicy p = standard();
        change(p);
        return field_of([&] { validate(p); });
    };
    CHECK(broken([](SlaPolicy& p) { p.name = ""; }) == "name");
    CHECK(broken([](SlaPolicy& p) { p.calendar = std::string(65, 'c'); }) == "calendar");
    CHECK(broken([](SlaPolicy& p) { p.rules[2].name = "normal"; }) == "rules[2].name");
    CHECK(broken([](SlaPolicy& p) { p.rules[1].targets.resolution = Duration(0); }) ==
          "rules[1].targets.resolution");
    CHECK(broken([](SlaPolicy& p) { p.rules[1].targets.first_response = minutes(-5); }) ==
          "rules[1].targets.first_response");
    CHECK(broken([](SlaPolicy& p) {
              p.rules[0].targets.next_response = std::chrono::seconds(90);
          }) == "rules[0].targets.next_response");
    CHECK(broken([](SlaPolicy& p) { p.rules[3].approaching.percent = 100; }) ==
          "rules[3].approaching.percent");
    CHECK(broken([](SlaPolicy& p) { p.rules[3].approaching.remaining = Duration(0); }) ==
          "rules[3].approaching.remaining");
    CHECK(broken([](SlaPolicy& p) { p.rules[2].on_breach.reassign_queue = ""; }) ==
          "rules[2].on_breach.reassign_queue");
    CHECK(broken([](SlaPolicy& p) { p.rules[5].vip_tier = ""; }) == "rules[5].vip_tier");
    CHECK(broken([](SlaPolicy& p) {
              p.rules.push_back(rule("again", Priority::kHigh, hours(1), {}, {}));
              p.rules.back().category = Category::kComplaint;
          }) == "rules[7]");
}

TEST_CASE("sla: policy JSON round trip", "[helpdesk][sla]") {
    SlaPolicy p = standard();
    p.rules[kNormalRule].approaching.remaining = minutes(45);
    p.rules[kLowRule].approaching.percent = 60;
    const Json j = to_json(p);
    CHECK(j["rules"][kHighRule]["escalate_queue"] == "supervisors");
    CHECK(j["rules"][kUrgentRule]["business_hours"] == false);
    CHECK(j["rules"][kNormalRule]["first_response_minutes"] == 240);
    CHECK(j["rules"][kComplaintHighRule]["category"] == "complaint");
    CHECK(sla_policy_from_json(j) == p);

    const auto field_for = [](const char* text) {
        return field_of([&] { (void)sla_policy_from_json(Json::parse(text)); });
    };
    CHECK(field_for(R"({"rules": []})") == "name");
    CHECK(field_for(R"({"name": "x", "rules": [{"name": "r", "priority": "asap"}]})") ==
          "rules[0].priority");
    CHECK(field_for(R"({"name": "x", "rules": [{"name": "r", "priority": "low",
                        "category": "weather"}]})") == "rules[0].category");
    CHECK(field_for(R"({"name": "x", "rules": [{"name": "r", "priority": "low",
                        "resolution_minutes": 1.5}]})") == "rules[0].targets.resolution");
    CHECK(field_for(R"({"name": "x", "rules": [{"name": "r", "priority": "low",
                        "first_response_minutes": 0}]})") == "rules[0].targets.first_response");
    CHECK(field_for(R"({"name": "x", "rules": [{"name": "r", "priority": "low",
                        "approaching_percent": 0}]})") == "rules[0].approaching.percent");
    CHECK(field_for(R"({"name": "x", "rules": [{"name": "r", "priority": "low",
                        "business_hours": "yes"}]})") == "rules[0].business_hours");
    CHECK(field_for(R"({"name": "x", "rules": 3})") == "rules");
    CHECK(field_for("[]") == "policy");
}

TEST_CASE("sla: status JSON", "[helpdesk][sla]") {
    const SlaPolicy policy = standard();
    TicketHistory h = ticket("2026-11-16T09:00:00+01:00");
    h.events = {TicketEvent::agent_reply(at("2026-11-16T14:00:00+01:00"))};
    const SlaStatus s = compute_sla(policy, malta(), h, at("2026-11-16T15:00:00+01:00"));
    const Json j = to_json(s, policy);
    CHECK(j["rule"] == "normal");
    CHECK(j["breached"] == true);
    CHECK(j["breach_count"] == 1);
    CHECK(j["first_response"]["state"] == "breached");
    CHECK(j["first_response"]["breached_at"] == "2026-11-16T12:00:00.000Z");
    CHECK(j["first_response"]["target_ms"] == 4 * 3'600'000);
    CHECK(j["next_response"]["state"] == "none");
    CHECK(j["next_response"]["due_at"].is_null());
    CHECK(j["resolution"]["state"] == "running");
    CHECK(to_string(SlaMetric::kNextResponse) == "next_response");
    CHECK(to_string(SlaState::kPaused) == "paused");
}

TEST_CASE("ticket status and priority names", "[helpdesk][sla]") {
    for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
        CHECK(parse_priority(to_string(p)) == p);
    }
    for (TicketStatus s : {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kPending,
                           TicketStatus::kOnHold, TicketStatus::kSolved, TicketStatus::kClosed}) {
        CHECK(parse_ticket_status(to_string(s)) == s);
    }
    CHECK(to_string(TicketStatus::kOnHold) == "on_hold");
    CHECK(field_of([] { (void)parse_priority("Urgent"); }) == "priority");
    CHECK(field_of([] { (void)parse_ticket_status("hold", "to"); }) == "to");
    CHECK(is_paused(TicketStatus::kOnHold));
    CHECK_FALSE(is_paused(TicketStatus::kOpen));
    CHECK(is_done(TicketStatus::kClosed));
    CHECK_FALSE(is_done(TicketStatus::kPending));
}
