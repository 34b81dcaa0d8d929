#include "pitboss/helpdesk/ticket.hpp"

#include <array>
#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {
namespace {

constexpr std::array<std::pair<Channel, std::string_view>, 5> kChannelNames = {{
    {Channel::kLiveChat, "live_chat"},
    {Channel::kEmail, "email"},
    {Channel::kPhone, "phone"},
    {Channel::kWebForm, "web_form"},
    {Channel::kInternal, "internal"},
}};

constexpr std::array<std::pair<Category, std::string_view>, 8> kCategoryNames = {{
    {Category::kPayments, "payments"},
    {Category::kKyc, "kyc"},
    {Category::kBonus, "bonus"},
    {Category::kTechnical, "technical"},
    {Category::kResponsibleGambling, "responsible_gambling"},
    {Category::kComplaint, "complaint"},
    {Category::kAccount, "account"},
    {Category::kOther, "other"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) noexcept {
    for (const auto& [v, name] : names) {
        if (v == value) return name;
    }
    return "unknown";
}

template <class Enum, std::size_t N>
Enum parse_name(const std::array<std::pair<Enum, std::string_view>, N>& names,
                std::string_view text, std::string_view field) {
    std::string expected;
    for (const auto& [v, name] : names) {
        if (name == text) return v;
        if (!expected.empty()) expected += ", ";
        expected += name;
    }
    throw ValidationError(std::string(field), "must be one of " + expected);
}

Json optional_text(const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json optional_time(const std::optional<Timestamp>& value) {
    return value ? Json(format_timestamp(*value)) : Json(nullptr);
}

}  // namespace

std::string_view to_string(Channel channel) noexcept { return name_of(kChannelNames, channel); }

Channel parse_channel(std::string_view text, std::string_view field) {
    return parse_name(kChannelNames, text, field);
}

std::string_view to_string(Category category) noexcept { return name_of(kCategoryNames, category); }

Category parse_category(std::string_view text, std::string_view field) {
    return parse_name(kCategoryNames, text, field);
}

std::string_view to_string(MessageKind kind) noexcept {
    return kind == MessageKind::kReply ? "reply" : "note";
}

MessageKind parse_message_kind(std::string_view text, std::string_view field) {
    if (text == "reply") return MessageKind::kReply;
    if (text == "note") return MessageKind::kNote;
    throw ValidationError(std::string(field), "must be reply or note");
}

std::string_view to_string(AuthorKind kind) noexcept {
    return kind == AuthorKind::kPlayer ? "player" : "operator";
}

Json to_json(const Ticket& t) {
    return Json{
        {"id", t.id.value()},
        {"player_id", t.player_id ? Json(t.player_id->value()) : Json(nullptr)},
        {"contact_email", optional_text(t.contact_email)},
        {"contact_phone", optional_text(t.contact_phone)},
        {"channel", to_string(t.channel)},
        {"subject", t.subject},
        {"category", to_string(t.category)},
        {"priority", to_string(t.priority)},
        {"status", to_string(t.status)},
        {"tags", t.tags},
        {"queue", optional_text(t.queue)},
        {"assignee", t.assignee ? Json(t.assignee->value()) : Json(nullptr)},
        {"created_at", format_timestamp(t.created_at)},
        {"updated_at", format_timestamp(t.updated_at)},
        {"first_response_at", optional_time(t.first_response_at)},
        {"solved_at", optional_time(t.solved_at)},
        {"closed_at", optional_time(t.closed_at)},
        {"version", t.version},
    };
}

Json to_json(const TicketMessage& m) {
    Json attachments = Json::array();
    for (const Attachment& a : m.attachments) {
        attachments.push_back({{"name", a.name},
                               {"size", a.size},
                               {"content_type", a.content_type},
                               {"storage_key", a.storage_key}});
    }
    return Json{
        {"id", m.id},
        {"ticket_id", m.ticket_id.value()},
        {"kind", to_string(m.kind)},
        {"author_kind", to_string(m.author_kind)},
        {"author_id", m.author_id ? Json(m.author_id->value()) : Json(nullptr)},
        {"author_name", m.author_name},
        {"channel", to_string(m.channel)},
        {"body", m.body},
        {"at", format_timestamp(m.at)},
        {"attachments", attachments},
    };
}

}  // namespace pitboss::helpdesk
