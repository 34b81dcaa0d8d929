// libFuzzer target for the segment rule language. Invariants:
//  - parse_rule / compile_rule throw nothing but RuleError, and a RuleError's column lies
//    within the text (1 .. size + 1);
//  - what parses prints canonically: parse(to_string()) prints the same text again;
//  - a compiled rule's columnar scan agrees with matches() on every row of a small table.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "pitboss/segments/rule.hpp"

namespace {

using namespace pitboss;
using namespace pitboss::segments;

[[noreturn]] void violated(const char* invariant, std::string_view text) {
    std::cerr << "invariant violated (" << invariant << ") for input of " << text.size()
              << " bytes\n";
    std::abort();
}

PlayerTable& table() {
    static PlayerTable t = [] {
        PlayerTable built;
        const char* countries[] = {"DE", "AT", "MT"};
        for (int i = 0; i < 150; ++i) {
            PlayerRow r;
            r.player_id = PlayerId(i + 1);
            r.external_id = "p" + std::to_string(i);
            r.country = countries[i % 3];
            if (i % 4 != 0) r.traffic_source = "seo";
            if (i % 5 != 0) r.birth_date = parse_date("1990-02-28");
            if (i % 7 != 0) r.last_login_at = parse_timestamp("2026-11-01T10:00:00Z");
            r.deposit_sum_30d = i * 997 - 20'000;
            r.deposit_count_30d = i % 9;
            r.churn_risk = static_cast<double>(i) / 150.0;
            r.self_excluded = i % 11 == 0;
            built.append(r);
        }
        return built;
    }();
    return t;
}

Bitmap& segment() {
    static Bitmap b = [] {
        Bitmap built(150);
        for (std::size_t i = 0; i < 150; i += 3) built.set(i);
        return built;
    }();
    return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string canonical;
    try {
        const Rule rule = parse_rule(text);
        canonical = rule.to_string();
        const SegmentResolver resolver = [](std::string_view) -> const Bitmap* {
            return &segment();
        };
        const CompiledRule compiled = compile_rule(rule, table(), resolver);
        const Timestamp now = parse_timestamp("2026-11-22T13:45:12.345Z");
        const Bitmap bits = compiled.evaluate(table(), now);
        for (RowIndex r = 0; r < table().size(); ++r) {
            if (compiled.matches(table(), r, now) != bits.test(r)) {
                violated("scan == matches", text);
            }
        }
    } catch (const RuleError& e) {
        if (e.column() < 1 || e.column() > size + 1) violated("error column in range", text);
        return 0;
    }
    try {
        if (parse_rule(canonical).to_string() != canonical) violated("canonical form", text);
    } catch (const RuleError&) {
        violated("canonical form parses", text);
    }
    return 0;
}
