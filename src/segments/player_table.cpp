#include "pitboss/segments/player_table.hpp"

#include <algorithm>
#include <cmath>

#include "pitboss/core/error.hpp"
#include "pitboss/segments/ab_bucket.hpp"
#include "segments/columns.hpp"

namespace pitboss::segments {
namespace {

using detail::Columns;

std::int64_t churn_code(double churn) {
    if (!(churn >= 0.0 && churn <= 1.0)) {
        throw ValidationError("churn_risk", "must be a number in [0, 1]");
    }
    return std::llround(churn * static_cast<double>(detail::kScoreScale));
}

std::optional<std::int64_t> day_of(const std::optional<Date>& d) {
    if (!d) return std::nullopt;
    return std::chrono::sys_days(*d).time_since_epoch().count();
}

// Writes every column of `r` at `row` (appending when `append`). Validates first, so a
// rejected row leaves the table unchanged.
void write(Columns& c, std::size_t row, const PlayerRow& r, bool append) {
    const std::int64_t churn = churn_code(r.churn_risk);
    const auto put_s = [&](detail::StringSlot slot, const std::optional<std::string>& v) {
        append ? c.strings[slot].push(v) : c.strings[slot].set(row, v);
    };
    const auto put_i = [&](detail::IntSlot slot, std::optional<std::int64_t> v) {
        append ? c.ints[slot].push(v) : c.ints[slot].set(row, v);
    };
    const auto put_t = [&](detail::TimeSlot slot, std::optional<Timestamp> v) {
        append ? c.times[slot].push(v) : c.times[slot].set(row, v);
    };
    using namespace detail;
    put_s(kCountry, r.country);
    put_s(kLanguage, r.language);
    put_s(kCurrency, r.currency);
    put_s(kTrafficSource, r.traffic_source);
    put_s(kAffiliateId, r.affiliate_id);
    put_s(kStatus, r.status);
    put_s(kFavouriteGameType, r.favourite_game_type);
    put_s(kTier, r.tier);
    put_s(kKycStatus, r.kyc_status);
    put_i(kPlayerId, r.player_id.value());
    put_i(kSelfExcluded, r.self_excluded ? 1 : 0);
    put_i(kBlocked, r.blocked ? 1 : 0);
    put_i(kConsentEmail, r.consent_email ? 1 : 0);
    put_i(kConsentSms, r.consent_sms ? 1 : 0);
    put_i(kConsentPush, r.consent_push ? 1 : 0);
    put_i(kConsentMessenger, r.consent_messenger ? 1 : 0);
    put_i(kDepositCount, r.deposit_count);
    put_i(kDepositSum, r.deposit_sum);
    put_i(kDepositCount7d, r.deposit_count_7d);
    put_i(kDepositSum7d, r.deposit_sum_7d);
    put_i(kDepositCount30d, r.deposit_count_30d);
    put_i(kDepositSum30d, r.deposit_sum_30d);
    put_i(kDepositCount90d, r.deposit_count_90d);
    put_i(kDepositSum90d, r.deposit_sum_90d);
    put_i(kWithdrawalCount, r.withdrawal_count);
    put_i(kWithdrawalSum, r.withdrawal_sum);
    put_i(kBetCount, r.bet_count);
    put_i(kBetSum, r.bet_sum);
    put_i(kWinSum, r.win_sum);
    put_i(kGgr, r.ggr);
    put_i(kNgr, r.ngr);
    put_i(kBonusSum, r.bonus_sum);
    put_i(kLoginCount, r.login_count);
    put_i(kSessionCount, r.session_count);
    put_i(kActiveDays30d, r.active_days_30d);
    put_i(kChurnRisk, churn);
    put_i(kBirthDay, day_of(r.birth_date));
    put_t(kRegisteredAt, r.registered_at);
    put_t(kFirstDepositAt, r.first_deposit_at);
    put_t(kLastDepositAt, r.last_deposit_at);
    put_t(kLastLoginAt, r.last_login_at);
}

void check_values(const PlayerRow& r) {
    (void)churn_code(r.churn_risk);
    const std::int64_t values[] = {r.player_id.value(),
                                   r.deposit_count,
                                   r.deposit_sum,
                                   r.deposit_count_7d,
                                   r.deposit_sum_7d,
                                   r.deposit_count_30d,
                                   r.deposit_sum_30d,
                                   r.deposit_count_90d,
                                   r.deposit_sum_90d,
                                   r.withdrawal_count,
                                   r.withdrawal_sum,
                                   r.bet_count,
                                   r.bet_sum,
                                   r.win_sum,
                                   r.ggr,
                                   r.ngr,
                                   r.bonus_sum,
                                   r.login_count,
                                   r.session_count,
                                   r.active_days_30d};
    for (const std::int64_t v : values) {
        if (v == std::numeric_limits<std::int64_t>::min()) {
            throw ValidationError("value", "integer out of range for segmentation");
        }
    }
}

}  // namespace

PlayerTable::PlayerTable(Currency base_currency)
    : columns_(std::make_unique<Columns>(base_currency)) {}
PlayerTable::PlayerTable() : PlayerTable(Currency::of("EUR")) {}
PlayerTable::~PlayerTable() = default;
PlayerTable::PlayerTable(PlayerTable&&) noexcept = default;
PlayerTable& PlayerTable::operator=(PlayerTable&&) noexcept = default;

RowIndex PlayerTable::append(const PlayerRow& row) {
    Columns& c = *columns_;
    if (c.row_by_id.contains(row.player_id.value())) {
        throw ConflictError("player " + row.player_id.to_string() + " is already in the table");
    }
    if (c.rows >= std::numeric_limits<RowIndex>::max()) {
        throw PreconditionError("the player table is full");
    }
    check_values(row);
    const auto index = static_cast<RowIndex>(c.rows);
    write(c, c.rows, row, true);
    c.external_chars.insert(c.external_chars.end(), row.external_id.begin(), row.external_id.end());
    c.external_offsets.push_back(c.external_chars.size());
    c.external_hash.push_back(fnv1a64(row.external_id));
    c.row_by_id.emplace(row.player_id.value(), index);
    ++c.rows;
    return index;
}

void PlayerTable::update(RowIndex row, const PlayerRow& values) {
    Columns& c = *columns_;
    if (row >= c.rows) throw NotFoundError("row " + std::to_string(row) + " is not in the table");
    if (player_id(row) != values.player_id) {
        throw ValidationError("player_id", "row " + std::to_string(row) + " holds player " +
                                               player_id(row).to_string());
    }
    check_values(values);
    write(c, row, values, false);
    if (external_id(row) != values.external_id) {
        // Rare (a platform re-keying a player): move the id to the end of the character pool.
        const std::uint64_t start = c.external_chars.size();
        c.external_chars.insert(c.external_chars.end(), values.external_id.begin(),
                                values.external_id.end());
        // Offsets are monotone per row only through the pool's order; keep an explicit pair.
        c.external_moved[row] = {start, c.external_chars.size()};
        c.external_hash[row] = fnv1a64(values.external_id);
    }
}

RowIndex PlayerTable::upsert(const PlayerRow& values) {
    if (const auto row = row_of(values.player_id)) {
        update(*row, values);
        return *row;
    }
    return append(values);
}

void PlayerTable::reserve(std::size_t rows) {
    Columns& c = *columns_;
    for (auto& s : c.strings) s.reserve(rows);
    for (auto& i : c.ints) i.reserve(rows);
    for (auto& t : c.times) t.reserve(rows);
    c.external_offsets.reserve(rows + 1);
    c.external_hash.reserve(rows);
    c.row_by_id.reserve(rows);
}

std::size_t PlayerTable::size() const noexcept { return columns_->rows; }

std::optional<RowIndex> PlayerTable::row_of(PlayerId id) const {
    const auto it = columns_->row_by_id.find(id.value());
    if (it == columns_->row_by_id.end()) return std::nullopt;
    return it->second;
}

PlayerId PlayerTable::player_id(RowIndex row) const noexcept {
    return PlayerId(columns_->ints[detail::kPlayerId].get(row).value_or(0));
}

std::string_view PlayerTable::external_id(RowIndex row) const noexcept {
    const Columns& c = *columns_;
    std::uint64_t begin = c.external_offsets[row];
    std::uint64_t end = c.external_offsets[row + 1];
    if (!c.external_moved.empty()) {
        if (const auto it = c.external_moved.find(row); it != c.external_moved.end()) {
            begin = it->second.first;
            end = it->second.second;
        }
    }
    return {c.external_chars.data() + begin, static_cast<std::size_t>(end - begin)};
}

PlayerRow PlayerTable::row(RowIndex index) const {
    const Columns& c = *columns_;
    if (index >= c.rows) {
        throw NotFoundError("row " + std::to_string(index) + " is not in the table");
    }
    using namespace detail;
    const auto s = [&](StringSlot slot) { return c.strings[slot].get(index); };
    const auto i = [&](IntSlot slot) { return c.ints[slot].get(index).value_or(0); };
    const auto t = [&](TimeSlot slot) -> std::optional<Timestamp> {
        const auto ms = c.times[slot].get_ms(index);
        if (!ms) return std::nullopt;
        return from_unix_millis(*ms);
    };
    PlayerRow r;
    r.player_id = PlayerId(i(kPlayerId));
    r.external_id = std::string(external_id(index));
    r.country = s(kCountry).value_or("");
    r.language = s(kLanguage).value_or("");
    r.currency = s(kCurrency).value_or("");
    r.traffic_source = s(kTrafficSource);
    r.affiliate_id = s(kAffiliateId);
    r.status = s(kStatus).value_or("");
    if (const auto bd = c.ints[kBirthDay].get(index)) {
        r.birth_date = Date(std::chrono::sys_days(std::chrono::days(*bd)));
    }
    r.registered_at = t(kRegisteredAt);
    r.self_excluded = i(kSelfExcluded) != 0;
    r.blocked = i(kBlocked) != 0;
    r.consent_email = i(kConsentEmail) != 0;
    r.consent_sms = i(kConsentSms) != 0;
    r.consent_push = i(kConsentPush) != 0;
    r.consent_messenger = i(kConsentMessenger) != 0;
    r.deposit_count = i(kDepositCount);
    r.deposit_sum = i(kDepositSum);
    r.deposit_count_7d = i(kDepositCount7d);
    r.deposit_sum_7d = i(kDepositSum7d);
    r.deposit_count_30d = i(kDepositCount30d);
    r.deposit_sum_30d = i(kDepositSum30d);
    r.deposit_count_90d = i(kDepositCount90d);
    r.deposit_sum_90d = i(kDepositSum90d);
    r.first_deposit_at = t(kFirstDepositAt);
    r.last_deposit_at = t(kLastDepositAt);
    r.withdrawal_count = i(kWithdrawalCount);
    r.withdrawal_sum = i(kWithdrawalSum);
    r.bet_count = i(kBetCount);
    r.bet_sum = i(kBetSum);
    r.win_sum = i(kWinSum);
    r.ggr = i(kGgr);
    r.ngr = i(kNgr);
    r.bonus_sum = i(kBonusSum);
    r.login_count = i(kLoginCount);
    r.session_count = i(kSessionCount);
    r.last_login_at = t(kLastLoginAt);
    r.active_days_30d = i(kActiveDays30d);
    r.favourite_game_type = s(kFavouriteGameType);
    r.churn_risk = static_cast<double>(i(kChurnRisk)) / static_cast<double>(kScoreScale);
    r.tier = s(kTier);
    r.kyc_status = s(kKycStatus);
    return r;
}

FieldValue PlayerTable::value(RowIndex index, std::string_view field, Timestamp now) const {
    const FieldInfo* info = find_field(field);
    if (info == nullptr) {
        throw ValidationError("field", "unknown segmentation field '" + std::string(field) + "'");
    }
    const Columns& c = *columns_;
    if (index >= c.rows) {
        throw NotFoundError("row " + std::to_string(index) + " is not in the table");
    }
    const detail::FieldStorage st = detail::storage_of(*info);
    switch (st.storage) {
        case detail::Storage::kString: {
            auto s = c.strings[st.slot].get(index);
            if (!s) return std::monostate{};
            return std::move(*s);
        }
        case detail::Storage::kInt: {
            const auto v = c.ints[st.slot].get(index);
            if (!v) return std::monostate{};
            if (info->type == FieldType::kBoolean) return *v != 0;
            if (info->type == FieldType::kScore) {
                return static_cast<double>(*v) / static_cast<double>(detail::kScoreScale);
            }
            return *v;
        }
        case detail::Storage::kTime: {
            const auto ms = c.times[st.slot].get_ms(index);
            if (!ms) return std::monostate{};
            return from_unix_millis(*ms);
        }
        case detail::Storage::kAge: {
            const auto bd = c.ints[st.slot].get(index);
            if (!bd) return std::monostate{};
            const Date today = utc_date(now);
            return detail::age_at(*bd, static_cast<int>(today.year()),
                                  static_cast<unsigned>(today.month()),
                                  static_cast<unsigned>(today.day()));
        }
        case detail::Storage::kDaysSince: {
            const auto ms = c.times[st.slot].get_ms(index);
            if (!ms) return std::monostate{};
            return detail::floor_div(to_unix_millis(now) - *ms, detail::kMillisPerDay);
        }
    }
    return std::monostate{};
}

std::vector<PlayerId> PlayerTable::player_ids(const Bitmap& rows) const {
    std::vector<PlayerId> out;
    out.reserve(rows.count());
    const std::size_t n = std::min(rows.size(), size());
    for (const RowIndex r : rows.rows()) {
        if (r < n) out.push_back(player_id(r));
    }
    std::sort(out.begin(), out.end());
    return out;
}

Currency PlayerTable::base_currency() const noexcept { return columns_->base_currency; }

std::size_t PlayerTable::memory_bytes() const noexcept {
    const Columns& c = *columns_;
    std::size_t total = 0;
    for (const auto& s : c.strings) total += s.bytes();
    for (const auto& i : c.ints) total += i.bytes();
    for (const auto& t : c.times) total += t.bytes();
    total += c.external_chars.capacity() + c.external_offsets.capacity() * 8 +
             c.external_hash.capacity() * 8;
    // An unordered_map node: key, value, next pointer, cached hash; plus the bucket array.
    total += c.row_by_id.size() * 32 + c.row_by_id.bucket_count() * sizeof(void*);
    return total;
}

}  // namespace pitboss::segments
