#pragma once
// Conversions between Python objects and the pitboss vocabulary, shared by every bind_*.cpp.
//
// Time: a Timestamp is a timezone-aware datetime in UTC (naive datetimes are refused, naming the
// argument); a Date is a datetime.date. JSON values are plain dicts / lists / scalars.
// Include this header (never pybind11/chrono.h) wherever Timestamp or Date cross the boundary,
// so that every translation unit sees the same type casters.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/access/condition.hpp"
#include "pitboss/core/actor.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::python {

namespace py = pybind11;

/// True for a datetime.datetime (or subclass).
[[nodiscard]] bool is_datetime(py::handle obj);
/// True for a datetime.date that is not a datetime.
[[nodiscard]] bool is_date(py::handle obj);

/// Reads a timezone-aware datetime or an RFC 3339 string; ValidationError naming `arg` for a
/// naive datetime or malformed text, TypeError for anything else.
[[nodiscard]] Timestamp to_timestamp(py::handle obj, std::string_view arg);
/// Same, None gives an empty optional.
[[nodiscard]] std::optional<Timestamp> to_optional_timestamp(py::handle obj, std::string_view arg);
/// A timezone-aware datetime in UTC.
[[nodiscard]] py::object from_timestamp(Timestamp t);

/// Reads a datetime.date or "YYYY-MM-DD"; a datetime is refused (ValidationError naming `arg`).
[[nodiscard]] Date to_date(py::handle obj, std::string_view arg);
/// A datetime.date.
[[nodiscard]] py::object from_date(Date d);

/// Reads a datetime.timedelta (millisecond precision).
[[nodiscard]] Duration to_duration(py::handle obj, std::string_view arg);

/// Reads None, bool, int, float, str, list/tuple and dict (str keys) into JSON.
[[nodiscard]] Json to_json(py::handle obj);
/// JSON as plain Python objects (dict, list, str, int, float, bool, None).
[[nodiscard]] py::object from_json(const Json& j);

/// Reads a str; TypeError naming `arg` otherwise.
[[nodiscard]] std::string to_string(py::handle obj, std::string_view arg);
/// Reads an int; TypeError naming `arg` otherwise (bool is refused).
[[nodiscard]] std::int64_t to_int(py::handle obj, std::string_view arg);
/// Reads a bool; TypeError naming `arg` otherwise.
[[nodiscard]] bool to_bool(py::handle obj, std::string_view arg);
/// Reads an iterable of str.
[[nodiscard]] std::vector<std::string> to_strings(py::handle obj, std::string_view arg);

/// Reads resource attributes from a mapping of str to int or str (None gives no attributes).
[[nodiscard]] Attributes to_attributes(py::handle obj);
/// Reads an ABAC condition from its dict form (None gives the empty condition).
[[nodiscard]] access::Condition to_condition(py::handle obj);

/// A std::streambuf that writes to a Python file object (text or binary) in large chunks.
/// It takes the GIL only while it hands a chunk to Python, so the C++ side can run with the GIL
/// released. A Python error is kept and rethrown by flush() once the GIL is held again.
class PyFileWriter final : public std::streambuf {
public:
    /// `file` must have a write() method; `text` selects str chunks instead of bytes.
    PyFileWriter(const py::object& file, bool text);
    ~PyFileWriter() override;
    PyFileWriter(const PyFileWriter&) = delete;
    PyFileWriter& operator=(const PyFileWriter&) = delete;
    /// Writes what is buffered and rethrows a pending Python error. Call with the GIL held.
    void flush();

protected:
    int_type overflow(int_type ch) override;
    int sync() override;

private:
    bool write_chunk();
    py::object write_;
    bool text_;
    std::vector<char> buffer_;
    std::exception_ptr error_;
};

/// A std::streambuf that reads from a Python file object (text or binary) in large chunks,
/// taking the GIL only while it calls read(). Errors are kept and rethrown by check().
class PyFileReader final : public std::streambuf {
public:
    explicit PyFileReader(const py::object& file);
    ~PyFileReader() override;
    PyFileReader(const PyFileReader&) = delete;
    PyFileReader& operator=(const PyFileReader&) = delete;
    /// Rethrows a pending Python error. Call with the GIL held.
    void check();

protected:
    int_type underflow() override;

private:
    py::object read_;
    std::string chunk_;
    std::exception_ptr error_;
};

/// True when `obj` is a str or an os.PathLike (a path rather than an open file).
[[nodiscard]] bool is_path(py::handle obj);
/// Opens a path with the builtin open() in `mode`.
[[nodiscard]] py::object open_file(py::handle path, const char* mode);
/// True when `file` is a text-mode file (io.TextIOBase).
[[nodiscard]] bool is_text_file(py::handle file);

}  // namespace pitboss::python

namespace pybind11::detail {

/// pitboss::Timestamp <-> timezone-aware datetime (UTC).
template <>
struct type_caster<pitboss::Timestamp> {
    PYBIND11_TYPE_CASTER(pitboss::Timestamp, const_name("datetime.datetime"));
    bool load(handle src, bool /*convert*/) {
        if (!pitboss::python::is_datetime(src)) return false;
        value = pitboss::python::to_timestamp(src, "datetime");
        return true;
    }
    static handle cast(pitboss::Timestamp t, return_value_policy /*policy*/, handle /*parent*/) {
        return pitboss::python::from_timestamp(t).release();
    }
};

/// pitboss::Date <-> datetime.date.
template <>
struct type_caster<pitboss::Date> {
    PYBIND11_TYPE_CASTER(pitboss::Date, const_name("datetime.date"));
    bool load(handle src, bool /*convert*/) {
        if (!pitboss::python::is_date(src)) return false;
        value = pitboss::python::to_date(src, "date");
        return true;
    }
    static handle cast(pitboss::Date d, return_value_policy /*policy*/, handle /*parent*/) {
        return pitboss::python::from_date(d).release();
    }
};

}  // namespace pybind11::detail
