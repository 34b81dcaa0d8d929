#include "pitboss/helpdesk/sla.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "helpdesk/calendar_impl.hpp"
#include "helpdesk/checks.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {

namespace {

using checks::concat;
using checks::reject;

constexpr std::int64_t kMillisPerMinute = 60'000;
constexpr std::size_t kMaxName = 64;

std::string rule_field(std::size_t i, std::string_view part) {
    return concat({"rules[", std::to_string(i), "]", part.empty() ? "" : ".", part});
}

void check_name(const std::string& name, const std::string& field) {
    if (name.empty() || name.size() > kMaxName) reject(field, "must be 1-64 characters");
}

void check_target(const std::optional<Duration>& target, const std::string& field) {
    if (!target) return;
    if (target->count() <= 0) reject(field, "must be positive");
    if (target->count() % kMillisPerMinute != 0) reject(field, "must be whole minutes");
}

/// The 24/7 measure used by rules that count calendar hours.
const BusinessCalendar::Impl& wall_clock_impl() {
    static const BusinessCalendar::Impl impl = [] {
        BusinessCalendar::Impl i;
        i.always_open = true;
        return i;
    }();
    return impl;
}

/// The running state of one metric's clock (for next_response: its current cycle).
struct MetricClock {
    bool started = false;
    bool active = false;  ///< started and not fulfilled
    std::int64_t started_at = 0;
    std::int64_t elapsed = 0;  ///< business ms counted, pauses excluded
    std::optional<std::int64_t> fulfilled_at;
    std::optional<std::int64_t> breached_at;
    std::optional<std::int64_t> approaching_at;
    int breaches = 0;

    void start(std::int64_t t) {
        started = true;
        active = true;
        started_at = t;
        elapsed = 0;
        fulfilled_at.reset();
        breached_at.reset();
        approaching_at.reset();
    }
    void fulfill(std::int64_t t) {
        if (!active) return;
        active = false;
        fulfilled_at = t;
    }
};

constexpr std::array<SlaMetric, 3> kMetrics = {SlaMetric::kFirstResponse, SlaMetric::kNextResponse,
                                               SlaMetric::kResolution};

std::optional<Duration> target_of(const SlaRule& rule, SlaMetric metric) {
    switch (metric) {
        case SlaMetric::kFirstResponse:
            return rule.targets.first_response;
        case SlaMetric::kNextResponse:
            return rule.targets.next_response;
        case SlaMetric::kResolution:
            return rule.targets.resolution;
    }
    return std::nullopt;
}

/// Business ms into the target at which the approaching zone starts.
std::int64_t approach_threshold(const SlaRule& rule, std::int64_t target) {
    if (rule.approaching.remaining) {
        return std::max<std::int64_t>(0, target - rule.approaching.remaining->count());
    }
    return target * rule.approaching.percent / 100;
}

/// Replays one ticket's history. The timelines are shared across tickets in a batch.
class Replay {
public:
    Replay(const SlaPolicy& policy, OpenTimeline& business, OpenTimeline& wall)
        : policy_(policy), business_(business), wall_(wall) {}

    SlaStatus run(const TicketHistory& history, Timestamp now_ts) {
        const std::int64_t now = to_unix_millis(now_ts);
        const std::int64_t created = to_unix_millis(history.created_at);
        status_ = history.status;
        priority_ = history.priority;
        category_ = history.category;
        tier_ = history.vip_tier;
        clocks_ = {};
        rule_ = match_rule(policy_, priority_, category_, tier_);
        measure_ = measure_for(rule_);
        if (now < created) return result(now, false);

        t_ = created;
        cum_ = measure_->cum(t_);
        clock(SlaMetric::kFirstResponse).start(created);
        clock(SlaMetric::kResolution).start(created);
        if (is_done(status_)) {
            clock(SlaMetric::kFirstResponse).fulfill(created);
            clock(SlaMetric::kResolution).fulfill(created);
        }
        check_thresholds();

        std::int64_t previous = created;
        for (std::size_t i = 0; i < history.events.size(); ++i) {
            const TicketEvent& e = history.events[i];
            const std::int64_t at = to_unix_millis(e.at);
            if (at < previous) {
                reject(concat({"events[", std::to_string(i), "].at"}),
                       at < created ? "is before the ticket was created"
                                    : "is earlier than the event before it");
            }
            previous = at;
            if (at > now) break;
            advance_to(at);
            apply(e);
        }
        advance_to(now);
        return result(now, true);
    }

private:
    MetricClock& clock(SlaMetric m) { return clocks_[static_cast<std::size_t>(m)]; }

