#pragma once
// Small helpers shared by the benchmarks: wall-clock timing, medians, JSON-lines output.
//
// Every benchmark measures its subject and a baseline in the same run, repeats each at least
// five times, and writes one JSON object per line to bench/results/<bench>.jsonl (and stdout):
//   {"bench":"audit","case":"append","unit":"entries/s","median":..., "runs":[...],
//    "baseline":"plain prepared INSERT","baseline_median":..., "ratio":..., "target":"..."}

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pitboss::bench {

/// Seconds taken by `work()`.
template <class F>
double seconds(F&& work) {
    auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Median of a non-empty sample.
inline double median(std::vector<double> sample) {
    std::sort(sample.begin(), sample.end());
    const std::size_t n = sample.size();
    return n % 2 == 1 ? sample[n / 2] : (sample[n / 2 - 1] + sample[n / 2]) / 2.0;
}

/// Percentile (0-100) by nearest rank.
inline double percentile(std::vector<double> sample, double p) {
    std::sort(sample.begin(), sample.end());
    auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sample.size() - 1) + 0.5);
    return sample[std::min(rank, sample.size() - 1)];
}

/// Appends one result line to bench/results/<bench>.jsonl (directory from PITBOSS_BENCH_RESULTS
/// or ./bench/results) and echoes it to stdout.
inline void report(const nlohmann::json& line) {
    const char* dir_env = std::getenv("PITBOSS_BENCH_RESULTS");
    std::filesystem::path dir = dir_env ? dir_env : "bench/results";
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / (line.value("bench", std::string("bench")) + ".jsonl"), std::ios::app);
    out << line.dump() << '\n';
    std::cout << line.dump() << std::endl;
}

}  // namespace pitboss::bench
