#pragma once
// A compiled rule: an and/or tree over leaves, with negations pushed into the leaves.
//
// A leaf is a set of values (intervals in the field's logical units) with a `negate` flag:
// a row matches when its value is not null and (value in set) != negate. That is SQL's
// three-valued logic made two-valued at the leaves: `not (x > 5)` becomes "x not null and
// x <= 5", so a null never matches anything but `is null`.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "pitboss/segments/rule.hpp"
#include "segments/columns.hpp"

namespace pitboss::segments::detail {

inline constexpr std::int64_t kNegInf = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kPosInf = std::numeric_limits<std::int64_t>::max();

/// Inclusive [lo, hi]; kNegInf / kPosInf stand for unbounded.
struct Interval {
    std::int64_t lo;
    std::int64_t hi;
};

enum class LeafKind {
    kInt,        // an int column; set in stored units (booleans 0/1, churn 1/10000, money minor)
    kTimeDay,    // a timestamp's UTC date; set in days since 1970-01-01 (scanned as minutes)
    kDaysSince,  // whole days since a timestamp; set in days, bound to `now` at evaluation
    kAge,        // whole years since the birth day; set in years, bound to `now` at evaluation
    kString,     // dictionary codes
    kIsNull,     // the field is (want_null) or is not null
    kSegment,    // membership bitmap supplied by the resolver
    kAbBucket,   // bucket of the player's external id; set in bucket numbers
};

struct Leaf {
    LeafKind kind = LeafKind::kInt;
    bool negate = false;
    bool want_null = true;
    Storage storage = Storage::kInt;
    std::uint8_t slot = 0;
    std::vector<Interval> set;             // sorted, disjoint
    std::vector<std::uint64_t> code_bits;  // kString: bit c set when code c is listed
    const Bitmap* segment = nullptr;       // kSegment
    std::uint64_t split_hash = 0;          // kAbBucket
    std::uint32_t buckets = 1;             // kAbBucket
    std::string text;                      // for explain()
    double cost = 1.0;                     // relative cost per row
};

struct PNode {
    enum class Kind { kAnd, kOr, kLeaf, kConst };
    Kind kind = Kind::kConst;
    std::vector<std::uint32_t> children;
    std::uint32_t leaf = 0;
    bool value = false;
};

/// The per-row form of the tree for matches(): one contiguous array in pre-order, so a rule
/// is checked without chasing pointers. An and/or op spans the ops up to `end`; a leaf op
/// holds its first interval (and, for strings, the codes below 256) inline and falls back to
/// its Leaf otherwise.
struct RowOp {
    enum class Kind : std::uint8_t { kAnd, kOr, kConst, kLeaf };
    Kind kind = Kind::kConst;
    LeafKind leaf_kind = LeafKind::kInt;
    bool negate = false;
    bool value = false;   // kConst
    bool simple = false;  // the leaf is exactly [lo, hi] (and, for strings, `codes`)
    std::uint8_t slot = 0;
    std::uint32_t end = 0;   // kAnd / kOr: one past the last op of the node
    std::uint32_t leaf = 0;  // kLeaf: index into Program::leaves
    std::int64_t lo = 0;
    std::int64_t hi = -1;
    std::uint64_t codes[4] = {0, 0, 0, 0};  // kString codes 0-255
};

struct Program {
    Program(Rule r, const Columns* c) : rule(std::move(r)), columns(c) {}
    Rule rule;
    const Columns* columns;
    std::vector<Leaf> leaves;
    std::vector<PNode> nodes;
    std::uint32_t root = 0;
    std::vector<RowOp> row_ops;
};

/// Fills program.row_ops from the tree (after compilation).
void build_row_ops(Program& program);

/// True when `v` lies in one of the sorted intervals.
[[nodiscard]] inline bool in_set(const std::vector<Interval>& set, std::int64_t v) noexcept {
    for (const Interval& i : set) {
        if (v < i.lo) return false;
        if (v <= i.hi) return true;
    }
    return false;
}

/// Saturating arithmetic on interval bounds (kNegInf / kPosInf stay put).
[[nodiscard]] std::int64_t sat_add(std::int64_t a, std::int64_t b) noexcept;
[[nodiscard]] std::int64_t sat_mul(std::int64_t a, std::int64_t b) noexcept;
/// a - b, saturating; subtracting an infinite bound gives the opposite infinity.
[[nodiscard]] std::int64_t sat_sub(std::int64_t a, std::int64_t b) noexcept;

/// The latest birth day (days since 1970-01-01) of someone at least `years` old on (y, m, d).
[[nodiscard]] std::int64_t latest_birth_day(std::int64_t years, const EvalTime& time) noexcept;

}  // namespace pitboss::segments::detail
