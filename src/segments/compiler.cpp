// Compiles a parsed rule into a Program for one PlayerTable: pushes negations into the leaves
// (De Morgan), folds constants, flattens nested and/or, converts literals to the stored units
// and interns string literals into the table's dictionaries.

#include <algorithm>

#include "pitboss/segments/ab_bucket.hpp"
#include "segments/program.hpp"
#include "segments/rule_ast.hpp"

namespace pitboss::segments {
namespace detail {
namespace {

[[noreturn]] void fail(std::size_t column, const std::string& problem,
                       const std::string& hint = "") {
    throw RuleError(column, problem + " at column " + std::to_string(column) +
                                (hint.empty() ? "" : "; " + hint));
}

std::int64_t pow10(int n) {
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

/// A literal in stored units: floor and ceiling of its exact value (equal when integral).
struct Scaled {
    std::int64_t floor;
    std::int64_t ceil;
};

std::vector<Interval> normalise(std::vector<Interval> set) {
    set.erase(std::remove_if(set.begin(), set.end(), [](const Interval& i) { return i.lo > i.hi; }),
              set.end());
    std::sort(set.begin(), set.end(),
              [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
    std::vector<Interval> out;
    for (const Interval& i : set) {
        if (!out.empty() && (out.back().hi == kPosInf || i.lo <= out.back().hi + 1)) {
            out.back().hi = std::max(out.back().hi, i.hi);
        } else {
            out.push_back(i);
        }
    }
    return out;
}

class Compiler {
public:
    Compiler(Program& program, Columns& columns, const SegmentResolver& resolver)
        : p_(program), columns_(columns), resolver_(resolver) {}

    std::uint32_t build(const Node& n, bool negated) {
        switch (n.kind) {
            case Node::Kind::kConst:
                return constant(n.value != negated);
            case Node::Kind::kNot:
                return build(*n.children[0], !negated);
            case Node::Kind::kAnd:
            case Node::Kind::kOr:
                return junction(n, negated);
            default:
                return predicate(n, negated);
        }
    }

private:
    std::uint32_t add(PNode node) {
        p_.nodes.push_back(std::move(node));
        return static_cast<std::uint32_t>(p_.nodes.size() - 1);
    }
    std::uint32_t constant(bool value) {
        PNode c;
        c.kind = PNode::Kind::kConst;
        c.value = value;
        return add(std::move(c));
    }
    std::uint32_t leaf(Leaf l) {
        p_.leaves.push_back(std::move(l));
        PNode node;
        node.kind = PNode::Kind::kLeaf;
        node.leaf = static_cast<std::uint32_t>(p_.leaves.size() - 1);
        return add(std::move(node));
    }

    std::uint32_t junction(const Node& n, bool negated) {
        const bool is_and = (n.kind == Node::Kind::kAnd) != negated;
        const PNode::Kind kind = is_and ? PNode::Kind::kAnd : PNode::Kind::kOr;
        std::vector<std::uint32_t> children;
        for (const auto& child : n.children) {
            const std::uint32_t c = build(*child, negated);
            const PNode& built = p_.nodes[c];
            if (built.kind == PNode::Kind::kConst) {
                // true absorbs an or, false an and; the neutral constant disappears.
                if (built.value != is_and) return constant(!is_and);
                continue;
            }
            if (built.kind == kind) {
                const std::vector<std::uint32_t> grand = built.children;
                children.insert(children.end(), grand.begin(), grand.end());
            } else {
                children.push_back(c);
            }
        }
        if (children.empty()) return constant(is_and);
        if (children.size() == 1) return children[0];
        PNode node;
        node.kind = kind;
        node.children = std::move(children);
        return add(std::move(node));
    }

    Scaled scale(const Operand& op, const Literal& l) const {
        if (l.kind == Literal::Kind::kDate || l.kind == Literal::Kind::kDuration) {
            return {l.days, l.days};
        }
        if (l.kind == Literal::Kind::kBoolean) return {l.boolean ? 1 : 0, l.boolean ? 1 : 0};
        const FieldType type =
            op.kind == Operand::Kind::kAbBucket ? FieldType::kInteger : op.field->type;
        if (type == FieldType::kMoney) {
            const int digits = columns_.base_currency.minor_digits();
            if (l.scale > digits) {
                fail(l.column, "money literal " + l.text + " has more than " +
                                   std::to_string(digits) + " decimals for " +
                                   std::string(columns_.base_currency.code()));
            }
            const std::int64_t factor = pow10(digits - l.scale);
            if (l.mantissa > kPosInf / factor || l.mantissa < -(kPosInf / factor)) {
                fail(l.column, "money literal " + l.text + " is too large");
            }
            return {l.mantissa * factor, l.mantissa * factor};
        }
        if (type == FieldType::kScore) {
            if (l.scale <= 4) {
                const std::int64_t v = sat_mul(l.mantissa, pow10(4 - l.scale));
                return {v, v};
            }
            const std::int64_t d = pow10(l.scale - 4);
            const std::int64_t f = floor_div(l.mantissa, d);
            return {f, f * d == l.mantissa ? f : f + 1};
        }
        // Integers (the parser checked that the value is integral).
        const std::int64_t v = l.mantissa / pow10(l.scale);
        return {v, v};
    }

    static std::vector<Interval> compare_set(CmpOp op, Scaled v) {
        switch (op) {
            case CmpOp::kEq:
            case CmpOp::kNe:
                if (v.floor != v.ceil) return {};
                return {{v.floor, v.floor}};
            case CmpOp::kLt:
                return {{kNegInf, sat_add(v.ceil, -1)}};
            case CmpOp::kLe:
                return {{kNegInf, v.floor}};
            case CmpOp::kGt:
                return {{sat_add(v.floor, 1), kPosInf}};
            case CmpOp::kGe:
                return {{v.ceil, kPosInf}};
        }
        return {};
    }

    std::uint32_t predicate(const Node& n, bool negated) {
        const Operand& op = n.operand;
        Leaf l;
        l.text = (negated ? "not " : "") + to_text(n);
        if (op.kind == Operand::Kind::kInSegment) {
            const Bitmap* members = resolver_ ? resolver_(op.name) : nullptr;
            if (members == nullptr) fail(op.column, "unknown segment '" + op.name + "'");
            l.kind = LeafKind::kSegment;
            l.segment = members;
            l.negate = negated;
            l.cost = 0.05;
            return leaf(std::move(l));
        }
        if (op.kind == Operand::Kind::kAbBucket) {
            l.kind = LeafKind::kAbBucket;
            l.split_hash = fnv1a64(op.name);
            l.buckets = op.buckets;
            l.cost = 12.0;
        } else {
            const FieldStorage st = storage_of(*op.field);
            l.storage = st.storage;
            l.slot = st.slot;
            switch (st.storage) {
                case Storage::kInt:
                    l.kind = LeafKind::kInt;
                    l.cost = 1.0 + static_cast<double>(int_width(columns_.ints[st.slot]));
                    break;
                case Storage::kString:
                    l.kind = LeafKind::kString;
                    l.cost = 2.0;
                    break;
                case Storage::kTime:
                    l.kind = LeafKind::kTimeDay;
                    l.cost = 1.0 + static_cast<double>(int_width(columns_.times[st.slot].minutes));
                    break;
                case Storage::kDaysSince:
                    l.kind = LeafKind::kDaysSince;
                    l.cost = 2.0 + static_cast<double>(int_width(columns_.times[st.slot].minutes));
                    break;
                case Storage::kAge:
                    l.kind = LeafKind::kAge;
                    l.cost = 1.0 + static_cast<double>(int_width(columns_.ints[st.slot]));
                    break;
            }
        }
        if (n.kind == Node::Kind::kIsNull) {
            const bool want_null = n.negated == negated;
            if (!op.field->nullable) return constant(!want_null);
            l.kind = LeafKind::kIsNull;
            l.want_null = want_null;
            return leaf(std::move(l));
        }
        if (n.kind == Node::Kind::kTruth) {  // a boolean field on its own
            l.set = {{1, 1}};
            l.negate = negated;
            return leaf(std::move(l));
        }
        l.negate = negated != n.negated;
        if (l.kind == LeafKind::kString) {
            std::vector<std::uint32_t> codes;
            for (const Literal& lit : n.literals) {
                codes.push_back(columns_.strings[l.slot].intern(lit.text));
            }
            if (n.kind == Node::Kind::kCompare && n.op == CmpOp::kNe) l.negate = !l.negate;
            const std::uint32_t top = *std::max_element(codes.begin(), codes.end());
            l.code_bits.assign(top / 64 + 1, 0);
            for (const std::uint32_t c : codes) {
                l.code_bits[c / 64] |= std::uint64_t{1} << (c % 64);
                l.set.push_back({c, c});
            }
            l.set = normalise(std::move(l.set));
            return leaf(std::move(l));
        }
        std::vector<Interval> set;
        switch (n.kind) {
            case Node::Kind::kCompare:
                set = compare_set(n.op, scale(op, n.literals[0]));
                if (n.op == CmpOp::kNe) l.negate = !l.negate;
                break;
            case Node::Kind::kIn:
                for (const Literal& lit : n.literals) {
                    const auto one = compare_set(CmpOp::kEq, scale(op, lit));
                    set.insert(set.end(), one.begin(), one.end());
                }
                break;
            case Node::Kind::kBetween:
                set = {{scale(op, n.literals[0]).ceil, scale(op, n.literals[1]).floor}};
                break;
            default:
                break;
        }
        l.set = normalise(std::move(set));
        return leaf(std::move(l));
    }

    static std::size_t int_width(const IntColumn& c) { return std::size_t{1} << c.data().index(); }

    Program& p_;
    Columns& columns_;
    const SegmentResolver& resolver_;
};

}  // namespace

std::int64_t sat_add(std::int64_t a, std::int64_t b) noexcept {
    if (a == kNegInf || a == kPosInf) return a;
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? kPosInf : kNegInf;
    if (r == kNegInf) return kNegInf;
    return r;
}

std::int64_t sat_sub(std::int64_t a, std::int64_t b) noexcept {
    if (b == kNegInf) return kPosInf;
    if (b == kPosInf) return kNegInf;
    return sat_add(a, -b);
}

std::int64_t sat_mul(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return (a < 0) != (b < 0) ? kNegInf : kPosInf;
    return r;
}

namespace {

void emit(Program& p, std::uint32_t node) {
    const PNode& n = p.nodes[node];
    RowOp op;
    switch (n.kind) {
        case PNode::Kind::kConst:
            op.kind = RowOp::Kind::kConst;
            op.value = n.value;
            p.row_ops.push_back(op);
            return;
        case PNode::Kind::kAnd:
        case PNode::Kind::kOr: {
            op.kind = n.kind == PNode::Kind::kAnd ? RowOp::Kind::kAnd : RowOp::Kind::kOr;
            const std::size_t at = p.row_ops.size();
            p.row_ops.push_back(op);
            for (const std::uint32_t child : p.nodes[node].children) emit(p, child);
            p.row_ops[at].end = static_cast<std::uint32_t>(p.row_ops.size());
            return;
        }
        case PNode::Kind::kLeaf:
            break;
    }
    const Leaf& l = p.leaves[n.leaf];
    op.kind = RowOp::Kind::kLeaf;
    op.leaf_kind = l.kind;
    op.leaf = n.leaf;
    op.negate = l.negate;
    op.slot = l.slot;
    switch (l.kind) {
        case LeafKind::kInt:
        case LeafKind::kDaysSince:
        case LeafKind::kAge:
            op.simple = l.set.size() <= 1;
            if (l.set.size() == 1) {
                op.lo = l.set[0].lo;
                op.hi = l.set[0].hi;
            }
            break;
        case LeafKind::kString:
            op.simple = true;
            for (const Interval& i : l.set) {
                if (i.hi >= 256) {
                    op.simple = false;
                    break;
                }
                for (std::int64_t c = i.lo; c <= i.hi; ++c) {
                    op.codes[c / 64] |= std::uint64_t{1} << (c % 64);
                }
            }
            break;
        default:
            break;
    }
    p.row_ops.push_back(op);
}

}  // namespace

void build_row_ops(Program& program) {
    program.row_ops.clear();
    emit(program, program.root);
}

std::int64_t latest_birth_day(std::int64_t years, const EvalTime& time) noexcept {
    const std::int64_t y = time.year() - std::clamp<std::int64_t>(years, -1'000'000, 1'000'000);
    unsigned day = time.day();
    if (time.month() == 2 && day == 29) {
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (!leap) day = 28;
    }
    return days_from_civil(y, time.month(), day);
}

}  // namespace detail

CompiledRule compile_rule(const Rule& rule, PlayerTable& table, const SegmentResolver& resolver) {
    auto program = std::make_shared<detail::Program>(rule, &table.columns());
    detail::Compiler compiler(*program, table.columns(), resolver);
    program->root = compiler.build(rule.root(), false);
    detail::build_row_ops(*program);
    return CompiledRule(std::move(program));
}

CompiledRule compile_rule(std::string_view text, PlayerTable& table,
                          const SegmentResolver& resolver) {
    return compile_rule(parse_rule(text), table, resolver);
}

}  // namespace pitboss::segments
