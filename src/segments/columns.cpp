#include "segments/columns.hpp"

#include <limits>
#include <type_traits>

#include "pitboss/core/error.hpp"

namespace pitboss::segments::detail {
namespace {

template <class T>
bool fits(std::int64_t value) noexcept {
    return value > static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
           value <= static_cast<std::int64_t>(std::numeric_limits<T>::max());
}

template <class From, class To>
std::vector<To> convert(const std::vector<From>& from, std::size_t reserve) {
    std::vector<To> to;
    to.reserve(std::max(reserve, from.size()));
    for (const From x : from) {
        to.push_back(x == std::numeric_limits<From>::min() ? std::numeric_limits<To>::min()
                                                           : static_cast<To>(x));
    }
    return to;
}

}  // namespace

std::size_t IntColumn::size() const noexcept {
    return std::visit([](const auto& v) { return v.size(); }, data_);
}

std::size_t IntColumn::bytes() const noexcept {
    return std::visit(
        [](const auto& v) {
            return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type);
        },
        data_);
}

void IntColumn::reserve(std::size_t rows) {
    reserved_ = rows;
    std::visit([rows](auto& v) { v.reserve(rows); }, data_);
}

void IntColumn::widen_for(std::int64_t value) {
    if (value == std::numeric_limits<std::int64_t>::min()) {
        throw ValidationError("value", "integer out of range for segmentation");
    }
    // Smallest width that holds the value, never narrower than now.
    std::size_t want = fits<std::int8_t>(value)    ? 0
                       : fits<std::int16_t>(value) ? 1
                       : fits<std::int32_t>(value) ? 2
                                                   : 3;
    if (want <= data_.index()) return;
    Storage next;
    std::visit(
        [&](const auto& v) {
            using From = typename std::decay_t<decltype(v)>::value_type;
            switch (want) {
                case 1:
                    next = convert<From, std::int16_t>(v, reserved_);
                    break;
                case 2:
                    next = convert<From, std::int32_t>(v, reserved_);
                    break;
                default:
                    next = convert<From, std::int64_t>(v, reserved_);
                    break;
            }
        },
        data_);
    data_ = std::move(next);
}

void IntColumn::push(std::optional<std::int64_t> value) {
    if (value) widen_for(*value);
    std::visit(
        [&](auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            v.push_back(value ? static_cast<T>(*value) : std::numeric_limits<T>::min());
        },
        data_);
}

void IntColumn::set(std::size_t row, std::optional<std::int64_t> value) {
    if (value) widen_for(*value);
    std::visit(
        [&](auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            v[row] = value ? static_cast<T>(*value) : std::numeric_limits<T>::min();
        },
        data_);
}

StringColumn::StringColumn() { values_.emplace_back(); }

std::optional<std::uint32_t> StringColumn::find(std::string_view value) const {
    const auto it = index_.find(std::string(value));
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

std::uint32_t StringColumn::intern(std::string_view value) {
    const auto [it, added] =
        index_.try_emplace(std::string(value), static_cast<std::uint32_t>(values_.size()));
    if (added) {
        values_.emplace_back(value);
        const std::size_t n = values_.size();
        // Widen the codes the first time the dictionary outgrows them.
        if (n - 1 == std::numeric_limits<std::uint8_t>::max() + std::size_t{1} &&
            codes_.index() == 0) {
            const auto& old = std::get<0>(codes_);
            codes_ = std::vector<std::uint16_t>(old.begin(), old.end());
        } else if (n - 1 == std::numeric_limits<std::uint16_t>::max() + std::size_t{1} &&
                   codes_.index() == 1) {
            const auto& old = std::get<1>(codes_);
            codes_ = std::vector<std::uint32_t>(old.begin(), old.end());
        }
    }
    return it->second;
}

void StringColumn::store(std::size_t row, std::uint32_t code, bool append) {
    std::visit(
        [&](auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            if (append) {
                v.push_back(static_cast<T>(code));
            } else {
                v[row] = static_cast<T>(code);
            }
        },
        codes_);
}

void StringColumn::push(const std::optional<std::string>& value) {
    store(0, value ? intern(*value) : 0U, true);
}

void StringColumn::set(std::size_t row, const std::optional<std::string>& value) {
    store(row, value ? intern(*value) : 0U, false);
}

std::optional<std::string> StringColumn::get(std::size_t row) const {
    const std::uint32_t c = code(row);
    if (c == 0) return std::nullopt;
    return values_[c];
}

std::size_t StringColumn::bytes() const noexcept {
    std::size_t total = std::visit(
        [](const auto& v) {
            return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type);
        },
        codes_);
    for (const auto& s : values_) total += sizeof(std::string) + s.capacity();
    return total + index_.size() * (sizeof(std::string) + 2 * sizeof(void*));
}

void StringColumn::reserve(std::size_t rows) {
    std::visit([rows](auto& v) { v.reserve(rows); }, codes_);
}

void TimeColumn::push(std::optional<Timestamp> t) {
    if (!t) {
        minutes.push(std::nullopt);
        millis_of_minute.push_back(0);
        return;
    }
    const std::int64_t ms = to_unix_millis(*t);
    const std::int64_t minute = floor_div(ms, kMillisPerMinute);
    minutes.push(minute);
    millis_of_minute.push_back(static_cast<std::uint16_t>(ms - minute * kMillisPerMinute));
}

void TimeColumn::set(std::size_t row, std::optional<Timestamp> t) {
    if (!t) {
        minutes.set(row, std::nullopt);
        millis_of_minute[row] = 0;
        return;
    }
    const std::int64_t ms = to_unix_millis(*t);
    const std::int64_t minute = floor_div(ms, kMillisPerMinute);
    minutes.set(row, minute);
    millis_of_minute[row] = static_cast<std::uint16_t>(ms - minute * kMillisPerMinute);
}

std::size_t TimeColumn::bytes() const noexcept {
    return minutes.bytes() + millis_of_minute.capacity() * sizeof(std::uint16_t);
}

void TimeColumn::reserve(std::size_t rows) {
    minutes.reserve(rows);
    millis_of_minute.reserve(rows);
}

// Howard Hinnant's days_from_civil / civil_from_days, valid for every int64 year in range.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept {
    const std::int64_t y = year - (month <= 2 ? 1 : 0);
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t m = month;
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::int64_t age_at(std::int64_t birth_day, std::int64_t year, unsigned month,
                    unsigned day) noexcept {
    const std::int64_t z = birth_day + 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t bd = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t bm = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t by = yoe + era * 400 + (bm <= 2 ? 1 : 0);
    const std::int64_t years = year - by;
    const bool before = month < bm || (month == bm && day < bd);
    return before ? years - 1 : years;
}

}  // namespace pitboss::segments::detail
