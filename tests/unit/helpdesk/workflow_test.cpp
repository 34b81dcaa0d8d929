// The ticket workflow: transition table, category minimum priorities, reopening, and the
// assignment choice.

#include "pitboss/helpdesk/workflow.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "pitboss/core/error.hpp"

using namespace pitboss;
using namespace pitboss::helpdesk;
using namespace std::chrono;

namespace {

constexpr TicketStatus kAll[] = {TicketStatus::kNew,     TicketStatus::kOpen,
                                 TicketStatus::kPending, TicketStatus::kOnHold,
                                 TicketStatus::kSolved,  TicketStatus::kClosed};

}  // namespace

TEST_CASE("workflow: the transition table, cell by cell", "[helpdesk][workflow]") {
    using S = TicketStatus;
    const std::vector<std::pair<S, std::vector<S>>> allowed = {
        {S::kNew, {S::kOpen, S::kPending, S::kOnHold, S::kSolved}},
        {S::kOpen, {S::kPending, S::kOnHold, S::kSolved}},
        {S::kPending, {S::kOpen, S::kOnHold, S::kSolved}},
        {S::kOnHold, {S::kOpen, S::kPending, S::kSolved}},
        {S::kSolved, {S::kOpen, S::kClosed}},
        {S::kClosed, {}},
    };
    for (const auto& [from, targets] : allowed) {
        for (const S to : kAll) {
            const bool expected = std::find(targets.begin(), targets.end(), to) != targets.end();
            INFO(to_string(from) << " -> " << to_string(to));
            CHECK(transition_allowed(from, to) == expected);
        }
    }
}

TEST_CASE("workflow: an illegal move is a ConflictError naming both states",
          "[helpdesk][workflow]") {
    try {
        check_transition(TicketId(7), TicketStatus::kClosed, TicketStatus::kOpen);
        FAIL("no exception");
    } catch (const ConflictError& e) {
        CHECK(std::string(e.what()) == "ticket:7 cannot move from closed to open");
    }
    CHECK_THROWS_AS(check_transition(TicketId(1), TicketStatus::kOpen, TicketStatus::kOpen),
                    ConflictError);
    CHECK_THROWS_AS(check_transition(TicketId(1), TicketStatus::kNew, TicketStatus::kClosed),
                    ConflictError);
    CHECK_NOTHROW(check_transition(TicketId(1), TicketStatus::kSolved, TicketStatus::kOpen));
}

TEST_CASE("workflow: responsible gambling and complaints are at least high",
          "[helpdesk][workflow]") {
    CHECK(minimum_priority(Category::kResponsibleGambling) == Priority::kHigh);
    CHECK(minimum_priority(Category::kComplaint) == Priority::kHigh);
    CHECK(minimum_priority(Category::kPayments) == Priority::kLow);
    CHECK(effective_priority(Category::kComplaint, Priority::kLow) == Priority::kHigh);
    CHECK(effective_priority(Category::kResponsibleGambling, Priority::kUrgent) ==
          Priority::kUrgent);
    CHECK(effective_priority(Category::kBonus, Priority::kLow) == Priority::kLow);
    CHECK(raised(Priority::kLow) == Priority::kNormal);
    CHECK(raised(Priority::kNormal) == Priority::kHigh);
    CHECK(raised(Priority::kHigh) == Priority::kUrgent);
    CHECK(raised(Priority::kUrgent) == Priority::kUrgent);
}

TEST_CASE("workflow: a player's reply resumes, reopens within the window, or is refused",
          "[helpdesk][workflow]") {
    const Timestamp solved = Timestamp(sys_days(year(2026) / March / 1));
    const Duration window = hours(72);
    auto effect = on_player_reply(TicketStatus::kPending, std::nullopt, solved, window);
    CHECK(effect.accepted);
    CHECK(effect.moves == TicketStatus::kOpen);
    effect = on_player_reply(TicketStatus::kSolved, solved, solved + hours(72), window);
    CHECK(effect.accepted);
    CHECK(effect.moves == TicketStatus::kOpen);
    effect = on_player_reply(TicketStatus::kSolved, solved, solved + hours(72) + 1ms, window);
    CHECK_FALSE(effect.accepted);
    effect = on_player_reply(TicketStatus::kClosed, solved, solved, window);
    CHECK_FALSE(effect.accepted);
    for (const TicketStatus s : {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kOnHold}) {
        effect = on_player_reply(s, std::nullopt, solved, window);
        CHECK(effect.accepted);
        CHECK_FALSE(effect.moves.has_value());
    }
}

TEST_CASE("workflow: round robin cycles by id and wraps", "[helpdesk][workflow]") {
    const std::vector<Candidate> candidates = {
        {OperatorId(30), 0}, {OperatorId(10), 5}, {OperatorId(20), 1}};
    CHECK(choose_agent(AssignStrategy::kRoundRobin, candidates, std::nullopt) == OperatorId(10));
    CHECK(choose_agent(AssignStrategy::kRoundRobin, candidates, OperatorId(10)) == OperatorId(20));
    CHECK(choose_agent(AssignStrategy::kRoundRobin, candidates, OperatorId(20)) == OperatorId(30));
    CHECK(choose_agent(AssignStrategy::kRoundRobin, candidates, OperatorId(30)) == OperatorId(10));
    // The last agent went offline: continue after their id.
    CHECK(choose_agent(AssignStrategy::kRoundRobin, candidates, OperatorId(25)) == OperatorId(30));
    CHECK_FALSE(choose_agent(AssignStrategy::kRoundRobin, {}, std::nullopt).has_value());
}

TEST_CASE("workflow: least loaded picks the smallest load, ties to the smallest id",
          "[helpdesk][workflow]") {
    std::vector<Candidate> candidates = {
        {OperatorId(30), 2}, {OperatorId(10), 5}, {OperatorId(20), 2}};
    CHECK(choose_agent(AssignStrategy::kLeastLoaded, candidates, OperatorId(20)) == OperatorId(20));
    candidates[1].load = 0;
    CHECK(choose_agent(AssignStrategy::kLeastLoaded, candidates, std::nullopt) == OperatorId(10));
    CHECK_FALSE(choose_agent(AssignStrategy::kLeastLoaded, {}, std::nullopt).has_value());
}

TEST_CASE("workflow: enum names round-trip and unknown names are ValidationErrors",
          "[helpdesk][workflow]") {
    for (const char* name : {"live_chat", "email", "phone", "web_form", "internal"}) {
        CHECK(to_string(parse_channel(name)) == name);
    }
    for (const char* name : {"payments", "kyc", "bonus", "technical", "responsible_gambling",
                             "complaint", "account", "other"}) {
        CHECK(to_string(parse_category(name)) == name);
    }
    CHECK(to_string(parse_assign_strategy("least_loaded")) == "least_loaded");
    CHECK(to_string(parse_message_kind("note")) == "note");
    try {
        (void)parse_channel("fax", "channel");
        FAIL("no exception");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "channel");
    }
    CHECK_THROWS_AS(parse_category("Payments"), ValidationError);
    CHECK_THROWS_AS(parse_assign_strategy("random"), ValidationError);
}
