#include "pitboss/helpdesk/helpdesk.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "access/guarded.hpp"
#include "helpdesk/checks.hpp"
#include "helpdesk/ticket_store.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/transport/outbox.hpp"
#include "players/player_store.hpp"

namespace pitboss::helpdesk {
namespace {

using checks::validate_name;
using checks::validate_text;

namespace permission = access::permission;
using storage::Transaction;
using storage::TxMode;

constexpr std::size_t kMaxPageSize = 10'000;
constexpr std::size_t kMaxBody = 20'000;
constexpr std::size_t kMaxSubject = 200;
constexpr std::size_t kMaxTimelinePage = 1'000;
constexpr Duration kDefaultReopenWindow = std::chrono::days(7);
constexpr std::string_view kReopenWindowSetting = "reopen_window_ms";
constexpr std::string_view kActivePolicySetting = "sla_policy";

std::string target_of(TicketId id) { return "ticket:" + id.to_string(); }

// A ticket's ABAC attributes: its category and priority, and its player's country and brand
// (so country-scoped agents work their countries' tickets; a contact's ticket has neither).
Attributes attributes_of(TicketStore& store, const Ticket& t) {
    Attributes attributes{{"category", std::string(to_string(t.category))},
                          {"priority", std::string(to_string(t.priority))}};
    if (t.player_id) {
        if (auto scope = store.player_scope(*t.player_id)) {
            attributes.set("country", std::move(scope->first));
            attributes.set("brand", std::move(scope->second));
        }
    }
    return attributes;
}

// The stored ticket, once the actor may act on it. An absent ticket is checked without
// attributes first, so a scoped actor cannot tell "absent" from "outside my grants".
Ticket load_authorized(TicketStore& store, const access::AccessControl& access, const Actor& actor,
                       std::string_view permission, TicketId id) {
    auto ticket = store.find(id);
    if (!ticket) {
        access.require(actor, permission);
        throw NotFoundError(target_of(id) + " not found");
    }
    access.require(actor, permission, attributes_of(store, *ticket));
    return std::move(*ticket);
}

std::vector<std::string> clean_labels(std::string_view field, std::vector<std::string> labels) {
    for (const auto& label : labels) validate_text(field, label, 64);
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    return labels;
}

void validate_attachments(const std::vector<Attachment>& attachments) {
    for (std::size_t i = 0; i < attachments.size(); ++i) {
        const Attachment& a = attachments[i];
        const std::string field = "attachments[" + std::to_string(i) + "]";
        validate_text(field + ".name", a.name, 255);
        if (a.size < 0) throw ValidationError(field + ".size", "must not be negative");
        validate_text(field + ".content_type", a.content_type, 255);
        if (a.content_type.find('/') == std::string::npos) {
            throw ValidationError(field + ".content_type",
                                  "must be a MIME type such as text/plain");
        }
        validate_text(field + ".storage_key", a.storage_key, 1024);
    }
}

void validate_contact(const NewTicket& input) {
    if (input.contact_email) {
        const auto at = input.contact_email->find('@');
        if (at == std::string::npos || at == 0 || at + 1 >= input.contact_email->size() ||
            input.contact_email->size() > 254) {
            throw ValidationError("contact_email", "must be an e-mail address");
        }
    }
    if (input.contact_phone) {
        const std::string& p = *input.contact_phone;
        const bool ok =
            p.size() >= 8 && p.size() <= 16 && p.front() == '+' &&
            std::all_of(p.begin() + 1, p.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!ok)
            throw ValidationError("contact_phone", "must be an E.164 number like +35699123456");
    }
    if (!input.player_id && !input.contact_email && !input.contact_phone) {
        throw ValidationError("player_id", "a ticket needs a player or a contact email or phone");
    }
}

std::string summary_of(std::string_view body) {
    return std::string(body.substr(0, std::min<std::size_t>(body.size(), 200)));
}

// Appends a message to the player's timeline (internal notes never reach it).
void record_communication(TicketStore& store, const Ticket& ticket, const TicketMessage& m) {
    if (!ticket.player_id || m.kind == MessageKind::kNote) return;
    store.insert_communication(
        {0, *ticket.player_id, "ticket_message", std::string(to_string(m.channel)),
         m.author_kind == AuthorKind::kPlayer ? "inbound" : "outbound", summary_of(m.body),
         target_of(ticket.id) + "/message:" + std::to_string(m.id), m.at});
}

// Moves the ticket (checked), stamps solve/close times and records the SLA fact.
void move(TicketStore& store, Ticket& ticket, TicketStatus to, Timestamp now) {
    check_transition(ticket.id, ticket.status, to);
    ticket.status = to;
    if (to == TicketStatus::kSolved) ticket.solved_at = now;
    if (to == TicketStatus::kClosed) ticket.closed_at = now;
    store.insert_event(ticket.id, TicketEvent::status_changed(now, to));
}

Json status_event(const Ticket& before, const Ticket& after) {
    return Json{{"ticket_id", after.id.value()},
                {"from", to_string(before.status)},
                {"to", to_string(after.status)},
                {"category", to_string(after.category)},
                {"priority", to_string(after.priority)}};
}

Json assignment_json(const AssignmentChange& c) {
    return Json{{"ticket_id", c.ticket_id.value()},
                {"from_queue", c.from_queue ? Json(*c.from_queue) : Json(nullptr)},
                {"to_queue", c.to_queue ? Json(*c.to_queue) : Json(nullptr)},
                {"from_agent", c.from_agent ? Json(c.from_agent->value()) : Json(nullptr)},
                {"to_agent", c.to_agent ? Json(c.to_agent->value()) : Json(nullptr)},
                {"reason", c.reason}};
}

Json agent_json(const Agent& a) {
    return Json{{"id", a.id.value()}, {"skills", a.skills}, {"online", a.online}};
}

// The active policy and its calendar, when a policy is active.
struct ActivePolicy {
    SlaPolicy policy;
    BusinessCalendar calendar;
};

std::optional<ActivePolicy> active_policy(TicketStore& store) {
    const auto name = store.setting(kActivePolicySetting);
    if (!name) return std::nullopt;
    auto policy = store.find_policy(*name);
    if (!policy) throw IntegrityError("the active SLA policy '" + *name + "' is not stored");
    auto spec = store.find_calendar(policy->calendar);
    if (!spec) return ActivePolicy{std::move(*policy), BusinessCalendar()};
    return ActivePolicy{std::move(*policy), BusinessCalendar(std::move(*spec))};
}

Duration stored_reopen_window(TicketStore& store) {
    const auto value = store.setting(kReopenWindowSetting);
    if (!value) return kDefaultReopenWindow;
    return Duration(std::stoll(*value));
}

}  // namespace

HelpdeskService::HelpdeskService(storage::Database& db, const Clock& clock,
                                 access::AccessControl& access, audit::AuditLog& audit,
                                 const transport::Outbox& outbox)
    : db_(db), clock_(clock), access_(access), audit_(audit), outbox_(outbox) {}

Ticket HelpdeskService::open_ticket(const Actor& actor, const NewTicket& input) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        NewTicket clean = input;
        const Priority priority = effective_priority(input.category, input.priority);
        TicketStore store(tx);
        Ticket draft;
        draft.player_id = input.player_id;
        draft.category = input.category;
        draft.priority = priority;
        access_.require(actor, permission::kHelpdeskWrite, attributes_of(store, draft));
        validate_text("subject", clean.subject, kMaxSubject);
        validate_contact(clean);
        clean.tags = clean_labels("tags", std::move(clean.tags));
        if (clean.body) validate_text("body", *clean.body, kMaxBody);
        if (!clean.body && !clean.attachments.empty()) {
            throw ValidationError("attachments", "need a body to attach to");
        }
        validate_attachments(clean.attachments);
        if (clean.player_id && !players::PlayerStore(tx).find(*clean.player_id)) {
            throw ValidationError("player_id",
                                  "player:" + clean.player_id->to_string() + " does not exist");
        }
        if (clean.queue && !store.find_queue(*clean.queue)) {
            throw ValidationError("queue", "no queue named '" + *clean.queue + "'");
        }
        const Timestamp now = clock_.now();
        Ticket ticket = store.insert(clean, priority, now);
        store.insert_created(ticket.id, priority, now);
        if (clean.queue) {
            store.insert_assignment({0, ticket.id, std::nullopt, clean.queue, std::nullopt,
                                     std::nullopt, actor.label(), "opened", now});
        }
        Json after = to_json(ticket);
        if (clean.body) {
            TicketMessage m;
            m.ticket_id = ticket.id;
            m.kind = MessageKind::kReply;
            m.author_kind = AuthorKind::kPlayer;
            m.author_name = "player";
            m.channel = clean.channel;
            m.body = *clean.body;
            m.at = now;
            m.attachments = clean.attachments;
            m = store.insert_message(m);
            record_communication(store, ticket, m);
            after["first_message"] = to_json(m);
        }
        audit_.append(tx, actor, {"ticket.opened", target_of(ticket.id), nullptr, after});
        outbox_.add(tx, "ticket.opened", target_of(ticket.id), to_json(ticket));
        return ticket;
    });
}

