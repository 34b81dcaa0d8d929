#include "pitboss/events/event.hpp"

#include <array>

#include "core/text.hpp"
#include "pitboss/core/error.hpp"

namespace pitboss::events {

namespace {

constexpr std::array<std::string_view, 8> kEventTypeNames = {
    "registration", "login", "session_end", "deposit", "withdrawal", "bet", "win", "bonus"};
constexpr std::array<std::string_view, 3> kDepositStatusNames = {"approved", "declined", "pending"};
constexpr std::array<std::string_view, 5> kWithdrawalStatusNames = {"requested", "approved", "paid",
                                                                    "rejected", "cancelled"};
constexpr std::array<std::string_view, 3> kBonusKindNames = {"granted", "wagered", "forfeited"};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum value) noexcept {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : std::string_view("unknown");
}

template <typename Enum, std::size_t N>
std::optional<Enum> find_by_name(const std::array<std::string_view, N>& names,
                                 std::string_view text) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == text) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

/// "'a', 'b' or 'c'" for an error message.
template <std::size_t N>
std::string list_of(const std::array<std::string_view, N>& names) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0) out += i + 1 == N ? " or " : ", ";
        out += '"';
        out += names[i];
        out += '"';
    }
    return out;
}

template <typename Enum, std::size_t N>
Enum parse_by_name(const std::array<std::string_view, N>& names, std::string_view text,
                   std::string_view field, std::string_view what) {
    if (auto found = find_by_name<Enum>(names, text)) return *found;
    throw ValidationError(std::string(field), "unknown " + std::string(what) + " " +
                                                  detail::quote_for_message(text) + "; expected " +
                                                  list_of(names));
}

}  // namespace

std::string_view to_string(EventType type) noexcept { return name_of(kEventTypeNames, type); }
std::optional<EventType> find_event_type(std::string_view text) noexcept {
    return find_by_name<EventType>(kEventTypeNames, text);
}
EventType parse_event_type(std::string_view text) {
    return parse_by_name<EventType>(kEventTypeNames, text, "type", "event type");
}

std::string_view to_string(DepositStatus status) noexcept {
    return name_of(kDepositStatusNames, status);
}
std::optional<DepositStatus> find_deposit_status(std::string_view text) noexcept {
    return find_by_name<DepositStatus>(kDepositStatusNames, text);
}
DepositStatus parse_deposit_status(std::string_view text) {
    return parse_by_name<DepositStatus>(kDepositStatusNames, text, "status", "deposit status");
}

std::string_view to_string(WithdrawalStatus status) noexcept {
    return name_of(kWithdrawalStatusNames, status);
}
std::optional<WithdrawalStatus> find_withdrawal_status(std::string_view text) noexcept {
    return find_by_name<WithdrawalStatus>(kWithdrawalStatusNames, text);
}
WithdrawalStatus parse_withdrawal_status(std::string_view text) {
    return parse_by_name<WithdrawalStatus>(kWithdrawalStatusNames, text, "status",
                                           "withdrawal status");
}

std::string_view to_string(BonusKind kind) noexcept { return name_of(kBonusKindNames, kind); }
std::optional<BonusKind> find_bonus_kind(std::string_view text) noexcept {
    return find_by_name<BonusKind>(kBonusKindNames, text);
}
BonusKind parse_bonus_kind(std::string_view text) {
    return parse_by_name<BonusKind>(kBonusKindNames, text, "kind", "bonus kind");
}

std::optional<Money> amount_of(const Event& event) noexcept {
    return std::visit(
        [](const auto& payload) -> std::optional<Money> {
            if constexpr (requires { payload.amount; }) {
                return payload.amount;
            } else {
                return std::nullopt;
            }
        },
        event.payload);
}

}  // namespace pitboss::events
