#pragma once
// Private: the validated calendar and the UTC timeline of its opening stretches, shared by
// calendar.cpp and sla.cpp.

#include <array>
#include <cstdint>
#include <vector>

#include "pitboss/helpdesk/calendar.hpp"

namespace date {
class time_zone;
}

namespace pitboss::helpdesk {

/// One weekly stretch in minutes from the local midnight of the day it opens; `close` may
/// exceed 1440 when the stretch crosses midnight.
struct Stretch {
    std::int64_t open = 0;   ///< minutes after the day's local midnight
    std::int64_t close = 0;  ///< minutes after the same midnight, > open
};

struct BusinessCalendar::Impl {
    CalendarSpec spec;
    const date::time_zone* zone = nullptr;
    bool always_open = true;
    std::array<std::vector<Stretch>, 7> stretches;  ///< per ISO weekday, Monday first
    std::vector<std::int64_t> holidays;             ///< local dates as days since 1970-01-01
};

/// The opening stretches of a calendar as sorted UTC intervals with running sums of business
/// time, generated for a range of local dates and extended on demand. Not thread-safe: each
/// computation owns one. For an always-open calendar it is plain arithmetic.
///
/// "cum(t)" is the business time from a fixed (arbitrary) origin to t; it never changes once
/// computed, even when the range grows backwards, so callers may keep cum values.
class OpenTimeline {
public:
    explicit OpenTimeline(const BusinessCalendar::Impl& calendar);

    /// Business time from the origin to `t` (ms).
    [[nodiscard]] std::int64_t cum(std::int64_t t);
    /// The earliest instant at which cum reaches `target`; the caller knows an instant with a
    /// smaller cum (so the answer lies after it).
    [[nodiscard]] std::int64_t at_cum(std::int64_t target);
    /// The earliest instant t >= start with cum(t) - cum(start) == amount (amount >= 0).
    [[nodiscard]] std::int64_t add(std::int64_t start, std::int64_t amount);
    /// True inside a stretch (opening instant included, closing instant excluded).
    [[nodiscard]] bool is_open(std::int64_t t);
    /// The next instant >= t that is open.
    [[nodiscard]] std::int64_t next_open(std::int64_t t);

private:
    void ensure_covers(std::int64_t t);
    void extend_to(std::int64_t first_day, std::int64_t end_day);
    void generate(std::int64_t first_day, std::int64_t end_day, std::vector<std::int64_t>& starts,
                  std::vector<std::int64_t>& ends) const;
    [[nodiscard]] std::int64_t local_to_utc(std::int64_t local_minutes) const;
    [[nodiscard]] bool is_holiday(std::int64_t day) const;
    /// Index of the last interval starting at or before t, or -1.
    [[nodiscard]] std::ptrdiff_t last_starting_at_or_before(std::int64_t t) const;

    const BusinessCalendar::Impl& calendar_;
    bool always_open_;
    std::int64_t first_day_ = 0;  ///< local dates [first_day_, end_day_) are generated
    std::int64_t end_day_ = 0;
    std::int64_t covered_lo_ = 0;  ///< every stretch meeting [covered_lo_, covered_hi_) is known
    std::int64_t covered_hi_ = 0;
    std::vector<std::int64_t> starts_;  ///< UTC ms, ascending
    std::vector<std::int64_t> ends_;    ///< UTC ms
    std::vector<std::int64_t> prefix_;  ///< cum at starts_[i]
    /// The last zone period used, as [begin, end) UTC seconds and its offset in seconds; a
    /// local time well inside it converts without a zone lookup.
    mutable std::int64_t period_begin_ = 0;
    mutable std::int64_t period_end_ = 0;
    mutable std::int64_t period_offset_ = 0;
    mutable bool has_period_ = false;
};

}  // namespace pitboss::helpdesk
