#pragma once
// The ingestion pipeline: a reader thread splits and parses input lines into chunks while the
// calling thread commits batches of them. A batch closes when it is full or when its oldest
// line has waited commit_interval, so a slow stream still commits on time.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <istream>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/batch_ingest.hpp"

namespace pitboss::events::detail {

/// Parsed lines with the text they point into.
struct Chunk {
    std::deque<std::string> lines;  ///< owned line texts (empty when the input outlives us)
    std::vector<InputItem> items;   ///< one per non-blank line, in order
};

/// Produces chunks; returns false when the input is exhausted. Runs on the reader thread.
using ChunkProducer = std::function<bool(Chunk& chunk)>;

/// Commits one batch (its items in order).
using BatchCommitter = std::function<void(const std::vector<InputItem>& items)>;

/// Runs `produce` on a reader thread and `commit` on the calling thread until the input ends.
/// An exception on either side stops both and is rethrown here.
void run_pipeline(const ChunkProducer& produce, const BatchCommitter& commit, std::size_t max_batch,
                  std::chrono::milliseconds commit_interval);

/// A producer over JSON Lines text that outlives the pipeline (no copies of lines).
[[nodiscard]] ChunkProducer text_producer(std::string_view text);
/// A producer over a stream; a chunk is handed over early when the stream has nothing
/// buffered, so a trickling stream is not held back.
[[nodiscard]] ChunkProducer stream_producer(std::istream& in);

}  // namespace pitboss::events::detail
