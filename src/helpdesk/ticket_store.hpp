#pragma once
// All SQL of the help desk, written against storage::Transaction.
//
// Schema (module "helpdesk"): `tickets` with tags in `ticket_tags`; the thread in
// `ticket_messages` with attachment metadata in `ticket_attachments`; the SLA clock's history
// (status moves, replies, priority changes) in `ticket_events`; calendars and policies as JSON
// in `sla_calendars` / `sla_policies`, sent breach notices in `sla_notices`; queue/agent moves in
// `ticket_assignments`; `helpdesk_queues`, `helpdesk_agents`, `helpdesk_agent_skills`;
// `helpdesk_settings` (name, value); the per-player timeline `communications` (campaigns append
// marketing rows there); `reply_templates` (name, language). Enums are stored by their names, times
// as Unix ms.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pitboss/helpdesk/helpdesk.hpp"
#include "pitboss/helpdesk/sla.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::helpdesk {

/// A ticket as the SLA clock sees it: its creation facts and later events, in order.
struct TicketFacts {
    Ticket ticket;
    TicketHistory history;
};

/// A stored SLA notification key: one event per ticket, metric, kind and clock start.
struct SlaNotice {
    TicketId ticket_id;
    SlaMetric metric = SlaMetric::kFirstResponse;
    std::string kind;  // "breached" or "approaching"
    Timestamp started_at;
};

/// Reads and writes help-desk rows inside one transaction.
class TicketStore {
public:
    explicit TicketStore(storage::Transaction& tx) : tx_(tx) {}

    Ticket insert(const NewTicket& input, Priority priority, Timestamp now);
    /// Writes every mutable field (and tags); ConflictError unless the version still matches.
    void update(const Ticket& ticket, std::int64_t expected_version);
    [[nodiscard]] std::optional<Ticket> find(TicketId id);
    /// Up to `limit` tickets matching the filter with ids after `after`, by id.
    [[nodiscard]] std::vector<Ticket> list(const TicketFilter& filter, TicketId after,
                                           std::size_t limit);

    TicketMessage insert_message(const TicketMessage& message);
    [[nodiscard]] std::vector<TicketMessage> messages(TicketId id);

    /// Records the creation's priority as the history's first fact.
    void insert_created(TicketId id, Priority priority, Timestamp at);
    /// Appends an SLA-relevant fact (status move, reply, priority change) to the history.
    void insert_event(TicketId id, const TicketEvent& event);
    /// The ticket's SLA history (creation facts from the first event and the ticket row).
    [[nodiscard]] TicketHistory history(const Ticket& ticket);
    /// Tickets with their histories, by id: only those not solved or closed when `open_only`,
    /// only those of `queue` when set.
    [[nodiscard]] std::vector<TicketFacts> ticket_facts(bool open_only,
                                                        const std::optional<std::string>& queue);
    /// The player's (country, brand), when the player exists.
    [[nodiscard]] std::optional<std::pair<std::string, std::string>> player_scope(PlayerId id);
    /// The operator's login name, when the operator exists.
    [[nodiscard]] std::optional<std::string> operator_name(OperatorId id);

    void save_calendar(std::string_view name, const CalendarSpec& spec, Timestamp now);
    [[nodiscard]] std::optional<CalendarSpec> find_calendar(std::string_view name);
    void save_policy(const SlaPolicy& policy, Timestamp now);
    [[nodiscard]] std::optional<SlaPolicy> find_policy(std::string_view name);
    /// Records a notice; false when it was recorded before.
    bool insert_notice(const SlaNotice& notice, Timestamp now);

    void insert_assignment(const AssignmentChange& change);
    [[nodiscard]] std::vector<AssignmentChange> assignments(TicketId id);

    void save_queue(const Queue& queue);
    [[nodiscard]] std::optional<Queue> find_queue(std::string_view name);
    [[nodiscard]] std::vector<Queue> queues();
    [[nodiscard]] std::optional<OperatorId> last_assigned(std::string_view queue);
    void set_last_assigned(std::string_view queue, OperatorId agent);

    void save_agent(OperatorId id, const std::vector<std::string>& skills, Timestamp now);
    void set_online(OperatorId id, bool online, Timestamp now);
    [[nodiscard]] std::optional<Agent> find_agent(OperatorId id);
    [[nodiscard]] std::vector<Agent> agents();
    /// Online agents holding `skill`, with their open-ticket counts.
    [[nodiscard]] std::vector<Candidate> candidates(std::string_view skill);

    [[nodiscard]] std::optional<std::string> setting(std::string_view name);
    void set_setting(std::string_view name, std::string_view value);

    void insert_communication(const Communication& entry);
    [[nodiscard]] std::vector<Communication> timeline(PlayerId player, std::size_t offset,
                                                      std::size_t limit);

    void save_template(const ReplyTemplate& input);
    [[nodiscard]] std::vector<ReplyTemplate> template_variants(std::string_view name);

    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    void insert_tags(TicketId id, const std::vector<std::string>& tags);
    std::vector<std::string> tags_of(TicketId id);

    storage::Transaction& tx_;
};

}  // namespace pitboss::helpdesk