    OpenTimeline* measure_for(std::optional<std::size_t> rule) const {
        if (rule && !policy_.rules[*rule].business_hours) return &wall_;
        return &business_;
    }

    [[nodiscard]] bool running() const { return !is_paused(status_) && !is_done(status_); }

    void advance_to(std::int64_t t1) {
        if (t1 == t_) return;
        const std::int64_t c1 = measure_->cum(t1);
        if (running()) {
            for (SlaMetric m : kMetrics) {
                MetricClock& c = clock(m);
                if (c.active) advance(m, c, t1, c1);
            }
        }
        t_ = t1;
        cum_ = c1;
    }

    /// Counts [t_, t1) into `c`, noting the instants the approaching zone and the due time
    /// were passed.
    void advance(SlaMetric m, MetricClock& c, std::int64_t t1, std::int64_t c1) {
        const std::int64_t segment = c1 - cum_;
        if (rule_) {
            const SlaRule& rule = policy_.rules[*rule_];
            if (const auto target = target_of(rule, m)) {
                const std::int64_t total = target->count();
                const std::int64_t threshold = approach_threshold(rule, total);
                if (!c.approaching_at && !c.breached_at && c.elapsed + segment >= threshold) {
                    c.approaching_at = instant_at(c.elapsed, threshold);
                }
                // Breached once the clock runs past the due instant; a reply at it is in time.
                if (!c.breached_at && c.elapsed + segment >= total) {
                    const std::int64_t due = instant_at(c.elapsed, total);
                    if (due < t1) {
                        c.breached_at = due;
                        ++c.breaches;
                    }
                }
            }
        }
        c.elapsed += segment;
    }

    /// The earliest instant from t_ at which a clock at `elapsed` reaches `mark`.
    std::int64_t instant_at(std::int64_t elapsed, std::int64_t mark) {
        return mark <= elapsed ? t_ : measure_->at_cum(cum_ + (mark - elapsed));
    }

    void check_thresholds() {
        if (!rule_) return;
        const SlaRule& rule = policy_.rules[*rule_];
        for (SlaMetric m : kMetrics) {
            MetricClock& c = clock(m);
            const auto target = target_of(rule, m);
            if (!c.active || !target || c.breached_at) continue;
            const std::int64_t threshold = approach_threshold(rule, target->count());
            if (c.elapsed >= threshold) {
                if (!c.approaching_at) c.approaching_at = t_;
            } else {
                c.approaching_at.reset();  // a re-target moved the zone away
            }
        }
    }

    void rematch() {
        const auto rule = match_rule(policy_, priority_, category_, tier_);
        if (rule == rule_) return;
        rule_ = rule;
        measure_ = measure_for(rule_);
        cum_ = measure_->cum(t_);
        check_thresholds();
    }

