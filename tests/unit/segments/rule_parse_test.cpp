#include <catch2/catch.hpp>
#include <string>

#include "pitboss/segments/rule.hpp"
#include "segments/lexer.hpp"

using namespace pitboss::segments;

namespace {

// The message (without the "rule: " prefix) of the RuleError `text` raises.
std::string error_of(const std::string& text) {
    try {
        (void)parse_rule(text);
    } catch (const RuleError& e) {
        CHECK(std::string(e.what()) == "rule: " + e.detail());
        CHECK(e.field() == "rule");
        return e.detail();
    }
    return "<no error>";
}

std::size_t column_of(const std::string& text) {
    try {
        (void)parse_rule(text);
    } catch (const RuleError& e) {
        return e.column();
    }
    return 0;
}

}  // namespace

TEST_CASE("the issue's example rule parses", "[segments][rule]") {
    const Rule r = parse_rule(
        R"(country in ("DE", "AT") and deposit_sum_30d >= 100 and days_since_last_login > 14 and not self_excluded)");
    CHECK(
        r.to_string() ==
        R"((country in ("DE", "AT") and deposit_sum_30d >= 100 and days_since_last_login > 14 and not self_excluded))");
    CHECK(r.fields() == std::vector<std::string>{"country", "days_since_last_login",
                                                 "deposit_sum_30d", "self_excluded"});
    CHECK(r.segments().empty());
}

TEST_CASE("every operator and literal kind parses to a canonical form", "[segments][rule]") {
    const std::pair<const char*, const char*> cases[] = {
        {"age = 30", "age = 30"},
        {"age == 30", "age = 30"},
        {"age <> 30", "age != 30"},
        {"age != 30", "age != 30"},
        {"age < 30", "age < 30"},
        {"age <= 30", "age <= 30"},
        {"age > 30", "age > 30"},
        {"age >= 30", "age >= 30"},
        {"age between 18 and 25", "age between 18 and 25"},
        {"age not between 18 and 25", "age not between 18 and 25"},
        {"country not in ('DE')", "country not in (\"DE\")"},
        {"traffic_source is null", "traffic_source is null"},
        {"traffic_source IS NOT NULL", "traffic_source is not null"},
        {"registered_at >= 2026-01-31", "registered_at >= 2026-01-31"},
        {"days_since_last_login > 30d", "days_since_last_login > 30d"},
        {"days_since_last_login > 2w", "days_since_last_login > 14d"},
        {"deposit_sum_30d >= 100.5", "deposit_sum_30d >= 100.5"},
        {"ggr < -0.5", "ggr < -0.5"},
        {"churn_risk > 0.005", "churn_risk > 0.005"},
        {"ggr > -12.05", "ggr > -12.05"},
        {"churn_risk > 0.75", "churn_risk > 0.75"},
        {"consent_email = true", "consent_email = true"},
        {"NOT blocked AND (consent_sms OR consent_push)",
         "(not blocked and (consent_sms or consent_push))"},
        {"true", "true"},
        {"false or blocked", "(false or blocked)"},
        {"ab_bucket(\"homepage\", 2) = 1", "ab_bucket(\"homepage\", 2) = 1"},
        {"ab_bucket(homepage, 10) in (0, 1)", "ab_bucket(\"homepage\", 10) in (0, 1)"},
        {"in_segment(vip) and not in_segment(\"churners 2\")",
         "(in_segment(\"vip\") and not in_segment(\"churners 2\"))"},
        {"affiliate_id = \"a\\\"b\\\\c\"", "affiliate_id = \"a\\\"b\\\\c\""},
        {"player_id in (1, 2, 3)", "player_id in (1, 2, 3)"},
        {"deposit_count = 3.00", "deposit_count = 3.00"},
    };
    for (const auto& [text, canonical] : cases) {
        INFO(text);
        CHECK(parse_rule(text).to_string() == canonical);
    }
    // Canonical text parses to itself.
    for (const auto& c : cases) {
        const std::string once = parse_rule(c.first).to_string();
        CHECK(parse_rule(once).to_string() == once);
    }
}

TEST_CASE("and binds tighter than or; not binds tightest", "[segments][rule]") {
    CHECK(parse_rule("blocked or self_excluded and consent_sms").to_string() ==
          "(blocked or (self_excluded and consent_sms))");
    CHECK(parse_rule("not blocked and consent_sms").to_string() == "(not blocked and consent_sms)");
    CHECK(parse_rule("not (blocked and consent_sms)").to_string() ==
          "not (blocked and consent_sms)");
    CHECK(parse_rule("((blocked))").to_string() == "blocked");
}

