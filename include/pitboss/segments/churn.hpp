#pragma once
/// @file
/// Churn risk: a transparent score in [0, 1] from a player's recency, frequency, monetary value
/// and trend of activity. The formula and its default weights are documented in
/// docs/segments.md ("Churn risk score"); the function is pure.

#include <cstdint>
#include <optional>

#include "pitboss/core/time.hpp"

namespace pitboss::events {
struct Aggregates;
}

namespace pitboss::segments {

/// What the score reads about one player; every figure is as of one moment.
struct ChurnInputs {
    std::optional<std::int64_t> days_since_last_login;    ///< whole days; empty when never
    std::optional<std::int64_t> days_since_last_deposit;  ///< whole days; empty when never
    int active_days_30d = 0;                              ///< days with activity, 0-30
    std::int64_t session_count = 0;                       ///< ended sessions, lifetime
    std::int64_t tenure_days = 0;                         ///< whole days since registration
    std::int64_t deposit_count_30d = 0;                   ///< approved deposits, last 30 days
    std::int64_t deposit_count_90d = 0;                   ///< approved deposits, last 90 days
    std::int64_t deposit_sum_30d = 0;  ///< their total, base-currency minor units
    std::int64_t deposit_sum_90d = 0;  ///< their total, base-currency minor units
};

/// The weights of the logistic score (see docs/segments.md). Positive weights raise the risk.
struct ChurnWeights {
    double bias = -1.0;            ///< intercept of the weighted sum
    double login_recency = 2.0;    ///< per 30 days since the last login
    double deposit_recency = 0.5;  ///< per 30 days since the last deposit
    double active_days = -3.0;     ///< times active_days_30d / 30
    double session_rate = -0.5;    ///< times sessions per week of tenure / 7 (capped at 1)
    double monetary = -1.0;        ///< times deposit_sum_30d / deposit_sum_90d
    double trend = -1.0;           ///< times the deposit trend in [-1, 1]
    int recency_cap_days = 90;     ///< recency stops growing here; "never" counts as the cap
};

/// The normalised inputs of the score, each in the range given, for explaining a score.
struct ChurnTerms {
    double login_recency = 0;    ///< min(days since login, cap) / 30, in [0, cap/30]
    double deposit_recency = 0;  ///< min(days since deposit, cap) / 30, in [0, cap/30]
    double active_days = 0;      ///< active_days_30d / 30, in [0, 1]
    double session_rate = 0;     ///< min(sessions per week of tenure, 7) / 7, in [0, 1]
    double monetary = 0;         ///< share of the 90-day deposit sum made in the last 30, [0, 1]
    double trend = 0;            ///< (c30 - p) / max(c30, p) with p = (c90 - c30) / 2, [-1, 1]
};

/// Throws ValidationError (naming the weight) for a non-finite weight or a cap under 1 day.
void validate(const ChurnWeights& weights);

/// The normalised terms of `inputs` (negative counts and sums count as zero).
[[nodiscard]] ChurnTerms churn_terms(const ChurnInputs& inputs, const ChurnWeights& weights);

/// The score: 1 / (1 + e^-z) with z = bias + sum(weight x term); in [0, 1].
[[nodiscard]] double churn_risk(const ChurnInputs& inputs, const ChurnWeights& weights = {});

/// The inputs for a player registered at `registered_at`, from their aggregates (whose
/// `as_of` is the moment of the score). Money is read in the base currency.
[[nodiscard]] ChurnInputs churn_inputs(const events::Aggregates& aggregates,
                                       Timestamp registered_at);

}  // namespace pitboss::segments
