// libFuzzer target for the event parser. Invariants:
//  - parse_event and parse_events_jsonl throw nothing but std::bad_alloc on any bytes;
//  - a rejection names a field and its reason starts with "<field>: ";
//  - an accepted event holds non-empty ids of at most 128 bytes and a non-negative amount;
//  - the JSON Lines splitter agrees with parse_event on every line it reports.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "pitboss/events/event.hpp"

namespace {

[[noreturn]] void violated(const char* invariant) {
    std::cerr << "invariant violated: " << invariant << "\n";
    std::abort();
}

bool valid_id(const std::string& id) { return !id.empty() && id.size() <= 128; }

void check(const pitboss::events::ParseResult& result) {
    if (!result.ok()) {
        const auto& r = result.rejection();
        if (r.field.empty()) violated("a rejection names a field");
        if (r.reason.rfind(r.field + ": ", 0) != 0) violated("the reason starts with the field");
        return;
    }
    const pitboss::events::Event& e = result.event();
    if (!valid_id(e.event_id) || !valid_id(e.player_id)) violated("ids are 1-128 bytes");
    if (const auto amount = pitboss::events::amount_of(e); amount && amount->is_negative()) {
        violated("amounts are non-negative");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(pitboss::events::parse_event(text));
    pitboss::events::parse_events_jsonl(
        text, [](std::size_t, std::string_view line, pitboss::events::ParseResult result) {
            check(result);
            const pitboss::events::ParseResult again = pitboss::events::parse_event(line);
            if (again.ok() != result.ok()) violated("jsonl and single-event verdicts agree");
            if (again.ok() && !(again.event() == result.event())) violated("same event");
        });
    return 0;
}
