#include "pitboss/helpdesk/calendar.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <random>

#include "pitboss/core/error.hpp"

namespace {

using namespace pitboss;
using namespace pitboss::helpdesk;
using std::chrono::hours;
using std::chrono::minutes;

Timestamp at(const char* text) { return parse_timestamp(text); }

OpeningHours hrs(int open_h, int open_m, int close_h, int close_m) {
    return {minutes(open_h * 60 + open_m), minutes(close_h * 60 + close_m)};
}

/// Monday-Friday 09:00-17:00 in `zone`.
CalendarSpec office(const std::string& zone) {
    CalendarSpec spec;
    spec.time_zone = zone;
    for (std::size_t d = 0; d < 5; ++d) spec.weekly_hours[d] = {hrs(9, 0, 17, 0)};
    return spec;
}

/// Every day with the same stretches.
CalendarSpec daily(const std::string& zone, std::vector<OpeningHours> stretches) {
    CalendarSpec spec;
    spec.time_zone = zone;
    for (auto& day : spec.weekly_hours) day = stretches;
    return spec;
}

std::string field_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ValidationError& e) {
        return e.field();
    }
    return "<no error>";
}

/// Reference: open when the local wall time of `t` lies in a stretch opening on that local date
/// or crossing midnight from the date before (holidays close the stretches opening on them).
bool reference_open(const CalendarSpec& spec, Timestamp t) {
    const auto local = to_local(t, spec.time_zone);
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const auto minute = std::chrono::duration_cast<minutes>(local - day).count();
    const auto open_on = [&](std::chrono::local_days d, long long at_minute) {
        const Date date{std::chrono::sys_days{d.time_since_epoch()}};
        for (const Date& h : spec.holidays) {
            if (h == date) return false;
        }
        const auto weekday = std::chrono::weekday{std::chrono::sys_days{d.time_since_epoch()}};
        const std::size_t index = (weekday.iso_encoding() - 1);
        for (const OpeningHours& s : spec.weekly_hours[index]) {
            const long long open = s.open.count();
            const long long close = s.close > s.open ? s.close.count() : s.close.count() + 1440;
            if (at_minute >= open && at_minute < close) return true;
        }
        return false;
    };
    return open_on(day, minute) || open_on(day - std::chrono::days(1), minute + 1440);
}

/// Minute-stepping business time between two whole-minute instants.
Duration reference_between(const CalendarSpec& spec, Timestamp a, Timestamp b) {
    Duration total{0};
    for (Timestamp t = a; t < b; t += minutes(1)) {
        if (reference_open(spec, t)) total += minutes(1);
    }
    return total;
}

}  // namespace

TEST_CASE("calendar: office hours over a weekend", "[helpdesk][calendar]") {
    const BusinessCalendar cal(office("Europe/Malta"));
    // Friday 2026-11-20 16:00 local (+01:00) plus 2 h is Monday 10:00.
    CHECK(cal.add_business_time(at("2026-11-20T16:00:00+01:00"), hours(2)) ==
          at("2026-11-23T10:00:00+01:00"));
    CHECK(cal.business_time_between(at("2026-11-20T09:00:00+01:00"),
                                    at("2026-11-23T17:00:00+01:00")) == hours(16));
    CHECK(cal.business_time_between(at("2026-11-21T00:00:00+01:00"),
                                    at("2026-11-23T00:00:00+01:00")) == Duration(0));
    CHECK_FALSE(cal.is_open(at("2026-11-21T12:00:00+01:00")));
    CHECK(cal.next_open(at("2026-11-21T12:00:00+01:00")) == at("2026-11-23T09:00:00+01:00"));
}

