#include <catch2/catch.hpp>

#include "pitboss/audit/audit_log.hpp"

namespace pitboss::audit {
namespace {

// 2026-01-01T00:00:00Z
constexpr std::int64_t kNewYearMillis = 1767225600000;

Entry first_entry() {
    Entry entry;
    entry.seq = 1;
    entry.at = from_unix_millis(kNewYearMillis);
    entry.actor = "system:bootstrap";
    entry.action = "player.registered";
    entry.target = "player:1";
    entry.before = nullptr;
    entry.after = Json{{"status", "active"}, {"country", "DE"}};
    entry.prev_hash = genesis_hash();
    return entry;
}

Entry second_entry() {
    Entry entry;
    entry.seq = 2;
    entry.at = from_unix_millis(kNewYearMillis + 60'000);
    entry.actor = "operator:alice";
    entry.action = "player.updated";
    entry.target = "player:1";
    entry.before = Json{{"name", "Zoe"}};
    entry.after = Json{{"name", "Zo\xc3\xab"}};
    entry.prev_hash = compute_hash(first_entry());
    return entry;
}

}  // namespace

TEST_CASE("audit: genesis hash is 64 zeros", "[audit]") {
    CHECK(genesis_hash() == std::string(64, '0'));
}

TEST_CASE("audit: canonical encoding is length-prefixed fields in fixed order", "[audit]") {
    CHECK(canonical_encoding(first_entry()) ==
          "1:1,13:1767225600000,16:system:bootstrap,17:player.registered,8:player:1,4:null,"
          "34:{\"country\":\"DE\",\"status\":\"active\"},"
          "64:0000000000000000000000000000000000000000000000000000000000000000,");
}

TEST_CASE("audit: lengths count UTF-8 bytes, not characters", "[audit]") {
    const std::string encoding = canonical_encoding(second_entry());
    CHECK(encoding.find("14:{\"name\":\"Zoe\"},15:{\"name\":\"Zo\xc3\xab\"},") !=
          std::string::npos);
}

// Expected values computed independently of pitboss:
//   printf '%s' '1:1,13:1767225600000,...,64:000...0,' | sha256sum
// and with Python's hashlib (docs/verify_audit_export.py implements the same encoding).
TEST_CASE("audit: hash of a known entry matches an independent SHA-256", "[audit]") {
    CHECK(compute_hash(first_entry()) ==
          "76d583967025f35f90a058dbec6ad50ec503da6700d38275ccfdbd2c0936e398");
    CHECK(compute_hash(second_entry()) ==
          "c529a7a06ce3b93dae93c2051d06bf956a9d176aa66d4912774f1920e31e47c3");
}

TEST_CASE("audit: encoding does not depend on how the JSON was built", "[audit]") {
    Entry a = first_entry();
    Entry b = first_entry();
    b.after = Json::parse(R"({ "country" : "DE",   "status": "active" })");
    CHECK(canonical_encoding(a) == canonical_encoding(b));
    CHECK(compute_hash(a) == compute_hash(b));
}

TEST_CASE("audit: the stored hash field is not part of the encoding", "[audit]") {
    Entry a = first_entry();
    Entry b = first_entry();
    b.hash = "anything";
    CHECK(canonical_encoding(a) == canonical_encoding(b));
}

TEST_CASE("audit: moving bytes between fields changes the encoding", "[audit]") {
    Entry a = first_entry();
    Entry b = first_entry();
    a.actor = "system:boot";
    a.action = "strap.player.registered";
    b.actor = "system:bootstrap";
    b.action = ".player.registered";
    CHECK(a.actor + a.action == b.actor + b.action);
    CHECK(canonical_encoding(a) != canonical_encoding(b));
    CHECK(compute_hash(a) != compute_hash(b));
}

TEST_CASE("audit: every hashed field changes the hash", "[audit]") {
    const std::string original = compute_hash(first_entry());
    auto changed = [&](auto&& edit) {
        Entry entry = first_entry();
        edit(entry);
        return compute_hash(entry);
    };
    CHECK(changed([](Entry& e) { e.seq = 2; }) != original);
    CHECK(changed([](Entry& e) { e.at += Duration(1); }) != original);
    CHECK(changed([](Entry& e) { e.actor = "system:bootstrap2"; }) != original);
    CHECK(changed([](Entry& e) { e.action = "player.updated"; }) != original);
    CHECK(changed([](Entry& e) { e.target = "player:2"; }) != original);
    CHECK(changed([](Entry& e) { e.before = Json::object(); }) != original);
    CHECK(changed([](Entry& e) { e.after["country"] = "AT"; }) != original);
    CHECK(changed([](Entry& e) { e.prev_hash[63] = '1'; }) != original);
}

TEST_CASE("audit: times before 1970 encode as negative milliseconds", "[audit]") {
    Entry entry = first_entry();
    entry.at = from_unix_millis(-1500);
    CHECK(canonical_encoding(entry).rfind("1:1,5:-1500,", 0) == 0);
}

}  // namespace pitboss::audit
