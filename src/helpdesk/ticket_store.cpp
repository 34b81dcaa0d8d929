#include "helpdesk/ticket_store.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {
namespace {

using storage::Params;
using storage::Row;

constexpr std::string_view kTicketColumns =
    "id, player_id, contact_email, contact_phone, channel, subject, category, priority, status, "
    "queue, assignee_id, created_at, updated_at, first_response_at, solved_at, closed_at, "
    "version";

// clang-format off
enum TicketColumn : std::size_t {
    kId, kPlayerId, kContactEmail, kContactPhone, kChannel, kSubject, kCategory, kPriority,
    kStatus, kQueue, kAssignee, kCreatedAt, kUpdatedAt, kFirstResponseAt, kSolvedAt, kClosedAt,
    kVersion
};
// clang-format on

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE tickets (
    id {{id}},
    player_id {{bigint}} REFERENCES players (id),
    contact_email {{text}},
    contact_phone {{text}},
    channel {{text}} NOT NULL,
    subject {{text}} NOT NULL,
    category {{text}} NOT NULL,
    priority {{text}} NOT NULL,
    status {{text}} NOT NULL,
    queue {{text}},
    assignee_id {{bigint}},
    created_at {{bigint}} NOT NULL,
    updated_at {{bigint}} NOT NULL,
    first_response_at {{bigint}},
    solved_at {{bigint}},
    closed_at {{bigint}},
    version {{bigint}} NOT NULL
);
CREATE INDEX tickets_player ON tickets (player_id, id);
CREATE INDEX tickets_status ON tickets (status, id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, status);
CREATE TABLE ticket_tags (
    ticket_id {{bigint}} NOT NULL REFERENCES tickets (id),
    tag {{text}} NOT NULL,
    PRIMARY KEY (ticket_id, tag)
);
CREATE TABLE ticket_messages (
    id {{id}},
    ticket_id {{bigint}} NOT NULL REFERENCES tickets (id),
    kind {{text}} NOT NULL,
    author_kind {{text}} NOT NULL,
    author_id {{bigint}},
    author_name {{text}} NOT NULL,
    channel {{text}} NOT NULL,
    body {{text}} NOT NULL,
    at {{bigint}} NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);
CREATE TABLE ticket_attachments (
    message_id {{bigint}} NOT NULL REFERENCES ticket_messages (id),
    position {{bigint}} NOT NULL,
    name {{text}} NOT NULL,
    size {{bigint}} NOT NULL,
    content_type {{text}} NOT NULL,
    storage_key {{text}} NOT NULL,
    PRIMARY KEY (message_id, position)
);
CREATE TABLE ticket_events (
    id {{id}},
    ticket_id {{bigint}} NOT NULL REFERENCES tickets (id),
    kind {{text}} NOT NULL,
    value {{text}},
    at {{bigint}} NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE TABLE sla_calendars (
    name {{text}} PRIMARY KEY,
    spec_json {{text}} NOT NULL,
    updated_at {{bigint}} NOT NULL
);
CREATE TABLE sla_policies (
    name {{text}} PRIMARY KEY,
    policy_json {{text}} NOT NULL,
    updated_at {{bigint}} NOT NULL
);
CREATE TABLE sla_notices (
    ticket_id {{bigint}} NOT NULL REFERENCES tickets (id),
    metric {{text}} NOT NULL,
    kind {{text}} NOT NULL,
    started_at {{bigint}} NOT NULL,
    at {{bigint}} NOT NULL,
    PRIMARY KEY (ticket_id, metric, kind, started_at)
);
CREATE TABLE ticket_assignments (
    id {{id}},
    ticket_id {{bigint}} NOT NULL REFERENCES tickets (id),
    from_queue {{text}},
    to_queue {{text}},
    from_agent {{bigint}},
    to_agent {{bigint}},
    actor {{text}} NOT NULL,
    reason {{text}} NOT NULL,
    at {{bigint}} NOT NULL
);
CREATE INDEX ticket_assignments_ticket ON ticket_assignments (ticket_id, id);
CREATE TABLE helpdesk_queues (
    name {{text}} PRIMARY KEY,
    skill {{text}} NOT NULL,
    strategy {{text}} NOT NULL,
    last_assigned {{bigint}}
);
CREATE TABLE helpdesk_agents (
    operator_id {{bigint}} PRIMARY KEY REFERENCES operators (id),
    online {{bigint}} NOT NULL,
    updated_at {{bigint}} NOT NULL
);
CREATE TABLE helpdesk_agent_skills (
    operator_id {{bigint}} NOT NULL REFERENCES helpdesk_agents (operator_id),
    skill {{text}} NOT NULL,
    PRIMARY KEY (operator_id, skill)
);
CREATE TABLE helpdesk_settings (
    name {{text}} PRIMARY KEY,
    value {{text}} NOT NULL
);
CREATE TABLE communications (
    id {{id}},
    player_id {{bigint}} NOT NULL REFERENCES players (id),
    kind {{text}} NOT NULL,
    channel {{text}} NOT NULL,
    direction {{text}} NOT NULL,
    summary {{text}} NOT NULL,
    ref {{text}} NOT NULL,
    at {{bigint}} NOT NULL
);
CREATE INDEX communications_player ON communications (player_id, at, id);
CREATE TABLE reply_templates (
    name {{text}} NOT NULL,
    language {{text}} NOT NULL,
    body {{text}} NOT NULL,
    updated_at {{bigint}} NOT NULL,
    PRIMARY KEY (name, language)
);
INSERT INTO roles (name, description) VALUES
    ('support_supervisor', 'Help desk lead: tickets, queues, agents, SLA policies, templates');
INSERT INTO role_permissions (role, permission, condition_json) VALUES
    ('support_supervisor', 'players.read', NULL),
    ('support_supervisor', 'helpdesk.read', NULL),
    ('support_supervisor', 'helpdesk.write', NULL),
    ('support_supervisor', 'helpdesk.admin', NULL),
    ('support_agent', 'helpdesk.read', NULL),
    ('support_agent', 'helpdesk.write', NULL),
    ('operator', 'helpdesk.read', NULL),
    ('operator', 'helpdesk.write', NULL),
    ('analyst', 'helpdesk.read', NULL),
    ('compliance_officer', 'helpdesk.read',
     '{"category":{"in":["complaint","responsible_gambling"]}}')
)sql";

std::optional<PlayerId> opt_player(const Row& row, std::size_t i) {
    const auto v = row.opt_int64(i);
    return v ? std::optional<PlayerId>(PlayerId(*v)) : std::nullopt;
}

std::optional<OperatorId> opt_operator(const Row& row, std::size_t i) {
    const auto v = row.opt_int64(i);
    return v ? std::optional<OperatorId>(OperatorId(*v)) : std::nullopt;
}

std::optional<std::int64_t> opt_value(const std::optional<PlayerId>& id) {
    return id ? std::optional<std::int64_t>(id->value()) : std::nullopt;
}

std::optional<std::int64_t> opt_value(const std::optional<OperatorId>& id) {
    return id ? std::optional<std::int64_t>(id->value()) : std::nullopt;
}

Ticket ticket_from_row(const Row& row) {
    Ticket t;
    t.id = TicketId(row.int64(kId));
    t.player_id = opt_player(row, kPlayerId);
    t.contact_email = row.opt_text(kContactEmail);
    t.contact_phone = row.opt_text(kContactPhone);
    t.channel = parse_channel(row.text(kChannel));
    t.subject = row.text(kSubject);
    t.category = parse_category(row.text(kCategory));
    t.priority = parse_priority(row.text(kPriority));
    t.status = parse_ticket_status(row.text(kStatus));
    t.queue = row.opt_text(kQueue);
    t.assignee = opt_operator(row, kAssignee);
    t.created_at = row.timestamp(kCreatedAt);
    t.updated_at = row.timestamp(kUpdatedAt);
    t.first_response_at = row.opt_timestamp(kFirstResponseAt);
    t.solved_at = row.opt_timestamp(kSolvedAt);
    t.closed_at = row.opt_timestamp(kClosedAt);
    t.version = row.int64(kVersion);
    return t;
}

std::string select_tickets() { return "SELECT " + std::string(kTicketColumns) + " FROM tickets "; }

Queue queue_from_row(const Row& row) {
    return {row.text(0), row.text(1), parse_assign_strategy(row.text(2))};
}

std::string_view event_kind_name(TicketEventKind kind) {
    switch (kind) {
        case TicketEventKind::kStatusChanged:
            return "status_changed";
        case TicketEventKind::kAgentReply:
            return "agent_reply";
        case TicketEventKind::kPlayerReply:
            return "player_reply";
        case TicketEventKind::kPriorityChanged:
            return "priority_changed";
        case TicketEventKind::kCategoryChanged:
            return "category_changed";
    }
    return "unknown";
}

// The first event of every ticket is its creation's priority, so the SLA history starts from
// the priority it was opened with even after later changes.
TicketHistory creation_facts(const Ticket& t) {
    TicketHistory h;
    h.created_at = t.created_at;
    h.status = TicketStatus::kNew;
    h.priority = t.priority;
    h.category = t.category;
    return h;
}

void add_event(TicketHistory& h, std::string_view kind, const std::optional<std::string>& value,
               Timestamp at) {
    if (kind == "created") {
        h.priority = parse_priority(value.value_or(""));
    } else if (kind == "status_changed") {
        h.events.push_back(
            TicketEvent::status_changed(at, parse_ticket_status(value.value_or(""))));
    } else if (kind == "agent_reply") {
        h.events.push_back(TicketEvent::agent_reply(at));
    } else if (kind == "player_reply") {
        h.events.push_back(TicketEvent::player_reply(at));
    } else if (kind == "priority_changed") {
        h.events.push_back(TicketEvent::priority_changed(at, parse_priority(value.value_or(""))));
    } else if (kind == "category_changed") {
        h.events.push_back(TicketEvent::category_changed(at, parse_category(value.value_or(""))));
    } else {
        throw IntegrityError("ticket_events.kind holds an unknown kind");
    }
}

}  // namespace

