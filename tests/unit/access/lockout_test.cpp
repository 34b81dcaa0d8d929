// The lockout arithmetic of sign-in throttling: counts, forgetting, exponential back-off, cap.

#include <catch2/catch.hpp>
#include <chrono>

#include "access/identity_store.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::access::detail {
namespace {

using namespace std::chrono_literals;

Timestamp at(std::int64_t seconds) { return from_unix_millis(seconds * 1000); }

TEST_CASE("access: lockout starts at max_failures and doubles up to the cap", "[access]") {
    const LockoutPolicy policy{3, 30s, 200s, 3600s};
    std::optional<ThrottleState> state;
    state = after_failure(state, at(0), policy);
    CHECK(state->failures == 1);
    CHECK_FALSE(state->locked_until);
    state = after_failure(state, at(1), policy);
    CHECK_FALSE(is_locked(state, at(1)));
    state = after_failure(state, at(2), policy);
    CHECK(state->failures == 3);
    CHECK(state->locked_until == at(32));
    CHECK(is_locked(state, at(31)));
    CHECK_FALSE(is_locked(state, at(32)));
    state = after_failure(state, at(40), policy);
    CHECK(state->locked_until == at(100));
    state = after_failure(state, at(100), policy);
    CHECK(state->locked_until == at(220));
    state = after_failure(state, at(220), policy);
    CHECK(state->locked_until == at(420));  // capped at 200 s, not 240 s
    for (int i = 0; i < 100; ++i) state = after_failure(state, at(500), policy);
    CHECK(state->failures == 106);
    CHECK(state->locked_until == at(700));
}

TEST_CASE("access: a quiet period forgets earlier failures", "[access]") {
    const LockoutPolicy policy{2, 10s, 100s, 60s};
    std::optional<ThrottleState> state = after_failure(std::nullopt, at(0), policy);
    state = after_failure(state, at(59), policy);
    CHECK(state->failures == 2);
    CHECK(state->locked_until == at(69));
    state = after_failure(state, at(200), policy);
    CHECK(state->failures == 1);
    CHECK_FALSE(state->locked_until);
    CHECK_FALSE(is_locked(state, at(200)));
    CHECK_FALSE(is_locked(std::nullopt, at(0)));
}

TEST_CASE("access: lockout policies are validated", "[access]") {
    CHECK_NOTHROW(validate(LockoutPolicy{}, "lockout"));
    CHECK_THROWS_AS(validate(LockoutPolicy{0, 30s, 60s, 60s}, "lockout"), ValidationError);
    CHECK_THROWS_AS(validate(LockoutPolicy{1, 0s, 60s, 60s}, "lockout"), ValidationError);
    CHECK_THROWS_AS(validate(LockoutPolicy{1, 30s, 10s, 60s}, "lockout"), ValidationError);
    CHECK_THROWS_AS(validate(LockoutPolicy{1, 30s, 60s, 0s}, "lockout"), ValidationError);
}

}  // namespace
}  // namespace pitboss::access::detail
