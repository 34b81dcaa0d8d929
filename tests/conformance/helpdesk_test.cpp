// The help desk service, on the backend under test.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "pitboss/pitboss.hpp"
#include "support/test_backoffice.hpp"

using namespace pitboss;
using namespace pitboss::helpdesk;
using namespace std::chrono;
using pitboss::testing::audit_actions;
using pitboss::testing::events_of;
using pitboss::testing::fresh_backoffice;
using pitboss::testing::operator_in_role;
using pitboss::testing::TestBackoffice;

namespace {

PlayerId new_player(TestBackoffice& t, const std::string& external_id,
                    const std::string& language = "de") {
    players::NewPlayer p;
    p.external_id = external_id;
    p.email = external_id + "@example.com";
    p.country = "MT";
    p.birth_date = year(1990) / March / 4;
    p.currency = "EUR";
    p.language = language;
    return t.bo.players().register_player(t.admin, p).id;
}

NewTicket player_ticket(PlayerId player, Category category = Category::kPayments) {
    NewTicket n;
    n.player_id = player;
    n.channel = Channel::kEmail;
    n.subject = "Withdrawal pending";
    n.category = category;
    n.priority = Priority::kNormal;
    n.tags = {"vip", "withdrawal", "vip"};
    n.body = "My withdrawal has been pending for three days.";
    n.attachments = {{"screenshot.png", 48213, "image/png", "s3://tickets/abc"}};
    return n;
}

template <class F>
std::string validation_field(F&& f) {
    try {
        f();
    } catch (const ValidationError& e) {
        return e.field();
    }
    return "(no ValidationError)";
}

}  // namespace

TEST_CASE("helpdesk: open a player's ticket, with its first message, audit and event",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId player = new_player(t, "P-1");
    const Ticket ticket = hd.open_ticket(t.admin, player_ticket(player));
    CHECK(ticket.id.value() > 0);
    CHECK(ticket.player_id == player);
    CHECK(ticket.status == TicketStatus::kNew);
    CHECK(ticket.priority == Priority::kNormal);
    CHECK(ticket.category == Category::kPayments);
    CHECK(ticket.channel == Channel::kEmail);
    CHECK(ticket.tags == std::vector<std::string>{"vip", "withdrawal"});
    CHECK(ticket.created_at == t.clock->now());
    CHECK(hd.get_ticket(t.admin, ticket.id).subject == "Withdrawal pending");
    CHECK(hd.get_ticket(t.admin, ticket.id).tags == ticket.tags);

    const auto thread = hd.thread(t.admin, ticket.id);
    REQUIRE(thread.size() == 1);
    CHECK(thread[0].author_kind == AuthorKind::kPlayer);
    CHECK(thread[0].kind == MessageKind::kReply);
    CHECK(thread[0].attachments ==
          std::vector<Attachment>{{"screenshot.png", 48213, "image/png", "s3://tickets/abc"}});

    const auto opened = events_of(t, "ticket.opened");
    REQUIRE(opened.size() == 1);
    CHECK(opened[0].key == "ticket:" + ticket.id.to_string());
    CHECK(opened[0].payload.at("category") == "payments");
    CHECK(audit_actions(t).back() == "ticket.opened");
    CHECK(hd.get_ticket(t.admin, ticket.id).version == 1);
    CHECK_THROWS_AS(hd.get_ticket(t.admin, TicketId(999)), NotFoundError);
}

TEST_CASE("helpdesk: responsible gambling and complaints are raised to at least high",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId player = new_player(t, "P-1");
    NewTicket n = player_ticket(player, Category::kResponsibleGambling);
    n.priority = Priority::kLow;
    const Ticket rg = hd.open_ticket(t.admin, n);
    CHECK(rg.priority == Priority::kHigh);
    n.category = Category::kComplaint;
    n.priority = Priority::kUrgent;
    CHECK(hd.open_ticket(t.admin, n).priority == Priority::kUrgent);
    CHECK(validation_field([&] { (void)hd.set_priority(t.admin, rg.id, Priority::kNormal); }) ==
          "priority");
    const Ticket raised_ticket = hd.set_priority(t.admin, rg.id, Priority::kUrgent);
    CHECK(raised_ticket.priority == Priority::kUrgent);
    CHECK(raised_ticket.version == 2);
}

