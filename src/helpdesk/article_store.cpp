#include "helpdesk/article_store.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::helpdesk {
namespace {

using storage::Backend;
using storage::Params;
using storage::Row;

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE kb_articles (
    id {{id}},
    category {{text}} NOT NULL,
    slug {{text}} NOT NULL UNIQUE,
    default_language {{text}} NOT NULL,
    faq {{bigint}} NOT NULL,
    state {{text}} NOT NULL,
    created_at {{bigint}} NOT NULL,
    updated_at {{bigint}} NOT NULL
);
CREATE INDEX kb_articles_category ON kb_articles (category, slug);
CREATE TABLE kb_variants (
    article_id {{bigint}} NOT NULL REFERENCES kb_articles (id),
    language {{text}} NOT NULL,
    latest_version {{bigint}} NOT NULL,
    published_version {{bigint}},
    PRIMARY KEY (article_id, language)
);
CREATE TABLE kb_versions (
    article_id {{bigint}} NOT NULL REFERENCES kb_articles (id),
    language {{text}} NOT NULL,
    version {{bigint}} NOT NULL,
    title {{text}} NOT NULL,
    body {{text}} NOT NULL,
    author {{text}} NOT NULL,
    created_at {{bigint}} NOT NULL,
    PRIMARY KEY (article_id, language, version)
)
)sql";

constexpr std::string_view kSqliteSearchV1 = R"sql(
CREATE VIRTUAL TABLE kb_search USING fts5(
    title, body, article_id UNINDEXED, language UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
)
)sql";

constexpr std::string_view kPostgresSearchV1 = R"sql(
CREATE TABLE kb_search (
    article_id BIGINT NOT NULL REFERENCES kb_articles (id),
    language TEXT NOT NULL,
    config regconfig NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    document tsvector NOT NULL,
    PRIMARY KEY (article_id, language)
);
CREATE INDEX kb_search_document ON kb_search USING GIN (document)
)sql";

// Title weighs ten times the body in bm25 (FTS5 ranks lower = better; negated here).
constexpr std::string_view kSqliteSearch =
    "SELECT CAST(kb_search.article_id AS INTEGER), a.slug, a.category, kb_search.language, "
    "kb_search.title, -bm25(kb_search, 10.0, 1.0) AS score "
    "FROM kb_search JOIN kb_articles a ON a.id = CAST(kb_search.article_id AS INTEGER) "
    "WHERE kb_search MATCH ? AND a.state = 'published' "
    "AND (kb_search.language = ? OR (kb_search.language = a.default_language AND NOT EXISTS "
    "(SELECT 1 FROM kb_variants v WHERE v.article_id = a.id AND v.language = ? "
    "AND v.published_version IS NOT NULL))) "
    "ORDER BY score DESC, a.id LIMIT ?";

// Each row is matched with the query parsed by its own configuration (title weight A = 1.0,
// body weight B = 0.4 in ts_rank's defaults).
constexpr std::string_view kPostgresSearch =
    "WITH q AS (SELECT c.config, plainto_tsquery(c.config, ?) AS query "
    "FROM (SELECT DISTINCT config FROM kb_search) c) "
    "SELECT s.article_id, a.slug, a.category, s.language, s.title, "
    "CAST(ts_rank(s.document, q.query) AS DOUBLE PRECISION) AS score "
    "FROM kb_search s JOIN q ON q.config = s.config JOIN kb_articles a ON a.id = s.article_id "
    "WHERE s.document @@ q.query AND a.state = 'published' "
    "AND (s.language = ? OR (s.language = a.default_language AND NOT EXISTS "
    "(SELECT 1 FROM kb_variants v WHERE v.article_id = a.id AND v.language = ? "
    "AND v.published_version IS NOT NULL))) "
    "ORDER BY score DESC, a.id LIMIT ?";

ArticleState parse_state(std::string_view s) {
    if (s == "draft") return ArticleState::kDraft;
    if (s == "published") return ArticleState::kPublished;
    if (s == "archived") return ArticleState::kArchived;
    throw IntegrityError("kb_articles.state holds an unknown state");
}

bool has_word_char(std::string_view word) {
    return std::any_of(word.begin(), word.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
               (u >= 'A' && u <= 'Z');
    });
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

ArticleVersion version_from_row(const Row& row) {
    return {ArticleId(row.int64(0)),
            row.text(1),
            static_cast<int>(row.int64(2)),
            row.text(3),
            row.text(4),
            row.text(5),
            row.timestamp(6)};
}

constexpr std::string_view kVersionColumns =
    "SELECT article_id, language, version, title, body, author, created_at FROM kb_versions ";

}  // namespace

