#include "cli/args.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "pitboss/core/error.hpp"

namespace pitboss::cli {
namespace {

struct OptionSpec {
    std::string_view name;
    bool takes_value;
};

// Every option any command knows; each command then says which of them it accepts.
constexpr std::array<OptionSpec, 33> kOptions = {{
    {"db", true},           {"now", true},      {"json", false},         {"help", false},
    {"seed", true},         {"players", true},  {"from", true},          {"to", true},
    {"after", true},        {"limit", true},    {"profiles", false},     {"channel", true},
    {"category", true},     {"priority", true}, {"body", true},          {"note", false},
    {"status", true},       {"ids", false},     {"rule", true},          {"members", true},
    {"buckets", true},      {"parent", true},   {"description", true},   {"at", true},
    {"display-name", true}, {"role", true},     {"password", true},      {"confirm", true},
    {"source", true},       {"code", true},     {"recovery-code", true}, {"session", true},
    {"language", true},
}};

const OptionSpec& spec_of(std::string_view name) {
    const auto it = std::find_if(kOptions.begin(), kOptions.end(),
                                 [&](const OptionSpec& s) { return s.name == name; });
    if (it == kOptions.end()) throw UsageError("unknown option '--" + std::string(name) + "'");
    return *it;
}

}  // namespace

bool option_takes_value(std::string_view name) { return spec_of(name).takes_value; }

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
    const auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
}

ParsedArgs parse_args(const std::vector<std::string>& args) {
    ParsedArgs parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            parsed.words.insert(parsed.words.end(), args.begin() + static_cast<long>(i) + 1,
                                args.end());
            break;
        }
        if (arg == "-h") {
            parsed.options["help"] = "";
            continue;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            parsed.words.push_back(arg);
            continue;
        }
        if (arg[1] != '-') throw UsageError("unknown option '" + arg + "'");
        const auto eq = arg.find('=');
        const std::string name =
            arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const OptionSpec& spec = spec_of(name);
        std::string value;
        if (spec.takes_value) {
            if (eq != std::string::npos) {
                value = arg.substr(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                throw UsageError("--" + name + ": missing value");
            }
        } else if (eq != std::string::npos) {
            throw UsageError("--" + name + ": takes no value");
        }
        if (!parsed.options.emplace(name, value).second) {
            throw UsageError("--" + name + ": given more than once");
        }
    }
    return parsed;
}

std::int64_t integer_option(std::string_view name, std::string_view text, std::int64_t min,
                            std::int64_t max) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
        throw UsageError("--" + std::string(name) + ": expected an integer from " +
                         std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                         std::string(text) + "'");
    }
    return value;
}

Timestamp timestamp_option(std::string_view name, std::string_view text) {
    try {
        return parse_timestamp(text, name);
    } catch (const ValidationError&) {
        throw UsageError("--" + std::string(name) + ": not an RFC 3339 timestamp: '" +
                         std::string(text) + "'");
    }
}

}  // namespace pitboss::cli
