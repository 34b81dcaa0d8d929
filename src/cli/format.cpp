#include "cli/format.hpp"

#include <algorithm>
#include <iomanip>

namespace pitboss::cli {

void print_fields(std::ostream& out, const Fields& rows) {
    std::size_t width = 0;
    for (const auto& row : rows) width = std::max(width, row.first.size() + 1);
    for (const auto& [key, value] : rows) {
        out << std::left << std::setw(static_cast<int>(width + 1)) << key + ":" << value << '\n';
    }
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    const auto print_row = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i + 1 == cells.size()) {
                out << cells[i];
            } else {
                out << std::left << std::setw(static_cast<int>(widths[i] + 2)) << cells[i];
            }
        }
        out << '\n';
    };
    print_row(header);
    for (const auto& row : rows) print_row(row);
}

std::string or_dash(const std::optional<std::string>& value) { return value ? *value : "-"; }

}  // namespace pitboss::cli
