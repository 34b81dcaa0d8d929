#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "pitboss/events/event.hpp"

using namespace pitboss;
using namespace pitboss::events;

namespace {

const std::string kHead =
    R"("event_id":"e-1","player_id":"p-1","occurred_at":"2026-11-22T08:39:00Z",)";

std::string event_json(const std::string& type, const std::string& fields) {
    return "{" + kHead + R"("type":")" + type + "\"" + (fields.empty() ? "" : "," + fields) + "}";
}

std::string deposit_with(const std::string& amount, const std::string& currency = "EUR") {
    return event_json("deposit", R"("transaction_id":"t-1","amount":)" + amount +
                                     R"(,"currency":")" + currency + R"(","status":"approved")");
}

Event accept(const std::string& json) {
    ParseResult result = parse_event(json);
    INFO(json);
    if (!result.ok()) FAIL("rejected: " << result.rejection().reason);
    return std::move(result).event();
}

std::string reason_of(const std::string& json) {
    const ParseResult result = parse_event(json);
    INFO(json);
    REQUIRE_FALSE(result.ok());
    return result.rejection().reason;
}

std::int64_t minor_of(const Event& e) { return amount_of(e).value().minor_units(); }

}  // namespace

TEST_CASE("events: names of types, statuses and kinds round-trip", "[events]") {
    for (int i = 0; i < 8; ++i) {
        const auto type = static_cast<EventType>(i);
        CHECK(parse_event_type(to_string(type)) == type);
    }
    CHECK(to_string(EventType::kSessionEnd) == "session_end");
    CHECK(find_deposit_status("pending") == DepositStatus::kPending);
    CHECK(find_withdrawal_status("cancelled") == WithdrawalStatus::kCancelled);
    CHECK(find_bonus_kind("forfeited") == BonusKind::kForfeited);
    CHECK_FALSE(find_event_type("Deposit").has_value());
    CHECK_THROWS_WITH(parse_bonus_kind("given"),
                      "kind: unknown bonus kind \"given\"; expected \"granted\", \"wagered\" or "
                      "\"forfeited\"");
}

TEST_CASE("events: a registration with every field", "[events]") {
    const Event e = accept(
        event_json("registration",
                   R"("country":"MT","birth_date":"1990-07-14","currency":"EUR","language":"en",)"
                   R"("email":"a@b.mt","phone":"+35699123456","traffic_source":"google",)"
                   R"("affiliate_id":"aff-9",)"
                   R"("consents":{"email":true,"sms":false,"push":true,"messenger":null})"));
    CHECK(e.event_id == "e-1");
    CHECK(e.player_id == "p-1");
    CHECK(format_timestamp(e.occurred_at) == "2026-11-22T08:39:00.000Z");
    REQUIRE(e.type() == EventType::kRegistration);
    const auto& r = std::get<Registration>(e.payload);
    CHECK(r.country == "MT");
    CHECK(format_date(r.birth_date) == "1990-07-14");
    CHECK(r.currency == Currency::of("EUR"));
    CHECK(r.language == "en");
    CHECK(r.email == "a@b.mt");
    CHECK(r.phone == "+35699123456");
    CHECK(r.traffic_source == "google");
    CHECK(r.affiliate_id == "aff-9");
    CHECK(r.consents == RegistrationConsents{true, false, true, false});
    CHECK_FALSE(amount_of(e).has_value());
}

TEST_CASE("events: a minimal registration leaves optional fields empty", "[events]") {
    const Event e = accept(
        event_json("registration", R"("country":"DE","birth_date":"2000-02-29","currency":"JPY",)"
                                   R"("email":null,"affiliate_id":"")"));
    const auto& r = std::get<Registration>(e.payload);
    CHECK_FALSE(r.language.has_value());
    CHECK_FALSE(r.email.has_value());
    CHECK_FALSE(r.affiliate_id.has_value());
    CHECK(r.consents == RegistrationConsents{});
}

TEST_CASE("events: login and session end", "[events]") {
    const Event login =
        accept(event_json("login", R"("session_id":"s-1","device":"ios","ip_country":"MT")"));
    const auto& l = std::get<Login>(login.payload);
    CHECK(l.session_id == "s-1");
    CHECK(l.device == "ios");
    CHECK(l.ip_country == "MT");
    const Event bare = accept(event_json("login", R"("session_id":"s-2")"));
    CHECK_FALSE(std::get<Login>(bare.payload).device.has_value());

    const Event end = accept(event_json("session_end", R"("session_id":"s-1","duration_s":3600)"));
    CHECK(std::get<SessionEnd>(end.payload).duration == std::chrono::seconds(3600));
}

