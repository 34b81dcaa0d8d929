#include "pitboss/segments/churn.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "pitboss/core/error.hpp"
#include "pitboss/events/aggregates.hpp"

namespace pitboss::segments {
namespace {

constexpr double kMonth = 30.0;
constexpr double kWeek = 7.0;

void check_finite(double weight, const char* field) {
    if (!std::isfinite(weight)) throw ValidationError(field, "must be a finite number");
}

double recency(const std::optional<std::int64_t>& days, int cap) {
    const std::int64_t capped = days ? std::clamp<std::int64_t>(*days, 0, cap) : cap;
    return static_cast<double>(capped) / kMonth;
}

double non_negative(std::int64_t value) {
    return static_cast<double>(std::max<std::int64_t>(0, value));
}

}  // namespace

void validate(const ChurnWeights& weights) {
    check_finite(weights.bias, "bias");
    check_finite(weights.login_recency, "login_recency");
    check_finite(weights.deposit_recency, "deposit_recency");
    check_finite(weights.active_days, "active_days");
    check_finite(weights.session_rate, "session_rate");
    check_finite(weights.monetary, "monetary");
    check_finite(weights.trend, "trend");
    if (weights.recency_cap_days < 1 || weights.recency_cap_days > 3650) {
        throw ValidationError("recency_cap_days", "must be 1-3650");
    }
}

ChurnTerms churn_terms(const ChurnInputs& in, const ChurnWeights& weights) {
    ChurnTerms t;
    t.login_recency = recency(in.days_since_last_login, weights.recency_cap_days);
    t.deposit_recency = recency(in.days_since_last_deposit, weights.recency_cap_days);
    t.active_days = std::clamp(static_cast<double>(in.active_days_30d), 0.0, kMonth) / kMonth;
    const double tenure_weeks = std::max(1.0, non_negative(in.tenure_days)) / kWeek;
    t.session_rate = std::min(non_negative(in.session_count) / tenure_weeks, kWeek) / kWeek;
    const double sum_90 = non_negative(in.deposit_sum_90d);
    t.monetary = sum_90 > 0 ? std::min(1.0, non_negative(in.deposit_sum_30d) / sum_90) : 0.0;
    // Deposits per 30 days now against the 30-day rate of the 60 days before.
    const double recent = non_negative(in.deposit_count_30d);
    const double prior = std::max(0.0, non_negative(in.deposit_count_90d) - recent) / 2.0;
    const double scale = std::max(recent, prior);
    t.trend = scale > 0 ? (recent - prior) / scale : 0.0;
    return t;
}

double churn_risk(const ChurnInputs& inputs, const ChurnWeights& weights) {
    const ChurnTerms t = churn_terms(inputs, weights);
    const double z = weights.bias + weights.login_recency * t.login_recency +
                     weights.deposit_recency * t.deposit_recency +
                     weights.active_days * t.active_days + weights.session_rate * t.session_rate +
                     weights.monetary * t.monetary + weights.trend * t.trend;
    return 1.0 / (1.0 + std::exp(-z));
}

ChurnInputs churn_inputs(const events::Aggregates& a, Timestamp registered_at) {
    ChurnInputs in;
    in.days_since_last_login = a.days_since_last_login;
    in.days_since_last_deposit = a.days_since_last_deposit;
    in.active_days_30d = a.active_days_30d;
    in.session_count = a.session_count;
    in.tenure_days = registered_at < a.as_of
                         ? std::chrono::floor<std::chrono::days>(a.as_of - registered_at).count()
                         : 0;
    in.deposit_count_30d = a.deposits_30d.count;
    in.deposit_count_90d = a.deposits_90d.count;
    in.deposit_sum_30d = a.deposits_30d.sum.base.minor_units();
    in.deposit_sum_90d = a.deposits_90d.sum.base.minor_units();
    return in;
}

}  // namespace pitboss::segments
