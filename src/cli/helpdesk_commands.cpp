// `pitboss ticket open|reply|list|show|sla`: the help desk from the command line.

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/helpdesk/helpdesk.hpp"
#include "pitboss/players/player_service.hpp"

namespace pitboss::cli {
namespace {

using namespace helpdesk;

std::int64_t positive_id(std::string_view what, const std::string& text) {
    const std::string_view digits =
        !text.empty() && text[0] == '#' ? std::string_view(text).substr(1) : std::string_view(text);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size() || value < 1) {
        throw UsageError(std::string(what) + ": '" + text + "' is not an id");
    }
    return value;
}

std::string time_or_dash(const std::optional<Timestamp>& t) {
    return t ? format_timestamp(*t) : "-";
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text.empty() ? "-" : text;
}

Fields ticket_fields(const Ticket& t) {
    return {
        {"id", t.id.to_string()},
        {"subject", t.subject},
        {"status", std::string(to_string(t.status))},
        {"priority", std::string(to_string(t.priority))},
        {"category", std::string(to_string(t.category))},
        {"channel", std::string(to_string(t.channel))},
        {"player", t.player_id ? "#" + t.player_id->to_string() : "-"},
        {"contact", or_dash(t.contact_email ? t.contact_email : t.contact_phone)},
        {"tags", joined(t.tags)},
        {"queue", or_dash(t.queue)},
        {"assignee", t.assignee ? "operator:" + t.assignee->to_string() : "-"},
        {"created_at", format_timestamp(t.created_at)},
        {"first_response_at", time_or_dash(t.first_response_at)},
        {"solved_at", time_or_dash(t.solved_at)},
        {"closed_at", time_or_dash(t.closed_at)},
    };
}

std::string duration_text(std::optional<Duration> d) {
    if (!d) return "-";
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(*d).count();
    const auto sign = minutes < 0 ? "-" : "";
    const auto m = minutes < 0 ? -minutes : minutes;
    return sign + std::to_string(m / 60) + "h" + (m % 60 < 10 ? "0" : "") + std::to_string(m % 60);
}

std::vector<std::string> sla_row(const std::string& id, const SlaStatus& s) {
    auto cell = [](const SlaTargetStatus& target) {
        std::string text(to_string(target.state));
        if (target.state == SlaState::kRunning || target.state == SlaState::kPaused) {
            text += " " + duration_text(target.remaining) + (target.approaching ? " !" : "");
        }
        return text;
    };
    return {id,
            std::string(to_string(s.priority)),
            std::string(to_string(s.status)),
            cell(s.first_response),
            cell(s.next_response),
            cell(s.resolution)};
}

const std::vector<std::string> kSlaHeader = {"ticket",         "priority",      "status",
                                             "first_response", "next_response", "resolution"};

}  // namespace

int run_ticket_open(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    NewTicket input;
    const std::string& requester = call.arguments.at(0);
    if (requester.find('@') != std::string::npos) {
        input.contact_email = requester;
    } else if (!requester.empty() && requester[0] == '+') {
        input.contact_phone = requester;
    } else if (!requester.empty() && requester[0] == '#') {
        input.player_id = PlayerId(positive_id("ticket open", requester));
    } else {
        input.player_id = bo.players().get_by_external_id(actor, requester).id;
    }
    input.subject = call.arguments.at(1);
    if (auto v = call.args.value("channel")) input.channel = parse_channel(*v, "--channel");
    if (auto v = call.args.value("category")) input.category = parse_category(*v, "--category");
    if (auto v = call.args.value("priority")) input.priority = parse_priority(*v, "--priority");
    input.body = call.args.value("body");
    const Ticket ticket = bo.helpdesk().open_ticket(actor, input);
    if (call.json) {
        call.out << to_json(ticket).dump(2) << '\n';
    } else {
        call.out << "opened ticket " << ticket.id.to_string() << " (" << to_string(ticket.priority)
                 << ")\n";
    }
    return kExitOk;
}