void TicketStore::insert_created(TicketId id, Priority priority, Timestamp at) {
    tx_.execute("INSERT INTO ticket_events (ticket_id, kind, value, at) VALUES (?, ?, ?, ?)",
                Params(id.value(), "created", to_string(priority), at));
}

Ticket TicketStore::insert(const NewTicket& input, Priority priority, Timestamp now) {
    const Row row = tx_.query_single(
        "INSERT INTO tickets (player_id, contact_email, contact_phone, channel, subject, "
        "category, priority, status, queue, created_at, updated_at, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING " +
            std::string(kTicketColumns),
        Params(opt_value(input.player_id), input.contact_email, input.contact_phone,
               to_string(input.channel), input.subject, to_string(input.category),
               to_string(priority), to_string(TicketStatus::kNew), input.queue, now, now));
    Ticket ticket = ticket_from_row(row);
    insert_tags(ticket.id, input.tags);
    ticket.tags = input.tags;
    return ticket;
}

void TicketStore::update(const Ticket& t, std::int64_t expected_version) {
    const auto changed = tx_.execute(
        "UPDATE tickets SET player_id = ?, channel = ?, subject = ?, category = ?, priority = ?, "
        "status = ?, queue = ?, assignee_id = ?, updated_at = ?, first_response_at = ?, "
        "solved_at = ?, closed_at = ?, version = ? WHERE id = ? AND version = ?",
        Params(opt_value(t.player_id), to_string(t.channel), t.subject, to_string(t.category),
               to_string(t.priority), to_string(t.status), t.queue, opt_value(t.assignee),
               t.updated_at, t.first_response_at, t.solved_at, t.closed_at, t.version, t.id.value(),
               expected_version));
    if (changed != 1) {
        throw ConflictError("ticket:" + t.id.to_string() + " changed concurrently (version " +
                            std::to_string(expected_version) + " is stale)");
    }
    tx_.execute("DELETE FROM ticket_tags WHERE ticket_id = ?", Params(t.id.value()));
    insert_tags(t.id, t.tags);
}

