// helpdesk: tickets, threads, assignment, SLA and KPIs (bo.helpdesk). Records go out as dicts
// in the JSON shape the CLI and REST use; enums are passed by name.

#include <optional>
#include <string>
#include <vector>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/helpdesk/helpdesk.hpp"

namespace pitboss::python {

namespace {

using namespace helpdesk;

std::optional<std::string> optional_text(const py::object& value, std::string_view field) {
    if (value.is_none()) return std::nullopt;
    return to_string(value, field);
}

std::vector<Attachment> to_attachments(const py::object& value) {
    std::vector<Attachment> out;
    if (value.is_none()) return out;
    for (py::handle item : value) {
        const Json j = to_json(item);
        if (!j.is_object()) throw py::type_error("attachments: expected a list of dicts");
        Attachment a;
        a.name = j.value("name", "");
        a.size = j.value("size", std::int64_t{0});
        a.content_type = j.value("content_type", "");
        a.storage_key = j.value("storage_key", "");
        out.push_back(std::move(a));
    }
    return out;
}

Json sla_json(HelpdeskService& hd, const Actor& actor, TicketId id) {
    const auto policy = hd.active_sla_policy(actor);
    if (!policy) return nullptr;
    const auto status = hd.sla(actor, id);
    return status ? to_json(*status, *policy) : Json(nullptr);
}

Json queue_json(const Queue& q) {
    return {{"name", q.name}, {"skill", q.skill}, {"strategy", to_string(q.strategy)}};
}

Json agent_json(const Agent& a) {
    return {{"id", a.id.value()}, {"skills", a.skills}, {"online", a.online}};
}

Json optional_agent(const std::optional<OperatorId>& id) {
    return id ? Json(id->value()) : Json(nullptr);
}

Json optional_queue(const std::optional<std::string>& name) {
    return name ? Json(*name) : Json(nullptr);
}

Json change_json(const AssignmentChange& c) {
    return {{"id", c.id},
            {"ticket_id", c.ticket_id.value()},
            {"from_queue", optional_queue(c.from_queue)},
            {"to_queue", optional_queue(c.to_queue)},
            {"from_agent", optional_agent(c.from_agent)},
            {"to_agent", optional_agent(c.to_agent)},
            {"actor", c.actor},
            {"reason", c.reason},
            {"at", format_timestamp(c.at)}};
}

Json template_json(const ReplyTemplate& t) {
    return {{"name", t.name},
            {"language", t.language},
            {"body", t.body},
            {"updated_at", format_timestamp(t.updated_at)}};
}

/// Runs `call` (returning a Ticket) without the GIL and gives the ticket as a dict.
template <typename Call>
py::object ticket_out(Call&& call) {
    Json out;
    {
        py::gil_scoped_release release;
        out = to_json(call());
    }
    return from_json(out);
}

}  // namespace

void bind_helpdesk(py::module_& m) {
    py::class_<HelpdeskService>(
        m, "HelpdeskService",
        "Help desk: tickets, threads, assignment, SLA, timelines (bo.helpdesk).")
        .def(
            "open_ticket",
            [](HelpdeskService& hd, const Actor& actor, const std::string& subject,
               const py::object& player_id, const py::object& contact_email,
               const py::object& contact_phone, const std::string& channel,
               const std::string& category, const std::string& priority,
               const std::vector<std::string>& tags, const py::object& body,
               const py::object& attachments, const py::object& queue) {
                NewTicket input;
                if (!player_id.is_none())
                    input.player_id = PlayerId(to_int(player_id, "player_id"));
                input.contact_email = optional_text(contact_email, "contact_email");
                input.contact_phone = optional_text(contact_phone, "contact_phone");
                input.subject = subject;
                input.channel = parse_channel(channel);
                input.category = parse_category(category);
                input.priority = parse_priority(priority);
                input.tags = tags;
                input.body = optional_text(body, "body");
                input.attachments = to_attachments(attachments);
                input.queue = optional_text(queue, "queue");
                Json out;
                {
                    py::gil_scoped_release release;
                    out = to_json(hd.open_ticket(actor, input));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("subject"), py::kw_only(), py::arg("player_id") = py::none(),
            py::arg("contact_email") = py::none(), py::arg("contact_phone") = py::none(),
            py::arg("channel") = "web_form", py::arg("category") = "other",
            py::arg("priority") = "normal", py::arg("tags") = std::vector<std::string>{},
            py::arg("body") = py::none(), py::arg("attachments") = py::none(),
            py::arg("queue") = py::none(),
            "Opens a ticket for a player or an unknown contact; returns it as a dict.")
        .def(
            "get_ticket",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id) {
                Json out;
                {
                    py::gil_scoped_release release;
                    out = to_json(hd.get_ticket(actor, TicketId(id)));
                    out["sla"] = sla_json(hd, actor, TicketId(id));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("ticket_id"), "One ticket as a dict, with its SLA.")
        .def(
            "list_tickets",
            [](HelpdeskService& hd, const Actor& actor, const py::object& status,
               const py::object& category, const py::object& priority, const py::object& player_id,
               bool open_only, std::int64_t after, std::size_t limit) {
                TicketFilter f;
                if (!status.is_none()) f.status = parse_ticket_status(to_string(status, "status"));
                if (!category.is_none())
                    f.category = parse_category(to_string(category, "category"));
                if (!priority.is_none())
                    f.priority = parse_priority(to_string(priority, "priority"));
                if (!player_id.is_none()) f.player_id = PlayerId(to_int(player_id, "player_id"));
                f.open_only = open_only;
                f.after = TicketId(after);
                f.limit = limit;
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    for (const Ticket& t : hd.list_tickets(actor, f)) out.push_back(to_json(t));
                }
                return from_json(out);
            },
            py::arg("actor"), py::kw_only(), py::arg("status") = py::none(),
            py::arg("category") = py::none(), py::arg("priority") = py::none(),
            py::arg("player_id") = py::none(), py::arg("open_only") = false, py::arg("after") = 0,
            py::arg("limit") = 100, "A page of tickets (dicts) ordered by id.")
        .def(
            "thread",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id) {
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    for (const auto& msg : hd.thread(actor, TicketId(id)))
                        out.push_back(to_json(msg));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("ticket_id"), "The ticket's messages (dicts), oldest first.")
        .def(
            "reply",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id, const std::string& body,
               bool note, const std::string& channel, const py::object& status,
               const py::object& attachments) {
                NewReply r;
                r.body = body;
                r.kind = note ? MessageKind::kNote : MessageKind::kReply;
                r.channel = parse_channel(channel);
                if (!status.is_none()) r.status = parse_ticket_status(to_string(status, "status"));
                r.attachments = to_attachments(attachments);
                Json out;
                {
                    py::gil_scoped_release release;
                    out = to_json(hd.reply(actor, TicketId(id), r));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("ticket_id"), py::arg("body"), py::kw_only(),
            py::arg("note") = false, py::arg("channel") = "email", py::arg("status") = py::none(),
            py::arg("attachments") = py::none(),
            "An operator's public reply (or internal note with note=True); returns the message.")
        .def(
            "add_player_message",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id, const std::string& body,
               const std::string& channel) {
                PlayerMessage msg{parse_channel(channel), body, {}};
                Json out;
                {
                    py::gil_scoped_release release;
                    out = to_json(hd.add_player_message(actor, TicketId(id), msg));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("ticket_id"), py::arg("body"), py::kw_only(),
            py::arg("channel") = "email",
            "Records the requester's message; reopens within the window.")
        .def(
            "set_status",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id,
               const std::string& status) {
                const TicketStatus to = parse_ticket_status(status);
                Json out;
                {
                    py::gil_scoped_release release;
                    out = to_json(hd.set_status(actor, TicketId(id), to));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("ticket_id"), py::arg("status"),
            "Moves the ticket; an illegal move raises ConflictError.")
        .def(
            "set_priority",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id,
               const std::string& priority) {
                const Priority p = parse_priority(priority);
                return ticket_out([&] { return hd.set_priority(actor, TicketId(id), p); });
            },
            py::arg("actor"), py::arg("ticket_id"), py::arg("priority"),
            "Changes the priority; below the category's minimum raises ValidationError.")
        .def(
            "set_tags",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id,
               const std::vector<std::string>& tags) {
                return ticket_out([&] { return hd.set_tags(actor, TicketId(id), tags); });
            },
            py::arg("actor"), py::arg("ticket_id"), py::arg("tags"), "Replaces the tags.")
        .def(
            "link_player",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id, std::int64_t player_id) {
                return ticket_out(
                    [&] { return hd.link_player(actor, TicketId(id), PlayerId(player_id)); });
            },
            py::arg("actor"), py::arg("ticket_id"), py::arg("player_id"),
            "Links an unknown contact's ticket to a player; ConflictError when already linked.")
        .def(
            "assign",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id, const py::object& queue,
               const py::object& agent) {
                Assignment a;
                a.queue = optional_text(queue, "queue");
                if (!agent.is_none()) a.agent = OperatorId(to_int(agent, "agent"));
                return ticket_out([&] { return hd.assign(actor, TicketId(id), a); });
            },
            py::arg("actor"), py::arg("ticket_id"), py::kw_only(), py::arg("queue") = py::none(),
            py::arg("agent") = py::none(),
            "Moves the ticket to a queue and/or agent (operator id), recorded in the history.")
        .def(
            "auto_assign",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id) {
                return ticket_out([&] { return hd.auto_assign(actor, TicketId(id)); });
            },
            py::arg("actor"), py::arg("ticket_id"),
            "Gives the ticket to an online agent of its queue's skill, by the queue's strategy.")
        .def(
            "assignment_history",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id) {
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    for (const auto& c : hd.assignment_history(actor, TicketId(id)))
                        out.push_back(change_json(c));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("ticket_id"),
            "Every queue/agent change of the ticket (dicts), oldest first.")
        .def(
            "save_queue",
            [](HelpdeskService& hd, const Actor& actor, const std::string& name,
               const std::string& skill, const std::string& strategy) {
                const Queue q{name, skill, parse_assign_strategy(strategy)};
                Json out;
                {
                    py::gil_scoped_release release;
                    out = queue_json(hd.save_queue(actor, q));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("name"), py::arg("skill"), py::kw_only(),
            py::arg("strategy") = "round_robin",
            "Creates or replaces a queue (strategy round_robin or least_loaded); returns it.")
        .def(
            "queues",
            [](HelpdeskService& hd, const Actor& actor) {
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    for (const Queue& q : hd.queues(actor)) out.push_back(queue_json(q));
                }
                return from_json(out);
            },
            py::arg("actor"), "Every queue (dicts), by name.")
        .def(
            "save_agent",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t operator_id,
               const std::vector<std::string>& skills) {
                Json out;
                {
                    py::gil_scoped_release release;
                    out = agent_json(hd.save_agent(actor, OperatorId(operator_id), skills));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("operator_id"), py::arg("skills"),
            "Makes an operator a help-desk agent with these skills (or changes them).")
        .def(
            "set_online",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t operator_id, bool online) {
                Json out;
                {
                    py::gil_scoped_release release;
                    out = agent_json(hd.set_online(actor, OperatorId(operator_id), online));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("operator_id"), py::arg("online"),
            "Sets an agent online or offline; returns the agent.")
        .def(
            "agents",
            [](HelpdeskService& hd, const Actor& actor) {
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    for (const Agent& a : hd.agents(actor)) out.push_back(agent_json(a));
                }
                return from_json(out);
            },
            py::arg("actor"), "Every agent (dicts), by id.")
        .def(
            "reopen_window",
            [](HelpdeskService& hd, const Actor& actor) {
                Duration window{};
                {
                    py::gil_scoped_release release;
                    window = hd.reopen_window(actor);
                }
                return py::module_::import("datetime")
                    .attr("timedelta")(py::arg("milliseconds") = window.count());
            },
            py::arg("actor"), "How long after solving a player's reply reopens the ticket.")
        .def(
            "set_reopen_window",
            [](HelpdeskService& hd, const Actor& actor, const py::object& window) {
                const Duration d = to_duration(window, "window");
                py::gil_scoped_release release;
                hd.set_reopen_window(actor, d);
            },
            py::arg("actor"), py::arg("window"), "Sets the reopen window (0 to 365 days).")
        .def(
            "save_template",
            [](HelpdeskService& hd, const Actor& actor, const std::string& name,
               const std::string& language, const std::string& body) {
                ReplyTemplate t;
                t.name = name;
                t.language = language;
                t.body = body;
                Json out;
                {
                    py::gil_scoped_release release;
                    out = template_json(hd.save_template(actor, t));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("name"), py::arg("language"), py::arg("body"),
            "Saves a reply template in one language; an unknown placeholder raises "
            "ValidationError naming body.")
        .def(
            "template_variants",
            [](HelpdeskService& hd, const Actor& actor, const std::string& name) {
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    for (const auto& t : hd.template_variants(actor, name))
                        out.push_back(template_json(t));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("name"), "The template's language variants (dicts).")
        .def(
            "render_reply",
            [](HelpdeskService& hd, const Actor& actor, const std::string& name, std::int64_t id) {
                py::gil_scoped_release release;
                return hd.render_reply(actor, name, TicketId(id));
            },
            py::arg("actor"), py::arg("name"), py::arg("ticket_id"),
            "Renders a template for a ticket in the player's language.")
        .def(
            "save_calendar",
            [](HelpdeskService& hd, const Actor& actor, const std::string& name,
               const py::object& spec) {
                const CalendarSpec c = calendar_spec_from_json(to_json(spec));
                py::gil_scoped_release release;
                hd.save_calendar(actor, name, c);
            },
            py::arg("actor"), py::arg("name"), py::arg("spec"),
            "Stores a business calendar given as a dict (time_zone, always_open, weekly_hours, "
            "holidays).")
        .def(
            "find_calendar",
            [](HelpdeskService& hd, const Actor& actor, const std::string& name) {
                Json out;
                {
                    py::gil_scoped_release release;
                    const auto spec = hd.find_calendar(actor, name);
                    out = spec ? to_json(*spec) : Json(nullptr);
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("name"), "A stored calendar as a dict, or None.")
        .def(
            "save_sla_policy",
            [](HelpdeskService& hd, const Actor& actor, const py::object& policy) {
                const SlaPolicy p = sla_policy_from_json(to_json(policy));
                py::gil_scoped_release release;
                hd.save_sla_policy(actor, p);
            },
            py::arg("actor"), py::arg("policy"),
            "Stores an SLA policy given as a dict; ValidationError naming the field.")
        .def(
            "activate_sla_policy",
            [](HelpdeskService& hd, const Actor& actor, const std::string& name) {
                py::gil_scoped_release release;
                hd.activate_sla_policy(actor, name);
            },
            py::arg("actor"), py::arg("name"), "Makes a stored policy the one in force.")
        .def(
            "active_sla_policy",
            [](HelpdeskService& hd, const Actor& actor) {
                Json out;
                {
                    py::gil_scoped_release release;
                    const auto policy = hd.active_sla_policy(actor);
                    out = policy ? to_json(*policy) : Json(nullptr);
                }
                return from_json(out);
            },
            py::arg("actor"), "The policy in force as a dict, or None.")
        .def(
            "sla",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t id) {
                Json out;
                {
                    py::gil_scoped_release release;
                    out = sla_json(hd, actor, TicketId(id));
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("ticket_id"),
            "The ticket's SLA as a dict, or None when no policy is active.")
        .def(
            "sla_many",
            [](HelpdeskService& hd, const Actor& actor) {
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    const auto policy = hd.active_sla_policy(actor);
                    if (policy) {
                        for (const TicketSla& t : hd.sla_many(actor)) {
                            Json j = to_json(t.status, *policy);
                            j["ticket_id"] = t.ticket_id.value();
                            out.push_back(std::move(j));
                        }
                    }
                }
                return from_json(out);
            },
            py::arg("actor"), "The SLA of every open ticket the actor may read (dicts), by id.")
        .def(
            "timeline",
            [](HelpdeskService& hd, const Actor& actor, std::int64_t player_id, std::size_t offset,
               std::size_t limit) {
                Json out = Json::array();
                {
                    py::gil_scoped_release release;
                    for (const auto& c : hd.timeline(actor, PlayerId(player_id), offset, limit)) {
                        out.push_back({{"id", c.id},
                                       {"kind", c.kind},
                                       {"channel", c.channel},
                                       {"direction", c.direction},
                                       {"summary", c.summary},
                                       {"ref", c.ref},
                                       {"at", format_timestamp(c.at)}});
                    }
                }
                return from_json(out);
            },
            py::arg("actor"), py::arg("player_id"), py::kw_only(), py::arg("offset") = 0,
            py::arg("limit") = 50, "The player's communications (dicts), newest first.")
        .def(
            "check_sla_breaches",
            [](HelpdeskService& hd, const Actor& actor) {
                SlaSweepReport r;
                {
                    py::gil_scoped_release release;
                    r = hd.check_sla_breaches(actor);
                }
                py::dict out;
                out["checked"] = r.checked;
                out["breached"] = r.breached;
                out["approaching"] = r.approaching;
                out["escalated"] = r.escalated;
                return out;
            },
            py::arg("actor"), "Emits breach/approaching events once and escalates; returns counts.")
        .def(
            "queue_kpis",
            [](HelpdeskService& hd, const Actor& actor, const py::object& queue) {
                const auto name = optional_text(queue, "queue");
                Json out;
                {
                    py::gil_scoped_release release;
                    out = to_json(hd.queue_kpis(actor, name));
                }
                return from_json(out);
            },
            py::arg("actor"), py::kw_only(), py::arg("queue") = py::none(),
            "Queue KPIs as a dict (durations in milliseconds).");
}

}  // namespace pitboss::python
