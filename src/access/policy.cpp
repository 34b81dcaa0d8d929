#include "access/policy.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace pitboss::access {
namespace {

std::size_t hash_id(std::int64_t id) noexcept {
    const auto h = static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
}

// Auto-increment ids fill their range; a sparse set (ids from elsewhere) would waste memory.
bool ids_are_dense(std::uint64_t span, std::size_t count) noexcept {
    return span <= 2 * static_cast<std::uint64_t>(count) + 1024;
}

}  // namespace

// --- checks --------------------------------------------------------------------------------

const Policy::OperatorEntry* Policy::find(OperatorId id) const noexcept {
    if (dense_) {
        const std::uint64_t offset =
            static_cast<std::uint64_t>(id.value()) - static_cast<std::uint64_t>(dense_base_);
        if (offset >= operators_.size()) return nullptr;
        const OperatorEntry& entry = operators_[static_cast<std::size_t>(offset)];
        return entry.present() ? &entry : nullptr;
    }
    if (hash_.empty()) return nullptr;
    const std::size_t mask = hash_.size() - 1;
    for (std::size_t slot = hash_id(id.value()) & mask;; slot = (slot + 1) & mask) {
        const HashSlot& s = hash_[slot];
        if (s.entry == kEmptySlot) return nullptr;
        if (s.id == id.value()) return &operators_[s.entry];
    }
}

bool Policy::holds(const Assignment& a, std::size_t permission, std::uint64_t bit,
                   const Attributes& resource) const noexcept {
    const RoleEntry& role = roles_[a.role];
    if ((role.mask & bit) == 0) return false;
    const ConditionIndex condition = role.condition[permission];
    if (condition != kNoCondition && !conditions_[condition].matches(resource)) return false;
    return a.scope == kNoCondition || conditions_[a.scope].matches(resource);
}

bool Policy::allows(OperatorId id, std::string_view permission,
                    const Attributes& resource) const noexcept {
    // The operator's entry is the one load likely to miss the cache in a large policy: start
    // it before hashing the permission so the two overlap.
    const OperatorEntry* entry = find(id);
    const std::optional<std::size_t> p = detail::permission_index(permission);
    if (!p || entry == nullptr || entry->disabled()) return false;
    const std::uint64_t bit = std::uint64_t{1} << *p;
    for (std::uint32_t i = 0; i < entry->count(); ++i) {
        if (holds(assignment(*entry, i), *p, bit, resource)) return true;
    }
    return false;
}

bool Policy::grants_any(OperatorId id, std::string_view permission) const noexcept {
    const OperatorEntry* entry = find(id);
    const std::optional<std::size_t> p = detail::permission_index(permission);
    if (!p || entry == nullptr || entry->disabled()) return false;
    const std::uint64_t bit = std::uint64_t{1} << *p;
    for (std::uint32_t i = 0; i < entry->count(); ++i) {
        if ((roles_[assignment(*entry, i).role].mask & bit) != 0) return true;
    }
    return false;
}

Decision Policy::decide(OperatorId id, std::string_view permission,
                        const Attributes& resource) const {
    if (allows(id, permission, resource)) return {true, {}};
    const std::optional<std::size_t> p = detail::permission_index(permission);
    if (!p) return {false, "unknown permission"};
    const OperatorEntry* entry = find(id);
    if (entry == nullptr) return {false, "unknown operator " + id.to_string()};
    if (entry->disabled()) return {false, "operator " + id.to_string() + " is disabled"};
    return {false, denial_reason(*entry, *p, resource)};
}

// Names the first failing attribute among the roles that grant the permission.
std::string Policy::denial_reason(const OperatorEntry& entry, std::size_t permission,
                                  const Attributes& resource) const {
    const std::uint64_t bit = std::uint64_t{1} << permission;
    for (std::uint32_t i = 0; i < entry.count(); ++i) {
        const Assignment a = assignment(entry, i);
        const RoleEntry& role = roles_[a.role];
        if ((role.mask & bit) == 0) continue;
        const ConditionIndex condition = role.condition[permission];
        if (condition != kNoCondition) {
            if (const Clause* failed = conditions_[condition].first_failure(resource)) {
                return "condition " + failed->attribute + " failed";
            }
        }
        if (a.scope != kNoCondition) {
            if (const Clause* failed = conditions_[a.scope].first_failure(resource)) {
                return "scope condition " + failed->attribute + " failed";
            }
        }
    }
    return "no role grants " + std::string(permission::kAll[permission]);
}

// --- building ------------------------------------------------------------------------------

void PolicyBuilder::add_operator(OperatorId id, OperatorStatus status) {
    operators_.push_back({id, status});
}

void PolicyBuilder::add_role(std::string_view name) { roles_.emplace_back(name); }

ConditionIndex PolicyBuilder::add_condition(Condition condition) {
    if (condition.empty()) return kNoCondition;
    conditions_.push_back(std::move(condition));
    return static_cast<ConditionIndex>(conditions_.size() - 1);
}

void PolicyBuilder::add_grant(std::string_view role, std::string_view permission,
                              ConditionIndex condition) {
    const std::optional<std::size_t> p = detail::permission_index(permission);
    if (!p) return;
    grants_.push_back({std::string(role), *p, condition});
}

