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