TEST_CASE("events: deposit, withdrawal, bet, win and bonus", "[events]") {
    const Event d =
        accept(event_json("deposit", R"("transaction_id":"t-1","amount":"25.00","currency":"EUR",)"
                                     R"("method":"card","status":"pending")"));
    const auto& deposit = std::get<Deposit>(d.payload);
    CHECK(deposit.transaction_id == "t-1");
    CHECK(deposit.amount == Money(2500, Currency::of("EUR")));
    CHECK(deposit.method == "card");
    CHECK(deposit.status == DepositStatus::kPending);

    const Event w = accept(event_json(
        "withdrawal", R"("transaction_id":"t-2","amount":"100","currency":"GBP","status":"paid")"));
    CHECK(std::get<Withdrawal>(w.payload).status == WithdrawalStatus::kPaid);
    CHECK(std::get<Withdrawal>(w.payload).amount == Money(10000, Currency::of("GBP")));
    CHECK_FALSE(std::get<Withdrawal>(w.payload).method.has_value());

    const Event b =
        accept(event_json("bet", R"("round_id":"r-1","game_id":"starburst","game_type":"slots",)"
                                 R"("amount":1.5,"currency":"EUR")"));
    const auto& bet = std::get<Bet>(b.payload);
    CHECK(bet.round_id == "r-1");
    CHECK(bet.game_id == "starburst");
    CHECK(bet.game_type == "slots");
    CHECK(bet.amount.minor_units() == 150);

    const Event win = accept(event_json(
        "win", R"("round_id":"r-1","game_id":"starburst","amount":"0","currency":"EUR")"));
    CHECK(std::get<Win>(win.payload).amount.is_zero());

    const Event bonus = accept(event_json(
        "bonus", R"("bonus_id":"b-1","kind":"granted","amount":"10.00","currency":"EUR")"));
    CHECK(std::get<Bonus>(bonus.payload).kind == BonusKind::kGranted);
    CHECK(minor_of(bonus) == 1000);
}

TEST_CASE("events: number amounts are exact, exponents expand exactly", "[events]") {
    CHECK(minor_of(accept(deposit_with("25.1"))) == 2510);
    CHECK(minor_of(accept(deposit_with("0.1"))) == 10);
    CHECK(minor_of(accept(deposit_with("19.99"))) == 1999);
    CHECK(minor_of(accept(deposit_with("1e2"))) == 10000);
    CHECK(minor_of(accept(deposit_with("1E+2"))) == 10000);
    CHECK(minor_of(accept(deposit_with("2.50e1"))) == 2500);
    CHECK(minor_of(accept(deposit_with("15e-1"))) == 150);
    CHECK(minor_of(accept(deposit_with("1e-2"))) == 1);
    CHECK(minor_of(accept(deposit_with("0e5"))) == 0);
    CHECK(minor_of(accept(deposit_with("12345", "JPY"))) == 12345);
    CHECK(minor_of(accept(deposit_with("1.234", "BHD"))) == 1234);
    CHECK(minor_of(accept(deposit_with("\"0.005\"", "BHD"))) == 5);
    CHECK(minor_of(accept(deposit_with("92233720368547758.07"))) == INT64_MAX);
}