std::optional<Ticket> TicketStore::find(TicketId id) {
    auto row = tx_.query_optional(select_tickets() + "WHERE id = ?", Params(id.value()));
    if (!row) return std::nullopt;
    Ticket ticket = ticket_from_row(*row);
    ticket.tags = tags_of(ticket.id);
    return ticket;
}

std::vector<Ticket> TicketStore::list(const TicketFilter& filter, TicketId after,
                                      std::size_t limit) {
    std::string sql = select_tickets() + "WHERE id > ?";
    Params params(after.value());
    if (filter.status) {
        sql += " AND status = ?";
        params.add(to_string(*filter.status));
    }
    if (filter.open_only) sql += " AND status NOT IN ('solved', 'closed')";
    if (filter.category) {
        sql += " AND category = ?";
        params.add(to_string(*filter.category));
    }
    if (filter.priority) {
        sql += " AND priority = ?";
        params.add(to_string(*filter.priority));
    }
    if (filter.player_id) {
        sql += " AND player_id = ?";
        params.add(filter.player_id->value());
    }
    if (filter.queue) {
        sql += " AND queue = ?";
        params.add(*filter.queue);
    }
    if (filter.assignee) {
        sql += " AND assignee_id = ?";
        params.add(filter.assignee->value());
    }
    sql += " ORDER BY id LIMIT ?";
    params.add(static_cast<std::int64_t>(limit));
    std::vector<Ticket> tickets;
    for (const Row& row : tx_.query(sql, params)) tickets.push_back(ticket_from_row(row));
    if (tickets.empty()) return tickets;
    std::map<std::int64_t, Ticket*> by_id;
    for (Ticket& t : tickets) by_id.emplace(t.id.value(), &t);
    for (const Row& row :
         tx_.query("SELECT ticket_id, tag FROM ticket_tags WHERE ticket_id >= ? AND ticket_id <= ?",
                   Params(tickets.front().id.value(), tickets.back().id.value()))) {
        const auto it = by_id.find(row.int64(0));
        if (it != by_id.end()) it->second->tags.push_back(row.text(1));
    }
    for (Ticket& t : tickets) std::sort(t.tags.begin(), t.tags.end());
    return tickets;
}

