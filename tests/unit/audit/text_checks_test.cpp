#include "audit/text_checks.hpp"

#include <catch2/catch.hpp>

#include "pitboss/core/error.hpp"

namespace pitboss::audit::detail {

TEST_CASE("audit: UTF-8 validation accepts well-formed text", "[audit]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("player.registered"));
    CHECK(is_valid_utf8("Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x8e\xb0"));  // ë € 🎰
    CHECK(is_valid_utf8("\xf4\x8f\xbf\xbf"));                          // U+10FFFF
}

TEST_CASE("audit: UTF-8 validation refuses malformed text", "[audit]") {
    CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation
    CHECK_FALSE(is_valid_utf8("\xc3"));              // truncated
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong 3-byte
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xe2\x28\xa1"));      // bad continuation
}

TEST_CASE("audit: labels must be short printable UTF-8", "[audit]") {
    CHECK_NOTHROW(check_label("player:42", "target"));
    CHECK_THROWS_AS(check_label("", "target"), ValidationError);
    CHECK_THROWS_AS(check_label(std::string(257, 'a'), "target"), ValidationError);
    CHECK_THROWS_AS(check_label(std::string("a\0b", 3), "target"), ValidationError);
    CHECK_THROWS_AS(check_label("a\nb", "action"), ValidationError);
    CHECK_THROWS_AS(check_label("\xff", "action"), ValidationError);
    try {
        check_label("", "action");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "action");
    }
}

}  // namespace pitboss::audit::detail