TEST_CASE("events: bad amounts are rejected with a reason", "[events]") {
    CHECK(reason_of(deposit_with("12.345")) == "amount: 12.345 has 3 decimals, EUR allows 2");
    CHECK(reason_of(deposit_with("\"12.345\"")) == "amount: 12.345 has 3 decimals, EUR allows 2");
    CHECK(reason_of(deposit_with("\"1.5\"", "JPY")) == "amount: 1.5 has 1 decimal, JPY allows 0");
    CHECK(reason_of(deposit_with("1.2345", "BHD")) ==
          "amount: 1.2345 has 4 decimals, BHD allows 3");
    CHECK(reason_of(deposit_with("1e-3")) == "amount: 0.001 has 3 decimals, EUR allows 2");
    CHECK(reason_of(deposit_with("\"-5.00\"")) ==
          "amount: -5.00 is negative; amounts must be >= 0");
    CHECK(reason_of(deposit_with("-5")) == "amount: -5 is negative; amounts must be >= 0");
    CHECK(reason_of(deposit_with("1e31")) == "amount: 1e31 has an exponent beyond +/-30");
    CHECK(reason_of(deposit_with("true")) ==
          "amount: expected a decimal string or a number, got boolean");
    CHECK(reason_of(deposit_with("null")) ==
          "amount: expected a decimal string or a number, got null");
    CHECK(reason_of(deposit_with("[1]")) ==
          "amount: expected a decimal string or a number, got array");
    for (const char* bad : {"\"\"", "\"1e2\"", "\"+5\"", "\".5\"", "\"5.\"", "\" 5\"", "\"1,000\"",
                            "\"abc\"", "99999999999999999999"}) {
        INFO(bad);
        CHECK(reason_of(deposit_with(bad)).rfind("amount: ", 0) == 0);
    }
}

TEST_CASE("events: currency and enumerations are checked", "[events]") {
    CHECK(reason_of(deposit_with("1", "XYZ")) == "currency: unknown currency \"XYZ\"");
    CHECK(reason_of(deposit_with("1", "eur")) == "currency: unknown currency \"eur\"");
    CHECK(reason_of(R"({"type":"deposit2"})") ==
          "type: unknown event type \"deposit2\"; expected \"registration\", \"login\", "
          "\"session_end\", \"deposit\", \"withdrawal\", \"bet\", \"win\" or \"bonus\"");
    CHECK(reason_of(
              event_json("deposit",
                         R"("transaction_id":"t","amount":"1","currency":"EUR","status":"paid")"))
              .rfind("status: unknown deposit status \"paid\"", 0) == 0);
    CHECK(reason_of(
              event_json("withdrawal",
                         R"("transaction_id":"t","amount":"1","currency":"EUR","status":"done")"))
              .rfind("status: unknown withdrawal status \"done\"", 0) == 0);
    CHECK(reason_of(
              event_json("bonus", R"("bonus_id":"b","kind":"given","amount":"1","currency":"EUR")"))
              .rfind("kind: unknown bonus kind \"given\"", 0) == 0);
    CHECK(reason_of(event_json("bet", R"("round_id":"r","game_id":"g","game_type":"Slots",)"
                                      R"("amount":"1","currency":"EUR")")) ==
          "game_type: \"Slots\" is not a game type: expected [a-z_]{1,32}");
    CHECK(reason_of(event_json("bet", R"("round_id":"r","game_id":"g","game_type":")" +
                                          std::string(33, 'a') +
                                          R"(","amount":"1","currency":"EUR")"))
              .rfind("game_type: ", 0) == 0);
}

TEST_CASE("events: every required field of every type is named when missing", "[events]") {
    struct Case {
        std::string type;
        std::string fields;
        std::vector<std::string> required;
    };
    const std::vector<Case> cases = {
        {"registration",
         R"("country":"MT","birth_date":"1990-07-14","currency":"EUR")",
         {"country", "birth_date", "currency"}},
        {"login", R"("session_id":"s")", {"session_id"}},
        {"session_end", R"("session_id":"s","duration_s":5)", {"session_id", "duration_s"}},
        {"deposit",
         R"("transaction_id":"t","amount":"1","currency":"EUR","status":"approved")",
         {"transaction_id", "amount", "currency", "status"}},
        {"withdrawal",
         R"("transaction_id":"t","amount":"1","currency":"EUR","status":"requested")",
         {"transaction_id", "amount", "currency", "status"}},
        {"bet",
         R"("round_id":"r","game_id":"g","game_type":"slots","amount":"1","currency":"EUR")",
         {"round_id", "game_id", "game_type", "amount", "currency"}},
        {"win",
         R"("round_id":"r","game_id":"g","amount":"1","currency":"EUR")",
         {"round_id", "game_id", "amount", "currency"}},
        {"bonus",
         R"("bonus_id":"b","kind":"wagered","amount":"1","currency":"EUR")",
         {"bonus_id", "kind", "amount", "currency"}},
    };
    for (const Case& c : cases) {
        accept(event_json(c.type, c.fields));
        for (const std::string& field : c.required) {
            // Rename the key so the field is absent but the JSON stays valid.
            std::string fields = c.fields;
            const std::string key = "\"" + field + "\":";
            fields.replace(fields.find(key), key.size(), "\"x_" + field + "\":");
            INFO(c.type << " without " << field);
            CHECK(reason_of(event_json(c.type, fields)) == field + ": missing");
        }
    }
    const std::string common =
        R"("event_id":"e","player_id":"p","occurred_at":"2026-01-01T00:00:00Z",)"
        R"("type":"login","session_id":"s")";
    for (const std::string field : {"event_id", "player_id", "occurred_at", "type"}) {
        std::string json = "{" + common + "}";
        const std::string key = "\"" + field + "\":";
        json.replace(json.find(key), key.size(), "\"x_" + field + "\":");
        CHECK(reason_of(json) == field + ": missing");
    }
}

