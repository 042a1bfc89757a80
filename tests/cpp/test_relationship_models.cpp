// BG/BB, MBG/NBD and sBG in C++: analytic gradients against finite differences, the fits on the
// published data (FHS 2010 donations, FH 2007 regular cohort), the closed forms against direct
// sums, and argument checks.
#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "catch.hpp"
#include "trustcost/relationship/bgbb.hpp"
#include "trustcost/relationship/contractual.hpp"
#include "trustcost/relationship/covariates.hpp"
#include "trustcost/relationship/bgnbd.hpp"
#include "trustcost/relationship/mbgnbd.hpp"

using namespace trustcost::relationship;

namespace {

double lbeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// Central differences of the row log-likelihood against the analytic gradient.
void check_gradient(Likelihood f, std::vector<double> params, std::vector<double> row) {
    std::vector<double> table;
    if (f.prepare) f.prepare(params, static_cast<std::size_t>(row[0]), table);
    std::vector<double> grad(params.size()), direct(params.size());
    const double value = f.row(params, table, row, grad);
    CHECK(value == Approx(f.row(params, {}, row, direct)).epsilon(1e-12));
    for (std::size_t j = 0; j < params.size(); ++j) {
        const double h = 1e-6 * std::max(std::abs(params[j]), 1.0);  // coefficients may be near 0
        auto up = params, down = params;
        up[j] += h;
        down[j] -= h;
        const double numeric = (f.row(up, {}, row, {}) - f.row(down, {}, row, {})) / (2.0 * h);
        INFO("parameter " << j << " row " << row[0] << ", " << row[1]);
        CHECK(grad[j] == Approx(numeric).epsilon(1e-6).margin(1e-9));
        CHECK(direct[j] == Approx(grad[j]).epsilon(1e-12).margin(1e-14));
    }
}

// Donations of Fader, Hardie & Shang (2010): (x, t_x, n, donors), the file in lifetimes' wheel.
const std::vector<std::array<double, 4>> kDonations = {
    {0, 0, 6, 3464}, {1, 1, 6, 1091}, {1, 2, 6, 277}, {1, 3, 6, 129}, {1, 4, 6, 78},  {1, 5, 6, 119},
    {1, 6, 6, 129},  {2, 2, 6, 613},  {2, 3, 6, 255}, {2, 4, 6, 155}, {2, 5, 6, 173}, {2, 6, 6, 234},
    {3, 3, 6, 322},  {3, 4, 6, 181},  {3, 5, 6, 225}, {3, 6, 6, 357}, {4, 4, 6, 240}, {4, 5, 6, 284},
    {4, 6, 6, 512},  {5, 5, 6, 335},  {5, 6, 6, 728}, {6, 6, 6, 1203}};

}  // namespace

TEST_CASE("BG/BB gradient matches finite differences", "[relationship_models]") {
    const Likelihood f{&bgbb::row_log_likelihood};
    for (const auto& row : std::vector<std::vector<double>>{{0, 0, 6}, {2, 4, 6}, {6, 6, 6}, {3, 10, 40}, {0, 0, 0}})
        check_gradient(f, {1.2, 0.75, 0.66, 2.78}, row);
    check_gradient(f, {0.3, 4.0, 1.0, 0.2}, {5, 30, 200});
}

TEST_CASE("BG/BB reproduces Fader, Hardie & Shang (2010) on the donations", "[relationship_models]") {
    std::vector<double> x, t_x, n, w;
    for (const auto& r : kDonations) {
        x.push_back(r[0]);
        t_x.push_back(r[1]);
        n.push_back(r[2]);
        w.push_back(r[3]);
    }
    const FitResult fit = bgbb::fit(x.data(), t_x.data(), n.data(), w.data(), x.size());
    REQUIRE(fit.converged);
    // FHS (2010): alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6.
    CHECK(fit.params[0] == Approx(1.204).margin(5e-4));
    CHECK(fit.params[1] == Approx(0.750).margin(5e-4));
    CHECK(fit.params[2] == Approx(0.657).margin(5e-4));
    CHECK(fit.params[3] == Approx(2.783).margin(5e-4));
    CHECK(fit.log_likelihood == Approx(-33225.6).margin(0.05));
}

