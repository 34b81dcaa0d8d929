#include "pitboss/core/json.hpp"

#include <charconv>
#include <cmath>

#include "pitboss/core/error.hpp"

namespace pitboss {

namespace {

[[noreturn]] void reject(std::string_view field, const std::string& message) {
    throw ValidationError(std::string(field), message);
}

/// A JSON number's text split into its parts: "-2.5e+03" is {"-", "25", 1, 3}.
struct NumberText {
    bool negative = false;
    std::string digits;               // mantissa digits without the point
    std::int64_t integer_digits = 0;  // how many of them stand before the point
    std::int64_t exponent = 0;
};

NumberText split_number(std::string_view text) {
    NumberText n;
    if (!text.empty() && text.front() == '-') {
        n.negative = true;
        text.remove_prefix(1);
    }
    const auto e = text.find_first_of("eE");
    const std::string_view mantissa = text.substr(0, e);
    n.integer_digits = static_cast<std::int64_t>(mantissa.substr(0, mantissa.find('.')).size());
    for (char c : mantissa) {
        if (c != '.') n.digits += c;
    }
    if (e != std::string_view::npos) {
        std::string_view exponent = text.substr(e + 1);
        if (!exponent.empty() && exponent.front() == '+') exponent.remove_prefix(1);
        std::from_chars(exponent.data(), exponent.data() + exponent.size(), n.exponent);
    }
    return n;
}

/// Plain decimal text of a JSON number's shortest text, without exponent and without
/// trailing fraction zeros: "2.51e+01" -> "25.1", "1e-07" -> "0.0000001", "100.0" -> "100".
std::string plain_decimal(std::string_view text) {
    const NumberText n = split_number(text);
    const std::int64_t point = n.integer_digits + n.exponent;
    const auto size = static_cast<std::int64_t>(n.digits.size());
    std::string integer;
    std::string fraction;
    if (point <= 0) {
        integer = "0";
        fraction = std::string(static_cast<std::size_t>(-point), '0') + n.digits;
    } else if (point >= size) {
        integer = n.digits + std::string(static_cast<std::size_t>(point - size), '0');
    } else {
        integer = n.digits.substr(0, static_cast<std::size_t>(point));
        fraction = n.digits.substr(static_cast<std::size_t>(point));
    }
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    return (n.negative ? "-" : "") + integer + (fraction.empty() ? "" : "." + fraction);
}

void check_canonical(const Json& j) {
    switch (j.type()) {
        case Json::value_t::object:
        case Json::value_t::array:
            for (const Json& child : j) check_canonical(child);
            break;
        case Json::value_t::number_float:
            if (!std::isfinite(j.get<double>()))
                reject("json", "NaN and infinity have no JSON form");
            break;
        case Json::value_t::binary:
            reject("json", "binary values have no canonical JSON form");
        default:
            break;
    }
}

}  // namespace

Json money_to_json(const Money& m) {
    return Json{{"amount", m.to_decimal_string()}, {"currency", std::string(m.currency().code())}};
}

Money money_from_json(const Json& j, std::string_view field) {
    if (!j.is_object()) {
        reject(field, "must be an object such as {\"amount\": \"12.34\", \"currency\": \"EUR\"}");
    }
    const std::string currency_field = std::string(field) + ".currency";
    const auto currency = j.find("currency");
    if (currency == j.end() || !currency->is_string()) {
        reject(currency_field, "must be a currency code string such as \"EUR\"");
    }
    const auto amount = j.find("amount");
    if (amount == j.end()) reject(field, "has no \"amount\"");
    return amount_from_json(
        *amount, Currency::of(currency->get_ref<const std::string&>(), currency_field), field);
}

Money amount_from_json(const Json& j, Currency currency, std::string_view field) {
    if (j.is_string()) return Money::parse(j.get_ref<const std::string&>(), currency, field);
    if (j.is_number_float() && !std::isfinite(j.get<double>())) {
        reject(field, "must be a finite number");
    }
    // The serializer prints a double in its shortest round-trip text, so 25.1 reads as "25.1"
    // and is parsed as decimal text: no binary floating-point arithmetic touches the amount.
    if (j.is_number()) return Money::parse(plain_decimal(j.dump()), currency, field);
    reject(field, "must be a decimal string or a number, not " + std::string(j.type_name()));
}

std::string canonical_json(const Json& j) {
    check_canonical(j);
    try {
        return j.dump(-1, ' ', false, Json::error_handler_t::strict);
    } catch (const Json::type_error&) {
        reject("json", "contains a string that is not valid UTF-8");
    }
}

}  // namespace pitboss
