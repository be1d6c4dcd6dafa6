/*
 * audit_verify.c: the audit chain, entry by entry (audit_verify.h).
 */
#include "ops/audit_verify.h"

#include <stdio.h>
#include <string.h>

struct walk {
    const struct audit_key *key;
    struct audit_verdict *v;
};

static int check(void *ctx, const struct audit_entry *e)
{
    struct walk *w = ctx;
    struct audit_verdict *v = w->v;
    int64_t expected = v->last.seq + 1;
    v->entries++;
    if (e->seq != expected) {
        v->first_bad = e->seq > expected ? expected : e->seq;
        snprintf(v->why, sizeof v->why,
                 e->seq > expected ? "entry %lld is missing: removed (the next is %lld)"
                                   : "entry %lld comes again or out of order (after %lld)",
                 (long long)(e->seq > expected ? expected : e->seq),
                 (long long)(e->seq > expected ? e->seq : v->last.seq));
        return 1;
    }
    char mac[AUDIT_HEX_SIZE];
    audit_mac(w->key, v->last.seq > 0 ? v->last.mac : "", e, mac);
    if (strcmp(mac, e->mac) != 0) {
        v->first_bad = e->seq;
        snprintf(v->why, sizeof v->why, "entry %lld does not match its MAC: it was altered%s",
                 (long long)e->seq,
                 e->seq == 1 ? ", or the key is not the one the log was written with" : "");
        return 1;
    }
    v->last = *e;
    return 0;
}

int audit_verify(struct store *store, const struct audit_key *key, struct audit_verdict *v,
                 struct error *err)
{
    memset(v, 0, sizeof *v);
    struct walk w = {key, v};
    int rc = store_audit_each(store, NULL, check, &w, err);
    return rc == 1 ? SP_OK : rc;
}
