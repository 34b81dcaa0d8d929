#pragma once
/// @file
/// Platform events (registration, login, deposit, bet, ...) and their strict JSON parser.
/// The format is described in docs/events.md.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "pitboss/core/money.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::events {

/// What happened on the platform; the order matches the alternatives of Payload.
enum class EventType {
    kRegistration,
    kLogin,
    kSessionEnd,
    kDeposit,
    kWithdrawal,
    kBet,
    kWin,
    kBonus
};
/// The wire name: "registration", "login", "session_end", "deposit", ...
[[nodiscard]] std::string_view to_string(EventType type) noexcept;
/// The type of a wire name, or nullopt.
[[nodiscard]] std::optional<EventType> find_event_type(std::string_view text) noexcept;
/// Parses a wire name; throws ValidationError(field "type").
[[nodiscard]] EventType parse_event_type(std::string_view text);

/// Lifecycle of a deposit.
enum class DepositStatus { kApproved, kDeclined, kPending };
/// "approved", "declined", "pending".
[[nodiscard]] std::string_view to_string(DepositStatus status) noexcept;
/// The status of a wire name, or nullopt.
[[nodiscard]] std::optional<DepositStatus> find_deposit_status(std::string_view text) noexcept;
/// Parses a wire name; throws ValidationError(field "status").
[[nodiscard]] DepositStatus parse_deposit_status(std::string_view text);

/// Lifecycle of a withdrawal.
enum class WithdrawalStatus { kRequested, kApproved, kPaid, kRejected, kCancelled };
/// "requested", "approved", "paid", "rejected", "cancelled".
[[nodiscard]] std::string_view to_string(WithdrawalStatus status) noexcept;
/// The status of a wire name, or nullopt.
[[nodiscard]] std::optional<WithdrawalStatus> find_withdrawal_status(
    std::string_view text) noexcept;
/// Parses a wire name; throws ValidationError(field "status").
[[nodiscard]] WithdrawalStatus parse_withdrawal_status(std::string_view text);

/// What a bonus event records.
enum class BonusKind { kGranted, kWagered, kForfeited };
/// "granted", "wagered", "forfeited".
[[nodiscard]] std::string_view to_string(BonusKind kind) noexcept;
/// The kind of a wire name, or nullopt.
[[nodiscard]] std::optional<BonusKind> find_bonus_kind(std::string_view text) noexcept;
/// Parses a wire name; throws ValidationError(field "kind").
[[nodiscard]] BonusKind parse_bonus_kind(std::string_view text);

/// Marketing consents sent with a registration; an absent channel is no consent.
struct RegistrationConsents {
    bool email = false;      ///< consents to marketing e-mail
    bool sms = false;        ///< consents to marketing SMS
    bool push = false;       ///< consents to push notifications
    bool messenger = false;  ///< consents to messenger contact
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const RegistrationConsents&, const RegistrationConsents&) = default;
};

/// A new player, or new profile data for a known one.
struct Registration {
    std::string country;                        ///< ISO 3166-1 alpha-2 shape, "MT"
    Date birth_date;                            ///< a real calendar date
    Currency currency;                          ///< the player's wallet currency
    std::optional<std::string> language;        ///< ISO 639-1 shape, "en"
    std::optional<std::string> email;           ///< as sent; validated by the players module
    std::optional<std::string> phone;           ///< as sent; validated by the players module
    std::optional<std::string> traffic_source;  ///< free text
    std::optional<std::string> affiliate_id;    ///< free text
    RegistrationConsents consents;              ///< absent consents object: all false
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Registration&, const Registration&) = default;
};

/// A player logged in, opening a session.
struct Login {
    std::string session_id;                 ///< the platform's session id
    std::optional<std::string> device;      ///< free text ("ios", "web", ...)
    std::optional<std::string> ip_country;  ///< ISO 3166-1 alpha-2 shape
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Login&, const Login&) = default;
};

/// A session ended.
struct SessionEnd {
    std::string session_id;         ///< the platform's session id
    std::chrono::seconds duration;  ///< whole seconds, >= 0
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const SessionEnd&, const SessionEnd&) = default;
};

/// A deposit, in one state of its lifecycle (same transaction_id, later status).
struct Deposit {
    std::string transaction_id;         ///< the platform's transaction id
    Money amount;                       ///< >= 0, in the event's currency
    std::optional<std::string> method;  ///< free text ("card", "skrill", ...)
    DepositStatus status;               ///< where the deposit is in its lifecycle
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Deposit&, const Deposit&) = default;
};

/// A withdrawal, in one state of its lifecycle.
struct Withdrawal {
    std::string transaction_id;         ///< the platform's transaction id
    Money amount;                       ///< >= 0, in the event's currency
    std::optional<std::string> method;  ///< free text
    WithdrawalStatus status;            ///< where the withdrawal is in its lifecycle
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Withdrawal&, const Withdrawal&) = default;
};

