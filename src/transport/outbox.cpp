#include "pitboss/transport/outbox.hpp"

#include <array>

#include "pitboss/core/error.hpp"

namespace pitboss::transport {
namespace {

using storage::Params;

constexpr std::size_t kMaxTopicBytes = 200;
constexpr std::size_t kMaxPendingLimit = 10'000;

void check_topic(std::string_view topic) {
    if (topic.empty()) throw ValidationError("topic", "must not be empty");
    if (topic.size() > kMaxTopicBytes) throw ValidationError("topic", "must be at most 200 bytes");
}

OutboxMessage message_of(const storage::Row& row) {
    OutboxMessage message;
    message.id = row.int64(0);
    message.topic = row.text(1);
    message.key = row.text(2);
    message.payload = Json::parse(row.text(3), nullptr, false);
    if (message.payload.is_discarded()) {
        throw IntegrityError("outbox message " + std::to_string(message.id) +
                             ": payload is not valid JSON");
    }
    message.created_at = row.timestamp(4);
    message.published_at = row.opt_timestamp(5);
    return message;
}

}  // namespace

std::int64_t Outbox::add(storage::Transaction& tx, std::string_view topic, std::string_view key,
                         const Json& payload) const {
    check_topic(topic);
    std::string payload_text;
    try {
        payload_text = canonical_json(payload);
    } catch (const ValidationError& e) {
        throw ValidationError("payload", e.what());
    }
    const auto row = tx.query_single(
        "INSERT INTO outbox (topic, key, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        Params(topic, key, std::move(payload_text), clock_.now()));
    return row.int64(0);
}

void Outbox::add_many(storage::Transaction& tx, const std::vector<OutboxEntry>& entries) const {
    if (entries.empty()) return;
    std::vector<std::string> payloads;
    payloads.reserve(entries.size());
    for (const OutboxEntry& entry : entries) {
        check_topic(entry.topic);
        try {
            payloads.push_back(canonical_json(entry.payload));
        } catch (const ValidationError& e) {
            throw ValidationError("payload", e.what());
        }
    }
    static constexpr std::array<std::string_view, 4> kColumns = {"topic", "key", "payload",
                                                                 "created_at"};
    const std::int64_t now = to_unix_millis(clock_.now());
    tx.insert_rows("outbox", kColumns, entries.size(), [&](std::size_t i, storage::RowSink& row) {
        row.add(std::string_view(entries[i].topic));
        row.add(std::string_view(entries[i].key));
        row.add(std::string_view(payloads[i]));
        row.add(now);
    });
}

std::vector<OutboxMessage> Outbox::pending(storage::Transaction& tx, std::size_t limit) const {
    if (limit < 1 || limit > kMaxPendingLimit) {
        throw ValidationError("limit", "must be 1-10000");
    }
    const auto rows = tx.query(
        "SELECT id, topic, key, payload, created_at, published_at FROM outbox"
        " WHERE published_at IS NULL ORDER BY id LIMIT ?",
        Params(static_cast<std::int64_t>(limit)));
    std::vector<OutboxMessage> messages;
    messages.reserve(rows.size());
    for (const auto& row : rows) messages.push_back(message_of(row));
    return messages;
}

void Outbox::mark_published(storage::Transaction& tx, std::int64_t id) const {
    const auto changed =
        tx.execute("UPDATE outbox SET published_at = ? WHERE id = ? AND published_at IS NULL",
                   Params(clock_.now(), id));
    if (changed > 0) return;
    // A relay may mark a message twice (it publishes at least once): the first time stands.
    if (!tx.query_optional("SELECT id FROM outbox WHERE id = ?", Params(id))) {
        throw NotFoundError("outbox message " + std::to_string(id) + " not found");
    }
}

std::vector<storage::Migration> Outbox::migrations() {
    return {storage::Migration{"transport", 1, "transactional outbox", R"sql(
CREATE TABLE outbox (
    id {{id}},
    topic {{text}} NOT NULL,
    key {{text}} NOT NULL,
    payload {{text}} NOT NULL,
    created_at {{bigint}} NOT NULL,
    published_at {{bigint}} NULL
);
CREATE INDEX outbox_published_at ON outbox (published_at);
)sql"}};
}

}  // namespace pitboss::transport
