#pragma once
/// @file
/// Pure SLA calculation: policies (targets per priority, category and VIP tier), a ticket's
/// history, and the status of each target at a given instant. No I/O, no clock reads; the
/// rules are documented in docs/helpdesk.md ("SLA").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/helpdesk/calendar.hpp"
#include "pitboss/helpdesk/ticket.hpp"
#include "pitboss/helpdesk/ticket_status.hpp"

namespace pitboss::helpdesk {

/// The three SLA targets of a ticket.
enum class SlaMetric { kFirstResponse, kNextResponse, kResolution };
/// "first_response", "next_response", "resolution".
[[nodiscard]] std::string_view to_string(SlaMetric metric) noexcept;

/// Business-time targets of a rule; an absent target is not measured.
struct SlaTargets {
    std::optional<Duration> first_response;  ///< creation → first public agent reply
    std::optional<Duration> next_response;   ///< oldest unanswered player reply → agent reply
    std::optional<Duration> resolution;      ///< creation → solved, pauses excluded
    /// Field-wise equality.
    friend bool operator==(const SlaTargets&, const SlaTargets&) = default;
};

/// When a running target counts as approaching its breach.
struct ApproachingRule {
    int percent = 80;  ///< approaching once this share (1-99) of the target has elapsed
    /// When set, approaching once this much business time or less remains (replaces percent).
    std::optional<Duration> remaining;
    /// Field-wise equality.
    friend bool operator==(const ApproachingRule&, const ApproachingRule&) = default;
};

/// What the ticket service does when a target of the rule is breached (data, applied by the
/// service, not by compute_sla).
struct Escalation {
    bool raise_priority = false;                ///< raise the priority one step (urgent stays)
    std::optional<std::string> reassign_queue;  ///< move the ticket to this supervisor queue
    /// Field-wise equality.
    friend bool operator==(const Escalation&, const Escalation&) = default;
};

/// The targets for one priority, optionally narrowed to a category and/or a VIP tier.
struct SlaRule {
    std::string name;                       ///< unique in its policy, 1-64 characters
    Priority priority = Priority::kNormal;  ///< tickets of this priority
    std::optional<Category> category;       ///< only tickets of this category, when set
    std::optional<std::string> vip_tier;    ///< only players of this tier, when set
    SlaTargets targets;                     ///< the business-time targets
    /// true: targets count the policy's calendar hours; false: they count 24/7.
    bool business_hours = true;
    ApproachingRule approaching;  ///< when a running target is "approaching"
    Escalation on_breach;         ///< what the service does on a breach
    /// Field-wise equality.
    friend bool operator==(const SlaRule&, const SlaRule&) = default;
};

/// A named set of rules sharing one business calendar (resolved by the service by name).
struct SlaPolicy {
    std::string name;                  ///< 1-64 characters
    std::string calendar = "default";  ///< name of the BusinessCalendar the rules count in
    std::vector<SlaRule> rules;        ///< at most one per (priority, category, tier)
    /// Field-wise equality.
    friend bool operator==(const SlaPolicy&, const SlaPolicy&) = default;
};

/// Throws ValidationError naming the field ("name", "rules[2].targets.resolution",
/// "rules[1].approaching.percent", "rules[3]" for a duplicate selector ...). Targets must be
/// positive; names 1-64 characters.
void validate(const SlaPolicy& policy);

/// The most specific rule for a ticket: same priority, and category and tier equal to the
/// rule's when the rule sets them; a rule with both beats one with a category, which beats one
/// with a tier, which beats one with neither. Index into policy.rules, or nothing.
[[nodiscard]] std::optional<std::size_t> match_rule(const SlaPolicy& policy, Priority priority,
                                                    Category category,
                                                    std::string_view vip_tier) noexcept;

/// The policy as JSON: {"name", "calendar", "rules": [{"name", "priority", "category"?,
/// "vip_tier"?, "first_response_minutes"?, "next_response_minutes"?, "resolution_minutes"?,
/// "business_hours", "approaching_percent", "approaching_remaining_minutes"?,
/// "escalate_raise_priority", "escalate_queue"?}]}.
[[nodiscard]] Json to_json(const SlaPolicy& policy);
/// Reads the JSON above and validates it; throws ValidationError naming the field.
[[nodiscard]] SlaPolicy sla_policy_from_json(const Json& j);

/// What happened to a ticket, as far as the SLA is concerned.
enum class TicketEventKind {
    kStatusChanged,    ///< the workflow state changed (uses `status`)
    kAgentReply,       ///< an operator's public reply (internal notes do not count)
    kPlayerReply,      ///< a message from the player
    kPriorityChanged,  ///< the priority changed (uses `priority`); targets are re-matched
    kCategoryChanged,  ///< the category changed (uses `category`); targets are re-matched
};

/// One fact of a ticket's history.
struct TicketEvent {
    TicketEventKind kind = TicketEventKind::kAgentReply;  ///< what happened
    Timestamp at;                                         ///< when (UTC)
    TicketStatus status = TicketStatus::kOpen;            ///< the new state, for kStatusChanged
    Priority priority = Priority::kNormal;  ///< the new priority, for kPriorityChanged
    Category category = Category::kOther;   ///< the new category, for kCategoryChanged

