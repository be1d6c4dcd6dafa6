/*
 * decide.h: turns a scheme and a block of persons on a date into decisions: eligible or not,
 * the amount per period, the contribution parts, and on request the reasons.
 *
 * A decision (docs/schemes.md "Scheme files"):
 *   - a person whose country is not the scheme's is DECISION_NOT_APPLICABLE;
 *   - outside valid_from/valid_to, or when any eligibility or qualifying condition is false
 *     (three-valued: false whatever the facts not given are), or ends missing only because a
 *     record does not exist (no contribution, no such event), it is DECISION_NOT_ELIGIBLE;
 *   - otherwise, when a condition, the amount or a contribution part fails at run time
 *     (overflow, a wage in another currency) it is DECISION_FAILED; when one needs a
 *     parameter with no confirmed value it is DECISION_PARAMETER_NOT_SET; when a condition
 *     ends missing because a fact is not given it is DECISION_UNDETERMINED (decide_missing
 *     names the facts that would decide it);
 *   - whatever the conditions say, when the person's run reached a limit of the rules engine
 *     (docs/expressions.md "Limits": too many steps, or too much memory for lists) it is
 *     DECISION_FAILED, with `stop` saying which and decide_explain giving the reason;
 *   - otherwise it is DECISION_ELIGIBLE, with the amount (when the scheme has one) and the
 *     contribution (when the scheme has a contribution block and the wage is given): the wage
 *     clamped to [floor, cap], each rate part applied with the scheme's rounding, each fixed
 *     part as it is, and their total.
 *
 * The batch path: bind once per (scheme, date) with decide_bind, make one decide_scratch per
 * thread, then call decide_block for blocks of up to EXPR_BLOCK persons. decide_block neither
 * allocates nor builds text, and a bound scheme is read-only, so threads may share it, each
 * with its own scratch. decide_explain builds the reasons for one person when asked.
 */
#ifndef SPFLOOR_RULES_DECIDE_H
#define SPFLOOR_RULES_DECIDE_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "rules/expr.h"
#include "rules/scheme.h"
#include "rules/situation.h"

enum decision_status {
    DECISION_NOT_APPLICABLE,    /* the person is not of the scheme's country */
    DECISION_ELIGIBLE,          /* every condition holds; amount and contribution computed */
    DECISION_NOT_ELIGIBLE,      /* a condition does not hold (or lacks a record) */
    DECISION_PARAMETER_NOT_SET, /* a parameter it needs has no confirmed value */
    DECISION_FAILED,            /* a run-time failure (overflow, wrong currency) */
    DECISION_UNDETERMINED,      /* a condition waits on a fact that is not given */
};

struct decision {
    uint8_t status;           /* enum decision_status */
    uint8_t has_amount;       /* 1: amount holds the benefit per the scheme's `per` */
    uint8_t has_contribution; /* 1: wage, parts and total hold the contribution */
    uint8_t parts_given;      /* bit i set: the scheme has part i (SCHEME_PART_*) */
    uint8_t stop;             /* enum expr_stop: the limit that stopped it (status FAILED) */
    int32_t stop_at;          /* the scheme expression running when it stopped, else -1 */
    int64_t amount;           /* minor units of the scheme's currency */
    int64_t wage;             /* the wage base after floor and cap */
    int64_t parts[3];         /* employee, employer, state: rounded minor units */
    int64_t total;            /* the sum of the parts */
    const char *excluded_by;  /* eligible, but another scheme of its exclusion group is paid
                                 instead (that scheme's id, owned by the library); or NULL.
                                 decide_exclusions sets it; decide_block leaves it NULL */
};

/* A scheme bound to one date: read-only, shareable between threads. */
struct decide_bound {
    const struct scheme *scheme;
    int32_t as_of;
    int in_force;             /* 1 if as_of is within valid_from/valid_to */
    struct expr_bound *bound; /* the scheme's unit with parameters resolved for as_of */
};

/* Per-thread working memory for one scheme. */
struct decide_scratch;

/* Binds s on as_of. The caller frees *out with decide_bound_free; s must outlive it. */
int decide_bind(const struct scheme *s, int32_t as_of, struct decide_bound **out,
                struct error *err);
void decide_bound_free(struct decide_bound *b); /* accepts NULL */

/*
 * 1 if a and b decide every person alike: the same scheme (by id), in force or not alike,
 * with the same conditions, amount and contribution over equal parameter values on the date
 * (expr_bound_same). A simulation decides such a scheme once for its baseline and its reform.
 * 0 when unsure. Cannot fail.
 */
int decide_bound_same(const struct decide_bound *a, const struct decide_bound *b);

/* Working memory for running s (any date). The caller frees it with decide_scratch_free. */
int decide_scratch_new(const struct scheme *s, struct decide_scratch **out, struct error *err);
void decide_scratch_free(struct decide_scratch *s); /* accepts NULL */
/* Forgets what s keeps from the persons it ran for (household plans: expr_scratch_forget),
 * for a caller that keeps s from one situation to the next. Cannot fail. */
void decide_scratch_forget(struct decide_scratch *s); /* accepts NULL */