TEST_CASE("dependencies are listed", "[segments][rule]") {
    const Rule r = parse_rule(
        "in_segment(b) or in_segment(a) or in_segment(b) or "
        "ab_bucket(x, 2) = 0");
    CHECK(r.segments() == std::vector<std::string>{"a", "b"});
    CHECK(r.fields() == std::vector<std::string>{"player_id"});
}

TEST_CASE("unknown fields name the column and suggest a field", "[segments][rule][errors]") {
    CHECK(error_of("country = \"DE\" and deposit_sum_31d >= 100") ==
          "unknown field 'deposit_sum_31d' at column 20; did you mean deposit_sum_30d?");
    CHECK(column_of("country = \"DE\" and deposit_sum_31d >= 100") == 20);
    CHECK(error_of("contry = \"DE\"") ==
          "unknown field 'contry' at column 1; did you mean country?");
    CHECK(error_of("Country = \"DE\"") ==
          "unknown field 'Country' at column 1; did you mean country?");
    CHECK(error_of("zzzzzzzzzz > 1") ==
          "unknown field 'zzzzzzzzzz' at column 1; see docs/segments.md for the fields");
    CHECK(error_of("ab_buckt(x, 2) = 1") ==
          "unknown field 'ab_buckt' at column 1; did you mean ab_bucket?");
}

TEST_CASE("lexical errors", "[segments][rule][errors]") {
    CHECK(error_of("country = \"DE") == "unterminated string at column 11");
    CHECK(error_of("country = 'DE\\") == "unterminated string at column 11");
    CHECK(error_of("country = \"D\\nE\"") ==
          "unknown escape '\\n' at column 13; only \\\\, \\\" and \\' are allowed");
    CHECK(error_of("days_since_last_login > 30x") ==
          "bad duration '30x' at column 25; durations are whole days (30d) or weeks (2w)");
    CHECK(error_of("days_since_last_login > 1.5d") ==
          "bad duration '1.5d' at column 25; durations are whole days (30d) or weeks (2w)");
    CHECK(error_of("days_since_last_login > 9999999999d") ==
          "duration '9999999999d' is too large at column 25");
    CHECK(error_of("registered_at > 2026-02-30") == "invalid date '2026-02-30' at column 17");
    CHECK(error_of("registered_at > 2026-2-3") ==
          "malformed date '2026-2-3' at column 17; write YYYY-MM-DD");
    CHECK(error_of("deposit_count > 99999999999999999999") ==
          "number '99999999999999999999' is too large at column 17");
    CHECK(error_of("deposit_sum > 5.") ==
          "malformed number '5.' at column 15; write digits after the decimal point");
    CHECK(error_of("age > 3 # comment") == "unexpected character '#' at column 9");
    CHECK(error_of("age > - 3") == "'-' must start a number at column 7");
    CHECK(error_of("age ! 3") == "unexpected character '!' at column 5");
}

TEST_CASE("syntax errors", "[segments][rule][errors]") {
    CHECK(error_of("") == "empty rule at column 1");
    CHECK(error_of("   ") == "empty rule at column 1");
    CHECK(error_of("age >") == "expected a value, found end of rule at column 6");
    CHECK(error_of("age 30") ==
          "expected an operator after age, found '30' at column 5; use = != < <= > >= in, not "
          "in, between or is null");
    CHECK(error_of("country") ==
          "expected an operator after country, found end of rule at column 8; use = != < <= > "
          ">= in, not in, between or is null");
    CHECK(error_of("(blocked") == "expected ')', found end of rule at column 9");
    CHECK(error_of("blocked)") ==
          "unexpected ')' at column 8; expected 'and', 'or' or the end of the rule");
    CHECK(error_of("blocked and") == "expected a field, found end of rule at column 12");
    CHECK(error_of("country in \"DE\"") ==
          "expected '(' after in, found string \"DE\" at column 12");
    CHECK(error_of("country in ()") == "empty list at column 13");
    CHECK(error_of("country in (\"DE\" \"AT\")") ==
          "expected ',' or ')', found string \"AT\" at column 18");
    CHECK(error_of("age between 1 or 2") == "expected 'and' in between, found 'or' at column 15");
    CHECK(error_of("age is 3") == "expected 'null' after 'is', found '3' at column 8");
    CHECK(error_of("country = DE") ==
          "expected a value, found 'DE' at column 11; quote strings: \"DE\"");
    CHECK(error_of("country = null") ==
          "null is not a value at column 11; test it with 'is null' or 'is not null'");
    CHECK(error_of("ab_bucket(x) = 1") ==
          "expected ',' and a bucket count, found ')' at column 12");
    CHECK(error_of("ab_bucket(x, 0) = 1") ==
          "ab_bucket needs a whole number of buckets from 1 to 1000000, found '0' at column 14");
    CHECK(error_of("ab_bucket(x, 2) is null") ==
          "ab_bucket(...) is never null at column 1; compare it with a number");
    CHECK(error_of("in_segment() ") == "expected a name, found ')' at column 12");
    CHECK(error_of("in_segment(\"\")") == "empty name at column 12");
    CHECK(error_of("= 3") == "expected a field, found '=' at column 1");
    std::string deep;
    for (int i = 0; i < 300; ++i) deep += "(";
    CHECK(error_of(deep + "blocked") == "rule nests too deeply at column 202");
    std::string nots;
    for (int i = 0; i < 300; ++i) nots += "not ";
    CHECK(error_of(nots + "blocked") == "rule nests too deeply at column 805");
}