Ticket HelpdeskService::get_ticket(const Actor& actor, TicketId id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        TicketStore store(tx);
        return load_authorized(store, access_, actor, permission::kHelpdeskRead, id);
    });
}

std::vector<Ticket> HelpdeskService::list_tickets(const Actor& actor,
                                                  const TicketFilter& filter) const {
    if (filter.limit < 1 || filter.limit > kMaxPageSize) {
        throw ValidationError("limit", "must be 1-10000");
    }
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        if (!access_.grants_any(actor, permission::kHelpdeskRead)) {
            access_.require(actor, permission::kHelpdeskRead);
        }
        TicketStore store(tx);
        if (access_.allowed(actor, permission::kHelpdeskRead)) {
            return store.list(filter, filter.after, filter.limit);
        }
        // A conditional grant (compliance: some categories): keep reading until the page is
        // full, so a short page still means "no more".
        std::vector<Ticket> page;
        TicketId cursor = filter.after;
        while (page.size() < filter.limit) {
            const auto batch = store.list(filter, cursor, filter.limit);
            for (const Ticket& t : batch) {
                if (page.size() == filter.limit) break;
                if (access_.allowed(actor, permission::kHelpdeskRead, attributes_of(store, t))) {
                    page.push_back(t);
                }
            }
            if (batch.size() < filter.limit) break;
            cursor = batch.back().id;
        }
        return page;
    });
}

