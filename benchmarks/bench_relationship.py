"""Relationship-decay benchmark: trustcost against lifetimes in the same run.

Fits BG/NBD and Pareto/NBD on CDNOW and on synthetic customers drawn from each model (checking
that the true parameters are recovered within their standard errors), MBG/NBD on CDNOW and BG/BB
on the donations (against lifetimes), the sBG on the regular cohort (against scipy.optimize on the
same likelihood: lifetimes has no sBG), and builds an RFM summary from a synthetic transaction
log. Prints median wall times and trustcost's speed-up.

    python benchmarks/bench_relationship.py                       # full sizes (slow: lifetimes)
    python benchmarks/bench_relationship.py --customers 100000 --transactions 1000000 --repeats 3
    python benchmarks/bench_relationship.py --no-lifetimes        # trustcost only
    python benchmarks/bench_relationship.py --low-dropout         # Pareto/NBD, customers who rarely drop out
    python benchmarks/bench_relationship.py --workflow            # 150,000 customers, rfm_summary to CLV
    python benchmarks/bench_relationship.py --workflow --customers 10000000   # scoring 10M customers
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd

import trustcost as tc
from _workflow import histories
from _workflow import median as median_time
from trustcost.datasets import load_cdnow_summary

BGNBD_TRUTH = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
PARETO_TRUTH = {"r": 0.55, "alpha": 10.0, "s": 0.6, "beta": 12.0}


def simulate_bgnbd(n, rng, r, alpha, a, b):
    """Continuous-time draws (so almost every customer is a distinct row: the hard case for fitting).

    BG/NBD story: exponential gaps at rate lambda ~ Gamma(r, alpha); after each purchase drop out w.p. p ~ Beta(a, b)."""
    T = rng.integers(7, 39 * 7 + 1, n) / 7.0  # customers joined over 39 weeks
    x, t_x = histories(T, rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n), rng)
    return x, t_x, T


def simulate_pareto(n, rng, r, alpha, s, beta, T=None):
    """Pareto/NBD story: Poisson(lambda) purchases until an exponential(mu) lifetime; gamma heterogeneity."""
    T = rng.integers(7, 39 * 7 + 1, n) / 7.0 if T is None else T
    lam, mu = rng.gamma(r, 1 / alpha, n), rng.gamma(s, 1 / beta, n)
    observed = np.minimum(rng.exponential(1 / mu), T)
    x = rng.poisson(lam * observed).astype(float)
    # The last of x uniform purchase times on [0, observed] is observed * U^(1/x).
    t_x = np.where(x > 0, observed * rng.random(n) ** (1 / np.maximum(x, 1)), 0.0)
    return x, t_x, T


def synthetic_transactions(n_rows, n_customers, rng):
    days = rng.integers(0, 730, n_rows)
    return pd.DataFrame({
        "customer": rng.integers(0, n_customers, n_rows),
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(days, unit="D"),
        "value": np.round(rng.gamma(2.0, 20.0, n_rows), 2),
    })


def report(name, ours, theirs, peer="lifetimes"):
    ratio = f"{theirs / ours:8.1f}x" if theirs else "   (n/a)"
    theirs_text = f"{theirs:10.3f}s" if theirs else "       n/a"
    print(f"{name:<44} trustcost {ours:9.3f}s   {peer:<9} {theirs_text}   speed-up {ratio}")


# Fader & Hardie (2007) "regular" cohort: customers under contract at the start of years 0-7.
REGULAR_COHORT = [1000, 631, 468, 382, 326, 289, 262, 241]


def scipy_sbg_fit(survivors):
    """The sBG likelihood maximised by scipy (L-BFGS-B on log-parameters, numerical gradient),
    as one would write it without trustcost: the peer for the sBG timing."""
    from scipy import optimize, special

    counts = np.asarray(survivors, dtype=float)
    t = np.arange(1, counts.size)
    lost, kept = -np.diff(counts), counts[-1]

    def negative_ll(log_params):
        a, b = np.exp(log_params)
        churn = special.betaln(a + 1, b + t - 1) - special.betaln(a, b)
        return -(lost @ churn + kept * (special.betaln(a, b + t[-1]) - special.betaln(a, b)))

    return np.exp(optimize.minimize(negative_ll, np.zeros(2), method="L-BFGS-B").x)


def bench_new_models(lifetimes, repeats):
    """BG/BB on the donations, MBG/NBD on CDNOW (against lifetimes) and sBG (against scipy)."""
    cdnow = load_cdnow_summary()
    cols = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    ours_time, model = median_time(lambda: tc.ModifiedBetaGeo().fit(*cols), repeats)
    theirs_time = None
    if lifetimes:
        theirs_time, _ = median_time(lambda: lifetimes.ModifiedBetaGeoFitter().fit(*cols), max(repeats // 4, 3))
    report("MBG/NBD fit, CDNOW (2,357 customers)", ours_time, theirs_time)
    print(f"    params {model.params_.round(4).to_dict()}  LL {model.log_likelihood_:.2f}")

    donations = tc.datasets.load_donations()
    rows = (donations["frequency"], donations["recency"], donations["periods"])
    ours_time, model = median_time(lambda: tc.BetaGeoBetaBinom().fit(*rows, weights=donations["weights"]), repeats)
    theirs_time = None
    if lifetimes:
        theirs_time, _ = median_time(
            lambda: lifetimes.BetaGeoBetaBinomFitter().fit(*rows, donations["weights"]), max(repeats // 4, 3))
    report("BG/BB fit, donations (11,104 donors)", ours_time, theirs_time)
    print(f"    params {model.params_.round(4).to_dict()}  LL {model.log_likelihood_:.2f}")

    ours_time, model = median_time(lambda: tc.ShiftedBetaGeometric().fit(REGULAR_COHORT), repeats)
    theirs_time, theirs = median_time(lambda: scipy_sbg_fit(REGULAR_COHORT), repeats)
    report("sBG fit, regular cohort (1,000 customers)", ours_time, theirs_time, peer="scipy")
    print(f"    params {model.params_.round(4).to_dict()}; scipy {np.round(theirs, 4).tolist()}")


# Customers who rarely drop out: dropout scale beta far beyond the 1-39 weeks observed, so the
# Pareto/NBD's 2F1 argument (beta - alpha) / (beta + t_x) nears 1 (the series needed ~1e5 terms a row).
LOW_DROPOUT_TRUTH = {"r": 0.6, "alpha": 8.0, "s": 0.6, "beta": 400.0}


def bench_low_dropout(lifetimes, repeats, customers=5_000):
    """Pareto/NBD on low-dropout customers seen 30-52 weeks, against lifetimes' ParetoNBDFitter. On
    this draw (seed 7) the likelihood rises along s, beta -> inf: the spread is not identified."""
    rng = np.random.default_rng(7)
    x, t_x, T = simulate_pareto(customers, rng, *LOW_DROPOUT_TRUTH.values(), T=rng.uniform(30.0, 52.0, customers))
    ours_time, model = median_time(lambda: tc.ParetoNBD().fit(x, t_x, T), repeats)
    theirs_time, theirs = None, None
    if lifetimes:
        try:
            theirs_time, theirs = median_time(lambda: lifetimes.ParetoNBDFitter().fit(x, t_x, T), 3)
        except Exception as exc:  # noqa: BLE001 - report lifetimes' failure and go on
            print(f"    lifetimes ParetoNBDFitter failed: {type(exc).__name__}: {exc}")
    report(f"Pareto/NBD fit, {customers:,} low-dropout customers", ours_time, theirs_time)
    print(f"    params {model.params_.round(4).to_dict()}  LL {model.log_likelihood_:.4f}  "
          f"(s, beta run along a flat ridge: the spread of dropout rates is not identified)")
    if theirs is not None:
        at_theirs = tc.ParetoNBD.from_params(**theirs.params_.to_dict()).individual_log_likelihood(x, t_x, T).sum()
        print(f"    lifetimes {theirs.params_.round(4).to_dict()}  LL there {at_theirs:.4f}")


def recovery(model, truth):
    z = (model.params_ - pd.Series(truth)) / model.standard_errors_
    return "  ".join(f"{k}={model.params_[k]:.4f} (true {truth[k]}, z={z[k]:+.2f})" for k in truth)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=None,
                        help="synthetic customers (default 1,000,000; with --workflow 150,000, and from 2,000,000 on "
                        "--workflow scores only)")
    parser.add_argument("--workflow", action="store_true",
                        help="the lifetimes workflow step by step on a simulated weekly BG/NBD population (_workflow.py)")
    parser.add_argument("--transactions", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of trustcost (median reported)")
    parser.add_argument("--lifetimes-repeats", type=int, default=1, help="timed runs of lifetimes on the large inputs")
    parser.add_argument("--no-lifetimes", action="store_true")
    parser.add_argument("--low-dropout", action="store_true", help="only the Pareto/NBD fit on low-dropout customers")
    parser.add_argument("--seed", type=int, default=2005)
    args = parser.parse_args()
    if args.workflow:
        import _workflow

        customers = args.customers or 150_000
        if customers >= 2_000_000:
            _workflow.run_scoring(customers, args.repeats, args.seed)
        else:
            _workflow.run_workflow(customers, args.repeats, max(args.lifetimes_repeats, 3), args.seed)
        return
    args.customers = args.customers or 1_000_000

    lifetimes = None
    if not args.no_lifetimes:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import lifetimes
                import lifetimes.utils
        except Exception as exc:  # noqa: BLE001 - any import failure means "not available"
            print(f"lifetimes unavailable ({type(exc).__name__}: {exc}); timing trustcost only")
    warnings.simplefilter("ignore")  # lifetimes warns (pandas 3 deprecations) on every call
    print(f"threads: {tc.get_num_threads()}")

    if args.low_dropout:
        bench_low_dropout(lifetimes, args.repeats)
        return
    cdnow = load_cdnow_summary()
    cols = (cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for label, ours_cls, theirs_name in (("BG/NBD", tc.BetaGeo, "BetaGeoFitter"), ("Pareto/NBD", tc.ParetoNBD, "ParetoNBDFitter")):
        ours_time, model = median_time(lambda: ours_cls().fit(*cols), max(args.repeats, 5))
        theirs_time = None
        if lifetimes:
            theirs_time, _ = median_time(lambda: getattr(lifetimes, theirs_name)().fit(*cols), max(args.repeats, 3))
        report(f"{label} fit, CDNOW (2,357 customers)", ours_time, theirs_time)
        print(f"    params {model.params_.round(4).to_dict()}  LL {model.log_likelihood_:.2f}")
    spend = (cdnow["frequency"][cdnow["frequency"] > 0], cdnow["monetary_value"][cdnow["frequency"] > 0])
    ours_time, model = median_time(lambda: tc.GammaGamma().fit(*spend), max(args.repeats, 5))
    theirs_time = None
    if lifetimes:
        theirs_time, _ = median_time(lambda: lifetimes.GammaGammaFitter().fit(*spend), max(args.repeats, 3))
    report("Gamma-Gamma fit, CDNOW (946 repeat buyers)", ours_time, theirs_time)
    print(f"    params {model.params_.round(4).to_dict()}  LL {model.log_likelihood_:.2f}")
    bench_new_models(lifetimes, max(args.repeats, 21))
    bench_low_dropout(lifetimes, args.repeats)

    rng = np.random.default_rng(args.seed)
    for label, simulate, truth, ours_cls, theirs_name in (
        ("BG/NBD", simulate_bgnbd, BGNBD_TRUTH, tc.BetaGeo, "BetaGeoFitter"),
        ("Pareto/NBD", simulate_pareto, PARETO_TRUTH, tc.ParetoNBD, "ParetoNBDFitter"),
    ):
        x, t_x, T = simulate(args.customers, rng, *truth.values())
        ours_time, model = median_time(lambda: ours_cls().fit(x, t_x, T), args.repeats)
        theirs_time = None
        if lifetimes:
            try:
                theirs_time, _ = median_time(lambda: getattr(lifetimes, theirs_name)().fit(x, t_x, T), args.lifetimes_repeats)
            except Exception as exc:  # noqa: BLE001 - report lifetimes' failure and go on
                print(f"    lifetimes {theirs_name} failed: {type(exc).__name__}: {exc}")
        report(f"{label} fit, {args.customers:,} synthetic customers", ours_time, theirs_time)
        print(f"    {model.n_unique_rows_:,} unique rows; {recovery(model, truth)}")

    log = synthetic_transactions(args.transactions, max(args.transactions // 10, 1), rng)
    ours_time, ours = median_time(lambda: tc.rfm_summary(log, "customer", "date", "value"), args.repeats)
    theirs_time = None
    if lifetimes:
        theirs_time, theirs = median_time(
            lambda: lifetimes.utils.summary_data_from_transaction_data(log, "customer", "date", "value"), args.lifetimes_repeats
        )
        same = ours[["frequency", "recency", "T"]].equals(theirs[["frequency", "recency", "T"]])
        print(f"    identical frequency/recency/T: {same}; max |monetary difference| "
              f"{np.max(np.abs(ours['monetary_value'].to_numpy() - theirs['monetary_value'].to_numpy())):.2e}")
    report(f"rfm_summary, {args.transactions:,} transactions", ours_time, theirs_time)


if __name__ == "__main__":
    main()