TEST_CASE("type errors", "[segments][rule][errors]") {
    CHECK(error_of("country = 3") ==
          "type mismatch: country is a string and cannot be compared with the number 3 at "
          "column 11");
    CHECK(error_of("deposit_sum_30d >= 2026-01-01") ==
          "type mismatch: deposit_sum_30d is money and cannot be compared with the date "
          "2026-01-01 at column 20");
    CHECK(error_of("registered_at > 30") ==
          "type mismatch: registered_at is a timestamp (compare with a date) and cannot be "
          "compared with the number 30 at column 17");
    CHECK(error_of("deposit_count > 1.5") ==
          "type mismatch: deposit_count is an integer and cannot be compared with the number "
          "1.5 at column 17");
    CHECK(error_of("blocked = 1") ==
          "type mismatch: blocked is a boolean and cannot be compared with the number 1 at "
          "column 11");
    CHECK(error_of("blocked > true") ==
          "operator '>' does not apply to the boolean field blocked at column 11; use = true, "
          "= false or the field on its own");
    CHECK(error_of("country < \"DE\"") ==
          "operator '<' does not apply to the string field country at column 11; use =, !=, in "
          "or not in");
    CHECK(error_of("country between \"A\" and \"B\"") ==
          "operator 'between' does not apply to the string field country at column 17; use =, "
          "!=, in or not in");
    CHECK(error_of("age > 30d") ==
          "type mismatch: durations compare only with days_since_* fields, not age at column 7");
    CHECK(error_of("churn_risk > \"high\"") ==
          "type mismatch: churn_risk is a score and cannot be compared with the string \"high\" "
          "at column 14");
    CHECK(error_of("ab_bucket(x, 2) = \"a\"") ==
          "type mismatch: ab_bucket(...) is a bucket number and cannot be compared with the "
          "string \"a\" at column 19");
    CHECK(error_of("age between 40 and 30") ==
          "between bounds reversed: 40 is greater than 30 at column 13; write the smaller bound "
          "first");
    CHECK(error_of("days_since_last_login between 30d and 2w") ==
          "between bounds reversed: 30d is greater than 2w at column 31; write the smaller bound "
          "first");
    CHECK(error_of("days_since_last_login between 30 and 2w") ==
          "between bounds reversed: 30 is greater than 2w at column 31; write the smaller bound "
          "first");
    CHECK(parse_rule("days_since_last_login between 3 and 2w").to_string() ==
          "days_since_last_login between 3 and 14d");
}

TEST_CASE("the lexer reports columns and decodes literals", "[segments][rule]") {
    using pitboss::segments::detail::Token;
    const auto tokens = pitboss::segments::detail::tokenize("a>=-12.50 'x' 2026-01-31 3w");
    REQUIRE(tokens.size() == 7);
    CHECK(tokens[0].column == 1);
    CHECK(tokens[1].text == ">=");
    CHECK(tokens[1].column == 2);
    CHECK(tokens[2].kind == Token::Kind::kNumber);
    CHECK(tokens[2].mantissa == -1250);
    CHECK(tokens[2].scale == 2);
    CHECK(tokens[3].kind == Token::Kind::kString);
    CHECK(tokens[3].text == "x");
    CHECK(tokens[4].kind == Token::Kind::kDate);
    CHECK(tokens[4].days == 20484);
    CHECK(tokens[5].kind == Token::Kind::kDuration);
    CHECK(tokens[5].days == 21);
    CHECK(tokens.back().kind == Token::Kind::kEnd);
    CHECK(tokens.back().column == 28);
}
