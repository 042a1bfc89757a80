#include "trustcost/uncertainty/lanes.hpp"

#include <atomic>
#include <cstdlib>
#include <string>

#include "trustcost/core/errors.hpp"

namespace trustcost::uncertainty::lanes {

#ifdef TRUSTCOST_LANES_X86
namespace avx512 { const Kernels& table(); }
namespace avx2 { const Kernels& table(); }
#endif
namespace portable { const Kernels& table(); }

const Kernels* kernels_for(std::string_view name) {
#ifdef TRUSTCOST_LANES_X86
    if (name == "avx512")
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
                       __builtin_cpu_supports("bmi2")
                   ? &avx512::table() : nullptr;
    if (name == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &avx2::table() : nullptr;
#endif
    if (name == "portable") return &portable::table();
    return nullptr;
}

std::vector<std::string> available() {
    std::vector<std::string> out;
    for (const char* name : {"avx512", "avx2", "portable"})
        if (kernels_for(name)) out.emplace_back(name);
    return out;
}

namespace {

const Kernels& named(std::string_view name, const char* what) {
    if (const Kernels* k = kernels_for(name)) return *k;
    std::string names;
    for (const auto& a : available()) names += (names.empty() ? "" : ", ") + a;
    throw core::invalid(what, " must name a build this CPU runs (", names, "), got '", std::string(name), "'");
}

std::atomic<const Kernels*>& current() {
    static std::atomic<const Kernels*> chosen{[] {
        if (const char* forced = std::getenv("TRUSTCOST_SIMD"); forced && *forced) return &named(forced, "TRUSTCOST_SIMD");
        return kernels_for(available().front());
    }()};
    return chosen;
}

}  // namespace

const Kernels& kernels() { return *current().load(std::memory_order_relaxed); }

void use(std::string_view name) { current().store(&named(name, "name"), std::memory_order_relaxed); }

}  // namespace trustcost::uncertainty::lanes