TicketMessage TicketStore::insert_message(const TicketMessage& m) {
    TicketMessage stored = m;
    stored.id =
        tx_.query_single(
               "INSERT INTO ticket_messages (ticket_id, kind, author_kind, author_id, "
               "author_name, channel, body, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
               "RETURNING id",
               Params(m.ticket_id.value(), to_string(m.kind), to_string(m.author_kind),
                      opt_value(m.author_id), m.author_name, to_string(m.channel), m.body, m.at))
            .int64(0);
    std::int64_t position = 0;
    for (const Attachment& a : m.attachments) {
        tx_.execute(
            "INSERT INTO ticket_attachments (message_id, position, name, size, content_type, "
            "storage_key) VALUES (?, ?, ?, ?, ?, ?)",
            Params(stored.id, position++, a.name, a.size, a.content_type, a.storage_key));
    }
    return stored;
}

std::vector<TicketMessage> TicketStore::messages(TicketId id) {
    std::vector<TicketMessage> out;
    std::map<std::int64_t, std::size_t> index;
    for (const Row& row :
         tx_.query("SELECT id, kind, author_kind, author_id, author_name, channel, body, at "
                   "FROM ticket_messages WHERE ticket_id = ? ORDER BY id",
                   Params(id.value()))) {
        TicketMessage m;
        m.id = row.int64(0);
        m.ticket_id = id;
        m.kind = parse_message_kind(row.text(1));
        m.author_kind = row.text(2) == "player" ? AuthorKind::kPlayer : AuthorKind::kOperator;
        m.author_id = opt_operator(row, 3);
        m.author_name = row.text(4);
        m.channel = parse_channel(row.text(5));
        m.body = row.text(6);
        m.at = row.timestamp(7);
        index.emplace(m.id, out.size());
        out.push_back(std::move(m));
    }
    for (const Row& row :
         tx_.query("SELECT a.message_id, a.name, a.size, a.content_type, a.storage_key "
                   "FROM ticket_attachments a JOIN ticket_messages m ON m.id = a.message_id "
                   "WHERE m.ticket_id = ? ORDER BY a.message_id, a.position",
                   Params(id.value()))) {
        const auto it = index.find(row.int64(0));
        if (it == index.end()) continue;
        out[it->second].attachments.push_back(
            {row.text(1), row.int64(2), row.text(3), row.text(4)});
    }
    return out;
}

void TicketStore::insert_event(TicketId id, const TicketEvent& e) {
    std::optional<std::string> value;
    if (e.kind == TicketEventKind::kStatusChanged) value = std::string(to_string(e.status));
    if (e.kind == TicketEventKind::kPriorityChanged) value = std::string(to_string(e.priority));
    if (e.kind == TicketEventKind::kCategoryChanged) value = std::string(to_string(e.category));
    tx_.execute("INSERT INTO ticket_events (ticket_id, kind, value, at) VALUES (?, ?, ?, ?)",
                Params(id.value(), event_kind_name(e.kind), value, e.at));
}

