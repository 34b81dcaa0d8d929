// The help-desk knowledge base, on the backend under test.

#include "pitboss/helpdesk/knowledge_base.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "pitboss/pitboss.hpp"
#include "support/test_backoffice.hpp"

using namespace pitboss;
using namespace pitboss::helpdesk;
using pitboss::testing::audit_actions;
using pitboss::testing::events_of;
using pitboss::testing::fresh_backoffice;
using pitboss::testing::operator_in_role;
using pitboss::testing::TestBackoffice;

namespace {

bool audited(TestBackoffice& t, const std::string& action) {
    const auto actions = audit_actions(t);
    return std::find(actions.begin(), actions.end(), action) != actions.end();
}

NewArticle article(const std::string& slug, const std::string& title, const std::string& body,
                   const std::string& language = "en", bool faq = false,
                   const std::string& category = "payments") {
    return {category, slug, language, faq, title, body};
}

// Creates and publishes version 1 of the default-language variant.
Article published(TestBackoffice& t, const NewArticle& input) {
    auto& kb = t.bo.knowledge_base();
    const Article a = kb.create_article(t.admin, input);
    return kb.publish(t.admin, a.id, input.default_language, 1);
}

std::vector<std::string> slugs(const std::vector<ArticleHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.slug);
    return out;
}

template <class F>
std::string validation_field(F&& f) {
    try {
        f();
    } catch (const ValidationError& e) {
        return e.field();
    }
    return "(no ValidationError)";
}

}  // namespace

TEST_CASE("knowledge base: create, version, publish, with audit and events", "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    const Article a = kb.create_article(
        t.admin, article("withdrawal-times", "Withdrawal times", "Withdrawals take two days."));
    CHECK(a.state == ArticleState::kDraft);
    CHECK(a.slug == "withdrawal-times");
    REQUIRE(a.variants.size() == 1);
    CHECK(a.variants[0].language == "en");
    CHECK(a.variants[0].latest_version == 1);
    CHECK_FALSE(a.variants[0].published_version);
    CHECK(audited(t, "kb.article_created"));
    CHECK(events_of(t, "kb.article_created").size() == 1);

    t.clock->advance(std::chrono::minutes(5));
    const ArticleVersion v2 = kb.save_version(t.admin, a.id, "en", "Withdrawal times",
                                              "Withdrawals take one business day.");
    CHECK(v2.version == 2);
    CHECK(v2.author == t.admin.label());
    const ArticleVersion de1 =
        kb.save_version(t.admin, a.id, "de", "Auszahlungsdauer", "Auszahlungen dauern einen Tag.");
    CHECK(de1.version == 1);
    CHECK(events_of(t, "kb.version_saved").size() == 2);

    const auto history = kb.history(t.admin, a.id, "en");
    REQUIRE(history.size() == 2);
    CHECK(history[0].version == 1);
    CHECK(history[0].body == "Withdrawals take two days.");
    CHECK(history[1].version == 2);
    CHECK(history[1].created_at > history[0].created_at);

    const Article pub = kb.publish(t.admin, a.id, "en", 1);
    CHECK(pub.state == ArticleState::kPublished);
    CHECK(pub.variants[1].language == "en");
    CHECK(pub.variants[1].published_version == 1);
    CHECK(audited(t, "kb.article_published"));
    CHECK(events_of(t, "kb.article_published").size() == 1);

    // The published version is what search shows: version 2's words are not found yet.
    CHECK(slugs(kb.search(t.admin, "two days", "en")) == std::vector<std::string>{a.slug});
    CHECK(kb.search(t.admin, "business", "en").empty());
    kb.publish(t.admin, a.id, "en", 2);
    CHECK(kb.search(t.admin, "two days", "en").empty());
    CHECK(slugs(kb.search(t.admin, "business", "en")) == std::vector<std::string>{a.slug});

    CHECK_THROWS_AS(kb.publish(t.admin, a.id, "en", 3), NotFoundError);
    CHECK_THROWS_AS(kb.publish(t.admin, ArticleId(999), "en", 1), NotFoundError);
    CHECK_THROWS_AS(kb.get_article(t.admin, ArticleId(999)), NotFoundError);
    CHECK_THROWS_AS(kb.create_article(t.admin, article("withdrawal-times", "Other", "Other")),
                    ConflictError);
}

