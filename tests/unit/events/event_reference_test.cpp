// The fast parser against a reference decode through nlohmann::json, on generated events: the
// same Event for valid lines, and the same verdict on JSON syntax for corrupted ones.

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "pitboss/events/event.hpp"

using namespace pitboss;
using namespace pitboss::events;
using nlohmann::json;

namespace {

class Generator {
public:
    explicit Generator(unsigned seed) : rng_(seed) {}

    /// One valid event line with random formatting.
    std::string line(int index) {
        json fields = json::object();
        const auto type = static_cast<EventType>(pick(8));
        fields["event_id"] = "evt-" + std::to_string(index);
        fields["player_id"] = text("p");
        fields["occurred_at"] = timestamp();
        fields["type"] = std::string(to_string(type));
        std::string amount_literal;
        const std::string currency = pick_of({"EUR", "USD", "JPY", "BHD", "GBP"});
        switch (type) {
            case EventType::kRegistration:
                fields["country"] = pick_of({"MT", "DE", "SE", "CA"});
                fields["birth_date"] = std::to_string(1950 + pick(50)) + "-0" +
                                       std::to_string(1 + pick(9)) + "-1" +
                                       std::to_string(pick(10));
                fields["currency"] = currency;
                if (pick(2) == 0) fields["language"] = pick_of({"en", "de", "mt"});
                if (pick(2) == 0) fields["email"] = text("mail") + "@example.com";
                if (pick(3) == 0) fields["phone"] = nullptr;
                if (pick(2) == 0) fields["affiliate_id"] = text("aff");
                if (pick(2) == 0) {
                    fields["consents"] = {{"email", pick(2) == 0},
                                          {"sms", pick(2) == 0},
                                          {"push", nullptr},
                                          {"messenger", pick(2) == 0}};
                }
                break;
            case EventType::kLogin:
                fields["session_id"] = text("s");
                if (pick(2) == 0) fields["device"] = text("device");
                if (pick(2) == 0) fields["ip_country"] = "MT";
                break;
            case EventType::kSessionEnd:
                fields["session_id"] = text("s");
                fields["duration_s"] = pick(100000);
                break;
            case EventType::kDeposit:
            case EventType::kWithdrawal:
                fields["transaction_id"] = text("t");
                fields["currency"] = currency;
                fields["status"] = type == EventType::kDeposit
                                       ? pick_of({"approved", "declined", "pending"})
                                       : pick_of({"requested", "paid", "rejected"});
                if (pick(2) == 0) fields["method"] = pick_of({"card", "skrill", "bank"});
                amount_literal = amount(currency);
                break;
            case EventType::kBet:
                fields["round_id"] = text("r");
                fields["game_id"] = pick(4) == 0 ? json(pick(1000)) : json(text("g"));
                fields["game_type"] = pick_of({"slots", "live_casino", "table", "sports"});
                fields["currency"] = currency;
                amount_literal = amount(currency);
                break;
            case EventType::kWin:
                fields["round_id"] = text("r");
                fields["game_id"] = text("g");
                fields["currency"] = currency;
                amount_literal = amount(currency);
                break;
            case EventType::kBonus:
                fields["bonus_id"] = text("b");
                fields["kind"] = pick_of({"granted", "wagered", "forfeited"});
                fields["currency"] = currency;
                amount_literal = amount(currency);
                break;
        }
        if (pick(4) == 0) fields["extension"] = {{"a", {1, 2, "x"}}, {"b", nullptr}};
        const bool ascii = pick(2) == 0;
        std::string out = fields.dump(pick(5) == 0 ? 1 : -1, ' ', ascii);
        if (!amount_literal.empty()) {
            out.insert(out.size() - 1, ",\"amount\":" + amount_literal);
        }
        return out;
    }

    std::size_t pick(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
    }

private:
    std::string pick_of(std::initializer_list<const char*> options) {
        return *(options.begin() + pick(options.size()));
    }

    /// An id with non-ASCII letters, quotes and backslashes now and then (escaped by dump).
    std::string text(const std::string& prefix) {
        static const char* const kExtras[] = {"",   "\xC3\xA9",         "\"q\"",
                                              "\\", "\xF0\x9F\x8E\xB0", "/"};
        return prefix + "-" + std::to_string(pick(1000000)) + kExtras[pick(6)];
    }

    std::string timestamp() {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "20%02zu-%02zu-%02zuT%02zu:%02zu:%02zu%s",
                      10 + pick(20), 1 + pick(12), 1 + pick(28), pick(24), pick(60), pick(60),
                      pick(2) == 0 ? "Z" : ".123+01:00");
        return buffer;
    }