TEST_CASE("calendar: boundaries at opening and closing", "[helpdesk][calendar]") {
    const BusinessCalendar cal(office("Europe/Malta"));
    CHECK(cal.is_open(at("2026-11-23T09:00:00+01:00")));
    CHECK_FALSE(cal.is_open(at("2026-11-23T08:59:59.999+01:00")));
    CHECK(cal.is_open(at("2026-11-23T16:59:59.999+01:00")));
    CHECK_FALSE(cal.is_open(at("2026-11-23T17:00:00+01:00")));
    // A target ending exactly at closing time falls due at closing, not next morning.
    CHECK(cal.add_business_time(at("2026-11-23T16:00:00+01:00"), hours(1)) ==
          at("2026-11-23T17:00:00+01:00"));
    // Zero from a closed instant is that instant; the first millisecond after is next opening.
    CHECK(cal.add_business_time(at("2026-11-21T12:00:00+01:00"), Duration(0)) ==
          at("2026-11-21T12:00:00+01:00"));
    CHECK(cal.add_business_time(at("2026-11-21T12:00:00+01:00"), Duration(1)) ==
          at("2026-11-23T09:00:00.001+01:00"));
    CHECK(cal.add_business_time(at("2026-11-23T17:00:00+01:00"), hours(8)) ==
          at("2026-11-24T17:00:00+01:00"));
    CHECK(cal.business_time_between(at("2026-11-23T17:00:00+01:00"),
                                    at("2026-11-24T09:00:00+01:00")) == Duration(0));
    CHECK(cal.next_open(at("2026-11-23T09:00:00+01:00")) == at("2026-11-23T09:00:00+01:00"));
    CHECK(cal.next_open(at("2026-11-23T17:00:00+01:00")) == at("2026-11-24T09:00:00+01:00"));
}

TEST_CASE("calendar: business time is signed", "[helpdesk][calendar]") {
    const BusinessCalendar cal(office("Europe/Malta"));
    const Timestamp a = at("2026-11-23T10:00:00+01:00");
    const Timestamp b = at("2026-11-24T11:00:00+01:00");
    CHECK(cal.business_time_between(a, b) == hours(9));
    CHECK(cal.business_time_between(b, a) == -hours(9));
    CHECK(cal.business_time_between(a, a) == Duration(0));
    CHECK_THROWS_AS(cal.add_business_time(a, Duration(-1)), ValidationError);
}

TEST_CASE("calendar: Europe/Malta across spring forward", "[helpdesk][calendar][dst]") {
    // Clocks go 02:00 -> 03:00 on Sunday 2026-03-29.
    const BusinessCalendar cal(office("Europe/Malta"));
    CHECK(cal.add_business_time(at("2026-03-27T16:00:00+01:00"), hours(2)) ==
          at("2026-03-30T10:00:00+02:00"));
    CHECK(cal.business_time_between(at("2026-03-27T09:00:00+01:00"),
                                    at("2026-03-30T17:00:00+02:00")) == hours(16));

    // The wall-clock hours count: 09:00-17:00 on the change day is 8 h.
    const BusinessCalendar every_day(daily("Europe/Malta", {hrs(9, 0, 17, 0)}));
    CHECK(every_day.business_time_between(at("2026-03-29T00:00:00+01:00"),
                                          at("2026-03-30T00:00:00+02:00")) == hours(8));
    CHECK(every_day.add_business_time(at("2026-03-28T16:00:00+01:00"), hours(2)) ==
          at("2026-03-29T10:00:00+02:00"));

    // A whole day has 23 real hours; a stretch spanning the change is an hour shorter.
    const BusinessCalendar all_day(daily("Europe/Malta", {hrs(0, 0, 24, 0)}));
    CHECK(all_day.business_time_between(at("2026-03-29T00:00:00+01:00"),
                                        at("2026-03-30T00:00:00+02:00")) == hours(23));
    const BusinessCalendar early(daily("Europe/Malta", {hrs(1, 0, 4, 0)}));
    CHECK(early.business_time_between(at("2026-03-29T00:00:00+01:00"),
                                      at("2026-03-30T00:00:00+02:00")) == hours(2));
    // A stretch that lies in the gap never shows on the clock.
    const BusinessCalendar gap(daily("Europe/Malta", {hrs(2, 15, 2, 45)}));
    CHECK(gap.business_time_between(at("2026-03-29T00:00:00+01:00"),
                                    at("2026-03-30T00:00:00+02:00")) == Duration(0));
    CHECK(gap.business_time_between(at("2026-03-28T00:00:00+01:00"),
                                    at("2026-03-29T00:00:00+01:00")) == minutes(30));
    // One opening in the gap starts when the clock jumps to 03:00.
    const BusinessCalendar opens_in_gap(daily("Europe/Malta", {hrs(2, 30, 4, 0)}));
    CHECK(opens_in_gap.business_time_between(at("2026-03-29T00:00:00+01:00"),
                                             at("2026-03-30T00:00:00+02:00")) == hours(1));
    CHECK(opens_in_gap.next_open(at("2026-03-29T01:00:00+01:00")) ==
          at("2026-03-29T03:00:00+02:00"));
}

