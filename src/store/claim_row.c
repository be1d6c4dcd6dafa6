/*
 * claim_row.c: claims and grievances to and from their stored columns (claim_row.h).
 */
#include "store/claim_row.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

/* n as text into out; "" when n is `none`. */
static const char *number(int64_t n, int64_t none, char out[24])
{
    out[0] = '\0';
    if (n != none)
        snprintf(out, 24, "%lld", (long long)n);
    return out;
}

/* A day as text into out; "" for DATE_NONE. */
static const char *day(int32_t d, char out[24])
{
    out[0] = '\0';
    if (d != DATE_NONE)
        date_format(d, out);
    return out;
}

static int64_t number_of(const char *text, int64_t none)
{
    long long n = 0;
    return text[0] != '\0' && text_parse_int64(text, &n) ? (int64_t)n : none;
}

static int32_t day_of(const char *text)
{
    int32_t d = DATE_NONE;
    if (text[0] == '\0' || date_parse(text, &d, NULL) != SP_OK)
        return DATE_NONE;
    return d;
}

void claim_row_encode(const struct claim *c, struct claim_row_scratch *sc,
                      const char *texts[CLAIM_TEXTS])
{
    texts[0] = number(c->id, INT64_MIN, sc->number[0]);
    texts[1] = c->scheme;
    texts[2] = c->event_type;
    texts[3] = day(c->event_date, sc->number[1]);
    texts[4] = claim_state_name(c->state);
    texts[5] = c->decision;
    texts[6] = c->has_amount ? number(c->amount, INT64_MIN, sc->number[2]) : "";
    texts[7] = c->currency;
    texts[8] = c->per;
    texts[9] = number(c->days, -1, sc->number[3]);
    texts[10] = number(c->paid, -1, sc->number[4]);
    texts[11] = c->fields;
    texts[12] = c->explanation;
    texts[13] = c->missing;
    texts[14] = c->filed_at;
    texts[15] = c->actor;
}

void claim_row_decode(const char *const texts[CLAIM_TEXTS], struct claim *c)
{
    memset(c, 0, sizeof *c);
    c->id = number_of(texts[0], 0);
    text_copy(c->scheme, sizeof c->scheme, texts[1]);
    text_copy(c->event_type, sizeof c->event_type, texts[2]);
    c->event_date = day_of(texts[3]);
    c->state = (uint8_t)claim_state_parse(texts[4]);
    text_copy(c->decision, sizeof c->decision, texts[5]);
    c->has_amount = texts[6][0] != '\0';
    c->amount = number_of(texts[6], 0);
    text_copy(c->currency, sizeof c->currency, texts[7]);
    text_copy(c->per, sizeof c->per, texts[8]);
    c->days = (int32_t)number_of(texts[9], -1);
    c->paid = number_of(texts[10], -1);
    text_copy(c->fields, sizeof c->fields, texts[11]);
    text_copy(c->explanation, sizeof c->explanation, texts[12]);
    text_copy(c->missing, sizeof c->missing, texts[13]);
    text_copy(c->filed_at, sizeof c->filed_at, texts[14]);
    text_copy(c->actor, sizeof c->actor, texts[15]);
}

void claim_step_row_encode(const struct claim_step *st, struct claim_row_scratch *sc,
                           const char *texts[CLAIM_STEP_TEXTS])
{
    texts[0] = number(st->claim, INT64_MIN, sc->number[0]);
    texts[1] = number(st->seq, INT64_MIN, sc->number[1]);
    texts[2] = claim_state_name(st->from);
    texts[3] = claim_state_name(st->to);
    texts[4] = day(st->on_date, sc->number[2]);
    texts[5] = number(st->amount, -1, sc->number[3]);
    texts[6] = st->at;
    texts[7] = st->actor;
    texts[8] = st->reason;
}

void claim_step_row_decode(const char *const texts[CLAIM_STEP_TEXTS], struct claim_step *st)
{
    memset(st, 0, sizeof *st);
    st->claim = number_of(texts[0], 0);
    st->seq = (int)number_of(texts[1], 0);
    st->from = (uint8_t)claim_state_parse(texts[2]);
    st->to = (uint8_t)claim_state_parse(texts[3]);
    st->on_date = day_of(texts[4]);
    st->amount = number_of(texts[5], -1);
    text_copy(st->at, sizeof st->at, texts[6]);
    text_copy(st->actor, sizeof st->actor, texts[7]);
    text_copy(st->reason, sizeof st->reason, texts[8]);
}

void claim_evidence_row_encode(const struct claim_evidence *e, struct claim_row_scratch *sc,
                               const char *texts[CLAIM_EVIDENCE_TEXTS])
{
    texts[0] = number(e->claim, INT64_MIN, sc->number[0]);
    texts[1] = e->sha256;
    texts[2] = e->file_name;
    texts[3] = e->added_at;
    texts[4] = e->actor;
}

