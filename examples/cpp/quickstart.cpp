// Quick start: open a back office on an SQLite file, register a player, read it back and
// check the audit log. Build: see CMakeLists.txt beside this file.
#include <iostream>

#include "pitboss/pitboss.hpp"

int main() {
    using namespace std::chrono;
    auto bo = pitboss::open("sqlite://quickstart.db");  // created and migrated on first use
    auto admin = bo.access().system_actor("bootstrap");

    pitboss::players::NewPlayer anna;
    anna.external_id = "platform-1001";
    anna.email = "anna@example.com";
    anna.country = "MT";
    anna.birth_date = year(1990) / March / 4;
    anna.currency = "EUR";
    anna.consents.email = true;
    if (!bo.players().find_by_external_id(admin, anna.external_id)) {
        bo.players().register_player(admin, anna);
    }

    auto player = bo.players().get_by_external_id(admin, "platform-1001");
    std::cout << to_json(player).dump(2) << '\n';
    auto report = bo.audit().verify();
    std::cout << "audit: " << (report.ok ? "ok" : "BROKEN") << ", " << report.entries_checked
              << " entries\n";
    return report.ok ? 0 : 1;
}
