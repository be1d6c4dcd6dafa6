/*
 * dedup_scan.c: likely duplicates in the registry (dedup_scan.h).
 */
#include "ops/dedup_scan.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/ids.h"
#include "base/text.h"
#include "registry/name_latin.h"

#define READ_PROGRESS_EVERY 100000 /* persons read between progress calls */
#define CHECK_CANDIDATES    200    /* persons the check of one new person reads, per search */

/* ---- reviews and marks: pairs not to report ---- */

struct reviewed_pair {
    const char *other; /* the worker ID looked for */
    int found;
};

static int find_review(void *ctx, const struct person_change *c)
{
    struct reviewed_pair *r = ctx;
    if (strcmp(c->field, DEDUP_FIELD_NOT_DUPLICATE) == 0 && strcmp(c->new_value, r->other) == 0)
        r->found = 1;
    return 0;
}

/* 1 if a clerk recorded that a and b are different persons (on either record). */
static int reviewed(struct store *s, const char *a, const char *b, struct error *err)
{
    struct reviewed_pair r = {b, 0};
    if (store_person_changes(s, a, find_review, &r, err) != SP_OK)
        return -1;
    if (!r.found) {
        r.other = a;
        if (store_person_changes(s, b, find_review, &r, err) != SP_OK)
            return -1;
    }
    return r.found;
}

/* 1 if the record is marked (merged into another, or deceased). */
static int marked(struct store *s, const char *id, struct error *err)
{
    struct person_mark m;
    if (store_person_mark_get(s, id, &m, err) != SP_OK)
        return -1;
    return m.kind != PERSON_MARK_NONE;
}

/* 1 if the pair a, b is to be reported; 0 if not; -1 on error. */
static int reportable(struct store *s, const char *a, const char *b, struct error *err)
{
    int x = marked(s, a, err);
    if (x != 0)
        return x < 0 ? -1 : 0;
    x = marked(s, b, err);
    if (x != 0)
        return x < 0 ? -1 : 0;
    x = reviewed(s, a, b, err);
    return x < 0 ? -1 : !x;
}

/* ---- the scan ---- */

struct scan {
    struct store *s;
    const struct dedup_scan_options *o;
    struct dedup_record *records;
    size_t n, cap;
    dedup_found_fn visit;
    struct error *err;
    int failed; /* SP_IO when reading or checking failed (err set) */
};

static int read_record(void *ctx, const struct person *p)
{
    struct scan *sc = ctx;
    if (sc->o->country != NULL && strcmp(p->country, sc->o->country) != 0)
        return 0;
    if (sc->n == sc->cap) {
        size_t cap = sc->cap ? 2 * sc->cap : 65536;
        struct dedup_record *grown = sp_realloc(sc->records, cap * sizeof *grown);
        if (grown == NULL) {
            sc->failed = error_nomem(sc->err);
            return SP_IO;
        }
        sc->records = grown;
        sc->cap = cap;
    }
    char digits[WORKER_ID_SIZE];
    long long serial = 0;
    if (worker_id_parse(p->id, digits, NULL) == SP_OK) {
        digits[WORKER_ID_SIZE - 2] = '\0'; /* the serial: the ID without its check digit */
        text_parse_int64(digits, &serial);
    }
    dedup_record_of(p, serial, &sc->records[sc->n++]);
    if (sc->o->progress != NULL && sc->n % READ_PROGRESS_EVERY == 0)
        sc->o->progress(sc->o->ctx, (int64_t)sc->n, 0.0);
    return 0;
}

static void scan_progress(void *ctx, double done)
{
    struct scan *sc = ctx;
    if (sc->o->progress != NULL)
        sc->o->progress(sc->o->ctx, (int64_t)sc->n, done);
}

static int found_pair(void *ctx, const struct dedup_pair *pair)
{
    struct scan *sc = ctx;
    struct dedup_found f;
    const struct dedup_record *a = pair->a, *b = pair->b;
    if (a->serial > b->serial) {
        a = pair->b;
        b = pair->a;
    }
    if (worker_id_format(a->serial, f.a, sc->err) != SP_OK ||
        worker_id_format(b->serial, f.b, sc->err) != SP_OK) {
        sc->failed = SP_IO;
        return SP_IO;
    }
    int ok = reportable(sc->s, f.a, f.b, sc->err);
    if (ok < 0) {
        sc->failed = SP_IO;
        return SP_IO;
    }
    if (!ok)
        return 0;
    f.ra = a;
    f.rb = b;
    f.score = pair->score;
    f.agree = pair->agree;
    f.differ = pair->differ;
    return sc->visit(sc->o->ctx, &f);
}