TEST_CASE("knowledge base: validation names the field", "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    CHECK(validation_field([&] { kb.create_article(t.admin, article("Bad Slug", "T", "B")); }) ==
          "slug");
    CHECK(validation_field([&] {
              kb.create_article(t.admin, article("ok", "T", "B", "en", false, ""));
          }) == "category");
    CHECK(validation_field([&] { kb.create_article(t.admin, article("ok", "T", "B", "eng")); }) ==
          "default_language");
    CHECK(validation_field([&] { kb.create_article(t.admin, article("ok", "", "B")); }) == "title");
    CHECK(validation_field([&] { kb.create_article(t.admin, article("ok", "T", "")); }) == "body");
    CHECK(validation_field([&] { (void)kb.search(t.admin, "   ", "en"); }) == "query");
    CHECK(validation_field([&] { (void)kb.search(t.admin, std::string(501, 'a'), "en"); }) ==
          "query");
    CHECK(validation_field([&] { (void)kb.search(t.admin, "deposit", "EN"); }) == "language");
    CHECK(validation_field([&] { (void)kb.search(t.admin, "deposit", "en", 0); }) == "limit");
}

TEST_CASE("knowledge base: a title match ranks above a body match", "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    // Created first, so an id tie-break would favour it: only the weights put the title first.
    published(t, article("limits", "Deposit limits",
                         "Set how much you may deposit per day, week or month."));
    published(t, article("bonus-rules", "Bonus rules",
                         "A bonus must be wagered before withdrawal of winnings."));
    published(t,
              article("verification", "Withdrawal verification", "We verify your identity once."));
    const auto hits = kb.search(t.admin, "withdrawal", "en");
    REQUIRE(slugs(hits) == std::vector<std::string>{"verification", "bonus-rules"});
    CHECK(hits[0].score > hits[1].score);
    CHECK(hits[0].title == "Withdrawal verification");
    CHECK(hits[0].language == "en");
    CHECK(hits[0].category == "payments");
    // Every word must match.
    CHECK(slugs(kb.search(t.admin, "deposit month", "en")) == std::vector<std::string>{"limits"});
    CHECK(kb.search(t.admin, "deposit casino", "en").empty());
    CHECK(kb.search(t.admin, "withdrawal", "en", 1).size() == 1);
}

TEST_CASE("knowledge base: search in the player's language, else the default language",
          "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    // "kyc" has an English and a published German variant; "vip" only English.
    const Article kyc = published(
        t, article("kyc", "Identity documents", "Upload a passport to verify your account."));
    kb.save_version(t.admin, kyc.id, "de", "Ausweisdokumente",
                    "Laden Sie einen Reisepass hoch, um Ihr Konto zu verifizieren.");
    kb.publish(t.admin, kyc.id, "de", 1);
    published(t, article("vip", "VIP programme", "Our VIP programme rewards loyal players."));

    // German: the German variant of kyc, the English fallback of vip.
    const auto de = kb.search(t.admin, "Reisepass", "de");
    REQUIRE(slugs(de) == std::vector<std::string>{"kyc"});
    CHECK(de[0].language == "de");
    CHECK(de[0].title == "Ausweisdokumente");
    const auto fallback = kb.search(t.admin, "VIP", "de");
    REQUIRE(slugs(fallback) == std::vector<std::string>{"vip"});
    CHECK(fallback[0].language == "en");
    // kyc has a German variant, so a German reader does not search its English text.
    CHECK(kb.search(t.admin, "passport", "de").empty());
    // English readers see the English text only.
    CHECK(kb.search(t.admin, "Reisepass", "en").empty());
    CHECK(slugs(kb.search(t.admin, "passport", "en")) == std::vector<std::string>{"kyc"});
    // A saved but unpublished French variant does not take over from the fallback.
    kb.save_version(t.admin, kyc.id, "fr", "Pièces d'identité", "Téléversez un passeport.");
    CHECK(slugs(kb.search(t.admin, "passport", "fr")) == std::vector<std::string>{"kyc"});
    CHECK(kb.search(t.admin, "passeport", "fr").empty());
    // Any word of the German text finds it for a German reader.
    CHECK(slugs(kb.search(t.admin, "Konto", "de")) == std::vector<std::string>{"kyc"});
}

TEST_CASE("knowledge base: drafts, unpublished and archived articles stay out of search",
          "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    const Article draft =
        kb.create_article(t.admin, article("draft", "Jackpot draws", "Jackpot draws weekly."));
    CHECK(kb.search(t.admin, "jackpot", "en").empty());
    kb.publish(t.admin, draft.id, "en", 1);
    CHECK(kb.search(t.admin, "jackpot", "en").size() == 1);

    const Article back = kb.unpublish(t.admin, draft.id);
    CHECK(back.state == ArticleState::kDraft);
    CHECK_FALSE(back.variants[0].published_version);
    CHECK(kb.search(t.admin, "jackpot", "en").empty());
    CHECK(events_of(t, "kb.article_unpublished").size() == 1);
    CHECK_THROWS_AS(kb.unpublish(t.admin, draft.id), PreconditionError);

    kb.publish(t.admin, draft.id, "en", 1);
    const Article archived = kb.archive(t.admin, draft.id);
    CHECK(archived.state == ArticleState::kArchived);
    CHECK(kb.search(t.admin, "jackpot", "en").empty());
    CHECK(audited(t, "kb.article_archived"));
    CHECK(events_of(t, "kb.article_archived").size() == 1);
    CHECK_THROWS_AS(kb.archive(t.admin, draft.id), PreconditionError);
    // Publishing again brings it back.
    kb.publish(t.admin, draft.id, "en", 1);
    CHECK(kb.search(t.admin, "jackpot", "en").size() == 1);
}

