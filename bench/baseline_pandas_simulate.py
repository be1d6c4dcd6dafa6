#!/usr/bin/python3
"""baseline_pandas_simulate.py: Nepal's senior allowance reform in Python/pandas, the analyst's
baseline for bench/simulate.

    /usr/bin/python3 bench/baseline_pandas_simulate.py PERSONS.csv --as-of YYYY-MM-DD

PERSONS.csv is a population from gen-population. The two runs, on the date D (--as-of):
the baseline pays the senior citizen allowance (np.ssa.senior_citizen, NPR 4,000 a month from
2021-07-16) from completed age 70, the reform from 65, to every person with country NP
(examples/reforms/np-senior-age-70-baseline.yaml and np-senior-age-65.yaml). Money is exact:
integer paisa. Like spfloor it breaks the persons eligible, the annual cost and the winners
(eligible under the reform only) down by sex, under 35, the ILO age bands, worker category,
province and district. It prints the totals, then one line:

    RESULT pandas read_s=R compute_s=C persons=N baseline_eligible=E1 reform_eligible=E2 winners=W

`read_s` is pandas.read_csv and the typed birth-date columns; `compute_s` both runs and the
comparison.
"""

import argparse
import datetime
import time

import numpy as np
import pandas as pd

MONTHLY_PAISA = 4000 * 100


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("persons")
    parser.add_argument("--as-of", required=True)
    args = parser.parse_args()
    day = datetime.date.fromisoformat(args.as_of)

    started = time.perf_counter()
    df = pd.read_csv(args.persons, dtype=str, keep_default_na=False, na_values=[],
                     usecols=["birth_date", "country", "sex", "worker_category", "admin1",
                              "admin2"])
    birth = df["birth_date"]
    by = birth.str.slice(0, 4).astype(np.int64).to_numpy()
    bm = birth.str.slice(5, 7).astype(np.int64).to_numpy()
    bd = birth.str.slice(8, 10).astype(np.int64).to_numpy()
    nepal = df["country"].to_numpy() == "NP"
    read_s = time.perf_counter() - started

    started = time.perf_counter()
    age = day.year - by - ((bm > day.month) | ((bm == day.month) & (bd > day.day)))
    baseline = nepal & (age >= 70)
    reform = nepal & (age >= 65)
    baseline_cost = int(baseline.sum()) * MONTHLY_PAISA * 12
    reform_cost = int(reform.sum()) * MONTHLY_PAISA * 12
    winners = int((reform & ~baseline).sum())
    frame = pd.DataFrame({
        "sex": df["sex"], "worker_category": df["worker_category"], "admin1": df["admin1"],
        "admin2": df["admin2"], "youth": np.where(age < 35, "under_35", "35_and_over"),
        "age_ilo": pd.cut(age, [-1, 14, 24, 64, 200], labels=["0-14", "15-24", "25-64", "65+"]),
        "baseline": baseline, "reform": reform, "winner": reform & ~baseline,
        "baseline_cost": baseline * (MONTHLY_PAISA * 12), "reform_cost": reform * (MONTHLY_PAISA * 12),
    })[nepal]
    breakdowns = {dim: frame.groupby(dim, observed=True)[
        ["baseline", "reform", "winner", "baseline_cost", "reform_cost"]].sum()
        for dim in ["sex", "youth", "age_ilo", "worker_category", "admin1", "admin2"]}
    compute_s = time.perf_counter() - started
    assert int(breakdowns["sex"]["winner"].sum()) == winners

    print(f"baseline: {int(baseline.sum())} eligible, {baseline_cost // 100} NPR a year")
    print(f"reform:   {int(reform.sum())} eligible, {reform_cost // 100} NPR a year")
    print(f"winners:  {winners}")
    print(f"RESULT pandas read_s={read_s:.3f} compute_s={compute_s:.3f} persons={len(df)} "
          f"baseline_eligible={int(baseline.sum())} reform_eligible={int(reform.sum())} "
          f"winners={winners}")


if __name__ == "__main__":
    main()
