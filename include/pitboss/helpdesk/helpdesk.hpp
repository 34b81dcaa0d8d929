#pragma once
/// @file
/// The help-desk service: tickets, their thread, workflow, assignment, the per-player
/// communication timeline and reply templates. Every call is authorised, validated, audited
/// and (for changes) emits outbox events, in one transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/helpdesk/calendar.hpp"
#include "pitboss/helpdesk/kpi.hpp"
#include "pitboss/helpdesk/sla.hpp"
#include "pitboss/helpdesk/templates.hpp"
#include "pitboss/helpdesk/ticket.hpp"
#include "pitboss/helpdesk/workflow.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::storage {
class Database;
}
namespace pitboss::audit {
class AuditLog;
}
namespace pitboss::transport {
class Outbox;
}
namespace pitboss::access {
class AccessControl;
}

namespace pitboss::helpdesk {

/// A queue (group) of tickets, served by the online agents holding its skill.
struct Queue {
    std::string name;   ///< 1-64 of [a-z0-9._-], e.g. "payments"
    std::string skill;  ///< skill an agent needs, same syntax, e.g. "payments"
    AssignStrategy strategy = AssignStrategy::kRoundRobin;  ///< how auto-assignment picks
};

/// An operator working the help desk.
struct Agent {
    OperatorId id;                    ///< the operator
    std::vector<std::string> skills;  ///< sorted, unique
    bool online = false;              ///< available for auto-assignment
};

/// One change of a ticket's queue or agent.
struct AssignmentChange {
    std::int64_t id = 0;                    ///< increasing
    TicketId ticket_id;                     ///< the ticket
    std::optional<std::string> from_queue;  ///< queue before
    std::optional<std::string> to_queue;    ///< queue after
    std::optional<OperatorId> from_agent;   ///< agent before
    std::optional<OperatorId> to_agent;     ///< agent after
    std::string actor;                      ///< Actor::label() of who changed it
    std::string reason;                     ///< "manual", "auto:round_robin", "sla_escalation"...
    Timestamp at;                           ///< when (UTC)
};

/// What to assign: an agent, a queue, or both (empty fields keep their value).
struct Assignment {
    std::optional<std::string> queue;  ///< move to this queue
    std::optional<OperatorId> agent;   ///< give to this agent (must be a help-desk agent)
};

/// One entry of a player's communication timeline.
struct Communication {
    std::int64_t id = 0;    ///< increasing
    PlayerId player_id;     ///< whose timeline
    std::string kind;       ///< "ticket_message" (later "marketing" from campaigns)
    std::string channel;    ///< channel name, e.g. "email"
    std::string direction;  ///< "inbound" (from the player) or "outbound"
    std::string summary;    ///< first 200 characters of the text
    std::string ref;        ///< what it points at, e.g. "ticket:7/message:31"
    Timestamp at;           ///< when it was sent or received (UTC)
};

/// The SLA of one ticket.
struct TicketSla {
    TicketId ticket_id;  ///< the ticket
    SlaStatus status;    ///< its targets as of the clock's now
};

/// What one check_sla_breaches sweep did.
struct SlaSweepReport {
    std::size_t checked = 0;      ///< open tickets computed
    std::size_t breached = 0;     ///< "ticket.sla_breached" events emitted
    std::size_t approaching = 0;  ///< "ticket.sla_approaching" events emitted
    std::size_t escalated = 0;    ///< tickets whose priority or queue the escalation changed
};

/// The help-desk service. Thread-safe.
///
/// Permissions: `helpdesk.read` (tickets, threads, timelines), `helpdesk.write` (open, reply,
/// move, assign), `helpdesk.admin` (queues, agents, templates, settings). Ticket checks carry
/// the attributes `category` and `priority`, so a grant can be limited to some categories:
/// the seeded compliance_officer role reads responsible-gambling and complaint tickets only.
class HelpdeskService {
public:
    /// Wires the service to shared infrastructure; every reference must outlive it.
    HelpdeskService(storage::Database& db, const Clock& clock, access::AccessControl& access,
                    audit::AuditLog& audit, const transport::Outbox& outbox);

