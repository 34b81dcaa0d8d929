#pragma once
// Runs one service call as one transaction and audits a denial after the rollback: the denial
// entry cannot share the refused call's transaction, which never commits.

#include <utility>

#include "pitboss/access/access_control.hpp"
#include "pitboss/storage/database.hpp"

namespace pitboss::access {

template <class F>
auto guarded(storage::Database& db, const AccessControl& access, const Actor& actor,
             storage::TxMode mode, F&& work) {
    try {
        return db.run(mode, std::forward<F>(work));
    } catch (const AccessDenied& denied) {
        access.record_denial(actor, denied);
        throw;
    }
}

}  // namespace pitboss::access