TicketHistory TicketStore::history(const Ticket& ticket) {
    TicketHistory h = creation_facts(ticket);
    for (const Row& row :
         tx_.query("SELECT kind, value, at FROM ticket_events WHERE ticket_id = ? ORDER BY id",
                   Params(ticket.id.value()))) {
        add_event(h, row.text(0), row.opt_text(1), row.timestamp(2));
    }
    return h;
}

std::vector<TicketFacts> TicketStore::ticket_facts(bool open_only,
                                                   const std::optional<std::string>& queue) {
    std::string where = "WHERE 1 = 1";
    Params params;
    if (open_only) where += " AND t.status NOT IN ('solved', 'closed')";
    if (queue) {
        where += " AND t.queue = ?";
        params.add(*queue);
    }
    std::vector<TicketFacts> out;
    std::map<std::int64_t, std::size_t> index;
    std::string columns;
    for (std::string_view rest = kTicketColumns; !rest.empty();) {
        const auto comma = rest.find(", ");
        columns += (columns.empty() ? "t." : ", t.") + std::string(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    }
    for (const Row& row :
         tx_.query("SELECT " + columns + " FROM tickets t " + where + " ORDER BY t.id", params)) {
        Ticket t = ticket_from_row(row);
        index.emplace(t.id.value(), out.size());
        TicketHistory h = creation_facts(t);
        out.push_back({std::move(t), std::move(h)});
    }
    if (out.empty()) return out;
    tx_.for_each(
        "SELECT e.ticket_id, e.kind, e.value, e.at FROM ticket_events e JOIN tickets t ON "
        "t.id = e.ticket_id " +
            where + " ORDER BY e.ticket_id, e.id",
        params, [&](const storage::Cursor& row) {
            const auto it = index.find(row.int64(0));
            if (it == index.end()) return;
            std::optional<std::string> value;
            if (!row.is_null(2)) value = std::string(row.text(2));
            add_event(out[it->second].history, row.text(1), value, from_unix_millis(row.int64(3)));
        });
    return out;
}

std::optional<std::pair<std::string, std::string>> TicketStore::player_scope(PlayerId id) {
    auto row =
        tx_.query_optional("SELECT country, brand FROM players WHERE id = ?", Params(id.value()));
    if (!row) return std::nullopt;
    return std::make_pair(row->text(0), row->text(1));
}

std::optional<std::string> TicketStore::operator_name(OperatorId id) {
    auto row = tx_.query_optional("SELECT name FROM operators WHERE id = ?", Params(id.value()));
    if (!row) return std::nullopt;
    return row->text(0);
}

void TicketStore::save_calendar(std::string_view name, const CalendarSpec& spec, Timestamp now) {
    tx_.execute(
        "INSERT INTO sla_calendars (name, spec_json, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET spec_json = excluded.spec_json, "
        "updated_at = excluded.updated_at",
        Params(name, to_json(spec).dump(), now));
}

std::optional<CalendarSpec> TicketStore::find_calendar(std::string_view name) {
    auto row =
        tx_.query_optional("SELECT spec_json FROM sla_calendars WHERE name = ?", Params(name));
    if (!row) return std::nullopt;
    return calendar_spec_from_json(Json::parse(row->text(0)));
}

void TicketStore::save_policy(const SlaPolicy& policy, Timestamp now) {
    tx_.execute(
        "INSERT INTO sla_policies (name, policy_json, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET policy_json = excluded.policy_json, "
        "updated_at = excluded.updated_at",
        Params(policy.name, to_json(policy).dump(), now));
}

std::optional<SlaPolicy> TicketStore::find_policy(std::string_view name) {
    auto row =
        tx_.query_optional("SELECT policy_json FROM sla_policies WHERE name = ?", Params(name));
    if (!row) return std::nullopt;
    return sla_policy_from_json(Json::parse(row->text(0)));
}

bool TicketStore::insert_notice(const SlaNotice& n, Timestamp now) {
    return tx_.execute(
               "INSERT INTO sla_notices (ticket_id, metric, kind, started_at, at) "
               "VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id, metric, kind, started_at) "
               "DO NOTHING",
               Params(n.ticket_id.value(), to_string(n.metric), n.kind, n.started_at, now)) == 1;
}

void TicketStore::insert_assignment(const AssignmentChange& c) {
    tx_.execute(
        "INSERT INTO ticket_assignments (ticket_id, from_queue, to_queue, from_agent, to_agent, "
        "actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        Params(c.ticket_id.value(), c.from_queue, c.to_queue, opt_value(c.from_agent),
               opt_value(c.to_agent), c.actor, c.reason, c.at));
}