std::vector<TicketMessage> HelpdeskService::thread(const Actor& actor, TicketId id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        TicketStore store(tx);
        load_authorized(store, access_, actor, permission::kHelpdeskRead, id);
        return store.messages(id);
    });
}

TicketMessage HelpdeskService::reply(const Actor& actor, TicketId id, const NewReply& input) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        validate_text("body", input.body, kMaxBody);
        validate_attachments(input.attachments);
        if (before.status == TicketStatus::kClosed) {
            throw PreconditionError(target_of(id) + " is closed");
        }
        const Timestamp now = clock_.now();
        Ticket after = before;
        TicketMessage m;
        m.ticket_id = id;
        m.kind = input.kind;
        m.author_kind = AuthorKind::kOperator;
        m.author_id = actor.id();
        m.author_name = actor.name();
        m.channel = input.channel;
        m.body = input.body;
        m.at = now;
        m.attachments = input.attachments;
        m = store.insert_message(m);
        const bool is_public = input.kind == MessageKind::kReply;
        if (is_public) {
            store.insert_event(id, TicketEvent::agent_reply(now));
            if (!after.first_response_at) after.first_response_at = now;
        }
        std::optional<TicketStatus> to = input.status;
        if (!to && is_public && before.status == TicketStatus::kNew) to = TicketStatus::kOpen;
        if (to) move(store, after, *to, now);
        after.version = before.version + 1;
        after.updated_at = now;
        store.update(after, before.version);
        record_communication(store, after, m);
        const std::string topic = is_public ? "ticket.replied" : "ticket.noted";
        audit_.append(tx, actor,
                      {topic, target_of(id), to_json(before),
                       Json{{"ticket", to_json(after)}, {"message", to_json(m)}}});
        outbox_.add(
            tx, topic, target_of(id),
            Json{{"ticket_id", id.value()},
                 {"message_id", m.id},
                 {"kind", to_string(m.kind)},
                 {"channel", to_string(m.channel)},
                 {"player_id", after.player_id ? Json(after.player_id->value()) : Json(nullptr)}});
        if (after.status != before.status) {
            outbox_.add(tx, "ticket.status_changed", target_of(id), status_event(before, after));
        }
        return m;
    });
}

TicketMessage HelpdeskService::add_player_message(const Actor& actor, TicketId id,
                                                  const PlayerMessage& input) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        validate_text("body", input.body, kMaxBody);
        validate_attachments(input.attachments);
        const Timestamp now = clock_.now();
        const Duration window = stored_reopen_window(store);
        const PlayerReplyEffect effect =
            on_player_reply(before.status, before.solved_at, now, window);
        if (!effect.accepted) {
            throw PreconditionError(target_of(id) + " is " + std::string(to_string(before.status)) +
                                    " beyond the reopen window; open a new ticket");
        }
        Ticket after = before;
        // The workflow's move comes before the reply it causes (the SLA history's rule).
        if (effect.moves) move(store, after, *effect.moves, now);
        TicketMessage m;
        m.ticket_id = id;
        m.kind = MessageKind::kReply;
        m.author_kind = AuthorKind::kPlayer;
        m.author_name = "player";
        m.channel = input.channel;
        m.body = input.body;
        m.at = now;
        m.attachments = input.attachments;
        m = store.insert_message(m);
        store.insert_event(id, TicketEvent::player_reply(now));
        after.version = before.version + 1;
        after.updated_at = now;
        store.update(after, before.version);
        record_communication(store, after, m);
        audit_.append(tx, actor,
                      {"ticket.player_replied", target_of(id), to_json(before),
                       Json{{"ticket", to_json(after)}, {"message", to_json(m)}}});
        outbox_.add(tx, "ticket.player_replied", target_of(id),
                    Json{{"ticket_id", id.value()},
                         {"message_id", m.id},
                         {"channel", to_string(m.channel)}});
        if (after.status != before.status) {
            if (before.status == TicketStatus::kSolved) {
                outbox_.add(tx, "ticket.reopened", target_of(id), status_event(before, after));
            }
            outbox_.add(tx, "ticket.status_changed", target_of(id), status_event(before, after));
        }
        return m;
    });
}

