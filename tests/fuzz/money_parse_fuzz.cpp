// libFuzzer target for Money::parse. Invariants, for EUR (2 decimals), JPY (0) and BHD (3):
//  - the only exception parse may throw is pitboss::ValidationError;
//  - what parse accepts matches the grammar ['-'] digit+ ['.' digit{1,minor_digits}];
//  - what matches the grammar is accepted unless it is out of the int64 range;
//  - parse -> to_decimal_string -> parse gives the same Money, and the printed text is stable.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "pitboss/core/error.hpp"
#include "pitboss/core/money.hpp"

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// An independent statement of the accepted grammar (ignores range).
bool matches_grammar(std::string_view text, int minor_digits) {
    if (!text.empty() && text.front() == '-') text.remove_prefix(1);
    const auto point = text.find('.');
    const std::string_view integer = text.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
    const auto all_digits = [](std::string_view s) {
        for (char c : s) {
            if (!is_digit(c)) return false;
        }
        return true;
    };
    if (integer.empty() || !all_digits(integer) || !all_digits(fraction)) return false;
    if (point == std::string_view::npos) return true;
    return !fraction.empty() && fraction.size() <= static_cast<std::size_t>(minor_digits);
}

[[noreturn]] void violated(const char* invariant, std::string_view text, pitboss::Currency c) {
    std::cerr << "invariant violated (" << invariant << ") for " << c.code() << " input of "
              << text.size() << " bytes\n";
    std::abort();
}

void check(std::string_view text, pitboss::Currency currency) {
    const bool grammatical = matches_grammar(text, currency.minor_digits());
    pitboss::Money parsed = pitboss::Money::zero(currency);
    try {
        parsed = pitboss::Money::parse(text, currency);
    } catch (const pitboss::ValidationError& e) {
        if (e.field() != "amount") violated("error names the amount field", text, currency);
        if (grammatical && std::strstr(e.what(), "out of range") == nullptr) {
            violated("grammatical input rejected for a reason other than range", text, currency);
        }
        return;  // any other exception escapes and libFuzzer reports it
    }
    if (!grammatical) violated("accepted input matches the grammar", text, currency);
    if (parsed.currency() != currency) violated("currency kept", text, currency);
    const std::string printed = parsed.to_decimal_string();
    const pitboss::Money reparsed = pitboss::Money::parse(printed, currency);
    if (reparsed != parsed) violated("round trip", text, currency);
    if (reparsed.to_decimal_string() != printed) violated("stable text", text, currency);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const pitboss::Currency kCurrencies[] = {
        pitboss::Currency::of("EUR"), pitboss::Currency::of("JPY"), pitboss::Currency::of("BHD")};
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const pitboss::Currency currency : kCurrencies) check(text, currency);
    return 0;
}
