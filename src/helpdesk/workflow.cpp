#include "pitboss/helpdesk/workflow.hpp"

#include <algorithm>
#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {

bool transition_allowed(TicketStatus from, TicketStatus to) noexcept {
    using S = TicketStatus;
    switch (from) {
        case S::kNew:
            return to == S::kOpen || to == S::kPending || to == S::kOnHold || to == S::kSolved;
        case S::kOpen:
            return to == S::kPending || to == S::kOnHold || to == S::kSolved;
        case S::kPending:
            return to == S::kOpen || to == S::kOnHold || to == S::kSolved;
        case S::kOnHold:
            return to == S::kOpen || to == S::kPending || to == S::kSolved;
        case S::kSolved:
            return to == S::kOpen || to == S::kClosed;
        case S::kClosed:
            return false;
    }
    return false;
}

void check_transition(TicketId id, TicketStatus from, TicketStatus to) {
    if (!transition_allowed(from, to)) {
        throw ConflictError("ticket:" + id.to_string() + " cannot move from " +
                            std::string(to_string(from)) + " to " + std::string(to_string(to)));
    }
}

Priority minimum_priority(Category category) noexcept {
    return category == Category::kResponsibleGambling || category == Category::kComplaint
               ? Priority::kHigh
               : Priority::kLow;
}

Priority effective_priority(Category category, Priority requested) noexcept {
    return std::max(requested, minimum_priority(category));
}

Priority raised(Priority priority) noexcept {
    switch (priority) {
        case Priority::kLow:
            return Priority::kNormal;
        case Priority::kNormal:
            return Priority::kHigh;
        case Priority::kHigh:
        case Priority::kUrgent:
            return Priority::kUrgent;
    }
    return Priority::kUrgent;
}

PlayerReplyEffect on_player_reply(TicketStatus status, std::optional<Timestamp> solved_at,
                                  Timestamp now, Duration reopen_window) noexcept {
    switch (status) {
        case TicketStatus::kPending:
            return {true, TicketStatus::kOpen};
        case TicketStatus::kSolved:
            if (solved_at && now - *solved_at <= reopen_window) return {true, TicketStatus::kOpen};
            return {false, std::nullopt};
        case TicketStatus::kClosed:
            return {false, std::nullopt};
        case TicketStatus::kNew:
        case TicketStatus::kOpen:
        case TicketStatus::kOnHold:
            return {true, std::nullopt};
    }
    return {false, std::nullopt};
}

std::string_view to_string(AssignStrategy strategy) noexcept {
    return strategy == AssignStrategy::kRoundRobin ? "round_robin" : "least_loaded";
}

AssignStrategy parse_assign_strategy(std::string_view text, std::string_view field) {
    if (text == "round_robin") return AssignStrategy::kRoundRobin;
    if (text == "least_loaded") return AssignStrategy::kLeastLoaded;
    throw ValidationError(std::string(field), "must be round_robin or least_loaded");
}

std::optional<OperatorId> choose_agent(AssignStrategy strategy,
                                       std::span<const Candidate> candidates,
                                       std::optional<OperatorId> last_assigned) {
    if (candidates.empty()) return std::nullopt;
    if (strategy == AssignStrategy::kLeastLoaded) {
        const auto best = std::min_element(
            candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
                return a.load != b.load ? a.load < b.load : a.agent < b.agent;
            });
        return best->agent;
    }
    std::optional<OperatorId> next;
    OperatorId smallest = candidates.front().agent;
    for (const Candidate& c : candidates) {
        smallest = std::min(smallest, c.agent);
        if (last_assigned && c.agent <= *last_assigned) continue;
        if (!next || c.agent < *next) next = c.agent;
    }
    return next ? next : smallest;
}

}  // namespace pitboss::helpdesk
