"""Cases of the generated bad-input sweep (bad_input_sweep.py) that still fail in relationship (python/trustcost/relationship, cpp/src/relationship).

Listed so they are reported, not hidden: the sweep test fails on any failure not listed here and
prints listed cases that now pass. The table may only shrink (issue 18).

Why the cases left are left (relationship/models.py, _fitted.py and scoring.cpp are the
integrator's; the covariate fit's optimiser is relationship/fit.cpp):
- MBG/NBD expected purchases at t = 1e308: 2F1(r + x, b + x + 1; a + b + x; t / (alpha + T + t))
  with z rounding to 1 gives inf, though E[X(t)] ~ t^(1 - a) is finite (about 1e166 here): the
  series needs the 1 - z transformation where z is that close to 1. frequency = 1e308 gives NaN
  in the same series and in P(n purchases).
- ParetoNBDCovariates.fit with T = 10**12 for every customer: a clear ConvergenceError ("s ran
  off") after about 16 s, past the 10 s alarm (the plain Pareto/NBD stops in 1 s): the runaway
  stop comes after many slow Pareto/NBD series evaluations at extreme parameters.
The sweep tries one huge number per argument for these templates (bad_input_sweep.HUGE); the
unsampled run also found non-finite results for frequency = 1e308 in BetaGeo's, ParetoNBD's
and MBG's conditional_probability_of_n_purchases (and n = 1e308), ParetoNBD's p_alive and
expected_purchases (frequency, T = 1e308), ParetoNBDCovariates.expected_purchases (T = 1e308),
GammaGamma.customer_lifetime_value (frequency, monetary_value = 1e308) and MBG's
expected_purchases for t and frequency of 2**62 and above: one class, overflow in the scoring
engine for histories of 1e18 and more, for the overflow policy (an OverflowError naming the
argument) to reach.
"""

KNOWN: dict[str, str] = {
    'ModifiedBetaGeo.conditional_probability_of_n_purchases:frequency=1e308': 'silent',
    'ModifiedBetaGeo.expected_purchases:frequency=1e308': 'silent',
    'ModifiedBetaGeo.expected_purchases:t=1e308': 'silent',
    'ParetoNBDCovariates.fit:T=10**12': 'hang',
}
