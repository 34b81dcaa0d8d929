#pragma once
/// @file
/// The in-memory columnar snapshot of every player's segmentation fields, which rules scan.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pitboss/core/id.hpp"
#include "pitboss/core/money.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/segments/bitmap.hpp"

namespace pitboss::segments {

/// One player's segmentation fields as plain values (the row form of a PlayerTable).
///
/// Money is in minor units of the table's base currency; counts are plain integers;
/// churn_risk is a score in [0, 1] (held to 4 decimals by the table), not money.
struct PlayerRow {
    PlayerId player_id;                              ///< pitboss's internal id (field player_id)
    std::string external_id;                         ///< the platform's id (hashed by ab_bucket)
    std::string country;                             ///< ISO 3166-1 alpha-2
    std::string language;                            ///< ISO 639-1
    std::string currency;                            ///< ISO 4217 wallet currency
    std::optional<std::string> traffic_source;       ///< marketing channel; null when unknown
    std::optional<std::string> affiliate_id;         ///< referring affiliate; null when none
    std::string status = "active";                   ///< players::PlayerStatus as text
    std::optional<Date> birth_date;                  ///< gives `age` at evaluation time
    std::optional<Timestamp> registered_at;          ///< sign-up time
    bool self_excluded = false;                      ///< self-exclusion in force
    bool blocked = false;                            ///< account blocked
    bool consent_email = false;                      ///< marketing e-mail consent
    bool consent_sms = false;                        ///< marketing SMS consent
    bool consent_push = false;                       ///< push notification consent
    bool consent_messenger = false;                  ///< messenger consent
    std::int64_t deposit_count = 0;                  ///< approved deposits, lifetime
    std::int64_t deposit_sum = 0;                    ///< their total, base minor units
    std::int64_t deposit_count_7d = 0;               ///< approved deposits in the last 7 days
    std::int64_t deposit_sum_7d = 0;                 ///< their total, base minor units
    std::int64_t deposit_count_30d = 0;              ///< ... last 30 days
    std::int64_t deposit_sum_30d = 0;                ///< their total, base minor units
    std::int64_t deposit_count_90d = 0;              ///< ... last 90 days
    std::int64_t deposit_sum_90d = 0;                ///< their total, base minor units
    std::optional<Timestamp> first_deposit_at;       ///< earliest approved deposit
    std::optional<Timestamp> last_deposit_at;        ///< latest approved deposit
    std::int64_t withdrawal_count = 0;               ///< paid withdrawals, lifetime
    std::int64_t withdrawal_sum = 0;                 ///< their total, base minor units
    std::int64_t bet_count = 0;                      ///< bets placed
    std::int64_t bet_sum = 0;                        ///< turnover, base minor units
    std::int64_t win_sum = 0;                        ///< winnings, base minor units
    std::int64_t ggr = 0;                            ///< bets - wins, base minor units
    std::int64_t ngr = 0;                            ///< ggr - bonus cost, base minor units
    std::int64_t bonus_sum = 0;                      ///< bonuses granted, base minor units
    std::int64_t login_count = 0;                    ///< logins
    std::int64_t session_count = 0;                  ///< ended sessions
    std::optional<Timestamp> last_login_at;          ///< latest login
    std::int64_t active_days_30d = 0;                ///< active UTC days among the last 30
    std::optional<std::string> favourite_game_type;  ///< game type with the most bets
    double churn_risk = 0.0;                         ///< churn score in [0, 1]
    std::optional<std::string> tier;                 ///< loyalty tier, when loyalty assigns one
    std::optional<std::string> kyc_status;           ///< KYC state, when compliance sets one

