#pragma once
/// @file
/// `pitboss::open(url)`: the facade an embedding program holds. It owns the database, the
/// clock and the services, and wires them together; it contains no business logic.

#include <memory>
#include <string>
#include <string_view>

#include "pitboss/access/identity.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss {

namespace access {
class AccessControl;
}
namespace audit {
class AuditLog;
}
namespace players {
class PlayerService;
}
namespace events {
class Ingestor;
}
namespace transport {
class Outbox;
}
namespace helpdesk {
class HelpdeskService;
class KnowledgeBase;
}  // namespace helpdesk
namespace segments {
class SegmentService;
}

/// How to open a back office.
struct Options {
    /// The clock every rule reads; the system clock when empty.
    std::shared_ptr<Clock> clock;
    /// The operator's reporting currency (ISO 4217).
    std::string base_currency = "EUR";
    /// Apply pending schema migrations on open (`pitboss init` does it explicitly).
    bool apply_migrations = true;
    /// Connection tuning (pool, timeouts) passed to storage::Database::open.
    storage::DatabaseOptions database;
    /// Password, lockout, two-factor and session settings of operator sign-in.
    access::IdentityOptions identity;
};

/// One back office over one database. Movable, not copyable; services are thread-safe.
class Backoffice {
public:
    /// Takes over the database and services; the source must not be used afterwards.
    Backoffice(Backoffice&&) noexcept;
    /// Takes over the database and services; the source must not be used afterwards.
    Backoffice& operator=(Backoffice&&) noexcept;
    ~Backoffice();

    /// The database, for embedders that add their own tables or transactions.
    [[nodiscard]] storage::Database& database();
    /// The clock every service reads.
    [[nodiscard]] const Clock& clock() const;
    /// The reporting currency (ISO 4217) from Options.
    [[nodiscard]] const std::string& base_currency() const;
    /// Operators, roles and permission checks.
    [[nodiscard]] access::AccessControl& access();
    /// Operator passwords, two-factor enrolment, sign-in and sessions.
    [[nodiscard]] access::Identity& identity();
    /// The tamper-evident audit log.
    [[nodiscard]] audit::AuditLog& audit();
    /// Player master profiles.
    [[nodiscard]] players::PlayerService& players();
    /// Platform event ingestion and per-player aggregates.
    [[nodiscard]] events::Ingestor& events();
    /// Help desk: tickets, assignment, SLA, timelines, templates.
    [[nodiscard]] helpdesk::HelpdeskService& helpdesk();
    /// Help-desk knowledge base: articles, versions, search, FAQ.
    [[nodiscard]] helpdesk::KnowledgeBase& knowledge_base();
    /// Segmentation: rules, named segments, membership, churn risk.
    [[nodiscard]] segments::SegmentService& segments();
    /// Domain events waiting to be published.
    [[nodiscard]] transport::Outbox& outbox();

    /// Applies pending migrations; returns how many ran.
    int migrate();

private:
    friend Backoffice open(std::string_view url, Options options);
    struct Impl;
    explicit Backoffice(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// Opens the database at `url` (see storage::Database::open) and returns its back office.
[[nodiscard]] Backoffice open(std::string_view url, Options options = {});

/// Every module's migrations, in dependency order.
[[nodiscard]] std::vector<storage::Migration> all_migrations();

}  // namespace pitboss