    /// A valid amount literal for the currency: quoted or bare, sometimes with an exponent.
    std::string amount(const std::string& currency) {
        const int digits = currency == "JPY" ? 0 : currency == "BHD" ? 3 : 2;
        std::string value = std::to_string(pick(100000));
        if (digits > 0 && pick(2) == 0) {
            const std::size_t decimals = 1 + pick(static_cast<std::size_t>(digits));
            for (std::size_t i = 0; i < decimals; ++i)
                value += (i == 0 ? "." : "") + std::to_string(pick(10));
        }
        switch (pick(3)) {
            case 0:
                return "\"" + value + "\"";
            case 1:
                return value;
            default:
                return value.find('.') == std::string::npos ? value + "e" + std::to_string(pick(3))
                                                            : value;
        }
    }

    std::mt19937 rng_;
};

/// The reference: nlohmann decodes, the same rules build the Event. Number amounts go through
/// a double here, which is exact for the generated magnitudes after rounding to the currency.
Event reference_decode(const std::string& line) {
    const json j = json::parse(line);
    const auto id = [&](const char* key) {
        const json& v = j.at(key);
        return v.is_string() ? v.get<std::string>() : std::to_string(v.get<std::int64_t>());
    };
    const auto optional_text = [&](const char* key) -> std::optional<std::string> {
        if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
        return j.at(key).get<std::string>();
    };
    const auto money = [&]() {
        const Currency currency = Currency::of(j.at("currency").get<std::string>());
        const json& a = j.at("amount");
        if (a.is_string()) return Money::parse(a.get<std::string>(), currency);
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.*f", currency.minor_digits(), a.get<double>());
        return Money::parse(buffer, currency);
    };
    const auto type = parse_event_type(j.at("type").get<std::string>());
    Payload payload = Login{};
    switch (type) {
        case EventType::kRegistration: {
            RegistrationConsents consents;
            if (j.contains("consents")) {
                const json& c = j.at("consents");
                consents.email = c.at("email").get<bool>();
                consents.sms = c.at("sms").get<bool>();
                consents.messenger = c.at("messenger").get<bool>();
            }
            payload = Registration{j.at("country").get<std::string>(),
                                   parse_date(j.at("birth_date").get<std::string>()),
                                   Currency::of(j.at("currency").get<std::string>()),
                                   optional_text("language"),
                                   optional_text("email"),
                                   optional_text("phone"),
                                   optional_text("traffic_source"),
                                   optional_text("affiliate_id"),
                                   consents};
            break;
        }
        case EventType::kLogin:
            payload = Login{id("session_id"), optional_text("device"), optional_text("ip_country")};
            break;
        case EventType::kSessionEnd:
            payload = SessionEnd{id("session_id"),
                                 std::chrono::seconds(j.at("duration_s").get<std::int64_t>())};
            break;
        case EventType::kDeposit:
            payload = Deposit{id("transaction_id"), money(), optional_text("method"),
                              parse_deposit_status(j.at("status").get<std::string>())};
            break;
        case EventType::kWithdrawal:
            payload = Withdrawal{id("transaction_id"), money(), optional_text("method"),
                                 parse_withdrawal_status(j.at("status").get<std::string>())};
            break;
        case EventType::kBet:
            payload =
                Bet{id("round_id"), id("game_id"), j.at("game_type").get<std::string>(), money()};
            break;
        case EventType::kWin:
            payload = Win{id("round_id"), id("game_id"), money()};
            break;
        case EventType::kBonus:
            payload =
                Bonus{id("bonus_id"), parse_bonus_kind(j.at("kind").get<std::string>()), money()};
            break;
    }
    return Event{id("event_id"), id("player_id"),
                 parse_timestamp(j.at("occurred_at").get<std::string>()), std::move(payload)};
}

}  // namespace

TEST_CASE("events: the fast parser equals a reference decode on generated events", "[events]") {
    Generator generate(20261122);
    EventParser parser;
    for (int i = 0; i < 3000; ++i) {
        const std::string line = generate.line(i);
        INFO(line);
        const ParseResult result = parser.parse(line);
        if (!result.ok()) FAIL(result.rejection().reason);
        CHECK(result.event() == reference_decode(line));
    }
}

TEST_CASE("events: corrupted lines get the same JSON verdict as nlohmann", "[events]") {
    Generator generate(7);
    EventParser parser;
    int json_rejections = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string line = generate.line(i);
        const std::size_t at = generate.pick(line.size());
        switch (generate.pick(3)) {
            case 0:
                line.erase(at, 1 + generate.pick(3));
                break;
            case 1:
                line[at] = static_cast<char>(generate.pick(256));
                break;
            default:
                line.insert(at, 1, "{}[],:\"\\\x80 e-"[generate.pick(13)]);
                break;
        }
        INFO(line);
        const ParseResult result = parser.parse(line);
        const bool syntax_rejected =
            !result.ok() && result.rejection().field == "json" &&
            result.rejection().reason.find("duplicate key") == std::string::npos;
        const bool reference_object = json::accept(line) && json::parse(line).is_object();
        CHECK(syntax_rejected == !reference_object);
        json_rejections += syntax_rejected ? 1 : 0;
    }
    CHECK(json_rejections > 500);  // the corruption really exercises the syntax checks
}