void claim_evidence_row_decode(const char *const texts[CLAIM_EVIDENCE_TEXTS],
                               struct claim_evidence *e)
{
    memset(e, 0, sizeof *e);
    e->claim = number_of(texts[0], 0);
    text_copy(e->sha256, sizeof e->sha256, texts[1]);
    text_copy(e->file_name, sizeof e->file_name, texts[2]);
    text_copy(e->added_at, sizeof e->added_at, texts[3]);
    text_copy(e->actor, sizeof e->actor, texts[4]);
}

void grievance_row_encode(const struct grievance *g, struct claim_row_scratch *sc,
                          const char *texts[GRIEVANCE_TEXTS])
{
    texts[0] = number(g->id, INT64_MIN, sc->number[0]);
    texts[1] = grievance_about_name(g->about);
    texts[2] = g->ref;
    texts[3] = g->text;
    texts[4] = grievance_state_name(g->state);
    texts[5] = g->level;
    texts[6] = day(g->opened_on, sc->number[1]);
    texts[7] = day(g->level_since, sc->number[2]);
    texts[8] = day(g->deadline, sc->number[3]);
    texts[9] = day(g->resolved_on, sc->number[4]);
    texts[10] = g->resolution;
    texts[11] = g->opened_at;
    texts[12] = g->actor;
}

void grievance_row_decode(const char *const texts[GRIEVANCE_TEXTS], struct grievance *g)
{
    memset(g, 0, sizeof *g);
    g->id = number_of(texts[0], 0);
    g->about = (uint8_t)grievance_about_parse(texts[1]);
    text_copy(g->ref, sizeof g->ref, texts[2]);
    text_copy(g->text, sizeof g->text, texts[3]);
    g->state = (uint8_t)grievance_state_parse(texts[4]);
    text_copy(g->level, sizeof g->level, texts[5]);
    g->opened_on = day_of(texts[6]);
    g->level_since = day_of(texts[7]);
    g->deadline = day_of(texts[8]);
    g->resolved_on = day_of(texts[9]);
    text_copy(g->resolution, sizeof g->resolution, texts[10]);
    text_copy(g->opened_at, sizeof g->opened_at, texts[11]);
    text_copy(g->actor, sizeof g->actor, texts[12]);
}

void grievance_step_row_encode(const struct grievance_step *st, struct claim_row_scratch *sc,
                               const char *texts[GRIEVANCE_STEP_TEXTS])
{
    texts[0] = number(st->grievance, INT64_MIN, sc->number[0]);
    texts[1] = number(st->seq, INT64_MIN, sc->number[1]);
    texts[2] = st->action;
    texts[3] = st->level;
    texts[4] = day(st->on_date, sc->number[2]);
    texts[5] = day(st->deadline, sc->number[3]);
    texts[6] = st->at;
    texts[7] = st->actor;
    texts[8] = st->reason;
}

void grievance_step_row_decode(const char *const texts[GRIEVANCE_STEP_TEXTS],
                               struct grievance_step *st)
{
    memset(st, 0, sizeof *st);
    st->grievance = number_of(texts[0], 0);
    st->seq = (int)number_of(texts[1], 0);
    text_copy(st->action, sizeof st->action, texts[2]);
    text_copy(st->level, sizeof st->level, texts[3]);
    st->on_date = day_of(texts[4]);
    st->deadline = day_of(texts[5]);
    text_copy(st->at, sizeof st->at, texts[6]);
    text_copy(st->actor, sizeof st->actor, texts[7]);
    text_copy(st->reason, sizeof st->reason, texts[8]);
}

int claim_row_visit(void *walk, int64_t serial, const char *const *texts)
{
    struct claim_row_walk *w = walk;
    struct claim c;
    claim_row_decode(texts, &c);
    return w->claim(w->ctx, serial, &c);
}

int claim_step_row_visit(void *walk, int64_t serial, const char *const *texts)
{
    (void)serial;
    struct claim_row_walk *w = walk;
    struct claim_step st;
    claim_step_row_decode(texts, &st);
    return w->claim_step(w->ctx, &st);
}

int claim_evidence_row_visit(void *walk, int64_t serial, const char *const *texts)
{
    (void)serial;
    struct claim_row_walk *w = walk;
    struct claim_evidence e;
    claim_evidence_row_decode(texts, &e);
    return w->claim_evidence(w->ctx, &e);
}

int grievance_row_visit(void *walk, int64_t serial, const char *const *texts)
{
    struct claim_row_walk *w = walk;
    struct grievance g;
    grievance_row_decode(texts, &g);
    return w->grievance(w->ctx, serial, &g);
}

int grievance_step_row_visit(void *walk, int64_t serial, const char *const *texts)
{
    (void)serial;
    struct claim_row_walk *w = walk;
    struct grievance_step st;
    grievance_step_row_decode(texts, &st);
    return w->grievance_step(w->ctx, &st);
}
