#include "convert.hpp"

// datetime.h must follow Python.h (included by pybind11).
#include <datetime.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::python {

namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hh_mm_ss;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::sys_days;

constexpr std::size_t kChunkSize = std::size_t{64} * 1024;

// PyDateTimeAPI is a per-translation-unit static; every datetime access goes through this file.
void ensure_datetime_api() {
    if (PyDateTimeAPI == nullptr) {
        PyDateTime_IMPORT;
        if (PyDateTimeAPI == nullptr) throw py::error_already_set();
    }
}

std::string type_name(py::handle obj) {
    return py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>();
}

[[noreturn]] void throw_type_error(std::string_view arg, std::string_view expected,
                                   py::handle got) {
    throw py::type_error(std::string(arg) + ": expected " + std::string(expected) + ", got " +
                         type_name(got));
}

// CPython's datetime field accessors are macros with C-style casts; they are confined here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
Date date_of(PyObject* obj) {
    return Date{std::chrono::year{PyDateTime_GET_YEAR(obj)},
                std::chrono::month{static_cast<unsigned>(PyDateTime_GET_MONTH(obj))},
                std::chrono::day{static_cast<unsigned>(PyDateTime_GET_DAY(obj))}};
}

microseconds time_of_day(PyObject* obj) {
    return std::chrono::hours{PyDateTime_DATE_GET_HOUR(obj)} +
           std::chrono::minutes{PyDateTime_DATE_GET_MINUTE(obj)} +
           std::chrono::seconds{PyDateTime_DATE_GET_SECOND(obj)} +
           microseconds{PyDateTime_DATE_GET_MICROSECOND(obj)};
}

microseconds delta_of(PyObject* obj) {
    return days{PyDateTime_DELTA_GET_DAYS(obj)} +
           std::chrono::seconds{PyDateTime_DELTA_GET_SECONDS(obj)} +
           microseconds{PyDateTime_DELTA_GET_MICROSECONDS(obj)};
}
#pragma GCC diagnostic pop

std::int64_t checked_int64(py::handle obj, std::string_view arg) {
    int overflow = 0;
    const long long value = PyLong_AsLongLongAndOverflow(obj.ptr(), &overflow);
    if (overflow != 0) throw ValidationError(std::string(arg), "integer out of 64-bit range");
    if (value == -1 && PyErr_Occurred() != nullptr) throw py::error_already_set();
    return value;
}

// Length of the longest prefix of `data` that does not end inside a UTF-8 sequence.
std::size_t complete_utf8_prefix(const char* data, std::size_t size) {
    const std::size_t lookback = std::min<std::size_t>(size, 3);
    for (std::size_t back = 1; back <= lookback; ++back) {
        const auto byte = static_cast<unsigned char>(data[size - back]);
        if ((byte & 0xC0U) == 0x80U) continue;  // continuation byte: keep looking for the lead
        std::size_t length = 1;
        if ((byte & 0xE0U) == 0xC0U) length = 2;
        if ((byte & 0xF0U) == 0xE0U) length = 3;
        if ((byte & 0xF8U) == 0xF0U) length = 4;
        return length > back ? size - back : size;
    }
    return size;
}

}  // namespace

bool is_datetime(py::handle obj) {
    ensure_datetime_api();
    return PyDateTime_Check(obj.ptr());
}

bool is_date(py::handle obj) {
    ensure_datetime_api();
    return PyDate_Check(obj.ptr()) && !PyDateTime_Check(obj.ptr());
}

Timestamp to_timestamp(py::handle obj, std::string_view arg) {
    if (py::isinstance<py::str>(obj)) return parse_timestamp(obj.cast<std::string>(), arg);
    if (!is_datetime(obj)) throw_type_error(arg, "a datetime or an RFC 3339 string", obj);
    if (obj.attr("utcoffset")().is_none()) {
        throw ValidationError(std::string(arg),
                              "naive datetime; pass a timezone-aware one "
                              "(e.g. tzinfo=datetime.timezone.utc)");
    }
    const py::object utc = obj.attr("astimezone")(py::handle(PyDateTime_TimeZone_UTC));
    return floor<milliseconds>(sys_days{date_of(utc.ptr())} + time_of_day(utc.ptr()));
}

