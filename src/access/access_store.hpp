#pragma once
// All SQL of the access module, written against storage::Transaction.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/policy.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::access::detail {

/// The access tables (operators, roles, role_permissions, operator_roles) as seen from one
/// transaction. Inserts return false instead of throwing when the key already exists.
class AccessStore {
public:
    explicit AccessStore(storage::Transaction& tx) : tx_(tx) {}

    /// Streams every operator, role, grant and assignment into `builder`. A grant or an
    /// assignment whose stored condition no longer parses is left out (it grants nothing).
    void load(PolicyBuilder& builder);

    [[nodiscard]] std::optional<Operator> find_operator(OperatorId id);
    [[nodiscard]] std::optional<Operator> find_operator(std::string_view name);
    /// The new operator with its id, or nothing when the name is taken.
    [[nodiscard]] std::optional<Operator> insert_operator(const NewOperator& input,
                                                          Timestamp created_at);
    void set_status(OperatorId id, OperatorStatus status);
    [[nodiscard]] std::vector<Operator> operators();

    [[nodiscard]] bool role_exists(std::string_view name);
    [[nodiscard]] bool insert_role(std::string_view name, std::string_view description);
    [[nodiscard]] std::vector<Role> roles();

    [[nodiscard]] bool insert_grant(std::string_view role, std::string_view permission,
                                    const Condition& condition);
    /// The removed grant's stored condition (null when none), or nothing when the role did not
    /// hold the permission.
    [[nodiscard]] std::optional<Json> delete_grant(std::string_view role,
                                                   std::string_view permission);

    [[nodiscard]] bool insert_assignment(OperatorId id, std::string_view role,
                                         const Condition& scope);
    /// The removed assignment's stored scope (null when none), or nothing when the operator did
    /// not hold the role.
    [[nodiscard]] std::optional<Json> delete_assignment(OperatorId id, std::string_view role);
    [[nodiscard]] std::vector<RoleAssignment> assignments(OperatorId id);

    /// Schema and seeds of the module.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    storage::Transaction& tx_;
};

/// Stored spelling of enums: "operator"/"system", "active"/"disabled".
[[nodiscard]] std::string_view to_string(ActorKind kind) noexcept;
[[nodiscard]] std::string_view to_string(OperatorStatus status) noexcept;

}  // namespace pitboss::access::detail
