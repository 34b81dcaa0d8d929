// The demo's help-desk traffic: queues, agents, a business-hours SLA policy, tickets from the
// players over a day and a half, replies, solves, and a breach sweep at the end.

#include "cli/demo_helpdesk.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pitboss/access/access_control.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/helpdesk/helpdesk.hpp"

namespace pitboss::cli {
namespace {

using namespace helpdesk;
using std::chrono::hours;
using std::chrono::minutes;

struct DemoSubject {
    Category category;
    std::string_view subject;
    std::string_view body;
};

constexpr std::array<DemoSubject, 8> kSubjects = {{
    {Category::kPayments, "Withdrawal still pending", "My withdrawal has been pending for days."},
    {Category::kPayments, "Deposit not credited", "I deposited but my balance did not change."},
    {Category::kKyc, "Documents rejected", "Why was my proof of address rejected?"},
    {Category::kBonus, "Free spins missing", "The free spins from the promotion are missing."},
    {Category::kTechnical, "Game freezes", "The live roulette freezes after a few rounds."},
    {Category::kAccount, "Change my e-mail", "Please change the e-mail address of my account."},
    {Category::kComplaint, "Unfair game result", "I want to complain about a blackjack hand."},
    {Category::kResponsibleGambling, "Please limit my deposits",
     "I would like a deposit limit of 100 per week."},
}};

constexpr std::array<int, 8> kSubjectWeights = {6, 4, 3, 3, 2, 2, 1, 1};

struct DemoQueue {
    std::string_view name;
    std::string_view skill;
    AssignStrategy strategy;
};

constexpr std::array<DemoQueue, 3> kQueues = {{
    {"payments", "payments", AssignStrategy::kLeastLoaded},
    {"general", "general", AssignStrategy::kRoundRobin},
    {"supervisors", "supervision", AssignStrategy::kRoundRobin},
}};

constexpr std::array<Channel, 4> kChannels = {Channel::kLiveChat, Channel::kEmail,
                                              Channel::kWebForm, Channel::kPhone};

enum class ActionKind { kOpen, kReply, kPlayerAnswer, kFollowUp, kSolve, kReopen };

// One step of one planned ticket, replayed in time order.
struct Action {
    Timestamp at;
    std::size_t ticket = 0;
    int step = 0;
    ActionKind kind = ActionKind::kOpen;
};

// What the random draws decided for one ticket.
struct PlannedTicket {
    std::size_t player = 0;
    const DemoSubject* subject = nullptr;
    Channel channel = Channel::kEmail;
    bool high = false;
    bool ask_player = false;
    std::optional<std::int64_t> attachment_size;
    TicketId id;
};

std::string queue_of(Category category) {
    return category == Category::kPayments || category == Category::kKyc ? "payments" : "general";
}

SlaPolicy demo_policy() {
    SlaPolicy policy;
    policy.name = "standard";
    policy.calendar = "malta";
    const std::array<std::pair<Priority, int>, 4> first_response_minutes = {
        {{Priority::kLow, 480},
         {Priority::kNormal, 240},
         {Priority::kHigh, 60},
         {Priority::kUrgent, 30}}};
    for (const auto& [priority, target] : first_response_minutes) {
        SlaRule rule;
        rule.name = std::string(to_string(priority));
        rule.priority = priority;
        rule.targets.first_response = minutes(target);
        rule.targets.next_response = minutes(target * 2);
        rule.targets.resolution = minutes(target * 8);
        // Urgent and high tickets (responsible gambling, complaints) count around the clock.
        rule.business_hours = priority == Priority::kLow || priority == Priority::kNormal;
        rule.on_breach.raise_priority = priority != Priority::kUrgent;
        rule.on_breach.reassign_queue = "supervisors";
        policy.rules.push_back(rule);
    }
    return policy;
}

CalendarSpec malta_hours() {
    CalendarSpec spec;
    spec.time_zone = "Europe/Malta";
    for (std::size_t day = 0; day < 5; ++day) spec.weekly_hours[day] = {{hours(8), hours(20)}};
    spec.weekly_hours[5] = {{hours(10), hours(16)}};
    return spec;
}

}  // namespace

void run_demo_tickets(DemoContext& ctx) {
    ctx.advance_to(ctx.at(982));
    auto& hd = ctx.bo.helpdesk();
    const Actor& lead = ctx.operator_named("alice");
    const Actor& desk = ctx.operator_named("bruno");
    for (const DemoQueue& q : kQueues) {
        hd.save_queue(lead, {std::string(q.name), std::string(q.skill), q.strategy});
    }
    const std::array<std::pair<std::string_view, std::vector<std::string>>, 4> agents = {{
        {"carla", {"payments", "general"}},
        {"dario", {"payments", "general"}},
        {"eeva", {"general"}},
        {"bruno", {"supervision", "payments"}},
    }};
    for (const auto& [name, skills] : agents) {
        const Actor& agent = ctx.operator_named(std::string(name));
        hd.save_agent(lead, agent.id(), skills);
        hd.set_online(lead, agent.id(), true);
    }
    hd.save_calendar(lead, "malta", malta_hours());
    hd.save_sla_policy(lead, demo_policy());
    hd.activate_sla_policy(lead, "standard");
    hd.save_template(lead, {"greeting",
                            "en",
                            "Hello {{player.external_id}}, thank you for contacting us about "
                            "ticket {{ticket.id}}. {{agent.name}}",
                            {}});
    hd.save_template(lead, {"greeting",
                            "de",
                            "Hallo {{player.external_id}}, danke für Ihre Nachricht zu Ticket "
                            "{{ticket.id}}. {{agent.name}}",
                            {}});

    // Plan every ticket's life first (all random draws in a fixed order), then replay the
    // actions of all tickets in time order, so the clock only moves forward and the traffic
    // ends well before the platform events step.
    const auto count =
        static_cast<std::size_t>(std::clamp<std::int64_t>(ctx.options.players / 8, 8, 120));
    const Timestamp first = ctx.at(982);
    const Duration gap = (ctx.at(992) - first) / static_cast<std::int64_t>(count);
    std::vector<PlannedTicket> plans(count);
    std::vector<Action> actions;
    for (std::size_t i = 0; i < count; ++i) {
        PlannedTicket& plan = plans[i];
        plan.player = ctx.random.below(ctx.players.size());
        plan.subject = &kSubjects[ctx.random.weighted(kSubjectWeights)];
        plan.channel = kChannels[ctx.random.below(kChannels.size())];
        plan.high = ctx.random.chance(0.15);
        if (ctx.random.chance(0.2)) plan.attachment_size = ctx.random.between(20'000, 900'000);
        Timestamp at = first + gap * static_cast<std::int64_t>(i);
        int step = 0;
        actions.push_back({at, i, step++, ActionKind::kOpen});
        // Most tickets get an answer within minutes; some wait past their target.
        if (ctx.random.chance(0.1)) continue;
        at += minutes(ctx.random.between(2, 45));
        plan.ask_player = ctx.random.chance(0.4);
        actions.push_back({at, i, step++, ActionKind::kReply});
        if (plan.ask_player) {
            at += minutes(ctx.random.between(10, 120));
            actions.push_back({at, i, step++, ActionKind::kPlayerAnswer});
            if (ctx.random.chance(0.8)) {
                at += minutes(ctx.random.between(5, 90));
                actions.push_back({at, i, step++, ActionKind::kFollowUp});
            }
        }
        if (!ctx.random.chance(0.7)) continue;
        at += minutes(ctx.random.between(5, 60));
        actions.push_back({at, i, step++, ActionKind::kSolve});
        if (!ctx.random.chance(0.15)) continue;
        at += minutes(ctx.random.between(30, 240));
        actions.push_back({at, i, step++, ActionKind::kReopen});
    }
    std::sort(actions.begin(), actions.end(), [](const Action& a, const Action& b) {
        if (a.at != b.at) return a.at < b.at;
        return a.ticket != b.ticket ? a.ticket < b.ticket : a.step < b.step;
    });
    int opened = 0, replied = 0, solved = 0, reopened = 0;
    for (const Action& action : actions) {
        ctx.advance_to(action.at);
        PlannedTicket& plan = plans[action.ticket];
        switch (action.kind) {
            case ActionKind::kOpen: {
                NewTicket input;
                input.player_id = ctx.players[plan.player].id;
                input.channel = plan.channel;
                input.subject = std::string(plan.subject->subject);
                input.category = plan.subject->category;
                input.priority = plan.high ? Priority::kHigh : Priority::kNormal;
                input.body = std::string(plan.subject->body);
                input.queue = queue_of(plan.subject->category);
                if (plan.attachment_size) {
                    input.attachments = {{"screenshot.png", *plan.attachment_size, "image/png",
                                          "demo://attachments/" + std::to_string(action.ticket)}};
                }
                plan.id = hd.open_ticket(desk, input).id;
                ++opened;
                try {
                    (void)hd.auto_assign(desk, plan.id);
                } catch (const PreconditionError&) {
                    // Nobody online with the skill: the ticket waits in its queue.
                }
                break;
            }
            case ActionKind::kReply:
                hd.reply(desk, plan.id,
                         {MessageKind::kReply,
                          plan.channel,
                          hd.render_reply(desk, "greeting", plan.id),
                          {},
                          plan.ask_player ? std::optional(TicketStatus::kPending) : std::nullopt});
                ++replied;
                break;
            case ActionKind::kPlayerAnswer:
                hd.add_player_message(desk, plan.id,
                                      {plan.channel, "Here is the information you asked for.", {}});
                break;
            case ActionKind::kFollowUp:
                hd.reply(desk, plan.id,
                         {MessageKind::kReply,
                          plan.channel,
                          "Thank you, we are checking it now.",
                          {},
                          std::nullopt});
                break;
            case ActionKind::kSolve:
                hd.set_status(desk, plan.id, TicketStatus::kSolved);
                ++solved;
                break;
            case ActionKind::kReopen:
                hd.add_player_message(desk, plan.id,
                                      {plan.channel, "It happened again, please help.", {}});
                ++reopened;
                break;
        }
    }
    const int unanswered = opened - replied;
    ctx.advance_to(ctx.at(998));
    const SlaSweepReport sweep = hd.check_sla_breaches(lead);
    ctx.note("tickets", std::to_string(opened) + " tickets (" + std::to_string(replied) +
                            " answered, " + std::to_string(solved) + " solved, " +
                            std::to_string(reopened) + " reopened, " + std::to_string(unanswered) +
                            " unanswered); SLA sweep: " + std::to_string(sweep.breached) +
                            " breaches, " + std::to_string(sweep.approaching) + " approaching, " +
                            std::to_string(sweep.escalated) + " escalated");
}

}  // namespace pitboss::cli