int dedup_scan_registry(struct store *s, const struct dedup_scan_options *o, dedup_found_fn visit,
                        struct dedup_stats *stats, struct error *err)
{
    memset(stats, 0, sizeof *stats);
    struct scan sc = {s, o, NULL, 0, 0, visit, err, SP_OK};
    int rc = store_person_each(s, read_record, &sc, err);
    if (rc == SP_OK)
        rc = dedup_scan(sc.records, sc.n, o->threshold, found_pair, scan_progress, &sc, stats);
    if (rc != SP_OK && sc.failed != SP_OK)
        rc = sc.failed;
    sp_free(sc.records);
    name_latin_release();
    return rc;
}

/* ---- one new person ---- */

struct check {
    struct store *s;
    const struct dedup_record *new_record;
    double threshold;
    const char *const *reviewed;
    int n_reviewed;
    dedup_found_fn visit;
    void *ctx;
    char seen[2 * CHECK_CANDIDATES][PERSON_ID_SIZE];
    int n_seen;
    struct error *err;
    int failed;
};

static int check_candidate(void *ctx, const struct person *p)
{
    struct check *c = ctx;
    for (int i = 0; i < c->n_seen; i++)
        if (strcmp(c->seen[i], p->id) == 0)
            return 0;
    if (c->n_seen < 2 * CHECK_CANDIDATES)
        text_copy(c->seen[c->n_seen++], sizeof c->seen[0], p->id);
    for (int i = 0; i < c->n_reviewed; i++) {
        char digits[WORKER_ID_SIZE];
        if (worker_id_parse(c->reviewed[i], digits, NULL) == SP_OK && strcmp(digits, p->id) == 0)
            return 0;
    }
    struct dedup_record r;
    dedup_record_of(p, 0, &r);
    struct dedup_found f;
    f.score = dedup_score(c->new_record, &r, &f.agree, &f.differ);
    if (f.score < c->threshold)
        return 0;
    int m = marked(c->s, p->id, c->err);
    if (m != 0) {
        c->failed = m < 0 ? SP_IO : SP_OK;
        return m < 0 ? SP_IO : 0;
    }
    f.a[0] = '\0';
    text_copy(f.b, sizeof f.b, p->id);
    f.ra = c->new_record;
    f.rb = &r;
    return c->visit(c->ctx, &f);
}

int dedup_check_person(struct store *s, const struct person *p, double threshold,
                       const char *const *reviewed, int n, dedup_found_fn visit, void *ctx,
                       struct error *err)
{
    struct dedup_record mine;
    dedup_record_of(p, 0, &mine);
    struct check *c = sp_calloc(1, sizeof *c);
    if (c == NULL)
        return error_nomem(err);
    *c = (struct check){s, &mine, threshold, reviewed, n, visit, ctx, {{0}}, 0, err, SP_OK};
    /* by both names' skeletons (typos aside: the scan finds those), then by phone */
    char text[2 * DEDUP_NAME_SIZE + 2];
    snprintf(text, sizeof text, "%s %s", mine.given_skel, mine.family_skel);
    int rc = store_person_find(s, text, NULL, CHECK_CANDIDATES, 0, check_candidate, c, err);
    if (rc == SP_OK && p->phone[0] != '\0')
        rc = store_person_find(s, p->phone, NULL, CHECK_CANDIDATES, 0, check_candidate, c, err);
    if (rc != SP_OK && c->failed != SP_OK)
        rc = c->failed;
    sp_free(c);
    return rc;
}

int dedup_record_review(struct store *s, const char *id, const char *other,
                        const struct store_edit *edit, struct error *err)
{
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(other, digits, err) != SP_OK)
        return SP_BAD_INPUT;
    return store_person_note(s, id, DEDUP_FIELD_NOT_DUPLICATE, digits, edit, err);
}
