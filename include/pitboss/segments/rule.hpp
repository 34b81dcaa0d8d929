#pragma once
/// @file
/// The segment rule language: parse a rule, compile it against a PlayerTable, evaluate it as a
/// columnar scan (a Bitmap of rows) or for one row (the incremental path). The grammar and the
/// fields are in docs/segments.md. Rules are never turned into SQL.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/error.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/segments/bitmap.hpp"
#include "pitboss/segments/player_table.hpp"

namespace pitboss::segments {

/// A rule that does not parse, names an unknown field or segment, or compares mismatched
/// types. `field()` is "rule"; what() reads "rule: <detail>", e.g. "rule: unknown field
/// 'deposit_sum_31d' at column 24; did you mean deposit_sum_30d?".
class RuleError : public ValidationError {
public:
    /// An error at 1-based `column` of the rule text; `detail` already names the column.
    RuleError(std::size_t column, const std::string& detail)
        : ValidationError("rule", detail), column_(column), detail_(detail) {}
    /// 1-based column (in bytes) where the problem starts; text length + 1 at end of input.
    [[nodiscard]] std::size_t column() const noexcept { return column_; }
    /// The message without the "rule: " prefix.
    [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

private:
    std::size_t column_;
    std::string detail_;
};

/// @cond INTERNAL
namespace detail {
struct Node;
struct Program;
}  // namespace detail
/// @endcond

/// A parsed, type-checked rule (immutable, cheap to copy).
class Rule {
public:
    /// The text it was parsed from.
    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    /// A canonical rendering: fully parenthesised, single spaces, literals normalised.
    [[nodiscard]] std::string to_string() const;
    /// Names given to in_segment(...), sorted and unique (the rule's dependencies).
    [[nodiscard]] const std::vector<std::string>& segments() const noexcept { return segments_; }
    /// Fields the rule reads, sorted and unique (ab_bucket reads "player_id").
    [[nodiscard]] const std::vector<std::string>& fields() const noexcept { return fields_; }
    /// @cond INTERNAL
    /// The syntax tree, for the compiler.
    [[nodiscard]] const detail::Node& root() const noexcept { return *root_; }
    /// Built by parse_rule.
    Rule(std::string text, std::shared_ptr<const detail::Node> root,
         std::vector<std::string> segments, std::vector<std::string> fields);
    /// @endcond

private:
    std::string text_;
    std::shared_ptr<const detail::Node> root_;
    std::vector<std::string> segments_;
    std::vector<std::string> fields_;
};

/// Parses and type-checks `text`; throws RuleError naming the column and the problem.
[[nodiscard]] Rule parse_rule(std::string_view text);

/// The instant a rule is evaluated at, with its UTC date precomputed: age and days_since_*
/// are relative to it. Build it once per batch of matches() calls.
class EvalTime {
public:
    /// Evaluation at `now` (from the injected Clock).
    explicit EvalTime(Timestamp now) noexcept;
    /// The instant.
    [[nodiscard]] Timestamp now() const noexcept { return from_unix_millis(now_ms_); }
    /// @cond INTERNAL
    [[nodiscard]] std::int64_t now_ms() const noexcept { return now_ms_; }
    [[nodiscard]] int year() const noexcept { return year_; }
    [[nodiscard]] unsigned month() const noexcept { return month_; }
    [[nodiscard]] unsigned day() const noexcept { return day_; }
    /// @endcond

private:
    std::int64_t now_ms_;
    int year_;
    unsigned month_;
    unsigned day_;
};

/// Supplies the membership of a segment named by in_segment(NAME): a bitmap by row index of
/// the table the rule is compiled against, or nullptr when no such segment exists. The bitmap
/// is read (not copied) at every evaluation, so it must outlive the compiled rule; rows past
/// its size are not members.
using SegmentResolver = std::function<const Bitmap*(std::string_view name)>;

/// A rule compiled to a columnar program for one PlayerTable. Immutable; evaluate() and
/// matches() may run concurrently while nobody writes the table or the segment bitmaps.
class CompiledRule {
public:
    /// The rows matching at `now`, as a bitmap of table.size() rows. Throws PreconditionError
    /// when `table` is not the table the rule was compiled against.
    [[nodiscard]] Bitmap evaluate(const PlayerTable& table, Timestamp now) const;
    /// Same, into `out` (resized to table.size()), reusing its memory.
    void evaluate_into(const PlayerTable& table, Timestamp now, Bitmap& out) const;
    /// Number of matching rows at `now`.
    [[nodiscard]] std::size_t count(const PlayerTable& table, Timestamp now) const;
    /// Whether row `row` matches at `time`: the same answer as evaluate(), for one row.
    /// Throws PreconditionError for a foreign table; `row` must be < table.size().
    [[nodiscard]] bool matches(const PlayerTable& table, RowIndex row, const EvalTime& time) const;
    /// Same, at `now`.
    [[nodiscard]] bool matches(const PlayerTable& table, RowIndex row, Timestamp now) const {
        return matches(table, row, EvalTime(now));
    }
    /// The rule it was compiled from.
    [[nodiscard]] const Rule& rule() const noexcept;
    /// The program: clauses in execution order, one per line (for debugging and docs).
    [[nodiscard]] std::string explain() const;

    /// @cond INTERNAL
    /// Built by compile_rule.
    explicit CompiledRule(std::shared_ptr<const detail::Program> program) noexcept;
    /// @endcond

private:
    std::shared_ptr<const detail::Program> program_;
};

/// Compiles `rule` for `table`. Interns the rule's string literals into the table's
/// dictionaries (so players added later with those values match) and resolves in_segment
/// names through `resolver`; throws RuleError for an unknown segment (or any in_segment
/// without a resolver) and for money literals with more decimals than the base currency has.
[[nodiscard]] CompiledRule compile_rule(const Rule& rule, PlayerTable& table,
                                        const SegmentResolver& resolver = {});
/// parse_rule then compile_rule.
[[nodiscard]] CompiledRule compile_rule(std::string_view text, PlayerTable& table,
                                        const SegmentResolver& resolver = {});

}  // namespace pitboss::segments
