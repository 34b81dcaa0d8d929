#include "access/base32.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "pitboss/core/error.hpp"

using pitboss::ValidationError;
using pitboss::access::base32_decode;
using pitboss::access::base32_encode;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

}  // namespace

TEST_CASE("access: base32 encodes the RFC 4648 test vectors", "[access]") {
    CHECK(base32_encode(bytes_of("")).empty());
    CHECK(base32_encode(bytes_of("f")) == "MY======");
    CHECK(base32_encode(bytes_of("fo")) == "MZXQ====");
    CHECK(base32_encode(bytes_of("foo")) == "MZXW6===");
    CHECK(base32_encode(bytes_of("foob")) == "MZXW6YQ=");
    CHECK(base32_encode(bytes_of("fooba")) == "MZXW6YTB");
    CHECK(base32_encode(bytes_of("foobar")) == "MZXW6YTBOI======");
    CHECK(base32_encode(bytes_of("foobar"), /*pad=*/false) == "MZXW6YTBOI");
}

TEST_CASE("access: base32 decodes the RFC 4648 test vectors with and without padding", "[access]") {
    CHECK(base32_decode("").empty());
    CHECK(base32_decode("MY======") == bytes_of("f"));
    CHECK(base32_decode("MZXQ====") == bytes_of("fo"));
    CHECK(base32_decode("MZXW6===") == bytes_of("foo"));
    CHECK(base32_decode("MZXW6YQ=") == bytes_of("foob"));
    CHECK(base32_decode("MZXW6YTB") == bytes_of("fooba"));
    CHECK(base32_decode("MZXW6YTBOI======") == bytes_of("foobar"));
    CHECK(base32_decode("MZXW6YTBOI") == bytes_of("foobar"));
    CHECK(base32_decode("MY") == bytes_of("f"));
}

TEST_CASE("access: base32 decoding ignores case", "[access]") {
    CHECK(base32_decode("mzxw6ytboi") == bytes_of("foobar"));
    CHECK(base32_decode("mZxW6yTbOi======") == bytes_of("foobar"));
}

TEST_CASE("access: base32 round-trips every byte value and length", "[access]") {
    std::vector<std::uint8_t> data;
    for (int i = 0; i < 256; ++i) {
        data.push_back(static_cast<std::uint8_t>(255 - i));
        CHECK(base32_decode(base32_encode(data)) == data);
        CHECK(base32_decode(base32_encode(data, false)) == data);
    }
}

TEST_CASE("access: base32 rejects characters outside the alphabet", "[access]") {
    CHECK_THROWS_AS(base32_decode("MZXW6YT1"), ValidationError);  // '1' is not Base32
    CHECK_THROWS_AS(base32_decode("MZXW6YT8"), ValidationError);
    CHECK_THROWS_AS(base32_decode("MZXW 6YTB"), ValidationError);
    CHECK_THROWS_AS(base32_decode("MZXW-6YTB"), ValidationError);
    CHECK_THROWS_AS(base32_decode("MZ=W6YTB"), ValidationError);
    CHECK_THROWS_AS(base32_decode(std::string("MZXW6YT\0", 8)), ValidationError);
    try {
        (void)base32_decode("MZXW6YT!", "secret");
        FAIL("no exception");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "secret");
    }
}

TEST_CASE("access: base32 rejects impossible lengths, bad padding and stray bits", "[access]") {
    CHECK_THROWS_AS(base32_decode("M"), ValidationError);          // 5 bits: not a byte
    CHECK_THROWS_AS(base32_decode("MZX"), ValidationError);        // 15 bits: no length fits
    CHECK_THROWS_AS(base32_decode("MZXW6Y"), ValidationError);     // 30 bits: no length fits
    CHECK_THROWS_AS(base32_decode("MY====="), ValidationError);    // padding short of 8 chars
    CHECK_THROWS_AS(base32_decode("MY======="), ValidationError);  // too much padding
    CHECK_THROWS_AS(base32_decode("========"), ValidationError);
    CHECK_THROWS_AS(base32_decode("MZ======"), ValidationError);  // non-zero trailing bits
}