TEST_CASE("helpdesk: bad input is a ValidationError naming the field, nothing written",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId player = new_player(t, "P-1");
    const auto before = audit_actions(t).size();
    NewTicket n = player_ticket(player);
    n.player_id.reset();
    CHECK(validation_field([&] { (void)hd.open_ticket(t.admin, n); }) == "player_id");
    n.contact_email = "not-an-address";
    CHECK(validation_field([&] { (void)hd.open_ticket(t.admin, n); }) == "contact_email");
    n.contact_email.reset();
    n.contact_phone = "0035699";
    CHECK(validation_field([&] { (void)hd.open_ticket(t.admin, n); }) == "contact_phone");
    n = player_ticket(player);
    n.subject = "";
    CHECK(validation_field([&] { (void)hd.open_ticket(t.admin, n); }) == "subject");
    n = player_ticket(player);
    n.player_id = PlayerId(4242);
    CHECK(validation_field([&] { (void)hd.open_ticket(t.admin, n); }) == "player_id");
    n = player_ticket(player);
    n.queue = "nowhere";
    CHECK(validation_field([&] { (void)hd.open_ticket(t.admin, n); }) == "queue");
    n = player_ticket(player);
    n.attachments[0].content_type = "png";
    CHECK(validation_field([&] { (void)hd.open_ticket(t.admin, n); }) ==
          "attachments[0].content_type");
    CHECK(audit_actions(t).size() == before);
    CHECK(hd.list_tickets(t.admin, {}).empty());
}

TEST_CASE("helpdesk: the workflow through replies, pending, solve, reopen and close",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const Actor agent = operator_in_role(t, "alice", "support_agent");
    const PlayerId player = new_player(t, "P-1");
    const Ticket ticket = hd.open_ticket(agent, player_ticket(player));

    t.clock->advance(minutes(20));
    hd.reply(agent, ticket.id,
             {MessageKind::kNote, Channel::kInternal, "Checking the PSP", {}, {}});
    Ticket now = hd.get_ticket(agent, ticket.id);
    CHECK(now.status == TicketStatus::kNew);
    CHECK_FALSE(now.first_response_at.has_value());

    t.clock->advance(minutes(10));
    const auto reply = hd.reply(
        agent, ticket.id,
        {MessageKind::kReply, Channel::kEmail, "We are on it.", {}, TicketStatus::kPending});
    CHECK(reply.author_id == agent.id());
    CHECK(reply.author_name == "alice");
    now = hd.get_ticket(agent, ticket.id);
    CHECK(now.status == TicketStatus::kPending);
    CHECK(now.first_response_at == t.clock->now());

    t.clock->advance(hours(2));
    hd.add_player_message(agent, ticket.id, {Channel::kEmail, "Any news?", {}});
    CHECK(hd.get_ticket(agent, ticket.id).status == TicketStatus::kOpen);

    hd.set_status(agent, ticket.id, TicketStatus::kSolved);
    const Timestamp solved_at = t.clock->now();
    CHECK(hd.get_ticket(agent, ticket.id).solved_at == solved_at);

    // A reply within the (default 7-day) window reopens the ticket.
    t.clock->advance(days(6));
    hd.add_player_message(agent, ticket.id, {Channel::kLiveChat, "It bounced back", {}});
    CHECK(hd.get_ticket(agent, ticket.id).status == TicketStatus::kOpen);
    CHECK(events_of(t, "ticket.reopened").size() == 1);

    hd.set_status(agent, ticket.id, TicketStatus::kSolved);
    t.clock->advance(days(7) + milliseconds(1));
    CHECK_THROWS_AS(hd.add_player_message(agent, ticket.id, {Channel::kEmail, "Hello?", {}}),
                    PreconditionError);

    hd.set_status(agent, ticket.id, TicketStatus::kClosed);
    try {
        hd.set_status(agent, ticket.id, TicketStatus::kOpen);
        FAIL("no exception");
    } catch (const ConflictError& e) {
        CHECK(std::string(e.what()).find("from closed to open") != std::string::npos);
    }
    CHECK_THROWS_AS(
        hd.reply(agent, ticket.id, {MessageKind::kReply, Channel::kEmail, "late", {}, {}}),
        PreconditionError);
    const Ticket closed = hd.get_ticket(agent, ticket.id);
    CHECK(closed.status == TicketStatus::kClosed);
    CHECK(closed.closed_at == t.clock->now());

    const auto thread = hd.thread(agent, ticket.id);
    REQUIRE(thread.size() == 5);
    CHECK(thread[1].kind == MessageKind::kNote);
    CHECK(thread[3].author_kind == AuthorKind::kPlayer);
    const auto moves = events_of(t, "ticket.status_changed");
    REQUIRE(moves.size() == 6);  // pending, open, solved, open, solved, closed
    CHECK(moves[0].payload.at("from") == "new");
    CHECK(moves[0].payload.at("to") == "pending");
    CHECK(moves.back().payload.at("to") == "closed");
}

