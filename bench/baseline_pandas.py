#!/usr/bin/python3
"""baseline_pandas.py: three spfloor rules written in Python/pandas, the analyst's baseline.

    /usr/bin/python3 bench/baseline_pandas.py PERSONS.csv [--as-of YYYY-MM-DD] [--results FILE]
                                              [--repeat N]

PERSONS.csv is a population from gen-population (facts-vocabulary columns; money written as
"25000.00 NPR" or plain in the country's currency). The bench/evaluate harness compares this
with the C engine (`spfloor evaluate`) on the same population; DESIGN.md names pandas
(Debian python3-pandas) as one of the two baselines. Money is exact: integer minor units
(paisa, riel cents, centavos), rounded half up once, as the scheme files say.

The rules (values from shared/reference/scheme-rules.md and schemes/<cc>/*.params.yaml):

  np_senior  Nepal, Social Security Allowance, senior citizen (np.ssa.senior_citizen), on the
             date D given by --as-of (default 2025-01-15). Everyone with country NP.
             Eligible if completed age on D >= senior age: 70 from 2016-07-16, 68 from
             2022-07-17, 70 again from 2025-07-17 (the population has no enrolments, so the
             FY 2082/83 grandfathering never applies). Amount per month: NPR 2,000 from
             2016-07-16, 3,000 from 2019-07-17, 4,000 from 2021-07-16; nothing before
             2016-07-16.

  kh_nssf    Cambodia, NSSF pension contributions (kh.nssf.pension_contributions) for the month
             of D. Persons with country KH, worker_category formal_employee and a monthly_wage.
             Contributable wage = wage clamped to KHR 400,000 .. 1,200,000; employee 2% and
             employer 2% from 2022-10-01 (years 1-5), 4% + 4% from 2027-10-01, nothing before
             2022-10-01. Each part rounded half up to the riel cent.

  ph_mat     Philippines, SSS maternity benefit (ph.sss.maternity) for a birth on 2025-08-10,
             whatever D is. Women with country PH, aged 18 to 45 on the birth date, with a
             monthly_wage. The contribution history is made up here, the same for every run:
             one contribution for each of the 12 months before the semester of contingency
             (2024-04 .. 2025-03; the semester is 2025-04 .. 2025-09) at
             MSC = clamp(wage rounded half up to a multiple of 500, 5,000, 35,000). The rule
             itself is general: each MSC counts for the benefit up to the regular-SS 20,000;
             benefit = (sum of the 6 highest such MSCs in those 12 months) x days
             / 180, rounded once half up to the centavo; days = 105, or 120 for a solo parent
             (groups contains solo_parent); at least 3 contributions needed. Building the
             contribution table is not timed; taking the top 6 per woman is.

What is timed: `read` is pandas.read_csv plus turning text into typed columns (dates, money),
which every rule then shares; each rule's own `seconds` covers only its computation over the
whole population (its country filter included): with --repeat N, the median of N runs, with
min_s and max_s beside it. Output: a table, then one line per rule:

    RESULT pandas rule=np_senior persons=N seconds=S min_s=A max_s=B runs=R eligible=E total=T
        currency=NPR
    RESULT pandas read persons=N seconds=S

`total` is the sum of the amounts (for kh_nssf, employee + employer parts), in major units with
the currency's two minor digits. With --results FILE it also writes one line per eligible
person and rule: `row,rule,amount,employee,employer` (row = the 1-based data row of the CSV;
amounts in minor units), not timed.
"""

import argparse
import datetime
import sys
import time

import numpy as np
import pandas as pd

CURRENCY = {"NP": "NPR", "IN": "INR", "BD": "BDT", "PK": "PKR", "ID": "IDR", "PH": "PHP",
            "KH": "KHR", "MN": "MNT"}
MINOR = 100  # every currency here has two minor digits (ISO 4217)

# np.ssa parameters: (effective from, value)
NP_SENIOR_AGE = [("2016-07-16", 70), ("2022-07-17", 68), ("2025-07-17", 70)]
NP_SENIOR_AMOUNT = [("2016-07-16", 2000), ("2019-07-17", 3000), ("2021-07-16", 4000)]
# kh.nssf.pension parameters
KH_FLOOR, KH_CEILING = 400_000, 1_200_000
KH_RATES = [("2022-10-01", 2, 2), ("2027-10-01", 4, 4)]  # (from, employee %, employer %)
# ph.sss.maternity for the synthetic birth
PH_BIRTH = datetime.date(2025, 8, 10)
PH_MSC_MIN, PH_MSC_MAX, PH_MSC_STEP = 5_000, 35_000, 500
# The maternity benefit counts the regular-SS credit, at most 20,000 (schemes/ph/sss.params.yaml,
# benefit_msc_ceiling); the generated MSCs are at least 5,000, above every month's lowest credit.
PH_BENEFIT_MSC_MAX = 20_000
PH_DAYS, PH_DAYS_SOLO, PH_DIVISOR, PH_TOP, PH_QUALIFYING = 105, 120, 180, 6, 3


