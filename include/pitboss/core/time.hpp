#pragma once
/// @file
/// Time vocabulary: UTC timestamps at millisecond precision, calendar dates, time zones.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace pitboss {

/// A point in UTC time, millisecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
/// A span of time, millisecond precision.
using Duration = std::chrono::milliseconds;
/// A calendar date without a time zone (birth dates, holidays).
using Date = std::chrono::year_month_day;

/// Parses RFC 3339 ("2026-11-22T08:39:00Z", "...T08:39:00.123+01:00"), converting to UTC;
/// throws ValidationError naming `field` on anything else.
///
/// Strict: 'T' or 't' between date and time, seconds required, 'Z', 'z' or ±hh:mm; a fraction
/// of 1 to 9 digits is truncated to milliseconds; dates must exist (no 2026-02-30). A leap
/// second (":60") is accepted and held at the last millisecond of its minute (hh:mm:59.999).
Timestamp parse_timestamp(std::string_view text, std::string_view field = "timestamp");
/// Formats as RFC 3339 UTC with milliseconds: "2026-11-22T08:39:00.000Z". Instants outside the
/// years 0000-9999 get ISO 8601 expanded years ("+12345-...", "-0001-..."), which
/// parse_timestamp does not accept.
[[nodiscard]] std::string format_timestamp(Timestamp t);

/// Parses "YYYY-MM-DD"; throws ValidationError naming `field` when malformed or not a real date.
Date parse_date(std::string_view text, std::string_view field = "date");
/// Formats as "YYYY-MM-DD".
[[nodiscard]] std::string format_date(Date d);

/// Milliseconds since the Unix epoch (the storage representation).
[[nodiscard]] constexpr std::int64_t to_unix_millis(Timestamp t) noexcept {
    return t.time_since_epoch().count();
}
/// Inverse of to_unix_millis.
[[nodiscard]] constexpr Timestamp from_unix_millis(std::int64_t ms) noexcept {
    return Timestamp(Duration(ms));
}

/// The UTC calendar date of a timestamp.
[[nodiscard]] Date utc_date(Timestamp t) noexcept;
/// Whole years between a birth date and a day (age as a person counts it). Someone born on
/// 29 February gains a year on 1 March in common years; negative when `on` precedes `birth`.
[[nodiscard]] int age_in_years(Date birth, Date on) noexcept;

/// Local wall-clock time of `t` in an IANA zone ("Europe/Malta"); throws
/// ValidationError("time_zone") for an unknown zone.
[[nodiscard]] std::chrono::local_time<std::chrono::milliseconds> to_local(Timestamp t,
                                                                          std::string_view zone);
/// The UTC instant of a local wall-clock time in an IANA zone; a gap (spring forward) moves
/// forward and an ambiguity (fall back) takes the earlier instant.
///
/// Both use the UTC offset in force before the transition: in Europe/Malta on 2026-03-29, 02:30
/// (which does not exist) becomes 01:30 UTC, i.e. 03:30 local, as in java.time and Python's
/// zoneinfo. Throws ValidationError("time_zone") for an unknown zone.
[[nodiscard]] Timestamp from_local(std::chrono::local_time<std::chrono::milliseconds> local,
                                   std::string_view zone);
/// True when `zone` names a zone in the time-zone database.
[[nodiscard]] bool is_known_time_zone(std::string_view zone) noexcept;

}  // namespace pitboss
