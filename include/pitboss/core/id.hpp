#pragma once
/// @file
/// Strong ids: distinct types so a TicketId can never be passed where a PlayerId is expected.

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace pitboss {

/// An integer id tagged by what it identifies.
template <class Tag>
class StrongId {
public:
    constexpr StrongId() noexcept = default;
    /// Wraps a raw id read from storage or input.
    constexpr explicit StrongId(std::int64_t value) noexcept : value_(value) {}
    /// The raw integer, as stored.
    [[nodiscard]] constexpr std::int64_t value() const noexcept { return value_; }
    /// Decimal text, for messages and keys.
    [[nodiscard]] std::string to_string() const { return std::to_string(value_); }
    // clang-tidy 14 mistakes the defaulted comparison for a literal 0 pointer.
    /// Ids order by their integer, so they work as map keys and sort like their rows.
    // NOLINTNEXTLINE(modernize-use-nullptr)
    friend constexpr auto operator<=>(StrongId, StrongId) noexcept = default;

private:
    std::int64_t value_ = 0;
};

/// Internal id of a player's master profile (the platform's own id is `external_id`).
using PlayerId = StrongId<struct PlayerIdTag>;
/// Id of a back-office operator or system actor.
using OperatorId = StrongId<struct OperatorIdTag>;

}  // namespace pitboss

/// @cond INTERNAL
/// Hashes the integer, so strong ids work as unordered_map keys.
template <class Tag>
struct std::hash<pitboss::StrongId<Tag>> {
    std::size_t operator()(pitboss::StrongId<Tag> id) const noexcept {
        return std::hash<std::int64_t>{}(id.value());
    }
};
/// @endcond