Ticket HelpdeskService::set_status(const Actor& actor, TicketId id, TicketStatus status) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        const Timestamp now = clock_.now();
        Ticket after = before;
        move(store, after, status, now);
        after.version = before.version + 1;
        after.updated_at = now;
        store.update(after, before.version);
        audit_.append(tx, actor,
                      {"ticket.status_changed", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "ticket.status_changed", target_of(id), status_event(before, after));
        return after;
    });
}

Ticket HelpdeskService::set_priority(const Actor& actor, TicketId id, Priority priority) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        if (priority < minimum_priority(before.category)) {
            throw ValidationError(
                "priority", std::string(to_string(before.category)) + " tickets are at least " +
                                std::string(to_string(minimum_priority(before.category))));
        }
        if (priority == before.priority) return before;
        const Timestamp now = clock_.now();
        Ticket after = before;
        after.priority = priority;
        after.version = before.version + 1;
        after.updated_at = now;
        store.update(after, before.version);
        store.insert_event(id, TicketEvent::priority_changed(now, priority));
        audit_.append(tx, actor,
                      {"ticket.updated", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "ticket.updated", target_of(id),
                    Json{{"ticket", to_json(after)}, {"changed", Json::array({"priority"})}});
        return after;
    });
}

Ticket HelpdeskService::set_tags(const Actor& actor, TicketId id,
                                 const std::vector<std::string>& tags) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        auto clean = clean_labels("tags", tags);
        if (clean == before.tags) return before;
        Ticket after = before;
        after.tags = std::move(clean);
        after.version = before.version + 1;
        after.updated_at = clock_.now();
        store.update(after, before.version);
        audit_.append(tx, actor,
                      {"ticket.updated", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "ticket.updated", target_of(id),
                    Json{{"ticket", to_json(after)}, {"changed", Json::array({"tags"})}});
        return after;
    });
}

Ticket HelpdeskService::link_player(const Actor& actor, TicketId id, PlayerId player) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        const auto profile = players::PlayerStore(tx).find(player);
        if (!profile) {
            access_.require(actor, permission::kPlayersRead);
            throw NotFoundError("player:" + player.to_string() + " not found");
        }
        access_.require(actor, permission::kPlayersRead,
                        {{"country", profile->country},
                         {"brand", profile->brand},
                         {"status", std::string(players::to_string(profile->status))}});
        if (before.player_id) {
            throw ConflictError(target_of(id) +
                                " is already linked to player:" + before.player_id->to_string());
        }
        Ticket after = before;
        after.player_id = player;
        after.version = before.version + 1;
        after.updated_at = clock_.now();
        store.update(after, before.version);
        for (const TicketMessage& m : store.messages(id)) record_communication(store, after, m);
        audit_.append(tx, actor,
                      {"ticket.player_linked", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "ticket.player_linked", target_of(id),
                    Json{{"ticket_id", id.value()}, {"player_id", player.value()}});
        return after;
    });
}

Ticket HelpdeskService::assign(const Actor& actor, TicketId id, const Assignment& assignment) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        if (!assignment.queue && !assignment.agent) {
            throw ValidationError("assignment", "name a queue, an agent or both");
        }
        if (assignment.queue && !store.find_queue(*assignment.queue)) {
            throw ValidationError("queue", "no queue named '" + *assignment.queue + "'");
        }
        if (assignment.agent && !store.find_agent(*assignment.agent)) {
            throw ValidationError(
                "agent", "operator:" + assignment.agent->to_string() + " is not a help-desk agent");
        }
        if (before.status == TicketStatus::kClosed) {
            throw PreconditionError(target_of(id) + " is closed");
        }
        Ticket after = before;
        if (assignment.queue) after.queue = assignment.queue;
        if (assignment.agent) after.assignee = assignment.agent;
        if (after.queue == before.queue && after.assignee == before.assignee) return before;
        const Timestamp now = clock_.now();
        after.version = before.version + 1;
        after.updated_at = now;
        store.update(after, before.version);
        const AssignmentChange change{
            0,        id, before.queue, after.queue, before.assignee, after.assignee, actor.label(),
            "manual", now};
        store.insert_assignment(change);
        audit_.append(tx, actor,
                      {"ticket.assigned", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "ticket.assigned", target_of(id), assignment_json(change));
        return after;
    });
}