    /// Opens a ticket (`helpdesk.write`) for a player or an unknown contact (email or phone
    /// needed then). Responsible-gambling and complaint tickets are raised to at least high.
    /// A body becomes the first message, from the player. Emits "ticket.opened".
    Ticket open_ticket(const Actor& actor, const NewTicket& input);
    /// One ticket (`helpdesk.read`); NotFoundError when absent.
    [[nodiscard]] Ticket get_ticket(const Actor& actor, TicketId id) const;
    /// A page of tickets ordered by id (`helpdesk.read`); tickets outside the actor's grants
    /// are left out.
    [[nodiscard]] std::vector<Ticket> list_tickets(const Actor& actor,
                                                   const TicketFilter& filter) const;
    /// The whole thread, oldest first (`helpdesk.read`).
    [[nodiscard]] std::vector<TicketMessage> thread(const Actor& actor, TicketId id) const;

    /// An operator's public reply or internal note (`helpdesk.write`). The first public reply
    /// sets first_response_at; a reply may move the ticket (see NewReply::status). Emits
    /// "ticket.replied" or "ticket.noted" (and "ticket.status_changed" when it moves).
    TicketMessage reply(const Actor& actor, TicketId id, const NewReply& input);
    /// Records a message from the requester (`helpdesk.write`, e.g. a mail integration). A
    /// pending ticket opens again; a solved one reopens within the reopen window; a closed one,
    /// or one solved longer ago, refuses it (PreconditionError: open a new ticket).
    /// Emits "ticket.player_replied" (and "ticket.reopened" / "ticket.status_changed").
    TicketMessage add_player_message(const Actor& actor, TicketId id, const PlayerMessage& input);
    /// Moves the ticket (`helpdesk.write`); an illegal move is a ConflictError naming both
    /// states. Emits "ticket.status_changed".
    Ticket set_status(const Actor& actor, TicketId id, TicketStatus status);
    /// Changes the priority (`helpdesk.write`); below the category's minimum is a
    /// ValidationError("priority"). Emits "ticket.updated".
    Ticket set_priority(const Actor& actor, TicketId id, Priority priority);
    /// Replaces the tags (`helpdesk.write`). Emits "ticket.updated".
    Ticket set_tags(const Actor& actor, TicketId id, const std::vector<std::string>& tags);
    /// Links an unknown contact's ticket to a player (`helpdesk.write` and `players.read`);
    /// its messages join the player's timeline. ConflictError when already linked.
    /// Emits "ticket.player_linked".
    Ticket link_player(const Actor& actor, TicketId id, PlayerId player);

    /// Moves the ticket to a queue and/or agent (`helpdesk.write`), recorded in the history.
    /// Emits "ticket.assigned".
    Ticket assign(const Actor& actor, TicketId id, const Assignment& assignment);
    /// Gives the ticket to an online agent holding its queue's skill, by the queue's strategy
    /// (`helpdesk.write`). PreconditionError when the ticket has no queue or the queue no
    /// eligible agent. Emits "ticket.assigned".
    Ticket auto_assign(const Actor& actor, TicketId id);
    /// Every queue/agent change of the ticket, oldest first (`helpdesk.read`).
    [[nodiscard]] std::vector<AssignmentChange> assignment_history(const Actor& actor,
                                                                   TicketId id) const;

    /// Creates or replaces a queue (`helpdesk.admin`).
    Queue save_queue(const Actor& actor, const Queue& queue);
    /// Every queue, by name (`helpdesk.read`).
    [[nodiscard]] std::vector<Queue> queues(const Actor& actor) const;
    /// Makes an operator a help-desk agent with these skills, or changes them
    /// (`helpdesk.admin`); the online flag is kept for an existing agent.
    Agent save_agent(const Actor& actor, OperatorId id, const std::vector<std::string>& skills);
    /// Sets an agent online or offline: an agent for themself (`helpdesk.write`), anyone else
    /// needs `helpdesk.admin`. NotFoundError for an operator who is no agent.
    Agent set_online(const Actor& actor, OperatorId id, bool online);
    /// Every agent, by id (`helpdesk.read`).
    [[nodiscard]] std::vector<Agent> agents(const Actor& actor) const;

