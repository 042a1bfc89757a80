#include "trustcost/core/parallel.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "trustcost/core/errors.hpp"

namespace trustcost::core {

namespace {

std::atomic<int> g_threads{static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))};

// Worker threads kept between calls: starting threads costs ~50 us a call, which decided small
// jobs (a 1 ms npv, each gradient of a fit on a thousand customers). One job runs on the pool at
// a time; a call that finds it busy (another Python thread, or a body that calls parallel_for)
// starts its own threads as before. After fork() the child forgets the pool (its threads did
// not survive, and its locks may be held by them) and builds a new one when first needed.
struct Job {
    const std::function<void()>* work;
    std::size_t wanted;      // helpers the job can use
    std::size_t joined = 0;  // helpers that took it
    std::size_t left = 0;    // helpers that finished it
};

class Pool {
public:
    // Runs work() on the caller and on up to `helpers` pool threads; returns when all are done.
    void run(const std::function<void()>& work, std::size_t helpers) {
        Job job{&work, helpers};
        {
            std::lock_guard<std::mutex> lock(mutex_);
            while (threads_ < helpers) {
                std::thread(&Pool::serve, this).detach();
                ++threads_;
            }
            job_ = &job;
            ++generation_;
        }
        wake_.notify_all();
        work();
        std::unique_lock<std::mutex> lock(mutex_);
        job_ = nullptr;  // no helper takes it from now on
        finished_.wait(lock, [&] { return job.left == job.joined; });
    }

    std::mutex& busy() { return busy_; }

private:
    void serve() {
        std::uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return generation_ != seen; });
            seen = generation_;
            Job* job = job_;
            if (job == nullptr || job->joined == job->wanted) continue;
            ++job->joined;
            lock.unlock();
            (*job->work)();
            lock.lock();
            if (++job->left == job->joined) finished_.notify_all();
        }
    }

    std::mutex mutex_, busy_;
    std::condition_variable wake_, finished_;
    Job* job_ = nullptr;
    std::uint64_t generation_ = 0;
    std::size_t threads_ = 0;
};

std::atomic<Pool*> g_pool{nullptr};
std::once_flag g_atfork;

Pool& pool() {
    std::call_once(g_atfork, [] { pthread_atfork(nullptr, nullptr, [] { g_pool.store(nullptr); }); });
    Pool* p = g_pool.load();
    if (p == nullptr) {
        auto* fresh = new Pool;  // never freed: detached threads wait on it until the process ends
        if (g_pool.compare_exchange_strong(p, fresh))
            p = fresh;
        else
            delete fresh;
    }
    return *p;
}

// Runs work() on the caller and `helpers` new threads.
void run_on_new_threads(const std::function<void()>& work, std::size_t helpers) {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < helpers; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
}

}  // namespace

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

    // Helpers take blocks until none is left; the calling thread does too, and reports progress
    // between its blocks (it may take the GIL for a callback).
    const std::thread::id caller = std::this_thread::get_id();
    bool cancelled = false;
    const std::function<void()> work = [&] {
        const bool reports = std::this_thread::get_id() == caller;
        while (!stop.load(std::memory_order_relaxed) && run_next()) {
            if (reports && progress && !progress(done_rows.load(), n)) {
                cancelled = true;
                stop.store(true);
            }
        }
    };
    if (threads <= 1) {
        work();
    } else {
        Pool& p = pool();
        std::unique_lock<std::mutex> busy(p.busy(), std::try_to_lock);
        if (busy.owns_lock())
            p.run(work, threads - 1);
        else
            run_on_new_threads(work, threads - 1);
    }
    if (error) std::rethrow_exception(error);
    if (cancelled) throw Cancelled{};
    // The last report is a poll too (a callback error or Ctrl-C may arrive here when helper
    // threads ran the last blocks): its answer counts.
    if (progress && !progress(n, n)) throw Cancelled{};
}

}  // namespace trustcost::core