TEST_CASE("helpdesk: the reopen window is a setting", "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    CHECK(hd.reopen_window(t.admin) == days(7));
    hd.set_reopen_window(t.admin, hours(1));
    CHECK(hd.reopen_window(t.admin) == hours(1));
    CHECK(validation_field([&] { hd.set_reopen_window(t.admin, days(400)); }) == "reopen_window");
    const PlayerId player = new_player(t, "P-1");
    const Ticket ticket = hd.open_ticket(t.admin, player_ticket(player));
    hd.set_status(t.admin, ticket.id, TicketStatus::kSolved);
    t.clock->advance(hours(1) + milliseconds(1));
    CHECK_THROWS_AS(hd.add_player_message(t.admin, ticket.id, {Channel::kEmail, "again", {}}),
                    PreconditionError);
    const Actor agent = operator_in_role(t, "alice", "support_agent");
    CHECK_THROWS_AS(hd.set_reopen_window(agent, hours(2)), AccessDenied);
}

TEST_CASE("helpdesk: compliance reads responsible-gambling and complaint tickets only",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId player = new_player(t, "P-1");
    const Ticket payments = hd.open_ticket(t.admin, player_ticket(player, Category::kPayments));
    const Ticket rg =
        hd.open_ticket(t.admin, player_ticket(player, Category::kResponsibleGambling));
    const Ticket complaint = hd.open_ticket(t.admin, player_ticket(player, Category::kComplaint));
    const Actor compliance = operator_in_role(t, "carol", "compliance_officer");
    CHECK(hd.get_ticket(compliance, rg.id).id == rg.id);
    CHECK_THROWS_AS(hd.get_ticket(compliance, payments.id), AccessDenied);
    CHECK_THROWS_AS(hd.thread(compliance, payments.id), AccessDenied);
    CHECK(audit_actions(t).back() == "access.denied");
    TicketFilter filter;
    filter.limit = 1;
    std::vector<TicketId> seen;
    for (;;) {
        const auto page = hd.list_tickets(compliance, filter);
        if (page.empty()) break;
        for (const auto& tk : page) seen.push_back(tk.id);
        filter.after = page.back().id;
    }
    CHECK(seen == std::vector<TicketId>{rg.id, complaint.id});
    CHECK_THROWS_AS(
        hd.reply(compliance, rg.id, {MessageKind::kNote, Channel::kInternal, "x", {}, {}}),
        AccessDenied);
    CHECK(hd.list_tickets(t.admin, {}).size() == 3);

    const Actor marketer = operator_in_role(t, "mark", "marketer");
    CHECK_THROWS_AS(hd.list_tickets(marketer, {}), AccessDenied);
    CHECK_THROWS_AS(hd.open_ticket(marketer, player_ticket(player)), AccessDenied);
}

