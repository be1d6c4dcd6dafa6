/*
 * audit_verify.h: walking the audit log's chain (docs/audit.md).
 */
#ifndef SPFLOOR_OPS_AUDIT_VERIFY_H
#define SPFLOOR_OPS_AUDIT_VERIFY_H

#include <stdint.h>

#include "audit/audit.h"
#include "base/error.h"
#include "store/store.h"

struct audit_verdict {
    int64_t entries;         /* entries read */
    int64_t first_bad;       /* the first entry that breaks the chain, or 0 when none */
    char why[256];           /* what is wrong with it */
    struct audit_entry last; /* the last entry read (seq 0 when none) */
};

/*
 * Reads every entry in seq order and checks that the seqs run 1, 2, 3 ... and that each MAC
 * is the one key gives for the entry after the one before. v->first_bad names the first entry
 * altered (its MAC does not match: altered, or the key is not the one the log was written
 * with), removed (a seq is missing) or reordered (a seq out of order). Returns SP_OK whatever
 * it finds (v says); SP_IO when the store cannot be read.
 */
int audit_verify(struct store *store, const struct audit_key *key, struct audit_verdict *v,
                 struct error *err);

#endif
