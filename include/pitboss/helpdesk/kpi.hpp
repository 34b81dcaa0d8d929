#pragma once
/// @file
/// Queue KPIs for the operations dashboard, as pure functions over plain ticket summaries
/// (reused by the analytics and REST modules).

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/helpdesk/ticket.hpp"
#include "pitboss/helpdesk/ticket_status.hpp"

namespace pitboss::helpdesk {

/// What the KPIs need to know about one ticket.
struct TicketSummary {
    TicketStatus status = TicketStatus::kNew;     ///< current state
    Priority priority = Priority::kNormal;        ///< current priority
    Channel channel = Channel::kWebForm;          ///< where it came in
    Timestamp created_at;                         ///< when it was opened (UTC)
    std::optional<Duration> first_response_time;  ///< creation → first public agent reply
    std::optional<Duration> resolution_time;      ///< creation → solved (latest solve)
    bool sla_applies = false;                     ///< an SLA rule covers the ticket
    bool sla_breached = false;                    ///< some target of it was breached
};

/// Median and 90th percentile of a sample (nearest rank: values that occurred).
struct DurationStats {
    std::size_t count = 0;           ///< sample size
    std::optional<Duration> median;  ///< the ceil(n/2)-th smallest; absent for an empty sample
    std::optional<Duration> p90;     ///< the ceil(0.9 n)-th smallest; absent when empty
    /// Field-wise equality.
    friend bool operator==(const DurationStats&, const DurationStats&) = default;
};

/// Median and p90 of `sample` (need not be sorted).
[[nodiscard]] DurationStats duration_stats(std::span<const Duration> sample);

/// Nearest-rank percentile (0 < p <= 100) of `sample`; absent when empty. Throws
/// ValidationError("percentile") for p outside (0, 100].
[[nodiscard]] std::optional<Duration> percentile(std::span<const Duration> sample, double p);

/// One age band of the open backlog: lower <= age < upper (no upper for the last band).
struct BacklogBucket {
    Duration lower{0};              ///< inclusive lower bound of the age
    std::optional<Duration> upper;  ///< exclusive upper bound; absent for the last band
    std::size_t count = 0;          ///< open tickets of that age
    /// Field-wise equality.
    friend bool operator==(const BacklogBucket&, const BacklogBucket&) = default;
};

/// Default backlog bands: under 1 h, 1-4 h, 4-24 h, 1-3 days, 3-7 days, 7 days and more.
[[nodiscard]] std::vector<Duration> default_backlog_bounds();

/// The dashboard's queue figures. "Open" means not solved and not closed.
struct QueueKpis {
    std::size_t total = 0;                             ///< tickets summarised
    std::size_t open = 0;                              ///< of which open
    std::map<TicketStatus, std::size_t> by_status;     ///< all tickets per state
    std::map<Priority, std::size_t> open_by_priority;  ///< open tickets per priority
    std::map<Channel, std::size_t> open_by_channel;    ///< open tickets per channel
    DurationStats first_response;                      ///< over tickets with a first response
    DurationStats resolution;                          ///< over tickets with a resolution time
    /// Share (0-100) of decided SLA tickets that breached nothing; decided = breached, or solved
    /// or closed. Absent when no ticket is decided.
    std::optional<double> sla_compliance_percent;
    std::size_t sla_breached = 0;         ///< tickets with a breached target
    std::vector<BacklogBucket> backlog;   ///< open tickets by age at `now`
    std::optional<Duration> oldest_open;  ///< age of the oldest open ticket
    /// Field-wise equality.
    friend bool operator==(const QueueKpis&, const QueueKpis&) = default;
};

/// The KPIs of `tickets` at `now`. `backlog_bounds` are the band limits, strictly increasing
/// and positive (ValidationError("backlog_bounds") otherwise); a ticket created after `now`
/// counts as age 0.
[[nodiscard]] QueueKpis compute_queue_kpis(std::span<const TicketSummary> tickets, Timestamp now,
                                           std::span<const Duration> backlog_bounds);
/// compute_queue_kpis with default_backlog_bounds().
[[nodiscard]] QueueKpis compute_queue_kpis(std::span<const TicketSummary> tickets, Timestamp now);

/// The KPIs as JSON (durations in milliseconds, enums by name).
[[nodiscard]] Json to_json(const QueueKpis& kpis);

}  // namespace pitboss::helpdesk
