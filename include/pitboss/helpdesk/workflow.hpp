#pragma once
/// @file
/// The ticket workflow as pure functions: the transition table, category minimum priorities,
/// reopening on a player's reply, and the assignment choice.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "pitboss/core/id.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/helpdesk/ticket.hpp"

namespace pitboss::helpdesk {

/// True when the workflow allows moving a ticket from `from` to `to`:
/// new → open, pending, on_hold, solved; open → pending, on_hold, solved;
/// pending → open, on_hold, solved; on_hold → open, pending, solved; solved → open, closed;
/// closed is final. Staying in the same state is not a transition.
[[nodiscard]] bool transition_allowed(TicketStatus from, TicketStatus to) noexcept;
/// Throws ConflictError naming the ticket and both states unless transition_allowed().
void check_transition(TicketId id, TicketStatus from, TicketStatus to);

/// The lowest priority a category may have: high for responsible gambling and complaints,
/// low otherwise.
[[nodiscard]] Priority minimum_priority(Category category) noexcept;
/// `requested`, raised to the category's minimum.
[[nodiscard]] Priority effective_priority(Category category, Priority requested) noexcept;
/// The next priority up (urgent stays urgent).
[[nodiscard]] Priority raised(Priority priority) noexcept;

/// What a player's message does to a ticket's state.
struct PlayerReplyEffect {
    bool accepted = true;               ///< false: the ticket is closed or solved too long ago
    std::optional<TicketStatus> moves;  ///< the state it moves to, when it changes
};

/// A player's message: pending → open (the player answered); solved within `reopen_window`
/// of `solved_at` → open (reopened); solved longer ago, or closed → not accepted (the player
/// needs a new ticket); other states unchanged.
[[nodiscard]] PlayerReplyEffect on_player_reply(TicketStatus status,
                                                std::optional<Timestamp> solved_at, Timestamp now,
                                                Duration reopen_window) noexcept;

/// How a queue picks an agent.
enum class AssignStrategy { kRoundRobin, kLeastLoaded };
/// "round_robin", "least_loaded".
[[nodiscard]] std::string_view to_string(AssignStrategy strategy) noexcept;
/// Parses the names above; throws ValidationError(`field`).
[[nodiscard]] AssignStrategy parse_assign_strategy(std::string_view text,
                                                   std::string_view field = "strategy");

/// An agent eligible for a queue (online, holding its skill) and the open tickets they hold.
struct Candidate {
    OperatorId agent;       ///< the operator
    std::int64_t load = 0;  ///< open tickets assigned to them
};

/// The agent to assign, or nothing when there is no candidate. Round robin: the candidate
/// with the smallest id greater than `last_assigned`, wrapping to the smallest id. Least
/// loaded: the smallest load, ties to the smallest id. Candidates need not be sorted.
[[nodiscard]] std::optional<OperatorId> choose_agent(AssignStrategy strategy,
                                                     std::span<const Candidate> candidates,
                                                     std::optional<OperatorId> last_assigned);

}  // namespace pitboss::helpdesk
