#pragma once
/// @file
/// Business-hours calendars: a time zone, weekly opening hours and holidays (or 24/7), and the
/// arithmetic SLA targets need. Pure: no I/O, no clock reads.

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::helpdesk {

/// One stretch of opening hours on a weekday, in local wall-clock time.
///
/// `open` is 00:00-23:59; `close` is 00:01-24:00. A `close` at or before `open` means the
/// stretch crosses midnight and closes on the next day (22:00-06:00). A stretch belongs to the
/// day it opens: a holiday closes the stretches that open on it.
struct OpeningHours {
    std::chrono::minutes open{0};   ///< local time of day the stretch opens
    std::chrono::minutes close{0};  ///< local time of day it closes (24:00 = 1440 min)
    /// Field-wise equality.
    friend bool operator==(const OpeningHours&, const OpeningHours&) = default;
};

/// Everything that defines a calendar; validated by BusinessCalendar's constructor.
struct CalendarSpec {
    std::string time_zone = "UTC";  ///< IANA zone whose wall clock the hours are in
    bool always_open = false;       ///< 24/7: every instant counts; no hours, no holidays
    /// Opening hours per weekday, index 0 = Monday ... 6 = Sunday (ISO order); several
    /// stretches a day allowed, none means closed that day.
    std::array<std::vector<OpeningHours>, 7> weekly_hours;
    std::vector<Date> holidays;  ///< local dates on which no stretch opens
    /// Field-wise equality.
    friend bool operator==(const CalendarSpec&, const CalendarSpec&) = default;
};

/// "monday" ... "sunday" for index 0-6 (the weekly_hours index); "unknown" otherwise.
[[nodiscard]] std::string_view weekday_name(std::size_t index) noexcept;

/// A validated business calendar: immutable, cheap to copy, safe to share between threads.
///
/// Business time is real elapsed time while the calendar is open. Hours are local wall-clock
/// hours, converted to UTC day by day with the zone's rules, so a 09:00-17:00 day is 8 hours on
/// a DST-change day too (unless the change falls inside the stretch, when the stretch really is
/// an hour shorter or longer). A wall time that does not exist (in a spring-forward gap) is
/// taken as the instant the clocks jump, so a stretch inside the gap is empty; an ambiguous one
/// (fall back) takes the earlier instant.
class BusinessCalendar {
public:
    /// A 24/7 calendar in UTC.
    BusinessCalendar();
    /// Validates `spec`; throws ValidationError naming the field ("time_zone",
    /// "weekly_hours.monday[0].close", "weekly_hours.friday" for overlapping stretches,
    /// "weekly_hours" when a calendar that is not always_open has no hours, "holidays").
    explicit BusinessCalendar(CalendarSpec spec);
    /// A 24/7 calendar in `time_zone` (validated as above).
    [[nodiscard]] static BusinessCalendar always_open(std::string time_zone = "UTC");

    /// The validated definition (holidays sorted, duplicates removed).
    [[nodiscard]] const CalendarSpec& spec() const noexcept;
    /// True when every instant is business time.
    [[nodiscard]] bool is_always_open() const noexcept;

    /// True when `t` lies inside an opening stretch (a stretch includes its opening instant and
    /// excludes its closing instant).
    [[nodiscard]] bool is_open(Timestamp t) const;
    /// Business time from `a` to `b`; negative (minus the time from `b` to `a`) when b < a.
    [[nodiscard]] Duration business_time_between(Timestamp a, Timestamp b) const;
    /// The earliest instant t >= `start` with business_time_between(start, t) == `amount`:
    /// `start` itself for zero, else a moment inside or at the close of a stretch. Throws
    /// ValidationError("duration") for a negative amount.
    [[nodiscard]] Timestamp add_business_time(Timestamp start, Duration amount) const;
    /// The next instant >= `t` at which the calendar is open (`t` when open now).
    [[nodiscard]] Timestamp next_open(Timestamp t) const;

    /// @cond INTERNAL
    struct Impl;
    /// The validated, precomputed form (used by the SLA batch code).
    [[nodiscard]] const Impl& impl() const noexcept { return *impl_; }
    /// @endcond

private:
    std::shared_ptr<const Impl> impl_;
};

/// The spec as JSON: {"time_zone": "Europe/Malta", "always_open": false, "weekly_hours":
/// {"monday": [["09:00", "17:00"]], ...}, "holidays": ["2026-12-25"]} (closed days omitted).
[[nodiscard]] Json to_json(const CalendarSpec& spec);
/// Reads the JSON above ("24:00" allowed as a close); missing keys take the CalendarSpec
/// defaults. Throws ValidationError naming the field, e.g. "weekly_hours.monday[0]". Does not
/// validate the calendar itself: pass the result to BusinessCalendar.
[[nodiscard]] CalendarSpec calendar_spec_from_json(const Json& j);

}  // namespace pitboss::helpdesk
