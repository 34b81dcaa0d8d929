// The churn risk score: range, monotonicity in each input, the documented terms.

#include "pitboss/segments/churn.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "pitboss/core/error.hpp"

using namespace pitboss;
using namespace pitboss::segments;

namespace {

// A steady weekly player: logged in yesterday, deposits every ten days.
ChurnInputs steady() {
    ChurnInputs in;
    in.days_since_last_login = 1;
    in.days_since_last_deposit = 3;
    in.active_days_30d = 12;
    in.session_count = 40;
    in.tenure_days = 200;
    in.deposit_count_30d = 3;
    in.deposit_count_90d = 9;
    in.deposit_sum_30d = 15'000;
    in.deposit_sum_90d = 45'000;
    return in;
}

}  // namespace

TEST_CASE("churn terms are the documented normalisations", "[segments][churn]") {
    const ChurnTerms t = churn_terms(steady(), ChurnWeights{});
    CHECK(t.login_recency == Approx(1.0 / 30));
    CHECK(t.deposit_recency == Approx(3.0 / 30));
    CHECK(t.active_days == Approx(12.0 / 30));
    // 40 sessions over 200/7 weeks = 1.4 per week, over 7.
    CHECK(t.session_rate == Approx(40.0 / (200.0 / 7) / 7));
    CHECK(t.monetary == Approx(1.0 / 3));
    // 3 deposits now against (9 - 3) / 2 = 3 per 30 days before: flat.
    CHECK(t.trend == Approx(0.0));
}

TEST_CASE("churn risk is a logistic of the weighted terms", "[segments][churn]") {
    const ChurnWeights w;
    const ChurnTerms t = churn_terms(steady(), w);
    const double z = w.bias + w.login_recency * t.login_recency +
                     w.deposit_recency * t.deposit_recency + w.active_days * t.active_days +
                     w.session_rate * t.session_rate + w.monetary * t.monetary + w.trend * t.trend;
    CHECK(churn_risk(steady()) == Approx(1.0 / (1.0 + std::exp(-z))));
}

TEST_CASE("a silent player scores high, an active one low", "[segments][churn]") {
    ChurnInputs silent = steady();
    silent.days_since_last_login = 45;
    silent.days_since_last_deposit = 50;
    silent.active_days_30d = 0;
    silent.deposit_count_30d = 0;
    silent.deposit_sum_30d = 0;
    ChurnInputs daily = steady();
    daily.days_since_last_login = 0;
    daily.days_since_last_deposit = 0;
    daily.active_days_30d = 30;
    daily.session_count = 400;
    CHECK(churn_risk(silent) > 0.9);
    CHECK(churn_risk(daily) < 0.05);
    CHECK(churn_risk(silent) > churn_risk(steady()));
    CHECK(churn_risk(steady()) > churn_risk(daily));
}

TEST_CASE("never is the cap, and recency stops growing at the cap", "[segments][churn]") {
    ChurnInputs never = steady();
    never.days_since_last_login.reset();
    ChurnInputs long_ago = steady();
    long_ago.days_since_last_login = 90;
    ChurnInputs very_long_ago = steady();
    very_long_ago.days_since_last_login = 900;
    CHECK(churn_risk(never) == Approx(churn_risk(long_ago)));
    CHECK(churn_risk(very_long_ago) == Approx(churn_risk(long_ago)));
    ChurnWeights w;
    w.recency_cap_days = 30;
    CHECK(churn_terms(long_ago, w).login_recency == Approx(1.0));
}

TEST_CASE("the score moves the documented way with each input", "[segments][churn]") {
    const double base = churn_risk(steady());
    ChurnInputs in = steady();
    in.days_since_last_login = 20;
    CHECK(churn_risk(in) > base);
    in = steady();
    in.days_since_last_deposit = 40;
    CHECK(churn_risk(in) > base);
    in = steady();
    in.active_days_30d = 20;
    CHECK(churn_risk(in) < base);
    in = steady();
    in.session_count = 120;
    CHECK(churn_risk(in) < base);
    in = steady();
    in.deposit_sum_30d = 30'000;
    CHECK(churn_risk(in) < base);
    in = steady();
    in.deposit_count_30d = 1;  // fewer deposits than the prior rate: declining
    CHECK(churn_terms(in, ChurnWeights{}).trend < 0);
    CHECK(churn_risk(in) > base);
}

TEST_CASE("churn risk stays in [0, 1] for extreme and odd inputs", "[segments][churn]") {
    ChurnInputs odd;
    odd.days_since_last_login = -5;
    odd.session_count = -3;
    odd.deposit_sum_30d = 500;  // more in 30 days than in 90 cannot happen; share caps at 1
    odd.deposit_sum_90d = 100;
    odd.active_days_30d = 99;
    const ChurnTerms t = churn_terms(odd, ChurnWeights{});
    CHECK(t.login_recency == 0.0);
    CHECK(t.session_rate == 0.0);
    CHECK(t.monetary == 1.0);
    CHECK(t.active_days == 1.0);
    ChurnWeights extreme;
    extreme.bias = 1e6;
    CHECK(churn_risk(odd, extreme) == 1.0);
    extreme.bias = -1e6;
    CHECK(churn_risk(odd, extreme) == 0.0);
    CHECK(churn_terms(ChurnInputs{}, ChurnWeights{}).trend == 0.0);
}

TEST_CASE("churn weights are validated", "[segments][churn]") {
    ChurnWeights w;
    CHECK_NOTHROW(validate(w));
    w.trend = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(validate(w), ValidationError);
    w = ChurnWeights{};
    w.monetary = std::nan("");
    CHECK_THROWS_WITH(validate(w), Catch::Contains("monetary"));
    w = ChurnWeights{};
    w.recency_cap_days = 0;
    CHECK_THROWS_WITH(validate(w), Catch::Contains("recency_cap_days"));
}
