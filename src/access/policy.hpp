#pragma once
// The in-memory policy every check reads: an immutable structure built from plain rows, so it
// can be tested without a database and swapped atomically on reload.
//
// Layout, chosen so a check touches few cache lines whatever the policy's size:
//  - permissions are interned to their index in permission::kAll (perfect hash);
//  - a role is a 64-bit mask of granted permissions plus, per permission, a condition index;
//  - an operator is one 16-byte entry holding its status and up to three role assignments
//    (more in a shared array), found by direct indexing on the id when ids are dense (the
//    database's auto-increment ids are) or through an open-addressing table otherwise: at most
//    one cache miss per check in a large policy;
//  - conditions are stored once and referred to by index (identical scopes share one).

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/permission_index.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/condition.hpp"

namespace pitboss::access {

/// Index of a stored condition; kNoCondition when a grant or assignment is unconditional.
using ConditionIndex = std::uint32_t;
inline constexpr ConditionIndex kNoCondition = std::numeric_limits<ConditionIndex>::max();

/// Immutable, thread-safe once built. Build it with PolicyBuilder.
class Policy {
public:
    /// The allow/deny answer alone; no allocation.
    [[nodiscard]] bool allows(OperatorId id, std::string_view permission,
                              const Attributes& resource) const noexcept;
    /// True when some role of the operator grants `permission` under some condition: the
    /// operator may be allowed for some resources (lists filter by scope) or for none.
    [[nodiscard]] bool grants_any(OperatorId id, std::string_view permission) const noexcept;
    /// The same answer with the reason for a denial (names attributes, never their values).
    [[nodiscard]] Decision decide(OperatorId id, std::string_view permission,
                                  const Attributes& resource) const;

    /// Number of operators, roles, role grants and role assignments held.
    [[nodiscard]] std::size_t operator_count() const noexcept { return operator_count_; }
    [[nodiscard]] std::size_t role_count() const noexcept { return roles_.size(); }
    [[nodiscard]] std::size_t grant_count() const noexcept { return grant_count_; }
    [[nodiscard]] std::size_t assignment_count() const noexcept { return assignment_count_; }
    /// Number of distinct conditions stored.
    [[nodiscard]] std::size_t condition_count() const noexcept { return conditions_.size(); }

private:
    friend class PolicyBuilder;

    struct RoleEntry {
        std::uint64_t mask = 0;  // bit p: the role grants permission::kAll[p]
        std::array<ConditionIndex, detail::kPermissionCount> condition{};
    };
    struct Assignment {
        std::uint32_t role = 0;
        ConditionIndex scope = kNoCondition;
    };
    // 16 bytes, aligned so an entry never straddles two cache lines and four operators share
    // one: status and count in one word, then up to three roles packed inline as
    // (role << 16 | scope); an operator with more roles, or with indexes too large to pack,
    // has its assignments in rest_ and slot[0] says where.
    struct alignas(16) OperatorEntry {
        static constexpr std::uint32_t kPresent = 1U << 31;
        static constexpr std::uint32_t kDisabled = 1U << 30;
        static constexpr std::uint32_t kSpilled = 1U << 29;
        static constexpr std::uint32_t kCountMask = kSpilled - 1;
        static constexpr std::uint32_t kInline = 3;
        std::uint32_t flags = 0;                    // kPresent | kDisabled | kSpilled | count
        std::array<std::uint32_t, kInline> slot{};  // packed assignments, or rest_ index

        [[nodiscard]] bool present() const noexcept { return (flags & kPresent) != 0; }
        [[nodiscard]] bool disabled() const noexcept { return (flags & kDisabled) != 0; }
        [[nodiscard]] bool spilled() const noexcept { return (flags & kSpilled) != 0; }
        [[nodiscard]] std::uint32_t count() const noexcept { return flags & kCountMask; }
    };
    static_assert(sizeof(OperatorEntry) == 16);
    static constexpr std::uint32_t kPackedNone = 0xFFFF;  // "no scope" in a packed assignment

