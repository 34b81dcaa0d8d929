#include "pitboss/core/clock.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using pitboss::from_unix_millis;
using pitboss::ManualClock;
using pitboss::Timestamp;

TEST_CASE("core: SystemClock reads the real time at millisecond precision", "[core]") {
    const auto before =
        std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const Timestamp now = pitboss::SystemClock().now();
    const auto after = std::chrono::system_clock::now();
    CHECK(now >= before);
    CHECK(now <= after);
}

TEST_CASE("core: system_clock() is one shared instance", "[core]") {
    const auto a = pitboss::system_clock();
    const auto b = pitboss::system_clock();
    REQUIRE(a != nullptr);
    CHECK(a.get() == b.get());
    CHECK(dynamic_cast<const pitboss::SystemClock*>(a.get()) != nullptr);
}

TEST_CASE("core: ManualClock moves only when told", "[core]") {
    const Timestamp start = pitboss::parse_timestamp("2026-11-22T08:39:00Z");
    ManualClock clock(start);
    CHECK(clock.now() == start);
    CHECK(clock.now() == start);

    clock.advance(90min);
    CHECK(pitboss::format_timestamp(clock.now()) == "2026-11-22T10:09:00.000Z");

    clock.set(from_unix_millis(-1));  // backwards, before 1970, for what-if replays
    CHECK(pitboss::to_unix_millis(clock.now()) == -1);
    clock.advance(2ms);
    CHECK(pitboss::to_unix_millis(clock.now()) == 1);
}

TEST_CASE("core: ManualClock advances atomically from many threads", "[core]") {
    ManualClock clock(from_unix_millis(0));
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&clock] {
            for (int i = 0; i < 10'000; ++i) clock.advance(1ms);
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(pitboss::to_unix_millis(clock.now()) == 40'000);
}

TEST_CASE("core: a ManualClock can stand in wherever a Clock is injected", "[core]") {
    const std::shared_ptr<pitboss::Clock> clock =
        std::make_shared<ManualClock>(pitboss::parse_timestamp("2026-01-01T00:00:00Z"));
    CHECK(pitboss::format_timestamp(clock->now()) == "2026-01-01T00:00:00.000Z");
}
