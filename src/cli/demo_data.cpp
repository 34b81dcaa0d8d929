#include "cli/demo_data.hpp"

#include <array>
#include <chrono>
#include <string>

namespace pitboss::cli {
namespace {

using namespace std::chrono;

constexpr std::array<LanguageShare, 1> kGerman = {{{"de", 1}}};
constexpr std::array<LanguageShare, 1> kEnglish = {{{"en", 1}}};
constexpr std::array<LanguageShare, 2> kSwedish = {{{"sv", 9}, {"en", 1}}};
constexpr std::array<LanguageShare, 3> kFinnish = {{{"fi", 17}, {"sv", 2}, {"en", 1}}};
constexpr std::array<LanguageShare, 2> kNorwegian = {{{"no", 17}, {"en", 3}}};
constexpr std::array<LanguageShare, 2> kMaltese = {{{"en", 3}, {"mt", 2}}};
constexpr std::array<LanguageShare, 2> kCanadian = {{{"en", 3}, {"fr", 1}}};
constexpr std::array<LanguageShare, 1> kPortuguese = {{{"pt", 1}}};
constexpr std::array<LanguageShare, 2> kDutch = {{{"nl", 9}, {"en", 1}}};
constexpr std::array<LanguageShare, 3> kSwiss = {{{"de", 6}, {"fr", 3}, {"it", 1}}};
constexpr std::array<LanguageShare, 1> kDanish = {{{"da", 1}}};
constexpr std::array<LanguageShare, 1> kPolish = {{{"pl", 1}}};
constexpr std::array<LanguageShare, 1> kSpanish = {{{"es", 1}}};

// Weights are per mille of registrations, roughly a European operator with a Latin American
// and Canadian licence. Mail domains are reserved example domains: demo data never reaches a
// real mailbox.
// clang-format off
constexpr std::array<Market, 16> kMarkets = {{
    {"DE", 160, "EUR", "49", 11, "15", kGerman, "mail.example.de"},
    {"GB", 140, "GBP", "44", 10, "7", kEnglish, "mail.example.co.uk"},
    {"BR", 120, "BRL", "55", 11, "119", kPortuguese, "mail.example.com.br"},
    {"CA", 90, "CAD", "1", 10, "416", kCanadian, "mail.example.ca"},
    {"SE", 70, "SEK", "46", 9, "70", kSwedish, "mail.example.se"},
    {"FI", 60, "EUR", "358", 9, "40", kFinnish, "mail.example.fi"},
    {"NO", 50, "NOK", "47", 8, "9", kNorwegian, "mail.example.no"},
    {"NL", 50, "EUR", "31", 9, "6", kDutch, "mail.example.nl"},
    {"AT", 40, "EUR", "43", 10, "66", kGerman, "mail.example.at"},
    {"PL", 40, "PLN", "48", 9, "5", kPolish, "mail.example.pl"},
    {"MT", 30, "EUR", "356", 8, "99", kMaltese, "mail.example.com.mt"},
    {"IE", 30, "EUR", "353", 9, "8", kEnglish, "mail.example.ie"},
    {"NZ", 30, "NZD", "64", 9, "21", kEnglish, "mail.example.co.nz"},
    {"CH", 30, "CHF", "41", 9, "7", kSwiss, "mail.example.ch"},
    {"DK", 30, "DKK", "45", 8, "2", kDanish, "mail.example.dk"},
    {"MX", 30, "MXN", "52", 10, "55", kSpanish, "mail.example.com.mx"},
}};
// clang-format on

constexpr std::array<std::string_view, 24> kFirstNames = {
    "anna",  "lukas", "emma",  "oliver", "sofia", "noah",  "maria", "elias",
    "laura", "jonas", "julia", "leon",   "sara",  "mateo", "ella",  "oskar",
    "ines",  "felix", "nora",  "hugo",   "alma",  "liam",  "mila",  "erik"};
constexpr std::array<std::string_view, 24> kLastNames = {
    "schmidt", "smith", "silva",  "tremblay", "andersson", "virtanen", "hansen", "devries",
    "gruber",  "nowak", "borg",   "murphy",   "wilson",    "meier",    "jensen", "garcia",
    "mueller", "jones", "santos", "roy",      "nilsson",   "korhonen", "berg",   "camilleri"};
constexpr std::array<std::string_view, 3> kGlobalMailDomains = {"example.com", "example.net",
                                                                "example.org"};

constexpr std::array<std::string_view, 6> kTrafficSources = {"organic", "affiliate", "paid_search",
                                                             "social",  "referral",  "tv"};
constexpr std::array<int, 6> kTrafficWeights = {35, 30, 15, 10, 6, 4};
// A few affiliates bring most of the affiliate traffic.
constexpr std::array<int, 12> kAffiliateWeights = {24, 18, 14, 10, 8, 6, 5, 4, 4, 3, 2, 2};

struct TagHabit {
    std::string_view tag;
    double share;
};
constexpr std::array<TagHabit, 7> kTagHabits = {{
    {"casino", 0.75},
    {"sports", 0.35},
    {"live_casino", 0.20},
    {"poker", 0.06},
    {"bonus_hunter", 0.05},
    {"vip", 0.02},
    {"high_roller", 0.01},
}};

const Market& draw_market(DemoRandom& random) {
    std::array<int, kMarkets.size()> weights{};
    for (std::size_t i = 0; i < kMarkets.size(); ++i) weights[i] = kMarkets[i].weight;
    return kMarkets[random.weighted(weights)];
}

std::string_view draw_language(DemoRandom& random, const Market& market) {
    std::array<int, 4> weights{};
    for (std::size_t i = 0; i < market.languages.size(); ++i) {
        weights[i] = market.languages[i].weight;
    }
    return market.languages[random.weighted(std::span(weights).first(market.languages.size()))]
        .code;
}

std::string digits(DemoRandom& random, int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += static_cast<char>('0' + random.below(10));
    return text;
}

std::string draw_phone(DemoRandom& random, const Market& market) {
    const int rest = market.subscriber_digits - static_cast<int>(market.mobile_prefix.size());
    return "+" + std::string(market.calling_code) + std::string(market.mobile_prefix) +
           digits(random, rest);
}

std::string draw_email(DemoRandom& random, const Market& market) {
    const std::string first(random.pick(kFirstNames));
    const std::string last(random.pick(kLastNames));
    std::string local;
    switch (random.below(4)) {
        case 0:
            local = first + "." + last;
            break;
        case 1:
            local = first + last + std::to_string(random.between(1, 99));
            break;
        case 2:
            local = first.substr(0, 1) + "." + last;
            break;
        default:
            local = first + "_" + last + std::to_string(random.between(60, 99));
            break;
    }
    local += std::to_string(random.between(1, 9999));  // keeps most addresses distinct
    const std::string_view domain =
        random.chance(0.4) ? market.mail_domain : random.pick(kGlobalMailDomains);
    return local + "@" + std::string(domain);
}

// 18 to 79 years, skewed young (most players are in their twenties and thirties).
Date draw_birth_date(DemoRandom& random, Date today) {
    const double u = random.unit();
    const int age = 18 + static_cast<int>(62.0 * u * u);
    year_month_day anniversary{today.year() - years(age), today.month(), today.day()};
    if (!anniversary.ok()) {  // 29 February in a common year
        anniversary = year_month_day_last(anniversary.year(), month_day_last(today.month()));
    }
    return Date(sys_days(anniversary) - days(random.between(0, 364)));
}

players::Consents draw_consents(DemoRandom& random) {
    players::Consents c;
    c.email = random.chance(0.55);
    c.sms = random.chance(0.30);
    c.push = random.chance(0.40);
    c.messenger = random.chance(0.12);
    return c;
}

std::vector<std::string> draw_tags(DemoRandom& random) {
    std::vector<std::string> tags;
    for (const auto& habit : kTagHabits) {
        if (random.chance(habit.share)) tags.emplace_back(habit.tag);
    }
    return tags;
}

}  // namespace

std::span<const Market> markets() { return kMarkets; }

std::string demo_external_id(std::int64_t index) { return "P" + std::to_string(100000 + index); }

players::NewPlayer make_demo_player(DemoRandom& random, std::int64_t index, Date today) {
    const Market& market = draw_market(random);
    players::NewPlayer p;
    p.external_id = demo_external_id(index);
    p.brand = random.chance(0.75) ? "main" : "luckyfox";
    p.country = std::string(market.country);
    p.currency = std::string(market.currency);
    p.language = std::string(draw_language(random, market));
    p.birth_date = draw_birth_date(random, today);
    if (random.chance(0.92)) p.email = draw_email(random, market);
    if (random.chance(0.75)) p.phone = draw_phone(random, market);
    const std::size_t source = random.weighted(kTrafficWeights);
    p.traffic_source = std::string(kTrafficSources[source]);
    if (kTrafficSources[source] == "affiliate") {
        const std::size_t affiliate = random.weighted(kAffiliateWeights) + 1;
        p.affiliate_id = (affiliate < 10 ? "aff-00" : "aff-0") + std::to_string(affiliate);
    }
    p.consents = draw_consents(random);
    p.tags = draw_tags(random);
    return p;
}

}  // namespace pitboss::cli
