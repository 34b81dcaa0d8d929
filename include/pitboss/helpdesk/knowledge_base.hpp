#pragma once
/// @file
/// The help-desk knowledge base: articles in categories, per-language variants with a version
/// history, draft / published / archived states, a ranked full-text search and the FAQ view.
/// Every mutation is authorised, validated, audited and emits an outbox event, in one
/// transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/core/id.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::storage {
class Database;
}
namespace pitboss::audit {
class AuditLog;
}
namespace pitboss::transport {
class Outbox;
}
namespace pitboss::access {
class AccessControl;
}

namespace pitboss::helpdesk {

/// Id of a knowledge-base article.
using ArticleId = StrongId<struct ArticleIdTag>;

/// Where an article stands: only published articles reach search and the FAQ.
enum class ArticleState { kDraft, kPublished, kArchived };

/// "draft", "published" or "archived".
[[nodiscard]] std::string_view to_string(ArticleState state);

/// What create_article needs: the article and its first variant, in its default language.
struct NewArticle {
    std::string category;          ///< 1-64 of [a-z0-9._-], e.g. "payments"
    std::string slug;              ///< 1-64 of [a-z0-9._-], unique, e.g. "withdrawal-times"
    std::string default_language;  ///< ISO 639-1, the fallback of search and FAQ
    bool faq = false;              ///< shown in the FAQ view once published
    std::string title;             ///< 1-200 characters
    std::string body;              ///< 1-50,000 characters
};

/// One language of an article: its newest version and the one players see.
struct ArticleVariant {
    std::string language;                  ///< ISO 639-1
    int latest_version = 0;                ///< highest version saved
    std::optional<int> published_version;  ///< the version search and FAQ show
};

/// A stored article.
struct Article {
    ArticleId id;                               ///< pitboss's id
    std::string category;                       ///< category name
    std::string slug;                           ///< unique slug
    std::string default_language;               ///< fallback language
    bool faq = false;                           ///< part of the FAQ view
    ArticleState state = ArticleState::kDraft;  ///< draft, published or archived
    std::vector<ArticleVariant> variants;       ///< by language
    Timestamp created_at;                       ///< creation (UTC)
    Timestamp updated_at;                       ///< last change (UTC)
};

/// One saved version of one language variant. Versions never change once saved.
struct ArticleVersion {
    ArticleId article_id;  ///< the article
    std::string language;  ///< ISO 639-1
    int version = 0;       ///< 1, 2, 3 ... per language
    std::string title;     ///< title of this version
    std::string body;      ///< body of this version
    std::string author;    ///< Actor::label() of who saved it
    Timestamp created_at;  ///< when it was saved (UTC)
};

/// The article as JSON: {"id", "category", "slug", "default_language", "faq", "state",
/// "variants": [{"language", "latest_version", "published_version"}]}.
[[nodiscard]] Json to_json(const Article& article);
/// The version as JSON: {"article_id", "language", "version", "title", "body", "author"}.
[[nodiscard]] Json to_json(const ArticleVersion& version);

/// One search result: the published variant that matched.
struct ArticleHit {
    ArticleId article_id;  ///< the article
    std::string slug;      ///< its slug
    std::string category;  ///< its category
    std::string language;  ///< language of the variant shown (requested or the fallback)
    std::string title;     ///< published title
    double score = 0;      ///< relevance, higher is better (comparable within one search)
};

/// One entry of the FAQ view.
struct FaqEntry {
    ArticleId article_id;  ///< the article
    std::string category;  ///< its category
    std::string slug;      ///< its slug
    std::string language;  ///< language shown (requested or the fallback)
    std::string title;     ///< published title
    std::string body;      ///< published body
};

/// The knowledge-base service. Thread-safe.
///
/// Permissions: `helpdesk.read` (articles, history, search, FAQ), `helpdesk.write` (create
/// articles, save versions), `helpdesk.admin` (publish, unpublish, archive).
class KnowledgeBase {
public:
    /// Wires the service to shared infrastructure; every reference must outlive it.
    KnowledgeBase(storage::Database& db, const Clock& clock, access::AccessControl& access,
                  audit::AuditLog& audit, const transport::Outbox& outbox);

    /// Creates a draft article with version 1 of its default-language variant
    /// (`helpdesk.write`). A taken slug is a ConflictError. Emits "kb.article_created".
    Article create_article(const Actor& actor, const NewArticle& input);
    /// Saves a new version of the article's variant in `language` (`helpdesk.write`), creating
    /// the variant at version 1. What players see changes only on publish. Emits
    /// "kb.version_saved".
    ArticleVersion save_version(const Actor& actor, ArticleId id, std::string_view language,
                                std::string_view title, std::string_view body);
    /// Makes `version` of the `language` variant the published one and the article published
    /// (`helpdesk.admin`). NotFoundError for an unknown version. Emits "kb.article_published".
    Article publish(const Actor& actor, ArticleId id, std::string_view language, int version);
    /// Takes a published article back to draft, forgetting every published version
    /// (`helpdesk.admin`); PreconditionError unless published. Emits "kb.article_unpublished".
    Article unpublish(const Actor& actor, ArticleId id);
    /// Archives the article (`helpdesk.admin`): hidden from search and FAQ, its versions kept;
    /// publishing it again shows its published versions. Emits "kb.article_archived".
    Article archive(const Actor& actor, ArticleId id);

    /// One article (`helpdesk.read`); NotFoundError when absent.
    [[nodiscard]] Article get_article(const Actor& actor, ArticleId id) const;
    /// Every version of the variant in `language`, oldest first (`helpdesk.read`).
    [[nodiscard]] std::vector<ArticleVersion> history(const Actor& actor, ArticleId id,
                                                      std::string_view language) const;
    /// Published articles matching every word of `query`, best first (`helpdesk.read`). Each
    /// article is searched in `language` when it has that variant published, else in its
    /// default language; title words weigh more than body words. The query is plain words:
    /// search operators and punctuation in it are not interpreted. ValidationError("query")
    /// when blank or over 500 characters, ValidationError("limit") outside 1-100.
    [[nodiscard]] std::vector<ArticleHit> search(const Actor& actor, std::string_view query,
                                                 std::string_view language,
                                                 std::size_t limit = 20) const;
    /// The FAQ (`helpdesk.read`): published FAQ articles, by category then slug, each in
    /// `language` or else its default language; only `category` when given.
    [[nodiscard]] std::vector<FaqEntry> faq(const Actor& actor, std::string_view language,
                                            const std::optional<std::string>& category = {}) const;

    /// The schema of the knowledge-base tables, for Backoffice::migrate.
    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    storage::Database& db_;
    const Clock& clock_;
    access::AccessControl& access_;
    audit::AuditLog& audit_;
    const transport::Outbox& outbox_;
};

}  // namespace pitboss::helpdesk
