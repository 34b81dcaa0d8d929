#include "pitboss/core/time.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "pitboss/core/error.hpp"
#include "validation_error_of.hpp"

using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using pitboss::Date;
using pitboss::format_timestamp;
using pitboss::from_unix_millis;
using pitboss::parse_date;
using pitboss::parse_timestamp;
using pitboss::Timestamp;
using pitboss::to_unix_millis;
using pitboss::testing::validation_error_of;
using LocalTime = std::chrono::local_time<std::chrono::milliseconds>;

namespace {

std::int64_t millis(std::string_view text) { return to_unix_millis(parse_timestamp(text)); }

std::string timestamp_error(std::string_view text) {
    return validation_error_of([&] { (void)parse_timestamp(text); }).what();
}

std::string date_error(std::string_view text) {
    return validation_error_of([&] { (void)parse_date(text); }).what();
}

/// A local wall-clock time from its text, e.g. local("2026-03-29T02:30:00").
LocalTime local(std::string_view text) {
    const Timestamp as_if_utc = parse_timestamp(std::string(text) + "Z");
    return LocalTime(as_if_utc.time_since_epoch());
}

/// A local wall-clock time as text, e.g. "2026-03-29T03:00:00.000".
std::string local_text(LocalTime t) {
    std::string text = format_timestamp(Timestamp(t.time_since_epoch()));
    text.pop_back();  // the 'Z'
    return text;
}

std::string utc_of(std::string_view wall, std::string_view zone) {
    return format_timestamp(pitboss::from_local(local(wall), zone));
}

std::string wall_of(std::string_view utc, std::string_view zone) {
    return local_text(pitboss::to_local(parse_timestamp(utc), zone));
}

Date ymd(int y, unsigned m, unsigned d) {
    return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace

// --- parse_timestamp -------------------------------------------------------------------------

TEST_CASE("core: parse_timestamp reads RFC 3339 in UTC", "[core]") {
    CHECK(millis("1970-01-01T00:00:00Z") == 0);
    CHECK(millis("2026-11-22T08:39:00Z") == 1'795'336'740'000);
    CHECK(millis("2026-11-22t08:39:00z") == 1'795'336'740'000);
    CHECK(millis("2000-02-29T23:59:59Z") == 951'868'799'000);
    CHECK(millis("9999-12-31T23:59:59.999Z") == 253'402'300'799'999);
    CHECK(millis("0000-01-01T00:00:00Z") == -62'167'219'200'000);
}

TEST_CASE("core: parse_timestamp applies the UTC offset", "[core]") {
    CHECK(millis("2026-11-22T09:39:00+01:00") == millis("2026-11-22T08:39:00Z"));
    CHECK(millis("2026-11-22T03:09:00-05:30") == millis("2026-11-22T08:39:00Z"));
    CHECK(millis("2026-11-22T08:39:00-00:00") == millis("2026-11-22T08:39:00Z"));
    CHECK(millis("2026-11-23T00:30:00+14:00") == millis("2026-11-22T10:30:00Z"));
    CHECK(millis("2026-12-31T23:00:00-23:59") == millis("2027-01-01T22:59:00Z"));
    CHECK(format_timestamp(parse_timestamp("2027-01-01T00:30:00.250+01:00")) ==
          "2026-12-31T23:30:00.250Z");
}

TEST_CASE("core: parse_timestamp truncates the fraction to milliseconds", "[core]") {
    CHECK(millis("2026-01-01T00:00:00.1Z") % 1000 == 100);
    CHECK(millis("2026-01-01T00:00:00.12Z") % 1000 == 120);
    CHECK(millis("2026-01-01T00:00:00.123Z") % 1000 == 123);
    CHECK(millis("2026-01-01T00:00:00.123999999Z") % 1000 == 123);
    CHECK(millis("2026-01-01T00:00:00.000000001Z") % 1000 == 0);
}

TEST_CASE("core: parse_timestamp handles instants before 1970", "[core]") {
    CHECK(millis("1969-12-31T23:59:59.999Z") == -1);
    CHECK(millis("1969-12-31T23:59:59Z") == -1000);
    CHECK(millis("1900-01-01T00:00:00Z") == -2'208'988'800'000);
    CHECK(millis("1960-02-29T12:00:00.500+02:00") == millis("1960-02-29T10:00:00.5Z"));
}

TEST_CASE("core: a leap second is held at the last millisecond of its minute", "[core]") {
    CHECK(format_timestamp(parse_timestamp("2016-12-31T23:59:60Z")) == "2016-12-31T23:59:59.999Z");
    CHECK(format_timestamp(parse_timestamp("2016-12-31T23:59:60.5Z")) ==
          "2016-12-31T23:59:59.999Z");
    CHECK(millis("2016-12-31T23:59:60Z") < millis("2017-01-01T00:00:00Z"));
    CHECK(millis("2017-01-01T00:59:60+01:00") == millis("2016-12-31T23:59:59.999Z"));
}

TEST_CASE("core: parse_timestamp rejects what RFC 3339 does not allow", "[core]") {
    for (const char* bad : {"",
                            "2026-11-22",
                            "2026-11-22T08:39Z",
                            "2026-11-22T08:39:00",
                            "2026-11-22 08:39:00Z",
                            "2026-11-22_08:39:00Z",
                            "2026-11-22T08:39:00+0100",
                            "2026-11-22T08:39:00+01",
                            "2026-11-22T08:39:00UTC",
                            "2026-11-22T08:39:00.Z",
                            "2026-11-22T08:39:00,5Z",
                            " 2026-11-22T08:39:00Z",
                            "2026-11-22T08:39:00Z ",
                            "2026-11-22T08:39:00ZZ",
                            "26-11-22T08:39:00Z",
                            "2026-1-22T08:39:00Z",
                            "2026-11-2T08:39:00Z",
                            "2026-11-22T8:39:00Z",
                            "+2026-11-22T08:39:00Z",
                            "20261122T083900Z",
                            "1e9",
                            "2026-11-22T08:39:00+01:00:00",
                            "2026-11-22T08:39:00.123456789+",
                            "yesterday"}) {
        INFO(bad);
        CHECK_THAT(timestamp_error(bad), Contains("is not an RFC 3339 timestamp"));
    }
}

TEST_CASE("core: parse_timestamp rejects impossible dates and times", "[core]") {
    CHECK_THAT(timestamp_error("2026-02-30T00:00:00Z"), Contains("not a real calendar date"));
    CHECK_THAT(timestamp_error("2026-02-29T00:00:00Z"), Contains("not a real calendar date"));
    CHECK_THAT(timestamp_error("1900-02-29T00:00:00Z"), Contains("not a real calendar date"));
    CHECK_THAT(timestamp_error("2026-04-31T00:00:00Z"), Contains("not a real calendar date"));
    CHECK_THAT(timestamp_error("2026-13-01T00:00:00Z"), Contains("not a real calendar date"));
    CHECK_THAT(timestamp_error("2026-00-10T00:00:00Z"), Contains("not a real calendar date"));
    CHECK_THAT(timestamp_error("2026-01-00T00:00:00Z"), Contains("not a real calendar date"));
    CHECK_THAT(timestamp_error("2026-01-01T24:00:00Z"), Contains("time of day out of range"));
    CHECK_THAT(timestamp_error("2026-01-01T23:60:00Z"), Contains("time of day out of range"));
    CHECK_THAT(timestamp_error("2026-01-01T23:59:61Z"), Contains("time of day out of range"));
    CHECK_THAT(timestamp_error("2026-01-01T00:00:00+24:00"), Contains("UTC offset out of range"));
    CHECK_THAT(timestamp_error("2026-01-01T00:00:00-01:60"), Contains("UTC offset out of range"));
    CHECK_THAT(timestamp_error("2026-01-01T00:00:00.1234567890Z"),
               Contains("more than 9 fractional-second digits"));
}

TEST_CASE("core: parse_timestamp names the field and never echoes the input", "[core]") {
    const auto e =
        validation_error_of([] { (void)parse_timestamp("1990-02-30T00:00:00Z", "occurred_at"); });
    CHECK(e.field() == "occurred_at");
    CHECK_THAT(e.what(), StartsWith("occurred_at: "));
    CHECK(std::string(e.what()).find("1990") == std::string::npos);
    CHECK(validation_error_of([] { (void)parse_timestamp("x"); }).field() == "timestamp");
}

// --- format_timestamp ------------------------------------------------------------------------

TEST_CASE("core: format_timestamp writes UTC with milliseconds", "[core]") {
    CHECK(format_timestamp(from_unix_millis(0)) == "1970-01-01T00:00:00.000Z");
    CHECK(format_timestamp(from_unix_millis(1'795'336'740'123)) == "2026-11-22T08:39:00.123Z");
    CHECK(format_timestamp(from_unix_millis(-1)) == "1969-12-31T23:59:59.999Z");
    CHECK(format_timestamp(from_unix_millis(-86'400'000)) == "1969-12-31T00:00:00.000Z");
    CHECK(format_timestamp(from_unix_millis(-86'400'001)) == "1969-12-30T23:59:59.999Z");
    CHECK(format_timestamp(from_unix_millis(-2'208'988'800'000)) == "1900-01-01T00:00:00.000Z");
    CHECK(format_timestamp(from_unix_millis(951'782'400'000)) == "2000-02-29T00:00:00.000Z");
    CHECK(format_timestamp(from_unix_millis(-62'167'219'200'000)) == "0000-01-01T00:00:00.000Z");
    CHECK(format_timestamp(from_unix_millis(253'402'300'799'999)) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("core: format_timestamp uses expanded years outside 0000-9999", "[core]") {
    CHECK(format_timestamp(from_unix_millis(253'402'300'800'000)) == "+10000-01-01T00:00:00.000Z");
    CHECK(format_timestamp(from_unix_millis(-62'167'219'200'001)) == "-0001-12-31T23:59:59.999Z");
    CHECK(format_timestamp(from_unix_millis(std::numeric_limits<std::int64_t>::max())) ==
          "+292278994-08-17T07:12:55.807Z");
    CHECK(format_timestamp(from_unix_millis(std::numeric_limits<std::int64_t>::min())) ==
          "-292275055-05-16T16:47:04.192Z");
    CHECK_THROWS_AS(parse_timestamp("+10000-01-01T00:00:00.000Z"), pitboss::ValidationError);
}

TEST_CASE("core: format_timestamp and parse_timestamp round-trip", "[core]") {
    for (const std::int64_t ms :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{999}, std::int64_t{-999},
          std::int64_t{1'795'336'740'123}, std::int64_t{-1'795'336'740'123},
          std::int64_t{253'402'300'799'999}, std::int64_t{-62'167'219'200'000},
          std::int64_t{951'868'799'999}, std::int64_t{4'107'542'400'000}}) {
        INFO(ms);
        CHECK(millis(format_timestamp(from_unix_millis(ms))) == ms);
    }
}

TEST_CASE("core: unix milliseconds convert both ways", "[core]") {
    CHECK(to_unix_millis(from_unix_millis(-42)) == -42);
    STATIC_REQUIRE(to_unix_millis(from_unix_millis(1234)) == 1234);
}

// --- dates -----------------------------------------------------------------------------------

TEST_CASE("core: parse_date reads real calendar dates", "[core]") {
    CHECK(parse_date("1990-07-14") == ymd(1990, 7, 14));
    CHECK(parse_date("2024-02-29") == ymd(2024, 2, 29));
    CHECK(parse_date("2000-02-29") == ymd(2000, 2, 29));
    CHECK(parse_date("0001-01-01") == ymd(1, 1, 1));
    CHECK(parse_date("9999-12-31") == ymd(9999, 12, 31));
}

TEST_CASE("core: parse_date rejects dates that do not exist", "[core]") {
    for (const char* bad :
         {"2026-02-29", "1900-02-29", "2100-02-29", "2026-02-30", "2026-04-31", "2026-06-31",
          "2026-09-31", "2026-11-31", "2026-13-01", "2026-00-01", "2026-01-00", "2026-01-32"}) {
        INFO(bad);
        CHECK(date_error(bad) == "date: is not a real calendar date");
    }
}

TEST_CASE("core: parse_date rejects anything but YYYY-MM-DD", "[core]") {
    for (const char* bad : {"", "1990-7-14", "90-07-14", "1990/07/14", "14.07.1990", "19900714",
                            "1990-07-14T00:00:00Z", " 1990-07-14", "1990-07-14 ", "1990-07-1a",
                            "+1990-07-14", "-1990-07-14", "1990-07"}) {
        INFO(bad);
        CHECK_THAT(date_error(bad), Contains("is not a date: expected YYYY-MM-DD"));
    }
    const auto e = validation_error_of([] { (void)parse_date("1990-02-30", "birth_date"); });
    CHECK(e.field() == "birth_date");
    CHECK(std::string(e.what()).find("1990") == std::string::npos);  // personal data stays out
}

TEST_CASE("core: format_date writes YYYY-MM-DD", "[core]") {
    CHECK(pitboss::format_date(ymd(1990, 7, 14)) == "1990-07-14");
    CHECK(pitboss::format_date(ymd(5, 1, 2)) == "0005-01-02");
    CHECK(pitboss::format_date(parse_date("2024-02-29")) == "2024-02-29");
}

TEST_CASE("core: utc_date is the calendar day in UTC", "[core]") {
    CHECK(pitboss::utc_date(parse_timestamp("2026-11-22T23:59:59.999Z")) == ymd(2026, 11, 22));
    CHECK(pitboss::utc_date(parse_timestamp("2026-11-23T00:30:00+01:00")) == ymd(2026, 11, 22));
    CHECK(pitboss::utc_date(from_unix_millis(-1)) == ymd(1969, 12, 31));
    CHECK(pitboss::utc_date(from_unix_millis(0)) == ymd(1970, 1, 1));
    const Date far = pitboss::utc_date(from_unix_millis(std::numeric_limits<std::int64_t>::max()));
    CHECK(far.ok());
    CHECK(far.year() == std::chrono::year::max());
}

TEST_CASE("core: age_in_years counts birthdays", "[core]") {
    const Date birth = ymd(2008, 7, 14);
    CHECK(pitboss::age_in_years(birth, ymd(2026, 7, 13)) == 17);
    CHECK(pitboss::age_in_years(birth, ymd(2026, 7, 14)) == 18);
    CHECK(pitboss::age_in_years(birth, ymd(2026, 7, 15)) == 18);
    CHECK(pitboss::age_in_years(birth, ymd(2026, 6, 30)) == 17);
    CHECK(pitboss::age_in_years(birth, ymd(2026, 12, 31)) == 18);
    CHECK(pitboss::age_in_years(birth, birth) == 0);
    CHECK(pitboss::age_in_years(birth, ymd(2008, 7, 13)) == -1);
    CHECK(pitboss::age_in_years(ymd(1900, 1, 1), ymd(2026, 1, 1)) == 126);
}

TEST_CASE("core: someone born on 29 February ages on 1 March in common years", "[core]") {
    const Date leapling = ymd(2008, 2, 29);
    CHECK(pitboss::age_in_years(leapling, ymd(2026, 2, 28)) == 17);
    CHECK(pitboss::age_in_years(leapling, ymd(2026, 3, 1)) == 18);
    CHECK(pitboss::age_in_years(leapling, ymd(2028, 2, 28)) == 19);
    CHECK(pitboss::age_in_years(leapling, ymd(2028, 2, 29)) == 20);
}

// --- time zones ------------------------------------------------------------------------------

TEST_CASE("core: known and unknown time zones", "[core]") {
    for (const char* zone : {"Europe/Malta", "America/Toronto", "UTC", "Etc/UTC", "Asia/Tokyo",
                             "Australia/Lord_Howe", "Europe/Kyiv"}) {
        INFO(zone);
        CHECK(pitboss::is_known_time_zone(zone));
    }
    for (const char* zone : {"", "Mars/Olympus_Mons", "europe/malta", "Europe/Malta ", "CET+1",
                             "Europe/", "../../etc/passwd"}) {
        INFO(zone);
        CHECK_FALSE(pitboss::is_known_time_zone(zone));
    }
}

TEST_CASE("core: an unknown time zone is a ValidationError naming time_zone", "[core]") {
    const auto e =
        validation_error_of([] { (void)pitboss::to_local(from_unix_millis(0), "Mars/Base"); });
    CHECK(e.field() == "time_zone");
    CHECK_THAT(e.what(), Contains("\"Mars/Base\""));
    const auto f =
        validation_error_of([] { (void)pitboss::from_local(local("2026-01-01T00:00:00"), ""); });
    CHECK(f.field() == "time_zone");
}

TEST_CASE("core: Europe/Malta springs forward on 2026-03-29", "[core]") {
    CHECK(wall_of("2026-03-29T00:59:59.999Z", "Europe/Malta") == "2026-03-29T01:59:59.999");
    CHECK(wall_of("2026-03-29T01:00:00Z", "Europe/Malta") == "2026-03-29T03:00:00.000");
    CHECK(utc_of("2026-03-29T01:59:59.999", "Europe/Malta") == "2026-03-29T00:59:59.999Z");
    CHECK(utc_of("2026-03-29T03:00:00", "Europe/Malta") == "2026-03-29T01:00:00.000Z");
    // 02:00-02:59 does not exist: read with the winter offset, i.e. moved forward by an hour.
    CHECK(utc_of("2026-03-29T02:00:00", "Europe/Malta") == "2026-03-29T01:00:00.000Z");
    CHECK(utc_of("2026-03-29T02:30:00", "Europe/Malta") == "2026-03-29T01:30:00.000Z");
    CHECK(wall_of("2026-03-29T01:30:00Z", "Europe/Malta") == "2026-03-29T03:30:00.000");
}

TEST_CASE("core: Europe/Malta falls back on 2026-10-25", "[core]") {
    CHECK(wall_of("2026-10-25T00:30:00Z", "Europe/Malta") == "2026-10-25T02:30:00.000");
    CHECK(wall_of("2026-10-25T01:30:00Z", "Europe/Malta") == "2026-10-25T02:30:00.000");
    // 02:00-02:59 happens twice: the earlier (summer-time) instant wins.
    CHECK(utc_of("2026-10-25T02:30:00", "Europe/Malta") == "2026-10-25T00:30:00.000Z");
    CHECK(utc_of("2026-10-25T02:00:00", "Europe/Malta") == "2026-10-25T00:00:00.000Z");
    CHECK(utc_of("2026-10-25T01:59:59", "Europe/Malta") == "2026-10-24T23:59:59.000Z");
    CHECK(utc_of("2026-10-25T03:00:00", "Europe/Malta") == "2026-10-25T02:00:00.000Z");
    CHECK(utc_of("2026-07-01T14:00:00", "Europe/Malta") == "2026-07-01T12:00:00.000Z");
    CHECK(utc_of("2026-01-15T10:00:00", "Europe/Malta") == "2026-01-15T09:00:00.000Z");
}

TEST_CASE("core: America/Toronto springs forward on 2026-03-08", "[core]") {
    CHECK(wall_of("2026-03-08T06:59:59Z", "America/Toronto") == "2026-03-08T01:59:59.000");
    CHECK(wall_of("2026-03-08T07:00:00Z", "America/Toronto") == "2026-03-08T03:00:00.000");
    CHECK(utc_of("2026-03-08T02:30:00", "America/Toronto") == "2026-03-08T07:30:00.000Z");
    CHECK(utc_of("2026-03-08T03:30:00", "America/Toronto") == "2026-03-08T07:30:00.000Z");
    CHECK(utc_of("2026-03-08T01:30:00", "America/Toronto") == "2026-03-08T06:30:00.000Z");
}

TEST_CASE("core: America/Toronto falls back on 2026-11-01", "[core]") {
    CHECK(wall_of("2026-11-01T05:30:00Z", "America/Toronto") == "2026-11-01T01:30:00.000");
    CHECK(wall_of("2026-11-01T06:30:00Z", "America/Toronto") == "2026-11-01T01:30:00.000");
    CHECK(utc_of("2026-11-01T01:30:00", "America/Toronto") == "2026-11-01T05:30:00.000Z");
    CHECK(utc_of("2026-11-01T02:00:00", "America/Toronto") == "2026-11-01T07:00:00.000Z");
    CHECK(utc_of("2026-11-01T00:59:59", "America/Toronto") == "2026-11-01T04:59:59.000Z");
    CHECK(utc_of("2026-12-25T12:00:00", "America/Toronto") == "2026-12-25T17:00:00.000Z");
}

TEST_CASE("core: local time round-trips away from transitions, also before 1970", "[core]") {
    for (const char* zone : {"Europe/Malta", "America/Toronto", "Asia/Kolkata", "UTC"}) {
        // Every 37 days and 5 hours from 1968 to 2035, so the hour of day varies too.
        constexpr std::int64_t kFirst = std::int64_t{-24} * 400;
        constexpr std::int64_t kLast = std::int64_t{24} * 400 * 60;
        for (std::int64_t hour = kFirst; hour < kLast; hour += 24 * 37 + 5) {
            const Timestamp t = from_unix_millis(hour * 3'600'000 + 123);
            INFO(zone << " " << format_timestamp(t));
            CHECK(pitboss::from_local(pitboss::to_local(t, zone), zone) == t);
        }
    }
    CHECK(wall_of("1960-07-01T12:00:00Z", "America/Toronto") == "1960-07-01T08:00:00.000");
    CHECK(wall_of("1969-12-31T23:00:00Z", "Asia/Kolkata") == "1970-01-01T04:30:00.000");
}
