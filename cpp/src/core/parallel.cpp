#include "trustcost/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "trustcost/core/errors.hpp"

namespace trustcost::core {

namespace {
std::atomic<int> g_threads{static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))};
}

void set_num_threads(int n) {
    if (n < 1) throw invalid("n must be >= 1, got ", n);
    g_threads.store(n);
}

int num_threads() { return g_threads.load(); }

void parallel_for(std::size_t n, std::size_t block,
                  const std::function<void(std::size_t, std::size_t)>& body,
                  const Progress& progress) {
    if (n == 0) return;
    block = std::max<std::size_t>(block, 1);
    const std::size_t blocks = (n + block - 1) / block;
    const std::size_t threads = std::min<std::size_t>(num_threads(), blocks);

    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done_rows{0};
    std::atomic<bool> stop{false};
    std::mutex error_mutex;
    std::size_t error_block = blocks;
    std::exception_ptr error;

    // Runs block b; false when no block was left.
    auto run_next = [&]() -> bool {
        const std::size_t b = next.fetch_add(1);
        if (b >= blocks) return false;
        const std::size_t begin = b * block;
        const std::size_t end = std::min(n, begin + block);
        try {
            body(begin, end);
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (b < error_block) {
                error_block = b;
                error = std::current_exception();
            }
            stop.store(true);
        }
        done_rows.fetch_add(end - begin);
        return true;
    };
    auto worker = [&] {
        while (!stop.load(std::memory_order_relaxed) && run_next()) {
        }
    };

    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);

    // The calling thread works too, and reports progress (it may take the GIL for a callback).
    bool cancelled = false;
    while (!stop.load() && run_next()) {
        if (progress && !progress(done_rows.load(), n)) {
            cancelled = true;
            stop.store(true);
        }
    }
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (cancelled) throw Cancelled{};
    if (progress) progress(n, n);
}

}  // namespace trustcost::core