std::string fts5_phrase_query(std::string_view query) {
    std::string out;
    std::size_t i = 0;
    while (i < query.size()) {
        while (i < query.size() && is_space(query[i])) ++i;
        const std::size_t start = i;
        while (i < query.size() && !is_space(query[i])) ++i;
        const std::string_view word = query.substr(start, i - start);
        if (word.empty() || !has_word_char(word)) continue;
        if (!out.empty()) out += ' ';
        out += '"';
        for (char c : word) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
    }
    return out;
}

std::string_view text_search_config(std::string_view language) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kConfigs{{
        {"ar", "arabic"},
        {"da", "danish"},
        {"de", "german"},
        {"el", "greek"},
        {"en", "english"},
        {"es", "spanish"},
        {"fi", "finnish"},
        {"fr", "french"},
        {"hu", "hungarian"},
        {"it", "italian"},
        {"nl", "dutch"},
        {"no", "norwegian"},
        {"pt", "portuguese"},
        {"ro", "romanian"},
        {"ru", "russian"},
        {"sv", "swedish"},
        {"tr", "turkish"},
        {"id", "indonesian"},
    }};
    for (const auto& [code, config] : kConfigs) {
        if (code == language) return config;
    }
    return "simple";
}

ArticleId ArticleStore::insert(const NewArticle& input, Timestamp now) {
    const Row row = tx_.query_single(
        "INSERT INTO kb_articles (category, slug, default_language, faq, state, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?) RETURNING id",
        Params(input.category, input.slug, input.default_language, input.faq, now, now));
    return ArticleId(row.int64(0));
}

std::optional<Article> ArticleStore::find(ArticleId id) {
    const auto row = tx_.query_optional(
        "SELECT id, category, slug, default_language, faq, state, created_at, updated_at "
        "FROM kb_articles WHERE id = ?",
        Params(id.value()));
    if (!row) return std::nullopt;
    Article a;
    a.id = ArticleId(row->int64(0));
    a.category = row->text(1);
    a.slug = row->text(2);
    a.default_language = row->text(3);
    a.faq = row->boolean(4);
    a.state = parse_state(row->text(5));
    a.created_at = row->timestamp(6);
    a.updated_at = row->timestamp(7);
    for (const Row& v : tx_.query("SELECT language, latest_version, published_version "
                                  "FROM kb_variants WHERE article_id = ?",
                                  Params(id.value()))) {
        ArticleVariant variant;
        variant.language = v.text(0);
        variant.latest_version = static_cast<int>(v.int64(1));
        if (const auto p = v.opt_int64(2)) variant.published_version = static_cast<int>(*p);
        a.variants.push_back(std::move(variant));
    }
    // Byte order on every backend, whatever its collation.
    std::sort(
        a.variants.begin(), a.variants.end(),
        [](const ArticleVariant& x, const ArticleVariant& y) { return x.language < y.language; });
    return a;
}

bool ArticleStore::slug_taken(std::string_view slug) {
    return tx_.query_optional("SELECT id FROM kb_articles WHERE slug = ?", Params(slug))
        .has_value();
}

void ArticleStore::set_state(ArticleId id, ArticleState state, Timestamp now) {
    tx_.execute("UPDATE kb_articles SET state = ?, updated_at = ? WHERE id = ?",
                Params(to_string(state), now, id.value()));
}

ArticleVersion ArticleStore::insert_version(ArticleVersion version) {
    const auto latest = tx_.query_optional(
        "SELECT latest_version FROM kb_variants WHERE article_id = ? AND language = ?",
        Params(version.article_id.value(), version.language));
    version.version = latest ? static_cast<int>(latest->int64(0)) + 1 : 1;
    if (latest) {
        tx_.execute(
            "UPDATE kb_variants SET latest_version = ? WHERE article_id = ? AND language = ?",
            Params(version.version, version.article_id.value(), version.language));
    } else {
        tx_.execute(
            "INSERT INTO kb_variants (article_id, language, latest_version, published_version) "
            "VALUES (?, ?, ?, NULL)",
            Params(version.article_id.value(), version.language, version.version));
    }
    tx_.execute(
        "INSERT INTO kb_versions (article_id, language, version, title, body, author, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        Params(version.article_id.value(), version.language, version.version, version.title,
               version.body, version.author, version.created_at));
    return version;
}

std::optional<ArticleVersion> ArticleStore::find_version(ArticleId id, std::string_view language,
                                                         int version) {
    const auto row = tx_.query_optional(
        std::string(kVersionColumns) + "WHERE article_id = ? AND language = ? AND version = ?",
        Params(id.value(), language, version));
    if (!row) return std::nullopt;
    return version_from_row(*row);
}

