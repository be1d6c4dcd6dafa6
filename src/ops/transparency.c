/*
 * transparency.c: the registry in aggregate (transparency.h).
 */
#include "ops/transparency.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "model/person.h"

struct counting {
    struct store *store;
    struct transparency *t;
    /* the persons with an enrolment not ended, by worker ID (read first, sorted) */
    char (*enrolled)[PERSON_ID_SIZE];
    size_t n_enrolled, cap;
};

static int compare_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int note_enrolment(void *ctx, const struct enrolment_record *r)
{
    struct counting *c = ctx;
    if (r->state == ENROLMENT_ENDED)
        return 0;
    if (c->n_enrolled > 0 && strcmp(c->enrolled[c->n_enrolled - 1], r->e.person) == 0)
        return 0; /* the same person's other scheme */
    if (c->n_enrolled == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 1024;
        void *grown = realloc(c->enrolled, cap * sizeof *c->enrolled);
        if (grown == NULL)
            return SP_IO;
        c->enrolled = grown;
        c->cap = cap;
    }
    text_copy(c->enrolled[c->n_enrolled++], PERSON_ID_SIZE, r->e.person);
    return 0;
}

static void add(struct transparency_row *row, const struct person *p, int32_t on, int enrolled)
{
    row->persons++;
    row->women += p->sex == SEX_FEMALE;
    row->under_35 += p->birth_date != DATE_NONE && date_age_years(p->birth_date, on) < 35;
    row->enrolled += enrolled;
}

static int count_one(void *ctx, const struct person *p)
{
    struct counting *c = ctx;
    struct transparency *t = c->t;
    struct person_mark m;
    struct error err;
    error_init(&err);
    if (store_person_mark_get(c->store, p->id, &m, &err) != SP_OK)
        return SP_IO;
    if (m.kind == PERSON_MARK_MERGED ||
        (m.kind == PERSON_MARK_DECEASED && m.date != DATE_NONE && m.date <= t->on))
        return 0;
    int enrolled = c->n_enrolled > 0 && bsearch(p->id, c->enrolled, c->n_enrolled,
                                                sizeof *c->enrolled, compare_ids) != NULL;
    int i = 0;
    while (i < t->n && strcmp(t->rows[i].country, p->country) != 0)
        i++;
    if (i == t->n && t->n < TRANSPARENCY_COUNTRIES) {
        text_copy(t->rows[i].country, sizeof t->rows[i].country, p->country);
        t->n++;
    } else if (i == t->n) {
        i = TRANSPARENCY_COUNTRIES; /* the others */
    }
    add(&t->rows[i], p, t->on, enrolled);
    add(&t->total, p, t->on, enrolled);
    return 0;
}

static int by_country(const void *a, const void *b)
{
    return strcmp(((const struct transparency_row *)a)->country,
                  ((const struct transparency_row *)b)->country);
}

int transparency_count(struct store *store, int32_t on, struct transparency *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    out->on = on;
    struct counting c = {store, out, NULL, 0, 0};
    int rc = store_enrolments_each(store, NULL, note_enrolment, &c, err);
    if (rc == SP_OK && c.n_enrolled > 1)
        qsort(c.enrolled, c.n_enrolled, sizeof *c.enrolled, compare_ids);
    if (rc == SP_OK)
        rc = store_person_each(store, count_one, &c, err);
    free(c.enrolled);
    if (rc != SP_OK)
        return error_set(err, SP_IO, "counting the registry failed");
    qsort(out->rows, (size_t)out->n, sizeof out->rows[0], by_country);
    if (out->rows[TRANSPARENCY_COUNTRIES].persons > 0)
        out->rows[out->n++] = out->rows[TRANSPARENCY_COUNTRIES];
    return SP_OK;
}