TEST_CASE("calendar: Europe/Malta across fall back", "[helpdesk][calendar][dst]") {
    // Clocks go 03:00 -> 02:00 on Sunday 2026-10-25.
    const BusinessCalendar cal(office("Europe/Malta"));
    CHECK(cal.add_business_time(at("2026-10-23T16:00:00+02:00"), hours(2)) ==
          at("2026-10-26T10:00:00+01:00"));
    const BusinessCalendar every_day(daily("Europe/Malta", {hrs(9, 0, 17, 0)}));
    CHECK(every_day.business_time_between(at("2026-10-25T00:00:00+02:00"),
                                          at("2026-10-26T00:00:00+01:00")) == hours(8));
    const BusinessCalendar all_day(daily("Europe/Malta", {hrs(0, 0, 24, 0)}));
    CHECK(all_day.business_time_between(at("2026-10-25T00:00:00+02:00"),
                                        at("2026-10-26T00:00:00+01:00")) == hours(25));
    // 01:00-04:00 contains the repeated hour: 4 real hours.
    const BusinessCalendar early(daily("Europe/Malta", {hrs(1, 0, 4, 0)}));
    CHECK(early.business_time_between(at("2026-10-25T00:00:00+02:00"),
                                      at("2026-10-26T00:00:00+01:00")) == hours(4));
}

TEST_CASE("calendar: America/Toronto across both changes", "[helpdesk][calendar][dst]") {
    // Spring forward Sunday 2026-03-08 02:00 -> 03:00; fall back Sunday 2026-11-01 02:00 -> 01:00.
    const BusinessCalendar cal(office("America/Toronto"));
    CHECK(cal.add_business_time(at("2026-03-06T16:00:00-05:00"), hours(2)) ==
          at("2026-03-09T10:00:00-04:00"));
    CHECK(cal.add_business_time(at("2026-10-30T16:00:00-04:00"), hours(2)) ==
          at("2026-11-02T10:00:00-05:00"));
    CHECK(cal.business_time_between(at("2026-10-26T09:00:00-04:00"),
                                    at("2026-11-06T17:00:00-05:00")) == hours(80));

    const BusinessCalendar every_day(daily("America/Toronto", {hrs(9, 0, 17, 0)}));
    CHECK(every_day.business_time_between(at("2026-03-08T00:00:00-05:00"),
                                          at("2026-03-09T00:00:00-04:00")) == hours(8));
    CHECK(every_day.business_time_between(at("2026-11-01T00:00:00-04:00"),
                                          at("2026-11-02T00:00:00-05:00")) == hours(8));
    const BusinessCalendar all_day(daily("America/Toronto", {hrs(0, 0, 24, 0)}));
    CHECK(all_day.business_time_between(at("2026-03-08T00:00:00-05:00"),
                                        at("2026-03-09T00:00:00-04:00")) == hours(23));
    CHECK(all_day.business_time_between(at("2026-11-01T00:00:00-04:00"),
                                        at("2026-11-02T00:00:00-05:00")) == hours(25));
}

