/*
 * payment_row.h: payments and payroll batches as the drivers store them
 * (migrations/<dialect>/0012): every column as text, in the order of PAYMENT_COLUMNS and
 * PAYMENT_BATCH_COLUMNS, so both drivers read and write them alike.
 */
#ifndef SPFLOOR_STORE_PAYMENT_ROW_H
#define SPFLOOR_STORE_PAYMENT_ROW_H

#include "base/date.h"
#include "model/payment.h"

#define PAYMENT_COLUMNS                                                                            \
    "serial, id, batch, scheme, period, amount, currency, account, holder, creditor, state, "      \
    "created_on, exported_on, accepted_on, rejected_on, settled_on, cancelled_on, reissue_of, "    \
    "status_reason"
#define PAYMENT_TEXTS      18 /* the columns after serial */
#define PAYMENT_REISSUE_OF 16 /* reissue_of's place among them ("" is stored as NULL) */

#define PAYMENT_BATCH_COLUMNS "id, scheme, period, as_of, digest, created_at, exported_at, actor"
#define PAYMENT_BATCH_TEXTS   8

/* Room for the texts encode makes that point into neither p nor b. */
struct payment_row_room {
    char amount[24];
    char days[PAYMENT_STATES][DATE_TEXT_SIZE];
};

/* The texts of p's columns after serial, in order; they point into p and room. */
void payment_row_encode(const struct payment *p, struct payment_row_room *room,
                        const char *texts[PAYMENT_TEXTS]);

/* Reads the columns after serial into p (person ""). Cannot fail: what does not read is 0,
 * DATE_NONE or "". */
void payment_row_decode(const char *const texts[PAYMENT_TEXTS], struct payment *p);

/* Marks added[i] for the payment i of n (serials[i], p[i]) with this serial and id that is not
 * marked yet, looking from *at on and then from 0 (rows a statement returns come mostly in the
 * order given); *at moves past it. Nothing when there is none. */
void payment_row_mark_added(const int64_t *serials, const struct payment *p, int n, int64_t serial,
                            const char *id, int *added, int *at);

void payment_batch_row_encode(const struct payment_batch *b, char as_of[DATE_TEXT_SIZE],
                              const char *texts[PAYMENT_BATCH_TEXTS]);
void payment_batch_row_decode(const char *const texts[PAYMENT_BATCH_TEXTS],
                              struct payment_batch *b);

#endif