std::vector<AssignmentChange> TicketStore::assignments(TicketId id) {
    std::vector<AssignmentChange> out;
    for (const Row& row :
         tx_.query("SELECT id, from_queue, to_queue, from_agent, to_agent, actor, reason, at "
                   "FROM ticket_assignments WHERE ticket_id = ? ORDER BY id",
                   Params(id.value()))) {
        out.push_back({row.int64(0), id, row.opt_text(1), row.opt_text(2), opt_operator(row, 3),
                       opt_operator(row, 4), row.text(5), row.text(6), row.timestamp(7)});
    }
    return out;
}

void TicketStore::save_queue(const Queue& q) {
    tx_.execute(
        "INSERT INTO helpdesk_queues (name, skill, strategy) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET skill = excluded.skill, strategy = excluded.strategy",
        Params(q.name, q.skill, to_string(q.strategy)));
}

std::optional<Queue> TicketStore::find_queue(std::string_view name) {
    auto row = tx_.query_optional(
        "SELECT name, skill, strategy FROM helpdesk_queues WHERE name = ?", Params(name));
    if (!row) return std::nullopt;
    return queue_from_row(*row);
}

std::vector<Queue> TicketStore::queues() {
    std::vector<Queue> out;
    for (const Row& row :
         tx_.query("SELECT name, skill, strategy FROM helpdesk_queues ORDER BY name")) {
        out.push_back(queue_from_row(row));
    }
    return out;
}

std::optional<OperatorId> TicketStore::last_assigned(std::string_view queue) {
    auto row = tx_.query_optional("SELECT last_assigned FROM helpdesk_queues WHERE name = ?",
                                  Params(queue));
    if (!row) return std::nullopt;
    return opt_operator(*row, 0);
}

void TicketStore::set_last_assigned(std::string_view queue, OperatorId agent) {
    tx_.execute("UPDATE helpdesk_queues SET last_assigned = ? WHERE name = ?",
                Params(agent.value(), queue));
}

void TicketStore::save_agent(OperatorId id, const std::vector<std::string>& skills, Timestamp now) {
    tx_.execute(
        "INSERT INTO helpdesk_agents (operator_id, online, updated_at) VALUES (?, 0, ?) "
        "ON CONFLICT (operator_id) DO UPDATE SET updated_at = excluded.updated_at",
        Params(id.value(), now));
    tx_.execute("DELETE FROM helpdesk_agent_skills WHERE operator_id = ?", Params(id.value()));
    for (const auto& skill : skills) {
        tx_.execute("INSERT INTO helpdesk_agent_skills (operator_id, skill) VALUES (?, ?)",
                    Params(id.value(), skill));
    }
}

void TicketStore::set_online(OperatorId id, bool online, Timestamp now) {
    tx_.execute("UPDATE helpdesk_agents SET online = ?, updated_at = ? WHERE operator_id = ?",
                Params(online, now, id.value()));
}

std::optional<Agent> TicketStore::find_agent(OperatorId id) {
    auto row = tx_.query_optional("SELECT online FROM helpdesk_agents WHERE operator_id = ?",
                                  Params(id.value()));
    if (!row) return std::nullopt;
    Agent agent{id, {}, row->boolean(0)};
    for (const Row& skill : tx_.query(
             "SELECT skill FROM helpdesk_agent_skills WHERE operator_id = ?", Params(id.value()))) {
        agent.skills.push_back(skill.text(0));
    }
    std::sort(agent.skills.begin(), agent.skills.end());
    return agent;
}