    void apply(const TicketEvent& e) {
        switch (e.kind) {
            case TicketEventKind::kStatusChanged: {
                const TicketStatus before = status_;
                status_ = e.status;
                if (!is_done(before) && is_done(status_)) {
                    for (SlaMetric m : kMetrics) clock(m).fulfill(t_);
                } else if (is_done(before) && !is_done(status_)) {
                    // Reopened: the resolution clock resumes with the time already used.
                    MetricClock& r = clock(SlaMetric::kResolution);
                    r.active = true;
                    r.fulfilled_at.reset();
                    check_thresholds();
                }
                break;
            }
            case TicketEventKind::kAgentReply:
                clock(SlaMetric::kFirstResponse).fulfill(t_);
                clock(SlaMetric::kNextResponse).fulfill(t_);
                break;
            case TicketEventKind::kPlayerReply: {
                if (is_done(status_) || clock(SlaMetric::kFirstResponse).active) break;
                MetricClock& n = clock(SlaMetric::kNextResponse);
                if (!n.active) {
                    n.start(t_);
                    check_thresholds();
                }
                break;
            }
            case TicketEventKind::kPriorityChanged:
                priority_ = e.priority;
                rematch();
                break;
            case TicketEventKind::kCategoryChanged:
                category_ = e.category;
                rematch();
                break;
        }
    }

    SlaStatus result(std::int64_t now, bool started) {
        SlaStatus out;
        out.rule = rule_;
        out.status = status_;
        out.priority = priority_;
        out.paused = started && is_paused(status_);
        std::optional<std::int64_t> next_change;
        for (SlaMetric m : kMetrics) {
            SlaTargetStatus& s = m == SlaMetric::kFirstResponse  ? out.first_response
                                 : m == SlaMetric::kNextResponse ? out.next_response
                                                                 : out.resolution;
            const MetricClock& c = clock(m);
            const std::optional<Duration> target =
                rule_ ? target_of(policy_.rules[*rule_], m) : std::nullopt;
            s.target = target;
            s.breaches = c.breaches;
            if (!c.started) continue;
            s.started_at = from_unix_millis(c.started_at);
            s.elapsed = Duration(c.elapsed);
            if (c.fulfilled_at) s.fulfilled_at = from_unix_millis(*c.fulfilled_at);
            if (c.breached_at) s.breached_at = from_unix_millis(*c.breached_at);
            if (c.approaching_at) s.approaching_at = from_unix_millis(*c.approaching_at);
            if (c.breached_at) {
                s.state = SlaState::kBreached;
            } else if (!target) {
                s.state = SlaState::kNone;
            } else if (!c.active) {
                s.state = SlaState::kMet;
            } else {
                s.state = running() ? SlaState::kRunning : SlaState::kPaused;
            }
            if (!target) continue;
            const std::int64_t total = target->count();
            s.remaining = Duration(total - c.elapsed);
            if (!c.active) continue;
            const std::int64_t threshold = approach_threshold(policy_.rules[*rule_], total);
            s.approaching = !c.breached_at && c.elapsed >= threshold;
            if (!running()) continue;
            const std::int64_t due = instant_at(c.elapsed, total);
            s.due_at = from_unix_millis(c.elapsed < total || !c.breached_at ? due : *c.breached_at);
            if (c.breached_at) continue;
            // The next instants at which this target changes by time alone.
            std::int64_t change = due + 1;
            if (c.elapsed < threshold) change = std::min(change, instant_at(c.elapsed, threshold));
            next_change = next_change ? std::min(*next_change, change) : change;
        }
        if (next_change && *next_change > now) out.next_change_at = from_unix_millis(*next_change);
        return out;
    }

