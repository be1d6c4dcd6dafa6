#!/usr/bin/python3
"""baseline_pandas_db.py: the three rules of baseline_pandas.py over persons read from a registry.

    /usr/bin/python3 bench/baseline_pandas_db.py REGISTRY.db [--as-of YYYY-MM-DD]

The analyst's way to decide over spfloor's registry: pandas.read_sql of the persons table
(sqlite3, read-only), the same typed columns baseline_pandas.py makes from a CSV, then its three
rules (np_senior, kh_nssf, ph_mat; the PH contribution history is made up and not timed).
bench/entitlements compares it with `spfloor entitlements --all`. Output:

    RESULT pandas-db persons=N read_s=R rules_s=S total_s=T eligible=E

where total_s = read_s + rules_s and eligible counts the eligible results of the three rules.
"""

import argparse
import datetime
import os
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baseline_pandas as rules  # noqa: E402  (the rules, shared with bench/evaluate)

QUERY = ("SELECT country, sex, birth_date, worker_category, monthly_wage_minor, "
         "monthly_wage_currency, groups FROM persons ORDER BY serial")


def read_registry(path):
    """The persons table with the typed columns the rules read."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        df = pd.read_sql(QUERY, conn)
    birth = df["birth_date"]
    df["by"] = birth.str.slice(0, 4).astype(np.int64)
    df["bm"] = birth.str.slice(5, 7).astype(np.int64)
    df["bd"] = birth.str.slice(8, 10).astype(np.int64)
    df["wage_minor"] = df["monthly_wage_minor"].fillna(-1).astype(np.int64)
    df["wage_currency"] = df["monthly_wage_currency"].fillna("")
    df["worker_category"] = df["worker_category"].fillna("")
    df["groups"] = df["groups"].fillna("")
    return df


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("registry")
    parser.add_argument("--as-of", default="2025-01-15")
    args = parser.parse_args()
    as_of = datetime.date.fromisoformat(args.as_of)
    started = time.perf_counter()
    df = read_registry(args.registry)
    read_s = time.perf_counter() - started
    contributions = rules.ph_contributions(df)  # made up, not timed
    started = time.perf_counter()
    eligible = (len(rules.rule_np_senior(df, as_of)) + len(rules.rule_kh_nssf(df, as_of))
                + len(rules.rule_ph_maternity(df, contributions)))
    rules_s = time.perf_counter() - started
    print(f"RESULT pandas-db persons={len(df)} read_s={read_s:.3f} rules_s={rules_s:.3f} "
          f"total_s={read_s + rules_s:.3f} eligible={eligible}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