TEST_CASE("helpdesk: list filters by status, category, player and open tickets", "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId p1 = new_player(t, "P-1");
    const PlayerId p2 = new_player(t, "P-2");
    const Ticket a = hd.open_ticket(t.admin, player_ticket(p1, Category::kBonus));
    const Ticket b = hd.open_ticket(t.admin, player_ticket(p2, Category::kKyc));
    hd.set_status(t.admin, b.id, TicketStatus::kSolved);
    TicketFilter f;
    f.player_id = p2;
    REQUIRE(hd.list_tickets(t.admin, f).size() == 1);
    f = {};
    f.open_only = true;
    REQUIRE(hd.list_tickets(t.admin, f).size() == 1);
    CHECK(hd.list_tickets(t.admin, f)[0].id == a.id);
    f = {};
    f.category = Category::kKyc;
    f.status = TicketStatus::kSolved;
    CHECK(hd.list_tickets(t.admin, f).size() == 1);
    f.limit = 0;
    CHECK(validation_field([&] { (void)hd.list_tickets(t.admin, f); }) == "limit");
}

TEST_CASE("helpdesk: an unknown contact's ticket is linked to a player later", "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    NewTicket n;
    n.contact_email = "someone@example.org";
    n.channel = Channel::kWebForm;
    n.subject = "Cannot log in";
    n.category = Category::kAccount;
    n.body = "I forgot which e-mail I used.";
    const Ticket ticket = hd.open_ticket(t.admin, n);
    CHECK_FALSE(ticket.player_id.has_value());
    CHECK(ticket.contact_email == "someone@example.org");
    hd.reply(t.admin, ticket.id, {MessageKind::kReply, Channel::kEmail, "Which country?", {}, {}});
    hd.reply(t.admin, ticket.id, {MessageKind::kNote, Channel::kInternal, "probably P-9", {}, {}});
    const PlayerId player = new_player(t, "P-9");
    CHECK(hd.timeline(t.admin, player).empty());
    const Ticket linked = hd.link_player(t.admin, ticket.id, player);
    CHECK(linked.player_id == player);
    const auto timeline = hd.timeline(t.admin, player);
    REQUIRE(timeline.size() == 2);  // the note stays internal
    CHECK(timeline[0].direction == "outbound");
    CHECK(timeline[1].direction == "inbound");
    CHECK(events_of(t, "ticket.player_linked").size() == 1);
    CHECK_THROWS_AS(hd.link_player(t.admin, ticket.id, player), ConflictError);
    CHECK_THROWS_AS(hd.link_player(t.admin, ticket.id, PlayerId(777)), NotFoundError);
}

TEST_CASE("helpdesk: the player's timeline is newest first and paged", "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId player = new_player(t, "P-1");
    const PlayerId other = new_player(t, "P-2");
    const Ticket first = hd.open_ticket(t.admin, player_ticket(player));
    (void)hd.open_ticket(t.admin, player_ticket(other));
    for (int i = 0; i < 4; ++i) {
        t.clock->advance(minutes(5));
        hd.reply(t.admin, first.id,
                 {MessageKind::kReply, Channel::kEmail, "reply " + std::to_string(i), {}, {}});
    }
    t.clock->advance(minutes(5));
    const Ticket second = hd.open_ticket(t.admin, player_ticket(player, Category::kBonus));
    const auto all = hd.timeline(t.admin, player, 0, 100);
    REQUIRE(all.size() == 6);
    CHECK(all[0].ref.rfind("ticket:" + second.id.to_string() + "/message:", 0) == 0);
    CHECK(all[1].summary == "reply 3");
    CHECK(all[5].direction == "inbound");
    for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].at >= all[i].at);
    const auto page = hd.timeline(t.admin, player, 2, 2);
    REQUIRE(page.size() == 2);
    CHECK(page[0].id == all[2].id);
    CHECK(page[1].id == all[3].id);
    CHECK(validation_field([&] { (void)hd.timeline(t.admin, player, 0, 0); }) == "limit");
    const Actor compliance = operator_in_role(t, "carol", "compliance_officer");
    CHECK_THROWS_AS(hd.timeline(compliance, player), AccessDenied);
}

