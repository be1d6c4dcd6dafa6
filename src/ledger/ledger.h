/*
 * ledger.h: the contributions ledger's arithmetic (docs/contributions.md), pure: no database,
 * no rules engine. Entries are model/contribution.h's struct contribution_entry; ops/ books
 * them (the rules engine computes the parts) and the store keeps them.
 *
 * The ledger is append-only. An entry stands until a reversing entry cancels it; a correction
 * is that reversal and a new entry. The functions here say which entries stand, when a month
 * was due and how late it was paid, whether a row imported again books what is booked already,
 * and what a person's entries add up to per scheme.
 */
#ifndef SPFLOOR_LEDGER_LEDGER_H
#define SPFLOOR_LEDGER_LEDGER_H

#include <stdint.h>

#include "base/error.h"
#include "base/money.h"
#include "model/contribution.h"

/* The day a month's contribution is due: day `due_day` (1-31) of the next month, or the last
 * day of that month when it is shorter. DATE_NONE when due_day is not 1-31. */
int32_t ledger_due_date(int32_t month, int due_day);

/* Days after its due day that e was paid: > 0 late, 0 on time; 0 too when either day is not
 * known (e->due or e->paid_on DATE_NONE). */
int32_t ledger_days_late(const struct contribution_entry *e);

/* paid - total when the payer said what it paid (e->paid >= 0): < 0 underpaid (arrears),
 * > 0 overpaid; 0 when it did not say. */
int64_t ledger_difference(const struct contribution_entry *e);

/* 1 if a and b book the same thing: the same person, scheme, month and employer, the same
 * wage or income given, the same payment said and the same kind (a file imported again);
 * 0 if they differ in any of those (a correction, which needs a reversal first). */
int ledger_same_booking(const struct contribution_entry *a, const struct contribution_entry *b);

/* 1 if a and b are for the same person, scheme, month and employer: at most one such entry
 * stands at a time. */
int ledger_same_slot(const struct contribution_entry *a, const struct contribution_entry *b);

/* Fills *out as the entry that reverses e: the same slot with every amount negated, reverses
 * = e->id, the reason given (may be NULL), id 0 (not booked yet); actor and recorded_at are
 * left "" for the booking to fill. */
void ledger_reversal(const struct contribution_entry *e, const char *reason,
                     struct contribution_entry *out);

/*
 * Says which of n entries stand: stands[i] = 0 for a reversing entry and for an entry some
 * reversing entry among them cancels, 1 otherwise. The entries may be in any order (their ids
 * are unique). O(n log n). SP_IO when out of memory (stands is then unchanged).
 */
int ledger_standing(const struct contribution_entry *e, int n, uint8_t *stands, struct error *err);

/* What one person's standing entries in one scheme add up to (ledger_sum). */
struct ledger_total {
    char scheme[SCHEME_ID_SIZE];
    char currency[CURRENCY_CODE_SIZE];
    int months;          /* distinct months with a standing entry */
    int32_t first, last; /* the first and last such month (month numbers) */
    int64_t wage;        /* the sum of the booked wage bases (salary credits) */
    int64_t parts[3];    /* employee, employer, state */
    int64_t total;       /* the sum of the parts */
    int64_t paid;        /* the sum paid, over the entries whose payer said it */
    int64_t said;        /* the sum owed over those same entries */
    int late;            /* entries paid after their due day */
    int voluntary;       /* voluntary entries */
};

/*
 * Sums the standing entries of e (stands[i] as ledger_standing gives it; all of one person)
 * per scheme into *out (*n_out totals, in order of each scheme's first entry). The caller
 * frees *out with sp_free. SP_BAD_INPUT when one scheme's entries are in two currencies;
 * SP_IO when out of memory; an overflowing sum is SP_BAD_INPUT naming the scheme.
 */
int ledger_sum(const struct contribution_entry *e, int n, const uint8_t *stands,
               struct ledger_total **out, int *n_out, struct error *err);

#endif