    const SlaPolicy& policy_;
    OpenTimeline& business_;
    OpenTimeline& wall_;
    OpenTimeline* measure_ = nullptr;
    TicketStatus status_ = TicketStatus::kNew;
    Priority priority_ = Priority::kNormal;
    Category category_ = Category::kOther;
    std::string_view tier_;
    std::optional<std::size_t> rule_;
    std::int64_t t_ = 0;    ///< the instant replayed up to
    std::int64_t cum_ = 0;  ///< measure_->cum(t_)
    std::array<MetricClock, 3> clocks_{};
};

Json optional_time(const std::optional<Timestamp>& t) {
    return t ? Json(format_timestamp(*t)) : Json(nullptr);
}

Json optional_millis(const std::optional<Duration>& d) {
    return d ? Json(d->count()) : Json(nullptr);
}

Json to_json(const SlaTargetStatus& s) {
    return Json{{"state", to_string(s.state)},
                {"target_ms", optional_millis(s.target)},
                {"started_at", optional_time(s.started_at)},
                {"elapsed_ms", s.elapsed.count()},
                {"remaining_ms", optional_millis(s.remaining)},
                {"due_at", optional_time(s.due_at)},
                {"fulfilled_at", optional_time(s.fulfilled_at)},
                {"breached_at", optional_time(s.breached_at)},
                {"approaching_at", optional_time(s.approaching_at)},
                {"approaching", s.approaching},
                {"breaches", s.breaches}};
}

Json minutes_or_null(const std::optional<Duration>& d) {
    return d ? Json(d->count() / kMillisPerMinute) : Json(nullptr);
}

std::optional<Duration> read_minutes(const Json& rule, const char* key, const std::string& field) {
    const auto it = rule.find(key);
    if (it == rule.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) reject(field, "must be a whole number of minutes");
    return Duration(it->get<std::int64_t>() * kMillisPerMinute);
}

std::optional<std::string> read_optional_text(const Json& j, const char* key,
                                              const std::string& field) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) reject(field, "must be a string");
    return it->get<std::string>();
}

std::string read_text(const Json& j, const char* key, const std::string& field) {
    auto text = read_optional_text(j, key, field);
    if (!text) reject(field, "is required");
    return std::move(*text);
}

bool read_bool(const Json& j, const char* key, const std::string& field, bool fallback) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) reject(field, "must be true or false");
    return it->get<bool>();
}

}  // namespace

std::string_view to_string(SlaMetric metric) noexcept {
    switch (metric) {
        case SlaMetric::kFirstResponse:
            return "first_response";
        case SlaMetric::kNextResponse:
            return "next_response";
        case SlaMetric::kResolution:
            return "resolution";
    }
    return "unknown";
}

std::string_view to_string(SlaState state) noexcept {
    switch (state) {
        case SlaState::kNone:
            return "none";
        case SlaState::kRunning:
            return "running";
        case SlaState::kPaused:
            return "paused";
        case SlaState::kMet:
            return "met";
        case SlaState::kBreached:
            return "breached";
    }
    return "unknown";
}

TicketEvent TicketEvent::status_changed(Timestamp at, TicketStatus to) noexcept {
    TicketEvent e;
    e.kind = TicketEventKind::kStatusChanged;
    e.at = at;
    e.status = to;
    return e;
}

TicketEvent TicketEvent::agent_reply(Timestamp at) noexcept {
    TicketEvent e;
    e.kind = TicketEventKind::kAgentReply;
    e.at = at;
    return e;
}

TicketEvent TicketEvent::player_reply(Timestamp at) noexcept {
    TicketEvent e;
    e.kind = TicketEventKind::kPlayerReply;
    e.at = at;
    return e;
}

TicketEvent TicketEvent::priority_changed(Timestamp at, Priority to) noexcept {
    TicketEvent e;
    e.kind = TicketEventKind::kPriorityChanged;
    e.at = at;
    e.priority = to;
    return e;
}

TicketEvent TicketEvent::category_changed(Timestamp at, Category to) noexcept {
    TicketEvent e;
    e.kind = TicketEventKind::kCategoryChanged;
    e.at = at;
    e.category = to;
    return e;
}

