// Repeat-purchase likelihoods: analytic gradients against finite differences, the 2F1 series
// against Boost.Math, the RFM reduction on a log worked by hand, and summary checks.
#include <array>
#include <boost/math/special_functions/gamma.hpp>  // before pFq: Boost 1.74 only forward-declares lgamma
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/gamma_gamma.hpp"
#include "trustcost/relationship/health.hpp"
#include "trustcost/relationship/hypergeometric.hpp"
#include "trustcost/relationship/markov.hpp"
#include "trustcost/relationship/pareto_nbd.hpp"
#include "trustcost/relationship/rfm.hpp"

using namespace trustcost::relationship;

namespace {

// Central differences of the log-likelihood against the analytic gradient, component by
// component, with the per-x table (when the model has one) and without it.
void check_gradient(Likelihood f, std::vector<double> params, std::vector<double> row) {
    std::vector<double> table;
    if (f.prepare) f.prepare(params, static_cast<std::size_t>(row[0]), table);
    std::vector<double> grad(params.size()), direct(params.size());
    const double value = f.row(params, table, row, grad);
    CHECK(value == Approx(f.row(params, {}, row, direct)).epsilon(1e-12));
    for (std::size_t j = 0; j < params.size(); ++j) {
        const double h = 1e-6 * params[j];
        auto up = params, down = params;
        up[j] += h;
        down[j] -= h;
        const double numeric = (f.row(up, {}, row, {}) - f.row(down, {}, row, {})) / (2.0 * h);
        INFO("parameter " << j << " row x=" << row[0]);
        CHECK(grad[j] == Approx(numeric).epsilon(1e-6).margin(1e-7));
        CHECK(direct[j] == Approx(grad[j]).epsilon(1e-10).margin(1e-12));
    }
}

}  // namespace

TEST_CASE("BG/NBD gradient matches finite differences", "[relationship]") {
    for (const auto& row : std::vector<std::vector<double>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {1, 1.71, 38.86}, {250, 38.0, 39.0}})
        check_gradient({&bgnbd::row_log_likelihood, &bgnbd::prepare}, {0.243, 4.414, 0.793, 2.426}, row);
}

TEST_CASE("BG/NBD Hessian matches finite differences of the gradient", "[relationship]") {
    const std::vector<double> params{0.243, 4.414, 0.793, 2.426};
    for (const auto& row : std::vector<std::vector<double>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {1, 1.71, 38.86}, {250, 38.0, 39.0}}) {
        std::vector<double> table, grad(4), hess(16), direct_grad(4), direct_hess(16);
        bgnbd::prepare(params, static_cast<std::size_t>(row[0]), table);
        const double value = bgnbd::row_hessian(params, table, row, grad, hess);
        bgnbd::row_hessian(params, {}, row, direct_grad, direct_hess);  // special functions directly
        CHECK(value == Approx(bgnbd::row_log_likelihood(params, table, row, {})).epsilon(1e-14));
        for (std::size_t j = 0; j < 4; ++j) {
            const double h = 1e-5 * params[j];
            auto up = params, down = params;
            up[j] += h;
            down[j] -= h;
            std::vector<double> g_up(4), g_down(4);
            bgnbd::row_log_likelihood(up, {}, row, g_up);
            bgnbd::row_log_likelihood(down, {}, row, g_down);
            for (std::size_t i = 0; i < 4; ++i) {
                INFO("entry " << i << "," << j << " row x=" << row[0]);
                CHECK(hess[i * 4 + j] == Approx((g_up[i] - g_down[i]) / (2.0 * h)).epsilon(1e-5).margin(1e-6));
                CHECK(hess[i * 4 + j] == Approx(hess[j * 4 + i]).epsilon(1e-14));
                CHECK(direct_hess[i * 4 + j] == Approx(hess[i * 4 + j]).epsilon(1e-9).margin(1e-12));
            }
        }
    }
}
TEST_CASE("Pareto/NBD gradient matches finite differences on both sides of alpha = beta", "[relationship]") {
    const std::vector<std::vector<double>> rows{{0, 0, 38.86}, {2, 30.43, 38.86}, {7, 5.0, 38.86}, {150, 20.0, 39.0}};
    for (const auto& row : rows) {
        check_gradient({&pareto_nbd::row_log_likelihood, &pareto_nbd::prepare}, {0.55, 10.58, 0.61, 11.67}, row);  // alpha < beta
        check_gradient({&pareto_nbd::row_log_likelihood, &pareto_nbd::prepare}, {0.55, 15.0, 0.61, 3.0}, row);     // alpha > beta
    }
}

