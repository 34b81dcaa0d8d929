#pragma once
// The column store behind PlayerTable. Private to src/segments: the compiler and the evaluator
// read these directly.
//
// Widths adapt to the data: an integer column starts as int8 and widens (int16, int32, int64)
// the first time a value does not fit; a string column's dictionary codes start as uint8 and
// widen likewise. Null is the minimum of the integer type, and code 0 for strings, so a range
// check whose lower bound is clamped above the minimum excludes nulls for free.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "pitboss/core/money.hpp"
#include "pitboss/segments/player_table.hpp"

namespace pitboss::segments::detail {

inline constexpr std::int64_t kMillisPerDay = 86'400'000;
inline constexpr std::int64_t kMillisPerMinute = 60'000;
inline constexpr std::int64_t kMinutesPerDay = 1'440;
/// churn_risk is held as an integer count of 1/10000.
inline constexpr std::int64_t kScoreScale = 10'000;

/// Floor division (rounds towards minus infinity).
[[nodiscard]] constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// A nullable integer column of adaptive width.
class IntColumn {
public:
    using Storage = std::variant<std::vector<std::int8_t>, std::vector<std::int16_t>,
                                 std::vector<std::int32_t>, std::vector<std::int64_t>>;

    void push(std::optional<std::int64_t> value);
    void set(std::size_t row, std::optional<std::int64_t> value);
    [[nodiscard]] std::optional<std::int64_t> get(std::size_t row) const noexcept {
        return std::visit(
            [row](const auto& v) -> std::optional<std::int64_t> {
                using T = typename std::decay_t<decltype(v)>::value_type;
                const T x = v[row];
                if (x == std::numeric_limits<T>::min()) return std::nullopt;
                return static_cast<std::int64_t>(x);
            },
            data_);
    }
    [[nodiscard]] const Storage& data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept;
    [[nodiscard]] std::size_t bytes() const noexcept;
    void reserve(std::size_t rows);

private:
    void widen_for(std::int64_t value);
    Storage data_;
    std::size_t reserved_ = 0;
};

/// A nullable string column: codes into an append-only dictionary; code 0 is null.
class StringColumn {
public:
    using Codes = std::variant<std::vector<std::uint8_t>, std::vector<std::uint16_t>,
                               std::vector<std::uint32_t>>;

    StringColumn();
    /// The code of `value`, adding it to the dictionary when new.
    std::uint32_t intern(std::string_view value);
    /// The code of `value`, if it is in the dictionary.
    [[nodiscard]] std::optional<std::uint32_t> find(std::string_view value) const;
    void push(const std::optional<std::string>& value);
    void set(std::size_t row, const std::optional<std::string>& value);
    [[nodiscard]] std::uint32_t code(std::size_t row) const noexcept {
        return std::visit([row](const auto& v) { return static_cast<std::uint32_t>(v[row]); },
                          codes_);
    }
    [[nodiscard]] std::optional<std::string> get(std::size_t row) const;
    [[nodiscard]] const Codes& codes() const noexcept { return codes_; }
    [[nodiscard]] std::size_t dictionary_size() const noexcept { return values_.size(); }
    [[nodiscard]] std::size_t bytes() const noexcept;
    void reserve(std::size_t rows);

private:
    void store(std::size_t row, std::uint32_t code, bool append);
    Codes codes_;
    std::vector<std::string> values_;  // values_[0] is the null placeholder
    std::unordered_map<std::string, std::uint32_t> index_;
};

/// A nullable timestamp column: minutes since the epoch (adaptive, int32 for 1970 +- 4000
/// years) and the millisecond within the minute. Predicates scan the minutes; only rows in a
/// bound's own minute (when the bound is not minute-aligned, e.g. now - 14 days) read the
/// milliseconds, and those are rare.
struct TimeColumn {
    IntColumn minutes;
    std::vector<std::uint16_t> millis_of_minute;

    void push(std::optional<Timestamp> t);
    void set(std::size_t row, std::optional<Timestamp> t);
    [[nodiscard]] std::optional<std::int64_t> get_ms(std::size_t row) const noexcept {
        const auto m = minutes.get(row);
        if (!m) return std::nullopt;
        return *m * kMillisPerMinute + millis_of_minute[row];
    }
    [[nodiscard]] std::size_t bytes() const noexcept;
    void reserve(std::size_t rows);
};

/// Where a field's values live.
enum class Storage { kInt, kString, kTime, kAge, kDaysSince };

/// String column slots.
enum StringSlot : std::uint8_t {
    kCountry,
    kLanguage,
    kCurrency,
    kTrafficSource,
    kAffiliateId,
    kStatus,
    kFavouriteGameType,
    kTier,
    kKycStatus,
    kStringSlots
};
/// Integer column slots (booleans are 0/1, churn_risk is in 1/10000, birth_day in days).
enum IntSlot : std::uint8_t {
    kPlayerId,
    kSelfExcluded,
    kBlocked,
    kConsentEmail,
    kConsentSms,
    kConsentPush,
    kConsentMessenger,
    kDepositCount,
    kDepositSum,
    kDepositCount7d,
    kDepositSum7d,
    kDepositCount30d,
    kDepositSum30d,
    kDepositCount90d,
    kDepositSum90d,
    kWithdrawalCount,
    kWithdrawalSum,
    kBetCount,
    kBetSum,
    kWinSum,
    kGgr,
    kNgr,
    kBonusSum,
    kLoginCount,
    kSessionCount,
    kActiveDays30d,
    kChurnRisk,
    kBirthDay,
    kIntSlots
};
/// Timestamp column slots.
enum TimeSlot : std::uint8_t {
    kRegisteredAt,
    kFirstDepositAt,
    kLastDepositAt,
    kLastLoginAt,
    kTimeSlots
};

/// A field's storage: kind and slot (for kAge the int slot of the birth day, for kDaysSince
/// the time slot).
struct FieldStorage {
    Storage storage;
    std::uint8_t slot;
};

/// The storage of field `info` (which must come from fields()).
[[nodiscard]] FieldStorage storage_of(const FieldInfo& info) noexcept;

struct Columns {
    explicit Columns(Currency base) : base_currency(base) {}
    Currency base_currency;
    std::size_t rows = 0;
    std::array<StringColumn, kStringSlots> strings;
    std::array<IntColumn, kIntSlots> ints;
    std::array<TimeColumn, kTimeSlots> times;
    std::vector<char> external_chars;
    std::vector<std::uint64_t> external_offsets{0};  // rows + 1 entries
    std::vector<std::uint64_t> external_hash;        // fnv1a64 of the external id
    // Rows whose external id changed after append: [begin, end) in external_chars.
    std::unordered_map<RowIndex, std::pair<std::uint64_t, std::uint64_t>> external_moved;
    std::unordered_map<std::int64_t, RowIndex> row_by_id;
};

/// Whole years between a birth day and a civil date (y, m, d), as age_in_years counts them.
[[nodiscard]] std::int64_t age_at(std::int64_t birth_day, std::int64_t year, unsigned month,
                                  unsigned day) noexcept;
/// Days since 1970-01-01 of a proleptic Gregorian date (any year).
[[nodiscard]] std::int64_t days_from_civil(std::int64_t year, unsigned month,
                                           unsigned day) noexcept;

}  // namespace pitboss::segments::detail
