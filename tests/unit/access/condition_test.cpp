#include "pitboss/access/condition.hpp"

#include <catch2/catch.hpp>

#include "pitboss/core/error.hpp"

using pitboss::Attributes;
using pitboss::Json;
using pitboss::ValidationError;
using pitboss::access::Clause;
using pitboss::access::Condition;
using pitboss::access::ConditionOp;

namespace {

Condition parse(const char* text) { return Condition::parse(text); }

// The field a ValidationError names, or "" when `f` does not throw one.
template <class F>
std::string failing_field(F&& f) {
    try {
        f();
    } catch (const ValidationError& e) {
        return e.field();
    }
    return "";
}

}  // namespace

TEST_CASE("access: the empty condition always holds", "[access]") {
    CHECK(Condition().matches({}));
    CHECK(parse("{}").matches({{"country", "DE"}}));
    CHECK(parse("{}").empty());
    CHECK(Condition().to_json() == Json::object());
}

TEST_CASE("access: eq and ne compare text exactly", "[access]") {
    const Condition eq = parse(R"({"country": {"eq": "DE"}})");
    CHECK(eq.matches({{"country", "DE"}}));
    CHECK_FALSE(eq.matches({{"country", "de"}}));
    CHECK_FALSE(eq.matches({{"country", "DEU"}}));
    CHECK_FALSE(eq.matches({{"country", ""}}));

    const Condition ne = parse(R"({"country": {"ne": "DE"}})");
    CHECK(ne.matches({{"country", "FR"}}));
    CHECK(ne.matches({{"country", "de"}}));
    CHECK_FALSE(ne.matches({{"country", "DE"}}));
}

TEST_CASE("access: eq and ne compare integers numerically", "[access]") {
    const Condition eq = parse(R"({"brand_id": {"eq": 7}})");
    CHECK(eq.matches({{"brand_id", std::int64_t{7}}}));
    CHECK_FALSE(eq.matches({{"brand_id", std::int64_t{8}}}));
    const Condition ne = parse(R"({"brand_id": {"ne": 7}})");
    CHECK(ne.matches({{"brand_id", std::int64_t{-7}}}));
    CHECK_FALSE(ne.matches({{"brand_id", std::int64_t{7}}}));
}

TEST_CASE("access: in and not_in test membership", "[access]") {
    const Condition in = parse(R"({"country": {"in": ["DE", "AT"]}})");
    CHECK(in.matches({{"country", "DE"}}));
    CHECK(in.matches({{"country", "AT"}}));
    CHECK_FALSE(in.matches({{"country", "FR"}}));

    const Condition not_in = parse(R"({"country": {"not_in": ["DE", "AT"]}})");
    CHECK(not_in.matches({{"country", "FR"}}));
    CHECK_FALSE(not_in.matches({{"country", "AT"}}));

    const Condition ints = parse(R"({"brand_id": {"in": [1, 2, 3]}})");
    CHECK(ints.matches({{"brand_id", std::int64_t{3}}}));
    CHECK_FALSE(ints.matches({{"brand_id", std::int64_t{4}}}));
}

TEST_CASE("access: ordering operators compare integers at their bounds", "[access]") {
    auto holds = [](const char* json, std::int64_t amount) {
        return parse(json).matches({{"amount_minor", amount}});
    };
    CHECK(holds(R"({"amount_minor": {"le": 100000}})", 100000));
    CHECK_FALSE(holds(R"({"amount_minor": {"le": 100000}})", 100001));
    CHECK(holds(R"({"amount_minor": {"lt": 100000}})", 99999));
    CHECK_FALSE(holds(R"({"amount_minor": {"lt": 100000}})", 100000));
    CHECK(holds(R"({"amount_minor": {"ge": 0}})", 0));
    CHECK_FALSE(holds(R"({"amount_minor": {"ge": 0}})", -1));
    CHECK(holds(R"({"amount_minor": {"gt": 0}})", 1));
    CHECK_FALSE(holds(R"({"amount_minor": {"gt": 0}})", 0));
    // Numeric, not lexicographic: "9" > "10" as text, 9 < 10 as numbers.
    CHECK(holds(R"({"amount_minor": {"lt": 10}})", 9));
    CHECK(holds(R"({"amount_minor": {"gt": -9223372036854775808}})", 0));
}

TEST_CASE("access: a range on one attribute needs both bounds", "[access]") {
    const Condition range = parse(R"({"amount_minor": {"ge": 100, "le": 200}})");
    REQUIRE(range.clauses().size() == 2);
    CHECK(range.matches({{"amount_minor", std::int64_t{100}}}));
    CHECK(range.matches({{"amount_minor", std::int64_t{200}}}));
    CHECK_FALSE(range.matches({{"amount_minor", std::int64_t{99}}}));
    CHECK_FALSE(range.matches({{"amount_minor", std::int64_t{201}}}));
}

TEST_CASE("access: every clause must hold", "[access]") {
    const Condition both =
        parse(R"({"country": {"in": ["DE", "AT"]}, "amount_minor": {"le": 100000}})");
    CHECK(both.matches({{"country", "AT"}, {"amount_minor", std::int64_t{5}}}));
    CHECK_FALSE(both.matches({{"country", "FR"}, {"amount_minor", std::int64_t{5}}}));
    CHECK_FALSE(both.matches({{"country", "AT"}, {"amount_minor", std::int64_t{100001}}}));
    const Attributes fr{{"country", "FR"}, {"amount_minor", std::int64_t{100001}}};
    REQUIRE(both.first_failure(fr) != nullptr);
    CHECK(both.first_failure({{"country", "AT"}, {"amount_minor", std::int64_t{1}}}) == nullptr);
}