    /// A move to `to` at `at`.
    [[nodiscard]] static TicketEvent status_changed(Timestamp at, TicketStatus to) noexcept;
    /// A public reply by an operator at `at`.
    [[nodiscard]] static TicketEvent agent_reply(Timestamp at) noexcept;
    /// A message from the player at `at`.
    [[nodiscard]] static TicketEvent player_reply(Timestamp at) noexcept;
    /// A priority change to `to` at `at`.
    [[nodiscard]] static TicketEvent priority_changed(Timestamp at, Priority to) noexcept;
    /// A category change to `to` at `at`.
    [[nodiscard]] static TicketEvent category_changed(Timestamp at, Category to) noexcept;
};

/// The facts the SLA of one ticket depends on: how it was created, then its events.
///
/// Events are applied in vector order (they must not go back in time; equal times keep their
/// order), and only those at or before `now`. The status changes are the workflow's: a player's
/// reply does not itself reopen or resume a ticket, so record the workflow's move (pending →
/// open, solved → open) BEFORE the player reply it causes.
struct TicketHistory {
    Timestamp created_at;                      ///< when the ticket was opened (UTC)
    TicketStatus status = TicketStatus::kNew;  ///< state at creation
    Priority priority = Priority::kNormal;     ///< priority at creation
    Category category = Category::kOther;      ///< category at creation
    std::string vip_tier;                      ///< the player's VIP tier; empty for none
    std::vector<TicketEvent> events;           ///< what happened after creation, in order
};

/// Where one target stands.
enum class SlaState {
    kNone,      ///< not measured: no target, or its clock has not started
    kRunning,   ///< the clock runs and the target is not breached
    kPaused,    ///< the clock is paused (pending, on hold) and the target is not breached
    kMet,       ///< fulfilled within the target
    kBreached,  ///< the target was exceeded (whether still running or fulfilled late)
};
/// "none", "running", "paused", "met", "breached".
[[nodiscard]] std::string_view to_string(SlaState state) noexcept;

/// One target of one ticket, as of `now` (for next_response: the current or latest cycle).
struct SlaTargetStatus {
    SlaState state = SlaState::kNone;     ///< where it stands
    std::optional<Duration> target;       ///< the business-time target in force
    std::optional<Timestamp> started_at;  ///< when the (current) clock started
    Duration elapsed{0};                  ///< business time counted so far (pauses excluded)
    /// target - elapsed (negative when overdue); absent without a target.
    std::optional<Duration> remaining;
    /// When the target falls (or fell) due; only while the clock runs (absent while paused).
    std::optional<Timestamp> due_at;
    std::optional<Timestamp> fulfilled_at;    ///< when the reply came / the ticket was solved
    std::optional<Timestamp> breached_at;     ///< when the target was exceeded
    std::optional<Timestamp> approaching_at;  ///< when it entered the approaching zone
    bool approaching = false;  ///< not yet breached or fulfilled, and in the approaching zone
    int breaches = 0;          ///< cycles breached so far (next_response may have several)
    /// Field-wise equality.
    friend bool operator==(const SlaTargetStatus&, const SlaTargetStatus&) = default;
};

/// The SLA of one ticket as of `now`.
struct SlaStatus {
    std::optional<std::size_t> rule;           ///< index into policy.rules of the rule in force
    TicketStatus status = TicketStatus::kNew;  ///< the ticket's state as of `now`
    Priority priority = Priority::kNormal;     ///< its priority as of `now`
    bool paused = false;                       ///< pending or on hold: the clocks stand still
    SlaTargetStatus first_response;            ///< first public agent reply
    SlaTargetStatus next_response;             ///< reply to the player's latest messages
    SlaTargetStatus resolution;                ///< solved
    /// The next instant after `now` at which this status changes by time alone (a target
    /// becomes approaching or breached); absent when none will. Lets a scheduler sleep.
    std::optional<Timestamp> next_change_at;

    /// The target of `metric`.
    [[nodiscard]] const SlaTargetStatus& of(SlaMetric metric) const noexcept;
    /// True when any target is breached.
    [[nodiscard]] bool breached() const noexcept;
    /// True when any target is approaching.
    [[nodiscard]] bool approaching() const noexcept;
    /// Breaches so far over all targets, earlier next-response cycles included (for
    /// compliance figures: breached() only looks at the current cycle).
    [[nodiscard]] int breach_count() const noexcept;
    /// Field-wise equality.
    friend bool operator==(const SlaStatus&, const SlaStatus&) = default;
};

/// The SLA of one ticket as of `now`, under `policy` counted in `calendar`. Throws
/// ValidationError("events[i].at") when an event goes back in time.
[[nodiscard]] SlaStatus compute_sla(const SlaPolicy& policy, const BusinessCalendar& calendar,
                                    const TicketHistory& history, Timestamp now);

/// compute_sla for many tickets under one policy and calendar: the calendar's opening
/// stretches are converted to UTC once for all tickets, so each ticket costs O(its events).
/// Results are in the order of `histories`.
[[nodiscard]] std::vector<SlaStatus> compute_sla_many(const SlaPolicy& policy,
                                                      const BusinessCalendar& calendar,
                                                      std::span<const TicketHistory> histories,
                                                      Timestamp now);

/// The status as JSON (times RFC 3339, durations in milliseconds, rule by name).
[[nodiscard]] Json to_json(const SlaStatus& status, const SlaPolicy& policy);

}  // namespace pitboss::helpdesk