/// A stake placed in a game round.
struct Bet {
    std::string round_id;   ///< the platform's round id
    std::string game_id;    ///< the platform's game id
    std::string game_type;  ///< open set, [a-z_]{1,32}: "slots", "live_casino", "table", ...
    Money amount;           ///< >= 0
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Bet&, const Bet&) = default;
};

/// A payout of a game round.
struct Win {
    std::string round_id;  ///< the platform's round id
    std::string game_id;   ///< the platform's game id
    Money amount;          ///< >= 0
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Win&, const Win&) = default;
};

/// A bonus granted, wagered through or forfeited.
struct Bonus {
    std::string bonus_id;  ///< the platform's bonus id
    BonusKind kind;        ///< granted, wagered or forfeited
    Money amount;          ///< >= 0
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Bonus&, const Bonus&) = default;
};

/// The type-specific part of an event; alternative i is EventType i.
using Payload = std::variant<Registration, Login, SessionEnd, Deposit, Withdrawal, Bet, Win, Bonus>;

/// One validated platform event.
struct Event {
    std::string event_id;   ///< the platform's unique event id, 1-128 bytes
    std::string player_id;  ///< the platform's player id, 1-128 bytes
    Timestamp occurred_at;  ///< UTC
    Payload payload;        ///< the fields of this event's type

    /// The event's type (derived from the payload, so the two cannot disagree).
    [[nodiscard]] EventType type() const noexcept {
        return static_cast<EventType>(payload.index());
    }
    /// Field-wise equality, for tests and deduplication.
    friend bool operator==(const Event&, const Event&) = default;
};

/// The amount of a money event (deposit, withdrawal, bet, win, bonus); nullopt for the others.
[[nodiscard]] std::optional<Money> amount_of(const Event& event) noexcept;

/// Why an event was refused: the field at fault ("json" for malformed JSON) and a reason that
/// starts with it, e.g. "amount: 12.345 has 3 decimals, EUR allows 2". Never personal data.
struct Rejection {
    std::string field;   ///< "amount", "type", "json", ...
    std::string reason;  ///< "<field>: <problem>"
    /// Field-wise equality, so tests can compare whole rejections.
    friend bool operator==(const Rejection&, const Rejection&) = default;
};

/// Either a valid Event or a Rejection.
class ParseResult {
public:
    /// An accepted event.
    ParseResult(Event event) : value_(std::move(event)) {}  // NOLINT(google-explicit-constructor)
    /// A refused event.
    ParseResult(Rejection rejection)  // NOLINT(google-explicit-constructor)
        : value_(std::move(rejection)) {}

    /// True when the input was a valid event.
    [[nodiscard]] bool ok() const noexcept { return value_.index() == 0; }
    /// The event; throws std::bad_variant_access when !ok().
    [[nodiscard]] const Event& event() const& { return std::get<Event>(value_); }
    /// The event, movable; throws std::bad_variant_access when !ok().
    [[nodiscard]] Event&& event() && { return std::get<Event>(std::move(value_)); }
    /// The rejection; throws std::bad_variant_access when ok().
    [[nodiscard]] const Rejection& rejection() const { return std::get<Rejection>(value_); }

private:
    std::variant<Event, Rejection> value_;
};

/// A reusable event parser: keeps its scratch buffers between calls (the fast way to parse
/// many events). Not thread-safe: one per thread.
class EventParser {
public:
    EventParser();
    ~EventParser();
    EventParser(const EventParser&) = delete;
    EventParser& operator=(const EventParser&) = delete;
    /// Takes over the scratch buffers; the source must not be used afterwards.
    EventParser(EventParser&&) noexcept;
    /// Takes over the scratch buffers; the source must not be used afterwards.
    EventParser& operator=(EventParser&&) noexcept;

    /// Parses and validates one JSON object. Never throws on bad input (only std::bad_alloc).
    [[nodiscard]] ParseResult parse(std::string_view json_text);

private:
    struct State;
    std::unique_ptr<State> state_;
};

/// Parses and validates one event (a JSON object) with a per-thread EventParser.
/// Never throws on bad input (only std::bad_alloc).
[[nodiscard]] ParseResult parse_event(std::string_view json_text);

/// Called once per non-blank JSON Lines line: its 1-based number, its text (without the line
/// end) and the result.
using JsonLinesCallback =
    std::function<void(std::size_t line_number, std::string_view line, ParseResult result)>;

/// Splits JSON Lines text ('\n' or "\r\n" line ends; blank lines skipped) and parses each line.
void parse_events_jsonl(std::string_view text, const JsonLinesCallback& on_line);

}  // namespace pitboss::events
