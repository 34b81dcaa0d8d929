// Recursive-descent parser and type checker for segment rules.
//
//   rule      := or_expr END
//   or_expr   := and_expr ("or" and_expr)*
//   and_expr  := unary ("and" unary)*
//   unary     := "not" unary | "(" or_expr ")" | "true" | "false" | predicate
//   predicate := operand ( cmp value | ["not"] "in" "(" value ("," value)* ")"
//                        | ["not"] "between" value "and" value | "is" ["not"] "null" )?
//   operand   := field | "ab_bucket" "(" name "," integer ")" | "in_segment" "(" name ")"

#include <algorithm>
#include <set>

#include "pitboss/segments/rule.hpp"
#include "segments/columns.hpp"
#include "segments/lexer.hpp"
#include "segments/rule_ast.hpp"

namespace pitboss::segments {
namespace detail {
namespace {

constexpr int kMaxDepth = 200;
__extension__ typedef __int128 Int128;
constexpr std::uint32_t kMaxBuckets = 1'000'000;

[[noreturn]] void fail(std::size_t column, const std::string& problem,
                       const std::string& hint = "") {
    throw RuleError(column, problem + " at column " + std::to_string(column) +
                                (hint.empty() ? "" : "; " + hint));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// The closest field or function name, when close enough to be a likely typo.
std::string suggestion(std::string_view name) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
    const std::string folded = lower(name);
    const auto consider = [&](std::string_view candidate) {
        const std::size_t d = edit_distance(folded, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = std::string(candidate);
        }
    };
    for (const FieldInfo& f : fields()) consider(f.name);
    consider("ab_bucket");
    consider("in_segment");
    return best;
}

bool is_keyword(const Token& t, std::string_view keyword) {
    return t.kind == Token::Kind::kIdent && lower(t.text) == keyword;
}

std::string describe(const Token& t) {
    switch (t.kind) {
        case Token::Kind::kEnd:
            return "end of rule";
        case Token::Kind::kString:
            return "string \"" + t.text + "\"";
        default:
            return "'" + t.text + "'";
    }
}

std::string describe(const Literal& l) {
    switch (l.kind) {
        case Literal::Kind::kString:
            return "the string " + to_text(l);
        case Literal::Kind::kNumber:
            return "the number " + l.text;
        case Literal::Kind::kBoolean:
            return std::string("the boolean ") + to_text(l);
        case Literal::Kind::kDate:
            return "the date " + l.text;
        case Literal::Kind::kDuration:
            return "the duration " + l.text;
    }
    return "a value";
}

std::int64_t pow10(int n) {
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

class Parser {
public:
    Parser(std::string_view text, std::vector<Token> tokens)
        : text_(text), tokens_(std::move(tokens)) {}

    std::shared_ptr<const Node> parse() {
        if (peek().kind == Token::Kind::kEnd) fail(1, "empty rule");
        auto root = or_expr(0);
        if (peek().kind != Token::Kind::kEnd) {
            fail(peek().column, "unexpected " + describe(peek()),
                 "expected 'and', 'or' or the end of the rule");
        }
        return root;
    }

    std::set<std::string> segments;
    std::set<std::string> field_names;

private:
    const Token& peek(std::size_t ahead = 0) const {
        return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
    }
    const Token& take() {
        const Token& t = tokens_[pos_];
        if (pos_ + 1 < tokens_.size()) ++pos_;
        return t;
    }
    void expect(Token::Kind kind, std::string_view what) {
        if (peek().kind != kind) {
            fail(peek().column, "expected " + std::string(what) + ", found " + describe(peek()));
        }
        take();
    }

    std::shared_ptr<const Node> or_expr(int depth) {
        auto first = and_expr(depth);
        if (!is_keyword(peek(), "or")) return first;
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::kOr;
        node->column = first->column;
        node->children.push_back(std::move(first));
        while (is_keyword(peek(), "or")) {
            take();
            node->children.push_back(and_expr(depth));
        }
        return node;
    }

    std::shared_ptr<const Node> and_expr(int depth) {
        auto first = unary(depth);
        if (!is_keyword(peek(), "and")) return first;
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::kAnd;
        node->column = first->column;
        node->children.push_back(std::move(first));
        while (is_keyword(peek(), "and")) {
            take();
            node->children.push_back(unary(depth));
        }
        return node;
    }

    std::shared_ptr<const Node> unary(int depth) {
        if (depth > kMaxDepth) fail(peek().column, "rule nests too deeply");
        const Token& t = peek();
        if (is_keyword(t, "not")) {
            take();
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::kNot;
            node->column = t.column;
            node->children.push_back(unary(depth + 1));
            return node;
        }
        if (t.kind == Token::Kind::kLParen) {
            take();
            auto inner = or_expr(depth + 1);
            expect(Token::Kind::kRParen, "')'");
            return inner;
        }
        if (is_keyword(t, "true") || is_keyword(t, "false")) {
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::kConst;
            node->column = t.column;
            node->value = is_keyword(t, "true");
            take();
            return node;
        }
        return predicate();
    }

    Operand operand() {
        const Token& t = peek();
        if (t.kind != Token::Kind::kIdent) {
            fail(t.column, "expected a field, found " + describe(t));
        }
        Operand op;
        op.column = t.column;
        const std::string name = t.text;
        take();
        if (name == "ab_bucket" || name == "in_segment") {
            expect(Token::Kind::kLParen, "'(' after " + name);
            const Token& n = peek();
            if (n.kind != Token::Kind::kString && n.kind != Token::Kind::kIdent) {
                fail(n.column, "expected a name, found " + describe(n));
            }
            if (n.text.empty()) fail(n.column, "empty name");
            op.name = n.text;
            take();
            if (name == "in_segment") {
                op.kind = Operand::Kind::kInSegment;
                segments.insert(op.name);
            } else {
                op.kind = Operand::Kind::kAbBucket;
                expect(Token::Kind::kComma, "',' and a bucket count");
                const Token& b = peek();
                if (b.kind != Token::Kind::kNumber || b.scale != 0 || b.mantissa < 1 ||
                    b.mantissa > kMaxBuckets) {
                    fail(b.column, "ab_bucket needs a whole number of buckets from 1 to " +
                                       std::to_string(kMaxBuckets) + ", found " + describe(b));
                }
                op.buckets = static_cast<std::uint32_t>(b.mantissa);
                take();
                field_names.insert("player_id");
            }
            expect(Token::Kind::kRParen, "')'");
            return op;
        }
        const FieldInfo* field = find_field(name);
        if (field == nullptr) {
            const std::string hint = suggestion(name);
            fail(op.column, "unknown field '" + name + "'",
                 hint.empty() ? "see docs/segments.md for the fields"
                              : "did you mean " + hint + "?");
        }
        op.kind = Operand::Kind::kField;
        op.field = field;
        op.name = name;
        field_names.insert(name);
        return op;
    }

    Literal literal() {
        const Token& t = peek();
        Literal l;
        l.column = t.column;
        l.text = t.text;
        switch (t.kind) {
            case Token::Kind::kString:
                l.kind = Literal::Kind::kString;
                break;
            case Token::Kind::kNumber:
                l.kind = Literal::Kind::kNumber;
                l.mantissa = t.mantissa;
                l.scale = t.scale;
                break;
            case Token::Kind::kDate:
                l.kind = Literal::Kind::kDate;
                l.days = t.days;
                break;
            case Token::Kind::kDuration:
                l.kind = Literal::Kind::kDuration;
                l.days = t.days;
                break;
            case Token::Kind::kIdent:
                if (is_keyword(t, "true") || is_keyword(t, "false")) {
                    l.kind = Literal::Kind::kBoolean;
                    l.boolean = is_keyword(t, "true");
                    break;
                }
                if (is_keyword(t, "null")) {
                    fail(t.column, "null is not a value",
                         "test it with 'is null' or 'is not null'");
                }
                fail(t.column, "expected a value, found " + describe(t),
                     "quote strings: \"" + t.text + "\"");
            default:
                fail(t.column, "expected a value, found " + describe(t));
        }
        take();
        return l;
    }

    static std::string operand_text(const Operand& op) {
        if (op.kind == Operand::Kind::kAbBucket) return "ab_bucket(...)";
        return op.name;
    }

    // Checks that `l` may be compared with `op` by `what` ("=", "in", "between", "<" ...).
    static void check_literal(const Operand& op, std::string_view what, const Literal& l) {
        const auto mismatch = [&](const std::string& type) {
            fail(l.column, "type mismatch: " + operand_text(op) + " is " + type +
                               " and cannot be compared with " + describe(l));
        };
        if (op.kind == Operand::Kind::kAbBucket) {
            if (l.kind != Literal::Kind::kNumber) mismatch("a bucket number");
            if (l.scale != 0 && l.mantissa % pow10(l.scale) != 0) mismatch("a bucket number");
            return;
        }
        const FieldInfo& f = *op.field;
        const bool ordering = what != "=" && what != "!=" && what != "in";
        switch (f.type) {
            case FieldType::kString:
                if (l.kind != Literal::Kind::kString) mismatch("a string");
                if (ordering) {
                    fail(l.column,
                         "operator '" + std::string(what) +
                             "' does not apply to the string field " + std::string(f.name),
                         "use =, !=, in or not in");
                }
                return;
            case FieldType::kBoolean:
                if (l.kind != Literal::Kind::kBoolean) mismatch("a boolean");
                if (ordering) {
                    fail(l.column,
                         "operator '" + std::string(what) +
                             "' does not apply to the boolean field " + std::string(f.name),
                         "use = true, = false or the field on its own");
                }
                return;
            case FieldType::kInteger:
                if (l.kind == Literal::Kind::kDuration) {
                    if (storage_of(f).storage != Storage::kDaysSince) {
                        fail(l.column,
                             "type mismatch: durations compare only with days_since_* "
                             "fields, not " +
                                 std::string(f.name));
                    }
                    return;
                }
                if (l.kind != Literal::Kind::kNumber) mismatch("an integer");
                if (l.scale != 0 && l.mantissa % pow10(l.scale) != 0) mismatch("an integer");
                return;
            case FieldType::kMoney:
                if (l.kind != Literal::Kind::kNumber) mismatch("money");
                return;
            case FieldType::kScore:
                if (l.kind != Literal::Kind::kNumber) mismatch("a score");
                return;
            case FieldType::kTimestamp:
                if (l.kind != Literal::Kind::kDate) mismatch("a timestamp (compare with a date)");
                return;
        }
    }

    // Orders two literals that passed check_literal for one operand: numbers exactly, dates
    // and durations by days (a duration and a whole number of days compare as days).
    static int compare(const Literal& a, const Literal& b) {
        const auto scaled = [](const Literal& l, int s) -> Int128 {
            if (l.kind == Literal::Kind::kDuration || l.kind == Literal::Kind::kDate) {
                return static_cast<Int128>(l.days) * pow10(s);
            }
            return static_cast<Int128>(l.mantissa) * pow10(s - l.scale);
        };
        // mantissa * 10^(s - scale) needs up to 63 + 60 bits: compare in 128 bits.
        const int s = std::max(a.scale, b.scale);
        const Int128 x = scaled(a, s);
        const Int128 y = scaled(b, s);
        return x < y ? -1 : (x > y ? 1 : 0);
    }

    std::shared_ptr<const Node> predicate() {
        auto node = std::make_shared<Node>();
        node->column = peek().column;
        node->operand = operand();
        Operand& op = node->operand;
        const Token& t = peek();
        const bool is_boolean =
            op.kind == Operand::Kind::kInSegment ||
            (op.kind == Operand::Kind::kField && op.field->type == FieldType::kBoolean);
        if (op.kind == Operand::Kind::kInSegment) {
            node->kind = Node::Kind::kTruth;
            return node;
        }
        if (t.kind == Token::Kind::kOp) {
            node->kind = Node::Kind::kCompare;
            const std::string& s = t.text;
            node->op = s == "="    ? CmpOp::kEq
                       : s == "!=" ? CmpOp::kNe
                       : s == "<"  ? CmpOp::kLt
                       : s == "<=" ? CmpOp::kLe
                       : s == ">"  ? CmpOp::kGt
                                   : CmpOp::kGe;
            take();
            node->literals.push_back(literal());
            check_literal(op, s, node->literals[0]);
            return node;
        }
        bool negated = false;
        if (is_keyword(t, "not") && (is_keyword(peek(1), "in") || is_keyword(peek(1), "between"))) {
            negated = true;
            take();
        }
        if (is_keyword(peek(), "in")) {
            take();
            node->kind = Node::Kind::kIn;
            node->negated = negated;
            expect(Token::Kind::kLParen, "'(' after in");
            if (peek().kind == Token::Kind::kRParen) fail(peek().column, "empty list");
            while (true) {
                node->literals.push_back(literal());
                check_literal(op, "in", node->literals.back());
                if (peek().kind == Token::Kind::kComma) {
                    take();
                    continue;
                }
                expect(Token::Kind::kRParen, "',' or ')'");
                break;
            }
            return node;
        }
        if (is_keyword(peek(), "between")) {
            take();
            node->kind = Node::Kind::kBetween;
            node->negated = negated;
            node->literals.push_back(literal());
            check_literal(op, "between", node->literals[0]);
            if (!is_keyword(peek(), "and")) {
                fail(peek().column, "expected 'and' in between, found " + describe(peek()));
            }
            take();
            node->literals.push_back(literal());
            check_literal(op, "between", node->literals[1]);
            if (compare(node->literals[0], node->literals[1]) > 0) {
                fail(node->literals[0].column,
                     "between bounds reversed: " + node->literals[0].text + " is greater than " +
                         node->literals[1].text,
                     "write the smaller bound first");
            }
            return node;
        }
        if (is_keyword(peek(), "is")) {
            take();
            node->kind = Node::Kind::kIsNull;
            if (is_keyword(peek(), "not")) {
                take();
                node->negated = true;
            }
            if (!is_keyword(peek(), "null")) {
                fail(peek().column, "expected 'null' after 'is', found " + describe(peek()));
            }
            take();
            if (op.kind != Operand::Kind::kField) {
                fail(op.column, "ab_bucket(...) is never null", "compare it with a number");
            }
            return node;
        }
        if (is_boolean) {
            node->kind = Node::Kind::kTruth;
            return node;
        }
        fail(peek().column,
             "expected an operator after " + operand_text(op) + ", found " + describe(peek()),
             "use = != < <= > >= in, not in, between or is null");
    }

    std::string_view text_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
};

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string decimal(std::int64_t mantissa, int scale) {
    // Appends only: GCC 12's -Wrestrict misfires on std::string::insert at -O3.
    const bool negative = mantissa < 0;
    std::string digits = std::to_string(mantissa);
    std::string out = negative ? "-" : "";
    const std::size_t first = negative ? 1 : 0;
    const auto frac = static_cast<std::size_t>(scale);
    if (frac == 0) return out.append(digits, first);
    const std::size_t length = digits.size() - first;
    if (length <= frac) {
        out += "0.";
        out.append(frac - length, '0');
        return out.append(digits, first);
    }
    out.append(digits, first, length - frac);
    out += '.';
    return out.append(digits, digits.size() - frac);
}

}  // namespace

std::string to_text(const Literal& l) {
    switch (l.kind) {
        case Literal::Kind::kString:
            return quote(l.text);
        case Literal::Kind::kNumber:
            return decimal(l.mantissa, l.scale);
        case Literal::Kind::kBoolean:
            return l.boolean ? "true" : "false";
        case Literal::Kind::kDate:
            return format_date(Date(std::chrono::sys_days(std::chrono::days(l.days))));
        case Literal::Kind::kDuration:
            return std::to_string(l.days) + "d";
    }
    return "";
}

std::string to_text(const Operand& op) {
    switch (op.kind) {
        case Operand::Kind::kField:
            return op.name;
        case Operand::Kind::kAbBucket:
            return "ab_bucket(" + quote(op.name) + ", " + std::to_string(op.buckets) + ")";
        case Operand::Kind::kInSegment:
            return "in_segment(" + quote(op.name) + ")";
    }
    return "";
}

std::string to_text(CmpOp op) {
    switch (op) {
        case CmpOp::kEq:
            return "=";
        case CmpOp::kNe:
            return "!=";
        case CmpOp::kLt:
            return "<";
        case CmpOp::kLe:
            return "<=";
        case CmpOp::kGt:
            return ">";
        case CmpOp::kGe:
            return ">=";
    }
    return "";
}

std::string to_text(const Node& n) {
    const auto join = [&](std::string_view word) {
        std::string out = "(";
        for (std::size_t i = 0; i < n.children.size(); ++i) {
            if (i > 0) {
                out += ' ';
                out += word;
                out += ' ';
            }
            out += to_text(*n.children[i]);
        }
        return out + ")";
    };
    switch (n.kind) {
        case Node::Kind::kAnd:
            return join("and");
        case Node::Kind::kOr:
            return join("or");
        case Node::Kind::kNot:
            return "not " + to_text(*n.children[0]);
        case Node::Kind::kCompare:
            return to_text(n.operand) + " " + to_text(n.op) + " " + to_text(n.literals[0]);
        case Node::Kind::kIn: {
            std::string out = to_text(n.operand) + (n.negated ? " not in (" : " in (");
            for (std::size_t i = 0; i < n.literals.size(); ++i) {
                out += (i > 0 ? ", " : "") + to_text(n.literals[i]);
            }
            return out + ")";
        }
        case Node::Kind::kBetween:
            return to_text(n.operand) + (n.negated ? " not between " : " between ") +
                   to_text(n.literals[0]) + " and " + to_text(n.literals[1]);
        case Node::Kind::kIsNull:
            return to_text(n.operand) + (n.negated ? " is not null" : " is null");
        case Node::Kind::kTruth:
            return to_text(n.operand);
        case Node::Kind::kConst:
            return n.value ? "true" : "false";
    }
    return "";
}

}  // namespace detail

Rule::Rule(std::string text, std::shared_ptr<const detail::Node> root,
           std::vector<std::string> segments, std::vector<std::string> fields)
    : text_(std::move(text)),
      root_(std::move(root)),
      segments_(std::move(segments)),
      fields_(std::move(fields)) {}

std::string Rule::to_string() const { return detail::to_text(*root_); }

Rule parse_rule(std::string_view text) {
    detail::Parser parser(text, detail::tokenize(text));
    auto root = parser.parse();
    return Rule(std::string(text), std::move(root),
                std::vector<std::string>(parser.segments.begin(), parser.segments.end()),
                std::vector<std::string>(parser.field_names.begin(), parser.field_names.end()));
}

}  // namespace pitboss::segments
