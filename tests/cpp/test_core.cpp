// parallel_for on its pool of kept threads: results, exceptions, and calls that meet each other
// (two callers at once, a body that calls parallel_for itself, many small calls in a row).
#include <atomic>
#include <numeric>
#include <string>
#include <stdexcept>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "trustcost/core/parallel.hpp"

using namespace trustcost;

namespace {
// Sum of i over [0, n), block by block into a per-block slot, added up in block order.
long long blocked_sum(std::size_t n, std::size_t block) {
    std::vector<long long> parts((n + block - 1) / block, 0);
    core::parallel_for(n, block, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) parts[begin / block] += static_cast<long long>(i);
    });
    return std::accumulate(parts.begin(), parts.end(), 0LL);
}
constexpr long long triangle(long long n) { return n * (n - 1) / 2; }
}  // namespace

TEST_CASE("every block runs once, on one thread or several") {
    for (int threads : {1, 2, 3}) {
        core::set_num_threads(threads);
        REQUIRE(blocked_sum(1000003, 977) == triangle(1000003));
        REQUIRE(blocked_sum(5, 1) == triangle(5));
    }
    core::set_num_threads(2);
}

TEST_CASE("many small calls in a row reuse the pool without losing a block") {
    core::set_num_threads(2);
    for (int call = 0; call < 20000; ++call) REQUIRE(blocked_sum(64, 8) == triangle(64));
}

TEST_CASE("two callers at once, and a body that calls parallel_for, both finish correctly") {
    core::set_num_threads(2);
    std::atomic<long long> a{0}, b{0};
    std::thread first([&] { for (int k = 0; k < 200; ++k) a += blocked_sum(10000, 100); });
    std::thread second([&] { for (int k = 0; k < 200; ++k) b += blocked_sum(10000, 100); });
    first.join();
    second.join();
    REQUIRE(a == 200 * triangle(10000));
    REQUIRE(b == 200 * triangle(10000));

    std::vector<long long> inner(8, 0);
    core::parallel_for(8, 1, [&](std::size_t begin, std::size_t) { inner[begin] = blocked_sum(1000, 10); });
    for (long long v : inner) REQUIRE(v == triangle(1000));
}

TEST_CASE("the exception of the lowest failing block is rethrown, and the pool still works") {
    core::set_num_threads(2);
    auto failing = [] {
        core::parallel_for(100, 1, [](std::size_t begin, std::size_t) {
            if (begin == 37 || begin == 90) throw std::runtime_error("block " + std::to_string(begin));
        });
    };
    REQUIRE_THROWS_WITH(failing(), "block 37");
    REQUIRE(blocked_sum(100000, 1000) == triangle(100000));
}

TEST_CASE("a progress that says stop on its last report cancels the call, whoever ran the last blocks") {
    // Issue 11: with helper threads running the last blocks, the final report's answer was ignored,
    // so a callback error or a late Ctrl-C was lost about half the time on 2 threads.
    core::set_num_threads(2);
    for (int run = 0; run < 50; ++run) {
        std::atomic<std::size_t> rows{0};
        const core::Progress stop_at_end = [](std::size_t done, std::size_t total) { return done < total; };
        CHECK_THROWS_AS(core::parallel_for(64, 1, [&](std::size_t b, std::size_t e) { rows += e - b; }, stop_at_end),
                        core::Cancelled);
        CHECK(rows.load() == 64);
    }
    core::set_num_threads(static_cast<int>(std::thread::hardware_concurrency()));
}
