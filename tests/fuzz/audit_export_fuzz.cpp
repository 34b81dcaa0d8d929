// libFuzzer target for the audit export reader. Invariants:
//  - verify_export never throws: a malformed stream is a report, not an exception;
//  - a report that is not ok names a problem, and an ok report names none;
//  - entry_from_json throws nothing but pitboss::ValidationError;
//  - an entry it accepts survives entry_to_json -> entry_from_json with the same hash.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "pitboss/audit/audit_log.hpp"
#include "pitboss/core/error.hpp"

namespace {

[[noreturn]] void violated(const char* invariant) {
    std::cerr << "invariant violated: " << invariant << "\n";
    std::abort();
}

void check_verify_export(const std::string& bytes) {
    std::istringstream in(bytes);
    pitboss::audit::VerifyReport report;
    try {
        report = pitboss::audit::verify_export(in);
    } catch (...) {
        violated("verify_export threw");
    }
    if (report.ok == report.problem.empty()) return;
    violated("ok and problem disagree");
}

void check_entry_from_json(const std::string& bytes) {
    const pitboss::Json j = pitboss::Json::parse(bytes, nullptr, false);
    if (j.is_discarded()) return;
    pitboss::audit::Entry entry;
    try {
        entry = pitboss::audit::entry_from_json(j);
    } catch (const pitboss::ValidationError&) {
        return;
    }
    try {
        const auto again = pitboss::audit::entry_from_json(pitboss::audit::entry_to_json(entry));
        if (pitboss::audit::compute_hash(again) != pitboss::audit::compute_hash(entry)) {
            violated("round trip changed the hash");
        }
    } catch (const pitboss::ValidationError&) {
        // Values without a canonical JSON form (none can come from a parsed line) would land here.
        violated("an accepted entry did not round-trip");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    check_verify_export(bytes);
    check_entry_from_json(bytes);
    return 0;
}
