#include "pitboss/backoffice.hpp"

#include <utility>

#include "pitboss/access/access_control.hpp"
#include "pitboss/access/identity.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/money.hpp"
#include "pitboss/events/ingestor.hpp"
#include "pitboss/helpdesk/helpdesk.hpp"
#include "pitboss/helpdesk/knowledge_base.hpp"
#include "pitboss/players/player_service.hpp"
#include "pitboss/segments/segments.hpp"
#include "pitboss/transport/outbox.hpp"

namespace pitboss {

// Composition only. Member order is construction order: the clock and database first, then
// the services that hold references to them. The audit log and access control refer to each
// other (the log asks access for `audit.read`, access writes denials to the log): access is
// constructed first and only stores its reference to the log, which is built right after it
// with the finished access control as its authorizer.
struct Backoffice::Impl {
    Impl(std::shared_ptr<Clock> clock_in, std::unique_ptr<storage::Database> db_in,
         std::string currency, access::IdentityOptions identity_options = {})
        : clock(std::move(clock_in)),
          db(std::move(db_in)),
          base_currency(std::move(currency)),
          outbox(*clock),
          access(*db, *clock, audit),
          audit(*db, *clock, access),
          identity(*db, *clock, access, audit, std::move(identity_options)),
          players(*db, *clock, access, audit, outbox),
          events(*db, *clock, access, audit, outbox, base_currency),
          helpdesk(*db, *clock, access, audit, outbox) {}

    std::shared_ptr<Clock> clock;
    std::unique_ptr<storage::Database> db;
    std::string base_currency;
    transport::Outbox outbox;
    access::AccessControl access;
    audit::AuditLog audit;
    access::Identity identity;
    players::PlayerService players;
    events::Ingestor events;
    helpdesk::HelpdeskService helpdesk;
    helpdesk::KnowledgeBase knowledge_base{*db, *clock, access, audit, outbox};
    // Registers itself as the ingestor's commit observer (the incremental segment path).
    segments::SegmentService segments{*db, *clock, access, audit, outbox, events};
};

Backoffice::Backoffice(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Backoffice::Backoffice(Backoffice&&) noexcept = default;
Backoffice& Backoffice::operator=(Backoffice&&) noexcept = default;
Backoffice::~Backoffice() = default;

storage::Database& Backoffice::database() { return *impl_->db; }
const Clock& Backoffice::clock() const { return *impl_->clock; }
const std::string& Backoffice::base_currency() const { return impl_->base_currency; }
access::AccessControl& Backoffice::access() { return impl_->access; }
access::Identity& Backoffice::identity() { return impl_->identity; }
audit::AuditLog& Backoffice::audit() { return impl_->audit; }
players::PlayerService& Backoffice::players() { return impl_->players; }
events::Ingestor& Backoffice::events() { return impl_->events; }
helpdesk::HelpdeskService& Backoffice::helpdesk() { return impl_->helpdesk; }
helpdesk::KnowledgeBase& Backoffice::knowledge_base() { return impl_->knowledge_base; }
segments::SegmentService& Backoffice::segments() { return impl_->segments; }
transport::Outbox& Backoffice::outbox() { return impl_->outbox; }

int Backoffice::migrate() {
    const auto migrations = all_migrations();
    const int applied = storage::apply_migrations(*impl_->db, migrations);
    if (applied > 0) impl_->access.reload();
    return applied;
}

Backoffice open(std::string_view url, Options options) {
    const Currency base = Currency::of(options.base_currency, "base_currency");
    std::shared_ptr<Clock> clock = options.clock ? std::move(options.clock) : system_clock();
    auto db = storage::Database::open(url, options.database);
    if (options.apply_migrations) {
        const auto migrations = all_migrations();
        storage::apply_migrations(*db, migrations);
    }
    return Backoffice(std::make_unique<Backoffice::Impl>(
        std::move(clock), std::move(db), std::string(base.code()), std::move(options.identity)));
}

std::vector<storage::Migration> all_migrations() {
    std::vector<storage::Migration> all;
    for (auto&& module :
         {audit::AuditLog::migrations(), transport::Outbox::migrations(),
          access::AccessControl::migrations(), players::PlayerService::migrations(),
          events::Ingestor::migrations(), helpdesk::HelpdeskService::migrations(),
          segments::SegmentService::migrations(), helpdesk::KnowledgeBase::migrations()}) {
        all.insert(all.end(), module.begin(), module.end());
    }
    return all;
}

}  // namespace pitboss
