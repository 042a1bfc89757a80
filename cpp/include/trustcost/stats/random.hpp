// Counter-based uniform random numbers: the u for (seed, stream, index) is a pure function of
// those three numbers, so a Monte Carlo result cannot depend on how paths are split into blocks
// or threads, and two offers that read the same stream on the same path see the same draw.
#pragma once

#include <cstdint>
#include <string_view>

namespace trustcost::stats {

// SplitMix64's output function (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
// generators", OOPSLA): a bijective mixer that passes BigCrush on a Weyl sequence.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// Identifier of a named stream (FNV-1a of the name), so streams follow names, not positions.
constexpr std::uint64_t stream_id(std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
}

// The index-th number of the SplitMix64 sequence started from mix(seed, stream).
class Stream {
public:
    constexpr Stream(std::uint64_t seed, std::uint64_t stream) : base_(mix64(seed * kGolden ^ mix64(stream))) {}

    constexpr std::uint64_t bits(std::uint64_t index) const { return mix64(base_ + (index + 1) * kGolden); }

    // Uniform in the open interval (0, 1): 53 random bits, offset by half a step so that
    // quantile functions never see 0 or 1.
    constexpr double uniform(std::uint64_t index) const {
        return (static_cast<double>(bits(index) >> 11) + 0.5) * 0x1.0p-53;
    }

    // The independent sub-stream of draw number `index` (a path, a sample): each draw may use
    // as many uniforms as it needs without touching its neighbours'.
    constexpr Stream substream(std::uint64_t index) const { return Stream(base_, mix64(index + 1), 0); }

    // The number the sequence is built on; the vector kernels rebuild draws from it.
    constexpr std::uint64_t key() const { return base_; }

private:
    constexpr Stream(std::uint64_t base, std::uint64_t salt, int) : base_(mix64(base ^ salt)) {}
    std::uint64_t base_;
};

}  // namespace trustcost::stats
