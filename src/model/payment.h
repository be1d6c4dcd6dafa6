/*
 * payment.h: payment instructions and the batches a payroll run makes of them
 * (docs/payroll.md). Plain data: no heap. The rules for them (which state may follow which,
 * how ids are made, the bank files) are in pay/.
 */
#ifndef SPFLOOR_MODEL_PAYMENT_H
#define SPFLOOR_MODEL_PAYMENT_H

#include <stdint.h>

#include "base/date.h"
#include "base/money.h"
#include "model/person.h"
#include "model/person_change.h"
#include "model/scheme_ref.h"

#define PAYMENT_ID_SIZE     24  /* an instruction id: "I" and 16 hex digits, and the NUL */
#define PAYMENT_BATCH_SIZE  36  /* a batch id ("PAY-000001"), also its bank file's MsgId */
#define PAYMENT_PERIOD_SIZE 24  /* "2081/82-Q1", "2025-03", "2025-03/2", "once" */
#define PAYMENT_REASON_SIZE 128 /* the bank's status reason */
#define PAYMENT_NAME_SIZE   (2 * PERSON_NAME_SIZE)
#define PAYMENT_DIGEST_SIZE 65 /* 64 hex digits and the NUL */

/* Where a payment stands; the order is the stored one (payment_state_name). */
enum payment_state {
    PAYMENT_CREATED,
    PAYMENT_EXPORTED,
    PAYMENT_ACCEPTED,
    PAYMENT_REJECTED,
    PAYMENT_SETTLED,
    PAYMENT_CANCELLED,
    PAYMENT_STATES
};

struct payment {
    char id[PAYMENT_ID_SIZE];       /* the instruction id */
    char batch[PAYMENT_BATCH_SIZE]; /* the batch it was created in */
    char person[PERSON_ID_SIZE];    /* the beneficiary's worker ID */
    char scheme[SCHEME_ID_SIZE];
    char period[PAYMENT_PERIOD_SIZE];
    int64_t amount; /* minor units of currency */
    char currency[CURRENCY_CODE_SIZE];
    char account[PERSON_ACCOUNT_SIZE]; /* where it is paid */
    char holder[PERSON_ID_SIZE];       /* the account's holder, when not the beneficiary */
    char creditor[PAYMENT_NAME_SIZE];  /* the account holder's name, as the bank gets it */
    enum payment_state state;
    int32_t on[PAYMENT_STATES];              /* the day it entered each state, DATE_NONE if not */
    char reissue_of[PAYMENT_ID_SIZE];        /* the rejected instruction it replaces, or "" */
    char status_reason[PAYMENT_REASON_SIZE]; /* the bank's reason (a rejection's code), or "" */
};

/* One run of a payroll for a scheme and period, and what it was computed from. */
struct payment_batch {
    char id[PAYMENT_BATCH_SIZE];
    char scheme[SCHEME_ID_SIZE];
    char period[PAYMENT_PERIOD_SIZE];
    int32_t as_of;                        /* the day the decisions were made on */
    char digest[PAYMENT_DIGEST_SIZE];     /* of the scheme library, parameters and overlays */
    char created_at[DATE_TIME_UTC_SIZE];  /* when, UTC */
    char exported_at[DATE_TIME_UTC_SIZE]; /* when first exported, or "" */
    char actor[PERSON_ACTOR_SIZE];        /* who ran it */
};

/* "created", "exported", "accepted", "rejected", "settled", "cancelled"; "" for another. */
const char *payment_state_name(int state);

/* The state named `name`, or -1. */
int payment_state_parse(const char *name);

#endif
