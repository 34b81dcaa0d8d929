#pragma once
/// @file
/// ABAC conditions: attribute tests attached to a grant ("only players in DE or AT",
/// "only adjustments up to 1,000.00").

#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/actor.hpp"
#include "pitboss/core/json.hpp"

namespace pitboss::access {

/// Comparison of one attribute with one or more values.
enum class ConditionOp { kEq, kNe, kIn, kNotIn, kLt, kLe, kGt, kGe };

/// The JSON name of an operator: "eq", "ne", "in", "not_in", "lt", "le", "gt", "ge".
[[nodiscard]] std::string_view to_string(ConditionOp op) noexcept;

/// One test: `attribute op values`. A missing attribute fails every test (deny by default).
struct Clause {
    std::string attribute;               ///< the resource attribute tested, e.g. "country"
    ConditionOp op;                      ///< how the attribute is compared with `values`
    std::vector<AttributeValue> values;  ///< one value, except for in / not_in

    /// Equal when attribute, operator and values are equal.
    friend bool operator==(const Clause&, const Clause&) = default;
};

/// All clauses must hold (AND). The empty condition always holds.
///
/// JSON form, as stored and as given by administrators:
/// `{"country": {"in": ["DE", "AT"]}, "amount_minor": {"le": 100000}}`,
/// operators eq, ne, in, not_in, lt, le, gt, ge; lt/le/gt/ge need integers. One attribute may
/// carry several operators (`{"amount_minor": {"ge": 0, "le": 100000}}`).
///
/// Values are JSON strings or integers (never floats); the values of one clause share one
/// type. Text compares exactly (case-sensitive); integers compare numerically. A clause fails
/// when the resource lacks its attribute or holds a value of the other type (so lt/le/gt/ge
/// on a text attribute are false, and so are ne / not_in).
class Condition {
public:
    Condition() = default;
    /// Takes clauses as given; throws ValidationError naming the attribute when a clause is
    /// malformed (empty name, wrong number of values, mixed types, text with lt/le/gt/ge, or a
    /// second clause with the same attribute and operator).
    explicit Condition(std::vector<Clause> clauses);
    /// Parses the JSON form; throws ValidationError naming the attribute at fault (or
    /// "condition" when the whole value is not an object).
    static Condition from_json(const Json& j);
    /// Parses the JSON text form; malformed JSON is a ValidationError("condition").
    static Condition parse(std::string_view text);
    /// The JSON form; from_json(to_json()) gives an equal condition. Empty → `{}`.
    [[nodiscard]] Json to_json() const;
    /// True when every clause holds for `resource`.
    [[nodiscard]] bool matches(const Attributes& resource) const noexcept;
    /// The first clause that does not hold for `resource`, or nullptr when all hold.
    [[nodiscard]] const Clause* first_failure(const Attributes& resource) const noexcept;
    /// True when there are no clauses, so the condition always holds.
    [[nodiscard]] bool empty() const noexcept { return clauses_.empty(); }
    /// The clauses, for display and storage.
    [[nodiscard]] const std::vector<Clause>& clauses() const noexcept { return clauses_; }

    /// Equal when the clauses are equal, in order.
    friend bool operator==(const Condition&, const Condition&) = default;

private:
    std::vector<Clause> clauses_;
};

}  // namespace pitboss::access