TEST_CASE("helpdesk: round-robin and least-loaded assignment among online skilled agents",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const Actor a1 = operator_in_role(t, "agent1", "support_agent");
    const Actor a2 = operator_in_role(t, "agent2", "support_agent");
    const Actor a3 = operator_in_role(t, "agent3", "support_agent");
    hd.save_queue(t.admin, {"payments", "payments", AssignStrategy::kRoundRobin});
    hd.save_agent(t.admin, a1.id(), {"payments"});
    hd.save_agent(t.admin, a2.id(), {"payments", "kyc"});
    hd.save_agent(t.admin, a3.id(), {"kyc"});
    for (const Actor& a : {a1, a2, a3}) hd.set_online(a, a.id(), true);
    CHECK_THROWS_AS(hd.set_online(a1, a2.id(), false), AccessDenied);

    const PlayerId player = new_player(t, "P-1");
    NewTicket n = player_ticket(player);
    n.queue = "payments";
    std::vector<OperatorId> picked;
    for (int i = 0; i < 3; ++i) {
        const Ticket tk = hd.open_ticket(t.admin, n);
        picked.push_back(*hd.auto_assign(t.admin, tk.id).assignee);
    }
    CHECK(picked == std::vector<OperatorId>{a1.id(), a2.id(), a1.id()});

    hd.set_online(a1, a1.id(), false);
    const Ticket next = hd.open_ticket(t.admin, n);
    CHECK(hd.auto_assign(t.admin, next.id).assignee == a2.id());

    // Least loaded: a1 holds 2 open tickets, a2 holds 2; solve one of a2's.
    hd.save_queue(t.admin, {"payments", "payments", AssignStrategy::kLeastLoaded});
    hd.set_online(a1, a1.id(), true);
    hd.set_status(t.admin, next.id, TicketStatus::kSolved);
    const Ticket ll = hd.open_ticket(t.admin, n);
    CHECK(hd.auto_assign(t.admin, ll.id).assignee == a2.id());

    const auto history = hd.assignment_history(t.admin, ll.id);
    REQUIRE(history.size() == 2);
    CHECK(history[0].reason == "opened");
    CHECK(history[0].to_queue == "payments");
    CHECK(history[1].reason == "auto:least_loaded");
    CHECK(history[1].to_agent == a2.id());
    CHECK(history[1].actor == "system:bootstrap");

    // Nobody online with the skill: a precondition failure, nothing changes.
    for (const Actor& a : {a1, a2}) hd.set_online(a, a.id(), false);
    const Ticket stuck = hd.open_ticket(t.admin, n);
    CHECK_THROWS_AS(hd.auto_assign(t.admin, stuck.id), PreconditionError);
    CHECK_FALSE(hd.get_ticket(t.admin, stuck.id).assignee.has_value());
    const Ticket no_queue = hd.open_ticket(t.admin, player_ticket(player));
    CHECK_THROWS_AS(hd.auto_assign(t.admin, no_queue.id), PreconditionError);

    // Manual reassignment to another agent and queue, recorded.
    hd.save_queue(t.admin, {"kyc", "kyc", AssignStrategy::kRoundRobin});
    const Ticket moved = hd.assign(t.admin, stuck.id, {std::string("kyc"), a3.id()});
    CHECK(moved.queue == "kyc");
    CHECK(moved.assignee == a3.id());
    CHECK(hd.assignment_history(t.admin, stuck.id).back().from_queue == "payments");
    CHECK(validation_field([&] {
              (void)hd.assign(t.admin, stuck.id, {{}, OperatorId(999)});
          }) == "agent");
    CHECK(events_of(t, "ticket.assigned").size() == 6);
    const auto agents = hd.agents(t.admin);
    REQUIRE(agents.size() == 3);
    CHECK(agents[1].skills == std::vector<std::string>{"kyc", "payments"});
    CHECK(hd.queues(t.admin).size() == 2);
}