TEST_CASE("calendar: night hours crossing midnight", "[helpdesk][calendar]") {
    const BusinessCalendar nights(daily("America/Toronto", {hrs(22, 0, 6, 0)}));
    CHECK(nights.is_open(at("2026-06-10T23:30:00-04:00")));
    CHECK(nights.is_open(at("2026-06-11T05:59:00-04:00")));
    CHECK_FALSE(nights.is_open(at("2026-06-11T06:00:00-04:00")));
    CHECK(nights.add_business_time(at("2026-06-10T12:00:00-04:00"), hours(3)) ==
          at("2026-06-11T01:00:00-04:00"));
    // The night the clocks fall back is 9 real hours; the night they spring forward, 7.
    CHECK(nights.business_time_between(at("2026-10-31T12:00:00-04:00"),
                                       at("2026-11-01T12:00:00-05:00")) == hours(9));
    CHECK(nights.business_time_between(at("2026-03-07T12:00:00-05:00"),
                                       at("2026-03-08T12:00:00-04:00")) == hours(7));
    // Friday night only: opens Friday 22:00, closes Saturday 06:00.
    CalendarSpec friday;
    friday.time_zone = "Europe/Malta";
    friday.weekly_hours[4] = {hrs(22, 0, 6, 0)};
    const BusinessCalendar fri(friday);
    CHECK(fri.is_open(at("2026-11-21T03:00:00+01:00")));
    CHECK(fri.add_business_time(at("2026-11-21T05:00:00+01:00"), hours(2)) ==
          at("2026-11-27T23:00:00+01:00"));
}

TEST_CASE("calendar: holidays close the stretches opening on them", "[helpdesk][calendar]") {
    CalendarSpec spec = office("Europe/Malta");
    spec.holidays = {Date{std::chrono::year{2026} / 12 / 25},
                     Date{std::chrono::year{2026} / 12 / 25},
                     Date{std::chrono::year{2026} / 12 / 8}};
    const BusinessCalendar cal(spec);
    REQUIRE(cal.spec().holidays.size() == 2);  // sorted, duplicates removed
    CHECK(cal.spec().holidays.front() == Date{std::chrono::year{2026} / 12 / 8});
    CHECK_FALSE(cal.is_open(at("2026-12-25T10:00:00+01:00")));
    CHECK(cal.add_business_time(at("2026-12-24T16:00:00+01:00"), hours(2)) ==
          at("2026-12-28T10:00:00+01:00"));
    CHECK(cal.business_time_between(at("2026-12-07T00:00:00+01:00"),
                                    at("2026-12-12T00:00:00+01:00")) == hours(32));

    // A night stretch that opened the evening before a holiday still runs into it.
    CalendarSpec night = daily("Europe/Malta", {hrs(22, 0, 6, 0)});
    night.holidays = {Date{std::chrono::year{2026} / 12 / 25}};
    const BusinessCalendar n(night);
    CHECK(n.is_open(at("2026-12-25T05:00:00+01:00")));
    CHECK_FALSE(n.is_open(at("2026-12-25T23:00:00+01:00")));
    CHECK(n.is_open(at("2026-12-26T23:00:00+01:00")));
}

TEST_CASE("calendar: several stretches a day and adjacent days", "[helpdesk][calendar]") {
    CalendarSpec split;
    split.time_zone = "Europe/Malta";
    split.weekly_hours[0] = {hrs(14, 0, 18, 0), hrs(8, 0, 12, 0)};  // unsorted on purpose
    const BusinessCalendar cal(split);
    CHECK(cal.add_business_time(at("2026-11-23T11:00:00+01:00"), hours(2)) ==
          at("2026-11-23T15:00:00+01:00"));
    CHECK_FALSE(cal.is_open(at("2026-11-23T13:00:00+01:00")));
    CHECK(cal.add_business_time(at("2026-11-23T17:00:00+01:00"), hours(2)) ==
          at("2026-11-30T09:00:00+01:00"));

    // 00:00-24:00 on every day is business time without a seam at midnight.
    const BusinessCalendar all(daily("UTC", {hrs(0, 0, 24, 0)}));
    CHECK(all.is_open(at("2026-11-24T00:00:00Z")));
    CHECK(all.business_time_between(at("2026-11-20T12:00:00Z"), at("2026-11-27T12:00:00Z")) ==
          hours(168));
}

TEST_CASE("calendar: 24/7", "[helpdesk][calendar]") {
    const BusinessCalendar utc;
    CHECK(utc.is_always_open());
    const BusinessCalendar malta = BusinessCalendar::always_open("Europe/Malta");
    const Timestamp a = at("2026-03-28T12:00:00Z");
    const Timestamp b = at("2026-03-30T12:00:00Z");
    for (const BusinessCalendar* cal : {&utc, &malta}) {
        CHECK(cal->is_open(a));
        CHECK(cal->business_time_between(a, b) == hours(48));
        CHECK(cal->add_business_time(a, hours(5)) == a + hours(5));
        CHECK(cal->next_open(a) == a);
    }
}