TEST_CASE("Gamma-Gamma gradient matches finite differences", "[relationship]") {
    for (const auto& row : std::vector<std::vector<double>>{{1, 12.5}, {5, 30.0}, {40, 100.0}})
        check_gradient({&gamma_gamma::row_log_likelihood}, {6.25, 3.74, 15.44}, row);
}

TEST_CASE("Series for 2F1(1, b; c; z) agrees with Boost.Math and Euler's transformation", "[relationship]") {
    for (const auto& [b, c, z] : std::vector<std::array<double, 3>>{{0.7, 2.1, 0.3}, {5.0, 6.2, 0.9}, {1.61, 3.16, 0.99}}) {
        const double boost = boost::math::hypergeometric_pFq({1.0, b}, {c}, z);
        CHECK(std::exp(log_hyp2f1_unit_a(b, c, z).value) == Approx(boost).epsilon(1e-12));
        CHECK(log_hyp2f1(1.0, b, c, z) == Approx(std::log(boost)).epsilon(1e-12));
        // d log F / dz against a central difference
        const double h = 1e-6;
        const double numeric = (log_hyp2f1_unit_a(b, c, z + h).value - log_hyp2f1_unit_a(b, c, z - h).value) / (2 * h);
        CHECK(log_hyp2f1_unit_a(b, c, z).d_z == Approx(numeric).epsilon(1e-6));
    }
}

TEST_CASE("RFM reduction of a small log worked by hand", "[relationship]") {
    // Customer 0 buys in periods 1, 1, 5 (values 10, 2, 4); customer 1 in 3 and 10 (5, 7); customer 2 in 10.
    const std::vector<std::int64_t> customer{1, 0, 0, 0, 1, 2}, period{3, 1, 1, 5, 10, 10};
    const std::vector<double> value{5, 10, 2, 4, 7, 1};
    std::vector<double> f(3), r(3), t(3), m(3);
    rfm_summary(customer.data(), period.data(), value.data(), 6, 3, 10, f.data(), r.data(), t.data(), m.data());
    CHECK(f == std::vector<double>{1, 1, 0});
    CHECK(r == std::vector<double>{4, 7, 0});
    CHECK(t == std::vector<double>{9, 7, 0});
    CHECK(m == std::vector<double>{4, 7, 0});
    CHECK_THROWS_WITH(rfm_summary(customer.data(), period.data(), value.data(), 6, 3, 9, f.data(), r.data(), t.data(), m.data()),
                      "period must be <= end_period 9, got 10 at row 4");
}

TEST_CASE("Summary checks name the column and the first bad row", "[relationship]") {
    const std::vector<double> x{1, 0}, t_x{2, 1}, T{5, 5};
    CHECK_THROWS_WITH(check_summary(x.data(), t_x.data(), T.data(), 2),
                      "recency must be 0 when frequency is 0, got recency 1 at row 1");
}

TEST_CASE("Markov value: two-state chain in closed form", "[relationship]") {
    // State 1 buys again with probability p (reward R), state 2 is lost (reward 0):
    // V1 = R / (1 - p/(1+d)) for the infinite horizon, R (1 + p/(1+d)) for one period ahead.
    const double p = 0.4, reward = 10.0, d = 0.1;
    const auto infinite = markov_customer_value({p, 0.0}, {reward, 0.0}, d, std::nullopt);
    CHECK(infinite[0] == Approx(reward / (1.0 - p / (1.0 + d))).epsilon(1e-14));
    CHECK(infinite[1] == 0.0);
    const auto one = markov_customer_value({p, 0.0}, {reward, 0.0}, d, std::size_t{1});
    CHECK(one[0] == Approx(reward * (1.0 + p / (1.0 + d))).epsilon(1e-14));
}

TEST_CASE("Health: closed form chains across effort changes", "[relationship]") {
    // Two pieces chained equal one call per piece.
    const double starts[] = {0.0, 5.0}, efforts[] = {0.0, 3.0}, times[] = {8.0};
    double out[1];
    health::path(0.9, 0.1, 0.05, starts, efforts, 2, times, 1, out);
    CHECK(out[0] == Approx(health::after(health::after(0.9, 0.1, 0.05, 0.0, 5.0), 0.1, 0.05, 3.0, 3.0)).epsilon(1e-15));
    CHECK(health::after(0.9, 0.1, 0.05, 0.0, 2.0) == Approx(0.9 * std::exp(-0.2)).epsilon(1e-15));
}
