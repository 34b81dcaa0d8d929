#pragma once
// The known keys of an event object and the values found for them in one pass.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "events/json_reader.hpp"

namespace pitboss::events::detail {

/// Every key the event format knows, at the top level of an event.
enum class Field : unsigned char {
    kEventId,
    kType,
    kPlayerId,
    kOccurredAt,
    kCountry,
    kBirthDate,
    kCurrency,
    kLanguage,
    kEmail,
    kPhone,
    kTrafficSource,
    kAffiliateId,
    kConsents,
    kSessionId,
    kDevice,
    kIpCountry,
    kDurationS,
    kTransactionId,
    kAmount,
    kMethod,
    kStatus,
    kRoundId,
    kGameId,
    kGameType,
    kBonusId,
    kKind,
    kCount
};

/// The wire name of a field.
[[nodiscard]] std::string_view field_name(Field field) noexcept;
/// The field of a key, or nullopt for keys the format does not know (ignored).
[[nodiscard]] std::optional<Field> find_field(std::string_view key) noexcept;

/// The values of the known fields of one object; a field is present at most once.
class FieldValues {
public:
    /// Forgets every value.
    void clear() noexcept { present_ = 0; }
    /// Records a value; false when the field was already present (a duplicate key).
    bool set(Field field, JsonValue value) noexcept;
    /// The value, or nullptr when the key was absent.
    [[nodiscard]] const JsonValue* find(Field field) const noexcept;

private:
    std::array<JsonValue, static_cast<std::size_t>(Field::kCount)> values_{};
    std::uint32_t present_ = 0;
};

}  // namespace pitboss::events::detail
