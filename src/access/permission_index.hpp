#pragma once
// Interns permission names to small integers (their position in permission::kAll) with a
// perfect hash computed at compile time: one hash of at most two 8-byte words, one table load,
// one comparison. The check path calls it for every request, so it must not scan the catalogue.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>

#include "pitboss/access/permissions.hpp"

namespace pitboss::access::detail {

/// How many permissions the catalogue holds; a role's grants fit one 64-bit mask.
inline constexpr std::size_t kPermissionCount = permission::kAll.size();
static_assert(kPermissionCount <= 64, "grow the role permission mask beyond 64 bits");

/// Up to 8 bytes of `s` from `offset`, little-endian, zero-padded.
constexpr std::uint64_t load_word(std::string_view s, std::size_t offset) noexcept {
    const std::size_t n = s.size() > offset ? std::min<std::size_t>(8, s.size() - offset) : 0;
    if (!std::is_constant_evaluated() && n == 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + offset, 8);
        return w;
    }
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < n; ++i) {
        w |= std::uint64_t{static_cast<unsigned char>(s[offset + i])} << (8 * i);
    }
    return w;
}

/// Hash over the first and the last 8 bytes and the length (enough to tell dotted names apart;
/// the table build below proves it is collision-free for the catalogue).
constexpr std::uint64_t permission_hash(std::string_view s, std::uint64_t seed) noexcept {
    const std::uint64_t head = load_word(s, 0);
    const std::uint64_t tail = s.size() > 8 ? load_word(s, s.size() - 8) : 0;
    std::uint64_t h = (head ^ seed) * 0x9E3779B97F4A7C15ULL;
    h ^= (tail + s.size()) * 0xC2B2AE3D27D4EB4FULL;
    return h ^ (h >> 31);
}

/// The perfect-hash table: a seed and, per slot, the catalogue index or -1.
struct PermissionTable {
    static constexpr unsigned kBits = kPermissionCount <= 8 ? 5 : kPermissionCount <= 32 ? 7 : 8;
    std::uint64_t seed = 0;
    std::array<std::int8_t, std::size_t{1} << kBits> slot{};

    static constexpr std::size_t slot_of(std::uint64_t hash) noexcept {
        return static_cast<std::size_t>(hash >> (64 - kBits));
    }
};

consteval PermissionTable build_permission_table() {
    for (std::uint64_t seed = 1; seed < 100000; ++seed) {
        PermissionTable table;
        table.seed = seed;
        table.slot.fill(-1);
        bool collision = false;
        for (std::size_t i = 0; i < kPermissionCount && !collision; ++i) {
            auto& s =
                table.slot[PermissionTable::slot_of(permission_hash(permission::kAll[i], seed))];
            collision = s != -1;
            s = static_cast<std::int8_t>(i);
        }
        if (!collision) return table;
    }
    throw "no perfect hash seed for the permission catalogue";  // a compile error in consteval
}

inline constexpr PermissionTable kPermissionTable = build_permission_table();

/// Index of `name` in permission::kAll, or nullopt for a name pitboss does not know.
constexpr std::optional<std::size_t> permission_index(std::string_view name) noexcept {
    const std::int8_t i =
        kPermissionTable
            .slot[PermissionTable::slot_of(permission_hash(name, kPermissionTable.seed))];
    if (i < 0 || permission::kAll[static_cast<std::size_t>(i)] != name) return std::nullopt;
    return static_cast<std::size_t>(i);
}

consteval bool indexes_whole_catalogue() {
    for (std::size_t i = 0; i < kPermissionCount; ++i) {
        if (permission_index(permission::kAll[i]) != i) return false;
    }
    return !permission_index("players.fly") && !permission_index("");
}
static_assert(indexes_whole_catalogue());

}  // namespace pitboss::access::detail
