// Random tables and random rules: the columnar scan, the per-row path and a brute-force
// reference (SQL three-valued logic over PlayerTable::value) must agree on every row.

#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <string>

#include "pitboss/segments/ab_bucket.hpp"
#include "pitboss/segments/rule.hpp"
#include "segments/rule_ast.hpp"

using namespace pitboss;
using namespace pitboss::segments;
using pitboss::segments::detail::CmpOp;
using pitboss::segments::detail::Literal;
using pitboss::segments::detail::Node;
using pitboss::segments::detail::Operand;

namespace {

__extension__ typedef __int128 Int128;

Int128 pow10(int n) {
    Int128 p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

const std::vector<std::string> kCountries{"DE", "AT", "MT", "FI", "SE", "NO"};
const std::vector<std::string> kSources{"seo", "ppc", "aff", "social"};
const std::vector<std::string> kGames{"slots", "live", "sports"};

Timestamp random_time(std::mt19937_64& rng, const char* from, const char* to) {
    const std::int64_t a = to_unix_millis(parse_timestamp(from));
    const std::int64_t b = to_unix_millis(parse_timestamp(to));
    return from_unix_millis(std::uniform_int_distribution<std::int64_t>(a, b)(rng));
}

template <class T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
}

bool chance(std::mt19937_64& rng, double p) { return std::bernoulli_distribution(p)(rng); }

std::int64_t between(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

PlayerRow random_row(std::mt19937_64& rng, std::int64_t id) {
    PlayerRow r;
    r.player_id = PlayerId(id);
    r.external_id = "p" + std::to_string(id * 7919);
    r.country = pick(rng, kCountries);
    r.language = chance(rng, 0.5) ? "en" : "de";
    r.currency = chance(rng, 0.8) ? "EUR" : "USD";
    if (chance(rng, 0.7)) r.traffic_source = pick(rng, kSources);
    if (chance(rng, 0.3)) r.affiliate_id = "a" + std::to_string(between(rng, 1, 5));
    r.status = chance(rng, 0.9) ? "active" : "blocked";
    if (chance(rng, 0.9)) {
        const auto day = std::chrono::sys_days(std::chrono::days(between(rng, -7300, 14000)));
        r.birth_date = chance(rng, 0.05) ? parse_date("2000-02-29") : Date(day);
    }
    if (chance(rng, 0.95)) {
        r.registered_at = random_time(rng, "2020-01-01T00:00:00Z", "2026-11-22T23:00:00Z");
    }
    r.self_excluded = chance(rng, 0.1);
    r.blocked = chance(rng, 0.1);
    r.consent_email = chance(rng, 0.6);
    r.consent_sms = chance(rng, 0.4);
    r.deposit_count_30d = between(rng, 0, 12);
    r.deposit_sum_30d = chance(rng, 0.01) ? between(rng, -5'000'000'000LL, 5'000'000'000LL)
                                          : between(rng, -500, 50'000);
    r.deposit_count = r.deposit_count_30d + between(rng, 0, 300);
    r.bet_count = chance(rng, 0.02) ? between(rng, 0, 100'000) : between(rng, 0, 100);
    r.ggr = between(rng, -100'000, 100'000);
    if (chance(rng, 0.8)) {
        r.last_deposit_at = random_time(rng, "2026-06-01T00:00:00Z", "2026-11-23T00:00:00Z");
    }
    if (chance(rng, 0.85)) {
        r.last_login_at = random_time(rng, "2026-08-01T00:00:00Z", "2026-11-22T20:00:00Z");
    }
    r.active_days_30d = between(rng, 0, 30);
    if (chance(rng, 0.6)) r.favourite_game_type = pick(rng, kGames);
    r.churn_risk = static_cast<double>(between(rng, 0, 10'000)) / 10'000.0;
    return r;
}

// ---- random rules ----

std::string number_literal(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi, int decimals) {
    const int scale = static_cast<int>(between(rng, 0, decimals));
    std::int64_t m = between(rng, lo, hi);
    std::string s = std::to_string(std::llabs(m));
    if (scale > 0) {
        std::string frac;
        for (int i = 0; i < scale; ++i) frac += static_cast<char>('0' + between(rng, 0, 9));
        s += "." + frac;
    }
    return (m < 0 ? "-" : "") + s;
}

std::string date_literal(std::mt19937_64& rng) {
    const auto t = random_time(rng, "2026-05-01T00:00:00Z", "2026-11-30T00:00:00Z");
    return format_date(utc_date(t));
}

struct FieldGen {
    const char* name;
    char
        kind;  // s string, i integer, m money, c churn, b boolean, t timestamp, d days_since, a age
};

const std::vector<FieldGen> kFields{
    {"country", 's'},
    {"traffic_source", 's'},
    {"affiliate_id", 's'},
    {"favourite_game_type", 's'},
    {"status", 's'},
    {"deposit_count_30d", 'i'},
    {"bet_count", 'i'},
    {"active_days_30d", 'i'},
    {"deposit_sum_30d", 'm'},
    {"ggr", 'm'},
    {"churn_risk", 'c'},
    {"self_excluded", 'b'},
    {"consent_email", 'b'},
    {"last_login_at", 't'},
    {"registered_at", 't'},
    {"days_since_last_login", 'd'},
    {"days_since_last_deposit", 'd'},
    {"age", 'a'},
    {"player_id", 'i'},
};

std::string value_for(std::mt19937_64& rng, const FieldGen& f) {
    switch (f.kind) {
        case 's': {
            const std::string& field = f.name;
            std::vector<std::string> pool = field == "country"               ? kCountries
                                            : field == "traffic_source"      ? kSources
                                            : field == "favourite_game_type" ? kGames
                                            : field == "status"
                                                ? std::vector<std::string>{"active", "blocked"}
                                                : std::vector<std::string>{"a1", "a2", "a3"};
            pool.push_back("none");
            return "\"" + pick(rng, pool) + "\"";
        }
        case 'i':
            return std::string(f.name) == "player_id" ? std::to_string(between(rng, 1, 3000))
                                                      : std::to_string(between(rng, -1, 60));
        case 'm':
            return number_literal(rng, -10, 600, 2);
        case 'c':
            return "0." + std::to_string(between(rng, 0, 999'999));
        case 'b':
            return chance(rng, 0.5) ? "true" : "false";
        case 't':
            return date_literal(rng);
        case 'd': {
            if (chance(rng, 0.3)) return std::to_string(between(rng, 0, 20)) + "w";
            const std::int64_t days = between(rng, -2, 120);
            return std::to_string(days) + (days >= 0 && chance(rng, 0.5) ? "d" : "");
        }
        case 'a':
            return std::to_string(between(rng, 10, 80));
    }
    return "0";
}

std::string predicate(std::mt19937_64& rng) {
    const int which = static_cast<int>(between(rng, 0, 20));
    if (which == 0)
        return "ab_bucket(\"split\", 4) " + std::string(chance(rng, 0.5) ? "=" : "<=") + " " +
               std::to_string(between(rng, 0, 3));
    if (which == 1) return "in_segment(s1)";
    const FieldGen& f = pick(rng, kFields);
    const std::string name = f.name;
    if (f.kind == 'b' && chance(rng, 0.5)) return name;
    const int form = static_cast<int>(between(rng, 0, 9));
    if (form == 0) return name + (chance(rng, 0.5) ? " is null" : " is not null");
    if (form == 1 || form == 2) {
        if (f.kind == 'b') return name + " = " + value_for(rng, f);
        std::string list = name + (form == 2 ? " not in (" : " in (");
        const int n = static_cast<int>(between(rng, 1, 4));
        for (int i = 0; i < n; ++i) list += (i ? ", " : "") + value_for(rng, f);
        return list + ")";
    }
    if (form == 3 && f.kind != 's' && f.kind != 'b') {
        // Both bounds from one generator; order them by trying both ways.
        std::string a = value_for(rng, f);
        std::string b = value_for(rng, f);
        const std::string text = name + (chance(rng, 0.3) ? " not between " : " between ");
        try {
            (void)parse_rule(text + a + " and " + b);
            return text + a + " and " + b;
        } catch (const RuleError&) {
            return text + b + " and " + a;
        }
    }
    static const char* kOrdered[] = {"=", "!=", "<", "<=", ">", ">="};
    const char* op = (f.kind == 's' || f.kind == 'b') ? (chance(rng, 0.5) ? "=" : "!=")
                                                      : kOrdered[between(rng, 0, 5)];
    return name + " " + op + " " + value_for(rng, f);
}

std::string random_rule(std::mt19937_64& rng, int depth) {
    if (depth == 0 || chance(rng, 0.3)) {
        std::string p = predicate(rng);
        return chance(rng, 0.2) ? "not " + p : p;
    }
    const int n = static_cast<int>(between(rng, 2, 4));
    const char* joiner = chance(rng, 0.5) ? " and " : " or ";
    std::string out = "(";
    for (int i = 0; i < n; ++i) out += (i ? joiner : "") + random_rule(rng, depth - 1);
    out += ")";
    return chance(rng, 0.2) ? "not " + out : out;
}

// ---- the reference: SQL three-valued logic, one row at a time ----

using Tri = std::optional<bool>;

class Reference {
public:
    Reference(const PlayerTable& t, Timestamp now, const Bitmap& s1) : t_(t), now_(now), s1_(s1) {}

    Tri eval(const Node& n, RowIndex row) const {
        switch (n.kind) {
            case Node::Kind::kConst:
                return n.value;
            case Node::Kind::kNot: {
                const Tri v = eval(*n.children[0], row);
                return v ? Tri(!*v) : std::nullopt;
            }
            case Node::Kind::kAnd: {
                bool unknown = false;
                for (const auto& c : n.children) {
                    const Tri v = eval(*c, row);
                    if (v == false) return false;
                    if (!v) unknown = true;
                }
                return unknown ? Tri() : Tri(true);
            }
            case Node::Kind::kOr: {
                bool unknown = false;
                for (const auto& c : n.children) {
                    const Tri v = eval(*c, row);
                    if (v == true) return true;
                    if (!v) unknown = true;
                }
                return unknown ? Tri() : Tri(false);
            }
            case Node::Kind::kTruth:
                if (n.operand.kind == Operand::Kind::kInSegment) return s1_.test(row);
                return std::get<bool>(t_.value(row, n.operand.name, now_));
            case Node::Kind::kIsNull: {
                const bool null =
                    std::holds_alternative<std::monostate>(t_.value(row, n.operand.name, now_));
                return null != n.negated;
            }
            case Node::Kind::kCompare:
                return cmp(n.operand, row, n.op, n.literals[0]);
            case Node::Kind::kIn: {
                bool unknown = false;
                for (const Literal& l : n.literals) {
                    const Tri v = cmp(n.operand, row, CmpOp::kEq, l);
                    if (!v) unknown = true;
                    if (v == true) return !n.negated;
                }
                return unknown ? Tri() : Tri(n.negated);
            }
            case Node::Kind::kBetween: {
                const Tri lo = cmp(n.operand, row, CmpOp::kGe, n.literals[0]);
                const Tri hi = cmp(n.operand, row, CmpOp::kLe, n.literals[1]);
                if (!lo || !hi) return std::nullopt;
                return (*lo && *hi) != n.negated;
            }
        }
        return std::nullopt;
    }

private:
    static bool apply(CmpOp op, int c) {
        switch (op) {
            case CmpOp::kEq:
                return c == 0;
            case CmpOp::kNe:
                return c != 0;
            case CmpOp::kLt:
                return c < 0;
            case CmpOp::kLe:
                return c <= 0;
            case CmpOp::kGt:
                return c > 0;
            case CmpOp::kGe:
                return c >= 0;
        }
        return false;
    }
    template <class T>
    static int order(T a, T b) {
        return a < b ? -1 : (a > b ? 1 : 0);
    }

    Tri cmp(const Operand& op, RowIndex row, CmpOp cop, const Literal& l) const {
        if (op.kind == Operand::Kind::kAbBucket) {
            const Int128 v = ab_bucket(op.name, t_.external_id(row), op.buckets);
            return apply(cop, order(v * pow10(l.scale), Int128(l.mantissa)));
        }
        const FieldValue v = t_.value(row, op.name, now_);
        if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
        switch (op.field->type) {
            case FieldType::kString:
                return apply(cop, std::get<std::string>(v) == l.text ? 0 : 1);
            case FieldType::kBoolean:
                return apply(cop, std::get<bool>(v) == l.boolean ? 0 : 1);
            case FieldType::kTimestamp: {
                const auto day = std::chrono::floor<std::chrono::days>(std::get<Timestamp>(v));
                return apply(cop, order<std::int64_t>(day.time_since_epoch().count(), l.days));
            }
            case FieldType::kScore: {
                const auto code = static_cast<Int128>(std::llround(std::get<double>(v) * 10'000));
                return apply(cop, order(code * pow10(l.scale), Int128(l.mantissa) * 10'000));
            }
            case FieldType::kMoney: {
                const Int128 minor = std::get<std::int64_t>(v);
                return apply(cop, order(minor * pow10(l.scale), Int128(l.mantissa) * 100));
            }
            case FieldType::kInteger: {
                const Int128 x = std::get<std::int64_t>(v);
                if (l.kind == Literal::Kind::kDuration) return apply(cop, order(x, Int128(l.days)));
                return apply(cop, order(x * pow10(l.scale), Int128(l.mantissa)));
            }
        }
        return std::nullopt;
    }

    const PlayerTable& t_;
    Timestamp now_;
    const Bitmap& s1_;
};

void check_random_rules(std::uint64_t seed, std::size_t players, int rules) {
    std::mt19937_64 rng(seed);
    PlayerTable table;
    for (std::size_t i = 0; i < players; ++i) {
        table.append(random_row(rng, static_cast<std::int64_t>(i) + 1));
    }
    Bitmap s1(players);
    for (std::size_t i = 0; i < players; ++i) {
        if (chance(rng, 0.3)) s1.set(i);
    }
    const SegmentResolver resolver = [&](std::string_view name) -> const Bitmap* {
        return name == "s1" ? &s1 : nullptr;
    };
    const Timestamp nows[] = {parse_timestamp("2026-11-22T13:45:12.345Z"),
                              parse_timestamp("2028-02-29T00:00:00Z"),
                              parse_timestamp("2026-09-01T23:59:59.999Z")};
    for (int k = 0; k < rules; ++k) {
        const std::string text = random_rule(rng, 3);
        INFO("seed " << seed << " rule " << text);
        const Rule rule = parse_rule(text);
        const CompiledRule compiled = compile_rule(rule, table, resolver);
        for (const Timestamp now : nows) {
            const Bitmap bits = compiled.evaluate(table, now);
            const EvalTime time(now);
            const Reference reference(table, now, s1);
            std::size_t mismatches = 0;
            for (RowIndex r = 0; r < players; ++r) {
                const bool expected = reference.eval(rule.root(), r) == true;
                if (bits.test(r) != expected || compiled.matches(table, r, time) != expected) {
                    ++mismatches;
                    if (mismatches < 3) {
                        UNSCOPED_INFO("row " << r << " expected " << expected << " scan "
                                             << bits.test(r) << " now " << format_timestamp(now));
                    }
                }
            }
            REQUIRE(mismatches == 0);
        }
    }
}

}  // namespace

TEST_CASE("random rules: scan, matches() and a row-by-row reference agree",
          "[segments][eval][property]") {
    check_random_rules(1, 2'011, 150);
    check_random_rules(2, 130, 100);
}

TEST_CASE("random rules on a table large enough to reorder clauses by sampled selectivity",
          "[segments][eval][property]") {
    check_random_rules(3, 9'000, 40);
}

TEST_CASE("incremental updates: matches() after update() equals a full re-evaluation",
          "[segments][eval][property]") {
    std::mt19937_64 rng(42);
    PlayerTable table;
    for (int i = 0; i < 3'000; ++i) table.append(random_row(rng, i + 1));
    const Timestamp now = parse_timestamp("2026-11-22T13:45:12.345Z");
    std::vector<CompiledRule> rules;
    for (int k = 0; k < 20; ++k) {
        std::string text = random_rule(rng, 2);
        while (text.find("in_segment") != std::string::npos) text = random_rule(rng, 2);
        rules.push_back(compile_rule(text, table));
    }
    std::vector<Bitmap> members;
    for (const auto& r : rules) members.push_back(r.evaluate(table, now));
    const EvalTime time(now);
    for (int step = 0; step < 2'000; ++step) {
        // An event changes one player (possibly to values never seen before), or a new
        // player arrives.
        PlayerRow changed;
        RowIndex row = 0;
        if (chance(rng, 0.1)) {
            changed = random_row(rng, 100'000 + step);
            row = table.append(changed);
            for (auto& m : members) m.resize(table.size());
        } else {
            row =
                static_cast<RowIndex>(between(rng, 0, static_cast<std::int64_t>(table.size()) - 1));
            changed = random_row(rng, table.player_id(row).value());
            changed.external_id = std::string(table.external_id(row));
            if (chance(rng, 0.1)) changed.country = "NEW" + std::to_string(step % 7);
            table.update(row, changed);
        }
        CHECK(table.row(row).country == changed.country);
        for (std::size_t k = 0; k < rules.size(); ++k) {
            members[k].assign(row, rules[k].matches(table, row, time));
        }
    }
    for (std::size_t k = 0; k < rules.size(); ++k) {
        INFO(rules[k].rule().text());
        CHECK(rules[k].evaluate(table, now) == members[k]);
    }
}