    /// How long after solving a player's reply reopens the ticket (default 7 days).
    [[nodiscard]] Duration reopen_window(const Actor& actor) const;
    /// Sets the reopen window (`helpdesk.admin`); 0 to 365 days, else ValidationError.
    void set_reopen_window(const Actor& actor, Duration window);

    /// The player's communications, newest first, `limit` (1-1,000) from `offset`
    /// (`helpdesk.read` without conditions). Internal notes are not communications.
    [[nodiscard]] std::vector<Communication> timeline(const Actor& actor, PlayerId player,
                                                      std::size_t offset = 0,
                                                      std::size_t limit = 50) const;

    /// Saves a reply template in one language (`helpdesk.admin`); an unknown placeholder is a
    /// ValidationError("body").
    ReplyTemplate save_template(const Actor& actor, const ReplyTemplate& input);
    /// The template's languages and texts, by language (`helpdesk.read`).
    [[nodiscard]] std::vector<ReplyTemplate> template_variants(const Actor& actor,
                                                               std::string_view name) const;
    /// Renders a template for a ticket (`helpdesk.read`): in the player's language, falling
    /// back to English, then to any variant; filled from the player's profile, the ticket and
    /// the acting operator. NotFoundError when no variant exists.
    [[nodiscard]] std::string render_reply(const Actor& actor, std::string_view name,
                                           TicketId id) const;

    /// Stores a business calendar under `name` (`helpdesk.admin`); ValidationError when the
    /// spec is not a valid calendar (see BusinessCalendar). A policy whose calendar is
    /// "default" and finds none stored counts 24/7 in UTC.
    void save_calendar(const Actor& actor, std::string_view name, const CalendarSpec& spec);
    /// A stored calendar (`helpdesk.read`), empty when absent.
    [[nodiscard]] std::optional<CalendarSpec> find_calendar(const Actor& actor,
                                                            std::string_view name) const;
    /// Stores (creates or replaces) an SLA policy (`helpdesk.admin`); ValidationError for an
    /// invalid policy, an unknown calendar ("calendar") or escalation queue
    /// ("rules[i].on_breach.reassign_queue").
    void save_sla_policy(const Actor& actor, const SlaPolicy& policy);
    /// Makes a stored policy the one every ticket is measured by (`helpdesk.admin`).
    void activate_sla_policy(const Actor& actor, std::string_view name);
    /// The policy in force (`helpdesk.read`), empty when none is active.
    [[nodiscard]] std::optional<SlaPolicy> active_sla_policy(const Actor& actor) const;
    /// The ticket's SLA as of the clock's now (`helpdesk.read`), from its stored history;
    /// empty when no policy is active.
    [[nodiscard]] std::optional<SlaStatus> sla(const Actor& actor, TicketId id) const;
    /// The SLA of every open ticket the actor may read, by id (`helpdesk.read`); empty when no
    /// policy is active.
    [[nodiscard]] std::vector<TicketSla> sla_many(const Actor& actor) const;
    /// Sweeps the open tickets (`helpdesk.write`, unconditional): for every target newly
    /// breached emits "ticket.sla_breached" and applies the rule's escalation (priority up,
    /// move to the supervisor queue, unassigned), audited as "ticket.sla_escalated"; for every
    /// target newly approaching emits "ticket.sla_approaching". Each notice is emitted once
    /// per ticket, target and clock start, however often the sweep runs. One transaction.
    SlaSweepReport check_sla_breaches(const Actor& actor);
    /// Queue KPIs at the clock's now over every ticket, or one queue's (`helpdesk.read`,
    /// unconditional).
    [[nodiscard]] QueueKpis queue_kpis(const Actor& actor,
                                       const std::optional<std::string>& queue = {}) const;

    /// The schema of the help-desk tables, for Backoffice::migrate.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    storage::Database& db_;
    const Clock& clock_;
    access::AccessControl& access_;
    audit::AuditLog& audit_;
    const transport::Outbox& outbox_;
};

}  // namespace pitboss::helpdesk
