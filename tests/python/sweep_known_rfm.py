"""Cases of the generated bad-input sweep (bad_input_sweep.py) that still fail in rfm_summary and
calibration_and_holdout_data (python/trustcost/relationship/rfm.py and holdout.py, another helper's).

Listed so they are reported, not hidden: the sweep test fails on any failure not listed here and
prints listed cases that now pass. The table may only shrink (issue 18).

Why they fail (for the owner of rfm.py and holdout.py):
- a column name that is not a string (None, an array, a list, a dict, a Series) reaches pandas'
  indexing: "unhashable type: 'list'" or KeyError: None instead of "customer_id_col must be a
  column name (str)";
- freq_multiplier = 2**64 or 10**30 (Python ints beyond int64) reaches np.isfinite on an object
  array: "ufunc 'isfinite' not supported";
- freq_multiplier = 5e-324 is accepted and the periods divided by it overflow to inf.
"""

KNOWN: dict[str, str] = {
    'calibration_and_holdout_data:freq_multiplier=10**30': 'unclear',
    'calibration_and_holdout_data:freq_multiplier=2**64': 'unclear',
    'calibration_and_holdout_data:freq_multiplier=5e-324': 'silent',
    'calibration_and_holdout_data:monetary_value_col=0-d': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=3-D': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=categorical': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=dict': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=empty': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=list-of-str': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=masked': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=nan-array': 'unclear',
    'calibration_and_holdout_data:monetary_value_col=tz-aware': 'unclear',
    'rfm_summary:customer_id_col=0-d': 'unclear',
    'rfm_summary:customer_id_col=3-D': 'unclear',
    'rfm_summary:customer_id_col=None': 'unclear',
    'rfm_summary:customer_id_col=categorical': 'unclear',
    'rfm_summary:customer_id_col=dict': 'unclear',
    'rfm_summary:customer_id_col=empty': 'unclear',
    'rfm_summary:customer_id_col=list-of-str': 'unclear',
    'rfm_summary:customer_id_col=masked': 'unclear',
    'rfm_summary:customer_id_col=nan-array': 'unclear',
    'rfm_summary:customer_id_col=tz-aware': 'unclear',
    'rfm_summary:datetime_col=0-d': 'unclear',
    'rfm_summary:datetime_col=3-D': 'unclear',
    'rfm_summary:datetime_col=None': 'unclear',
    'rfm_summary:datetime_col=categorical': 'unclear',
    'rfm_summary:datetime_col=dict': 'unclear',
    'rfm_summary:datetime_col=empty': 'unclear',
    'rfm_summary:datetime_col=list-of-str': 'unclear',
    'rfm_summary:datetime_col=masked': 'unclear',
    'rfm_summary:datetime_col=nan-array': 'unclear',
    'rfm_summary:datetime_col=tz-aware': 'unclear',
    'rfm_summary:freq_multiplier=10**30': 'unclear',
    'rfm_summary:freq_multiplier=2**64': 'unclear',
    'rfm_summary:freq_multiplier=5e-324': 'silent',
    'rfm_summary:monetary_value_col=0-d': 'unclear',
    'rfm_summary:monetary_value_col=3-D': 'unclear',
    'rfm_summary:monetary_value_col=categorical': 'unclear',
    'rfm_summary:monetary_value_col=dict': 'unclear',
    'rfm_summary:monetary_value_col=empty': 'unclear',
    'rfm_summary:monetary_value_col=list-of-str': 'unclear',
    'rfm_summary:monetary_value_col=masked': 'unclear',
    'rfm_summary:monetary_value_col=nan-array': 'unclear',
    'rfm_summary:monetary_value_col=tz-aware': 'unclear',
}