TEST_CASE("knowledge base: operators in the query are plain words", "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    published(t, article("near", "Casinos near you", "Find a casino OR a sportsbook near you."));
    published(t, article("cashout", "Cash-out rules", "Cash out \"early\" on open bets."));
    const std::vector<std::string> hostile = {
        "\"",
        "\"\"",
        "*",
        "-",
        "OR",
        "AND",
        "NOT",
        "NEAR",
        "NEAR(",
        "(",
        ")",
        "()",
        "a\"b",
        "casino*",
        "-casino",
        "casino OR",
        "OR casino",
        "NEAR(casino",
        "title:casino",
        "{title body}: x",
        "^casino",
        "casino + -",
        "'; DROP TABLE kb_articles; --",
    };
    for (const auto& q : hostile) {
        INFO("query: " << q);
        CHECK_NOTHROW(kb.search(t.admin, q, "en"));
    }
    // Words still match, operators do not act.
    CHECK(slugs(kb.search(t.admin, "(casino)", "en")) == std::vector<std::string>{"near"});
    CHECK(slugs(kb.search(t.admin, "\"early\"", "en")) == std::vector<std::string>{"cashout"});
    CHECK(slugs(kb.search(t.admin, "casino*", "en")) == std::vector<std::string>{"near"});
    // OR is not an operator: "jackpot OR casino" needs the word "jackpot".
    CHECK(kb.search(t.admin, "jackpot OR casino", "en").empty());
    CHECK(kb.search(t.admin, "NEAR(jackpot casino)", "en").empty());
    // "-" is no NOT: both articles' words still require a match.
    CHECK(slugs(kb.search(t.admin, "cash -early", "en")) == std::vector<std::string>{"cashout"});
    // The tables are intact.
    CHECK(kb.search(t.admin, "sportsbook", "en").size() == 1);
}

TEST_CASE("knowledge base: FAQ by category in a language with fallback", "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    const Article pw =
        published(t, article("password", "Reset your password", "Use the link on the sign-in page.",
                             "en", true, "account"));
    kb.save_version(t.admin, pw.id, "de", "Passwort zurücksetzen",
                    "Nutzen Sie den Link auf der Anmeldeseite.");
    kb.publish(t.admin, pw.id, "de", 1);
    published(t, article("fees", "Fees", "We charge no fees.", "en", true, "payments"));
    published(t, article("email", "Change e-mail", "Contact support.", "en", true, "account"));
    published(t, article("not-faq", "Not in the FAQ", "Hidden.", "en", false, "account"));
    kb.create_article(t.admin, article("draft-faq", "Draft", "Draft.", "en", true, "account"));

    const auto de = kb.faq(t.admin, "de");
    REQUIRE(de.size() == 3);
    CHECK(de[0].slug == "email");
    CHECK(de[0].language == "en");
    CHECK(de[1].slug == "password");
    CHECK(de[1].language == "de");
    CHECK(de[1].title == "Passwort zurücksetzen");
    CHECK(de[2].slug == "fees");
    CHECK(de[2].category == "payments");

    const auto payments = kb.faq(t.admin, "en", std::string("payments"));
    REQUIRE(payments.size() == 1);
    CHECK(payments[0].body == "We charge no fees.");
    CHECK(kb.faq(t.admin, "en", std::string("bonus")).empty());
}

TEST_CASE("knowledge base: access is checked", "[knowledge_base]") {
    TestBackoffice t = fresh_backoffice();
    auto& kb = t.bo.knowledge_base();
    const Article a = published(t, article("fees", "Fees", "We charge no fees.", "en", true));

    const Actor marketer = operator_in_role(t, "mark", "marketer");
    CHECK_THROWS_AS(kb.search(marketer, "fees", "en"), AccessDenied);
    CHECK_THROWS_AS(kb.faq(marketer, "en"), AccessDenied);
    CHECK_THROWS_AS(kb.create_article(marketer, article("x", "X", "X")), AccessDenied);
    CHECK(audit_actions(t).back() == "access.denied");

    // Agents read and write but do not publish.
    const Actor agent = operator_in_role(t, "alice", "support_agent");
    CHECK(kb.search(agent, "fees", "en").size() == 1);
    const ArticleVersion v2 = kb.save_version(agent, a.id, "en", "Fees", "No fees at all.");
    CHECK_THROWS_AS(kb.publish(agent, a.id, "en", v2.version), AccessDenied);
    CHECK_THROWS_AS(kb.archive(agent, a.id), AccessDenied);
    CHECK(kb.get_article(agent, a.id).variants[0].published_version == 1);
}
