#include "pitboss/helpdesk/calendar.hpp"

#include <date/tz.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>

#include "core/text.hpp"
#include "helpdesk/calendar_impl.hpp"
#include "helpdesk/checks.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {

namespace {

using checks::concat;
using checks::reject;

constexpr std::int64_t kMinutesPerDay = 1440;
constexpr std::int64_t kMillisPerDay = 86'400'000;
/// More than any UTC offset (±26 h), so a local time this far inside a zone period is not near
/// a transition.
constexpr std::int64_t kTransitionMarginSeconds = 26 * 3600;
/// The local dates a timeline may reach: years 0001-9999.
constexpr std::int64_t kFirstDay =
    std::chrono::sys_days{std::chrono::year{1} / 1 / 1}.time_since_epoch().count();
constexpr std::int64_t kLastDay =
    std::chrono::sys_days{std::chrono::year{9999} / 12 / 31}.time_since_epoch().count();
/// Days a timeline grows by at least, so that extension is amortised.
constexpr std::int64_t kMinGrowthDays = 32;

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// ISO weekday index (Monday 0) of a day counted from 1970-01-01, a Thursday.
std::size_t weekday_of(std::int64_t day) noexcept {
    return static_cast<std::size_t>(((day % 7) + 7 + 3) % 7);
}

std::string stretch_field(std::size_t weekday, std::size_t index, std::string_view part) {
    return concat({"weekly_hours.", weekday_name(weekday), "[", std::to_string(index), "]",
                   part.empty() ? "" : ".", part});
}

const date::time_zone* locate(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (...) {  // unknown name, or no readable zoneinfo at all
        reject("time_zone", concat({detail::quote_for_message(name, 64),
                                    " is not a zone of the IANA time-zone database"}));
    }
}

/// Checks every stretch and that no two overlap anywhere in the (circular) week.
void validate_hours(const CalendarSpec& spec, BusinessCalendar::Impl& impl) {
    struct WeekStretch {
        std::int64_t start;
        std::int64_t end;
        std::size_t weekday;
    };
    std::vector<WeekStretch> week;
    for (std::size_t d = 0; d < 7; ++d) {
        for (std::size_t i = 0; i < spec.weekly_hours[d].size(); ++i) {
            const OpeningHours& h = spec.weekly_hours[d][i];
            const std::int64_t open = h.open.count();
            const std::int64_t close = h.close.count();
            if (open < 0 || open >= kMinutesPerDay) {
                reject(stretch_field(d, i, "open"), "must be between 00:00 and 23:59");
            }
            if (close <= 0 || close > kMinutesPerDay) {
                reject(stretch_field(d, i, "close"), "must be between 00:01 and 24:00");
            }
            if (close == open) {
                reject(stretch_field(d, i, "close"),
                       "must differ from open (use 00:00-24:00 for a whole day)");
            }
            const Stretch s{open, close > open ? close : close + kMinutesPerDay};
            impl.stretches[d].push_back(s);
            const auto base = static_cast<std::int64_t>(d) * kMinutesPerDay;
            week.push_back({base + s.open, base + s.close, d});
        }
        std::sort(impl.stretches[d].begin(), impl.stretches[d].end(),
                  [](const Stretch& a, const Stretch& b) { return a.open < b.open; });
    }
    if (week.empty()) {
        reject("weekly_hours", "has no opening hours (set always_open for a 24/7 calendar)");
    }
    std::sort(week.begin(), week.end(),
              [](const WeekStretch& a, const WeekStretch& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < week.size(); ++i) {
        if (week[i].start < week[i - 1].end) {
            reject(concat({"weekly_hours.", weekday_name(week[i].weekday)}),
                   "has overlapping opening hours");
        }
    }
    // A Sunday stretch crossing midnight runs into Monday of the next week.
    const std::int64_t week_minutes = 7 * kMinutesPerDay;
    if (week.back().end - week_minutes > week.front().start) {
        reject(concat({"weekly_hours.", weekday_name(week.front().weekday)}),
               "has overlapping opening hours");
    }
}

std::shared_ptr<const BusinessCalendar::Impl> build(CalendarSpec spec) {
    auto impl = std::make_shared<BusinessCalendar::Impl>();
    impl->zone = locate(spec.time_zone);
    impl->always_open = spec.always_open;
    if (spec.always_open) {
        for (std::size_t d = 0; d < 7; ++d) {
            if (!spec.weekly_hours[d].empty()) {
                reject("weekly_hours", "must be empty for an always-open calendar");
            }
        }
        if (!spec.holidays.empty()) reject("holidays", "must be empty for an always-open calendar");
    } else {
        validate_hours(spec, *impl);
    }
    for (std::size_t i = 0; i < spec.holidays.size(); ++i) {
        if (!spec.holidays[i].ok()) {
            reject(concat({"holidays[", std::to_string(i), "]"}), "is not a real calendar date");
        }
    }
    std::sort(spec.holidays.begin(), spec.holidays.end());
    spec.holidays.erase(std::unique(spec.holidays.begin(), spec.holidays.end()),
                        spec.holidays.end());
    for (const Date& d : spec.holidays) {
        impl->holidays.push_back(std::chrono::sys_days{d}.time_since_epoch().count());
    }
    impl->spec = std::move(spec);
    return impl;
}

// --- JSON ----------------------------------------------------------------------------------

std::string format_minutes(std::chrono::minutes m) {
    const auto total = m.count();
    std::string out;
    const auto two = [&out](std::int64_t v) {
        if (v < 10) out += '0';
        out += std::to_string(v);
    };
    two(total / 60);
    out += ':';
    two(total % 60);
    return out;
}

std::chrono::minutes parse_minutes(const Json& j, const std::string& field) {
    const auto bad = [&field]() { reject(field, "must be a time of day \"HH:MM\" (00:00-24:00)"); };
    if (!j.is_string()) bad();
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() != 5 || s[2] != ':') bad();
    for (std::size_t i : {0U, 1U, 3U, 4U}) {
        if (s[i] < '0' || s[i] > '9') bad();
    }
    const int hours = (s[0] - '0') * 10 + (s[1] - '0');
    const int minutes = (s[3] - '0') * 10 + (s[4] - '0');
    if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) bad();
    return std::chrono::minutes{hours * 60 + minutes};
}

}  // namespace