TEST_CASE("helpdesk: reply templates check placeholders at save time and render per language",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    CHECK(validation_field([&] {
              (void)hd.save_template(t.admin, {"greeting", "en", "Hi {{player.nickname}}", {}});
          }) == "body");
    CHECK(validation_field([&] {
              (void)hd.save_template(t.admin, {"greeting", "english", "Hi", {}});
          }) == "language");
    hd.save_template(t.admin,
                     {"greeting", "en", "Hello {{player.external_id}}, ticket {{ticket.id}}", {}});
    hd.save_template(t.admin,
                     {"greeting", "de", "Hallo {{player.external_id}}, Ticket {{ticket.id}}", {}});
    CHECK(hd.template_variants(t.admin, "greeting").size() == 2);
    const PlayerId german = new_player(t, "P-DE", "de");
    const PlayerId maltese = new_player(t, "P-MT", "mt");
    const Ticket de = hd.open_ticket(t.admin, player_ticket(german));
    const Ticket mt = hd.open_ticket(t.admin, player_ticket(maltese));
    CHECK(hd.render_reply(t.admin, "greeting", de.id) == "Hallo P-DE, Ticket " + de.id.to_string());
    CHECK(hd.render_reply(t.admin, "greeting", mt.id) == "Hello P-MT, ticket " + mt.id.to_string());
    CHECK_THROWS_AS(hd.render_reply(t.admin, "missing", mt.id), NotFoundError);
    NewTicket contact;
    contact.contact_phone = "+35699123456";
    contact.subject = "Call me";
    const Ticket anonymous = hd.open_ticket(t.admin, contact);
    CHECK(validation_field([&] { (void)hd.render_reply(t.admin, "greeting", anonymous.id); }) ==
          "player.external_id");
}

namespace {

SlaPolicy test_policy() {
    SlaRule normal;
    normal.name = "normal";
    normal.priority = Priority::kNormal;
    normal.targets.first_response = hours(1);
    normal.targets.resolution = hours(8);
    normal.business_hours = false;
    normal.on_breach.raise_priority = true;
    normal.on_breach.reassign_queue = "supervisors";
    SlaRule high = normal;
    high.name = "high";
    high.priority = Priority::kHigh;
    high.on_breach = {};
    SlaPolicy policy;
    policy.name = "standard";
    policy.calendar = "default";
    policy.rules = {normal, high};
    return policy;
}

}  // namespace

