#include "pitboss/helpdesk/kpi.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {

namespace {

constexpr std::int64_t kHour = 3'600'000;

/// The k-th smallest (1-based) of `sorted`.
Duration nth(const std::vector<Duration>& sorted, std::size_t k) {
    return sorted[std::clamp<std::size_t>(k, 1, sorted.size()) - 1];
}

/// Nearest rank of percentile p in a sample of n: ceil(p / 100 * n), computed in integers for
/// the common whole percentiles so that 90% of 10 is exactly 9.
std::size_t nearest_rank(double p, std::size_t n) {
    const double exact = p / 100.0 * static_cast<double>(n);
    const double rounded = std::round(exact);
    const double rank = std::fabs(exact - rounded) < 1e-9 ? rounded : std::ceil(exact);
    return static_cast<std::size_t>(rank);
}

Json stats_to_json(const DurationStats& s) {
    return Json{{"count", s.count},
                {"median_ms", s.median ? Json(s.median->count()) : Json(nullptr)},
                {"p90_ms", s.p90 ? Json(s.p90->count()) : Json(nullptr)}};
}

}  // namespace

std::optional<Duration> percentile(std::span<const Duration> sample, double p) {
    if (!(p > 0.0 && p <= 100.0)) throw ValidationError("percentile", "must be in (0, 100]");
    if (sample.empty()) return std::nullopt;
    std::vector<Duration> sorted(sample.begin(), sample.end());
    std::sort(sorted.begin(), sorted.end());
    return nth(sorted, nearest_rank(p, sorted.size()));
}

DurationStats duration_stats(std::span<const Duration> sample) {
    DurationStats out;
    out.count = sample.size();
    if (sample.empty()) return out;
    std::vector<Duration> sorted(sample.begin(), sample.end());
    std::sort(sorted.begin(), sorted.end());
    out.median = nth(sorted, nearest_rank(50.0, sorted.size()));
    out.p90 = nth(sorted, nearest_rank(90.0, sorted.size()));
    return out;
}

std::vector<Duration> default_backlog_bounds() {
    return {Duration(kHour), Duration(4 * kHour), Duration(24 * kHour), Duration(72 * kHour),
            Duration(168 * kHour)};
}

QueueKpis compute_queue_kpis(std::span<const TicketSummary> tickets, Timestamp now,
                             std::span<const Duration> backlog_bounds) {
    for (std::size_t i = 0; i < backlog_bounds.size(); ++i) {
        if (backlog_bounds[i].count() <= 0 ||
            (i > 0 && backlog_bounds[i] <= backlog_bounds[i - 1])) {
            throw ValidationError("backlog_bounds", "must be positive and strictly increasing");
        }
    }
    QueueKpis k;
    k.total = tickets.size();
    Duration lower{0};
    for (const Duration bound : backlog_bounds) {
        k.backlog.push_back({lower, bound, 0});
        lower = bound;
    }
    k.backlog.push_back({lower, std::nullopt, 0});

    std::vector<Duration> first_responses;
    std::vector<Duration> resolutions;
    std::size_t decided = 0;
    std::size_t compliant = 0;
    for (const TicketSummary& t : tickets) {
        ++k.by_status[t.status];
        if (t.first_response_time) first_responses.push_back(*t.first_response_time);
        if (t.resolution_time) resolutions.push_back(*t.resolution_time);
        if (t.sla_applies) {
            if (t.sla_breached) {
                ++decided;
                ++k.sla_breached;
            } else if (is_done(t.status)) {
                ++decided;
                ++compliant;
            }
        }
        if (is_done(t.status)) continue;
        ++k.open;
        ++k.open_by_priority[t.priority];
        ++k.open_by_channel[t.channel];
        const Duration age = std::max(Duration(0), now - t.created_at);
        if (!k.oldest_open || age > *k.oldest_open) k.oldest_open = age;
        // The band whose upper bound is the first above the age.
        const auto it = std::upper_bound(backlog_bounds.begin(), backlog_bounds.end(), age);
        ++k.backlog[static_cast<std::size_t>(it - backlog_bounds.begin())].count;
    }
    k.first_response = duration_stats(first_responses);
    k.resolution = duration_stats(resolutions);
    if (decided > 0) {
        k.sla_compliance_percent =
            100.0 * static_cast<double>(compliant) / static_cast<double>(decided);
    }
    return k;
}

QueueKpis compute_queue_kpis(std::span<const TicketSummary> tickets, Timestamp now) {
    const std::vector<Duration> bounds = default_backlog_bounds();
    return compute_queue_kpis(tickets, now, bounds);
}

Json to_json(const QueueKpis& kpis) {
    Json by_status = Json::object();
    for (const auto& [status, count] : kpis.by_status)
        by_status[std::string(to_string(status))] = count;
    Json by_priority = Json::object();
    for (const auto& [priority, count] : kpis.open_by_priority) {
        by_priority[std::string(to_string(priority))] = count;
    }
    Json by_channel = Json::object();
    for (const auto& [channel, count] : kpis.open_by_channel) {
        by_channel[std::string(to_string(channel))] = count;
    }
    Json backlog = Json::array();
    for (const BacklogBucket& b : kpis.backlog) {
        backlog.push_back(Json{{"lower_ms", b.lower.count()},
                               {"upper_ms", b.upper ? Json(b.upper->count()) : Json(nullptr)},
                               {"count", b.count}});
    }
    return Json{
        {"total", kpis.total},
        {"open", kpis.open},
        {"by_status", std::move(by_status)},
        {"open_by_priority", std::move(by_priority)},
        {"open_by_channel", std::move(by_channel)},
        {"first_response", stats_to_json(kpis.first_response)},
        {"resolution", stats_to_json(kpis.resolution)},
        {"sla_compliance_percent",
         kpis.sla_compliance_percent ? Json(*kpis.sla_compliance_percent) : Json(nullptr)},
        {"sla_breached", kpis.sla_breached},
        {"backlog", std::move(backlog)},
        {"oldest_open_ms", kpis.oldest_open ? Json(kpis.oldest_open->count()) : Json(nullptr)},
    };
}

}  // namespace pitboss::helpdesk
