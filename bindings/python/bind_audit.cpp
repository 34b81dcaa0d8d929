// audit: verify the hash chain, list and export entries, verify an export on its own.

#include <cstdint>
#include <exception>
#include <istream>
#include <ostream>
#include <string>

#include "bind.hpp"
#include "convert.hpp"
#include "pitboss/audit/audit_log.hpp"

namespace pitboss::python {

namespace {

using audit::AuditLog;
using audit::VerifyReport;

py::dict entry_to_dict(const audit::Entry& e) {
    py::dict d;
    d["seq"] = e.seq;
    d["at"] = from_timestamp(e.at);
    d["actor"] = e.actor;
    d["action"] = e.action;
    d["target"] = e.target;
    d["before"] = from_json(e.before);
    d["after"] = from_json(e.after);
    d["prev_hash"] = e.prev_hash;
    d["hash"] = e.hash;
    return d;
}

audit::TimeRange to_range(py::handle from, py::handle to) {
    return {to_optional_timestamp(from, "from_"), to_optional_timestamp(to, "to")};
}

py::list list_entries(const AuditLog& log, const Actor& actor, py::handle from, py::handle to,
                      std::size_t limit) {
    const audit::TimeRange range = to_range(from, to);
    std::vector<audit::Entry> entries;
    {
        py::gil_scoped_release release;
        entries = log.list(actor, range, limit);
    }
    py::list result;
    for (const audit::Entry& e : entries) result.append(entry_to_dict(e));
    return result;
}

std::int64_t write_export(const AuditLog& log, const Actor& actor, const py::object& file,
                          bool text, const audit::TimeRange& range) {
    PyFileWriter writer(file, text);
    std::ostream out(&writer);
    std::int64_t count = 0;
    std::exception_ptr failure;
    {
        py::gil_scoped_release release;
        try {
            count = log.export_jsonl(actor, out, range);
            out.flush();
        } catch (...) {
            failure = std::current_exception();
        }
    }
    writer.flush();  // a Python error raised by write() is the cause of any failure: it wins
    if (failure) std::rethrow_exception(failure);
    return count;
}

std::int64_t export_entries(const AuditLog& log, const Actor& actor, const py::object& target,
                            py::handle from, py::handle to) {
    const audit::TimeRange range = to_range(from, to);
    if (!is_path(target)) return write_export(log, actor, target, is_text_file(target), range);
    const py::object file = open_file(target, "wb");
    try {
        const std::int64_t count = write_export(log, actor, file, false, range);
        file.attr("close")();
        return count;
    } catch (...) {
        file.attr("close")();
        throw;
    }
}

VerifyReport read_and_verify(const py::object& file) {
    PyFileReader reader(file);
    std::istream in(&reader);
    VerifyReport report;
    {
        py::gil_scoped_release release;
        report = audit::verify_export(in);
    }
    reader.check();
    return report;
}

VerifyReport verify_export_source(const py::object& source) {
    if (!is_path(source)) return read_and_verify(source);
    const py::object file = open_file(source, "rb");
    try {
        VerifyReport report = read_and_verify(file);
        file.attr("close")();
        return report;
    } catch (...) {
        file.attr("close")();
        throw;
    }
}

std::string report_repr(const VerifyReport& r) {
    std::string text = "VerifyReport(ok=" + std::string(r.ok ? "True" : "False") +
                       ", entries_checked=" + std::to_string(r.entries_checked);
    if (r.first_broken_seq) {
        text += ", first_broken_seq=" + std::to_string(*r.first_broken_seq) + ", problem='" +
                r.problem + "'";
    }
    return text + ")";
}

}  // namespace

void bind_audit(py::module_& m) {
    py::class_<VerifyReport>(m, "VerifyReport",
                             "Outcome of walking a hash chain; true when intact.")
        .def_readonly("ok", &VerifyReport::ok)
        .def_readonly("entries_checked", &VerifyReport::entries_checked)
        .def_readonly("first_broken_seq", &VerifyReport::first_broken_seq,
                      "First sequence number whose entry is wrong, or None.")
        .def_readonly("problem", &VerifyReport::problem)
        .def("__bool__", [](const VerifyReport& r) { return r.ok; })
        .def("__repr__", &report_repr);

    py::class_<AuditLog>(m, "AuditLog", "The immutable, hash-chained audit log (bo.audit).")
        .def("verify", &AuditLog::verify, py::call_guard<py::gil_scoped_release>(),
             "Walks the whole chain and reports the first broken entry.")
        .def("list", &list_entries, py::arg("actor"), py::arg("from_") = py::none(),
             py::arg("to") = py::none(), py::arg("limit") = 1000,
             "Entries in [from_, to] (both optional, inclusive), oldest first, as dicts; needs "
             "audit.read.")
        .def("export", &export_entries, py::arg("actor"), py::arg("path_or_file"),
             py::arg("from_") = py::none(), py::arg("to") = py::none(),
             "Writes the entries of [from_, to] as JSON Lines with their hashes to a path or an "
             "open file; returns how many. Needs audit.export.");

    m.def("verify_export", &verify_export_source, py::arg("source"),
          "Verifies an exported JSON-Lines file (path or open file) on its own, without a "
          "database.");
}

}  // namespace pitboss::python
