#include "trustcost/uncertainty/lanes.hpp"

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

const Kernels& kernels() {
    static const Kernels* chosen = [] {
        if (const char* forced = std::getenv("TRUSTCOST_SIMD"); forced && *forced) {
            if (const Kernels* k = kernels_for(forced)) return k;
            throw core::invalid("TRUSTCOST_SIMD must name a build this CPU runs (avx512, avx2 or portable), got '",
                                std::string(forced), "'");
        }
        for (const char* name : {"avx512", "avx2"})
            if (const Kernels* k = kernels_for(name)) return k;
        return &portable::table();
    }();
    return *chosen;
}

}  // namespace trustcost::uncertainty::lanes
