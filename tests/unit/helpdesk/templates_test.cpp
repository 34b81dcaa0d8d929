// Reply templates: placeholder parsing (errors at save time) and rendering.

#include "pitboss/helpdesk/templates.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "pitboss/core/error.hpp"

using namespace pitboss;
using namespace pitboss::helpdesk;

namespace {

std::string field_of(const std::string& body) {
    try {
        (void)parse_placeholders(body);
    } catch (const ValidationError& e) {
        return e.field() + "|" + e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("templates: placeholders are found in order, spaces ignored", "[helpdesk][templates]") {
    CHECK(
        parse_placeholders("Hello {{player.external_id}}, ticket {{ ticket.id }} is "
                           "{{ticket.status}}. Ticket {{ticket.id}}.") ==
        std::vector<std::string>{"player.external_id", "ticket.id", "ticket.status", "ticket.id"});
    CHECK(parse_placeholders("no placeholders, just { braces }").empty());
    CHECK(parse_placeholders("").empty());
}

TEST_CASE("templates: unknown, empty or unterminated placeholders fail at save time",
          "[helpdesk][templates]") {
    CHECK(field_of("Hi {{player.nickname}}") ==
          "body|body: unknown placeholder 'player.nickname' at offset 3");
    CHECK(field_of("Hi {{  }}") == "body|body: empty placeholder at offset 3");
    CHECK(field_of("Hi {{ticket.id") == "body|body: unterminated '{{' at offset 3");
    CHECK(field_of("{{ticket.id}} and {{Ticket.id}}").find("unknown placeholder 'Ticket.id'") !=
          std::string::npos);
    CHECK_THROWS_AS(parse_placeholders("{{player.first_name}}"), ValidationError);
}

TEST_CASE("templates: rendering fills every placeholder", "[helpdesk][templates]") {
    const TemplateValues values{
        {"player.external_id", "P-7"}, {"ticket.id", "42"}, {"agent.name", "alice"}};
    CHECK(render_template(
              "Dear {{player.external_id}}, re #{{ ticket.id }}: {{agent.name}}{{ticket.id}}",
              values) == "Dear P-7, re #42: alice42");
    CHECK(render_template("plain text", values) == "plain text");
}

TEST_CASE("templates: a placeholder without a value is an error, never a blank",
          "[helpdesk][templates]") {
    const TemplateValues values{{"ticket.id", "42"}, {"player.email", ""}};
    try {
        (void)render_template("Hi {{player.external_id}} #{{ticket.id}}", values);
        FAIL("no exception");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "player.external_id");
    }
    CHECK_THROWS_AS(render_template("{{player.email}}", values), ValidationError);
    CHECK_THROWS_AS(render_template("{{nope}}", values), ValidationError);
}

TEST_CASE("templates: the catalogue lists the documented placeholders", "[helpdesk][templates]") {
    const auto& known = known_placeholders();
    CHECK(known.size() == 11);
    CHECK(std::find(known.begin(), known.end(), "ticket.id") != known.end());
    CHECK(std::find(known.begin(), known.end(), "agent.name") != known.end());
}