Ticket HelpdeskService::auto_assign(const Actor& actor, TicketId id) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket before =
            load_authorized(store, access_, actor, permission::kHelpdeskWrite, id);
        if (!before.queue) throw PreconditionError(target_of(id) + " is in no queue");
        if (is_done(before.status)) {
            throw PreconditionError(target_of(id) + " is " + std::string(to_string(before.status)));
        }
        const auto queue = store.find_queue(*before.queue);
        if (!queue) throw IntegrityError(target_of(id) + " names a queue that does not exist");
        const auto candidates = store.candidates(queue->skill);
        const auto agent =
            choose_agent(queue->strategy, candidates, store.last_assigned(queue->name));
        if (!agent) {
            throw PreconditionError("queue '" + queue->name + "' has no online agent with skill '" +
                                    queue->skill + "'");
        }
        const Timestamp now = clock_.now();
        Ticket after = before;
        after.assignee = agent;
        after.version = before.version + 1;
        after.updated_at = now;
        store.update(after, before.version);
        store.set_last_assigned(queue->name, *agent);
        const AssignmentChange change{0,
                                      id,
                                      before.queue,
                                      after.queue,
                                      before.assignee,
                                      after.assignee,
                                      actor.label(),
                                      "auto:" + std::string(to_string(queue->strategy)),
                                      now};
        store.insert_assignment(change);
        audit_.append(tx, actor,
                      {"ticket.assigned", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "ticket.assigned", target_of(id), assignment_json(change));
        return after;
    });
}

std::vector<AssignmentChange> HelpdeskService::assignment_history(const Actor& actor,
                                                                  TicketId id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        TicketStore store(tx);
        load_authorized(store, access_, actor, permission::kHelpdeskRead, id);
        return store.assignments(id);
    });
}

Queue HelpdeskService::save_queue(const Actor& actor, const Queue& queue) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        validate_name("name", queue.name);
        validate_name("skill", queue.skill);
        TicketStore store(tx);
        const auto before = store.find_queue(queue.name);
        store.save_queue(queue);
        const Json after{
            {"name", queue.name}, {"skill", queue.skill}, {"strategy", to_string(queue.strategy)}};
        Json before_json = nullptr;
        if (before) {
            before_json = Json{{"name", before->name},
                               {"skill", before->skill},
                               {"strategy", to_string(before->strategy)}};
        }
        audit_.append(tx, actor,
                      {"helpdesk.queue_saved", "queue:" + queue.name, before_json, after});
        outbox_.add(tx, "helpdesk.queue_saved", "queue:" + queue.name, after);
        return queue;
    });
}

std::vector<Queue> HelpdeskService::queues(const Actor& actor) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        return TicketStore(tx).queues();
    });
}

Agent HelpdeskService::save_agent(const Actor& actor, OperatorId id,
                                  const std::vector<std::string>& skills) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        std::vector<std::string> clean = skills;
        for (const auto& skill : clean) validate_name("skills", skill);
        std::sort(clean.begin(), clean.end());
        clean.erase(std::unique(clean.begin(), clean.end()), clean.end());
        TicketStore store(tx);
        if (!store.operator_name(id)) {
            throw NotFoundError("operator:" + id.to_string() + " not found");
        }
        const auto before = store.find_agent(id);
        store.save_agent(id, clean, clock_.now());
        const Agent after = *store.find_agent(id);
        const std::string target = "agent:" + id.to_string();
        audit_.append(tx, actor,
                      {"helpdesk.agent_saved", target, before ? agent_json(*before) : Json(nullptr),
                       agent_json(after)});
        outbox_.add(tx, "helpdesk.agent_saved", target, agent_json(after));
        return after;
    });
}

Agent HelpdeskService::set_online(const Actor& actor, OperatorId id, bool online) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor,
                        actor.id() == id ? permission::kHelpdeskWrite : permission::kHelpdeskAdmin);
        TicketStore store(tx);
        const auto before = store.find_agent(id);
        if (!before)
            throw NotFoundError("operator:" + id.to_string() + " is not a help-desk agent");
        if (before->online == online) return *before;
        store.set_online(id, online, clock_.now());
        Agent after = *before;
        after.online = online;
        const std::string target = "agent:" + id.to_string();
        audit_.append(tx, actor,
                      {"helpdesk.agent_status", target, agent_json(*before), agent_json(after)});
        outbox_.add(tx, "helpdesk.agent_status", target, agent_json(after));
        return after;
    });
}