TEST_CASE("access: a missing attribute fails every operator", "[access]") {
    const Attributes other{{"brand", "main"}};
    for (const char* json : {R"({"country": {"eq": "DE"}})", R"({"country": {"ne": "DE"}})",
                             R"({"country": {"in": ["DE"]}})", R"({"country": {"not_in": ["DE"]}})",
                             R"({"amount_minor": {"lt": 5}})", R"({"amount_minor": {"le": 5}})",
                             R"({"amount_minor": {"gt": 5}})", R"({"amount_minor": {"ge": 5}})"}) {
        INFO(json);
        const Condition c = parse(json);
        CHECK_FALSE(c.matches(other));
        CHECK_FALSE(c.matches({}));
        REQUIRE(c.first_failure(other) != nullptr);
        CHECK(c.first_failure(other)->attribute == c.clauses().front().attribute);
    }
}

TEST_CASE("access: a value of the other type fails the clause", "[access]") {
    const Attributes text_amount{{"amount_minor", "5"}};
    for (const char* json :
         {R"({"amount_minor": {"lt": 10}})", R"({"amount_minor": {"le": 10}})",
          R"({"amount_minor": {"gt": 1}})", R"({"amount_minor": {"ge": 1}})",
          R"({"amount_minor": {"eq": 5}})", R"({"amount_minor": {"ne": 6}})",
          R"({"amount_minor": {"in": [5]}})", R"({"amount_minor": {"not_in": [6]}})"}) {
        INFO(json);
        CHECK_FALSE(parse(json).matches(text_amount));
    }
    const Attributes numeric_country{{"country", std::int64_t{49}}};
    CHECK_FALSE(parse(R"({"country": {"eq": "49"}})").matches(numeric_country));
    CHECK_FALSE(parse(R"({"country": {"ne": "DE"}})").matches(numeric_country));
    CHECK_FALSE(parse(R"({"country": {"not_in": ["DE"]}})").matches(numeric_country));
}

TEST_CASE("access: conditions round-trip through JSON", "[access]") {
    const Json j = Json::parse(
        R"({"amount_minor": {"ge": 0, "le": 100000}, "brand_id": {"not_in": [3, 4]},
            "country": {"in": ["DE", "AT"]}, "vip": {"eq": "yes"}, "tier": {"ne": 2},
            "age_days": {"gt": 30, "lt": 400}})");
    const Condition c = Condition::from_json(j);
    CHECK(c.clauses().size() == 8);
    CHECK(c.to_json() == j);
    CHECK(Condition::from_json(c.to_json()) == c);
}

TEST_CASE("access: clauses built in code are validated", "[access]") {
    using V = std::vector<pitboss::AttributeValue>;
    const Condition ok({Clause{"country", ConditionOp::kIn, V{"DE", "AT"}}});
    CHECK(ok.matches({{"country", "AT"}}));
    CHECK(failing_field([] { Condition({Clause{"", ConditionOp::kEq, V{"x"}}}); }) == "condition");
    CHECK(failing_field([] { Condition({Clause{"a", ConditionOp::kEq, V{}}}); }) == "a");
    CHECK(failing_field([] { Condition({Clause{"b", ConditionOp::kEq, V{"x", "y"}}}); }) == "b");
    CHECK(failing_field([] { Condition({Clause{"c", ConditionOp::kIn, V{}}}); }) == "c");
    CHECK(failing_field([] {
              Condition({Clause{"d", ConditionOp::kIn, V{"x", std::int64_t{1}}}});
          }) == "d");
    CHECK(failing_field([] { Condition({Clause{"e", ConditionOp::kLt, V{"10"}}}); }) == "e");
    CHECK(failing_field([] {
              Condition({Clause{"f", ConditionOp::kLe, V{std::int64_t{1}}},
                         Clause{"f", ConditionOp::kLe, V{std::int64_t{2}}}});
          }) == "f");
}

TEST_CASE("access: malformed condition JSON names the attribute at fault", "[access]") {
    auto field_of = [](const char* text) {
        return failing_field([&] { (void)Condition::parse(text); });
    };
    CHECK(field_of("{not json") == "condition");
    CHECK(field_of("[1, 2]") == "condition");
    CHECK(field_of("\"DE\"") == "condition");
    CHECK(field_of("null") == "condition");
    CHECK(field_of(R"({"": {"eq": 1}})") == "condition");
    CHECK(field_of(R"({"country": "DE"})") == "country");
    CHECK(field_of(R"({"country": {}})") == "country");
    CHECK(field_of(R"({"country": {"like": "D%"}})") == "country");
    CHECK(field_of(R"({"country": {"in": "DE"}})") == "country");
    CHECK(field_of(R"({"country": {"in": []}})") == "country");
    CHECK(field_of(R"({"country": {"in": ["DE", 1]}})") == "country");
    CHECK(field_of(R"({"country": {"eq": ["DE"]}})") == "country");
    CHECK(field_of(R"({"country": {"eq": null}})") == "country");
    CHECK(field_of(R"({"country": {"eq": true}})") == "country");
    CHECK(field_of(R"({"country": {"lt": "DE"}})") == "country");
    CHECK(field_of(R"({"amount_minor": {"le": 1000.5}})") == "amount_minor");
    CHECK(field_of(R"({"amount_minor": {"le": 18446744073709551615}})") == "amount_minor");
    CHECK(field_of(R"({"amount_minor": {"le": 1}, "country": {"in": [{}]}})") == "country");
}

TEST_CASE("access: an unknown operator is named in the message", "[access]") {
    try {
        (void)Condition::parse(R"({"country": {"like": "D%"}})");
        FAIL("no error");
    } catch (const ValidationError& e) {
        CHECK(std::string(e.what()).find("'like'") != std::string::npos);
    }
}
