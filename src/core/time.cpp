#include "pitboss/core/time.hpp"

#include <date/tz.h>

#include <algorithm>
#include <utility>

#include "core/text.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

constexpr std::string_view kTimestampShape =
    "is not an RFC 3339 timestamp: expected e.g. \"2026-11-22T08:39:00Z\" or "
    "\"2026-11-22T09:39:00.123+01:00\"";
constexpr std::string_view kDateShape = "is not a date: expected YYYY-MM-DD, e.g. \"1990-07-14\"";
constexpr std::int64_t kMillisPerDay = 86'400'000;

[[noreturn]] void reject(std::string_view field, std::string_view message) {
    throw ValidationError(std::string(field), std::string(message));
}

/// Reads fixed-width fields left to right; the first mismatch marks the whole scan failed, so
/// callers check `done()` once at the end instead of after every field.
class Scanner {
public:
    explicit Scanner(std::string_view text) noexcept : text_(text) {}

    /// Exactly `width` decimal digits as a number (0 after a failure).
    unsigned number(std::size_t width) noexcept {
        unsigned value = 0;
        for (std::size_t i = 0; i < width; ++i) {
            const char c = next();
            if (c < '0' || c > '9') return fail();
            value = value * 10U + static_cast<unsigned>(c - '0');
        }
        return value;
    }
    /// Requires one of `allowed`; returns the character found.
    char expect(std::string_view allowed) noexcept {
        const char c = next();
        if (allowed.find(c) == std::string_view::npos) fail();
        return c;
    }
    /// Consumes `c` when it comes next.
    bool accept(char c) noexcept {
        if (!ok_ || pos_ >= text_.size() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }
    /// The longest run of digits from here (possibly empty).
    std::string_view digit_run() noexcept {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
        return text_.substr(start, pos_ - start);
    }
    /// Marks the scan failed unless `condition` holds.
    void require(bool condition) noexcept {
        if (!condition) fail();
    }
    /// True when every field matched and nothing is left over.
    [[nodiscard]] bool done() const noexcept { return ok_ && pos_ == text_.size(); }

private:
    char next() noexcept { return ok_ && pos_ < text_.size() ? text_[pos_++] : '\0'; }
    unsigned fail() noexcept {
        ok_ = false;
        return 0;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

Date scan_date(Scanner& scan) noexcept {
    const unsigned year = scan.number(4);
    scan.expect("-");
    const unsigned month = scan.number(2);
    scan.expect("-");
    const unsigned day = scan.number(2);
    return Date{std::chrono::year{static_cast<int>(year)}, std::chrono::month{month},
                std::chrono::day{day}};
}

/// The parts of an RFC 3339 date-time, as written (before range checks).
struct DateTimeFields {
    Date date;
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
    std::string_view fraction;
    int offset_sign = 1;
    unsigned offset_hour = 0;
    unsigned offset_minute = 0;
};

void scan_offset(Scanner& scan, DateTimeFields& f) noexcept {
    if (scan.accept('Z') || scan.accept('z')) return;
    f.offset_sign = scan.expect("+-") == '-' ? -1 : 1;
    f.offset_hour = scan.number(2);
    scan.expect(":");
    f.offset_minute = scan.number(2);
}

DateTimeFields scan_date_time(std::string_view text, std::string_view field) {
    Scanner scan(text);
    DateTimeFields f;
    f.date = scan_date(scan);
    scan.expect("Tt");
    f.hour = scan.number(2);
    scan.expect(":");
    f.minute = scan.number(2);
    scan.expect(":");
    f.second = scan.number(2);
    if (scan.accept('.')) {
        f.fraction = scan.digit_run();
        scan.require(!f.fraction.empty());
    }
    scan_offset(scan, f);
    if (!scan.done()) reject(field, kTimestampShape);
    return f;
}

void check_ranges(const DateTimeFields& f, std::string_view field) {
    if (!f.date.ok()) reject(field, "is not a real calendar date");
    if (f.hour > 23 || f.minute > 59 || f.second > 60)
        reject(field, "has a time of day out of range");
    if (f.offset_hour > 23 || f.offset_minute > 59) reject(field, "has a UTC offset out of range");
    if (f.fraction.size() > 9) reject(field, "has more than 9 fractional-second digits");
}

/// The first three fraction digits as milliseconds; finer digits are truncated.
Duration fraction_millis(std::string_view fraction) noexcept {
    std::int64_t ms = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        ms = ms * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    }
    return Duration(ms);
}

// --- formatting ----------------------------------------------------------------------------

/// A proleptic Gregorian date for any day count an int64 millisecond timestamp can reach
/// (std::chrono::year stops at ±32767).
struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

// Howard Hinnant's civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
CivilDate civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day};
}

void append_padded(std::string& out, std::uint64_t value, std::size_t width) {
    const std::string digits = std::to_string(value);
    if (digits.size() < width) out.append(width - digits.size(), '0');
    out += digits;
}

