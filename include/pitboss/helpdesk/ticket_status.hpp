#pragma once
/// @file
/// Ticket priority and workflow state: the two enums the SLA calculation and the ticket service
/// share.

#include <string_view>

namespace pitboss::helpdesk {

/// How urgent a ticket is; SLA targets are set per priority.
enum class Priority { kLow, kNormal, kHigh, kUrgent };
/// "low", "normal", "high", "urgent".
[[nodiscard]] std::string_view to_string(Priority priority) noexcept;
/// Parses the names above; throws ValidationError(`field`).
[[nodiscard]] Priority parse_priority(std::string_view text, std::string_view field = "priority");

/// Workflow state of a ticket: new → open → pending (waiting on the player) → on_hold (waiting
/// on a third party) → solved → closed. SLA clocks pause in pending and on_hold.
enum class TicketStatus { kNew, kOpen, kPending, kOnHold, kSolved, kClosed };
/// "new", "open", "pending", "on_hold", "solved", "closed".
[[nodiscard]] std::string_view to_string(TicketStatus status) noexcept;
/// Parses the names above; throws ValidationError(`field`).
[[nodiscard]] TicketStatus parse_ticket_status(std::string_view text,
                                               std::string_view field = "status");

/// True for solved and closed: the ticket needs no more work unless reopened.
[[nodiscard]] constexpr bool is_done(TicketStatus status) noexcept {
    return status == TicketStatus::kSolved || status == TicketStatus::kClosed;
}
/// True for pending and on_hold: the SLA clocks are paused.
[[nodiscard]] constexpr bool is_paused(TicketStatus status) noexcept {
    return status == TicketStatus::kPending || status == TicketStatus::kOnHold;
}

}  // namespace pitboss::helpdesk
