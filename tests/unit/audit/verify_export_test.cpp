#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "pitboss/audit/audit_log.hpp"

namespace pitboss::audit {
namespace {

constexpr std::int64_t kStartMillis = 1767225600000;  // 2026-01-01T00:00:00Z

/// A correctly chained log of `count` entries, as export lines.
std::vector<std::string> chain_lines(int count) {
    std::vector<std::string> lines;
    std::string prev = genesis_hash();
    for (int i = 1; i <= count; ++i) {
        Entry entry;
        entry.seq = i;
        entry.at = from_unix_millis(kStartMillis + i * 1000);
        entry.actor = "operator:alice";
        entry.action = "player.updated";
        entry.target = "player:" + std::to_string(i);
        entry.before = Json{{"status", "active"}, {"n", i}};
        entry.after = Json{{"status", "blocked"}, {"n", i}, {"note", "caf\xc3\xa9"}};
        entry.prev_hash = prev;
        entry.hash = compute_hash(entry);
        prev = entry.hash;
        lines.push_back(entry_to_json(entry).dump());
    }
    return lines;
}

VerifyReport verify_lines(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    std::istringstream in(text);
    return verify_export(in);
}

/// The first occurrence of `from` in `line` replaced by `to`.
std::string replaced(std::string line, const std::string& from, const std::string& to) {
    const auto at = line.find(from);
    REQUIRE(at != std::string::npos);
    return line.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("audit: an intact export verifies", "[audit]") {
    const VerifyReport report = verify_lines(chain_lines(20));
    CHECK(report.ok);
    CHECK(report.entries_checked == 20);
    CHECK_FALSE(report.first_broken_seq);
    CHECK(report.problem.empty());
}

TEST_CASE("audit: an empty export verifies with nothing checked", "[audit]") {
    const VerifyReport report = verify_lines({});
    CHECK(report.ok);
    CHECK(report.entries_checked == 0);
}

TEST_CASE("audit: an export of a later range verifies from its first prev_hash", "[audit]") {
    auto lines = chain_lines(20);
    lines.erase(lines.begin(), lines.begin() + 7);
    const VerifyReport report = verify_lines(lines);
    CHECK(report.ok);
    CHECK(report.entries_checked == 13);
}

TEST_CASE("audit: blank lines and CRLF endings are tolerated", "[audit]") {
    auto lines = chain_lines(3);
    lines[1] += "\r";
    lines.insert(lines.begin() + 2, "");
    CHECK(verify_lines(lines).ok);
}

TEST_CASE("audit: a changed byte in before or after is a hash mismatch at that seq", "[audit]") {
    auto lines = chain_lines(10);
    SECTION("before") { lines[3] = replaced(lines[3], "\"active\"", "\"activf\""); }
    SECTION("after") { lines[3] = replaced(lines[3], "\"blocked\"", "\"blockee\""); }
    SECTION("actor") { lines[3] = replaced(lines[3], "operator:alice", "operator:alicf"); }
    SECTION("time") {
        lines[3] = replaced(lines[3], "\"at_ms\":1767225604000", "\"at_ms\":1767225604001");
        lines[3] = replaced(lines[3], "04.000Z", "04.001Z");
    }
    const VerifyReport report = verify_lines(lines);
    CHECK_FALSE(report.ok);
    CHECK(report.first_broken_seq == 4);
    CHECK(report.problem == "hash mismatch");
    CHECK(report.entries_checked == 3);
}

TEST_CASE("audit: a recomputed hash breaks the link of the next entry", "[audit]") {
    auto lines = chain_lines(10);
    Entry tampered = entry_from_json(Json::parse(lines[4]));
    tampered.after = Json{{"status", "active"}};
    tampered.hash = compute_hash(tampered);
    lines[4] = entry_to_json(tampered).dump();
    const VerifyReport report = verify_lines(lines);
    CHECK(report.first_broken_seq == 6);
    CHECK(report.problem == "prev_hash does not match entry 5");
}

TEST_CASE("audit: swapped lines are reported", "[audit]") {
    auto lines = chain_lines(10);
    std::swap(lines[4], lines[5]);
    const VerifyReport report = verify_lines(lines);
    CHECK_FALSE(report.ok);
    CHECK(report.first_broken_seq == 5);
    CHECK(report.problem == "sequence gap after 4");
}

TEST_CASE("audit: a repeated line is reported out of order", "[audit]") {
    auto lines = chain_lines(5);
    lines.insert(lines.begin() + 3, lines[2]);
    const VerifyReport report = verify_lines(lines);
    CHECK(report.first_broken_seq == 3);
    CHECK(report.problem == "entry 3 out of order after entry 3");
}

TEST_CASE("audit: a deleted line is a gap at its seq", "[audit]") {
    auto lines = chain_lines(10);
    lines.erase(lines.begin() + 6);
    const VerifyReport report = verify_lines(lines);
    CHECK(report.first_broken_seq == 7);
    CHECK(report.problem == "sequence gap after 6");
    CHECK(report.entries_checked == 6);
}

TEST_CASE("audit: an export claiming seq 1 must start from the genesis hash", "[audit]") {
    auto lines = chain_lines(3);
    Entry first = entry_from_json(Json::parse(lines[0]));
    first.prev_hash = std::string(64, 'a');
    first.hash = compute_hash(first);
    lines[0] = entry_to_json(first).dump();
    const VerifyReport report = verify_lines(lines);
    CHECK(report.first_broken_seq == 1);
    CHECK(report.problem == "prev_hash of entry 1 is not the genesis hash");
}

TEST_CASE("audit: a malformed line is reported with its line number", "[audit]") {
    auto lines = chain_lines(5);
    lines[2] = lines[2].substr(0, lines[2].size() / 2);
    const VerifyReport report = verify_lines(lines);
    CHECK_FALSE(report.ok);
    CHECK_FALSE(report.first_broken_seq);
    CHECK(report.problem == "line 3: malformed JSON");
    CHECK(report.entries_checked == 2);
}

TEST_CASE("audit: a line with a bad field is reported at its seq", "[audit]") {
    auto lines = chain_lines(5);
    SECTION("missing hash") {
        lines[2] = replaced(lines[2], "\"hash\":", "\"hash_\":");
        const VerifyReport report = verify_lines(lines);
        CHECK(report.first_broken_seq == 3);
        CHECK(report.problem == "line 3: hash: is missing");
    }
    SECTION("at disagrees with at_ms") {
        lines[2] = replaced(lines[2], "03.000Z", "03.500Z");
        const VerifyReport report = verify_lines(lines);
        CHECK(report.first_broken_seq == 3);
        CHECK(report.problem == "line 3: at: does not match at_ms");
    }
    SECTION("upper-case hash") {
        Json j = Json::parse(lines[2]);
        std::string hash = j["hash"];
        for (char& c : hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        j["hash"] = hash;
        lines[2] = j.dump();
        CHECK(verify_lines(lines).problem == "line 3: hash: must be 64 lower-case hex digits");
    }
    SECTION("not an object") {
        lines[2] = "[1, 2, 3]";
        const VerifyReport report = verify_lines(lines);
        CHECK_FALSE(report.first_broken_seq);
        CHECK(report.problem == "line 3: entry: must be a JSON object");
    }
}

TEST_CASE("audit: deeply nested input is reported, not crashed on", "[audit]") {
    std::vector<std::string> lines = {std::string(100'000, '[') + std::string(100'000, ']')};
    const VerifyReport report = verify_lines(lines);
    CHECK_FALSE(report.ok);
    CHECK(report.problem == "line 1: JSON nested too deeply");
}

TEST_CASE("audit: only the first problem is reported", "[audit]") {
    auto lines = chain_lines(10);
    lines[2] = replaced(lines[2], "\"blocked\"", "\"blockee\"");
    lines[7] = "garbage";
    const VerifyReport report = verify_lines(lines);
    CHECK(report.first_broken_seq == 3);
    CHECK(report.problem == "hash mismatch");
}

TEST_CASE("audit: entry JSON round-trips", "[audit]") {
    const auto lines = chain_lines(2);
    const Entry entry = entry_from_json(Json::parse(lines[1]));
    CHECK(entry.seq == 2);
    CHECK(to_unix_millis(entry.at) == kStartMillis + 2000);
    CHECK(entry.after["note"] == "caf\xc3\xa9");
    CHECK(entry_to_json(entry).dump() == lines[1]);
    const Json j = entry_to_json(entry);
    CHECK(j["at"] == "2026-01-01T00:00:02.000Z");
    CHECK(j["at_ms"] == kStartMillis + 2000);
}

TEST_CASE("audit: entry_from_json names the bad field", "[audit]") {
    const Json good = Json::parse(chain_lines(1)[0]);
    auto field_of = [&](const char* key, const Json& value) {
        Json j = good;
        j[key] = value;
        try {
            (void)entry_from_json(j);
        } catch (const ValidationError& e) {
            return e.field();
        }
        return std::string("none");
    };
    CHECK(field_of("seq", 0) == "seq");
    CHECK(field_of("seq", "1") == "seq");
    CHECK(field_of("seq", 1.5) == "seq");
    CHECK(field_of("at_ms", "x") == "at_ms");
    CHECK(field_of("at_ms", 253402300800000) == "at_ms");  // 10000-01-01
    CHECK(field_of("at_ms", -62135596800001) == "at_ms");  // before 0001-01-01
    CHECK(field_of("at", "yesterday") == "at");
    CHECK(field_of("actor", 7) == "actor");
    CHECK(field_of("prev_hash", "00") == "prev_hash");
    CHECK(field_of("before", nullptr) == "none");
}

}  // namespace pitboss::audit