def value_on(table, day):
    """The value of a dated parameter on day (an ISO date string), or None before the first."""
    value = None
    for since, v in table:
        if since <= day:
            value = v
    return value


def round_half_up_div(num, den):
    """num / den rounded half up, element-wise on non-negative int64 arrays."""
    return (num * 2 + den) // (2 * den)


def age_on(birth_year, birth_month, birth_day, day):
    """Completed years on `day` (a date) for birth dates given as int arrays."""
    age = day.year - birth_year
    before = (birth_month > day.month) | ((birth_month == day.month) & (birth_day > day.day))
    return age - before.astype(np.int64)


def read_population(path):
    """Reads the CSV and adds typed columns: birth year/month/day, wage in minor units."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    birth = df["birth_date"]
    df["by"] = birth.str.slice(0, 4).astype(np.int64)
    df["bm"] = birth.str.slice(5, 7).astype(np.int64)
    df["bd"] = birth.str.slice(8, 10).astype(np.int64)
    # Money exactly, without floating point: "25000.5 NPR" -> whole 25000, fraction "5" -> 2500050.
    wage = df["monthly_wage"].str.split(" ", n=1, expand=True)
    has_wage = wage[0] != ""
    parts = wage[0].where(has_wage, "-1").str.split(".", n=1, expand=True)
    whole = parts[0].astype(np.int64)
    fraction = (parts[1].fillna("").str.pad(2, side="right", fillchar="0").astype(np.int64)
                if parts.shape[1] > 1 else 0)
    df["wage_minor"] = np.where(has_wage, whole * MINOR + fraction, -1)
    code = wage[1] if wage.shape[1] > 1 else pd.Series("", index=df.index)
    df["wage_currency"] = code.fillna("").where(code.fillna("") != "",
                                                df["country"].map(CURRENCY).fillna(""))
    return df


def rule_np_senior(df, as_of):
    day = as_of.isoformat()
    senior_age = value_on(NP_SENIOR_AGE, day)
    amount = value_on(NP_SENIOR_AMOUNT, day)
    if senior_age is None or amount is None:
        return pd.DataFrame({"row": [], "amount": []})
    np_rows = df["country"].to_numpy() == "NP"
    age = age_on(df["by"].to_numpy(), df["bm"].to_numpy(), df["bd"].to_numpy(), as_of)
    eligible = np_rows & (age >= senior_age)
    rows = np.flatnonzero(eligible) + 1
    return pd.DataFrame({"row": rows, "amount": np.full(len(rows), amount * MINOR, np.int64)})


def rule_kh_nssf(df, as_of):
    rates = value_on([(d, (e, r)) for d, e, r in KH_RATES], as_of.isoformat())
    if rates is None:
        return pd.DataFrame({"row": [], "amount": [], "employee": [], "employer": []})
    employee_pct, employer_pct = rates
    wage = df["wage_minor"].to_numpy()
    eligible = ((df["country"].to_numpy() == "KH")
                & (df["worker_category"].to_numpy() == "formal_employee")
                & (wage >= 0) & (df["wage_currency"].to_numpy() == "KHR"))
    base = np.clip(wage[eligible], KH_FLOOR * MINOR, KH_CEILING * MINOR)
    employee = round_half_up_div(base * employee_pct, 100)
    employer = round_half_up_div(base * employer_pct, 100)
    rows = np.flatnonzero(eligible) + 1
    return pd.DataFrame({"row": rows, "amount": employee + employer, "employee": employee,
                         "employer": employer})


def ph_contributions(df):
    """The synthetic contribution history (not timed): 12 months at one MSC per woman."""
    age = age_on(df["by"].to_numpy(), df["bm"].to_numpy(), df["bd"].to_numpy(), PH_BIRTH)
    wage = df["wage_minor"].to_numpy()
    women = ((df["country"].to_numpy() == "PH") & (df["sex"].to_numpy() == "female")
             & (age >= 18) & (age <= 45) & (wage >= 0)
             & (df["wage_currency"].to_numpy() == "PHP"))
    rows = np.flatnonzero(women) + 1
    step = PH_MSC_STEP * MINOR
    msc = np.clip(round_half_up_div(wage[women], step) * step, PH_MSC_MIN * MINOR,
                  PH_MSC_MAX * MINOR)
    # The 12 months before the semester of contingency: 2024-04 .. 2025-03 (month numbers).
    months = np.arange(12, dtype=np.int64) + (2024 * 12 + 3)
    return pd.DataFrame({"row": np.repeat(rows, 12), "month": np.tile(months, len(rows)),
                         "msc": np.repeat(msc, 12)})


def rule_ph_maternity(df, contributions):
    quarter_start = (PH_BIRTH.month - 1) // 3 * 3  # 0-based month of the quarter's start
    semester_start = PH_BIRTH.year * 12 + quarter_start - 3
    window = contributions[(contributions["month"] >= semester_start - 12)
                           & (contributions["month"] < semester_start)]
    window = window.assign(msc=np.minimum(window["msc"].to_numpy(), PH_BENEFIT_MSC_MAX * MINOR))
    top = (window.sort_values(["row", "msc"], ascending=[True, False])
           .groupby("row", sort=False).head(PH_TOP))
    per_woman = top.groupby("row").agg(total=("msc", "sum"))
    paid = window.groupby("row").size()
    per_woman = per_woman[paid.reindex(per_woman.index) >= PH_QUALIFYING]
    solo = df["groups"].str.contains("solo_parent", regex=False).to_numpy()
    rows = per_woman.index.to_numpy()
    days = np.where(solo[rows - 1], PH_DAYS_SOLO, PH_DAYS)
    amount = round_half_up_div(per_woman["total"].to_numpy() * days, PH_DIVISOR)
    return pd.DataFrame({"row": rows, "amount": amount})


def money_text(minor):
    return f"{minor // MINOR}.{minor % MINOR:02d}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="population CSV from gen-population")
    parser.add_argument("--as-of", default="2025-01-15", help="evaluation date (YYYY-MM-DD)")
    parser.add_argument("--results", help="write eligible persons per rule to this CSV")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each rule this many times (the seconds printed are the median)")
    args = parser.parse_args()
    try:
        as_of = datetime.date.fromisoformat(args.as_of)
    except ValueError:
        print(f"baseline_pandas: --as-of \"{args.as_of}\" is not a date: use YYYY-MM-DD",
              file=sys.stderr)
        return 1

    start = time.perf_counter()
    try:
        df = read_population(args.csv)
    except (OSError, KeyError, ValueError) as e:
        print(f"baseline_pandas: cannot read {args.csv}: {e}", file=sys.stderr)
        return 2
    read_s = time.perf_counter() - start
    persons = len(df)
    contributions = ph_contributions(df)

    rules = [("np_senior", "NPR", lambda: rule_np_senior(df, as_of)),
             ("kh_nssf", "KHR", lambda: rule_kh_nssf(df, as_of)),
             ("ph_mat", "PHP", lambda: rule_ph_maternity(df, contributions))]
    outcomes = []
    for name, currency, run in rules:
        times = []
        for _ in range(max(args.repeat, 1)):
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
        times.sort()
        outcomes.append((name, currency, result, times))

    print(f"pandas {pd.__version__} baseline over {persons} persons, as of {as_of}")
    print(f"  {'step':<12} {'seconds':>9} {'persons/s':>14} {'eligible':>9} {'total':>20}")
    print(f"  {'read':<12} {read_s:9.3f} {persons / read_s if read_s else 0:14.0f}")
    for name, currency, result, times in outcomes:
        seconds = times[(len(times) - 1) // 2]
        total = int(result["amount"].sum()) if len(result) else 0
        rate = persons / seconds if seconds > 0 else float("inf")
        print(f"  {name:<12} {seconds:9.3f} {rate:14.0f} {len(result):9d} "
              f"{money_text(total):>16} {currency}")
    print(f"RESULT pandas read persons={persons} seconds={read_s:.3f}")
    for name, currency, result, times in outcomes:
        total = int(result["amount"].sum()) if len(result) else 0
        print(f"RESULT pandas rule={name} persons={persons} seconds={times[(len(times) - 1) // 2]:.4f} "
              f"min_s={times[0]:.4f} max_s={times[-1]:.4f} runs={len(times)} "
              f"eligible={len(result)} total={money_text(total)} currency={currency}")

    if args.results:
        frames = []
        for name, _, result, _ in outcomes:
            out = result.copy()
            out.insert(1, "rule", name)
            for column in ("employee", "employer"):
                if column not in out:
                    out[column] = ""
            frames.append(out[["row", "rule", "amount", "employee", "employer"]])
        pd.concat(frames).to_csv(args.results, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