int run_ticket_reply(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const TicketId id(positive_id("ticket reply", call.arguments.at(0)));
    NewReply reply;
    reply.body = call.arguments.at(1);
    reply.kind = call.args.has("note") ? MessageKind::kNote : MessageKind::kReply;
    reply.channel = reply.kind == MessageKind::kNote ? Channel::kInternal : Channel::kEmail;
    if (auto v = call.args.value("channel")) reply.channel = parse_channel(*v, "--channel");
    if (auto v = call.args.value("status")) reply.status = parse_ticket_status(*v, "--status");
    const TicketMessage message = bo.helpdesk().reply(actor, id, reply);
    if (call.json) {
        call.out << to_json(message).dump(2) << '\n';
    } else {
        const Ticket ticket = bo.helpdesk().get_ticket(actor, id);
        call.out << (message.kind == MessageKind::kNote ? "noted on" : "replied to") << " ticket "
                 << id.to_string() << " (" << to_string(ticket.status) << ")\n";
    }
    return kExitOk;
}

int run_ticket_list(const Invocation& call) {
    TicketFilter filter;
    if (auto v = call.args.value("status")) filter.status = parse_ticket_status(*v, "--status");
    if (auto v = call.args.value("category")) filter.category = parse_category(*v, "--category");
    if (auto v = call.args.value("priority")) filter.priority = parse_priority(*v, "--priority");
    if (auto v = call.args.value("after")) {
        filter.after =
            TicketId(integer_option("after", *v, 0, std::numeric_limits<std::int64_t>::max()));
    }
    if (auto v = call.args.value("limit")) {
        filter.limit = static_cast<std::size_t>(integer_option("limit", *v, 1, 10'000));
    }
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto tickets = bo.helpdesk().list_tickets(actor, filter);
    if (call.json) {
        Json list = Json::array();
        for (const Ticket& t : tickets) list.push_back(to_json(t));
        call.out << list.dump(2) << '\n';
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const Ticket& t : tickets) {
        rows.push_back({t.id.to_string(), std::string(to_string(t.status)),
                        std::string(to_string(t.priority)), std::string(to_string(t.category)),
                        std::string(to_string(t.channel)), or_dash(t.queue), t.subject});
    }
    print_table(call.out, {"id", "status", "priority", "category", "channel", "queue", "subject"},
                rows);
    return kExitOk;
}

int run_ticket_show(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const TicketId id(positive_id("ticket show", call.arguments.at(0)));
    const Ticket ticket = bo.helpdesk().get_ticket(actor, id);
    const auto thread = bo.helpdesk().thread(actor, id);
    const auto policy = bo.helpdesk().active_sla_policy(actor);
    const auto sla = policy ? bo.helpdesk().sla(actor, id) : std::nullopt;
    if (call.json) {
        Json shown = to_json(ticket);
        shown["sla"] = sla ? to_json(*sla, *policy) : Json(nullptr);
        Json messages = Json::array();
        for (const auto& m : thread) messages.push_back(to_json(m));
        shown["thread"] = messages;
        call.out << shown.dump(2) << '\n';
        return kExitOk;
    }
    print_fields(call.out, ticket_fields(ticket));
    if (sla) {
        call.out << '\n';
        print_table(call.out, kSlaHeader, {sla_row(id.to_string(), *sla)});
    }
    for (const TicketMessage& m : thread) {
        call.out << "\n[" << format_timestamp(m.at) << "] " << m.author_name << " ("
                 << to_string(m.kind) << ", " << to_string(m.channel) << ")\n"
                 << m.body << '\n';
        for (const Attachment& a : m.attachments) {
            call.out << "  attachment: " << a.name << " (" << a.content_type << ", " << a.size
                     << " bytes)\n";
        }
    }
    return kExitOk;
}

int run_ticket_sla(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto policy = bo.helpdesk().active_sla_policy(actor);
    if (!policy) {
        call.err << "no SLA policy is active\n";
        return kExitFailure;
    }
    const std::vector<TicketSla> rows = bo.helpdesk().sla_many(actor);
    if (call.json) {
        Json list = Json::array();
        for (const auto& r : rows) {
            Json j = to_json(r.status, *policy);
            j["ticket_id"] = r.ticket_id.value();
            list.push_back(j);
        }
        call.out << list.dump(2) << '\n';
        return kExitOk;
    }
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows) table.push_back(sla_row(r.ticket_id.to_string(), r.status));
    print_table(call.out, kSlaHeader, table);
    return kExitOk;
}

}  // namespace pitboss::cli