std::string_view weekday_name(std::size_t index) noexcept {
    static constexpr std::array<std::string_view, 7> kNames = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    return index < kNames.size() ? kNames[index] : "unknown";
}

// --- BusinessCalendar ----------------------------------------------------------------------

BusinessCalendar::BusinessCalendar() : BusinessCalendar(CalendarSpec{"UTC", true, {}, {}}) {}

BusinessCalendar::BusinessCalendar(CalendarSpec spec) : impl_(build(std::move(spec))) {}

BusinessCalendar BusinessCalendar::always_open(std::string time_zone) {
    return BusinessCalendar(CalendarSpec{std::move(time_zone), true, {}, {}});
}

const CalendarSpec& BusinessCalendar::spec() const noexcept { return impl_->spec; }

bool BusinessCalendar::is_always_open() const noexcept { return impl_->always_open; }

bool BusinessCalendar::is_open(Timestamp t) const {
    OpenTimeline timeline(*impl_);
    return timeline.is_open(to_unix_millis(t));
}

Duration BusinessCalendar::business_time_between(Timestamp a, Timestamp b) const {
    OpenTimeline timeline(*impl_);
    const std::int64_t from = timeline.cum(to_unix_millis(a));
    return Duration(timeline.cum(to_unix_millis(b)) - from);
}

Timestamp BusinessCalendar::add_business_time(Timestamp start, Duration amount) const {
    if (amount.count() < 0) throw ValidationError("duration", "must not be negative");
    OpenTimeline timeline(*impl_);
    return from_unix_millis(timeline.add(to_unix_millis(start), amount.count()));
}

Timestamp BusinessCalendar::next_open(Timestamp t) const {
    OpenTimeline timeline(*impl_);
    return from_unix_millis(timeline.next_open(to_unix_millis(t)));
}

// --- OpenTimeline --------------------------------------------------------------------------

OpenTimeline::OpenTimeline(const BusinessCalendar::Impl& calendar)
    : calendar_(calendar), always_open_(calendar.always_open) {}

std::int64_t OpenTimeline::local_to_utc(std::int64_t local_minutes) const {
    const std::int64_t local_seconds = local_minutes * 60;
    if (has_period_) {
        const std::int64_t utc = local_seconds - period_offset_;
        if (utc >= period_begin_ + kTransitionMarginSeconds &&
            utc < period_end_ - kTransitionMarginSeconds) {
            return utc * 1000;
        }
    }
    // Near a transition: the zone decides. A wall time in a spring-forward gap never shows on
    // the clock; the stretch starts (or ends) when the clock jumps past it, which keeps the
    // mapping monotonic (pitboss::from_local would move it forward by the gap instead). An
    // ambiguous wall time (fall back) takes the earlier instant.
    const date::local_info info =
        calendar_.zone->get_info(date::local_seconds{std::chrono::seconds{local_seconds}});
    period_begin_ = info.first.begin.time_since_epoch().count();
    period_end_ = info.first.end.time_since_epoch().count();
    period_offset_ = info.first.offset.count();
    has_period_ = true;
    if (info.result == date::local_info::nonexistent) return period_end_ * 1000;
    return (local_seconds - period_offset_) * 1000;
}