void validate(const SlaPolicy& policy) {
    check_name(policy.name, "name");
    check_name(policy.calendar, "calendar");
    std::set<std::string, std::less<>> names;
    std::set<std::tuple<int, int, std::string>> selectors;
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        const SlaRule& r = policy.rules[i];
        check_name(r.name, rule_field(i, "name"));
        if (!names.insert(r.name).second) reject(rule_field(i, "name"), "is used twice");
        if (r.vip_tier) check_name(*r.vip_tier, rule_field(i, "vip_tier"));
        check_target(r.targets.first_response, rule_field(i, "targets.first_response"));
        check_target(r.targets.next_response, rule_field(i, "targets.next_response"));
        check_target(r.targets.resolution, rule_field(i, "targets.resolution"));
        if (r.approaching.percent < 1 || r.approaching.percent > 99) {
            reject(rule_field(i, "approaching.percent"), "must be 1-99");
        }
        if (r.approaching.remaining && r.approaching.remaining->count() <= 0) {
            reject(rule_field(i, "approaching.remaining"), "must be positive");
        }
        if (r.on_breach.reassign_queue) {
            const auto& q = *r.on_breach.reassign_queue;
            if (q.empty() || q.size() > 128) {
                reject(rule_field(i, "on_breach.reassign_queue"), "must be 1-128 characters");
            }
        }
        const auto selector = std::make_tuple(
            static_cast<int>(r.priority), r.category ? static_cast<int>(*r.category) : -1,
            r.vip_tier ? concat({"=", *r.vip_tier}) : std::string());
        if (!selectors.insert(selector).second) {
            reject(rule_field(i, ""),
                   "has the same priority, category and tier as an earlier rule");
        }
    }
}

std::optional<std::size_t> match_rule(const SlaPolicy& policy, Priority priority, Category category,
                                      std::string_view vip_tier) noexcept {
    std::optional<std::size_t> best;
    int best_score = -1;
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        const SlaRule& r = policy.rules[i];
        if (r.priority != priority) continue;
        if (r.category && *r.category != category) continue;
        if (r.vip_tier && *r.vip_tier != vip_tier) continue;
        const int score = (r.category ? 2 : 0) + (r.vip_tier ? 1 : 0);
        if (score > best_score) {
            best = i;
            best_score = score;
        }
    }
    return best;
}

Json to_json(const SlaPolicy& policy) {
    Json rules = Json::array();
    for (const SlaRule& r : policy.rules) {
        rules.push_back(Json{
            {"name", r.name},
            {"priority", to_string(r.priority)},
            {"category", r.category ? Json(to_string(*r.category)) : Json(nullptr)},
            {"vip_tier", r.vip_tier ? Json(*r.vip_tier) : Json(nullptr)},
            {"first_response_minutes", minutes_or_null(r.targets.first_response)},
            {"next_response_minutes", minutes_or_null(r.targets.next_response)},
            {"resolution_minutes", minutes_or_null(r.targets.resolution)},
            {"business_hours", r.business_hours},
            {"approaching_percent", r.approaching.percent},
            {"approaching_remaining_minutes", minutes_or_null(r.approaching.remaining)},
            {"escalate_raise_priority", r.on_breach.raise_priority},
            {"escalate_queue",
             r.on_breach.reassign_queue ? Json(*r.on_breach.reassign_queue) : Json(nullptr)},
        });
    }
    return Json{{"name", policy.name}, {"calendar", policy.calendar}, {"rules", std::move(rules)}};
}