/*
 * Decides for n persons (0..EXPR_BLOCK): out[i] for persons[i] (with histories[i], which may
 * be NULL, as may histories itself). Only persons of the scheme's country are evaluated.
 * Per-person problems, the engine's limits among them, are statuses, not errors: one person's
 * run stopping at a limit does not change the others' decisions. Returns SP_OK unless the
 * arguments are wrong.
 */
int decide_block(const struct decide_bound *b, struct decide_scratch *s,
                 const struct person *const *persons, const struct person_history *const *histories,
                 int n, struct decision *out, struct error *err);

struct fact_block;

/*
 * decide_block for the persons of a fact block (rules/fact_block.h), written as columns:
 * status[i] is person i's status (enum decision_status); value[i] is, for an eligible person,
 * the contribution total when the decision has a contribution, else the amount per period (0
 * when the scheme gives neither), and 0 for the others. When full is not NULL, full[i] gets
 * person i's whole decision, and status and value may be NULL. The decisions are decide_block's,
 * person for person: the persons the column path can decide from the compact facts (expr_run_fused)
 * are decided there without reading their records, and the rest by decide_block. Returns SP_OK
 * unless the arguments are wrong or memory runs out.
 */
int decide_block_facts(const struct decide_bound *b, struct decide_scratch *s,
                       const struct fact_block *fb, uint8_t *status, int64_t *value,
                       struct decision *full, struct error *err);

/* decide_block for one person. */
int decide_one(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
               const struct person_history *h, struct decision *out, struct error *err);

/*
 * Appends the reasons for decision d of person p to out, one line each ending in '\n'. Each
 * condition's line reads "name: <what it tested>", e.g.
 *   "senior_age: age 70 >= np.ssa.senior_age 68 (since 2022-07-17: FY 2079/80 budget speech)"
 * Without detail: the conditions that decided it (every condition when eligible; the ones
 * that failed, were missing a fact, or needed an unset parameter otherwise). With detail:
 * every condition, the named values, the amount with the parameters it used and the
 * contribution's arithmetic. A decision stopped at a limit has one line instead, naming the
 * expression that was running and the limit, e.g.
 *   "at_most_2_children_per_family: stopped after 10,000,000 evaluation steps: the rule is
 *    too costly for this household (limit: docs/expressions.md#limits)"
 */
int decide_explain(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
                   const struct person_history *h, const struct decision *d, int detail,
                   struct buf *out, struct error *err);

/*
 * Appends the reasons of decision d of person p for people (docs/schemes.md "Texts for
 * people"): one line per condition, in order, each ending in '\n':
 *   "<mark> <text>[ — <figure>][ (rule since <date>: <reference>[; ...])]"
 * The mark is "✓" (it holds), "✗" (it does not, or a record it needs does not exist: then
 * the figure reads "nothing on record"), "?" (undetermined: the figure names the facts not
 * given, "income tax payer not given: ask"; or a parameter has no value: "not set yet: ...")
 * or "!" (it could not be computed). The text and figure are the condition's words in lang
 * (a catalogue's language; NULL or "" for English), else in English, else the condition's
 * name; the rule part cites the value in force (or kept, when grandfathered) of each
 * parameter the words name, each date and reference once. A decision not applicable, out of
 * force or stopped at a limit has decide_explain's one line instead (no mark); an excluded
 * one ends with decide_explain's "excluded: ..." line. Runs the person traced: only call it
 * when the reasons are asked for. SP_IO when out of memory.
 */
int decide_reasons(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
                   const struct person_history *h, const struct decision *d, const char *lang,
                   struct buf *out, struct error *err);

/* The marks decide_reasons begins its lines with (UTF-8, each followed by a space). */
#define DECIDE_MARK_PASSED  "\xe2\x9c\x93" /* ✓ */
#define DECIDE_MARK_FAILED  "\xe2\x9c\x97" /* ✗ */
#define DECIDE_MARK_UNKNOWN "?"
#define DECIDE_MARK_ERROR   "!"

/*
 * Applies exclusion groups (a scheme's `exclusive:`, docs/schemes.md) to one person's
 * decisions: decisions[k] is person p's decision for schemes[k], k < n. Among the eligible
 * decisions whose schemes share a group, one is paid: the scheme the person chose (the value
 * of the group's `choice` fact, when it names an eligible scheme of the group), else the most
 * favourable (the highest amount; on a tie, the first by scheme id). Every other one of
 * them keeps its status and amount and gets excluded_by, the paid scheme's id; it is not
 * payable. Other decisions are left as they are. Cannot fail; takes O(n^2) time at worst and
 * O(n) when no scheme has a group.
 */
void decide_exclusions(const struct person *p, const struct scheme *const *schemes,
                       struct decision *const *decisions, int n);

/*
 * For an undetermined decision d of person p: appends the facts whose values would decide it
 * to out, one name per line, each once (expr_missing_facts over its conditions): the facts
 * the clerk should ask for. Appends nothing for another status. SP_IO when out of memory.
 */
int decide_missing(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
                   const struct person_history *h, const struct decision *d, struct buf *out,
                   struct error *err);

/* "eligible", "not_eligible", "undetermined", "parameter_not_set", "failed",
 * "not_applicable". */
const char *decision_status_name(enum decision_status status);

#endif
