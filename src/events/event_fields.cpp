#include "events/event_fields.hpp"

namespace pitboss::events::detail {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Field::kCount)> kFieldNames = {
    "event_id", "type",       "player_id", "occurred_at", "country",        "birth_date",
    "currency", "language",   "email",     "phone",       "traffic_source", "affiliate_id",
    "consents", "session_id", "device",    "ip_country",  "duration_s",     "transaction_id",
    "amount",   "method",     "status",    "round_id",    "game_id",        "game_type",
    "bonus_id", "kind"};

static_assert(kFieldNames.size() <= 32, "presence is a 32-bit mask");

constexpr std::uint32_t bit(Field field) noexcept {
    return std::uint32_t{1} << static_cast<unsigned>(field);
}

std::optional<Field> match(std::string_view key, std::initializer_list<Field> candidates) noexcept {
    for (Field f : candidates) {
        if (key == kFieldNames[static_cast<std::size_t>(f)]) return f;
    }
    return std::nullopt;
}

}  // namespace

std::string_view field_name(Field field) noexcept {
    return kFieldNames[static_cast<std::size_t>(field)];
}

// Dispatch on the length first: each key is then compared with at most four names.
std::optional<Field> find_field(std::string_view key) noexcept {
    switch (key.size()) {
        case 4:
            return match(key, {Field::kType, Field::kKind});
        case 5:
            return match(key, {Field::kEmail, Field::kPhone});
        case 6:
            return match(key, {Field::kAmount, Field::kStatus, Field::kMethod, Field::kDevice});
        case 7:
            return match(key, {Field::kCountry, Field::kGameId});
        case 8:
            return match(key, {Field::kEventId, Field::kCurrency, Field::kRoundId, Field::kLanguage,
                               Field::kConsents, Field::kBonusId});
        case 9:
            return match(key, {Field::kPlayerId, Field::kGameType});
        case 10:
            return match(
                key, {Field::kSessionId, Field::kBirthDate, Field::kDurationS, Field::kIpCountry});
        case 11:
            return match(key, {Field::kOccurredAt});
        case 12:
            return match(key, {Field::kAffiliateId});
        case 14:
            return match(key, {Field::kTransactionId, Field::kTrafficSource});
        default:
            return std::nullopt;
    }
}

bool FieldValues::set(Field field, JsonValue value) noexcept {
    if ((present_ & bit(field)) != 0) return false;
    present_ |= bit(field);
    values_[static_cast<std::size_t>(field)] = value;
    return true;
}

const JsonValue* FieldValues::find(Field field) const noexcept {
    return (present_ & bit(field)) != 0 ? &values_[static_cast<std::size_t>(field)] : nullptr;
}

}  // namespace pitboss::events::detail
