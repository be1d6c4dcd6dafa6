/*
 * payroll.h: paying enrolled persons (docs/payroll.md): a payroll run makes one payment
 * instruction per person, scheme and period, as the rules engine decides; export writes a
 * batch as a bank file (ISO 20022 pain.001, or CSV for mobile-money operators); reconcile reads
 * the bank's answer (pain.002, or CSV) and moves the payments on.
 */
#ifndef SPFLOOR_OPS_PAYROLL_H
#define SPFLOOR_OPS_PAYROLL_H

#include <stdint.h>

#include "base/error.h"
#include "model/payment.h"
#include "pay/period.h"
#include "rules/scheme.h"
#include "store/store.h"

#define PAYROLL_GROUP  1000  /* payments a run adds with one audit entry */
#define PAYROLL_COMMIT 50000 /* payments a run writes in one transaction (whole groups) */

/*
 * The payment schedule of a scheme: its `payment_cycle`, by Nepal's fiscal year for a scheme of
 * Nepal; a scheme paid `per: once` without a cycle is paid once. SP_BAD_INPUT when the scheme
 * has neither.
 */
int payroll_schedule(const struct scheme *s, struct pay_schedule *out, struct error *err);

/*
 * A scheme paid once (a claim's benefit: a birth, a funeral ...) is paid by claim: `payroll run
 * --period once` pays each approved claim of the scheme not paid yet its amount decided (per
 * day: times its days), under the payment period "claim-<id>", so that two claims of one
 * person are two payments and no claim is paid twice. When the bank settles it, reconcile
 * moves the claim to paid.
 */
#define PAYROLL_CLAIM_PERIOD "claim-"

/* The payment period of claim `claim`: "claim-12". */
void payroll_claim_period(int64_t claim, char out[PAYMENT_PERIOD_SIZE]);

/* The claim a payment period names, or 0 when it names none. */
int64_t payroll_claim_of(const char *period);

struct payroll_request {
    const char *scheme;      /* the scheme's id */
    const char *period;      /* its period's id: "2081/82-Q1" */
    int32_t as_of;           /* the day decided on; DATE_NONE: the period's first day */
    const char *schemes_dir; /* the library's directory, for the digest */
    const char *actor;       /* who runs it */
    int32_t today;           /* the day payments are created on */
};

/* What a run did. */
struct payroll_summary {
    char batch[PAYMENT_BATCH_SIZE]; /* the batch written to, or "" when nothing was made */
    int new_batch;                  /* 1 if this run made the batch */
    struct pay_period period;
    char digest[PAYMENT_DIGEST_SIZE]; /* of the library, the default overlay, scheme, period
                                         and day */
    int64_t enrolled;                 /* active enrolments in the scheme over the period; for a
                                         run "once", approved claims of the scheme */
    int64_t payable;                  /* of them, payable on as_of */
    int64_t created;                  /* payments made now (re-issues included) */
    int64_t reissued;                 /* of them, re-issues of rejected payments */
    int64_t already;                  /* payable persons paid before (nothing made) */
    int64_t top_ups_due;              /* shocks' top-ups due for the period (shocks.h) */
    int64_t top_ups;                  /* of the payments made now, top-ups */
    int64_t listed;                   /* enrolled persons not paid: listed with why */
    int64_t amount;                   /* the sum of the payments made now, minor units */
    char currency[CURRENCY_CODE_SIZE];
};

/* Receives an enrolled person who is not paid, and why ("undetermined: ask for ...",
 * "excluded by ...", "no account"), one call at a time. Non-zero stops the run. */
typedef int (*payroll_list_fn)(void *ctx, const char *person, const char *why);

/* Called with the persons decided, then with the payments written; must not fail. */
typedef void (*payroll_progress_fn)(void *ctx, int64_t count);

/*
 * Runs the payroll of rq->scheme for rq->period: every person with an active enrolment in the
 * scheme over the period is decided on the as_of day through the batch path; a payable
 * decision (eligible, not excluded by another scheme of its group) is paid the period's
 * amount (pay_period_amount) into the person's account, or into their account_holder's when
 * they have none, and the others are listed. One original instruction per person, scheme and
 * period: a person paid before gets nothing new, except that each rejected payment is re-issued
 * once under a new id naming it. The payments go to the batch of the scheme and period not yet
 * exported, or to a new one (with the digest of what decided them), PAYROLL_GROUP to an audit
 * entry and PAYROLL_COMMIT to a transaction: run again after a kill, it ends with the payments
 * of a clean run.
 * A shock declared with a top-up of the scheme (ops/shocks.h) whose days overlap the period
 * adds, for each payable person whose district is one of its areas, a payment of the top-up
 * under the period "<period>+<shock name>": one per person, scheme, period and shock.
 * SP_BAD_INPUT for an unknown scheme or period; SP_IO.
 */
