#include "events/fx_table.hpp"

#include "pitboss/core/error.hpp"

namespace pitboss::events::detail {

using storage::Cursor;
using storage::Params;

FxTable FxTable::load(storage::Transaction& tx, Currency base) {
    FxTable table(base);
    tx.for_each("SELECT currency, valid_from, rate FROM fx_rates", {}, [&](const Cursor& row) {
        table.rates_[std::string(row.text(0))][row.int64(1)] =
            parse_rate(row.text(2), "fx_rates.rate");
    });
    return table;
}

void FxTable::store(storage::Transaction& tx, Currency currency, const ExactRate& rate,
                    Timestamp valid_from) {
    tx.execute(
        "INSERT INTO fx_rates (currency, valid_from, rate) VALUES (?, ?, ?)"
        " ON CONFLICT (currency, valid_from) DO UPDATE SET rate = excluded.rate",
        Params(currency.code(), valid_from, to_string(rate)));
}

std::optional<ExactRate> FxTable::rate_at(Currency currency, Timestamp at) const {
    if (currency == base_) return ExactRate{1, 0};
    auto by_currency = rates_.find(currency.code());
    if (by_currency == rates_.end()) return std::nullopt;
    const auto& history = by_currency->second;
    auto next = history.upper_bound(to_unix_millis(at));
    if (next == history.begin()) return std::nullopt;
    return std::prev(next)->second;
}

std::optional<std::int64_t> FxTable::convert(const Money& amount, Currency to, Timestamp at) const {
    if (amount.currency() == to) return amount.minor_units();
    const auto from_rate = rate_at(amount.currency(), at);
    const auto to_rate = rate_at(to, at);
    if (!from_rate || !to_rate) return std::nullopt;
    return convert_minor(amount.minor_units(), amount.currency(), *from_rate, to, *to_rate);
}

std::vector<FxRate> FxTable::all() const {
    std::vector<FxRate> out;
    for (const auto& [currency, history] : rates_) {
        for (const auto& [from, rate] : history) {
            out.push_back({currency, to_string(rate), from_unix_millis(from)});
        }
    }
    return out;
}

}  // namespace pitboss::events::detail
