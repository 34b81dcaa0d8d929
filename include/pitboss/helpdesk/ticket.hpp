#pragma once
/// @file
/// Help-desk tickets and their conversation: value types and enums.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/id.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/helpdesk/ticket_status.hpp"

namespace pitboss::helpdesk {

/// Id of a help-desk ticket.
using TicketId = StrongId<struct TicketIdTag>;

/// Where a ticket or a message came from.
enum class Channel { kLiveChat, kEmail, kPhone, kWebForm, kInternal };
/// "live_chat", "email", "phone", "web_form", "internal".
[[nodiscard]] std::string_view to_string(Channel channel) noexcept;
/// Parses the names above; throws ValidationError(`field`).
[[nodiscard]] Channel parse_channel(std::string_view text, std::string_view field = "channel");

/// What a ticket is about; responsible gambling and complaints are at least high priority and
/// visible to compliance.
enum class Category {
    kPayments,
    kKyc,
    kBonus,
    kTechnical,
    kResponsibleGambling,
    kComplaint,
    kAccount,
    kOther
};
/// "payments", "kyc", "bonus", "technical", "responsible_gambling", "complaint", "account",
/// "other".
[[nodiscard]] std::string_view to_string(Category category) noexcept;
/// Parses the names above; throws ValidationError(`field`).
[[nodiscard]] Category parse_category(std::string_view text, std::string_view field = "category");

/// A public reply (the player sees it) or an internal note (operators only).
enum class MessageKind { kReply, kNote };
/// "reply", "note".
[[nodiscard]] std::string_view to_string(MessageKind kind) noexcept;
/// Parses the names above; throws ValidationError(`field`).
[[nodiscard]] MessageKind parse_message_kind(std::string_view text,
                                             std::string_view field = "kind");

/// Who wrote a message.
enum class AuthorKind { kOperator, kPlayer };
/// "operator", "player".
[[nodiscard]] std::string_view to_string(AuthorKind kind) noexcept;

/// Metadata of an attached file; the bytes live in the embedder's object store.
struct Attachment {
    std::string name;          ///< file name as uploaded, 1-255 characters
    std::int64_t size = 0;     ///< size in bytes, >= 0
    std::string content_type;  ///< MIME type, e.g. "image/png"
    std::string storage_key;   ///< where the bytes are, e.g. "s3://bucket/key"
    /// Field-wise equality.
    friend bool operator==(const Attachment&, const Attachment&) = default;
};

/// Input for HelpdeskService::open_ticket: a player, or an unknown contact (email / phone).
struct NewTicket {
    std::optional<PlayerId> player_id;         ///< the player, when known
    std::optional<std::string> contact_email;  ///< an unknown contact's address
    std::optional<std::string> contact_phone;  ///< an unknown contact's E.164 number
    Channel channel = Channel::kWebForm;       ///< where the request came in
    std::string subject;                       ///< 1-200 characters
    Category category = Category::kOther;      ///< what it is about
    Priority priority = Priority::kNormal;     ///< raised to the category's minimum
    std::vector<std::string> tags;             ///< free labels, 1-64 characters each
    std::optional<std::string> body;           ///< the first message (from the requester)
    std::vector<Attachment> attachments;       ///< files of the first message
    std::optional<std::string> queue;          ///< queue to route the ticket to
};

/// A stored ticket.
struct Ticket {
    TicketId id;                                 ///< pitboss's id
    std::optional<PlayerId> player_id;           ///< the player, once known
    std::optional<std::string> contact_email;    ///< contact address of an unknown requester
    std::optional<std::string> contact_phone;    ///< contact number of an unknown requester
    Channel channel = Channel::kWebForm;         ///< where the request came in
    std::string subject;                         ///< short summary
    Category category = Category::kOther;        ///< what it is about
    Priority priority = Priority::kNormal;       ///< current priority
    TicketStatus status = TicketStatus::kNew;    ///< current workflow state
    std::vector<std::string> tags;               ///< sorted, unique
    std::optional<std::string> queue;            ///< the queue (group) it sits in
    std::optional<OperatorId> assignee;          ///< the agent working on it
    Timestamp created_at;                        ///< when it was opened (UTC)
    Timestamp updated_at;                        ///< last change (UTC)
    std::optional<Timestamp> first_response_at;  ///< first public reply of an operator
    std::optional<Timestamp> solved_at;          ///< last move to solved
    std::optional<Timestamp> closed_at;          ///< when it was closed
    std::int64_t version = 1;                    ///< bumped on every change
};

/// One message of a ticket's thread.
struct TicketMessage {
    std::int64_t id = 0;                             ///< increasing within the database
    TicketId ticket_id;                              ///< the ticket it belongs to
    MessageKind kind = MessageKind::kReply;          ///< public reply or internal note
    AuthorKind author_kind = AuthorKind::kOperator;  ///< operator or player
    std::optional<OperatorId> author_id;             ///< the operator, for operator messages
    std::string author_name;                         ///< operator login, or "player"
    Channel channel = Channel::kInternal;            ///< channel it was sent or received on
    std::string body;                                ///< the text, 1-20,000 characters
    Timestamp at;                                    ///< when it was written (UTC)
    std::vector<Attachment> attachments;             ///< attached files' metadata
};

/// An operator's reply or note (HelpdeskService::reply).
struct NewReply {
    MessageKind kind = MessageKind::kReply;  ///< public reply or internal note
    Channel channel = Channel::kEmail;       ///< channel the reply goes out on
    std::string body;                        ///< 1-20,000 characters
    std::vector<Attachment> attachments;     ///< attached files' metadata
    /// Status to move to with the reply (e.g. pending: waiting on the player). Without it a
    /// public reply moves a new ticket to open and leaves other states alone.
    std::optional<TicketStatus> status;
};

/// A message from the player (or the unknown contact), recorded by an operator or a channel
/// integration (HelpdeskService::add_player_message).
struct PlayerMessage {
    Channel channel = Channel::kEmail;    ///< channel it arrived on
    std::string body;                     ///< 1-20,000 characters
    std::vector<Attachment> attachments;  ///< attached files' metadata
};

/// Filter and page for HelpdeskService::list_tickets (keyset paging by id).
struct TicketFilter {
    std::optional<TicketStatus> status;  ///< only tickets in this state
    std::optional<Category> category;    ///< only tickets of this category
    std::optional<Priority> priority;    ///< only tickets of this priority
    std::optional<PlayerId> player_id;   ///< only this player's tickets
    std::optional<std::string> queue;    ///< only tickets in this queue
    std::optional<OperatorId> assignee;  ///< only tickets of this agent
    bool open_only = false;              ///< only tickets not solved or closed
    TicketId after{};                    ///< ids greater than this
    std::size_t limit = 100;             ///< 1-10,000
};

/// The ticket as JSON (times as RFC 3339 text; used by audit, outbox, CLI and REST).
[[nodiscard]] Json to_json(const Ticket& ticket);
/// The message as JSON.
[[nodiscard]] Json to_json(const TicketMessage& message);

}  // namespace pitboss::helpdesk