void PolicyBuilder::add_grant(std::string_view role, std::string_view permission,
                              Condition condition) {
    add_grant(role, permission, add_condition(std::move(condition)));
}

void PolicyBuilder::add_assignment(OperatorId id, std::string_view role, ConditionIndex scope) {
    assignments_.push_back({id, std::string(role), scope});
}

void PolicyBuilder::add_assignment(OperatorId id, std::string_view role, Condition scope) {
    add_assignment(id, role, add_condition(std::move(scope)));
}

std::shared_ptr<const Policy> PolicyBuilder::build() {
    auto policy = std::make_shared<Policy>();
    std::unordered_map<std::string, std::uint32_t> role_index;
    for (auto& name : roles_) {
        if (role_index.emplace(name, static_cast<std::uint32_t>(policy->roles_.size())).second) {
            Policy::RoleEntry entry;
            entry.condition.fill(kNoCondition);
            policy->roles_.push_back(entry);
        }
    }
    for (const auto& grant : grants_) {
        const auto role = role_index.find(grant.role);
        if (role == role_index.end()) continue;
        Policy::RoleEntry& entry = policy->roles_[role->second];
        entry.mask |= std::uint64_t{1} << grant.permission;
        entry.condition[grant.permission] = grant.condition;
        ++policy->grant_count_;
    }
    place_operators(*policy, role_index);
    policy->conditions_ = std::move(conditions_);
    *this = PolicyBuilder();
    return policy;
}

void PolicyBuilder::place_operators(
    Policy& policy, const std::unordered_map<std::string, std::uint32_t>& role_index) {
    std::sort(operators_.begin(), operators_.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    operators_.erase(std::unique(operators_.begin(), operators_.end(),
                                 [](const auto& a, const auto& b) { return a.id == b.id; }),
                     operators_.end());
    policy.operator_count_ = operators_.size();
    if (!operators_.empty()) {
        const std::int64_t base = operators_.front().id.value();
        const std::uint64_t span = static_cast<std::uint64_t>(operators_.back().id.value()) -
                                   static_cast<std::uint64_t>(base) + 1;
        policy.dense_ = ids_are_dense(span, operators_.size());
        if (policy.dense_) {
            policy.dense_base_ = base;
            policy.operators_.resize(static_cast<std::size_t>(span));
        } else {
            policy.operators_.resize(operators_.size());
            policy.hash_.assign(std::bit_ceil(2 * operators_.size()), {0, Policy::kEmptySlot});
        }
    }
    const std::size_t hash_mask = policy.hash_.size() - 1;
    std::vector<std::size_t> entry_index(operators_.size());
    for (std::size_t i = 0; i < operators_.size(); ++i) {
        const auto& op = operators_[i];
        std::size_t index = i;
        if (policy.dense_) {
            index = static_cast<std::size_t>(static_cast<std::uint64_t>(op.id.value()) -
                                             static_cast<std::uint64_t>(policy.dense_base_));
        } else {
            std::size_t slot = hash_id(op.id.value()) & hash_mask;
            while (policy.hash_[slot].entry != Policy::kEmptySlot) slot = (slot + 1) & hash_mask;
            policy.hash_[slot] = {op.id.value(), static_cast<std::uint32_t>(i)};
        }
        entry_index[i] = index;
        Policy::OperatorEntry& entry = policy.operators_[index];
        entry.flags = Policy::OperatorEntry::kPresent;
        if (op.status == OperatorStatus::kDisabled) entry.flags |= Policy::OperatorEntry::kDisabled;
    }

    // Both lists are sorted by id: walk them together, one operator's run at a time.
    std::stable_sort(assignments_.begin(), assignments_.end(),
                     [](const auto& a, const auto& b) { return a.id < b.id; });
    std::vector<Policy::Assignment> run;
    std::size_t next = 0;
    for (std::size_t op = 0; op < operators_.size(); ++op) {
        while (next < assignments_.size() && assignments_[next].id < operators_[op].id) ++next;
        run.clear();
        for (; next < assignments_.size() && assignments_[next].id == operators_[op].id; ++next) {
            const auto role = role_index.find(assignments_[next].role);
            if (role != role_index.end()) run.push_back({role->second, assignments_[next].scope});
        }
        fill_entry(policy, policy.operators_[entry_index[op]], run);
    }
}

void PolicyBuilder::fill_entry(Policy& policy, Policy::OperatorEntry& entry,
                               const std::vector<Policy::Assignment>& run) {
    using Entry = Policy::OperatorEntry;
    // The count cannot reach the flag bits: roles are unique per operator in the store.
    entry.flags |= static_cast<std::uint32_t>(run.size()) & Entry::kCountMask;
    policy.assignment_count_ += run.size();
    const bool inline_fits =
        run.size() <= Entry::kInline && std::all_of(run.begin(), run.end(), &Policy::packable);
    if (inline_fits) {
        for (std::size_t i = 0; i < run.size(); ++i) entry.slot[i] = Policy::pack(run[i]);
        return;
    }
    entry.flags |= Entry::kSpilled;
    entry.slot[0] = static_cast<std::uint32_t>(policy.rest_.size());
    policy.rest_.insert(policy.rest_.end(), run.begin(), run.end());
}

}  // namespace pitboss::access