/// Four digits for years 0000-9999; ISO 8601 expanded form ("+12345", "-0001") outside.
void append_year(std::string& out, std::int64_t year) {
    if (year < 0 || year > 9999) out += year < 0 ? '-' : '+';
    const auto raw = static_cast<std::uint64_t>(year);
    append_padded(out, year < 0 ? ~raw + 1U : raw, 4);
}

void append_civil_date(std::string& out, const CivilDate& d) {
    append_year(out, d.year);
    out += '-';
    append_padded(out, d.month, 2);
    out += '-';
    append_padded(out, d.day, 2);
}

// --- time zones ----------------------------------------------------------------------------

const date::time_zone* find_zone(std::string_view zone) noexcept {
    try {
        return date::locate_zone(zone);
    } catch (...) {  // unknown name, or no readable zoneinfo at all
        return nullptr;
    }
}

const date::time_zone& require_zone(std::string_view zone) {
    const date::time_zone* tz = find_zone(zone);
    if (tz == nullptr) {
        reject("time_zone", detail::quote_for_message(zone, 64) +
                                " is not a zone of the IANA time-zone database");
    }
    return *tz;
}

}  // namespace

Timestamp parse_timestamp(std::string_view text, std::string_view field) {
    const DateTimeFields f = scan_date_time(text, field);
    check_ranges(f, field);
    // A leap second (":60") is held at the last millisecond of its minute, keeping order.
    const Duration time_of_day =
        f.second == 60
            ? hours(f.hour) + minutes(f.minute) + Duration(59'999)
            : hours(f.hour) + minutes(f.minute) + seconds(f.second) + fraction_millis(f.fraction);
    const minutes offset = f.offset_sign * (hours(f.offset_hour) + minutes(f.offset_minute));
    return Timestamp(sys_days(f.date)) + time_of_day - offset;
}

std::string format_timestamp(Timestamp t) {
    const std::int64_t ms = to_unix_millis(t);
    std::int64_t day_count = ms / kMillisPerDay;
    std::int64_t ms_of_day = ms % kMillisPerDay;
    if (ms_of_day < 0) {  // floor, not truncation, for instants before 1970
        ms_of_day += kMillisPerDay;
        --day_count;
    }
    const auto of_day = static_cast<std::uint64_t>(ms_of_day);
    std::string out;
    out.reserve(24);
    append_civil_date(out, civil_from_days(day_count));
    out += 'T';
    append_padded(out, of_day / 3'600'000U, 2);
    out += ':';
    append_padded(out, of_day / 60'000U % 60U, 2);
    out += ':';
    append_padded(out, of_day / 1'000U % 60U, 2);
    out += '.';
    append_padded(out, of_day % 1'000U, 3);
    out += 'Z';
    return out;
}

Date parse_date(std::string_view text, std::string_view field) {
    Scanner scan(text);
    const Date date = scan_date(scan);
    if (!scan.done()) reject(field, kDateShape);
    if (!date.ok()) reject(field, "is not a real calendar date");
    return date;
}

std::string format_date(Date d) {
    std::string out;
    out.reserve(10);
    append_civil_date(out, {static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                            static_cast<unsigned>(d.day())});
    return out;
}

Date utc_date(Timestamp t) noexcept {
    // Clamp to the years std::chrono::year can hold; beyond them the date is meaningless anyway.
    constexpr sys_days kFirst{std::chrono::year::min() / std::chrono::January / 1};
    constexpr sys_days kLast{std::chrono::year::max() / std::chrono::December / 31};
    const sys_days day = std::chrono::floor<days>(t);
    return Date{std::clamp(day, kFirst, kLast)};
}

int age_in_years(Date birth, Date on) noexcept {
    const int years = static_cast<int>(on.year()) - static_cast<int>(birth.year());
    const auto month_day = [](Date d) {
        return std::pair(static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    };
    // Someone born on 29 February turns a year older on 1 March in common years.
    return month_day(on) < month_day(birth) ? years - 1 : years;
}

std::chrono::local_time<std::chrono::milliseconds> to_local(Timestamp t, std::string_view zone) {
    const date::local_time<Duration> local = require_zone(zone).to_local(t);
    return std::chrono::local_time<Duration>(local.time_since_epoch());
}

Timestamp from_local(std::chrono::local_time<std::chrono::milliseconds> local,
                     std::string_view zone) {
    const date::local_time<Duration> wall(local.time_since_epoch());
    // `first` is the offset in force before any transition at this wall time: for a gap that
    // moves the instant forward by the gap's length, for an overlap it picks the earlier instant.
    const date::local_info info = require_zone(zone).get_info(wall);
    return Timestamp((wall - info.first.offset).time_since_epoch());
}

bool is_known_time_zone(std::string_view zone) noexcept { return find_zone(zone) != nullptr; }

}  // namespace pitboss