TEST_CASE("BG/BB conditional probabilities sum to one and give the expectation", "[relationship_models]") {
    const std::vector<double> p{1.2, 0.75, 0.66, 2.78};
    for (const auto& h : std::vector<std::array<double, 3>>{{0, 0, 6}, {2, 4, 6}, {6, 6, 6}}) {
        const double m = 7.0;
        double total = 0.0, mean = 0.0;
        for (double k = 0.0; k <= m; k += 1.0) {
            double out = 0.0;
            bgbb::conditional_probability_of_n_purchases(p, &k, &m, &h[0], &h[1], &h[2], 1, &out);
            total += out;
            mean += k * out;
        }
        double expected = 0.0;
        bgbb::expected_purchases(p, &m, &h[0], &h[1], &h[2], 1, &expected);
        CHECK(total == Approx(1.0).epsilon(1e-13));
        CHECK(mean == Approx(expected).epsilon(1e-11));
    }
}

TEST_CASE("BG/BB rows are checked", "[relationship_models]") {
    const double x = 3, t = 2, n = 6, frac = 1.5, zero = 0;
    CHECK_THROWS_AS(bgbb::check_rows(&x, &t, &n, 1), std::invalid_argument);
    CHECK_THROWS_AS(bgbb::check_rows(&frac, &n, &n, 1), std::invalid_argument);
    CHECK_THROWS_AS(bgbb::check_rows(&zero, &t, &n, 1), std::invalid_argument);
    CHECK_NOTHROW(bgbb::check_rows(&t, &x, &n, 1));
}

TEST_CASE("MBG/NBD gradient matches finite differences", "[relationship_models]") {
    const Likelihood f{&mbgnbd::row_log_likelihood, &mbgnbd::prepare};
    for (const auto& row : std::vector<std::vector<double>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {29, 38, 39}})
        check_gradient(f, {0.525, 6.183, 0.891, 1.614}, row);
}

TEST_CASE("MBG/NBD Hessian matches finite differences of the gradient", "[relationship_models]") {
    const std::vector<double> params{0.525, 6.183, 0.891, 1.614};
    for (const auto& row : std::vector<std::vector<double>>{{0, 0, 38.86}, {2, 30.43, 38.86}, {250, 38.0, 39.0}}) {
        std::vector<double> table, grad(4), hess(16), direct_grad(4), direct_hess(16);
        mbgnbd::prepare(params, static_cast<std::size_t>(row[0]), table);
        mbgnbd::row_hessian(params, table, row, grad, hess);
        mbgnbd::row_hessian(params, {}, row, direct_grad, direct_hess);  // special functions directly
        for (std::size_t j = 0; j < 4; ++j) {
            const double h = 1e-5 * params[j];
            auto up = params, down = params;
            up[j] += h;
            down[j] -= h;
            std::vector<double> g_up(4), g_down(4);
            mbgnbd::row_log_likelihood(up, {}, row, g_up);
            mbgnbd::row_log_likelihood(down, {}, row, g_down);
            for (std::size_t i = 0; i < 4; ++i) {
                INFO("entry " << i << "," << j << " row x=" << row[0]);
                CHECK(hess[i * 4 + j] == Approx((g_up[i] - g_down[i]) / (2.0 * h)).epsilon(1e-5).margin(1e-6));
                CHECK(direct_hess[i * 4 + j] == Approx(hess[i * 4 + j]).epsilon(1e-9).margin(1e-12));
            }
        }
    }
}

TEST_CASE("MBG/NBD P(X(t) = k) sums to one with the population mean", "[relationship_models]") {
    const std::vector<double> p{0.525, 6.183, 0.891, 1.614};
    const double t = 30.0;
    double total = 0.0, mean = 0.0;
    for (double k = 0.0; k < 500.0; k += 1.0) {
        double out = 0.0;
        mbgnbd::probability_of_n_purchases(p, &t, &k, 1, &out);
        total += out;
        mean += k * out;
    }
    double expected = 0.0;
    mbgnbd::expected_purchases_population(p, &t, 1, &expected);
    CHECK(total == Approx(1.0).epsilon(1e-10));
    CHECK(mean == Approx(expected).epsilon(1e-8));
}

TEST_CASE("sBG gradient matches finite differences", "[relationship_models]") {
    const Likelihood f{&sbg::row_log_likelihood};
    check_gradient(f, {0.704, 1.182}, {1, 1});
    check_gradient(f, {0.704, 1.182}, {7, 0});
    check_gradient(f, {3.0, 0.4}, {12, 1});
}

