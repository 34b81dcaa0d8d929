#include "pitboss/helpdesk/ticket_status.hpp"

#include <array>
#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {

namespace {

constexpr std::array<std::pair<Priority, std::string_view>, 4> kPriorityNames{{
    {Priority::kLow, "low"},
    {Priority::kNormal, "normal"},
    {Priority::kHigh, "high"},
    {Priority::kUrgent, "urgent"},
}};

constexpr std::array<std::pair<TicketStatus, std::string_view>, 6> kStatusNames{{
    {TicketStatus::kNew, "new"},
    {TicketStatus::kOpen, "open"},
    {TicketStatus::kPending, "pending"},
    {TicketStatus::kOnHold, "on_hold"},
    {TicketStatus::kSolved, "solved"},
    {TicketStatus::kClosed, "closed"},
}};

}  // namespace

std::string_view to_string(Priority priority) noexcept {
    for (const auto& [value, name] : kPriorityNames) {
        if (value == priority) return name;
    }
    return "unknown";
}

Priority parse_priority(std::string_view text, std::string_view field) {
    for (const auto& [value, name] : kPriorityNames) {
        if (name == text) return value;
    }
    throw ValidationError(std::string(field), "must be low, normal, high or urgent");
}

std::string_view to_string(TicketStatus status) noexcept {
    for (const auto& [value, name] : kStatusNames) {
        if (value == status) return name;
    }
    return "unknown";
}

TicketStatus parse_ticket_status(std::string_view text, std::string_view field) {
    for (const auto& [value, name] : kStatusNames) {
        if (name == text) return value;
    }
    throw ValidationError(std::string(field),
                          "must be new, open, pending, on_hold, solved or closed");
}

}  // namespace pitboss::helpdesk
