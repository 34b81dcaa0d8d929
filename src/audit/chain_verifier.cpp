#include "audit/chain_verifier.hpp"

#include <limits>
#include <utility>

namespace pitboss::audit::detail {

bool ChainVerifier::add(const EntryView& entry, std::string_view stored_hash) {
    if (!report_.ok) return false;
    if (!check_position(entry) || !check_hash(entry, stored_hash)) return false;
    last_seq_ = entry.seq;
    last_hash_.assign(stored_hash);
    ++report_.entries_checked;
    return true;
}

std::string_view ChainVerifier::linked_hash() const {
    return report_.entries_checked == 0 ? std::string_view(genesis_hash()) : last_hash_;
}

void ChainVerifier::fail(std::optional<std::int64_t> seq, std::string problem) {
    if (!report_.ok) return;
    report_.ok = false;
    report_.first_broken_seq = seq;
    report_.problem = std::move(problem);
}

bool ChainVerifier::check_position(const EntryView& entry) {
    const bool first = report_.entries_checked == 0;
    if (first && start_ == ChainStart::kAsGiven && entry.seq != 1) return true;
    if (last_seq_ == std::numeric_limits<std::int64_t>::max()) {
        fail(entry.seq, "sequence overflows after entry " + std::to_string(last_seq_));
        return false;
    }
    const std::int64_t expected = first ? 1 : last_seq_ + 1;
    if (entry.seq > expected) {
        fail(expected, "sequence gap after " + std::to_string(expected - 1));
        return false;
    }
    if (entry.seq < expected) {
        fail(entry.seq, "entry " + std::to_string(entry.seq) + " out of order after entry " +
                            std::to_string(last_seq_));
        return false;
    }
    if (first) {
        if (entry.prev_hash != genesis_hash()) {
            fail(entry.seq, "prev_hash of entry 1 is not the genesis hash");
            return false;
        }
        return true;
    }
    if (entry.prev_hash != last_hash_) {
        fail(entry.seq, "prev_hash does not match entry " + std::to_string(last_seq_));
        return false;
    }
    return true;
}

bool ChainVerifier::check_hash(const EntryView& entry, std::string_view stored_hash) {
    char computed[64];
    to_hex(sha_.digest(encode(entry, buffer_)), computed);
    if (stored_hash != std::string_view(computed, sizeof computed)) {
        fail(entry.seq, "hash mismatch");
        return false;
    }
    return true;
}

}  // namespace pitboss::audit::detail