std::vector<ArticleVersion> ArticleStore::versions(ArticleId id, std::string_view language) {
    std::vector<ArticleVersion> out;
    for (const Row& row : tx_.query(std::string(kVersionColumns) +
                                        "WHERE article_id = ? AND language = ? ORDER BY version",
                                    Params(id.value(), language))) {
        out.push_back(version_from_row(row));
    }
    return out;
}

void ArticleStore::set_published(ArticleId id, std::string_view language, int version) {
    tx_.execute(
        "UPDATE kb_variants SET published_version = ? WHERE article_id = ? AND language = ?",
        Params(version, id.value(), language));
}

void ArticleStore::clear_published(ArticleId id) {
    tx_.execute("UPDATE kb_variants SET published_version = NULL WHERE article_id = ?",
                Params(id.value()));
}

void ArticleStore::reindex(ArticleId id) {
    tx_.execute("DELETE FROM kb_search WHERE article_id = ?", Params(id.value()));
    const auto rows = tx_.query(
        "SELECT v.language, ver.title, ver.body FROM kb_articles a "
        "JOIN kb_variants v ON v.article_id = a.id "
        "JOIN kb_versions ver ON ver.article_id = v.article_id AND ver.language = v.language "
        "AND ver.version = v.published_version "
        "WHERE a.id = ? AND a.state = 'published'",
        Params(id.value()));
    for (const Row& row : rows) {
        const std::string language = row.text(0);
        const std::string title = row.text(1);
        const std::string body = row.text(2);
        if (tx_.backend() == Backend::kSqlite) {
            tx_.execute(
                "INSERT INTO kb_search (title, body, article_id, language) VALUES (?, ?, ?, ?)",
                Params(title, body, id.value(), language));
        } else {
            const std::string_view config = text_search_config(language);
            tx_.execute(
                "INSERT INTO kb_search (article_id, language, config, title, body, document) "
                "VALUES (?, ?, CAST(? AS regconfig), ?, ?, "
                "setweight(to_tsvector(CAST(? AS regconfig), ?), 'A') || "
                "setweight(to_tsvector(CAST(? AS regconfig), ?), 'B'))",
                Params(id.value(), language, config, title, body, config, title, config, body));
        }
    }
}

std::vector<ArticleHit> ArticleStore::search(std::string_view query, std::string_view language,
                                             std::size_t limit) {
    std::vector<Row> rows;
    const auto n = static_cast<std::int64_t>(limit);
    if (tx_.backend() == Backend::kSqlite) {
        const std::string match = fts5_phrase_query(query);
        if (match.empty()) return {};
        rows = tx_.query(kSqliteSearch, Params(match, language, language, n));
    } else {
        rows = tx_.query(kPostgresSearch, Params(query, language, language, n));
    }
    std::vector<ArticleHit> out;
    out.reserve(rows.size());
    for (const Row& row : rows) {
        out.push_back({ArticleId(row.int64(0)), row.text(1), row.text(2), row.text(3), row.text(4),
                       row.real(5)});
    }
    return out;
}

std::vector<PublishedVariant> ArticleStore::faq_variants(
    std::string_view language, const std::optional<std::string>& category) {
    std::vector<PublishedVariant> out;
    for (const Row& row : tx_.query(
             "SELECT a.id, a.category, a.slug, v.language, ver.title, ver.body, "
             "a.default_language FROM kb_articles a "
             "JOIN kb_variants v ON v.article_id = a.id "
             "JOIN kb_versions ver ON ver.article_id = v.article_id AND ver.language = v.language "
             "AND ver.version = v.published_version "
             "WHERE a.state = 'published' AND a.faq = 1 "
             "AND (v.language = ? OR v.language = a.default_language) "
             "AND (CAST(? AS TEXT) IS NULL OR a.category = CAST(? AS TEXT))",
             Params(language, category, category))) {
        out.push_back({{ArticleId(row.int64(0)), row.text(1), row.text(2), row.text(3), row.text(4),
                        row.text(5)},
                       row.text(6)});
    }
    return out;
}

std::vector<storage::Migration> ArticleStore::migrations() {
    return {storage::Migration{"knowledge_base", 1,
                               "knowledge-base articles, language variants, versions and the "
                               "full-text search index",
                               std::string(kSchemaV1), std::string(kPostgresSearchV1),
                               std::string(kSqliteSearchV1)}};
}

}  // namespace pitboss::helpdesk