TEST_CASE("sBG reproduces Fader & Hardie (2007) on the regular cohort", "[relationship_models]") {
    const std::array<double, 8> alive{1000, 631, 468, 382, 326, 289, 262, 241};
    std::vector<double> period, lost, w;
    for (std::size_t t = 1; t < alive.size(); ++t) {
        period.push_back(static_cast<double>(t));
        lost.push_back(1.0);
        w.push_back(alive[t - 1] - alive[t]);
    }
    period.push_back(7.0);
    lost.push_back(0.0);
    w.push_back(alive.back());
    const FitResult fit = sbg::fit(period.data(), lost.data(), w.data(), period.size());
    REQUIRE(fit.converged);
    CHECK(fit.params[0] == Approx(0.704).margin(5e-4));
    CHECK(fit.params[1] == Approx(1.182).margin(5e-4));
}

TEST_CASE("DERL equals the discounted sum of survival ratios", "[relationship_models]") {
    const std::vector<double> p{0.704, 1.182};
    const double d = 0.1;
    for (double n : {0.0, 3.0, 10.0}) {
        double derl = 0.0;
        sbg::residual_lifetime(p, d, &n, 1, &derl);
        double direct = 0.0, discount = 1.0;
        for (int k = 0; k < 4000; ++k, discount /= 1.0 + d)
            direct += std::exp(lbeta(p[0], p[1] + n + 1.0 + k) - lbeta(p[0], p[1] + n)) * discount;
        CHECK(derl == Approx(direct).epsilon(1e-11));
    }
    const double bad = 0.0, n = 1.0;
    double out = 0.0;
    CHECK_THROWS_AS(sbg::residual_lifetime(p, bad, &n, 1, &out), std::invalid_argument);
    CHECK_THROWS_AS(sbg::expected_lifetime(p, -0.5), std::invalid_argument);
}

TEST_CASE("BG/NBD with covariates: gradient and the zero-coefficient limit", "[relationship_models]") {
    const Likelihood f{&bgnbd_covariates::row_log_likelihood};
    // Two covariates: r, alpha, a, b, then purchase, a and b coefficients for each, the
    // coefficients c encoded as e^c for the optimiser of positive parameters.
    const std::vector<double> params{0.5, 4.0, 0.8, 2.5, std::exp(0.7), std::exp(-0.2), std::exp(0.4), std::exp(0.1),
                                     std::exp(-0.3), std::exp(0.25)};
    check_gradient(f, params, {2, 30.43, 38.86, 1.0, 0.5});
    check_gradient(f, params, {0, 0, 20.0, -1.5, 2.0});
    // With every coefficient 0 (encoded 1) the row is the plain BG/NBD row.
    const std::vector<double> zero{0.5, 4.0, 0.8, 2.5, 1, 1, 1, 1, 1, 1};
    const std::vector<double> row{3, 12.0, 30.0, 1.0, -2.0};
    CHECK(f.row(zero, {}, row, {}) ==
          Approx(bgnbd::row_log_likelihood(std::vector<double>{0.5, 4.0, 0.8, 2.5}, {}, std::vector<double>{3, 12.0, 30.0}, {}))
              .epsilon(1e-15));
}

TEST_CASE("Pareto/NBD with covariates: gradient with the shared table", "[relationship_models]") {
    const Likelihood f{&pareto_nbd_covariates::row_log_likelihood, &pareto_nbd_covariates::prepare};
    const std::vector<double> params{0.55, 10.0, 0.6, 12.0, std::exp(0.5), std::exp(-0.2), std::exp(-0.6), std::exp(0.3)};
    check_gradient(f, params, {2, 30.43, 38.86, 1.0, 0.5});
    check_gradient(f, params, {0, 0, 20.0, -1.5, 2.0});
    check_gradient(f, params, {12, 30.0, 31.0, 0.2, -0.7});
}

TEST_CASE("BdW row gradients match central differences", "[relationship_models]") {
    const std::vector<double> p{0.6, 1.3, 0.8};
    for (const auto& row : std::vector<std::array<double, 2>>{{1, 1}, {3, 1}, {7, 1}, {0, 0}, {4, 0}}) {
        std::array<double, 3> grad{};
        bdw::row_log_likelihood(p, {}, row, grad);
        for (std::size_t j = 0; j < 3; ++j) {
            auto up = p, down = p;
            const double h = 1e-6 * p[j];
            up[j] += h;
            down[j] -= h;
            const double numeric = (bdw::row_log_likelihood(up, {}, row, {}) - bdw::row_log_likelihood(down, {}, row, {})) /
                                   (2.0 * h);
            CHECK(grad[j] == Approx(numeric).epsilon(1e-6).margin(1e-9));
        }
    }
}
