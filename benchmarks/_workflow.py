"""The lifetimes workflow on a simulated BG/NBD population, step by step against lifetimes.

Used by ``bench_relationship.py --workflow``: 150,000 customers (about 500,000 weekly
transactions) from rfm_summary to CLV, each step timed for trustcost and lifetimes in the same
run; with ``--customers`` of two million or more, scoring only (P(alive) and 12-month CLV from a
fitted BG/NBD + Gamma-Gamma), with the memory it takes.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
import warnings

import numpy as np
import pandas as pd

import trustcost as tc

#: The population: weekly rates r/alpha, dropout a/(a+b), spend (p, q, v) as in CDNOW's estimates.
TRUTH = {"r": 0.5, "alpha": 3.0, "a": 0.8, "b": 2.5}
SPEND = {"p": 6.0, "q": 3.8, "v": 15.0}
WEEKS = 52  # observation: customers join in the first 26 weeks, all observed to week 52
START = pd.Timestamp("2024-01-01")


def median(function, repeats):
    times, result = [], None
    for _ in range(repeats):
        begin = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), result


def transactions(n, rng):
    """A transaction log: first purchase on a day of the first 26 weeks, then BG/NBD repeat
    purchases (exponential gaps at lambda ~ Gamma(r, alpha) a week, dropout p ~ Beta(a, b) after each),
    each spend Gamma(p, nu) with nu ~ Gamma(q, v) per customer."""
    r, alpha, a, b = TRUTH.values()
    join = rng.integers(0, 26 * 7, n) / 7.0
    lam, drop = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    nu = rng.gamma(SPEND["q"], 1 / SPEND["v"], n)
    ids, when = [np.arange(n)], [join]
    clock, active = join.copy(), np.arange(n)
    while active.size:
        clock[active] += rng.exponential(1 / lam[active])
        bought = active[clock[active] <= WEEKS]
        ids.append(bought)
        when.append(clock[bought])
        active = bought[rng.random(bought.size) >= drop[bought]]
    ids, when = np.concatenate(ids), np.concatenate(when)
    value = np.round(rng.gamma(SPEND["p"], 1 / nu[ids]), 2)
    return pd.DataFrame({"customer": ids, "date": START + pd.to_timedelta(np.floor(when * 7), unit="D"), "value": value})


def histories(T, lam, drop, rng):
    """Repeat purchases (count, time of the last) of BG/NBD customers observed for T: exponential
    gaps at rate lam, dropout with probability drop after each purchase."""
    n = T.size
    x, t_x, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.arange(n)
    while active.size:
        clock[active] += rng.exponential(1 / lam[active])
        bought = active[clock[active] <= T[active]]
        x[bought] += 1
        t_x[bought] = clock[bought]
        active = bought[rng.random(bought.size) >= drop[bought]]
    return x, t_x


def summary(n, rng):
    """A weekly customer summary drawn directly (for scoring millions: the log would not fit)."""
    r, alpha, a, b = TRUTH.values()
    T = rng.integers(WEEKS - 26, WEEKS + 1, n).astype(float)
    x, t_x = histories(T, rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n), rng)
    t_x = np.floor(t_x)
    nu = rng.gamma(SPEND["q"], 1 / SPEND["v"], n)
    m = np.where(x > 0, rng.gamma(SPEND["p"] * np.maximum(x, 1), 1 / (nu * np.maximum(x, 1))), 0.0)
    return pd.DataFrame({"frequency": x, "recency": t_x, "T": T, "monetary_value": m})


def rss_mb():
    with open(f"/proc/{os.getpid()}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(name, ours, theirs, target, peer="lifetimes"):
    ratio = theirs / ours if theirs else float("nan")
    verdict = "" if not theirs else ("  ok" if ratio >= target else f"  BELOW target {target:g}x")
    theirs_text = f"{theirs * 1e3:10.1f} ms" if theirs else "        n/a"
    print(f"  {name:<46} trustcost {ours * 1e3:9.2f} ms   {peer:<17} {theirs_text}   {ratio:7.1f}x (target {target:g}x){verdict}")


def pandas_holdout(log, calibration_end, observation_end):
    """An independent pandas calibration/holdout table (weekly), for when lifetimes fails on this
    pandas: periods by to_period, one purchase per customer and week, groupby aggregates."""
    frame = log.assign(period=log["date"].dt.to_period("W"))
    per_week = frame.groupby(["customer", "period"], sort=False)["value"].sum().reset_index()
    cal_end, obs_end = pd.Period(calibration_end, "W"), pd.Period(observation_end, "W")
    cal = per_week[per_week["period"] <= cal_end]
    grouped = cal.groupby("customer")["period"]
    first, last, count = grouped.min(), grouped.max(), grouped.size()
    out = pd.DataFrame({
        "frequency_cal": (count - 1).astype(float),
        "recency_cal": (last - first).map(lambda d: d.n).astype(float),
        "T_cal": (cal_end - first).map(lambda d: d.n).astype(float),
    })
    hold = per_week[(per_week["period"] > cal_end) & (per_week["period"] <= obs_end)]
    out["frequency_holdout"] = hold.groupby("customer").size().reindex(out.index, fill_value=0).astype(float)
    out["duration_holdout"] = float((obs_end - cal_end).n)
    return out


def run_workflow(n, repeats, lifetimes_repeats, seed):
    rng = np.random.default_rng(seed)
    log = transactions(n, rng)
    print(f"workflow: {n:,} customers, {len(log):,} transactions (weekly BG/NBD population {TRUTH}); "
          f"threads {tc.get_num_threads()}; load {os.getloadavg()[0]:.2f}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import lifetimes
        import lifetimes.utils
    warnings.simplefilter("ignore")  # lifetimes warns (pandas deprecations) on every call
    end = START + pd.Timedelta(weeks=WEEKS)
    lt_repeats = lifetimes_repeats

    ours_t, data = median(lambda: tc.rfm_summary(log, "customer", "date", "value", freq="W", observation_period_end=end), repeats)
    theirs_t, theirs = median(lambda: lifetimes.utils.summary_data_from_transaction_data(
        log, "customer", "date", "value", freq="W", observation_period_end=end), lt_repeats)
    same = data[["frequency", "recency", "T"]].equals(theirs[["frequency", "recency", "T"]])
    money = np.max(np.abs(data["monetary_value"].to_numpy() - theirs["monetary_value"].to_numpy()))
    row("rfm_summary (weekly)", ours_t, theirs_t, 30)
    print(f"      identical frequency/recency/T: {same}; max |monetary difference| {money:.1e}; "
          f"{len(data.drop_duplicates(['frequency', 'recency', 'T'])):,} distinct (frequency, recency, T)")
    cal_end, obs_end = START + pd.Timedelta(weeks=39), end
    ours_t, split = median(lambda: tc.relationship.calibration_and_holdout_data(
        log, "customer", "date", cal_end, obs_end, freq="W"), repeats)
    try:
        theirs_t, _ = median(lambda: lifetimes.utils.calibration_and_holdout_data(
            log, "customer", "date", cal_end, obs_end, freq="W"), lt_repeats)
        peer = "lifetimes"
    except Exception as exc:  # noqa: BLE001 - lifetimes 0.11 fails on pandas >= 2 here
        print(f"      lifetimes calibration_and_holdout_data fails on pandas {pd.__version__}: {type(exc).__name__}: "
              f"{str(exc)[:80]}; compared with our own pandas groupby reference instead")
        theirs_t, reference = median(lambda: pandas_holdout(log, cal_end, obs_end), lt_repeats)
        peer = "pandas reference"
        cols = ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]
        print(f"      identical to the reference: {split[cols].equals(reference.loc[split.index, cols])}")
    row("calibration_and_holdout_data (weekly)", ours_t, theirs_t, 30, peer)

    cols = (data["frequency"], data["recency"], data["T"])
    for label, ours_cls, theirs_cls in (("BG/NBD", tc.BetaGeo, lifetimes.BetaGeoFitter),
                                        ("MBG/NBD", tc.ModifiedBetaGeo, lifetimes.ModifiedBetaGeoFitter)):
        ours_t, model = median(lambda: ours_cls().fit(*cols), repeats)
        theirs_t, other = median(lambda: theirs_cls().fit(*cols), lt_repeats)
        row(f"{label} fit", ours_t, theirs_t, 100)
        print(f"      ours {model.params_.round(4).to_dict()} LL {model.log_likelihood_:.1f}; lifetimes "
              f"{other.params_.round(4).to_dict()}")
    bg = tc.BetaGeo().fit(*cols)
    lbg = lifetimes.BetaGeoFitter().fit(*cols)  # fitted: lifetimes attaches predict() in fit
    lbg.params_ = pd.Series(bg.params_.to_dict())  # the same parameters for the predictions

    repeat = data[data["frequency"] > 0]
    ours_t, gg = median(lambda: tc.GammaGamma(penalizer=1e-4).fit(repeat["frequency"], repeat["monetary_value"]), repeats)
    theirs_t, lgg = median(lambda: lifetimes.GammaGammaFitter(penalizer_coef=1e-4).fit(
        repeat["frequency"], repeat["monetary_value"]), lt_repeats)
    row("Gamma-Gamma fit (penalizer 1e-4)", ours_t, theirs_t, 20)
    print(f"      ours {gg.params_.round(4).to_dict()}; lifetimes {lgg.params_.round(4).to_dict()}")
    lgg.params_ = pd.Series(gg.params_.to_dict())

    ours_t, alive = median(lambda: bg.p_alive(*cols), max(repeats, 11))
    theirs_t, other = median(lambda: lbg.conditional_probability_alive(*cols), max(lt_repeats, 11))
    row("BG/NBD p_alive", ours_t, theirs_t, 10)
    print(f"      max |difference| {np.max(np.abs(np.asarray(alive) - np.asarray(other))):.1e}")
    ours_t, expected = median(lambda: bg.expected_purchases(12, *cols), max(repeats, 11))
    theirs_t, other = median(lambda: lbg.conditional_expected_number_of_purchases_up_to_time(12, *cols), lt_repeats)
    row("BG/NBD expected purchases, 12 periods", ours_t, theirs_t, 20)
    print(f"      max relative difference {np.max(np.abs(np.asarray(expected) / np.asarray(other) - 1)):.1e}")
    ours_t, clv = median(lambda: tc.customer_lifetime_value(bg, gg, data, time=12, discount_rate=0.01, freq="W"), repeats)
    theirs_t, other = median(lambda: lgg.customer_lifetime_value(lbg, *cols, data["monetary_value"], time=12,
                                                                 discount_rate=0.01, freq="W"), lt_repeats)
    row("CLV, 12 months (BG/NBD + Gamma-Gamma)", ours_t, theirs_t, 30)
    print(f"      max relative difference {np.nanmax(np.abs(clv.to_numpy() / other.to_numpy() - 1)[other.to_numpy() > 1e-9]):.1e}")

    def ours_all():
        d = tc.rfm_summary(log, "customer", "date", "value", freq="W", observation_period_end=end)
        m = tc.BetaGeo().fit(d["frequency"], d["recency"], d["T"])
        r = d[d["frequency"] > 0]
        s = tc.GammaGamma(penalizer=1e-4).fit(r["frequency"], r["monetary_value"])
        return tc.customer_lifetime_value(m, s, d, time=12, discount_rate=0.01, freq="W")

    def theirs_all():
        d = lifetimes.utils.summary_data_from_transaction_data(log, "customer", "date", "value", freq="W",
                                                               observation_period_end=end)
        m = lifetimes.BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])
        r = d[d["frequency"] > 0]
        s = lifetimes.GammaGammaFitter(penalizer_coef=1e-4).fit(r["frequency"], r["monetary_value"])
        return s.customer_lifetime_value(m, d["frequency"], d["recency"], d["T"], d["monetary_value"], time=12,
                                         discount_rate=0.01, freq="W")

    ours_t, _ = median(ours_all, repeats)
    theirs_t, _ = median(theirs_all, lt_repeats)
    row("whole workflow: summary, fit, Gamma-Gamma, CLV", ours_t, theirs_t, 20)


def run_scoring(n, repeats, seed):
    rng = np.random.default_rng(seed)
    base = rss_mb()
    data = summary(n, rng)
    cols = (data["frequency"], data["recency"], data["T"])
    distinct = len(data.drop_duplicates(["frequency", "T"]))
    print(f"scoring {n:,} customers of a weekly BG/NBD population ({distinct:,} distinct (frequency, T)); "
          f"threads {tc.get_num_threads()}; load {os.getloadavg()[0]:.2f}")
    bg = tc.BetaGeo().fit(*cols)
    repeat = data[data["frequency"] > 0]
    gg = tc.GammaGamma().fit(repeat["frequency"], repeat["monetary_value"])
    data_mb = rss_mb() - base
    before = rss_mb()

    def score():
        alive = bg.p_alive(*cols)
        clv = tc.customer_lifetime_value(bg, gg, data, time=12, discount_rate=0.01, freq="W")
        return alive, clv

    seconds, (alive, clv) = median(score, repeats)
    print(f"  P(alive) and 12-month CLV of {n:,} customers: median {seconds:.2f} s of {repeats} runs "
          f"(target <= 5 s){'  ok' if seconds <= 5 else '  ABOVE target'}")
    print(f"  memory: the summary {data_mb:,.0f} MB; scoring adds {rss_mb() - before:,.0f} MB resident "
          f"(the two result columns {2 * 8 * n / 2**20:,.0f} MB); peak RSS of the process {peak_mb():,.0f} MB")
    print(f"  mean P(alive) {np.mean(alive):.3f}, mean CLV {np.mean(clv):.2f}")