TEST_CASE("calendar: long spans and times far apart", "[helpdesk][calendar]") {
    const BusinessCalendar cal(office("Europe/Malta"));
    // 2026 has 261 weekdays.
    CHECK(cal.business_time_between(at("2026-01-01T00:00:00+01:00"),
                                    at("2027-01-01T00:00:00+01:00")) == hours(261 * 8));
    CHECK(cal.add_business_time(at("2026-01-01T00:00:00+01:00"), hours(261 * 8)) ==
          at("2026-12-31T17:00:00+01:00"));
    // Backwards first, then forwards: the same answers.
    CHECK(cal.business_time_between(at("2030-01-07T09:00:00+01:00"),
                                    at("2030-01-07T10:00:00+01:00")) == hours(1));
    CHECK_THROWS_AS(cal.is_open(at("9999-12-31T12:00:00Z")), ValidationError);
}

TEST_CASE("calendar: matches a minute-stepping reference", "[helpdesk][calendar][dst]") {
    std::vector<CalendarSpec> specs;
    CalendarSpec malta = office("Europe/Malta");
    malta.holidays = {Date{std::chrono::year{2026} / 3 / 31},
                      Date{std::chrono::year{2026} / 10 / 26}};
    specs.push_back(malta);
    specs.push_back(daily("America/Toronto", {hrs(22, 0, 6, 0), hrs(8, 30, 12, 0)}));
    CalendarSpec mixed;
    mixed.time_zone = "Europe/Malta";
    mixed.weekly_hours[0] = {hrs(4, 0, 24, 0)};
    mixed.weekly_hours[5] = {hrs(10, 0, 14, 0)};
    mixed.weekly_hours[6] = {hrs(20, 0, 4, 0)};
    specs.push_back(mixed);

    std::mt19937 rng(20261122);
    // Around both 2026 changes in both zones.
    const std::vector<Timestamp> anchors = {at("2026-03-06T00:00:00Z"), at("2026-03-26T00:00:00Z"),
                                            at("2026-10-22T00:00:00Z"), at("2026-10-29T00:00:00Z")};
    for (const CalendarSpec& spec : specs) {
        const BusinessCalendar cal(spec);
        for (int i = 0; i < 12; ++i) {
            const Timestamp base = anchors[rng() % anchors.size()];
            const Timestamp a = base + minutes(rng() % (6 * 1440));
            const Timestamp b = a + minutes(rng() % (4 * 1440));
            INFO(spec.time_zone << " " << format_timestamp(a) << " .. " << format_timestamp(b));
            const Duration expected = reference_between(spec, a, b);
            CHECK(cal.business_time_between(a, b) == expected);
            CHECK(cal.is_open(a) == reference_open(spec, a));
            if (expected > Duration(0)) {
                // Adding the business time found lands at or before b, in business time b.
                const Timestamp due = cal.add_business_time(a, expected);
                CHECK(due <= b);
                CHECK(cal.business_time_between(a, due) == expected);
                CHECK(reference_between(spec, due, b) == Duration(0));
            }
        }
    }
}