std::vector<Agent> HelpdeskService::agents(const Actor& actor) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        return TicketStore(tx).agents();
    });
}

Duration HelpdeskService::reopen_window(const Actor& actor) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        TicketStore store(tx);
        return stored_reopen_window(store);
    });
}

void HelpdeskService::set_reopen_window(const Actor& actor, Duration window) {
    access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        if (window < Duration(0) || window > std::chrono::days(365)) {
            throw ValidationError("reopen_window", "must be 0 to 365 days");
        }
        TicketStore store(tx);
        const Duration before = stored_reopen_window(store);
        store.set_setting(kReopenWindowSetting, std::to_string(window.count()));
        const Json after{{"reopen_window_ms", window.count()}};
        audit_.append(tx, actor,
                      {"helpdesk.settings_changed", "helpdesk:settings",
                       Json{{"reopen_window_ms", before.count()}}, after});
        outbox_.add(tx, "helpdesk.settings_changed", "helpdesk:settings", after);
    });
}

std::vector<Communication> HelpdeskService::timeline(const Actor& actor, PlayerId player,
                                                     std::size_t offset, std::size_t limit) const {
    if (limit < 1 || limit > kMaxTimelinePage) throw ValidationError("limit", "must be 1-1000");
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        return TicketStore(tx).timeline(player, offset, limit);
    });
}

ReplyTemplate HelpdeskService::save_template(const Actor& actor, const ReplyTemplate& input) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        validate_name("name", input.name);
        const bool language_ok =
            input.language.size() == 2 && std::all_of(input.language.begin(), input.language.end(),
                                                      [](char c) { return c >= 'a' && c <= 'z'; });
        if (!language_ok) throw ValidationError("language", "must be ISO 639-1, e.g. en");
        validate_text("body", input.body, kMaxBody);
        (void)parse_placeholders(input.body, "body");
        ReplyTemplate stored = input;
        stored.updated_at = clock_.now();
        TicketStore(tx).save_template(stored);
        const std::string target = "template:" + stored.name + "/" + stored.language;
        const Json after{
            {"name", stored.name}, {"language", stored.language}, {"body", stored.body}};
        audit_.append(tx, actor, {"helpdesk.template_saved", target, nullptr, after});
        outbox_.add(tx, "helpdesk.template_saved", target,
                    Json{{"name", stored.name}, {"language", stored.language}});
        return stored;
    });
}

std::vector<ReplyTemplate> HelpdeskService::template_variants(const Actor& actor,
                                                              std::string_view name) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        return TicketStore(tx).template_variants(name);
    });
}

std::string HelpdeskService::render_reply(const Actor& actor, std::string_view name,
                                          TicketId id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket ticket = load_authorized(store, access_, actor, permission::kHelpdeskRead, id);
        const auto variants = store.template_variants(name);
        if (variants.empty()) {
            throw NotFoundError("no reply template named '" + std::string(name) + "'");
        }
        std::optional<players::Player> player;
        if (ticket.player_id) player = players::PlayerStore(tx).find(*ticket.player_id);
        const std::string language = player ? player->language : "en";
        auto pick = [&](std::string_view lang) -> const ReplyTemplate* {
            for (const auto& v : variants) {
                if (v.language == lang) return &v;
            }
            return nullptr;
        };
        const ReplyTemplate* chosen = pick(language);
        if (!chosen) chosen = pick("en");
        if (!chosen) chosen = &variants.front();
        TemplateValues values{{"ticket.id", ticket.id.to_string()},
                              {"ticket.subject", ticket.subject},
                              {"ticket.status", std::string(to_string(ticket.status))},
                              {"ticket.priority", std::string(to_string(ticket.priority))},
                              {"ticket.category", std::string(to_string(ticket.category))},
                              {"agent.name", actor.name()}};
        if (player) {
            values.emplace("player.external_id", player->external_id);
            if (player->email) values.emplace("player.email", *player->email);
            values.emplace("player.country", player->country);
            values.emplace("player.language", player->language);
            values.emplace("player.brand", player->brand);
        }
        return render_template(chosen->body, values);
    });
}

