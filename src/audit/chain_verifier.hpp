#pragma once
// Walks a hash chain entry by entry, the same way for rows streamed from the database and for
// lines of an export: sequence without gaps, prev_hash linked to the previous entry's hash, and
// each stored hash equal to the hash recomputed over the canonical encoding.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/encoding.hpp"
#include "audit/sha256.hpp"
#include "pitboss/audit/audit_log.hpp"

namespace pitboss::audit::detail {

/// How the first entry of a walk is anchored.
enum class ChainStart {
    kGenesis,  ///< the first entry must be seq 1 with the genesis prev_hash (a whole log)
    kAsGiven,  ///< the first entry's prev_hash is taken as given (an exported range)
};

/// Checks entries in order and remembers the first problem. Not thread-safe.
class ChainVerifier {
public:
    explicit ChainVerifier(ChainStart start) : start_(start) {}

    /// Checks the next entry against its predecessor; false once the chain is broken (later
    /// entries are then ignored).
    bool add(const EntryView& entry, std::string_view stored_hash);
    /// Records a problem found outside the chain walk (malformed line, head mismatch); the
    /// first recorded problem wins.
    void fail(std::optional<std::int64_t> seq, std::string problem);

    [[nodiscard]] bool ok() const noexcept { return report_.ok; }
    /// Seq of the last intact entry (0 before the first).
    [[nodiscard]] std::int64_t last_seq() const noexcept { return last_seq_; }
    /// Stored hash of the last intact entry (empty before the first).
    [[nodiscard]] std::string_view last_hash() const noexcept { return last_hash_; }
    /// The prev_hash the next entry of a whole log links to: the genesis hash before the first
    /// entry, then the last intact entry's hash (for stores that do not keep prev_hash).
    [[nodiscard]] std::string_view linked_hash() const;
    /// The outcome so far; entries_checked counts the intact entries.
    [[nodiscard]] const VerifyReport& report() const noexcept { return report_; }

private:
    bool check_position(const EntryView& entry);
    bool check_hash(const EntryView& entry, std::string_view stored_hash);

    ChainStart start_;
    VerifyReport report_;
    std::int64_t last_seq_ = 0;
    std::string last_hash_;
    Sha256 sha_;
    std::vector<char> buffer_;
};

}  // namespace pitboss::audit::detail
