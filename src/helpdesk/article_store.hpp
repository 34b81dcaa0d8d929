#pragma once
// All SQL of the knowledge base, written against storage::Transaction.
//
// Schema (module "knowledge_base"): `kb_articles`; per-language `kb_variants` (newest and
// published version); every saved version in `kb_versions`. The search index `kb_search` holds
// exactly the published variants of published articles and differs per backend: an FTS5 virtual
// table on SQLite (bm25), a table with a weighted tsvector and a GIN index on PostgreSQL
// (ts_rank). reindex() rebuilds an article's rows after every state or publication change.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/helpdesk/knowledge_base.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"

namespace pitboss::helpdesk {

/// A published variant with its article's facts, before the FAQ picks a language.
struct PublishedVariant {
    FaqEntry entry;
    std::string default_language;
};

/// Reads and writes knowledge-base rows inside one transaction.
class ArticleStore {
public:
    explicit ArticleStore(storage::Transaction& tx) : tx_(tx) {}

    /// Inserts a draft article (no variants yet).
    ArticleId insert(const NewArticle& input, Timestamp now);
    [[nodiscard]] std::optional<Article> find(ArticleId id);
    [[nodiscard]] bool slug_taken(std::string_view slug);
    void set_state(ArticleId id, ArticleState state, Timestamp now);

    /// Stores the next version of the variant (created at 1); returns it with its number.
    ArticleVersion insert_version(ArticleVersion version);
    [[nodiscard]] std::optional<ArticleVersion> find_version(ArticleId id,
                                                             std::string_view language,
                                                             int version);
    [[nodiscard]] std::vector<ArticleVersion> versions(ArticleId id, std::string_view language);
    void set_published(ArticleId id, std::string_view language, int version);
    void clear_published(ArticleId id);

    /// Rebuilds the article's rows of the search index from its state and published versions.
    void reindex(ArticleId id);
    /// Ranked hits for the words of `query` (see KnowledgeBase::search).
    [[nodiscard]] std::vector<ArticleHit> search(std::string_view query, std::string_view language,
                                                 std::size_t limit);
    /// Published variants of published FAQ articles in `language` or their default language.
    [[nodiscard]] std::vector<PublishedVariant> faq_variants(
        std::string_view language, const std::optional<std::string>& category);

    [[nodiscard]] static std::vector<storage::Migration> migrations();

private:
    storage::Transaction& tx_;
};

/// The FTS5 MATCH expression for plain words: each whitespace-separated word holding a letter
/// or digit becomes a quoted string (quotes doubled), so no operator of the user's text is
/// interpreted; empty when no word is left.
[[nodiscard]] std::string fts5_phrase_query(std::string_view query);

/// The PostgreSQL text-search configuration of an ISO 639-1 language ("simple" when unknown).
[[nodiscard]] std::string_view text_search_config(std::string_view language);

}  // namespace pitboss::helpdesk
