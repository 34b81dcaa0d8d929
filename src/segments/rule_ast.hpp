#pragma once
// The syntax tree of a segment rule, shared by the parser, the compiler and to_string().

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pitboss/segments/player_table.hpp"

namespace pitboss::segments::detail {

/// Comparison operators.
enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe };

/// A literal as written: strings, exact decimals (mantissa / 10^scale), booleans, dates (days
/// since 1970-01-01) and durations (days).
struct Literal {
    enum class Kind { kString, kNumber, kBoolean, kDate, kDuration };
    Kind kind = Kind::kNumber;
    std::size_t column = 0;
    std::string text;  // the string's value, or the lexeme
    std::int64_t mantissa = 0;
    int scale = 0;
    bool boolean = false;
    std::int64_t days = 0;
};

/// What a predicate reads: a field, ab_bucket(NAME, N), or in_segment(NAME).
struct Operand {
    enum class Kind { kField, kAbBucket, kInSegment };
    Kind kind = Kind::kField;
    const FieldInfo* field = nullptr;
    std::string name;  // field, split or segment name
    std::uint32_t buckets = 0;
    std::size_t column = 0;
};

struct Node {
    enum class Kind {
        kAnd,      // children
        kOr,       // children
        kNot,      // children[0]
        kCompare,  // operand op literals[0]
        kIn,       // operand [not] in (literals); negated for "not in"
        kBetween,  // operand [not] between literals[0] and literals[1]
        kIsNull,   // operand is [not] null; negated for "is not null"
        kTruth,    // a boolean field or in_segment(...) on its own
        kConst,    // true / false
    };
    Kind kind = Kind::kConst;
    std::size_t column = 0;
    std::vector<std::shared_ptr<const Node>> children;
    Operand operand;
    CmpOp op = CmpOp::kEq;
    std::vector<Literal> literals;
    bool negated = false;
    bool value = false;  // kConst
};

/// Canonical text of a literal and of a node (used by Rule::to_string and explain()).
[[nodiscard]] std::string to_text(const Literal& literal);
[[nodiscard]] std::string to_text(const Operand& operand);
[[nodiscard]] std::string to_text(CmpOp op);
[[nodiscard]] std::string to_text(const Node& node);

}  // namespace pitboss::segments::detail
