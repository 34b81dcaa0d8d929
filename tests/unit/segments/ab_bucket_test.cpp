#include "pitboss/segments/ab_bucket.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "pitboss/core/error.hpp"

using namespace pitboss::segments;

TEST_CASE("fnv1a64 matches the published test vectors", "[segments][ab]") {
    CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("buckets are fixed forever: pinned values", "[segments][ab]") {
    // These values are part of the contract (docs/segments.md): changing the function moves
    // players between the arms of running experiments.
    CHECK(fmix64(0) == 0);
    CHECK(fmix64(1) == 0xb456bcfc34c2cb2cULL);
    const std::vector<std::uint32_t> pinned{ab_bucket("homepage", "player-1", 100),
                                            ab_bucket("homepage", "player-2", 100),
                                            ab_bucket("welcome-bonus", "player-1", 100)};
    CHECK(pinned == std::vector<std::uint32_t>{3, 43, 7});
}

TEST_CASE("the same player lands in the same bucket; splits are independent", "[segments][ab]") {
    CHECK(ab_bucket("s", "x", 7) == ab_bucket("s", "x", 7));
    CHECK(ab_bucket("s", "x", 1) == 0);
    CHECK_THROWS_AS(ab_bucket("s", "x", 0), pitboss::ValidationError);
    // Two different splits agree on about 1/n of the players, as independent draws would.
    int same = 0;
    for (int i = 0; i < 100'000; ++i) {
        const std::string id = "player-" + std::to_string(i);
        same += ab_bucket("split-a", id, 2) == ab_bucket("split-b", id, 2) ? 1 : 0;
    }
    CHECK(same > 49'000);
    CHECK(same < 51'000);
}

TEST_CASE("buckets are balanced within 1% on 100k players", "[segments][ab]") {
    for (const std::uint32_t n : {2U, 3U, 4U, 10U}) {
        for (const char* split : {"homepage", "welcome-bonus-2026", "x"}) {
            std::vector<int> counts(n, 0);
            for (int i = 0; i < 100'000; ++i) {
                ++counts[ab_bucket(split, "ext-" + std::to_string(i), n)];
            }
            const double expected = 100'000.0 / n;
            for (const int c : counts) {
                INFO("split " << split << " n " << n << " count " << c);
                // "within 1%": each bucket's share is within 1 percentage point of 1/n.
                CHECK(std::abs(c - expected) <= 1'000.0);
            }
        }
    }
}