TEST_CASE("helpdesk: SLA from stored history, breach sweep once, escalation", "[helpdesk][sla]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId player = new_player(t, "P-1");
    const Ticket ticket = hd.open_ticket(t.admin, player_ticket(player));
    CHECK_FALSE(hd.sla(t.admin, ticket.id).has_value());
    CHECK(hd.check_sla_breaches(t.admin).checked == 0);

    CHECK(validation_field([&] { hd.save_sla_policy(t.admin, test_policy()); }) ==
          "rules[0].on_breach.reassign_queue");
    hd.save_queue(t.admin, {"supervisors", "supervision", AssignStrategy::kRoundRobin});
    SlaPolicy bad = test_policy();
    bad.calendar = "malta";
    CHECK(validation_field([&] { hd.save_sla_policy(t.admin, bad); }) == "calendar");
    hd.save_sla_policy(t.admin, test_policy());
    hd.activate_sla_policy(t.admin, "standard");
    CHECK(hd.active_sla_policy(t.admin) == test_policy());

    t.clock->advance(minutes(50));
    auto status = hd.sla(t.admin, ticket.id);
    REQUIRE(status.has_value());
    CHECK(status->first_response.state == SlaState::kRunning);
    CHECK(status->first_response.approaching);
    auto report = hd.check_sla_breaches(t.admin);
    CHECK(report.checked == 1);
    CHECK(report.approaching == 1);  // first response at 50 of 60 min; resolution at 50 of 480
    CHECK(report.breached == 0);
    CHECK(hd.check_sla_breaches(t.admin).approaching == 0);

    t.clock->advance(minutes(11));
    report = hd.check_sla_breaches(t.admin);
    CHECK(report.breached == 1);
    CHECK(report.escalated == 1);
    const Ticket escalated = hd.get_ticket(t.admin, ticket.id);
    CHECK(escalated.priority == Priority::kHigh);
    CHECK(escalated.queue == "supervisors");
    CHECK_FALSE(escalated.assignee.has_value());
    CHECK(hd.assignment_history(t.admin, ticket.id).back().reason == "sla_escalation");
    const auto breached = events_of(t, "ticket.sla_breached");
    REQUIRE(breached.size() == 1);
    CHECK(breached[0].payload.at("metric") == "first_response");
    CHECK(events_of(t, "ticket.sla_escalated").size() == 1);
    const auto actions = audit_actions(t);
    CHECK(std::count(actions.begin(), actions.end(), "ticket.sla_escalated") == 1);

    // Sweeping again emits nothing new; the high rule keeps the same breached clock.
    t.clock->advance(minutes(5));
    report = hd.check_sla_breaches(t.admin);
    CHECK(report.breached == 0);
    CHECK(report.escalated == 0);
    CHECK(events_of(t, "ticket.sla_breached").size() == 1);

    const auto many = hd.sla_many(t.admin);
    REQUIRE(many.size() == 1);
    CHECK(many[0].ticket_id == ticket.id);
    CHECK(many[0].status.first_response.state == SlaState::kBreached);

    // A reply fulfils first response; solving takes the ticket out of the sweep.
    hd.reply(t.admin, ticket.id, {MessageKind::kReply, Channel::kEmail, "Sorry!", {}, {}});
    hd.set_status(t.admin, ticket.id, TicketStatus::kSolved);
    CHECK(hd.sla_many(t.admin).empty());
    CHECK(hd.check_sla_breaches(t.admin).checked == 0);
}

TEST_CASE("helpdesk: the SLA clock pauses while pending", "[helpdesk][sla]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    hd.save_queue(t.admin, {"supervisors", "supervision", AssignStrategy::kRoundRobin});
    hd.save_sla_policy(t.admin, test_policy());
    hd.activate_sla_policy(t.admin, "standard");
    const PlayerId player = new_player(t, "P-1");
    const Ticket ticket = hd.open_ticket(t.admin, player_ticket(player));
    t.clock->advance(minutes(30));
    hd.reply(t.admin, ticket.id,
             {MessageKind::kReply,
              Channel::kEmail,
              "Please send a document",
              {},
              TicketStatus::kPending});
    t.clock->advance(hours(20));
    auto status = hd.sla(t.admin, ticket.id);
    REQUIRE(status.has_value());
    CHECK(status->paused);
    CHECK(status->first_response.state == SlaState::kMet);
    CHECK(status->resolution.elapsed == minutes(30));
    hd.add_player_message(t.admin, ticket.id, {Channel::kEmail, "Here it is", {}});
    t.clock->advance(minutes(30));
    status = hd.sla(t.admin, ticket.id);
    CHECK_FALSE(status->paused);
    CHECK(status->resolution.elapsed == hours(1));
    CHECK(hd.check_sla_breaches(t.admin).breached == 0);
}