TEST_CASE("events: ids, texts and codes are checked", "[events]") {
    const auto with_ids = [](const std::string& event_id, const std::string& player_id) {
        return R"({"type":"login","session_id":"s","occurred_at":"2026-01-01T00:00:00Z",)"
               R"("event_id":)" +
               event_id + R"(,"player_id":)" + player_id + "}";
    };
    CHECK(accept(with_ids("\"e\"", "12345")).player_id == "12345");
    CHECK(accept(with_ids("7", "\"p\"")).event_id == "7");
    CHECK(accept(with_ids("\"" + std::string(128, 'x') + "\"", "\"p\"")).event_id.size() == 128);
    CHECK(reason_of(with_ids("\"\"", "\"p\"")) == "event_id: empty");
    CHECK(reason_of(with_ids("\"" + std::string(129, 'x') + "\"", "\"p\"")) ==
          "event_id: longer than 128 bytes");
    CHECK(reason_of(with_ids("\"e\"", "-1")) == "player_id: expected a string id, got number");
    CHECK(reason_of(with_ids("\"e\"", "1.5")) == "player_id: expected a string id, got number");
    CHECK(reason_of(with_ids("\"e\"", "null")) == "player_id: expected a string id, got null");
    CHECK(reason_of(with_ids("\"e\"", "{}")) == "player_id: expected a string id, got object");
    CHECK(reason_of(with_ids("\"a\\u0001b\"", "\"p\"")) ==
          "event_id: contains a control character");

    CHECK(reason_of(event_json("registration",
                               R"("country":"mt","birth_date":"1990-07-14","currency":"EUR")")) ==
          "country: \"mt\" is not a two-letter upper-case code such as \"MT\"");
    CHECK(reason_of(event_json("registration", R"("country":"MT","birth_date":"1990-02-30",)"
                                               R"("currency":"EUR")"))
              .rfind("birth_date: ", 0) == 0);
    CHECK(reason_of(event_json("registration", R"("country":"MT","birth_date":"1990-07-14",)"
                                               R"("currency":"EUR","language":"EN")")) ==
          "language: \"EN\" is not a two-letter lower-case code such as \"en\"");
    CHECK(reason_of(event_json("registration", R"("country":"MT","birth_date":"1990-07-14",)"
                                               R"("currency":"EUR","consents":{"sms":"yes"})")) ==
          "consents.sms: expected true, false or null, got string");
    CHECK(reason_of(event_json("registration", R"("country":"MT","birth_date":"1990-07-14",)"
                                               R"("currency":"EUR","consents":[true])")) ==
          "consents: expected an object, got array");
    CHECK(reason_of(event_json("registration",
                               R"("country":"MT","birth_date":"1990-07-14","currency":"EUR",)"
                               R"("consents":{"sms":true,"sms":false})")) ==
          "consents.sms: duplicate key");
    CHECK(reason_of(event_json("login", R"("session_id":"s","ip_country":"Malta")")) ==
          "ip_country: \"Malta\" is not a two-letter upper-case code such as \"MT\"");
    CHECK(reason_of(event_json("login", R"("session_id":"s","device":7)")) ==
          "device: expected a string or null, got number");
    CHECK(reason_of(event_json("login", R"("session_id":"s","device":")" + std::string(257, 'd') +
                                            "\"")) == "device: longer than 256 bytes");
    for (const char* duration : {"-1", "1.5", "1e3", "\"60\"", "1234567890123456789"}) {
        INFO(duration);
        CHECK(reason_of(event_json("session_end",
                                   R"("session_id":"s","duration_s":)" + std::string(duration)))
                  .rfind("duration_s: ", 0) == 0);
    }
}