bool OpenTimeline::is_holiday(std::int64_t day) const {
    return std::binary_search(calendar_.holidays.begin(), calendar_.holidays.end(), day);
}

void OpenTimeline::generate(std::int64_t first_day, std::int64_t end_day,
                            std::vector<std::int64_t>& starts,
                            std::vector<std::int64_t>& ends) const {
    for (std::int64_t day = first_day; day < end_day; ++day) {
        if (is_holiday(day)) continue;
        const std::int64_t midnight = day * kMinutesPerDay;
        for (const Stretch& s : calendar_.stretches[weekday_of(day)]) {
            const std::int64_t open = local_to_utc(midnight + s.open);
            const std::int64_t close = local_to_utc(midnight + s.close);
            // A stretch lying wholly in a spring-forward gap has no real time.
            if (close <= open) continue;
            starts.push_back(open);
            ends.push_back(close);
        }
    }
}

void OpenTimeline::extend_to(std::int64_t first_day, std::int64_t end_day) {
    if (first_day < kFirstDay || end_day > kLastDay) {
        throw ValidationError("timestamp", "is outside the years 0001-9999");
    }
    if (starts_.empty() && first_day_ == end_day_) {  // first use
        generate(first_day, end_day, starts_, ends_);
        prefix_.resize(starts_.size());
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < starts_.size(); ++i) {
            prefix_[i] = sum;
            sum += ends_[i] - starts_[i];
        }
        first_day_ = first_day;
        end_day_ = end_day;
    }
    if (end_day > end_day_) {
        const std::size_t old = starts_.size();
        generate(end_day_, end_day, starts_, ends_);
        // With no stretch yet, cum has been 0 everywhere and stays 0 before the new ones.
        std::int64_t sum = old == 0 ? 0 : prefix_[old - 1] + ends_[old - 1] - starts_[old - 1];
        prefix_.resize(starts_.size());
        for (std::size_t i = old; i < starts_.size(); ++i) {
            prefix_[i] = sum;
            sum += ends_[i] - starts_[i];
        }
        end_day_ = end_day;
    }
    if (first_day < first_day_) {
        std::vector<std::int64_t> starts;
        std::vector<std::int64_t> ends;
        generate(first_day, first_day_, starts, ends);
        std::int64_t added = 0;
        for (std::size_t i = 0; i < starts.size(); ++i) added += ends[i] - starts[i];
        // Keep every cum value already handed out: the new stretches end where the old origin
        // was.
        std::int64_t sum = (prefix_.empty() ? 0 : prefix_.front()) - added;
        std::vector<std::int64_t> prefix(starts.size());
        for (std::size_t i = 0; i < starts.size(); ++i) {
            prefix[i] = sum;
            sum += ends[i] - starts[i];
        }
        starts.insert(starts.end(), starts_.begin(), starts_.end());
        ends.insert(ends.end(), ends_.begin(), ends_.end());
        prefix.insert(prefix.end(), prefix_.begin(), prefix_.end());
        starts_ = std::move(starts);
        ends_ = std::move(ends);
        prefix_ = std::move(prefix);
        first_day_ = first_day;
    }
    // Stretches of days before first_day_ end by the local midnight after it; those of days
    // from end_day_ on open at or after its local midnight.
    covered_lo_ = local_to_utc((first_day_ + 1) * kMinutesPerDay);
    covered_hi_ = local_to_utc(end_day_ * kMinutesPerDay);
}

void OpenTimeline::ensure_covers(std::int64_t t) {
    const std::int64_t day = floor_div(t, kMillisPerDay);
    if (first_day_ == end_day_) {
        extend_to(day - 3, day + 4);
        return;
    }
    while (t < covered_lo_ || t >= covered_hi_) {
        const std::int64_t growth = std::max(kMinGrowthDays, end_day_ - first_day_);
        if (t < covered_lo_) {
            // Clamped to the supported years unless `t` itself lies outside them (which throws).
            std::int64_t first = std::min(day - 3, first_day_ - growth);
            if (day - 3 >= kFirstDay) first = std::max(first, kFirstDay);
            extend_to(first, end_day_);
        } else {
            std::int64_t end = std::max(day + 4, end_day_ + growth);
            if (day + 4 <= kLastDay) end = std::min(end, kLastDay);
            extend_to(first_day_, end);
        }
    }
}

std::ptrdiff_t OpenTimeline::last_starting_at_or_before(std::int64_t t) const {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), t);
    return (it - starts_.begin()) - 1;
}

