// `pitboss kb search|faq`: the help-desk knowledge base from the command line.

#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "pitboss/access/access_control.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/helpdesk/knowledge_base.hpp"

namespace pitboss::cli {
namespace {

using namespace helpdesk;

std::string language_of(const Invocation& call) {
    return call.args.value("language").value_or("en");
}

}  // namespace

int run_kb_search(const Invocation& call) {
    std::size_t limit = 20;
    if (auto v = call.args.value("limit")) {
        limit = static_cast<std::size_t>(integer_option("limit", *v, 1, 100));
    }
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto hits =
        bo.knowledge_base().search(actor, call.arguments.at(0), language_of(call), limit);
    if (call.json) {
        Json list = Json::array();
        for (const ArticleHit& h : hits) {
            list.push_back(Json{{"article_id", h.article_id.value()},
                                {"slug", h.slug},
                                {"category", h.category},
                                {"language", h.language},
                                {"title", h.title},
                                {"score", h.score}});
        }
        call.out << list.dump(2) << '\n';
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const ArticleHit& h : hits) {
        rows.push_back({h.article_id.to_string(), h.slug, h.category, h.language, h.title});
    }
    print_table(call.out, {"id", "slug", "category", "language", "title"}, rows);
    return kExitOk;
}

int run_kb_faq(const Invocation& call) {
    Backoffice bo = call.open_backoffice();
    const Actor actor = bo.access().system_actor(kCliActor);
    const auto entries =
        bo.knowledge_base().faq(actor, language_of(call), call.args.value("category"));
    if (call.json) {
        Json list = Json::array();
        for (const FaqEntry& e : entries) {
            list.push_back(Json{{"article_id", e.article_id.value()},
                                {"category", e.category},
                                {"slug", e.slug},
                                {"language", e.language},
                                {"title", e.title},
                                {"body", e.body}});
        }
        call.out << list.dump(2) << '\n';
        return kExitOk;
    }
    std::string category;
    for (const FaqEntry& e : entries) {
        if (e.category != category) {
            category = e.category;
            call.out << "== " << category << " ==\n";
        }
        call.out << e.title << " [" << e.language << "]\n" << e.body << "\n\n";
    }
    return kExitOk;
}

}  // namespace pitboss::cli