void HelpdeskService::save_calendar(const Actor& actor, std::string_view name,
                                    const CalendarSpec& spec) {
    access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        validate_name("name", name);
        const BusinessCalendar calendar(spec);  // validates
        TicketStore store(tx);
        const auto before = store.find_calendar(name);
        store.save_calendar(name, calendar.spec(), clock_.now());
        const std::string target = "sla_calendar:" + std::string(name);
        audit_.append(tx, actor,
                      {"helpdesk.calendar_saved", target, before ? to_json(*before) : Json(nullptr),
                       to_json(calendar.spec())});
        outbox_.add(tx, "helpdesk.calendar_saved", target, Json{{"name", name}});
    });
}

std::optional<CalendarSpec> HelpdeskService::find_calendar(const Actor& actor,
                                                           std::string_view name) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        return TicketStore(tx).find_calendar(name);
    });
}

void HelpdeskService::save_sla_policy(const Actor& actor, const SlaPolicy& policy) {
    access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        validate(policy);
        TicketStore store(tx);
        if (policy.calendar != "default" && !store.find_calendar(policy.calendar)) {
            throw ValidationError("calendar", "no calendar named '" + policy.calendar + "'");
        }
        for (std::size_t i = 0; i < policy.rules.size(); ++i) {
            const auto& queue = policy.rules[i].on_breach.reassign_queue;
            if (queue && !store.find_queue(*queue)) {
                throw ValidationError("rules[" + std::to_string(i) + "].on_breach.reassign_queue",
                                      "no queue named '" + *queue + "'");
            }
        }
        const auto before = store.find_policy(policy.name);
        store.save_policy(policy, clock_.now());
        const std::string target = "sla_policy:" + policy.name;
        audit_.append(tx, actor,
                      {"helpdesk.sla_policy_saved", target,
                       before ? to_json(*before) : Json(nullptr), to_json(policy)});
        outbox_.add(tx, "helpdesk.sla_policy_saved", target, Json{{"name", policy.name}});
    });
}

void HelpdeskService::activate_sla_policy(const Actor& actor, std::string_view name) {
    access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        TicketStore store(tx);
        if (!store.find_policy(name)) {
            throw NotFoundError("no SLA policy named '" + std::string(name) + "'");
        }
        const auto before = store.setting(kActivePolicySetting);
        store.set_setting(kActivePolicySetting, name);
        audit_.append(tx, actor,
                      {"helpdesk.sla_policy_activated", "sla_policy:" + std::string(name),
                       before ? Json{{"active", *before}} : Json(nullptr), Json{{"active", name}}});
        outbox_.add(tx, "helpdesk.sla_policy_activated", "sla_policy:" + std::string(name),
                    Json{{"name", name}});
    });
}

std::optional<SlaPolicy> HelpdeskService::active_sla_policy(const Actor& actor) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        TicketStore store(tx);
        auto active = active_policy(store);
        return active ? std::optional<SlaPolicy>(std::move(active->policy)) : std::nullopt;
    });
}

std::optional<SlaStatus> HelpdeskService::sla(const Actor& actor, TicketId id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        TicketStore store(tx);
        const Ticket ticket = load_authorized(store, access_, actor, permission::kHelpdeskRead, id);
        const auto active = active_policy(store);
        if (!active) return std::optional<SlaStatus>();
        return std::optional<SlaStatus>(
            compute_sla(active->policy, active->calendar, store.history(ticket), clock_.now()));
    });
}

std::vector<TicketSla> HelpdeskService::sla_many(const Actor& actor) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        if (!access_.grants_any(actor, permission::kHelpdeskRead)) {
            access_.require(actor, permission::kHelpdeskRead);
        }
        TicketStore store(tx);
        std::vector<TicketSla> out;
        const auto active = active_policy(store);
        if (!active) return out;
        const bool unconditional = access_.allowed(actor, permission::kHelpdeskRead);
        std::vector<TicketId> ids;
        std::vector<TicketHistory> histories;
        for (auto& facts : store.ticket_facts(true, std::nullopt)) {
            if (!unconditional && !access_.allowed(actor, permission::kHelpdeskRead,
                                                   attributes_of(store, facts.ticket))) {
                continue;
            }
            ids.push_back(facts.ticket.id);
            histories.push_back(std::move(facts.history));
        }
        auto statuses = compute_sla_many(active->policy, active->calendar, histories, clock_.now());
        out.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            out.push_back({ids[i], std::move(statuses[i])});
        return out;
    });
}

