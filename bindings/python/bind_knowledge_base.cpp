// knowledge base: articles, versions, search and FAQ (bo.knowledge_base). Records go out as
// dicts; states by name.

#include <optional>
#include <string>
#include <vector>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/helpdesk/knowledge_base.hpp"

namespace pitboss::python {

namespace {

using namespace helpdesk;

// Runs `work` without the GIL and hands its JSON back as Python objects.
template <class F>
py::object released(F&& work) {
    Json out;
    {
        py::gil_scoped_release release;
        out = work();
    }
    return from_json(out);
}

}  // namespace

void bind_knowledge_base(py::module_& m) {
    py::class_<KnowledgeBase>(m, "KnowledgeBase",
                              "Help-desk knowledge base: articles, versions, search, FAQ "
                              "(bo.knowledge_base).")
        .def(
            "create_article",
            [](KnowledgeBase& kb, const Actor& actor, const std::string& category,
               const std::string& slug, const std::string& title, const std::string& body,
               const std::string& default_language, bool faq) {
                const NewArticle input{category, slug, default_language, faq, title, body};
                return released([&] { return helpdesk::to_json(kb.create_article(actor, input)); });
            },
            py::arg("actor"), py::arg("category"), py::arg("slug"), py::arg("title"),
            py::arg("body"), py::kw_only(), py::arg("default_language") = "en",
            py::arg("faq") = false, "Creates a draft article with version 1 of its text.")
        .def(
            "save_version",
            [](KnowledgeBase& kb, const Actor& actor, std::int64_t id, const std::string& language,
               const std::string& title, const std::string& body) {
                return released([&] {
                    return helpdesk::to_json(
                        kb.save_version(actor, ArticleId(id), language, title, body));
                });
            },
            py::arg("actor"), py::arg("article_id"), py::arg("language"), py::arg("title"),
            py::arg("body"), "Saves a new version of one language variant.")
        .def(
            "publish",
            [](KnowledgeBase& kb, const Actor& actor, std::int64_t id, const std::string& language,
               int version) {
                return released([&] {
                    return helpdesk::to_json(kb.publish(actor, ArticleId(id), language, version));
                });
            },
            py::arg("actor"), py::arg("article_id"), py::arg("language"), py::arg("version"),
            "Publishes a version of a variant; the article becomes published.")
        .def(
            "unpublish",
            [](KnowledgeBase& kb, const Actor& actor, std::int64_t id) {
                return released(
                    [&] { return helpdesk::to_json(kb.unpublish(actor, ArticleId(id))); });
            },
            py::arg("actor"), py::arg("article_id"), "Takes a published article back to draft.")
        .def(
            "archive",
            [](KnowledgeBase& kb, const Actor& actor, std::int64_t id) {
                return released(
                    [&] { return helpdesk::to_json(kb.archive(actor, ArticleId(id))); });
            },
            py::arg("actor"), py::arg("article_id"), "Archives an article.")
        .def(
            "get_article",
            [](KnowledgeBase& kb, const Actor& actor, std::int64_t id) {
                return released(
                    [&] { return helpdesk::to_json(kb.get_article(actor, ArticleId(id))); });
            },
            py::arg("actor"), py::arg("article_id"), "One article as a dict.")
        .def(
            "history",
            [](KnowledgeBase& kb, const Actor& actor, std::int64_t id,
               const std::string& language) {
                return released([&] {
                    Json list = Json::array();
                    for (const auto& v : kb.history(actor, ArticleId(id), language)) {
                        list.push_back(helpdesk::to_json(v));
                    }
                    return list;
                });
            },
            py::arg("actor"), py::arg("article_id"), py::arg("language"),
            "Every version of a variant, oldest first.")
        .def(
            "search",
            [](KnowledgeBase& kb, const Actor& actor, const std::string& query,
               const std::string& language, std::size_t limit) {
                return released([&] {
                    Json list = Json::array();
                    for (const auto& h : kb.search(actor, query, language, limit)) {
                        list.push_back(Json{{"article_id", h.article_id.value()},
                                            {"slug", h.slug},
                                            {"category", h.category},
                                            {"language", h.language},
                                            {"title", h.title},
                                            {"score", h.score}});
                    }
                    return list;
                });
            },
            py::arg("actor"), py::arg("query"), py::kw_only(), py::arg("language") = "en",
            py::arg("limit") = 20, "Published articles matching every word, best first.")
        .def(
            "faq",
            [](KnowledgeBase& kb, const Actor& actor, const std::string& language,
               std::optional<std::string> category) {
                return released([&] {
                    Json list = Json::array();
                    for (const auto& e : kb.faq(actor, language, category)) {
                        list.push_back(Json{{"article_id", e.article_id.value()},
                                            {"category", e.category},
                                            {"slug", e.slug},
                                            {"language", e.language},
                                            {"title", e.title},
                                            {"body", e.body}});
                    }
                    return list;
                });
            },
            py::arg("actor"), py::kw_only(), py::arg("language") = "en",
            py::arg("category") = py::none(), "The published FAQ, by category then slug.");
}

}  // namespace pitboss::python