TEST_CASE("helpdesk: calendars are stored as data and validated", "[helpdesk][sla]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    CalendarSpec spec;
    spec.time_zone = "Europe/Malta";
    for (std::size_t d = 0; d < 5; ++d) spec.weekly_hours[d] = {{hours(9), hours(17)}};
    spec.holidays = {year(2026) / December / 25};
    hd.save_calendar(t.admin, "malta", spec);
    CHECK(hd.find_calendar(t.admin, "malta") == BusinessCalendar(spec).spec());
    CHECK_FALSE(hd.find_calendar(t.admin, "toronto").has_value());
    CalendarSpec bad = spec;
    bad.time_zone = "Mars/Olympus";
    CHECK(validation_field([&] { hd.save_calendar(t.admin, "mars", bad); }) == "time_zone");
    const Actor agent = operator_in_role(t, "alice", "support_agent");
    CHECK_THROWS_AS(hd.save_calendar(agent, "malta", spec), AccessDenied);
}

TEST_CASE("helpdesk: queue KPIs over stored tickets", "[helpdesk][kpi]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    const PlayerId player = new_player(t, "P-1");
    const Ticket a = hd.open_ticket(t.admin, player_ticket(player));
    NewTicket chat = player_ticket(player, Category::kComplaint);
    chat.channel = Channel::kLiveChat;
    const Ticket b = hd.open_ticket(t.admin, chat);
    t.clock->advance(minutes(10));
    hd.reply(t.admin, a.id, {MessageKind::kReply, Channel::kEmail, "ok", {}, {}});
    t.clock->advance(minutes(50));
    hd.set_status(t.admin, a.id, TicketStatus::kSolved);
    const QueueKpis kpis = hd.queue_kpis(t.admin);
    CHECK(kpis.total == 2);
    CHECK(kpis.open == 1);
    CHECK(kpis.open_by_channel.at(Channel::kLiveChat) == 1);
    CHECK(kpis.open_by_priority.at(Priority::kHigh) == 1);
    CHECK(kpis.first_response.median == minutes(10));
    CHECK(kpis.resolution.median == hours(1));
    CHECK(kpis.oldest_open == hours(1));
    CHECK_FALSE(kpis.sla_compliance_percent.has_value());
    (void)b;
    CHECK(hd.queue_kpis(t.admin, std::string("nobody")).total == 0);
}

TEST_CASE("helpdesk: a country-scoped agent works the tickets of their countries' players",
          "[helpdesk]") {
    TestBackoffice t = fresh_backoffice();
    auto& hd = t.bo.helpdesk();
    auto& access = t.bo.access();
    const auto op = access.create_operator(t.admin, {"dach", "DACH agent"});
    access.assign_role(t.admin, op.id, "support_agent",
                       access::Condition::parse(R"({"country": {"in": ["DE", "AT"]}})"));
    const Actor dach = access.operator_actor(op.id);
    players::NewPlayer p;
    p.external_id = "P-DE";
    p.country = "DE";
    p.birth_date = year(1990) / March / 4;
    p.currency = "EUR";
    const PlayerId german = t.bo.players().register_player(t.admin, p).id;
    const PlayerId maltese = new_player(t, "P-MT");
    const Ticket own = hd.open_ticket(dach, player_ticket(german));
    CHECK_THROWS_AS(hd.open_ticket(dach, player_ticket(maltese)), AccessDenied);
    const Ticket other = hd.open_ticket(t.admin, player_ticket(maltese));
    CHECK_NOTHROW(hd.reply(dach, own.id, {MessageKind::kReply, Channel::kEmail, "hi", {}, {}}));
    CHECK_THROWS_AS(hd.get_ticket(dach, other.id), AccessDenied);
    const auto visible = hd.list_tickets(dach, {});
    REQUIRE(visible.size() == 1);
    CHECK(visible[0].id == own.id);
}
