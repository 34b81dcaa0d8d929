#pragma once
// The exchange-rate table (`fx_rates`): effective-dated rates to the base currency, read once
// per ingest commit and used to convert every amount at its event's time.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/fx_math.hpp"
#include "pitboss/core/money.hpp"
#include "pitboss/events/ingestor.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::events::detail {

/// The rates in memory; the base currency converts at 1.
class FxTable {
public:
    /// Reads every rate.
    static FxTable load(storage::Transaction& tx, Currency base);
    /// Stores (or replaces) the rate of `currency` from `valid_from` on.
    static void store(storage::Transaction& tx, Currency currency, const ExactRate& rate,
                      Timestamp valid_from);

    /// The rate of `currency` valid at `at`, or nullopt.
    [[nodiscard]] std::optional<ExactRate> rate_at(Currency currency, Timestamp at) const;
    /// `amount` in `to` at the rates valid at `at`; nullopt when a rate is missing.
    [[nodiscard]] std::optional<std::int64_t> convert(const Money& amount, Currency to,
                                                      Timestamp at) const;
    /// Every rate, by currency then time.
    [[nodiscard]] std::vector<FxRate> all() const;

private:
    explicit FxTable(Currency base) : base_(base) {}

    Currency base_;
    // currency code -> (valid_from ms -> rate)
    std::map<std::string, std::map<std::int64_t, ExactRate>, std::less<>> rates_;
};

}  // namespace pitboss::events::detail