std::optional<Timestamp> to_optional_timestamp(py::handle obj, std::string_view arg) {
    if (obj.is_none()) return std::nullopt;
    return to_timestamp(obj, arg);
}

py::object from_timestamp(Timestamp t) {
    ensure_datetime_api();
    const auto day = floor<days>(t);
    const Date date{day};
    const hh_mm_ss<milliseconds> time{t - day};
    PyObject* result = PyDateTimeAPI->DateTime_FromDateAndTime(
        static_cast<int>(date.year()), static_cast<int>(static_cast<unsigned>(date.month())),
        static_cast<int>(static_cast<unsigned>(date.day())), static_cast<int>(time.hours().count()),
        static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
        static_cast<int>(time.subseconds().count() * 1000), PyDateTime_TimeZone_UTC,
        PyDateTimeAPI->DateTimeType);
    if (result == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(result);
}

Date to_date(py::handle obj, std::string_view arg) {
    if (py::isinstance<py::str>(obj)) return parse_date(obj.cast<std::string>(), arg);
    if (is_datetime(obj)) {
        throw ValidationError(std::string(arg), "expected a date, got a datetime");
    }
    if (!is_date(obj)) throw_type_error(arg, "a date or a \"YYYY-MM-DD\" string", obj);
    return date_of(obj.ptr());
}

py::object from_date(Date d) {
    ensure_datetime_api();
    PyObject* result = PyDate_FromDate(static_cast<int>(d.year()),
                                       static_cast<int>(static_cast<unsigned>(d.month())),
                                       static_cast<int>(static_cast<unsigned>(d.day())));
    if (result == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(result);
}

Duration to_duration(py::handle obj, std::string_view arg) {
    ensure_datetime_api();
    if (!PyDelta_Check(obj.ptr())) throw_type_error(arg, "a datetime.timedelta", obj);
    return floor<milliseconds>(delta_of(obj.ptr()));
}

Json to_json(py::handle obj) {
    if (obj.is_none()) return nullptr;
    if (PyBool_Check(obj.ptr())) return obj.cast<bool>();
    if (PyLong_Check(obj.ptr())) return checked_int64(obj, "json");
    if (PyFloat_Check(obj.ptr())) return obj.cast<double>();
    if (py::isinstance<py::str>(obj)) return obj.cast<std::string>();
    if (py::isinstance<py::dict>(obj)) {
        Json result = Json::object();
        for (auto [key, value] : py::reinterpret_borrow<py::dict>(obj)) {
            result[to_string(key, "json key")] = to_json(value);
        }
        return result;
    }
    if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj)) {
        Json result = Json::array();
        for (py::handle item : obj) result.push_back(to_json(item));
        return result;
    }
    throw_type_error("json", "None, bool, int, float, str, list or dict", obj);
}

py::object from_json(const Json& j) {
    switch (j.type()) {
        case Json::value_t::null:
        case Json::value_t::discarded:
            return py::none();
        case Json::value_t::boolean:
            return py::bool_(j.get<bool>());
        case Json::value_t::number_integer:
            return py::int_(j.get<std::int64_t>());
        case Json::value_t::number_unsigned:
            return py::int_(j.get<std::uint64_t>());
        case Json::value_t::number_float:
            return py::float_(j.get<double>());
        case Json::value_t::string:
            return py::str(j.get_ref<const std::string&>());
        case Json::value_t::binary:
            return py::bytes(std::string(j.get_binary().begin(), j.get_binary().end()));
        case Json::value_t::array: {
            py::list result;
            for (const Json& item : j) result.append(from_json(item));
            return result;
        }
        case Json::value_t::object: {
            py::dict result;
            for (const auto& [key, value] : j.items()) result[py::str(key)] = from_json(value);
            return result;
        }
    }
    return py::none();
}

std::string to_string(py::handle obj, std::string_view arg) {
    if (!py::isinstance<py::str>(obj)) throw_type_error(arg, "str", obj);
    return obj.cast<std::string>();
}

