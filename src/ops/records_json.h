/*
 * records_json.h: a person's records as JSON, the same for `spfloor ... --json` and the web's
 * /api/v1: claims, grievances, payments and the contributions ledger. Field names are the
 * CLI's; money is a decimal string with its currency, days are YYYY-MM-DD.
 */
#ifndef SPFLOOR_OPS_RECORDS_JSON_H
#define SPFLOOR_OPS_RECORDS_JSON_H

#include <jansson.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/claim.h"
#include "model/grievance.h"
#include "model/payment.h"
#include "ops/contributions.h"

/* A new JSON object for each record (the caller owns it), or NULL when out of memory. */
json_t *records_claim_json(const struct claim *c);
json_t *records_grievance_json(const struct grievance *g);
json_t *records_payment_json(const struct payment *p);

/*
 * Appends the ledger h of person id as `spfloor contributions ID --json` prints it: its
 * entries, its totals per scheme, and `qualifying` (contributions_qualifying's text). SP_IO
 * when out is full.
 */
int records_contributions_json(const char *id, const struct contributions_history *h,
                               const char *qualifying, struct buf *out, struct error *err);

#endif