    /// Field-wise equality, for tests.
    friend bool operator==(const PlayerRow&, const PlayerRow&) = default;
};

/// The type of a rule field, which decides the literals it compares with.
enum class FieldType {
    kString,     ///< text (dictionary-encoded); compares with "quoted" literals
    kInteger,    ///< whole number (counts, age, days_since_*); integer or duration literals
    kMoney,      ///< base-currency amount; decimal literals in major units ("100" is 100.00)
    kScore,      ///< decimal score in [0, 1] (churn_risk)
    kBoolean,    ///< true / false
    kTimestamp,  ///< UTC instant; compares by its UTC date with date literals (2026-01-31)
};

/// "string", "integer", "money", "score", "boolean", "timestamp".
[[nodiscard]] std::string_view to_string(FieldType type) noexcept;

/// A field a rule may name.
struct FieldInfo {
    std::string_view name;         ///< as written in rules, e.g. "deposit_sum_30d"
    FieldType type;                ///< what it compares with
    bool nullable;                 ///< may be null (then only `is null` is true)
    std::string_view description;  ///< one line, for docs and `--help`
};

/// Every field of the rule language, in documentation order (ab_bucket and in_segment are
/// functions, not fields, and are not listed).
[[nodiscard]] std::span<const FieldInfo> fields() noexcept;
/// The field named `name`, or nullptr.
[[nodiscard]] const FieldInfo* find_field(std::string_view name) noexcept;

/// One field's value for one player: null, a boolean, an integer (also money in base minor
/// units), a score, a string, or a timestamp.
using FieldValue = std::variant<std::monostate, bool, std::int64_t, double, std::string, Timestamp>;

/// @cond INTERNAL
namespace detail {
struct Columns;
}  // namespace detail
/// @endcond

/// A columnar snapshot: one contiguous column per field, strings dictionary-encoded.
///
/// Rows are appended once per player and updated in place by the incremental path; a row's
/// index never changes. Not thread-safe for writers: callers serialise append/update/compile
/// against concurrent readers. Const methods may run concurrently with each other.
class PlayerTable {
public:
    /// An empty table whose money fields are in `base_currency` (decides money literal scale).
    explicit PlayerTable(Currency base_currency);
    /// An empty table in EUR.
    PlayerTable();
    ~PlayerTable();
    /// Movable.
    PlayerTable(PlayerTable&&) noexcept;
    /// Movable.
    PlayerTable& operator=(PlayerTable&&) noexcept;
    PlayerTable(const PlayerTable&) = delete;
    PlayerTable& operator=(const PlayerTable&) = delete;

    /// Adds a player and returns its row. Throws ConflictError when the player_id is already
    /// present, ValidationError when churn_risk is outside [0, 1] or not a number.
    RowIndex append(const PlayerRow& row);
    /// Replaces row `row`'s values (the incremental path). Throws NotFoundError when `row` is
    /// out of range, ValidationError when `values.player_id` differs from the row's or
    /// churn_risk is outside [0, 1].
    void update(RowIndex row, const PlayerRow& values);
    /// Updates the player's row when present, else appends one; returns the row.
    RowIndex upsert(const PlayerRow& values);
    /// Reserves room for `rows` players.
    void reserve(std::size_t rows);

    /// Number of players.
    [[nodiscard]] std::size_t size() const noexcept;
    /// The row of a player, if present.
    [[nodiscard]] std::optional<RowIndex> row_of(PlayerId id) const;
    /// The player at `row` (which must be < size()).
    [[nodiscard]] PlayerId player_id(RowIndex row) const noexcept;
    /// The platform's id of the player at `row` (which must be < size()).
    [[nodiscard]] std::string_view external_id(RowIndex row) const noexcept;
    /// All values of row `row` as they were stored (churn_risk rounded to 4 decimals); throws
    /// NotFoundError when out of range.
    [[nodiscard]] PlayerRow row(RowIndex row) const;
    /// The value of field `field` (see fields()) at `row`, with age and days_since_* computed
    /// at `now`; throws ValidationError for an unknown field, NotFoundError for a bad row.
    [[nodiscard]] FieldValue value(RowIndex row, std::string_view field, Timestamp now) const;
    /// Player ids of the rows set in `rows`, sorted by id.
    [[nodiscard]] std::vector<PlayerId> player_ids(const Bitmap& rows) const;
    /// The base currency of the money fields.
    [[nodiscard]] Currency base_currency() const noexcept;
    /// Bytes held by the columns, dictionaries and the id index (approximate, for reports).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

    /// @cond INTERNAL
    /// The columns, for the rule compiler and evaluator (src/segments).
    [[nodiscard]] const detail::Columns& columns() const noexcept { return *columns_; }
    [[nodiscard]] detail::Columns& columns() noexcept { return *columns_; }
    /// @endcond

private:
    std::unique_ptr<detail::Columns> columns_;
};

}  // namespace pitboss::segments
