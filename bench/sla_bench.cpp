// sla_bench: SLA status recomputation for 100,000 open tickets (issue 5: <= 200 ms).
//
// The tickets: created over the 30 days before `now` in a Europe/Malta office calendar
// (Monday-Friday 09:00-17:00, two holidays, a DST change inside the window), mixed priorities,
// categories and VIP tiers, each with 0-6 history events (agent and player replies, pending /
// on-hold pauses, priority changes). None is solved, so every target is live.
//
// Subject: compute_sla_many over all tickets, which converts the calendar's opening stretches
// to UTC once and shares them across tickets.
// Baselines in the same run, on the same data:
//  - compute_sla called per ticket, which builds the ticket's own timeline and so converts
//    local opening hours through the time-zone database for every ticket;
//  - the naive service loop: per ticket, build the BusinessCalendar from its spec (time-zone
//    lookup by name and validation) and call compute_sla.
// All must give equal results; the bench checks that before timing.

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "bench_util.hpp"
#include "pitboss/helpdesk/sla.hpp"

namespace {

using namespace pitboss;
using namespace pitboss::helpdesk;
using std::chrono::hours;
using std::chrono::minutes;

constexpr int kRuns = 5;
constexpr std::size_t kTickets = 100'000;
constexpr const char* kTarget = "<= 200 ms for 100,000 open tickets";

SlaPolicy make_policy() {
    SlaPolicy p;
    p.name = "bench";
    const auto add = [&p](const char* name, Priority priority, Duration first, Duration next,
                          Duration resolution) -> SlaRule& {
        SlaRule r;
        r.name = name;
        r.priority = priority;
        r.targets = {first, next, resolution};
        p.rules.push_back(r);
        return p.rules.back();
    };
    add("low", Priority::kLow, hours(8), hours(16), hours(80));
    add("normal", Priority::kNormal, hours(4), hours(8), hours(40));
    add("high", Priority::kHigh, hours(1), hours(2), hours(16)).on_breach = {true, "supervisors"};
    add("urgent", Priority::kUrgent, minutes(30), hours(1), hours(8)).business_hours = false;
    add("complaint", Priority::kHigh, minutes(30), hours(1), hours(8)).category =
        Category::kComplaint;
    add("gold", Priority::kNormal, hours(2), hours(4), hours(24)).vip_tier = "gold";
    validate(p);
    return p;
}

BusinessCalendar make_calendar() {
    CalendarSpec spec;
    spec.time_zone = "Europe/Malta";
    for (std::size_t d = 0; d < 5; ++d) spec.weekly_hours[d] = {{hours(9), hours(17)}};
    spec.holidays = {Date{std::chrono::year{2026} / 3 / 19},
                     Date{std::chrono::year{2026} / 3 / 31}};
    return BusinessCalendar(spec);
}

std::vector<TicketHistory> make_tickets(Timestamp now) {
    std::mt19937_64 rng(5);
    std::vector<TicketHistory> out;
    out.reserve(kTickets);
    static const std::vector<std::string> kTiers = {"", "", "", "silver", "gold"};
    for (std::size_t i = 0; i < kTickets; ++i) {
        TicketHistory h;
        // A realistic backlog: most tickets from the last three days, a tail over thirty.
        const std::uint64_t age_window = rng() % 10 < 7 ? 3 * 1440 : 30 * 1440;
        h.created_at = now - minutes(static_cast<std::int64_t>(rng() % age_window));
        h.priority = static_cast<Priority>(rng() % 4);
        h.category = rng() % 8 == 0 ? Category::kComplaint : Category::kPayments;
        h.vip_tier = kTiers[rng() % kTiers.size()];
        const std::int64_t span = (now - h.created_at).count();
        Timestamp t = h.created_at;
        const auto events = rng() % 7;
        bool waiting = false;
        for (std::uint64_t e = 0; e < events; ++e) {
            t += Duration(
                static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span / 7 + 1)));
            switch (rng() % 5) {
                case 0:
                    h.events.push_back(TicketEvent::agent_reply(t));
                    break;
                case 1:
                    if (waiting) {
                        h.events.push_back(TicketEvent::status_changed(t, TicketStatus::kOpen));
                        waiting = false;
                    }
                    h.events.push_back(TicketEvent::player_reply(t));
                    break;
                case 2:
                    h.events.push_back(TicketEvent::status_changed(
                        t, rng() % 2 == 0 ? TicketStatus::kPending : TicketStatus::kOnHold));
                    waiting = true;
                    break;
                case 3:
                    h.events.push_back(TicketEvent::status_changed(t, TicketStatus::kOpen));
                    waiting = false;
                    break;
                default:
                    h.events.push_back(
                        TicketEvent::priority_changed(t, static_cast<Priority>(rng() % 4)));
                    break;
            }
        }
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace

int main() {
    // Two weeks after the March 29 change, so the window spans it.
    const Timestamp now = parse_timestamp("2026-04-10T11:00:00Z");
    const SlaPolicy policy = make_policy();
    const BusinessCalendar calendar = make_calendar();
    const std::vector<TicketHistory> tickets = make_tickets(now);
    std::size_t events = 0;
    for (const auto& t : tickets) events += t.events.size();

    // Same answers from both paths, and a sanity count of what the data exercises.
    const std::vector<SlaStatus> batch = compute_sla_many(policy, calendar, tickets, now);
    std::size_t breached = 0;
    std::size_t paused = 0;
    for (std::size_t i = 0; i < tickets.size(); ++i) {
        if (!(compute_sla(policy, calendar, tickets[i], now) == batch[i])) {
            std::string message = "batch and per-ticket results differ at ticket ";
            message += std::to_string(i);
            throw std::runtime_error(message);
        }
        breached += batch[i].breached() ? 1U : 0U;
        paused += batch[i].paused ? 1U : 0U;
    }

    std::vector<double> subject;
    std::vector<double> baseline;
    std::vector<double> rebuild;
    std::size_t sink = 0;
    for (int run = 0; run < kRuns; ++run) {
        subject.push_back(1000.0 * bench::seconds([&] {
                              const auto statuses =
                                  compute_sla_many(policy, calendar, tickets, now);
                              sink += statuses.size();
                          }));
        baseline.push_back(1000.0 * bench::seconds([&] {
                               std::vector<SlaStatus> statuses;
                               statuses.reserve(tickets.size());
                               for (const auto& t : tickets) {
                                   statuses.push_back(compute_sla(policy, calendar, t, now));
                               }
                               sink += statuses.size();
                           }));
        rebuild.push_back(1000.0 * bench::seconds([&] {
                              std::vector<SlaStatus> statuses;
                              statuses.reserve(tickets.size());
                              for (const auto& t : tickets) {
                                  const BusinessCalendar fresh(calendar.spec());
                                  statuses.push_back(compute_sla(policy, fresh, t, now));
                              }
                              sink += statuses.size();
                          }));
    }
    const double subject_median = bench::median(subject);
    const double baseline_median = bench::median(baseline);
    const double rebuild_median = bench::median(rebuild);
    bench::report({{"bench", "sla"},
                   {"case", "recompute_100k_open"},
                   {"unit", "ms"},
                   {"median", subject_median},
                   {"runs", subject},
                   {"ns_per_ticket", subject_median * 1e6 / static_cast<double>(kTickets)},
                   {"baseline", "compute_sla per ticket (own timeline, zone lookups per ticket)"},
                   {"baseline_median", baseline_median},
                   {"baseline_runs", baseline},
                   {"ratio", baseline_median / subject_median},
                   {"tickets", kTickets},
                   {"events", events},
                   {"breached", breached},
                   {"paused", paused},
                   {"results_equal", true},  // checked above, before timing
                   {"statuses_computed", sink},
                   {"target", kTarget}});
    bench::report({{"bench", "sla"},
                   {"case", "recompute_100k_open_vs_calendar_rebuild"},
                   {"unit", "ms"},
                   {"median", subject_median},
                   {"runs", subject},
                   {"baseline", "per ticket: BusinessCalendar from its spec + compute_sla"},
                   {"baseline_median", rebuild_median},
                   {"baseline_runs", rebuild},
                   {"ratio", rebuild_median / subject_median},
                   {"tickets", kTickets},
                   {"target", kTarget}});
    return 0;
}