SlaPolicy sla_policy_from_json(const Json& j) {
    if (!j.is_object()) reject("policy", "must be a JSON object");
    SlaPolicy policy;
    policy.name = read_text(j, "name", "name");
    if (auto calendar = read_optional_text(j, "calendar", "calendar")) {
        policy.calendar = std::move(*calendar);
    }
    const auto rules = j.find("rules");
    if (rules != j.end() && !rules->is_null()) {
        if (!rules->is_array()) reject("rules", "must be a list");
        for (std::size_t i = 0; i < rules->size(); ++i) {
            const Json& rj = (*rules)[i];
            if (!rj.is_object()) reject(rule_field(i, ""), "must be a JSON object");
            SlaRule r;
            r.name = read_text(rj, "name", rule_field(i, "name"));
            r.priority = parse_priority(read_text(rj, "priority", rule_field(i, "priority")),
                                        rule_field(i, "priority"));
            if (auto c = read_optional_text(rj, "category", rule_field(i, "category"))) {
                r.category = parse_category(*c, rule_field(i, "category"));
            }
            r.vip_tier = read_optional_text(rj, "vip_tier", rule_field(i, "vip_tier"));
            r.targets.first_response =
                read_minutes(rj, "first_response_minutes", rule_field(i, "targets.first_response"));
            r.targets.next_response =
                read_minutes(rj, "next_response_minutes", rule_field(i, "targets.next_response"));
            r.targets.resolution =
                read_minutes(rj, "resolution_minutes", rule_field(i, "targets.resolution"));
            r.business_hours =
                read_bool(rj, "business_hours", rule_field(i, "business_hours"), true);
            if (const auto it = rj.find("approaching_percent"); it != rj.end() && !it->is_null()) {
                if (!it->is_number_integer()) {
                    reject(rule_field(i, "approaching.percent"), "must be an integer");
                }
                const auto percent = it->get<std::int64_t>();
                if (percent < 1 || percent > 99) {
                    reject(rule_field(i, "approaching.percent"), "must be 1-99");
                }
                r.approaching.percent = static_cast<int>(percent);
            }
            r.approaching.remaining = read_minutes(rj, "approaching_remaining_minutes",
                                                   rule_field(i, "approaching.remaining"));
            r.on_breach.raise_priority = read_bool(
                rj, "escalate_raise_priority", rule_field(i, "on_breach.raise_priority"), false);
            r.on_breach.reassign_queue =
                read_optional_text(rj, "escalate_queue", rule_field(i, "on_breach.reassign_queue"));
            policy.rules.push_back(std::move(r));
        }
    }
    validate(policy);
    return policy;
}

const SlaTargetStatus& SlaStatus::of(SlaMetric metric) const noexcept {
    switch (metric) {
        case SlaMetric::kFirstResponse:
            return first_response;
        case SlaMetric::kNextResponse:
            return next_response;
        case SlaMetric::kResolution:
            break;
    }
    return resolution;
}

bool SlaStatus::breached() const noexcept {
    return first_response.state == SlaState::kBreached ||
           next_response.state == SlaState::kBreached || resolution.state == SlaState::kBreached;
}

bool SlaStatus::approaching() const noexcept {
    return first_response.approaching || next_response.approaching || resolution.approaching;
}

int SlaStatus::breach_count() const noexcept {
    return first_response.breaches + next_response.breaches + resolution.breaches;
}

SlaStatus compute_sla(const SlaPolicy& policy, const BusinessCalendar& calendar,
                      const TicketHistory& history, Timestamp now) {
    OpenTimeline business(calendar.impl());
    OpenTimeline wall(wall_clock_impl());
    Replay replay(policy, business, wall);
    return replay.run(history, now);
}

std::vector<SlaStatus> compute_sla_many(const SlaPolicy& policy, const BusinessCalendar& calendar,
                                        std::span<const TicketHistory> histories, Timestamp now) {
    // One timeline for every ticket: each opening stretch is converted to UTC once.
    OpenTimeline business(calendar.impl());
    OpenTimeline wall(wall_clock_impl());
    Replay replay(policy, business, wall);
    std::vector<SlaStatus> out;
    out.reserve(histories.size());
    for (const TicketHistory& h : histories) out.push_back(replay.run(h, now));
    return out;
}

Json to_json(const SlaStatus& status, const SlaPolicy& policy) {
    Json rule = nullptr;
    if (status.rule && *status.rule < policy.rules.size()) rule = policy.rules[*status.rule].name;
    return Json{{"rule", std::move(rule)},
                {"status", to_string(status.status)},
                {"priority", to_string(status.priority)},
                {"paused", status.paused},
                {"breached", status.breached()},
                {"approaching", status.approaching()},
                {"breach_count", status.breach_count()},
                {"first_response", to_json(status.first_response)},
                {"next_response", to_json(status.next_response)},
                {"resolution", to_json(status.resolution)},
                {"next_change_at", optional_time(status.next_change_at)}};
}

}  // namespace pitboss::helpdesk
