#include "access/permission_index.hpp"

#include <catch2/catch.hpp>
#include <string>

using pitboss::access::detail::kPermissionCount;
using pitboss::access::detail::permission_index;
namespace permission = pitboss::access::permission;

TEST_CASE("access: every catalogued permission interns to its position", "[access]") {
    for (std::size_t i = 0; i < kPermissionCount; ++i) {
        INFO(permission::kAll[i]);
        // A copy, so the lookup cannot rely on the constant's address.
        const std::string copy(permission::kAll[i]);
        CHECK(permission_index(copy) == i);
    }
}

TEST_CASE("access: names outside the catalogue do not intern", "[access]") {
    for (const char* name : {"", "players", "players.", "players.reads", "players.rea",
                             "Players.read", "players.read ", "audit.exporT", "access.manage2",
                             "payments.adjusx", "xlayers.read", "players\0read"}) {
        INFO(name);
        CHECK_FALSE(permission_index(name));
    }
    // Every one-character change of a catalogued name is refused.
    for (std::string_view known : permission::kAll) {
        for (std::size_t i = 0; i < known.size(); ++i) {
            std::string changed(known);
            changed[i] = changed[i] == 'x' ? 'y' : 'x';
            INFO(changed);
            CHECK_FALSE(permission_index(changed));
        }
    }
}
