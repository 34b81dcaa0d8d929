#include "pitboss/helpdesk/knowledge_base.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "access/guarded.hpp"
#include "helpdesk/article_store.hpp"
#include "helpdesk/checks.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/transport/outbox.hpp"

namespace pitboss::helpdesk {
namespace {

using checks::validate_name;
using checks::validate_text;

namespace permission = access::permission;
using storage::Transaction;
using storage::TxMode;

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxBody = 50'000;
constexpr std::size_t kMaxQuery = 500;
constexpr std::size_t kMaxHits = 100;

std::string target_of(ArticleId id) { return "kb_article:" + id.to_string(); }

void validate_language(std::string_view field, std::string_view language) {
    const bool ok =
        language.size() == 2 &&
        std::all_of(language.begin(), language.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!ok) throw ValidationError(std::string(field), "must be ISO 639-1, e.g. en");
}

Article load(ArticleStore& store, ArticleId id) {
    auto article = store.find(id);
    if (!article) throw NotFoundError(target_of(id) + " not found");
    return std::move(*article);
}

}  // namespace

Json to_json(const Article& a) {
    Json variants = Json::array();
    for (const auto& v : a.variants) {
        variants.push_back({{"language", v.language},
                            {"latest_version", v.latest_version},
                            {"published_version",
                             v.published_version ? Json(*v.published_version) : Json(nullptr)}});
    }
    return Json{{"id", a.id.value()},
                {"category", a.category},
                {"slug", a.slug},
                {"default_language", a.default_language},
                {"faq", a.faq},
                {"state", to_string(a.state)},
                {"variants", std::move(variants)}};
}

Json to_json(const ArticleVersion& v) {
    return Json{{"article_id", v.article_id.value()},
                {"language", v.language},
                {"version", v.version},
                {"title", v.title},
                {"body", v.body},
                {"author", v.author}};
}

std::string_view to_string(ArticleState state) {
    switch (state) {
        case ArticleState::kDraft:
            return "draft";
        case ArticleState::kPublished:
            return "published";
        case ArticleState::kArchived:
            return "archived";
    }
    return "unknown";
}

KnowledgeBase::KnowledgeBase(storage::Database& db, const Clock& clock,
                             access::AccessControl& access, audit::AuditLog& audit,
                             const transport::Outbox& outbox)
    : db_(db), clock_(clock), access_(access), audit_(audit), outbox_(outbox) {}

Article KnowledgeBase::create_article(const Actor& actor, const NewArticle& input) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskWrite);
        validate_name("category", input.category);
        validate_name("slug", input.slug);
        validate_language("default_language", input.default_language);
        validate_text("title", input.title, kMaxTitle);
        validate_text("body", input.body, kMaxBody);
        ArticleStore store(tx);
        if (store.slug_taken(input.slug)) {
            throw ConflictError("an article with slug '" + input.slug + "' exists");
        }
        const Timestamp now = clock_.now();
        const ArticleId id = store.insert(input, now);
        const ArticleVersion first = store.insert_version(
            {id, input.default_language, 0, input.title, input.body, actor.label(), now});
        Article article = load(store, id);
        Json after = to_json(article);
        after["version"] = to_json(first);
        audit_.append(tx, actor, {"kb.article_created", target_of(id), nullptr, after});
        outbox_.add(tx, "kb.article_created", target_of(id), to_json(article));
        return article;
    });
}

ArticleVersion KnowledgeBase::save_version(const Actor& actor, ArticleId id,
                                           std::string_view language, std::string_view title,
                                           std::string_view body) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskWrite);
        validate_language("language", language);
        validate_text("title", title, kMaxTitle);
        validate_text("body", body, kMaxBody);
        ArticleStore store(tx);
        const Article before = load(store, id);
        const Timestamp now = clock_.now();
        const ArticleVersion saved =
            store.insert_version({id, std::string(language), 0, std::string(title),
                                  std::string(body), actor.label(), now});
        store.set_state(id, before.state, now);
        audit_.append(tx, actor, {"kb.version_saved", target_of(id), nullptr, to_json(saved)});
        outbox_.add(tx, "kb.version_saved", target_of(id),
                    Json{{"article_id", id.value()},
                         {"language", saved.language},
                         {"version", saved.version}});
        return saved;
    });
}

