// The event parser: one pass of the JSON reader collects the known fields, then the fields of
// the event's type are validated in a fixed order and the first problem becomes the rejection.
// Rejections travel as ValidationError inside this file and leave it as Rejection values.

#include <algorithm>
#include <vector>

#include "core/text.hpp"
#include "events/amount.hpp"
#include "events/event_fields.hpp"
#include "events/json_reader.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/events/event.hpp"

namespace pitboss::events {

using detail::Field;
using detail::FieldValues;
using detail::JsonKind;
using detail::JsonValue;

namespace {

constexpr std::size_t kMaxIdBytes = 128;
constexpr std::size_t kMaxTextBytes = 256;
constexpr std::size_t kMaxGameTypeBytes = 32;
constexpr std::size_t kSmallKeyCount = 16;

[[noreturn]] void reject(Field field, const std::string& problem) {
    throw ValidationError(std::string(detail::field_name(field)), problem);
}

bool has_control_character(std::string_view text) noexcept {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

bool matches(std::string_view text, std::size_t size, bool (*allowed)(char)) noexcept {
    return text.size() == size && std::all_of(text.begin(), text.end(), allowed);
}

bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_game_type_char(char c) noexcept { return is_lower(c) || c == '_'; }

bool is_whole_number(std::string_view literal) noexcept {
    return !literal.empty() &&
           std::all_of(literal.begin(), literal.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Typed access to the collected fields; every accessor throws ValidationError naming the field.
class FieldReader {
public:
    explicit FieldReader(const FieldValues& values) : values_(values) {}

    /// A required id: a non-empty string of at most 128 bytes, or a JSON integer as its text.
    std::string id(Field field) const {
        const JsonValue& value = required(field);
        if (value.kind == JsonKind::kNumber && is_whole_number(value.text)) {
            return std::string(checked_text(field, value.text, kMaxIdBytes));
        }
        expect_kind(field, value, JsonKind::kString, "a string id");
        return std::string(checked_text(field, value.text, kMaxIdBytes));
    }

    /// A required string of at most 256 bytes.
    std::string_view text(Field field) const {
        const JsonValue& value = required(field);
        expect_kind(field, value, JsonKind::kString, "a string");
        return checked_text(field, value.text, kMaxTextBytes);
    }

    /// An optional string: absent, null and "" are all "not given".
    std::optional<std::string> optional_text(Field field) const {
        const JsonValue* value = values_.find(field);
        if (value == nullptr || value->kind == JsonKind::kNull) return std::nullopt;
        expect_kind(field, *value, JsonKind::kString, "a string or null");
        if (value->text.empty()) return std::nullopt;
        return std::string(checked_text(field, value->text, kMaxTextBytes));
    }

    /// A required two-letter code: "MT" (upper) or "en" (lower).
    std::string code2(Field field, bool upper) const {
        return std::string(checked_code2(field, text(field), upper));
    }

    /// An optional two-letter code.
    std::optional<std::string> optional_code2(Field field, bool upper) const {
        auto code = optional_text(field);
        if (code) checked_code2(field, *code, upper);
        return code;
    }

    Timestamp timestamp(Field field) const {
        return parse_timestamp(text(field), field_name(field));
    }
    Date date(Field field) const { return parse_date(text(field), field_name(field)); }

    Currency currency() const {
        const std::string_view code = text(Field::kCurrency);
        if (!Currency::is_known(code)) {
            reject(Field::kCurrency,
                   "unknown currency " + pitboss::detail::quote_for_message(code));
        }
        return Currency::of(code);
    }

    /// The amount in the event's currency: a decimal string or an exactly expanded number.
    Money amount(Currency currency) const {
        const JsonValue& value = required(Field::kAmount);
        if (value.kind == JsonKind::kString) {
            return detail::parse_non_negative_amount(value.text, currency);
        }
        expect_kind(Field::kAmount, value, JsonKind::kNumber, "a decimal string or a number");
        return detail::parse_non_negative_amount(detail::expand_exponent(value.text), currency);
    }

    std::chrono::seconds whole_seconds(Field field) const {
        const JsonValue& value = required(field);
        expect_kind(field, value, JsonKind::kNumber, "a whole number of seconds");
        // Up to 18 digits fits int64 without an overflow check.
        if (!is_whole_number(value.text) || value.text.size() > 18) {
            reject(field, pitboss::detail::shorten_for_message(value.text) +
                              " is not a non-negative whole number of seconds");
        }
        std::int64_t seconds = 0;
        for (char c : value.text) seconds = seconds * 10 + (c - '0');
        return std::chrono::seconds(seconds);
    }

    std::string game_type() const {
        const std::string_view type = text(Field::kGameType);
        if (type.empty() || type.size() > kMaxGameTypeBytes ||
            !std::all_of(type.begin(), type.end(), is_game_type_char)) {
            reject(Field::kGameType, pitboss::detail::quote_for_message(type) +
                                         " is not a game type: expected [a-z_]{1,32}");
        }
        return std::string(type);
    }

    /// A required enumerated value, looked up by `find`.
    template <typename Enum>
    Enum choice(Field field, std::optional<Enum> (*find)(std::string_view) noexcept,
                Enum (*parse)(std::string_view)) const {
        const std::string_view name = text(field);
        if (auto found = find(name)) return *found;
        return parse(name);  // throws the ValidationError listing the names
    }

    /// The consents object of a registration; absent or null: no consent.
    RegistrationConsents consents(std::string& scratch) const {
        const JsonValue* value = values_.find(Field::kConsents);
        if (value == nullptr || value->kind == JsonKind::kNull) return {};
        expect_kind(Field::kConsents, *value, JsonKind::kObject, "an object");
        return read_consents(value->text, scratch);
    }

private:
    static RegistrationConsents read_consents(std::string_view object, std::string& scratch) {
        RegistrationConsents consents;
        unsigned seen = 0;
        detail::JsonObjectReader reader(object, scratch);
        std::string_view key;
        JsonValue value;
        while (reader.next(key, value)) {
            bool* flag = key == "email"       ? &consents.email
                         : key == "sms"       ? &consents.sms
                         : key == "push"      ? &consents.push
                         : key == "messenger" ? &consents.messenger
                                              : nullptr;
            if (flag == nullptr) continue;  // unknown channels are ignored
            const unsigned bit = 1U << (flag - &consents.email);
            const std::string field = "consents." + std::string(key);
            if ((seen & bit) != 0) throw ValidationError(field, "duplicate key");
            seen |= bit;
            if (value.kind == JsonKind::kNull) continue;
            if (value.kind != JsonKind::kTrue && value.kind != JsonKind::kFalse) {
                throw ValidationError(field, "expected true, false or null, got " +
                                                 std::string(detail::kind_name(value.kind)));
            }
            *flag = value.kind == JsonKind::kTrue;
        }
        return consents;
    }

    const JsonValue& required(Field field) const {
        const JsonValue* value = values_.find(field);
        if (value == nullptr) reject(field, "missing");
        return *value;
    }

    static void expect_kind(Field field, const JsonValue& value, JsonKind kind,
                            std::string_view expected) {
        if (value.kind == kind) return;
        reject(field, "expected " + std::string(expected) + ", got " +
                          std::string(detail::kind_name(value.kind)));
    }

    static std::string_view checked_text(Field field, std::string_view text, std::size_t max) {
        if (text.empty()) reject(field, "empty");
        if (text.size() > max) {
            reject(field, "longer than " + std::to_string(max) + " bytes");
        }
        if (has_control_character(text)) reject(field, "contains a control character");
        return text;
    }

    static std::string_view checked_code2(Field field, std::string_view code, bool upper) {
        if (!matches(code, 2, upper ? is_upper : is_lower)) {
            reject(field, pitboss::detail::quote_for_message(code) +
                              (upper ? " is not a two-letter upper-case code such as \"MT\""
                                     : " is not a two-letter lower-case code such as \"en\""));
        }
        return code;
    }

    const FieldValues& values_;
};

Registration read_registration(const FieldReader& in, std::string& scratch) {
    Registration r{.country = in.code2(Field::kCountry, true),
                   .birth_date = in.date(Field::kBirthDate),
                   .currency = in.currency(),
                   .language = in.optional_code2(Field::kLanguage, false),
                   .email = in.optional_text(Field::kEmail),
                   .phone = in.optional_text(Field::kPhone),
                   .traffic_source = in.optional_text(Field::kTrafficSource),
                   .affiliate_id = in.optional_text(Field::kAffiliateId),
                   .consents = {}};
    r.consents = in.consents(scratch);
    return r;
}

Login read_login(const FieldReader& in) {
    return Login{.session_id = in.id(Field::kSessionId),
                 .device = in.optional_text(Field::kDevice),
                 .ip_country = in.optional_code2(Field::kIpCountry, true)};
}

SessionEnd read_session_end(const FieldReader& in) {
    return SessionEnd{.session_id = in.id(Field::kSessionId),
                      .duration = in.whole_seconds(Field::kDurationS)};
}

Deposit read_deposit(const FieldReader& in) {
    std::string transaction_id = in.id(Field::kTransactionId);
    const Money amount = in.amount(in.currency());
    return Deposit{.transaction_id = std::move(transaction_id),
                   .amount = amount,
                   .method = in.optional_text(Field::kMethod),
                   .status = in.choice(Field::kStatus, find_deposit_status, parse_deposit_status)};
}

Withdrawal read_withdrawal(const FieldReader& in) {
    std::string transaction_id = in.id(Field::kTransactionId);
    const Money amount = in.amount(in.currency());
    return Withdrawal{
        .transaction_id = std::move(transaction_id),
        .amount = amount,
        .method = in.optional_text(Field::kMethod),
        .status = in.choice(Field::kStatus, find_withdrawal_status, parse_withdrawal_status)};
}

Bet read_bet(const FieldReader& in) {
    std::string round_id = in.id(Field::kRoundId);
    std::string game_id = in.id(Field::kGameId);
    std::string game_type = in.game_type();
    return Bet{.round_id = std::move(round_id),
               .game_id = std::move(game_id),
               .game_type = std::move(game_type),
               .amount = in.amount(in.currency())};
}

Win read_win(const FieldReader& in) {
    std::string round_id = in.id(Field::kRoundId);
    std::string game_id = in.id(Field::kGameId);
    return Win{.round_id = std::move(round_id),
               .game_id = std::move(game_id),
               .amount = in.amount(in.currency())};
}

Bonus read_bonus(const FieldReader& in) {
    std::string bonus_id = in.id(Field::kBonusId);
    const BonusKind kind = in.choice(Field::kKind, find_bonus_kind, parse_bonus_kind);
    return Bonus{.bonus_id = std::move(bonus_id), .kind = kind, .amount = in.amount(in.currency())};
}

Payload read_payload(EventType type, const FieldReader& in, std::string& scratch) {
    switch (type) {
        case EventType::kRegistration:
            return read_registration(in, scratch);
        case EventType::kLogin:
            return read_login(in);
        case EventType::kSessionEnd:
            return read_session_end(in);
        case EventType::kDeposit:
            return read_deposit(in);
        case EventType::kWithdrawal:
            return read_withdrawal(in);
        case EventType::kBet:
            return read_bet(in);
        case EventType::kWin:
            return read_win(in);
        case EventType::kBonus:
            return read_bonus(in);
    }
    throw ValidationError("type", "unknown event type");
}

bool is_blank(std::string_view line) noexcept {
    return std::all_of(line.begin(), line.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

struct EventParser::State {
    std::string scratch;
    std::string consents_scratch;
    FieldValues fields;
    std::vector<std::string_view> unknown_keys;

    /// One pass over the object: known fields into `fields`, duplicates refused.
    void collect(std::string_view json_text) {
        fields.clear();
        unknown_keys.clear();
        detail::JsonObjectReader reader(json_text, scratch);
        std::string_view key;
        JsonValue value;
        while (reader.next(key, value)) {
            if (const auto field = detail::find_field(key)) {
                if (!fields.set(*field, value)) reject(*field, "duplicate key");
            } else {
                unknown_keys.push_back(key);
            }
        }
        check_unknown_keys_unique();
    }

    void check_unknown_keys_unique() {
        const auto duplicate = [](std::string_view key) {
            throw ValidationError("json",
                                  "duplicate key " + pitboss::detail::quote_for_message(key));
        };
        if (unknown_keys.size() <= kSmallKeyCount) {
            for (std::size_t i = 0; i < unknown_keys.size(); ++i) {
                for (std::size_t j = i + 1; j < unknown_keys.size(); ++j) {
                    if (unknown_keys[i] == unknown_keys[j]) duplicate(unknown_keys[i]);
                }
            }
            return;
        }
        std::sort(unknown_keys.begin(), unknown_keys.end());
        const auto it = std::adjacent_find(unknown_keys.begin(), unknown_keys.end());
        if (it != unknown_keys.end()) duplicate(*it);
    }

    Event validate() {
        const FieldReader in(fields);
        const EventType type = in.choice(Field::kType, find_event_type, parse_event_type);
        std::string event_id = in.id(Field::kEventId);
        std::string player_id = in.id(Field::kPlayerId);
        const Timestamp occurred_at = in.timestamp(Field::kOccurredAt);
        return Event{.event_id = std::move(event_id),
                     .player_id = std::move(player_id),
                     .occurred_at = occurred_at,
                     .payload = read_payload(type, in, consents_scratch)};
    }
};

EventParser::EventParser() : state_(std::make_unique<State>()) {}
EventParser::~EventParser() = default;
EventParser::EventParser(EventParser&&) noexcept = default;
EventParser& EventParser::operator=(EventParser&&) noexcept = default;

ParseResult EventParser::parse(std::string_view json_text) {
    try {
        state_->collect(json_text);
        return state_->validate();
    } catch (const ValidationError& e) {
        return Rejection{e.field(), e.what()};
    }
}

ParseResult parse_event(std::string_view json_text) {
    thread_local EventParser parser;
    return parser.parse(json_text);
}

void parse_events_jsonl(std::string_view text, const JsonLinesCallback& on_line) {
    EventParser parser;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) continue;
        on_line(line_number, line, parser.parse(line));
    }
}

}  // namespace pitboss::events