std::int64_t OpenTimeline::cum(std::int64_t t) {
    if (always_open_) return t;
    ensure_covers(t);
    const std::ptrdiff_t i = last_starting_at_or_before(t);
    if (i < 0) return prefix_.empty() ? 0 : prefix_.front();
    const auto k = static_cast<std::size_t>(i);
    return prefix_[k] + std::min(t, ends_[k]) - starts_[k];
}

std::int64_t OpenTimeline::at_cum(std::int64_t target) {
    if (always_open_) return target;
    for (;;) {
        // The first stretch whose end reaches the target.
        std::size_t lo = 0;
        std::size_t hi = starts_.size();
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (prefix_[mid] + ends_[mid] - starts_[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < starts_.size()) return starts_[lo] + (target - prefix_[lo]);
        ensure_covers(covered_hi_);
    }
}

std::int64_t OpenTimeline::add(std::int64_t start, std::int64_t amount) {
    if (amount <= 0) return start;
    return at_cum(cum(start) + amount);
}

bool OpenTimeline::is_open(std::int64_t t) {
    if (always_open_) return true;
    ensure_covers(t);
    const std::ptrdiff_t i = last_starting_at_or_before(t);
    return i >= 0 && t < ends_[static_cast<std::size_t>(i)];
}

std::int64_t OpenTimeline::next_open(std::int64_t t) {
    if (always_open_) return t;
    ensure_covers(t);
    for (;;) {
        const std::ptrdiff_t i = last_starting_at_or_before(t);
        if (i >= 0 && t < ends_[static_cast<std::size_t>(i)]) return t;
        const auto next = static_cast<std::size_t>(i + 1);
        if (next < starts_.size()) return starts_[next];
        ensure_covers(covered_hi_);
    }
}

// --- JSON ----------------------------------------------------------------------------------

Json to_json(const CalendarSpec& spec) {
    Json hours = Json::object();
    for (std::size_t d = 0; d < 7; ++d) {
        if (spec.weekly_hours[d].empty()) continue;
        Json day = Json::array();
        for (const OpeningHours& h : spec.weekly_hours[d]) {
            day.push_back(Json::array({format_minutes(h.open), format_minutes(h.close)}));
        }
        hours[std::string(weekday_name(d))] = std::move(day);
    }
    Json holidays = Json::array();
    for (const Date& d : spec.holidays) holidays.push_back(format_date(d));
    return Json{{"time_zone", spec.time_zone},
                {"always_open", spec.always_open},
                {"weekly_hours", std::move(hours)},
                {"holidays", std::move(holidays)}};
}

CalendarSpec calendar_spec_from_json(const Json& j) {
    if (!j.is_object()) reject("calendar", "must be a JSON object");
    CalendarSpec spec;
    if (const auto it = j.find("time_zone"); it != j.end()) {
        if (!it->is_string()) reject("time_zone", "must be a string");
        spec.time_zone = it->get<std::string>();
    }
    if (const auto it = j.find("always_open"); it != j.end()) {
        if (!it->is_boolean()) reject("always_open", "must be true or false");
        spec.always_open = it->get<bool>();
    }
    if (const auto it = j.find("weekly_hours"); it != j.end()) {
        if (!it->is_object()) reject("weekly_hours", "must be an object keyed by weekday");
        for (const auto& [key, value] : it->items()) {
            std::size_t d = 0;
            while (d < 7 && weekday_name(d) != key) ++d;
            if (d == 7)
                reject(concat({"weekly_hours.", key}), "is not a weekday (monday ... sunday)");
            if (!value.is_array())
                reject(concat({"weekly_hours.", key}), "must be a list of [open, close]");
            for (std::size_t i = 0; i < value.size(); ++i) {
                const Json& pair = value[i];
                const std::string field =
                    concat({"weekly_hours.", key, "[", std::to_string(i), "]"});
                if (!pair.is_array() || pair.size() != 2) {
                    reject(field, "must be [\"HH:MM\", \"HH:MM\"]");
                }
                spec.weekly_hours[d].push_back({parse_minutes(pair[0], field + ".open"),
                                                parse_minutes(pair[1], field + ".close")});
            }
        }
    }
    if (const auto it = j.find("holidays"); it != j.end()) {
        if (!it->is_array()) reject("holidays", "must be a list of YYYY-MM-DD dates");
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string field = concat({"holidays[", std::to_string(i), "]"});
            if (!(*it)[i].is_string()) reject(field, "must be a YYYY-MM-DD date");
            spec.holidays.push_back(parse_date((*it)[i].get<std::string>(), field));
        }
    }
    return spec;
}

}  // namespace pitboss::helpdesk