std::int64_t to_int(py::handle obj, std::string_view arg) {
    if (!PyLong_Check(obj.ptr()) || PyBool_Check(obj.ptr())) throw_type_error(arg, "int", obj);
    return checked_int64(obj, arg);
}

bool to_bool(py::handle obj, std::string_view arg) {
    if (!PyBool_Check(obj.ptr())) throw_type_error(arg, "bool", obj);
    return obj.ptr() == Py_True;
}

std::vector<std::string> to_strings(py::handle obj, std::string_view arg) {
    if (py::isinstance<py::str>(obj) || !py::isinstance<py::iterable>(obj)) {
        throw_type_error(arg, "an iterable of str", obj);
    }
    std::vector<std::string> result;
    for (py::handle item : obj) result.push_back(to_string(item, arg));
    return result;
}

Attributes to_attributes(py::handle obj) {
    Attributes attributes;
    if (obj.is_none()) return attributes;
    if (!py::hasattr(obj, "items"))
        throw_type_error("attrs", "a mapping of str to int or str", obj);
    for (py::handle item : obj.attr("items")()) {
        const auto pair = py::reinterpret_borrow<py::tuple>(item);
        std::string key = to_string(pair[0], "attrs key");
        const py::handle value = pair[1];
        if (py::isinstance<py::str>(value)) {
            attributes.set(std::move(key), value.cast<std::string>());
        } else {
            attributes.set(key, to_int(value, "attrs['" + key + "']"));
        }
    }
    return attributes;
}

access::Condition to_condition(py::handle obj) {
    if (obj.is_none()) return {};
    return access::Condition::from_json(to_json(obj));
}

// --- file adapters -------------------------------------------------------------------------

PyFileWriter::PyFileWriter(const py::object& file, bool text)
    : write_(file.attr("write")), text_(text), buffer_(kChunkSize) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
}

PyFileWriter::~PyFileWriter() = default;

void PyFileWriter::flush() {
    write_chunk();
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

PyFileWriter::int_type PyFileWriter::overflow(int_type ch) {
    if (!write_chunk()) return traits_type::eof();
    if (pptr() == epptr()) return traits_type::eof();  // a split UTF-8 tail filled the buffer
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(ch);
        pbump(1);
    }
    return traits_type::not_eof(ch);
}

int PyFileWriter::sync() { return write_chunk() ? 0 : -1; }

bool PyFileWriter::write_chunk() {
    const auto pending = static_cast<std::size_t>(pptr() - pbase());
    if (error_) return false;
    if (pending == 0) return true;
    // A text file takes str: never cut a UTF-8 sequence; its tail waits for the next chunk.
    const std::size_t ready = text_ ? complete_utf8_prefix(pbase(), pending) : pending;
    {
        py::gil_scoped_acquire gil;
        try {
            if (text_) {
                write_(py::str(pbase(), ready));
            } else {
                write_(py::bytes(pbase(), ready));
            }
        } catch (...) {
            error_ = std::current_exception();
        }
    }
    const std::size_t tail = pending - ready;
    std::memmove(buffer_.data(), buffer_.data() + ready, tail);
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    pbump(static_cast<int>(tail));
    return !error_;
}

PyFileReader::PyFileReader(const py::object& file) : read_(file.attr("read")) {}

PyFileReader::~PyFileReader() = default;

void PyFileReader::check() {
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

PyFileReader::int_type PyFileReader::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (error_) return traits_type::eof();
    {
        py::gil_scoped_acquire gil;
        try {
            const py::object data = read_(kChunkSize);
            chunk_ = data.cast<std::string>();  // str is encoded as UTF-8; bytes are copied
        } catch (...) {
            error_ = std::current_exception();
            chunk_.clear();
        }
    }
    if (chunk_.empty()) return traits_type::eof();
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    return traits_type::to_int_type(*gptr());
}

bool is_path(py::handle obj) {
    return py::isinstance<py::str>(obj) ||
           py::isinstance(obj, py::module_::import("os").attr("PathLike"));
}

py::object open_file(py::handle path, const char* mode) {
    return py::module_::import("builtins").attr("open")(path, mode);
}

bool is_text_file(py::handle file) {
    return py::isinstance(file, py::module_::import("io").attr("TextIOBase"));
}

}  // namespace pitboss::python