TEST_CASE("events: timestamps must be RFC 3339", "[events]") {
    const auto at = [](const std::string& ts) {
        return R"({"type":"login","session_id":"s","event_id":"e","player_id":"p","occurred_at":)" +
               ts + "}";
    };
    CHECK(format_timestamp(accept(at("\"2026-11-22T10:39:00.123+02:00\"")).occurred_at) ==
          "2026-11-22T08:39:00.123Z");
    for (const char* bad :
         {"\"2026-11-22\"", "\"2026-11-22 08:39:00Z\"", "\"2026-13-01T00:00:00Z\"", "\"yesterday\"",
          "\"2026-11-22T08:39:00\""}) {
        INFO(bad);
        CHECK(reason_of(at(bad)).rfind("occurred_at: ", 0) == 0);
    }
    CHECK(reason_of(at("1763800740000")) == "occurred_at: expected a string, got number");
}

TEST_CASE("events: malformed JSON is rejected naming the byte", "[events]") {
    const std::string good = deposit_with("\"1.00\"");
    accept(good);
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
        const ParseResult r = parse_event(std::string_view(good).substr(0, cut));
        INFO(cut);
        REQUIRE_FALSE(r.ok());
        CHECK(r.rejection().field == "json");
    }
    CHECK(reason_of("") ==
          "json: unexpected end of input, expected '{' starting an event object at byte 0");
    CHECK(reason_of("[]") == "json: expected '{' starting an event object at byte 0");
    CHECK(reason_of("\"x\"") == "json: expected '{' starting an event object at byte 0");
    CHECK(reason_of(good + "x") ==
          "json: unexpected characters after the object at byte " + std::to_string(good.size()));
    CHECK(reason_of(good + "{}").rfind("json: unexpected characters after the object", 0) == 0);
    accept(" \t" + good + "\r\n ");
    CHECK(reason_of(R"({"a":1,})") == "json: expected a string key at byte 7");
    CHECK(reason_of(R"({"a" 1})") == "json: expected ':' after a key at byte 5");
    CHECK(reason_of(R"({"a":01})") == "json: invalid number: leading zero at byte 6");
    CHECK(reason_of(R"({"a":1.})").rfind("json: invalid number", 0) == 0);
    CHECK(reason_of(R"({"a":-})").rfind("json: invalid number", 0) == 0);
    CHECK(reason_of(R"({"a":1e})").rfind("json: invalid number", 0) == 0);
    CHECK(reason_of(R"({"a":tru})") == "json: expected a value at byte 5");
    CHECK(reason_of(R"({"a":NaN})") == "json: expected a value at byte 5");
    CHECK(reason_of(R"({a:1})") == "json: expected a string key at byte 1");
    CHECK(reason_of(R"({"a":'x'})") == "json: expected a value at byte 5");
    CHECK(reason_of(R"({"a":[1,2})") == "json: expected ',' or ']' at byte 9");
    CHECK(reason_of(R"({"a":[1,]})") == "json: expected a value at byte 8");
    CHECK(reason_of(R"({"a":{"b"}})") == "json: expected ':' after a key at byte 9");
    CHECK(reason_of("{\"a\":\"x\ty\"}") ==
          "json: control character in a string (escape it) at byte 7");
    CHECK(reason_of(std::string("{\"a\":\"x\0\"}", 10)).rfind("json: control character", 0) == 0);
    const std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
    CHECK(reason_of(deep).rfind("json: values nested too deeply", 0) == 0);
    const std::string nested_ok = "{\"a\":" + std::string(30, '[') + std::string(30, ']') + "}";
    CHECK(parse_event(nested_ok).rejection().field == "type");  // valid JSON, just no type
}

