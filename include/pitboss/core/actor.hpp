#pragma once
/// @file
/// Who acts (Actor), what they act on (Attributes), and the check every service call makes
/// (Authorizer). The vocabulary lives in core so every floor can name it; the policy that
/// decides lives in `access`.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "pitboss/core/id.hpp"

namespace pitboss {

/// Whether an actor is a person at the back office or an automated process.
enum class ActorKind { kOperator, kSystem };

/// The identity a call runs as. Obtained from `access::AccessControl` (system_actor,
/// operator_actor, later sessions); cheap to copy.
class Actor {
public:
    /// The operator (or system actor) row this identity belongs to.
    [[nodiscard]] OperatorId id() const noexcept { return id_; }
    /// Person or automated process.
    [[nodiscard]] ActorKind kind() const noexcept { return kind_; }
    /// Login or system name, e.g. "alice" or "campaign-dispatcher".
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    /// How the audit log names the actor: "operator:alice" or "system:bootstrap".
    [[nodiscard]] std::string label() const {
        return (kind_ == ActorKind::kSystem ? "system:" : "operator:") + name_;
    }

private:
    friend class ActorFactory;
    Actor(OperatorId id, ActorKind kind, std::string name)
        : id_(id), kind_(kind), name_(std::move(name)) {}
    OperatorId id_;
    ActorKind kind_;
    std::string name_;
};

/// The only way to mint an Actor; used by `access` after it has verified who is acting.
class ActorFactory {
public:
    /// An Actor for an identity the caller has already verified.
    static Actor make(OperatorId id, ActorKind kind, std::string name) {
        return Actor(id, kind, std::move(name));
    }
};

/// One attribute value of a resource or request: text or integer (money in minor units).
using AttributeValue = std::variant<std::int64_t, std::string>;

/// Attributes of the resource a call touches (ABAC input): {"country": "DE", "brand": "main",
/// "amount_minor": 5000}. Small and flat; lookup is a linear scan.
class Attributes {
public:
    Attributes() = default;
    /// Literal attributes, e.g. {{"country", "DE"}, {"amount_minor", 5000}}.
    Attributes(std::initializer_list<std::pair<std::string, AttributeValue>> items)
        : items_(items) {}
    /// Sets (or replaces) one attribute.
    Attributes& set(std::string key, AttributeValue value);
    /// The value of `key`, or nullptr when absent.
    [[nodiscard]] const AttributeValue* find(std::string_view key) const noexcept;
    /// Every attribute, in insertion order (for audit and debugging).
    [[nodiscard]] const std::vector<std::pair<std::string, AttributeValue>>& items()
        const noexcept {
        return items_;
    }

private:
    std::vector<std::pair<std::string, AttributeValue>> items_;
};

/// The permission check every service runs before it touches data. Implemented by
/// `access::AccessControl`; throws AccessDenied (nothing else) when the actor may not act.
class Authorizer {
public:
    virtual ~Authorizer() = default;
    /// Throws AccessDenied unless `actor` holds `permission` for a resource with `resource`.
    virtual void require(const Actor& actor, std::string_view permission,
                         const Attributes& resource = {}) const = 0;
};

}  // namespace pitboss