int payroll_run(struct store *store, const struct scheme_library *lib,
                const struct payroll_request *rq, payroll_list_fn list, void *ctx,
                payroll_progress_fn progress, void *progress_ctx, struct payroll_summary *sum,
                struct error *err);

enum payroll_format {
    PAYROLL_PAIN001,
    PAYROLL_CSV,
};

/* Who pays, for a pain.001's header. */
struct payroll_payer {
    const char *name;    /* Dbtr and InitgPty; NULL: the scheme's name */
    const char *account; /* DbtrAcct; NULL: "NOTPROVIDED" */
    const char *agent;   /* DbtrAgt BIC; NULL: not given */
};

/*
 * Writes batch `batch` to path (temp and rename) as a bank file: its payments that are created
 * or exported (the bank has not answered for them), by id, with the same EndToEndIds each time;
 * then marks the created ones exported on `today` and the batch exported, in one transaction.
 * *count gets the payments written. SP_BAD_INPUT for an unknown batch or one with nothing to
 * pay; SP_USAGE for a path refused; SP_IO.
 */
int payroll_export(struct store *store, const struct scheme_library *lib, const char *batch,
                   enum payroll_format format, const struct payroll_payer *payer, const char *path,
                   int32_t today, int64_t *count, struct error *err);

/* What reconcile found. */
struct payroll_reconcile_summary {
    char batch[PAYMENT_BATCH_SIZE];               /* the batch a pain.002 answers ("" for a CSV) */
    int64_t lines;                                /* statuses read */
    int64_t accepted, rejected, settled, pending; /* moved (pending: nothing to move) */
    int64_t unchanged;                            /* already in that state */
    int64_t problems;                             /* unknown, duplicate, mismatched, refused */
    int64_t claims_paid;                          /* claims moved to paid (their payment settled) */
};

/* Receives one problem of a status file ("file:line: ..."). */
typedef int (*payroll_problem_fn)(void *ctx, const char *problem);

/*
 * Reads a status file at path, a pain.002.001.10 or a CSV (end_to_end_id,status,amount,reason;
 * status ACCP, ACSC, RJCT ... or accepted, settled, rejected), and moves each payment it names
 * to accepted, rejected or settled on `today`, in one transaction; a settled payment of an
 * approved claim (PAYROLL_CLAIM_PERIOD) moves the claim to paid, by `actor`, in it too. Every
 * unknown id, duplicate, amount that does not match and move the states do not allow is
 * reported to problem, and then nothing is applied: SP_BAD_INPUT. A malformed file, or a
 * pain.002 for a message spfloor did not write, is SP_BAD_INPUT naming the line or the id;
 * nothing is changed.
 */
int payroll_reconcile(struct store *store, const char *path, int32_t today, const char *actor,
                      payroll_problem_fn problem, void *ctx, struct payroll_reconcile_summary *sum,
                      struct error *err);

/* A batch with its totals, for listing. */
struct payroll_batch_totals {
    struct payment_batch batch;
    int64_t count[PAYMENT_STATES];  /* payments in each state */
    int64_t amount[PAYMENT_STATES]; /* and their sums */
    char currency[CURRENCY_CODE_SIZE];
};

typedef int (*payroll_batch_fn)(void *ctx, const struct payroll_batch_totals *t);

/* Visits every batch by id with its totals. SP_IO. */
int payroll_batches(struct store *store, payroll_batch_fn visit, void *ctx, struct error *err);

/* One person's payments for a statement, and their totals. */
struct payroll_statement {
    struct person person;
    struct payment *payments; /* by period's day made, then id; n of them (owned) */
    int64_t n;
    int64_t paid, pending, failed; /* sums: settled; created, exported or accepted; rejected
                                      or cancelled (one currency: the first's) */
    char currency[CURRENCY_CODE_SIZE];
};

/*
 * Gathers the payments of person `id` (a worker ID, printed or not) made in `year` (0: every
 * year), for `spfloor statement`. The caller releases *out with payroll_statement_release.
 * SP_BAD_INPUT when no such person is registered; SP_IO.
 */
int payroll_statement(struct store *store, const char *id, int year, struct payroll_statement *out,
                      struct error *err);
void payroll_statement_release(struct payroll_statement *s); /* accepts a zeroed one */

#endif
