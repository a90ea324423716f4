#pragma once
// Expected failures (bad file, wrong shape, missing model) travel as a Result carrying a message
// that names the file and the problem; exceptions stay for broken invariants.
#include <optional>
#include <string>
#include <utility>

namespace uae {

struct Error {
    std::string message;
};

template <class T> class Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error.message)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const std::string& error() const { return m_error; }
    T& value() & { return *m_value; }
    const T& value() const& { return *m_value; }
    T value() && { return std::move(*m_value); } // by value: safe on temporaries
    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }
    T& operator*() { return *m_value; }
    const T& operator*() const { return *m_value; }

private:
    std::optional<T> m_value;
    std::string m_error;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

inline Error fail(std::string message) {
    return Error{std::move(message)};
}

} // namespace uae