    [[nodiscard]] static bool packable(const Assignment& a) noexcept {
        return a.role <= 0xFFFF && (a.scope == kNoCondition || a.scope < kPackedNone);
    }
    [[nodiscard]] static std::uint32_t pack(const Assignment& a) noexcept {
        return a.role << 16 | (a.scope == kNoCondition ? kPackedNone : a.scope);
    }
    [[nodiscard]] static Assignment unpack(std::uint32_t packed) noexcept {
        const std::uint32_t scope = packed & 0xFFFF;
        return {packed >> 16, scope == kPackedNone ? kNoCondition : scope};
    }

    struct HashSlot {
        std::int64_t id;
        std::uint32_t entry;  // index into operators_, or kEmptySlot
    };
    static constexpr std::uint32_t kEmptySlot = std::numeric_limits<std::uint32_t>::max();

    [[nodiscard]] const OperatorEntry* find(OperatorId id) const noexcept;
    [[nodiscard]] Assignment assignment(const OperatorEntry& entry,
                                        std::uint32_t i) const noexcept {
        return entry.spilled() ? rest_[entry.slot[0] + i] : unpack(entry.slot[i]);
    }
    [[nodiscard]] bool holds(const Assignment& a, std::size_t permission, std::uint64_t bit,
                             const Attributes& resource) const noexcept;
    [[nodiscard]] std::string denial_reason(const OperatorEntry& entry, std::size_t permission,
                                            const Attributes& resource) const;

    std::vector<RoleEntry> roles_;
    std::vector<Condition> conditions_;
    std::vector<OperatorEntry> operators_;  // dense: indexed by id - dense_base_
    std::vector<Assignment> rest_;
    std::vector<HashSlot> hash_;  // used when ids are sparse; power-of-two size
    std::int64_t dense_base_ = 0;
    bool dense_ = true;
    std::size_t operator_count_ = 0;
    std::size_t grant_count_ = 0;
    std::size_t assignment_count_ = 0;
};

/// Collects rows (in any order) and builds a Policy. Rows naming an unknown role, operator or
/// permission are ignored: they could never grant anything (deny by default).
class PolicyBuilder {
public:
    /// Declares an operator (or system actor).
    void add_operator(OperatorId id, OperatorStatus status);
    /// Declares a role.
    void add_role(std::string_view name);
    /// Stores a condition and returns its index; an empty condition gives kNoCondition.
    ConditionIndex add_condition(Condition condition);
    /// Grants `permission` to `role` under the condition at `condition`.
    void add_grant(std::string_view role, std::string_view permission, ConditionIndex condition);
    /// Same, storing `condition`.
    void add_grant(std::string_view role, std::string_view permission, Condition condition = {});
    /// Gives `role` to operator `id` within the scope at `scope`.
    void add_assignment(OperatorId id, std::string_view role, ConditionIndex scope);
    /// Same, storing `scope`.
    void add_assignment(OperatorId id, std::string_view role, Condition scope = {});

    /// The finished policy; the builder is left empty.
    [[nodiscard]] std::shared_ptr<const Policy> build();

private:
    struct PendingGrant {
        std::string role;
        std::size_t permission;
        ConditionIndex condition;
    };
    struct PendingAssignment {
        OperatorId id;
        std::string role;
        ConditionIndex scope;
    };
    struct PendingOperator {
        OperatorId id;
        OperatorStatus status;
    };

    void place_operators(Policy& policy,
                         const std::unordered_map<std::string, std::uint32_t>& role_index);
    static void fill_entry(Policy& policy, Policy::OperatorEntry& entry,
                           const std::vector<Policy::Assignment>& run);

    std::vector<Condition> conditions_;
    std::vector<std::string> roles_;
    std::vector<PendingGrant> grants_;
    std::vector<PendingAssignment> assignments_;
    std::vector<PendingOperator> operators_;
};

}  // namespace pitboss::access
