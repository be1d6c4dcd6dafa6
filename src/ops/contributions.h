/*
 * contributions.h: the contributions ledger's use cases (docs/contributions.md): booking a
 * file of monthly contributions, reversing an entry, and one person's history with their
 * qualifying status.
 *
 * Booking decides each row's contribution scheme for the person on the month with the rules
 * engine, as `evaluate` would with the row's wage (or declared income): the scheme must cover
 * the person that month, and the booked wage base is the wage clamped to the scheme's floor
 * and cap then in force, with the employee, employer and state parts computed from the dated
 * rates. The ledger itself is ledger/ledger.h's arithmetic over what the store keeps.
 */
#ifndef SPFLOOR_OPS_CONTRIBUTIONS_H
#define SPFLOOR_OPS_CONTRIBUTIONS_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "ledger/ledger.h"
#include "rules/scheme.h"
#include "store/store.h"

#define CONTRIBUTIONS_BATCH    10000 /* rows booked per transaction by default */
#define CONTRIBUTIONS_PROBLEMS 100   /* problems a failed import lists (the count is whole) */

/* Called with the rows checked (stage 0) and then the rows booked (stage 1); must not fail. */
typedef void (*contributions_progress_fn)(void *ctx, int stage, int64_t rows);

struct contributions_import {
    const char *path;       /* the CSV file (docs/contributions.md "The file") */
    int batch;              /* rows per transaction; 0: CONTRIBUTIONS_BATCH */
    int accept_differences; /* 1: book rows whose `paid` differs from the computed total,
                               keeping both (arrears or overpayment); 0: refuse them */
    const char *actor;      /* who books (needed) */
    contributions_progress_fn progress; /* may be NULL */
    void *progress_ctx;
};

struct contributions_summary {
    int64_t rows;        /* data rows read */
    int64_t booked;      /* entries booked now */
    int64_t already;     /* rows the ledger held already, exactly (an import run again) */
    int64_t differences; /* rows whose `paid` differs from the computed total */
    int64_t batches;     /* transactions committed */
    int64_t problems;    /* rows refused (then nothing is booked) */
};

/*
 * Books the rows of opt->path. The whole file is checked first, every row decided and compared
 * with the ledger; if any row is refused nothing is booked, and `problems` gets one line per
 * refused row (the first CONTRIBUTIONS_PROBLEMS, each "FILE:ROW: column: what is wrong"), the
 * count in sum->problems. Then the rows are booked in transactions of opt->batch rows, each
 * with its audit entry; a kill loses at most the transaction in progress, and running the
 * same file again books only what is missing (rows booked exactly already are counted in
 * sum->already). A row for a month the ledger holds with other amounts is refused: correct it
 * with contributions_reverse first.
 *
 * Returns SP_OK; SP_BAD_INPUT when rows were refused (or the file's header is wrong, or it does
 * not parse as CSV: the message says where); SP_CONFLICT when the only problems are months
 * booked with other amounts; SP_IO for the file, the store or memory.
 */
int contributions_import_csv(struct store *store, const struct scheme_library *lib,
                             const struct contributions_import *opt,
                             struct contributions_summary *sum, struct buf *problems,
                             struct error *err);

/*
 * Books the reversal of ledger entry `entry` of person `person` (ledger_reversal), with
 * reason (needed) and actor, in one transaction; *reversal gets the new entry's number.
 * SP_BAD_INPUT: no such person or entry, or no reason; SP_CONFLICT: the entry is a reversal
 * itself or was reversed already; SP_IO: the store.
 */
int contributions_reverse(struct store *store, const char *person, int64_t entry,
                          const char *reason, const char *actor, int64_t *reversal,
                          struct error *err);

/* One person's ledger (contributions_history). */
struct contributions_history {
    struct contribution_entry *entries; /* every entry, by number */
    uint8_t *stands;                    /* stands[i]: entry i stands (ledger_standing) */
    int n;
    struct ledger_total *totals; /* per scheme, over the standing entries */
    int n_totals;
};

/*
 * Reads the ledger of the person `id` into *h (released with contributions_history_release,
 * whatever is returned). SP_BAD_INPUT when no person has that ID; SP_IO for the store.
 */
int contributions_history(struct store *store, const char *id, struct contributions_history *h,
                          struct error *err);
void contributions_history_release(struct contributions_history *h); /* accepts NULL */

/*
 * Appends the qualifying status of the person `id` on as_of to out: for each scheme of their
 * country with qualifying conditions over the contribution history (`qualifying:`), a line
 * "<scheme id>: <status>" and under it the reasons for people of those conditions, each line
 * indented by two spaces, as the registry's facts decide them (entitlements_person_situation:
 * their events, enrolments and ledger). SP_BAD_INPUT for an unknown person; SP_IO otherwise.
 */
int contributions_qualifying(struct store *store, const struct scheme_library *lib, const char *id,
                             int32_t as_of, struct buf *out, struct error *err);

#endif
