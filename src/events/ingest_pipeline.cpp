#include "events/ingest_pipeline.hpp"

#include <thread>
#include <utility>

namespace pitboss::events::detail {
namespace {

// Lines per chunk handed from the reader to the committer.
constexpr std::size_t kChunkLines = 1024;
// Chunks the reader may run ahead of the committer (bounds memory).
constexpr std::size_t kQueueChunks = 64;

using SteadyClock = std::chrono::steady_clock;

// Single producer, single consumer; either side can stop the other.
class ChunkQueue {
public:
    // False when the consumer stopped the pipeline.
    bool push(Chunk&& chunk) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return chunks_.size() < kQueueChunks || stopped_; });
        if (stopped_) return false;
        chunks_.push_back(std::move(chunk));
        ready_.notify_one();
        return true;
    }
    void finish(std::exception_ptr error) {
        std::lock_guard lock(mutex_);
        finished_ = true;
        error_ = std::move(error);
        ready_.notify_one();
    }
    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        space_.notify_one();
    }
    enum class Pop { kChunk, kTimeout, kFinished };
    Pop pop(Chunk& out, std::optional<SteadyClock::time_point> deadline) {
        std::unique_lock lock(mutex_);
        auto ready = [&] { return !chunks_.empty() || finished_; };
        if (deadline) {
            if (!ready_.wait_until(lock, *deadline, ready)) return Pop::kTimeout;
        } else {
            ready_.wait(lock, ready);
        }
        if (chunks_.empty()) {
            if (error_) std::rethrow_exception(error_);
            return Pop::kFinished;
        }
        out = std::move(chunks_.front());
        chunks_.pop_front();
        space_.notify_one();
        return Pop::kChunk;
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::condition_variable space_;
    std::deque<Chunk> chunks_;
    bool finished_ = false;
    bool stopped_ = false;
    std::exception_ptr error_;
};

std::string_view without_line_end(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

// Collects chunks into batches and commits them.
class Batcher {
public:
    Batcher(const BatchCommitter& commit, std::size_t max_batch)
        : commit_(commit), max_batch_(max_batch) {}

    void add(Chunk&& chunk, std::chrono::milliseconds interval) {
        if (items_.empty()) started_ = SteadyClock::now();
        for (auto& item : chunk.items) items_.push_back(std::move(item));
        if (!chunk.lines.empty()) texts_.push_back(std::move(chunk.lines));
        if (items_.size() >= max_batch_ || SteadyClock::now() >= started_ + interval) flush();
    }
    void flush() {
        if (items_.empty()) return;
        commit_(items_);
        items_.clear();
        texts_.clear();
    }
    [[nodiscard]] std::optional<SteadyClock::time_point> deadline(
        std::chrono::milliseconds interval) const {
        if (items_.empty()) return std::nullopt;
        return started_ + interval;
    }

private:
    const BatchCommitter& commit_;
    std::size_t max_batch_;
    std::vector<InputItem> items_;
    // A deque: growing it never moves the line texts that items_ point into.
    std::deque<std::deque<std::string>> texts_;
    SteadyClock::time_point started_;
};

}  // namespace

void run_pipeline(const ChunkProducer& produce, const BatchCommitter& commit, std::size_t max_batch,
                  std::chrono::milliseconds commit_interval) {
    ChunkQueue queue;
    std::thread reader([&] {
        try {
            for (;;) {
                Chunk chunk;
                const bool more = produce(chunk);
                if (!chunk.items.empty() && !queue.push(std::move(chunk))) break;
                if (!more) break;
            }
            queue.finish(nullptr);
        } catch (...) {
            queue.finish(std::current_exception());
        }
    });
    try {
        Batcher batcher(commit, max_batch);
        for (;;) {
            Chunk chunk;
            const auto got = queue.pop(chunk, batcher.deadline(commit_interval));
            if (got == ChunkQueue::Pop::kChunk) {
                batcher.add(std::move(chunk), commit_interval);
            } else if (got == ChunkQueue::Pop::kTimeout) {
                batcher.flush();
            } else {
                batcher.flush();
                break;
            }
        }
    } catch (...) {
        queue.stop();
        reader.join();
        throw;
    }
    reader.join();
}

ChunkProducer text_producer(std::string_view text) {
    return [text, offset = std::size_t{0},
            parser = std::make_shared<EventParser>()](Chunk& chunk) mutable {
        while (offset < text.size() && chunk.items.size() < kChunkLines) {
            const std::size_t end = std::min(text.find('\n', offset), text.size());
            const std::string_view line = without_line_end(text.substr(offset, end - offset));
            offset = end + 1;
            if (!is_blank(line)) chunk.items.push_back({line, parser->parse(line)});
        }
        return offset < text.size();
    };
}

ChunkProducer stream_producer(std::istream& in) {
    return [&in, parser = std::make_shared<EventParser>()](Chunk& chunk) {
        std::string line;
        while (chunk.items.size() < kChunkLines) {
            // Hand over what we have before a read that may block on a quiet stream.
            if (!chunk.items.empty() && in.rdbuf()->in_avail() <= 0) return true;
            if (!std::getline(in, line)) return false;
            const std::string_view text = without_line_end(line);
            if (is_blank(text)) continue;
            const std::string& stored = chunk.lines.emplace_back(text);
            chunk.items.push_back({stored, parser->parse(stored)});
        }
        return true;
    };
}

}  // namespace pitboss::events::detail