std::vector<Agent> TicketStore::agents() {
    std::vector<Agent> out;
    std::map<std::int64_t, std::size_t> index;
    for (const Row& row :
         tx_.query("SELECT operator_id, online FROM helpdesk_agents ORDER BY operator_id")) {
        index.emplace(row.int64(0), out.size());
        out.push_back({OperatorId(row.int64(0)), {}, row.boolean(1)});
    }
    for (const Row& row : tx_.query("SELECT operator_id, skill FROM helpdesk_agent_skills")) {
        const auto it = index.find(row.int64(0));
        if (it != index.end()) out[it->second].skills.push_back(row.text(1));
    }
    for (Agent& a : out) std::sort(a.skills.begin(), a.skills.end());
    return out;
}

std::vector<Candidate> TicketStore::candidates(std::string_view skill) {
    std::vector<Candidate> out;
    for (const Row& row :
         tx_.query("SELECT a.operator_id, (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = "
                   "a.operator_id AND t.status NOT IN ('solved', 'closed')) "
                   "FROM helpdesk_agents a JOIN helpdesk_agent_skills s ON s.operator_id = "
                   "a.operator_id WHERE a.online = 1 AND s.skill = ? ORDER BY a.operator_id",
                   Params(skill))) {
        out.push_back({OperatorId(row.int64(0)), row.int64(1)});
    }
    return out;
}

std::optional<std::string> TicketStore::setting(std::string_view name) {
    auto row =
        tx_.query_optional("SELECT value FROM helpdesk_settings WHERE name = ?", Params(name));
    if (!row) return std::nullopt;
    return row->text(0);
}

void TicketStore::set_setting(std::string_view name, std::string_view value) {
    tx_.execute(
        "INSERT INTO helpdesk_settings (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        Params(name, value));
}

void TicketStore::insert_communication(const Communication& c) {
    tx_.execute(
        "INSERT INTO communications (player_id, kind, channel, direction, summary, ref, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        Params(c.player_id.value(), c.kind, c.channel, c.direction, c.summary, c.ref, c.at));
}

std::vector<Communication> TicketStore::timeline(PlayerId player, std::size_t offset,
                                                 std::size_t limit) {
    std::vector<Communication> out;
    for (const Row& row :
         tx_.query("SELECT id, kind, channel, direction, summary, ref, at FROM communications "
                   "WHERE player_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                   Params(player.value(), static_cast<std::int64_t>(limit),
                          static_cast<std::int64_t>(offset)))) {
        out.push_back({row.int64(0), player, row.text(1), row.text(2), row.text(3), row.text(4),
                       row.text(5), row.timestamp(6)});
    }
    return out;
}

void TicketStore::save_template(const ReplyTemplate& t) {
    tx_.execute(
        "INSERT INTO reply_templates (name, language, body, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (name, language) DO UPDATE SET body = excluded.body, "
        "updated_at = excluded.updated_at",
        Params(t.name, t.language, t.body, t.updated_at));
}

std::vector<ReplyTemplate> TicketStore::template_variants(std::string_view name) {
    std::vector<ReplyTemplate> out;
    for (const Row& row :
         tx_.query("SELECT name, language, body, updated_at FROM reply_templates WHERE name = ?",
                   Params(name))) {
        out.push_back({row.text(0), row.text(1), row.text(2), row.timestamp(3)});
    }
    // Byte order on every backend, whatever its collation.
    std::sort(out.begin(), out.end(), [](const ReplyTemplate& a, const ReplyTemplate& b) {
        return a.language < b.language;
    });
    return out;
}

void TicketStore::insert_tags(TicketId id, const std::vector<std::string>& tags) {
    for (const auto& tag : tags) {
        tx_.execute("INSERT INTO ticket_tags (ticket_id, tag) VALUES (?, ?)",
                    Params(id.value(), tag));
    }
}

std::vector<std::string> TicketStore::tags_of(TicketId id) {
    std::vector<std::string> tags;
    for (const Row& row :
         tx_.query("SELECT tag FROM ticket_tags WHERE ticket_id = ?", Params(id.value()))) {
        tags.push_back(row.text(0));
    }
    std::sort(tags.begin(), tags.end());
    return tags;
}

std::vector<storage::Migration> TicketStore::migrations() {
    return {storage::Migration{"helpdesk", 1,
                               "tickets, threads, assignment, queues, agents, timeline, templates; "
                               "help-desk grants and the support_supervisor role",
                               std::string(kSchemaV1)}};
}

}  // namespace pitboss::helpdesk
