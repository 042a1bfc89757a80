// Ctrl-C for long C++ loops that run with the GIL released: a core::Progress that, on the thread
// that released the GIL and at most every ~0.1 s, takes the GIL and lets Python handle pending
// signals. A KeyboardInterrupt (or any error a signal handler raises) stops the loop; the caller
// re-raises it with rethrow_if_interrupted() once the loop has unwound (core::Cancelled).
#pragma once

#include <chrono>
#include <optional>
#include <thread>

#include "bindings.hpp"
#include "trustcost/core/parallel.hpp"

namespace trustcost::bindings {

class SignalPoll {
public:
    // The Progress to hand to the core; valid while this object lives.
    core::Progress progress() {
        return [this](std::size_t, std::size_t) { return poll(); };
    }

    // After the core threw core::Cancelled: the Python error that stopped it.
    [[noreturn]] void rethrow() {
        if (error_) throw std::move(*error_);
        throw std::runtime_error("cancelled");
    }

private:
    bool poll() {
        if (std::this_thread::get_id() != caller_) return true;  // only the caller may take the GIL
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(100)) return true;
        last_ = now;
        py::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() == 0) return true;
        error_.emplace();  // fetches the pending Python error
        return false;
    }

    std::thread::id caller_ = std::this_thread::get_id();
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
    std::optional<py::error_already_set> error_;
};

}  // namespace trustcost::bindings