Article KnowledgeBase::publish(const Actor& actor, ArticleId id, std::string_view language,
                               int version) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        validate_language("language", language);
        ArticleStore store(tx);
        const Article before = load(store, id);
        if (!store.find_version(id, language, version)) {
            throw NotFoundError(target_of(id) + " has no version " + std::to_string(version) +
                                " in '" + std::string(language) + "'");
        }
        const Timestamp now = clock_.now();
        store.set_published(id, language, version);
        store.set_state(id, ArticleState::kPublished, now);
        store.reindex(id);
        const Article after = load(store, id);
        audit_.append(tx, actor,
                      {"kb.article_published", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "kb.article_published", target_of(id),
                    Json{{"article_id", id.value()},
                         {"language", std::string(language)},
                         {"version", version}});
        return after;
    });
}

Article KnowledgeBase::unpublish(const Actor& actor, ArticleId id) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        ArticleStore store(tx);
        const Article before = load(store, id);
        if (before.state != ArticleState::kPublished) {
            throw PreconditionError(target_of(id) + " is " + std::string(to_string(before.state)) +
                                    ", not published");
        }
        store.clear_published(id);
        store.set_state(id, ArticleState::kDraft, clock_.now());
        store.reindex(id);
        const Article after = load(store, id);
        audit_.append(tx, actor,
                      {"kb.article_unpublished", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "kb.article_unpublished", target_of(id), Json{{"article_id", id.value()}});
        return after;
    });
}

Article KnowledgeBase::archive(const Actor& actor, ArticleId id) {
    return access::guarded(db_, access_, actor, TxMode::kWrite, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskAdmin);
        ArticleStore store(tx);
        const Article before = load(store, id);
        if (before.state == ArticleState::kArchived) {
            throw PreconditionError(target_of(id) + " is archived already");
        }
        store.set_state(id, ArticleState::kArchived, clock_.now());
        store.reindex(id);
        const Article after = load(store, id);
        audit_.append(tx, actor,
                      {"kb.article_archived", target_of(id), to_json(before), to_json(after)});
        outbox_.add(tx, "kb.article_archived", target_of(id), Json{{"article_id", id.value()}});
        return after;
    });
}

Article KnowledgeBase::get_article(const Actor& actor, ArticleId id) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        ArticleStore store(tx);
        return load(store, id);
    });
}

std::vector<ArticleVersion> KnowledgeBase::history(const Actor& actor, ArticleId id,
                                                   std::string_view language) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        ArticleStore store(tx);
        load(store, id);
        return store.versions(id, language);
    });
}

std::vector<ArticleHit> KnowledgeBase::search(const Actor& actor, std::string_view query,
                                              std::string_view language, std::size_t limit) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        const bool blank = std::all_of(query.begin(), query.end(), [](char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        });
        if (blank || query.size() > kMaxQuery) {
            throw ValidationError("query", "must be 1-500 characters, not blank");
        }
        validate_language("language", language);
        if (limit < 1 || limit > kMaxHits) throw ValidationError("limit", "must be 1-100");
        return ArticleStore(tx).search(query, language, limit);
    });
}

std::vector<FaqEntry> KnowledgeBase::faq(const Actor& actor, std::string_view language,
                                         const std::optional<std::string>& category) const {
    return access::guarded(db_, access_, actor, TxMode::kRead, [&](Transaction& tx) {
        access_.require(actor, permission::kHelpdeskRead);
        validate_language("language", language);
        if (category) validate_name("category", *category);
        // Per article, the requested language wins over the default language.
        std::map<std::int64_t, FaqEntry> chosen;
        for (auto& v : ArticleStore(tx).faq_variants(language, category)) {
            const std::int64_t key = v.entry.article_id.value();
            const auto it = chosen.find(key);
            if (it == chosen.end()) {
                chosen.emplace(key, std::move(v.entry));
            } else if (v.entry.language == language) {
                it->second = std::move(v.entry);
            }
        }
        std::vector<FaqEntry> out;
        out.reserve(chosen.size());
        for (auto& [key, entry] : chosen) out.push_back(std::move(entry));
        // Byte order on every backend, whatever its collation.
        std::sort(out.begin(), out.end(), [](const FaqEntry& a, const FaqEntry& b) {
            return std::tie(a.category, a.slug) < std::tie(b.category, b.slug);
        });
        return out;
    });
}

std::vector<storage::Migration> KnowledgeBase::migrations() { return ArticleStore::migrations(); }

}  // namespace pitboss::helpdesk
