#include <array>

#include "segments/columns.hpp"

namespace pitboss::segments {
namespace {

using detail::FieldStorage;
using detail::Storage;

struct FieldSpec {
    FieldInfo info;
    FieldStorage storage;
};

constexpr FieldSpec str(std::string_view name, bool nullable, detail::StringSlot slot,
                        std::string_view description) {
    return {{name, FieldType::kString, nullable, description}, {Storage::kString, slot}};
}
constexpr FieldSpec num(std::string_view name, FieldType type, detail::IntSlot slot,
                        std::string_view description) {
    return {{name, type, false, description}, {Storage::kInt, slot}};
}
constexpr FieldSpec time(std::string_view name, detail::TimeSlot slot, bool nullable,
                         std::string_view description) {
    return {{name, FieldType::kTimestamp, nullable, description}, {Storage::kTime, slot}};
}
constexpr FieldSpec since(std::string_view name, detail::TimeSlot slot, bool nullable,
                          std::string_view description) {
    return {{name, FieldType::kInteger, nullable, description}, {Storage::kDaysSince, slot}};
}

using enum FieldType;
using namespace detail;

constexpr std::array kSpecs{
    num("player_id", kInteger, kPlayerId, "pitboss's internal player id"),
    str("country", false, kCountry, "ISO 3166-1 alpha-2 country"),
    str("language", false, kLanguage, "ISO 639-1 language"),
    str("currency", false, kCurrency, "ISO 4217 wallet currency"),
    str("traffic_source", true, kTrafficSource, "marketing channel that brought the player"),
    str("affiliate_id", true, kAffiliateId, "referring affiliate"),
    FieldSpec{{"age", kInteger, true, "whole years since the birth date, at evaluation time"},
              {Storage::kAge, kBirthDay}},
    time("registered_at", kRegisteredAt, true, "sign-up time"),
    since("days_since_registration", kRegisteredAt, true, "whole days since sign-up"),
    str("status", false, kStatus, "active, blocked, self_excluded or closed"),
    num("self_excluded", kBoolean, kSelfExcluded, "self-exclusion in force"),
    num("blocked", kBoolean, kBlocked, "account blocked"),
    num("consent_email", kBoolean, kConsentEmail, "marketing e-mail consent"),
    num("consent_sms", kBoolean, kConsentSms, "marketing SMS consent"),
    num("consent_push", kBoolean, kConsentPush, "push notification consent"),
    num("consent_messenger", kBoolean, kConsentMessenger, "messenger consent"),
    num("deposit_count", kInteger, kDepositCount, "approved deposits, lifetime"),
    num("deposit_sum", kMoney, kDepositSum, "their total"),
    num("deposit_count_7d", kInteger, kDepositCount7d, "approved deposits, last 7 days"),
    num("deposit_sum_7d", kMoney, kDepositSum7d, "their total"),
    num("deposit_count_30d", kInteger, kDepositCount30d, "approved deposits, last 30 days"),
    num("deposit_sum_30d", kMoney, kDepositSum30d, "their total"),
    num("deposit_count_90d", kInteger, kDepositCount90d, "approved deposits, last 90 days"),
    num("deposit_sum_90d", kMoney, kDepositSum90d, "their total"),
    time("first_deposit_at", kFirstDepositAt, true, "earliest approved deposit"),
    time("last_deposit_at", kLastDepositAt, true, "latest approved deposit"),
    since("days_since_last_deposit", kLastDepositAt, true, "whole days since the last deposit"),
    num("withdrawal_count", kInteger, kWithdrawalCount, "paid withdrawals, lifetime"),
    num("withdrawal_sum", kMoney, kWithdrawalSum, "their total"),
    num("bet_count", kInteger, kBetCount, "bets placed"),
    num("bet_sum", kMoney, kBetSum, "turnover"),
    num("win_sum", kMoney, kWinSum, "winnings"),
    num("ggr", kMoney, kGgr, "gross gaming revenue: bets - wins"),
    num("ngr", kMoney, kNgr, "net gaming revenue: ggr - bonus cost"),
    num("bonus_sum", kMoney, kBonusSum, "bonuses granted"),
    num("login_count", kInteger, kLoginCount, "logins"),
    num("session_count", kInteger, kSessionCount, "ended sessions"),
    time("last_login_at", kLastLoginAt, true, "latest login"),
    since("days_since_last_login", kLastLoginAt, true, "whole days since the last login"),
    num("active_days_30d", kInteger, kActiveDays30d, "active UTC days among the last 30"),
    str("favourite_game_type", true, kFavouriteGameType, "game type with the most bets"),
    num("churn_risk", kScore, kChurnRisk, "churn risk score in [0, 1], 4 decimals"),
    str("tier", true, kTier, "loyalty tier"),
    str("kyc_status", true, kKycStatus, "KYC state"),
};

constexpr std::array<FieldInfo, kSpecs.size()> infos() {
    std::array<FieldInfo, kSpecs.size()> out{};
    for (std::size_t i = 0; i < kSpecs.size(); ++i) out[i] = kSpecs[i].info;
    return out;
}
constexpr std::array kInfos = infos();

}  // namespace

std::string_view to_string(FieldType type) noexcept {
    switch (type) {
        case kString:
            return "string";
        case kInteger:
            return "integer";
        case kMoney:
            return "money";
        case kScore:
            return "score";
        case kBoolean:
            return "boolean";
        case kTimestamp:
            return "timestamp";
    }
    return "unknown";
}

std::span<const FieldInfo> fields() noexcept { return kInfos; }

const FieldInfo* find_field(std::string_view name) noexcept {
    for (const FieldInfo& f : kInfos) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

detail::FieldStorage detail::storage_of(const FieldInfo& info) noexcept {
    const auto index = static_cast<std::size_t>(&info - kInfos.data());
    return kSpecs[index].storage;
}

}  // namespace pitboss::segments