TEST_CASE("events: string escapes and UTF-8", "[events]") {
    const auto with_device = [](const std::string& raw) {
        return event_json("login", R"("session_id":"s","device":")" + raw + "\"");
    };
    const auto device = [&](const std::string& raw) {
        return std::get<Login>(accept(with_device(raw)).payload).device.value();
    };
    CHECK(device(R"(a\"b\\c\/d)") == "a\"b\\c/d");
    CHECK(device(R"(\u0041\u00e9\u20AC)") == "A\xC3\xA9\xE2\x82\xAC");
    CHECK(device(R"(\ud83d\ude00)") == "\xF0\x9F\x98\x80");
    CHECK(device("caf\xC3\xA9 \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xF0\x9F\x98\x80");
    CHECK(device(R"(x\u0041y)") == "xAy");
    CHECK(reason_of(with_device(R"(a\tb)")) == "device: contains a control character");
    CHECK(reason_of(with_device(R"(\x41)")).rfind("json: invalid escape in a string", 0) == 0);
    CHECK(reason_of(with_device(R"(\u12G4)")).rfind("json: invalid hex digit", 0) == 0);
    CHECK(reason_of(with_device(R"(\u12)")).rfind("json: invalid hex digit", 0) == 0);
    CHECK(reason_of(with_device(R"(\ud83d)")).rfind("json: high surrogate escape", 0) == 0);
    CHECK(reason_of(with_device(R"(\ud83dx\ude00)")).rfind("json: high surrogate escape", 0) == 0);
    CHECK(reason_of(with_device(R"(\ud83d\u0041)")).rfind("json: high surrogate escape", 0) == 0);
    CHECK(reason_of(with_device(R"(\ude00)")).rfind("json: unpaired low surrogate", 0) == 0);
    for (const char* bad : {"\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80",
                            "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC3", "\xE2\x82"}) {
        INFO(bad);
        CHECK(reason_of(with_device(bad)).rfind("json: invalid UTF-8 in a string", 0) == 0);
    }
    // Keys are compared after unescaping: "\u0074ype" is "type".
    CHECK(reason_of(R"({"type":"login","\u0074ype":"login"})") == "type: duplicate key");
}

TEST_CASE("events: duplicate keys are rejected, unknown keys ignored", "[events]") {
    CHECK(reason_of(deposit_with("1").insert(1, R"("amount":"2",)")) == "amount: duplicate key");
    CHECK(reason_of(event_json("login", R"("session_id":"s","x":1,"x":2)")) ==
          "json: duplicate key \"x\"");
    std::string many;
    for (int i = 0; i < 40; ++i)
        many += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    accept(event_json("login", many + R"("session_id":"s")"));
    CHECK(reason_of(event_json("login", many + R"("k7":0,"session_id":"s")")) ==
          "json: duplicate key \"k7\"");
    const Event e = accept(event_json(
        "login", R"("session_id":"s","future":{"nested":[1,{"a":null}],"x":"\u00e9"},)"
                 R"("amount":"ignored for a login","v":2.5e10,"t":true,"f":false,"n":null)"));
    CHECK(std::get<Login>(e.payload).session_id == "s");
}

TEST_CASE("events: JSON Lines are split and numbered", "[events]") {
    const std::string login = event_json("login", R"("session_id":"s")");
    const std::string text = login + "\n\n" + login + "\r\n  \r\n" + "{bad}\n" + login;
    std::vector<std::size_t> lines;
    std::vector<bool> oks;
    std::vector<std::string> raw;
    parse_events_jsonl(text, [&](std::size_t n, std::string_view line, ParseResult r) {
        lines.push_back(n);
        oks.push_back(r.ok());
        raw.emplace_back(line);
    });
    CHECK(lines == std::vector<std::size_t>{1, 3, 5, 6});
    CHECK(oks == std::vector<bool>{true, true, false, true});
    CHECK(raw[1] == login);  // no '\r'
    CHECK(raw[2] == "{bad}");

    std::size_t calls = 0;
    parse_events_jsonl("", [&](std::size_t, std::string_view, ParseResult) { ++calls; });
    parse_events_jsonl("\n\r\n   \n", [&](std::size_t, std::string_view, ParseResult) { ++calls; });
    CHECK(calls == 0);
    parse_events_jsonl(login + "\n", [&](std::size_t n, std::string_view, ParseResult r) {
        CHECK(n == 1);
        CHECK(r.ok());
        ++calls;
    });
    CHECK(calls == 1);
}

TEST_CASE("events: a reused parser gives the same results", "[events]") {
    EventParser parser;
    const std::string escaped = event_json("login", R"("session_id":"s\u0031","device":"d\u0032")");
    const std::string plain = event_json("login", R"("session_id":"s1")");
    for (int i = 0; i < 3; ++i) {
        CHECK(std::get<Login>(parser.parse(escaped).event().payload).device == "d2");
        CHECK(std::get<Login>(parser.parse(plain).event().payload).session_id == "s1");
        CHECK_FALSE(parser.parse("{").ok());
    }
}
