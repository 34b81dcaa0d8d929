#include "pitboss/access/condition.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::access {
namespace {

struct OpName {
    ConditionOp op;
    std::string_view name;
};

constexpr std::array kOpNames = {
    OpName{ConditionOp::kEq, "eq"}, OpName{ConditionOp::kNe, "ne"},
    OpName{ConditionOp::kIn, "in"}, OpName{ConditionOp::kNotIn, "not_in"},
    OpName{ConditionOp::kLt, "lt"}, OpName{ConditionOp::kLe, "le"},
    OpName{ConditionOp::kGt, "gt"}, OpName{ConditionOp::kGe, "ge"},
};

std::optional<ConditionOp> op_from_string(std::string_view name) noexcept {
    for (const auto& entry : kOpNames) {
        if (entry.name == name) return entry.op;
    }
    return std::nullopt;
}

bool is_list_op(ConditionOp op) noexcept {
    return op == ConditionOp::kIn || op == ConditionOp::kNotIn;
}

bool is_ordering_op(ConditionOp op) noexcept {
    return op == ConditionOp::kLt || op == ConditionOp::kLe || op == ConditionOp::kGt ||
           op == ConditionOp::kGe;
}

// Operator names come from administrators; keep an echoed one short and printable.
std::string quoted_for_message(std::string_view text) {
    std::string out = "'";
    for (char c : text.substr(0, 32)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (text.size() > 32) out += "...";
    return out + "'";
}

void validate_clause(const Clause& clause) {
    if (clause.attribute.empty()) {
        throw ValidationError("condition", "attribute name is empty");
    }
    const std::string& field = clause.attribute;
    const std::string_view op = to_string(clause.op);
    if (is_list_op(clause.op)) {
        if (clause.values.empty()) {
            throw ValidationError(field, std::string(op) + " needs at least one value");
        }
    } else if (clause.values.size() != 1) {
        throw ValidationError(field, std::string(op) + " needs exactly one value");
    }
    const std::size_t type = clause.values.front().index();
    for (const auto& value : clause.values) {
        if (value.index() != type) {
            throw ValidationError(field, std::string(op) +
                                             " values must all be integers or all "
                                             "be strings");
        }
    }
    if (is_ordering_op(clause.op) && !std::holds_alternative<std::int64_t>(clause.values.front())) {
        throw ValidationError(field, std::string(op) + " needs an integer");
    }
}

AttributeValue value_from_json(const Json& j, const std::string& field, std::string_view op) {
    if (j.is_string()) return j.get<std::string>();
    if (j.is_number_integer()) {
        if (j.is_number_unsigned() &&
            j.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            throw ValidationError(field, std::string(op) + " value is out of the 64-bit range");
        }
        return j.get<std::int64_t>();
    }
    throw ValidationError(field, std::string(op) + " values must be strings or integers");
}

Clause clause_from_json(const std::string& attribute, std::string_view op_name, const Json& j) {
    const auto op = op_from_string(op_name);
    if (!op) {
        throw ValidationError(attribute, "unknown operator " + quoted_for_message(op_name));
    }
    Clause clause{attribute, *op, {}};
    if (is_list_op(*op)) {
        if (!j.is_array()) {
            throw ValidationError(attribute, std::string(op_name) + " needs an array of values");
        }
        clause.values.reserve(j.size());
        for (const auto& item : j)
            clause.values.push_back(value_from_json(item, attribute, op_name));
    } else {
        clause.values.push_back(value_from_json(j, attribute, op_name));
    }
    return clause;
}

Json value_to_json(const AttributeValue& value) {
    return std::visit([](const auto& v) { return Json(v); }, value);
}

bool less(const AttributeValue& a, const AttributeValue& b) noexcept {
    return std::get<std::int64_t>(a) < std::get<std::int64_t>(b);
}

bool contains(const std::vector<AttributeValue>& values, const AttributeValue& value) noexcept {
    return std::find(values.begin(), values.end(), value) != values.end();
}

// Assumes a validated clause; `value` has the clause's type.
bool holds_same_type(const Clause& clause, const AttributeValue& value) noexcept {
    const AttributeValue& first = clause.values.front();
    switch (clause.op) {
        case ConditionOp::kEq:
            return value == first;
        case ConditionOp::kNe:
            return value != first;
        case ConditionOp::kIn:
            return contains(clause.values, value);
        case ConditionOp::kNotIn:
            return !contains(clause.values, value);
        case ConditionOp::kLt:
            return less(value, first);
        case ConditionOp::kLe:
            return !less(first, value);
        case ConditionOp::kGt:
            return less(first, value);
        case ConditionOp::kGe:
            return !less(value, first);
    }
    return false;
}

bool clause_holds(const Clause& clause, const Attributes& resource) noexcept {
    const AttributeValue* value = resource.find(clause.attribute);
    if (value == nullptr) return false;
    if (value->index() != clause.values.front().index()) return false;
    return holds_same_type(clause, *value);
}

}  // namespace

std::string_view to_string(ConditionOp op) noexcept {
    for (const auto& entry : kOpNames) {
        if (entry.op == op) return entry.name;
    }
    return "?";
}

Condition::Condition(std::vector<Clause> clauses) : clauses_(std::move(clauses)) {
    for (std::size_t i = 0; i < clauses_.size(); ++i) {
        validate_clause(clauses_[i]);
        for (std::size_t k = 0; k < i; ++k) {
            if (clauses_[k].attribute == clauses_[i].attribute &&
                clauses_[k].op == clauses_[i].op) {
                throw ValidationError(clauses_[i].attribute,
                                      std::string(to_string(clauses_[i].op)) + " given twice");
            }
        }
    }
}

Condition Condition::from_json(const Json& j) {
    if (!j.is_object()) {
        throw ValidationError("condition", "must be a JSON object of attribute tests");
    }
    std::vector<Clause> clauses;
    for (const auto& [attribute, tests] : j.items()) {
        if (attribute.empty()) throw ValidationError("condition", "attribute name is empty");
        if (!tests.is_object() || tests.empty()) {
            throw ValidationError(attribute, "must be an object of operator: value");
        }
        for (const auto& [op_name, value] : tests.items()) {
            clauses.push_back(clause_from_json(attribute, op_name, value));
        }
    }
    return Condition(std::move(clauses));
}

Condition Condition::parse(std::string_view text) {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) throw ValidationError("condition", "malformed JSON");
    return from_json(j);
}

Json Condition::to_json() const {
    Json j = Json::object();
    for (const auto& clause : clauses_) {
        const std::string op(to_string(clause.op));
        if (is_list_op(clause.op)) {
            Json list = Json::array();
            for (const auto& value : clause.values) list.push_back(value_to_json(value));
            j[clause.attribute][op] = std::move(list);
        } else {
            j[clause.attribute][op] = value_to_json(clause.values.front());
        }
    }
    return j;
}

bool Condition::matches(const Attributes& resource) const noexcept {
    return std::all_of(clauses_.begin(), clauses_.end(),
                       [&](const Clause& clause) { return clause_holds(clause, resource); });
}

const Clause* Condition::first_failure(const Attributes& resource) const noexcept {
    for (const auto& clause : clauses_) {
        if (!clause_holds(clause, resource)) return &clause;
    }
    return nullptr;
}

}  // namespace pitboss::access