TEST_CASE("calendar: invalid definitions name the field", "[helpdesk][calendar]") {
    CHECK(field_of([] { BusinessCalendar c(office("Mars/Olympus")); }) == "time_zone");
    CHECK(field_of([] { (void)BusinessCalendar::always_open("Nowhere"); }) == "time_zone");
    CHECK(field_of([] {
              CalendarSpec s = office("UTC");
              s.weekly_hours[0] = {{minutes(1500), minutes(1510)}};
              BusinessCalendar c(s);
          }) == "weekly_hours.monday[0].open");
    CHECK(field_of([] {
              CalendarSpec s = office("UTC");
              s.weekly_hours[2].push_back({minutes(1200), minutes(0)});
              BusinessCalendar c(s);
          }) == "weekly_hours.wednesday[1].close");
    CHECK(field_of([] {
              CalendarSpec s = office("UTC");
              s.weekly_hours[3] = {hrs(9, 0, 9, 0)};
              BusinessCalendar c(s);
          }) == "weekly_hours.thursday[0].close");
    CHECK(field_of([] {
              CalendarSpec s = office("UTC");
              s.weekly_hours[4] = {hrs(9, 0, 12, 0), hrs(11, 0, 14, 0)};
              BusinessCalendar c(s);
          }) == "weekly_hours.friday");
    CHECK(field_of([] {
              CalendarSpec s = office("UTC");
              s.weekly_hours[0].push_back(hrs(22, 0, 10, 0));
              BusinessCalendar c(s);
          }) == "weekly_hours.tuesday");
    CHECK(field_of([] {
              CalendarSpec s;
              s.weekly_hours[6] = {hrs(22, 0, 3, 0)};
              s.weekly_hours[0] = {hrs(2, 0, 5, 0)};
              BusinessCalendar c(s);
          }) == "weekly_hours.monday");
    CHECK(field_of([] { BusinessCalendar c(CalendarSpec{}); }) == "weekly_hours");
    CHECK(field_of([] {
              CalendarSpec s = office("UTC");
              s.always_open = true;
              BusinessCalendar c(s);
          }) == "weekly_hours");
    CHECK(field_of([] {
              CalendarSpec s;
              s.always_open = true;
              s.holidays = {Date{std::chrono::year{2026} / 12 / 25}};
              BusinessCalendar c(s);
          }) == "holidays");
    CHECK(field_of([] {
              CalendarSpec s = office("UTC");
              s.holidays = {Date{std::chrono::year{2026} / 2 / 30}};
              BusinessCalendar c(s);
          }) == "holidays[0]");
    // Back-to-back stretches (Sunday night into Monday morning) are fine.
    CalendarSpec ok;
    ok.weekly_hours[6] = {hrs(22, 0, 3, 0)};
    ok.weekly_hours[0] = {hrs(3, 0, 5, 0)};
    CHECK_NOTHROW(BusinessCalendar(ok));
}

TEST_CASE("calendar: JSON round trip and errors", "[helpdesk][calendar]") {
    CalendarSpec spec = office("Europe/Malta");
    spec.weekly_hours[6] = {hrs(22, 0, 6, 0), hrs(0, 0, 2, 0)};
    spec.weekly_hours[5] = {hrs(10, 0, 24, 0)};
    spec.holidays = {Date{std::chrono::year{2026} / 12 / 25}};
    const Json j = to_json(spec);
    CHECK(j["weekly_hours"]["monday"] == Json::parse(R"([["09:00","17:00"]])"));
    CHECK(j["weekly_hours"]["saturday"] == Json::parse(R"([["10:00","24:00"]])"));
    CHECK(j["holidays"] == Json::parse(R"(["2026-12-25"])"));
    CHECK(calendar_spec_from_json(j) == spec);
    CHECK(calendar_spec_from_json(Json::parse(R"({"always_open": true})")).always_open);

    CHECK(field_of([] {
              (void)calendar_spec_from_json(Json::parse(R"({"weekly_hours": {"funday": []}})"));
          }) == "weekly_hours.funday");
    CHECK(field_of([] {
              (void)calendar_spec_from_json(
                  Json::parse(R"({"weekly_hours": {"monday": [["09:00", "24:30"]]}})"));
          }) == "weekly_hours.monday[0].close");
    CHECK(field_of([] {
              (void)calendar_spec_from_json(
                  Json::parse(R"({"weekly_hours": {"monday": [["9:00", "17:00"]]}})"));
          }) == "weekly_hours.monday[0].open");
    CHECK(field_of([] {
              (void)calendar_spec_from_json(Json::parse(R"({"weekly_hours": {"monday": [[1]]}})"));
          }) == "weekly_hours.monday[0]");
    CHECK(field_of([] {
              (void)calendar_spec_from_json(Json::parse(R"({"holidays": ["2026-13-01"]})"));
          }) == "holidays[0]");
    CHECK(field_of([] { (void)calendar_spec_from_json(Json::parse(R"({"time_zone": 5})")); }) ==
          "time_zone");
    CHECK(field_of([] { (void)calendar_spec_from_json(Json::parse("[]")); }) == "calendar");
}