SlaSweepReport HelpdeskService::check_sla_breaches(const Actor& actor) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskWrite);
        SlaSweepReport report;
        TicketStore store(tx);
        const auto active = active_policy(store);
        if (!active) return report;
        const Timestamp now = clock_.now();
        auto facts = store.ticket_facts(true, std::nullopt);
        std::vector<TicketHistory> histories;
        histories.reserve(facts.size());
        for (const auto& f : facts) histories.push_back(f.history);
        const auto statuses = compute_sla_many(active->policy, active->calendar, histories, now);
        report.checked = facts.size();
        for (std::size_t i = 0; i < facts.size(); ++i) {
            const Ticket& ticket = facts[i].ticket;
            const SlaStatus& status = statuses[i];
            bool escalate = false;
            for (const SlaMetric metric :
                 {SlaMetric::kFirstResponse, SlaMetric::kNextResponse, SlaMetric::kResolution}) {
                const SlaTargetStatus& target = status.of(metric);
                if (!target.started_at) continue;
                const Json payload{
                    {"ticket_id", ticket.id.value()},
                    {"metric", to_string(metric)},
                    {"rule",
                     status.rule ? Json(active->policy.rules[*status.rule].name) : Json(nullptr)},
                    {"priority", to_string(ticket.priority)},
                    {"due_at",
                     target.due_at ? Json(format_timestamp(*target.due_at)) : Json(nullptr)},
                    {"breached_at", target.breached_at ? Json(format_timestamp(*target.breached_at))
                                                       : Json(nullptr)}};
                if (target.state == SlaState::kBreached &&
                    store.insert_notice({ticket.id, metric, "breached", *target.started_at}, now)) {
                    audit_.append(tx, actor,
                                  {"ticket.sla_breached", target_of(ticket.id), nullptr, payload});
                    outbox_.add(tx, "ticket.sla_breached", target_of(ticket.id), payload);
                    ++report.breached;
                    escalate = true;
                } else if (target.approaching && target.state != SlaState::kBreached &&
                           store.insert_notice(
                               {ticket.id, metric, "approaching", *target.started_at}, now)) {
                    outbox_.add(tx, "ticket.sla_approaching", target_of(ticket.id), payload);
                    ++report.approaching;
                }
            }
            if (!escalate || !status.rule) continue;
            const Escalation& rule = active->policy.rules[*status.rule].on_breach;
            auto before = store.find(ticket.id);
            if (!before) continue;
            Ticket after = *before;
            if (rule.raise_priority) after.priority = raised(before->priority);
            if (rule.reassign_queue && after.queue != rule.reassign_queue) {
                after.queue = rule.reassign_queue;
                after.assignee.reset();
            }
            if (after.priority == before->priority && after.queue == before->queue) continue;
            after.version = before->version + 1;
            after.updated_at = now;
            store.update(after, before->version);
            if (after.priority != before->priority) {
                store.insert_event(ticket.id, TicketEvent::priority_changed(now, after.priority));
            }
            if (after.queue != before->queue) {
                store.insert_assignment({0, ticket.id, before->queue, after.queue, before->assignee,
                                         after.assignee, actor.label(), "sla_escalation", now});
            }
            audit_.append(
                tx, actor,
                {"ticket.sla_escalated", target_of(ticket.id), to_json(*before), to_json(after)});
            outbox_.add(tx, "ticket.sla_escalated", target_of(ticket.id),
                        Json{{"ticket_id", ticket.id.value()},
                             {"priority", to_string(after.priority)},
                             {"queue", after.queue ? Json(*after.queue) : Json(nullptr)}});
            ++report.escalated;
        }
        return report;
    });
}

QueueKpis HelpdeskService::queue_kpis(const Actor& actor,
                                      const std::optional<std::string>& queue) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        TicketStore store(tx);
        const Timestamp now = clock_.now();
        const auto facts = store.ticket_facts(false, queue);
        std::vector<TicketHistory> histories;
        histories.reserve(facts.size());
        for (const auto& f : facts) histories.push_back(f.history);
        const auto active = active_policy(store);
        std::vector<SlaStatus> statuses;
        if (active) statuses = compute_sla_many(active->policy, active->calendar, histories, now);
        std::vector<TicketSummary> summaries;
        summaries.reserve(facts.size());
        for (std::size_t i = 0; i < facts.size(); ++i) {
            const Ticket& t = facts[i].ticket;
            TicketSummary s;
            s.status = t.status;
            s.priority = t.priority;
            s.channel = t.channel;
            s.created_at = t.created_at;
            if (t.first_response_at) s.first_response_time = *t.first_response_at - t.created_at;
            if (is_done(t.status) && t.solved_at) s.resolution_time = *t.solved_at - t.created_at;
            if (active) {
                s.sla_applies = statuses[i].rule.has_value();
                s.sla_breached = statuses[i].breached();
            }
            summaries.push_back(s);
        }
        return compute_queue_kpis(summaries, now);
    });
}

std::vector<storage::Migration> HelpdeskService::migrations() { return TicketStore::migrations(); }

}  // namespace pitboss::helpdesk
