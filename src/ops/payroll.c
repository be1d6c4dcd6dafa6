/*
 * payroll.c: payroll runs, bank files and reconciliation (payroll.h).
 */
#include "ops/payroll.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/outfile.h"
#include "base/text.h"
#include "ops/claims.h"
#include "ops/digest.h"
#include "ops/entitlements.h"
#include "ops/shocks.h"
#include "ops/transaction.h"
#include "pay/iso20022.h"
#include "pay/payment.h"

#define WHY_MAX        4096
#define STATUS_MAX     (256u << 20) /* bytes of a status file */
#define PROBLEMS_SHOWN 1000         /* problems a reconcile reports before it stops listing */

int payroll_schedule(const struct scheme *s, struct pay_schedule *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    out->calendar = strcmp(s->country, "NP") == 0 ? PAY_NEPAL_FISCAL : PAY_GREGORIAN;
    for (int i = 0; i < s->n_cycles && i < PAY_CYCLES_MAX; i++) {
        const struct scheme_cycle *c = &s->cycles[i];
        out->cycles[i] = (struct pay_cycle){.since = c->since,
                                            .every_months = c->every_months,
                                            .every_weeks = c->every_weeks,
                                            .times_a_month = c->times_a_month};
        out->n_cycles++;
    }
    if (out->n_cycles == 0 && s->per == PER_ONCE) {
        out->cycles[0] = (struct pay_cycle){
            .since = s->valid_from != DATE_NONE ? s->valid_from : date_from_civil(1, 1, 1),
            .once = 1};
        out->n_cycles = 1;
    }
    if (out->n_cycles == 0)
        return error_set(err, SP_BAD_INPUT,
                         "%s has no payment_cycle: the scheme file must say how often it pays "
                         "(docs/schemes.md)",
                         s->id);
    return SP_OK;
}

/* ---- the run ---- */

struct enrolled {
    char id[PERSON_ID_SIZE];
    uint8_t decided;
};

/* What a payment is for: a person and a payment period ("2081/82-Q1"; "claim-12" for a claim;
 * "2081/82-Q1+flood-2025" for a shock's top-up). due and prior begin with one. */
struct key {
    char person[PERSON_ID_SIZE];
    char period[PAYMENT_PERIOD_SIZE];
};

struct due {
    char person[PERSON_ID_SIZE];
    char period[PAYMENT_PERIOD_SIZE];
    int64_t amount;
    char account[PERSON_ACCOUNT_SIZE]; /* as the decision read them: */
    char holder[PERSON_ID_SIZE];       /* the account_holder, or "" */
    char name[PAYMENT_NAME_SIZE];      /* the person's name */
    char admin2[PERSON_PLACE_SIZE];    /* their district, for a shock's top-up */
};

struct prior {
    char person[PERSON_ID_SIZE];
    char period[PAYMENT_PERIOD_SIZE];
    char id[PAYMENT_ID_SIZE];
    char reissue_of[PAYMENT_ID_SIZE];
    enum payment_state state;
};

struct planned {
    char person[PERSON_ID_SIZE];
    char id[PAYMENT_ID_SIZE];
    char reissue_of[PAYMENT_ID_SIZE];
    int64_t amount;
    int64_t due; /* the index of what is due, in run->due */
};

struct run {
    const struct payroll_request *rq;
    const struct scheme *scheme;
    int per_year;
    struct payroll_summary *sum;
    payroll_list_fn list;
    void *ctx;
    struct enrolled *enrolled;
    int64_t n_enrolled, cap_enrolled;
    struct due *due;
    int64_t n_due, cap_due;
    struct prior *prior;
    int64_t n_prior, cap_prior;
    struct planned *plan;
    int64_t n_plan, cap_plan;
    struct buf why;
    struct error *err;
};

/* Grows *array (of size-byte items, *cap of them) to hold one more. */
static int grow(void *array, int64_t n, int64_t *cap, size_t size, struct error *err)
{
    if (n < *cap)
        return SP_OK;
    int64_t want = *cap ? *cap * 2 : 1024;
    void *grown = sp_reallocarray(*(void **)array, (size_t)want, size);
    if (grown == NULL)
        return error_nomem(err);
    *(void **)array = grown;
    *cap = want;
    return SP_OK;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(a, b); /* each struct begins with the person's id */
}

static int by_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    return c != 0 ? c : strcmp(x->period, y->period);
}

static int collect_enrolment(void *ctx, const struct enrolment_record *r)
{
    struct run *run = ctx;
    const struct pay_period *p = &run->sum->period;
    if (strcmp(r->e.scheme, run->scheme->id) != 0 || r->state != ENROLMENT_ACTIVE)
        return SP_OK;
    if (p->first != DATE_NONE &&
        (r->e.from > p->last || (r->e.to != DATE_NONE && r->e.to < p->first)))
        return SP_OK;
    int rc =
        grow(&run->enrolled, run->n_enrolled, &run->cap_enrolled, sizeof *run->enrolled, run->err);
    if (rc != SP_OK)
        return rc;
    struct enrolled *e = &run->enrolled[run->n_enrolled++];
    memcpy(e->id, r->e.person, sizeof e->id);
    e->decided = 0;
    return SP_OK;
}

static int list(struct run *run, const char *person, const char *why)
{
    run->sum->listed++;
    return run->list != NULL ? run->list(run->ctx, person, why) : SP_OK;
}

static void name_of(const struct person *p, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", p->given_name, p->given_name[0] && p->family_name[0] ? " " : "",
             p->family_name);
}

/* One decision of the batch path (called on its second thread). */
static int decided(void *ctx, const struct entitlement *e)
{
    struct run *run = ctx;
    struct enrolled *en = bsearch(e->person->id, run->enrolled, (size_t)run->n_enrolled,
                                  sizeof *run->enrolled, by_id);
    if (en == NULL || en->decided)
        return SP_OK;
    en->decided = 1;
    const struct decision *d = e->decision;
    buf_reset(&run->why);
    int rc = SP_OK;
    if (d->status == DECISION_UNDETERMINED) {
        rc = buf_puts(&run->why, "undetermined: ask for", run->err);
        for (const char *at = e->missing; rc == SP_OK && *at;) {
            const char *end = strchr(at, '\n');
            size_t n = end ? (size_t)(end - at) : strlen(at);
            rc = buf_putc(&run->why, ' ', run->err);
            if (rc == SP_OK)
                rc = buf_append(&run->why, at, n, run->err);
            at += n + (end != NULL);
        }
    } else if (d->status != DECISION_ELIGIBLE) {
        rc = buf_printf(&run->why, run->err, "the decision on the day is %s",
                        decision_status_name(d->status));
    } else if (d->excluded_by != NULL) {
        rc = buf_printf(&run->why, run->err, "excluded_by %s (one of the group is paid)",
                        d->excluded_by);
    } else if (!d->has_amount || d->amount <= 0) {
        rc = buf_puts(&run->why, "eligible, but the amount is 0", run->err);
    } else {
        int64_t amount = 0;
        rc = pay_period_amount(&run->sum->period, d->amount, run->per_year, &amount, run->err);
        if (rc == SP_OK)
            rc = grow(&run->due, run->n_due, &run->cap_due, sizeof *run->due, run->err);
        if (rc == SP_OK) {
            struct due *u = &run->due[run->n_due++];
            memset(u, 0, sizeof *u);
            memcpy(u->person, e->person->id, sizeof u->person);
            text_copy(u->period, sizeof u->period, run->sum->period.id);
            u->amount = amount;
            text_copy(u->account, sizeof u->account, e->person->account);
            text_copy(u->holder, sizeof u->holder, e->person->account_holder);
            name_of(e->person, u->name, sizeof u->name);
            text_copy(u->admin2, sizeof u->admin2, e->person->admin2);
            run->sum->payable++;
        }
        return rc;
    }
    return rc == SP_OK ? list(run, e->person->id, run->why.data) : rc;
}

/* Whether a payment's period is one this run pays: its period, or a top-up of it; for a run
 * "once", any claim's. */
static int period_of_run(const struct run *run, const char *period)
{
    const char *id = run->sum->period.id;
    if (run->sum->period.cycle.once)
        return strncmp(period, PAYROLL_CLAIM_PERIOD, strlen(PAYROLL_CLAIM_PERIOD)) == 0;
    size_t n = strlen(id);
    return strncmp(period, id, n) == 0 && (period[n] == '\0' || period[n] == '+');
}

static int collect_prior(void *ctx, const struct payment *p)
{
    struct run *run = ctx;
    if (strcmp(p->scheme, run->scheme->id) != 0 || !period_of_run(run, p->period))
        return SP_OK;
    int rc = grow(&run->prior, run->n_prior, &run->cap_prior, sizeof *run->prior, run->err);
    if (rc != SP_OK)
        return rc;
    struct prior *r = &run->prior[run->n_prior++];
    memcpy(r->person, p->person, sizeof r->person);
    memcpy(r->period, p->period, sizeof r->period);
    memcpy(r->id, p->id, sizeof r->id);
    memcpy(r->reissue_of, p->reissue_of, sizeof r->reissue_of);
    r->state = p->state;
    return SP_OK;
}

static int plan_one(struct run *run, int64_t due, const char *reissue_of, int attempt)
{
    const char *person = run->due[due].person;
    int64_t amount = run->due[due].amount;
    int rc = grow(&run->plan, run->n_plan, &run->cap_plan, sizeof *run->plan, run->err);
    if (rc != SP_OK)
        return rc;
    struct planned *p = &run->plan[run->n_plan++];
    memset(p, 0, sizeof *p);
    text_copy(p->person, sizeof p->person, person);
    text_copy(p->reissue_of, sizeof p->reissue_of, reissue_of);
    pay_instruction_id(person, run->scheme->id, run->due[due].period, attempt, p->id);
    p->amount = amount;
    p->due = due;
    return SP_OK;
}

/* What each payable person is owed now: an original, or re-issues of rejected payments. */
static int plan(struct run *run)
{
    if (run->n_due > 1)
        qsort(run->due, (size_t)run->n_due, sizeof *run->due, by_key);
    if (run->n_prior > 1) /* none: no array at all */
        qsort(run->prior, (size_t)run->n_prior, sizeof *run->prior, by_key);
    int64_t k = 0;
    for (int64_t i = 0; i < run->n_due; i++) {
        const struct due *u = &run->due[i];
        while (k < run->n_prior && by_key(&run->prior[k], u) < 0)
            k++;
        int64_t end = k;
        while (end < run->n_prior && by_key(&run->prior[end], u) == 0)
            end++;
        int original = 0;
        int64_t before = run->n_plan;
        for (int64_t j = k; j < end; j++)
            original |= run->prior[j].reissue_of[0] == '\0';
        int rc = SP_OK;
        if (!original)
            rc = plan_one(run, i, "", 0);
        for (int64_t j = k; rc == SP_OK && j < end; j++) {
            if (!pay_state_can_reissue(run->prior[j].state))
                continue;
            int replaced = 0;
            for (int64_t m = k; m < end; m++)
                replaced |= strcmp(run->prior[m].reissue_of, run->prior[j].id) == 0;
            if (!replaced) {
                rc = plan_one(run, i, run->prior[j].id, (int)(end - k));
                run->sum->reissued += rc == SP_OK;
            }
        }
        if (rc != SP_OK)
            return rc;
        if (run->n_plan == before && strchr(u->period, '+') == NULL)
            run->sum->already++; /* a person paid before (a top-up is not one more) */
    }
    return SP_OK;
}

/* ---- approved claims, paid once ---- */

struct approved {
    int64_t id;
    char person[PERSON_ID_SIZE];
    int64_t amount; /* what is paid, or -1 (listed with why) */
    char why[128];
};

struct approved_walk {
    struct run *run;
    struct approved *list;
    int64_t n, cap;
};

static int collect_claim(void *ctx, const struct claim *c)
{
    struct approved_walk *w = ctx;
    if (c->state != CLAIM_APPROVED || strcmp(c->scheme, w->run->scheme->id) != 0)
        return SP_OK;
    int rc = grow(&w->list, w->n, &w->cap, sizeof *w->list, w->run->err);
    if (rc != SP_OK)
        return rc;
    struct approved *a = &w->list[w->n++];
    memset(a, 0, sizeof *a);
    a->id = c->id;
    text_copy(a->person, sizeof a->person, c->person);
    a->amount = -1;
    if (!c->has_amount || c->amount <= 0)
        snprintf(a->why, sizeof a->why, "claim %lld has no amount decided: pay it with 'claim pay'",
                 (long long)c->id);
    else if (strcmp(c->per, "once") == 0)
        a->amount = c->amount;
    else if (strcmp(c->per, "day") == 0 && c->days > 0 && c->amount <= INT64_MAX / c->days)
        a->amount = c->amount * c->days;
    else
        snprintf(a->why, sizeof a->why,
                 "claim %lld is paid per %s: pay it with 'claim pay --amount'", (long long)c->id,
                 c->per);
    return SP_OK;
}

/* What the approved claims of the scheme are owed, each under its own period ("claim-12"). */
static int collect_claims(struct store *store, struct run *run, struct error *err)
{
    struct approved_walk w = {run, NULL, 0, 0};
    int rc = store_claims_each(store, NULL, collect_claim, &w, err);
    run->sum->enrolled = w.n;
    for (int64_t i = 0; rc == SP_OK && i < w.n; i++) {
        const struct approved *a = &w.list[i];
        if (a->amount < 0) {
            rc = list(run, a->person, a->why);
            continue;
        }
        struct person p;
        int found = 0;
        rc = store_person_get(store, a->person, &p, &found, err);
        if (rc == SP_OK && !found)
            rc = list(run, a->person, "the claimant's record is no longer registered");
        if (rc != SP_OK || !found)
            continue;
        rc = grow(&run->due, run->n_due, &run->cap_due, sizeof *run->due, err);
        if (rc != SP_OK)
            break;
        struct due *u = &run->due[run->n_due++];
        memset(u, 0, sizeof *u);
        text_copy(u->person, sizeof u->person, p.id);
        payroll_claim_period(a->id, u->period);
        u->amount = a->amount;
        text_copy(u->account, sizeof u->account, p.account);
        text_copy(u->holder, sizeof u->holder, p.account_holder);
        name_of(&p, u->name, sizeof u->name);
        run->sum->payable++;
    }
    sp_free(w.list);
    return rc;
}

void payroll_claim_period(int64_t claim, char out[PAYMENT_PERIOD_SIZE])
{
    snprintf(out, PAYMENT_PERIOD_SIZE, "%s%lld", PAYROLL_CLAIM_PERIOD, (long long)claim);
}

int64_t payroll_claim_of(const char *period)
{
    size_t n = strlen(PAYROLL_CLAIM_PERIOD);
    if (strncmp(period, PAYROLL_CLAIM_PERIOD, n) != 0 || period[n] < '1' || period[n] > '9')
        return 0;
    int64_t id = 0;
    for (const char *at = period + n; *at; at++) {
        if (*at < '0' || *at > '9' || id > (INT64_MAX - 9) / 10)
            return 0;
        id = id * 10 + (*at - '0');
    }
    return id;
}

/* ---- shocks' top-ups ---- */

struct top_up_walk {
    const struct run *run;
    struct shock *list;
    int64_t n, cap;
};

static int collect_shock(void *ctx, const struct shock *sh)
{
    struct top_up_walk *w = ctx;
    const struct pay_period *p = &w->run->sum->period;
    if (sh->mode != SHOCK_TOP_UP || strcmp(sh->scheme, w->run->scheme->id) != 0 ||
        p->first == DATE_NONE || sh->from > p->last || sh->to < p->first)
        return SP_OK;
    int rc = grow(&w->list, w->n, &w->cap, sizeof *w->list, w->run->err);
    if (rc == SP_OK)
        w->list[w->n++] = *sh;
    return rc;
}

/*
 * Adds to what is due the top-up of each shock on the scheme that overlaps the period, for
 * each payable person living in its districts, under the period "<period>+<shock>".
 */
static int add_top_ups(struct store *store, struct run *run, struct error *err)
{
    struct top_up_walk w = {run, NULL, 0, 0};
    int rc = store_shocks_each(store, collect_shock, &w, err);
    int64_t base = run->n_due;
    for (int64_t s = 0; rc == SP_OK && s < w.n; s++) {
        const struct shock *sh = &w.list[s];
        for (int64_t i = 0; rc == SP_OK && i < base; i++) {
            if (!shocks_covers(sh, run->due[i].admin2, run->sum->period.first,
                               run->sum->period.last))
                continue;
            int64_t amount = 0;
            rc = shocks_top_up(sh, run->due[i].amount, &amount, err);
            if (rc == SP_OK && amount <= 0)
                continue;
            if (rc == SP_OK)
                rc = grow(&run->due, run->n_due, &run->cap_due, sizeof *run->due, err);
            if (rc != SP_OK)
                break;
            size_t n = strlen(run->sum->period.id), m = strlen(sh->name);
            if (n + 1 + m >= PAYMENT_PERIOD_SIZE) {
                rc = error_set(err, SP_BAD_INPUT, "%s+%s: too long a period for shock %s",
                               run->sum->period.id, sh->name, sh->name);
                break;
            }
            struct due *u = &run->due[run->n_due++];
            *u = run->due[i];
            memcpy(u->period, run->sum->period.id, n);
            u->period[n] = '+';
            memcpy(u->period + n + 1, sh->name, m + 1);
            u->amount = amount;
            run->sum->top_ups_due++;
        }
    }
    sp_free(w.list);
    return rc;
}

/* The digest of what decides the payroll: the library, the default overlay, the request. */
static int run_digest(struct store *store, const struct payroll_request *rq, int32_t as_of,
                      const char *period, char out[PAYMENT_DIGEST_SIZE], struct error *err)
{
    struct digest d;
    digest_init(&d);
    int rc = rq->schemes_dir != NULL ? digest_dir(&d, rq->schemes_dir, err) : SP_OK;
    struct buf overlay;
    buf_init(&overlay, STORE_OVERLAY_MAX + 1);
    int found = 0;
    if (rc == SP_OK)
        rc = store_overlay_get(store, &overlay, &found, err);
    digest_text(&d, found ? overlay.data : "");
    buf_release(&overlay);
    digest_text(&d, rq->scheme);
    digest_text(&d, period);
    digest_int(&d, as_of);
    digest_hex(&d, out);
    return rc;
}

struct batch_find {
    const struct payroll_summary *sum;
    const char *scheme;
    struct payment_batch open; /* the open batch of the scheme and period, if any */
    int found;
    int64_t count; /* batches */
};

static int find_batch(void *ctx, const struct payment_batch *b)
{
    struct batch_find *f = ctx;
    f->count++;
    if (strcmp(b->scheme, f->scheme) == 0 && strcmp(b->period, f->sum->period.id) == 0 &&
        b->exported_at[0] == '\0' && strcmp(b->digest, f->sum->digest) == 0) {
        f->open = *b;
        f->found = 1;
    }
    return 0;
}

static int add_batch(struct store *store, void *arg, struct error *err)
{
    return store_payment_batch_add(store, arg, err);
}

/* The batch the run writes to: the open one of the scheme and period, or a new one. */
static int choose_batch(struct store *store, struct run *run, int32_t as_of, struct error *err)
{
    struct batch_find f;
    memset(&f, 0, sizeof f);
    f.sum = run->sum;
    f.scheme = run->scheme->id;
    int rc = store_payment_batches_each(store, find_batch, &f, err);
    if (rc != SP_OK)
        return rc;
    if (f.found) {
        text_copy(run->sum->batch, sizeof run->sum->batch, f.open.id);
        return SP_OK;
    }
    struct payment_batch b;
    memset(&b, 0, sizeof b);
    snprintf(b.id, sizeof b.id, "PAY-%06lld", (long long)f.count + 1);
    text_copy(b.scheme, sizeof b.scheme, run->scheme->id);
    text_copy(b.period, sizeof b.period, run->sum->period.id);
    b.as_of = as_of;
    text_copy(b.digest, sizeof b.digest, run->sum->digest);
    date_time_utc_now(b.created_at);
    text_copy(b.actor, sizeof b.actor, run->rq->actor);
    rc = ops_transaction(store, add_batch, &b, NULL, NULL, err);
    if (rc == SP_OK) {
        text_copy(run->sum->batch, sizeof run->sum->batch, b.id);
        run->sum->new_batch = 1;
    }
    return rc;
}

/*
 * Where planned payment `pl` is paid: the person's account (its holder named when it is
 * another's), else their account_holder's. *ok 0 when there is none (listed).
 */
static int resolve_account(struct store *store, struct run *run, const struct planned *pl,
                           struct payment *p, int *ok, struct error *err)
{
    *ok = 0;
    const struct due *u = &run->due[pl->due];
    struct person holder;
    int holder_found = 0;
    if (u->holder[0] != '\0') {
        int rc = store_person_get(store, u->holder, &holder, &holder_found, err);
        if (rc != SP_OK)
            return rc;
    }
    const char *account = u->account;
    if (account[0] == '\0' && holder_found)
        account = holder.account;
    if (account[0] == '\0')
        return list(run, pl->person,
                    u->holder[0] ? "no account: neither the person nor the "
                                   "account_holder has one"
                                 : "no account to pay into");
    memset(p, 0, sizeof *p);
    text_copy(p->id, sizeof p->id, pl->id);
    text_copy(p->batch, sizeof p->batch, run->sum->batch);
    text_copy(p->person, sizeof p->person, pl->person);
    text_copy(p->scheme, sizeof p->scheme, run->scheme->id);
    text_copy(p->period, sizeof p->period, u->period);
    p->amount = pl->amount;
    text_copy(p->currency, sizeof p->currency, run->scheme->currency);
    text_copy(p->account, sizeof p->account, account);
    if (holder_found) {
        text_copy(p->holder, sizeof p->holder, holder.id);
        name_of(&holder, p->creditor, sizeof p->creditor);
    } else {
        text_copy(p->creditor, sizeof p->creditor, u->name);
    }
    p->state = PAYMENT_CREATED;
    for (int i = 0; i < PAYMENT_STATES; i++)
        p->on[i] = DATE_NONE;
    p->on[PAYMENT_CREATED] = run->rq->today;
    text_copy(p->reissue_of, sizeof p->reissue_of, pl->reissue_of);
    *ok = 1;
    return SP_OK;
}

/* The payments of one transaction: groups of PAYROLL_GROUP, each added with its audit entry. */
struct group {
    const struct payment *payments;
    int n;
    int *flags; /* added or not, per payment */
    int64_t added, amount, top_ups;
};

static int write_group(struct store *store, void *arg, struct error *err)
{
    struct group *g = arg;
    g->added = g->amount = g->top_ups = 0;
    int rc = SP_OK;
    for (int from = 0; rc == SP_OK && from < g->n; from += PAYROLL_GROUP) {
        int n = g->n - from < PAYROLL_GROUP ? g->n - from : PAYROLL_GROUP;
        rc = store_payments_add(store, g->payments + from, n, g->flags + from, err);
    }
    for (int i = 0; rc == SP_OK && i < g->n; i++) {
        g->added += g->flags[i];
        g->top_ups += g->flags[i] && strchr(g->payments[i].period, '+') != NULL;
        g->amount += g->flags[i] ? g->payments[i].amount : 0;
    }
    return rc;
}

static int write_payments(struct store *store, struct run *run, payroll_progress_fn progress,
                          void *progress_ctx, struct error *err)
{
    size_t room = run->n_plan < PAYROLL_COMMIT ? (size_t)run->n_plan : PAYROLL_COMMIT;
    struct payment *group = sp_calloc(room, sizeof *group);
    int *flags = sp_calloc(room, sizeof *flags);
    if (group == NULL || flags == NULL) {
        sp_free(group);
        sp_free(flags);
        return error_nomem(err);
    }
    int rc = SP_OK;
    for (int64_t from = 0; rc == SP_OK && from < run->n_plan; from += PAYROLL_COMMIT) {
        int64_t to = from + PAYROLL_COMMIT < run->n_plan ? from + PAYROLL_COMMIT : run->n_plan;
        int n = 0;
        for (int64_t i = from; rc == SP_OK && i < to; i++) {
            int ok = 0;
            rc = resolve_account(store, run, &run->plan[i], &group[n], &ok, err);
            n += ok;
        }
        struct group g = {group, n, flags, 0, 0, 0};
        if (rc == SP_OK && n > 0)
            rc = ops_transaction(store, write_group, &g, NULL, NULL, err);
        if (rc == SP_OK) {
            run->sum->created += g.added;
            run->sum->top_ups += g.top_ups;
            run->sum->amount += g.amount;
            if (progress != NULL)
                progress(progress_ctx, to);
        }
    }
    sp_free(group);
    sp_free(flags);
    return rc;
}

int payroll_run(struct store *store, const struct scheme_library *lib,
                const struct payroll_request *rq, payroll_list_fn list_fn, void *ctx,
                payroll_progress_fn progress, void *progress_ctx, struct payroll_summary *sum,
                struct error *err)
{
    memset(sum, 0, sizeof *sum);
    if (rq->actor == NULL || rq->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a payroll run needs who runs it");
    const struct scheme *scheme = scheme_library_find(lib, rq->scheme);
    if (scheme == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "no scheme has the id \"%s\": see 'spfloor schemes list'", rq->scheme);
    struct pay_schedule schedule;
    int rc = payroll_schedule(scheme, &schedule, err);
    if (rc == SP_OK)
        rc = pay_period_parse(&schedule, rq->period, &sum->period, err);
    if (rc != SP_OK)
        return rc;
    text_copy(sum->currency, sizeof sum->currency, scheme->currency);
    int32_t as_of = rq->as_of != DATE_NONE           ? rq->as_of
                    : sum->period.first != DATE_NONE ? sum->period.first
                                                     : rq->today;
    struct run run;
    memset(&run, 0, sizeof run);
    run.rq = rq;
    run.scheme = scheme;
    run.per_year = scheme_per_year(scheme->per);
    run.sum = sum;
    run.list = list_fn;
    run.ctx = ctx;
    run.err = err;
    buf_init(&run.why, WHY_MAX);
    rc = run_digest(store, rq, as_of, sum->period.id, sum->digest, err);
    if (rc == SP_OK && sum->period.cycle.once)
        rc = collect_claims(store, &run, err);
    else if (rc == SP_OK)
        rc = store_enrolments_each(store, NULL, collect_enrolment, &run, err);
    if (run.n_enrolled > 1)
        qsort(run.enrolled, (size_t)run.n_enrolled, sizeof *run.enrolled, by_id);
    if (!sum->period.cycle.once)
        sum->enrolled = run.n_enrolled;
    if (rc == SP_OK && run.n_enrolled > 0) {
        /* the payment's account, holder, name and district come from the decision's person */
        struct entitlements_query q = {
            .as_of = as_of,
            .scheme = scheme->id,
            .missing = 1,
            .reads = PERSON_FIELD_BIT(F_ACCOUNT) | PERSON_FIELD_BIT(F_ACCOUNT_HOLDER) |
                     PERSON_FIELD_BIT(F_GIVEN_NAME) | PERSON_FIELD_BIT(F_FAMILY_NAME) |
                     PERSON_FIELD_BIT(F_ADMIN2)};
        struct entitlements_summary decided_sum;
        rc = entitlements_all(store, lib, &q, decided, &run, progress, progress_ctx, &decided_sum,
                              err);
        entitlements_summary_release(&decided_sum);
    }
    char day[DATE_TEXT_SIZE];
    date_format(as_of, day);
    for (int64_t i = 0; rc == SP_OK && i < run.n_enrolled; i++) {
        if (!run.enrolled[i].decided) {
            char why[128];
            snprintf(why, sizeof why,
                     "not decided on %s: the record was merged, or the person "
                     "died",
                     day);
            rc = list(&run, run.enrolled[i].id, why);
        }
    }
    if (rc == SP_OK && run.n_due > 0 && !sum->period.cycle.once)
        rc = add_top_ups(store, &run, err);
    if (rc == SP_OK && run.n_due > 0)
        rc = store_payments_each(store, NULL, NULL, collect_prior, &run, err);
    if (rc == SP_OK)
        rc = plan(&run);
    if (rc == SP_OK && run.n_plan > 0)
        rc = choose_batch(store, &run, as_of, err);
    if (rc == SP_OK && run.n_plan > 0)
        rc = write_payments(store, &run, progress, progress_ctx, err);
    sp_free(run.enrolled);
    sp_free(run.due);
    sp_free(run.prior);
    sp_free(run.plan);
    buf_release(&run.why);
    return rc;
}

/* ---- batches ---- */

struct batch_get {
    const char *id;
    struct payment_batch b;
    int found;
};

static int get_batch(void *ctx, const struct payment_batch *b)
{
    struct batch_get *g = ctx;
    if (strcmp(b->id, g->id) == 0) {
        g->b = *b;
        g->found = 1;
    }
    return 0;
}

static int batch_of(struct store *store, const char *id, struct payment_batch *out,
                    struct error *err)
{
    struct batch_get g;
    memset(&g, 0, sizeof g);
    g.id = id;
    int rc = store_payment_batches_each(store, get_batch, &g, err);
    if (rc == SP_OK && !g.found)
        return error_set(err, SP_BAD_INPUT,
                         "no payroll batch has the id \"%s\": see 'spfloor payroll list'", id);
    *out = g.b;
    return rc;
}

/* Payments gathered into an array. */
struct payments {
    struct payment *list;
    int64_t n, cap;
    int unanswered; /* 1: only created and exported ones */
    struct error *err;
};

static int gather(void *ctx, const struct payment *p)
{
    struct payments *ps = ctx;
    if (ps->unanswered && p->state != PAYMENT_CREATED && p->state != PAYMENT_EXPORTED)
        return SP_OK;
    int rc = grow(&ps->list, ps->n, &ps->cap, sizeof *ps->list, ps->err);
    if (rc == SP_OK)
        ps->list[ps->n++] = *p;
    return rc;
}

static int digits_of(const char *currency)
{
    const struct currency_info *c = currency_find(currency);
    return c != NULL ? c->minor_digits : 2;
}

struct batches {
    struct payment_batch *list;
    int64_t n, cap;
    struct error *err;
};

static int gather_batch(void *ctx, const struct payment_batch *b)
{
    struct batches *bs = ctx;
    int rc = grow(&bs->list, bs->n, &bs->cap, sizeof *bs->list, bs->err);
    if (rc == SP_OK)
        bs->list[bs->n++] = *b;
    return rc;
}

/* Adds each payment to its batch's totals (payments come by batch, batches by id). */
struct totals_walk {
    const struct batches *bs;
    struct payroll_batch_totals *totals; /* one per batch */
};

static int add_to_totals(void *ctx, const struct payment *p)
{
    struct totals_walk *w = ctx;
    for (int64_t i = 0; i < w->bs->n; i++) {
        if (strcmp(w->bs->list[i].id, p->batch) == 0) {
            w->totals[i].count[p->state]++;
            w->totals[i].amount[p->state] += p->amount;
            text_copy(w->totals[i].currency, sizeof w->totals[i].currency, p->currency);
            break;
        }
    }
    return 0;
}

int payroll_batches(struct store *store, payroll_batch_fn visit, void *ctx, struct error *err)
{
    struct batches bs = {NULL, 0, 0, err};
    int rc = store_payment_batches_each(store, gather_batch, &bs, err);
    struct payroll_batch_totals *totals =
        rc == SP_OK ? sp_calloc((size_t)bs.n + 1, sizeof *totals) : NULL;
    if (rc == SP_OK && totals == NULL)
        rc = error_nomem(err);
    for (int64_t i = 0; rc == SP_OK && i < bs.n; i++)
        totals[i].batch = bs.list[i];
    struct totals_walk w = {&bs, totals};
    if (rc == SP_OK)
        rc = store_payments_each(store, NULL, NULL, add_to_totals, &w, err);
    for (int64_t i = 0; rc == SP_OK && i < bs.n; i++)
        rc = visit(ctx, &totals[i]);
    sp_free(totals);
    sp_free(bs.list);
    return rc;
}

/* ---- export ---- */

static int to_outfile(void *ctx, const void *bytes, size_t n, struct error *err)
{
    return outfile_write(ctx, bytes, n, err);
}

static int write_csv(struct outfile *f, const struct payments *ps, int digits, const char *name,
                     struct error *err)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    int rc = buf_puts(&b,
                      "end_to_end_id,person,name,account,amount,currency,scheme,period,"
                      "reference\n",
                      err);
    for (int64_t i = 0; rc == SP_OK && i < ps->n; i++) {
        const struct payment *p = &ps->list[i];
        char e2e[PAY_E2E_SIZE], amount[MONEY_TEXT_MAX], reference[256];
        pay_end_to_end_id(p->id, e2e);
        money_format_digits(p->amount, digits, amount, MONEY_TEXT_MAX);
        snprintf(reference, sizeof reference, "%s %s", name, p->period);
        const char *cells[] = {e2e,         p->person, p->creditor, p->account, amount,
                               p->currency, p->scheme, p->period,   reference};
        for (int c = 0; rc == SP_OK && c < 9; c++) {
            if (c > 0)
                rc = buf_putc(&b, ',', err);
            if (rc == SP_OK)
                rc = buf_put_csv(&b, cells[c], err);
        }
        if (rc == SP_OK)
            rc = buf_putc(&b, '\n', err);
        if (rc == SP_OK && (b.len > (1u << 19) || i + 1 == ps->n)) {
            rc = outfile_write(f, b.data, b.len, err);
            buf_reset(&b);
        }
    }
    if (rc == SP_OK && ps->n == 0)
        rc = outfile_write(f, b.data, b.len, err);
    buf_release(&b);
    return rc;
}

/* One export, read, written and marked in one transaction (so no payment made meanwhile is
 * marked exported without being in the file). */
struct export_job {
    const char *batch;
    enum payroll_format format;
    const struct payroll_payer *payer;
    const char *name; /* the scheme's */
    const char *path;
    int32_t today;
    struct outfile f;
    struct payments ps;
};

static int export_once(struct store *store, void *arg, struct error *err)
{
    struct export_job *j = arg;
    outfile_abort(&j->f); /* an earlier attempt's */
    sp_free(j->ps.list);
    memset(&j->ps, 0, sizeof j->ps);
    j->ps.unanswered = 1;
    j->ps.err = err;
    int rc = store_payments_each(store, j->batch, NULL, gather, &j->ps, err);
    if (rc == SP_OK && j->ps.n == 0)
        rc = error_set(err, SP_BAD_INPUT,
                       "batch %s has nothing to pay: every payment in it was answered by the "
                       "bank or cancelled",
                       j->batch);
    if (rc == SP_OK && j->ps.n > INT32_MAX)
        rc = error_set(err, SP_BAD_INPUT, "batch %s is too large for one file", j->batch);
    int digits = j->ps.n > 0 ? digits_of(j->ps.list[0].currency) : 2;
    if (rc == SP_OK)
        rc = outfile_open(&j->f, j->path, 0, -1, err);
    char now[DATE_TIME_UTC_SIZE];
    date_time_utc_now(now);
    if (rc == SP_OK && j->format == PAYROLL_PAIN001) {
        const struct payment **list = sp_calloc((size_t)j->ps.n, sizeof *list);
        if (list == NULL)
            rc = error_nomem(err);
        for (int64_t i = 0; rc == SP_OK && i < j->ps.n; i++)
            list[i] = &j->ps.list[i];
        struct pain001_header h = {
            .msg_id = j->batch,
            .created_at = now,
            .initiating = j->payer->name ? j->payer->name : j->name,
            .debtor = j->payer->name ? j->payer->name : j->name,
            .debtor_account = j->payer->account ? j->payer->account : "NOTPROVIDED",
            .debtor_agent = j->payer->agent,
            .execution_date = j->today,
            .digits = digits,
            .scheme_name = j->name,
        };
        if (rc == SP_OK)
            rc = pain001_write(&h, list, (int)j->ps.n, to_outfile, &j->f, err);
        sp_free(list);
    } else if (rc == SP_OK) {
        rc = write_csv(&j->f, &j->ps, digits, j->name, err);
    }
    int64_t moved = 0;
    return rc == SP_OK ? store_payment_batch_exported(store, j->batch, now, j->today, &moved, err)
                       : rc;
}

int payroll_export(struct store *store, const struct scheme_library *lib, const char *batch,
                   enum payroll_format format, const struct payroll_payer *payer, const char *path,
                   int32_t today, int64_t *count, struct error *err)
{
    *count = 0;
    struct payment_batch b;
    int rc = batch_of(store, batch, &b, err);
    if (rc != SP_OK)
        return rc;
    const struct scheme *scheme = scheme_library_find(lib, b.scheme);
    struct export_job j;
    memset(&j, 0, sizeof j);
    j.batch = batch;
    j.format = format;
    j.payer = payer;
    j.name = scheme != NULL ? scheme->name : b.scheme;
    j.path = path;
    j.today = today;
    outfile_init(&j.f);
    rc = outfile_check(path, -1, err);
    if (rc == SP_OK)
        rc = ops_transaction(store, export_once, &j, NULL, NULL, err);
    if (rc == SP_OK)
        rc = outfile_commit(&j.f, err);
    outfile_abort(&j.f);
    if (rc == SP_OK)
        *count = j.ps.n;
    sp_free(j.ps.list);
    return rc;
}

/* ---- reconcile ---- */

/* One status a file gives. */
struct status_line {
    char end_to_end[PAY_E2E_SIZE];
    char status[16];
    char reason[PAYMENT_REASON_SIZE];
    int has_amount;
    char amount[MONEY_TEXT_MAX];
    char currency[CURRENCY_CODE_SIZE];
    int line;
};

/* Splits one CSV record at *at into cells (quotes as RFC 4180); advances *at past it. */
static int csv_record(const char **at, char cells[][PAYMENT_REASON_SIZE], int max, int *n)
{
    const char *s = *at;
    *n = 0;
    while (*n < max) {
        char *cell = cells[(*n)++];
        size_t len = 0;
        if (*s == '"') {
            s++;
            while (*s && !(*s == '"' && s[1] != '"')) {
                if (*s == '"')
                    s++;
                if (len + 1 < PAYMENT_REASON_SIZE)
                    cell[len++] = *s;
                s++;
            }
            if (*s != '"')
                return -1;
            s++;
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r') {
                if (len + 1 < PAYMENT_REASON_SIZE)
                    cell[len++] = *s;
                s++;
            }
        }
        cell[len] = '\0';
        if (*s != ',')
            break;
        s++;
    }
    if (*s == '\r')
        s++;
    if (*s == '\n')
        s++;
    else if (*s != '\0')
        return -1;
    *at = s;
    return 0;
}

static int read_csv_statuses(const char *text, const char *path, struct status_line **out,
                             int64_t *n, struct error *err)
{
    enum { COLS = 8 };
    char cells[COLS][PAYMENT_REASON_SIZE];
    int columns = 0, col_id = -1, col_status = -1, col_amount = -1, col_reason = -1, col_ccy = -1;
    const char *at = text;
    if (csv_record(&at, cells, COLS, &columns) != 0)
        return error_set(err, SP_BAD_INPUT, "%s:1: not a CSV header", path);
    for (int c = 0; c < columns; c++) {
        col_id = strcmp(cells[c], "end_to_end_id") == 0 ? c : col_id;
        col_status = strcmp(cells[c], "status") == 0 ? c : col_status;
        col_amount = strcmp(cells[c], "amount") == 0 ? c : col_amount;
        col_reason = strcmp(cells[c], "reason") == 0 ? c : col_reason;
        col_ccy = strcmp(cells[c], "currency") == 0 ? c : col_ccy;
    }
    if (col_id < 0 || col_status < 0)
        return error_set(err, SP_BAD_INPUT,
                         "%s:1: the header must name end_to_end_id and status (and may name "
                         "amount, currency and reason)",
                         path);
    int64_t cap = 0;
    for (int line = 2; *at; line++) {
        int got = 0;
        if (csv_record(&at, cells, COLS, &got) != 0)
            return error_set(err, SP_BAD_INPUT, "%s:%d: a quoted cell is not closed", path, line);
        if (got == 1 && cells[0][0] == '\0')
            continue; /* an empty line */
        if (got != columns)
            return error_set(err, SP_BAD_INPUT, "%s:%d: %d cells, the header has %d", path, line,
                             got, columns);
        int rc = grow(out, *n, &cap, sizeof **out, err);
        if (rc != SP_OK)
            return rc;
        struct status_line *s = &(*out)[(*n)++];
        memset(s, 0, sizeof *s);
        s->line = line;
        text_copy(s->end_to_end, sizeof s->end_to_end, cells[col_id]);
        text_copy(s->status, sizeof s->status, cells[col_status]);
        if (col_reason >= 0)
            text_copy(s->reason, sizeof s->reason, cells[col_reason]);
        if (col_amount >= 0 && cells[col_amount][0]) {
            s->has_amount = 1;
            text_copy(s->amount, sizeof s->amount, cells[col_amount]);
        }
        if (col_ccy >= 0)
            text_copy(s->currency, sizeof s->currency, cells[col_ccy]);
    }
    return SP_OK;
}

/* The state a status names: ISO 20022 codes or spfloor's words; -1 for pending, -2 unknown. */
static int state_named(const char *status)
{
    static const struct {
        const char *code;
        int state;
    } codes[] = {
        {"ACCP", PAYMENT_ACCEPTED},
        {"ACTC", PAYMENT_ACCEPTED},
        {"ACSP", PAYMENT_ACCEPTED},
        {"ACWC", PAYMENT_ACCEPTED},
        {"ACSC", PAYMENT_SETTLED},
        {"ACCC", PAYMENT_SETTLED},
        {"RJCT", PAYMENT_REJECTED},
        {"PDNG", -1},
        {"RCVD", -1},
        {"accepted", PAYMENT_ACCEPTED},
        {"settled", PAYMENT_SETTLED},
        {"rejected", PAYMENT_REJECTED},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(status, codes[i].code) == 0)
            return codes[i].state;
    return -2;
}

static int by_payment_id(const void *a, const void *b)
{
    return strcmp(((const struct payment *)a)->id, ((const struct payment *)b)->id);
}

struct reconcile_apply {
    struct payment *changes;
    int64_t n;
    const char *actor;
    int64_t claims_paid;
};

/* A claim's payment settled: the claim is paid, if it still waits for it. */
static int claim_settled(struct store *store, struct reconcile_apply *a, const struct payment *p,
                         struct error *err)
{
    int64_t id = payroll_claim_of(p->period);
    struct claim c;
    int found = 0;
    int rc = id > 0 ? store_claim_get(store, id, &c, &found, err) : SP_OK;
    if (rc != SP_OK || !found || c.state != CLAIM_APPROVED)
        return rc; /* paid by hand meanwhile, or no claim's */
    char reason[PERSON_REASON_SIZE];
    snprintf(reason, sizeof reason, "paid by payroll: payment %s of batch %s settled", p->id,
             p->batch);
    rc = claims_move_open(store, id, CLAIM_PAID, p->on[PAYMENT_SETTLED], p->amount, a->actor,
                          reason, &c, err);
    a->claims_paid += rc == SP_OK;
    return rc;
}

static int apply_changes(struct store *store, void *arg, struct error *err)
{
    struct reconcile_apply *a = arg;
    a->claims_paid = 0;
    int rc = SP_OK;
    for (int64_t i = 0; rc == SP_OK && i < a->n; i++) {
        rc = store_payment_set_state(store, &a->changes[i], err);
        if (rc == SP_OK && a->changes[i].state == PAYMENT_SETTLED)
            rc = claim_settled(store, a, &a->changes[i], err);
    }
    return rc;
}

static int problem(payroll_problem_fn fn, void *ctx, struct payroll_reconcile_summary *sum,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int problem(payroll_problem_fn fn, void *ctx, struct payroll_reconcile_summary *sum,
                   const char *fmt, ...)
{
    if (sum->problems++ >= PROBLEMS_SHOWN || fn == NULL)
        return SP_OK;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return fn(ctx, text);
}

int payroll_reconcile(struct store *store, const char *path, int32_t today, const char *actor,
                      payroll_problem_fn problem_fn, void *ctx,
                      struct payroll_reconcile_summary *sum, struct error *err)
{
    memset(sum, 0, sizeof *sum);
    struct buf text;
    buf_init(&text, STATUS_MAX);
    struct status_line *lines = NULL;
    int64_t n_lines = 0;
    struct payments ps;
    memset(&ps, 0, sizeof ps);
    ps.err = err;
    struct reconcile_apply apply = {NULL, 0, actor, 0};
    uint8_t *seen = NULL;
    int rc = buf_read_file(&text, path, err);
    if (rc == SP_OK)
        rc = buf_putc(&text, '\0', err);
    const char *start = text.data;
    while (rc == SP_OK && (*start == ' ' || *start == '\n' || *start == '\r' || *start == '\t'))
        start++;
    if (rc == SP_OK && (*start == '<' || strncmp(start, "\xEF\xBB\xBF<", 4) == 0)) {
        struct pain002 r;
        rc = pain002_read(text.data, text.len - 1, path, &r, err);
        struct payment_batch b;
        if (rc == SP_OK) {
            int found = batch_of(store, r.orgnl_msg_id, &b, err);
            if (found != SP_OK) {
                error_init(err);
                rc = error_set(err, SP_BAD_INPUT,
                               "%s: a status report on message \"%s\", which is no payroll batch "
                               "of this registry: nothing applied",
                               path, r.orgnl_msg_id);
            }
        }
        if (rc == SP_OK) {
            text_copy(sum->batch, sizeof sum->batch, b.id);
            lines = sp_calloc((size_t)r.n + 1, sizeof *lines);
            if (lines == NULL)
                rc = error_nomem(err);
        }
        for (int i = 0; rc == SP_OK && i < r.n; i++) {
            struct status_line *s = &lines[n_lines++];
            text_copy(s->end_to_end, sizeof s->end_to_end, r.txs[i].end_to_end);
            text_copy(s->status, sizeof s->status, r.txs[i].status);
            text_copy(s->reason, sizeof s->reason, r.txs[i].reason);
            s->has_amount = r.txs[i].has_amount;
            text_copy(s->amount, sizeof s->amount, r.txs[i].amount);
            text_copy(s->currency, sizeof s->currency, r.txs[i].currency);
            s->line = r.txs[i].line;
        }
        int whole_rejected = rc == SP_OK && r.n == 0 && strcmp(r.group_status, "RJCT") == 0;
        pain002_release(&r);
        if (rc == SP_OK)
            rc = store_payments_each(store, b.id, NULL, gather, &ps, err);
        if (rc == SP_OK && whole_rejected) {
            /* the bank refused the whole file (GrpSts RJCT, no transaction named): every
               payment of the batch it had is rejected */
            sp_free(lines);
            lines = sp_calloc((size_t)ps.n + 1, sizeof *lines);
            if (lines == NULL)
                rc = error_nomem(err);
            for (int64_t i = 0; rc == SP_OK && i < ps.n; i++) {
                if (ps.list[i].state != PAYMENT_EXPORTED && ps.list[i].state != PAYMENT_ACCEPTED)
                    continue;
                struct status_line *s = &lines[n_lines++];
                pay_end_to_end_id(ps.list[i].id, s->end_to_end);
                text_copy(s->status, sizeof s->status, "RJCT");
                text_copy(s->reason, sizeof s->reason, "the whole file was rejected (GrpSts RJCT)");
                s->line = 1;
            }
        }
    } else if (rc == SP_OK) {
        rc = read_csv_statuses(start, path, &lines, &n_lines, err);
        if (rc == SP_OK)
            rc = store_payments_each(store, NULL, NULL, gather, &ps, err);
    }
    sum->lines = n_lines;
    if (rc == SP_OK) {
        if (ps.n > 1)
            qsort(ps.list, (size_t)ps.n, sizeof *ps.list, by_payment_id);
        seen = sp_calloc((size_t)ps.n + 1, sizeof *seen);
        apply.changes = sp_calloc((size_t)n_lines + 1, sizeof *apply.changes);
        if (seen == NULL || apply.changes == NULL)
            rc = error_nomem(err);
    }
    for (int64_t i = 0; rc == SP_OK && i < n_lines; i++) {
        const struct status_line *s = &lines[i];
        struct payment key;
        struct error ignored;
        error_init(&ignored);
        if (pay_instruction_of(s->end_to_end, key.id, &ignored) != SP_OK) {
            rc = problem(problem_fn, ctx, sum, "%s:%d: unknown EndToEndId \"%s\"", path, s->line,
                         s->end_to_end);
            continue;
        }
        struct payment *p =
            ps.n > 0 ? bsearch(&key, ps.list, (size_t)ps.n, sizeof *ps.list, by_payment_id) : NULL;
        if (p == NULL) {
            rc = problem(problem_fn, ctx, sum, "%s:%d: unknown EndToEndId \"%s\"%s%s", path,
                         s->line, s->end_to_end, sum->batch[0] ? " in batch " : "", sum->batch);
            continue;
        }
        int64_t k = p - ps.list;
        if (seen[k]) {
            rc = problem(problem_fn, ctx, sum, "%s:%d: %s is given a second time", path, s->line,
                         s->end_to_end);
            continue;
        }
        seen[k] = 1;
        int64_t amount = 0;
        if (s->has_amount &&
            (pay_amount_parse(s->amount, digits_of(p->currency), &amount, &ignored) != SP_OK ||
             amount != p->amount || (s->currency[0] && strcmp(s->currency, p->currency) != 0))) {
            char ours[MONEY_TEXT_MAX];
            money_format_digits(p->amount, digits_of(p->currency), ours, MONEY_TEXT_MAX);
            rc = problem(problem_fn, ctx, sum,
                         "%s:%d: %s: the amount %s%s%s does not match the payment's %s %s", path,
                         s->line, s->end_to_end, s->amount, s->currency[0] ? " " : "", s->currency,
                         ours, p->currency);
            continue;
        }
        int state = state_named(s->status);
        if (state == -2) {
            rc = problem(problem_fn, ctx, sum, "%s:%d: %s: unknown status \"%s\"", path, s->line,
                         s->end_to_end, s->status);
            continue;
        }
        if (state == -1) {
            sum->pending++;
            continue;
        }
        if ((int)p->state == state) {
            sum->unchanged++;
            continue;
        }
        if (!pay_state_can_move(p->state, (enum payment_state)state)) {
            rc = problem(problem_fn, ctx, sum, "%s:%d: %s of %s is %s: it cannot become %s", path,
                         s->line, s->end_to_end, p->person, payment_state_name(p->state),
                         payment_state_name(state));
            continue;
        }
        struct payment *c = &apply.changes[apply.n++];
        *c = *p;
        c->state = (enum payment_state)state;
        c->on[state] = today;
        text_copy(c->status_reason, sizeof c->status_reason, s->reason);
        sum->accepted += state == PAYMENT_ACCEPTED;
        sum->rejected += state == PAYMENT_REJECTED;
        sum->settled += state == PAYMENT_SETTLED;
    }
    if (rc == SP_OK && sum->problems > 0)
        rc = error_set(err, SP_BAD_INPUT, "%s: %lld problem(s): nothing applied", path,
                       (long long)sum->problems);
    if (rc == SP_OK && apply.n > 0)
        rc = ops_transaction(store, apply_changes, &apply, NULL, NULL, err);
    sum->claims_paid = rc == SP_OK ? apply.claims_paid : 0;
    if (rc != SP_OK)
        sum->accepted = sum->rejected = sum->settled = 0;
    sp_free(seen);
    sp_free(apply.changes);
    sp_free(ps.list);
    sp_free(lines);
    buf_release(&text);
    return rc;
}

/* ---- statements ---- */

struct statement_walk {
    struct payroll_statement *s;
    int64_t cap;
    int year;
    struct error *err;
};

static int statement_payment(void *ctx, const struct payment *p)
{
    struct statement_walk *w = ctx;
    if (w->year != 0 && date_to_civil(p->on[PAYMENT_CREATED]).year != w->year)
        return SP_OK;
    int rc = grow(&w->s->payments, w->s->n, &w->cap, sizeof *w->s->payments, w->err);
    if (rc != SP_OK)
        return rc;
    w->s->payments[w->s->n++] = *p;
    if (w->s->currency[0] == '\0')
        text_copy(w->s->currency, sizeof w->s->currency, p->currency);
    if (strcmp(p->currency, w->s->currency) != 0)
        return SP_OK;
    if (p->state == PAYMENT_SETTLED)
        w->s->paid += p->amount;
    else if (p->state == PAYMENT_REJECTED || p->state == PAYMENT_CANCELLED)
        w->s->failed += p->amount;
    else
        w->s->pending += p->amount;
    return SP_OK;
}

static int by_day_made(const void *a, const void *b)
{
    const struct payment *x = a, *y = b;
    if (x->on[PAYMENT_CREATED] != y->on[PAYMENT_CREATED])
        return x->on[PAYMENT_CREATED] < y->on[PAYMENT_CREATED] ? -1 : 1;
    return strcmp(x->id, y->id);
}

int payroll_statement(struct store *store, const char *id, int year, struct payroll_statement *out,
                      struct error *err)
{
    memset(out, 0, sizeof *out);
    int found = 0;
    int rc = store_person_get(store, id, &out->person, &found, err);
    if (rc == SP_OK && !found)
        return error_set(err, SP_BAD_INPUT, "no person with ID %s is registered", id);
    struct statement_walk w = {out, 0, year, err};
    if (rc == SP_OK)
        rc = store_payments_each(store, NULL, out->person.id, statement_payment, &w, err);
    if (rc == SP_OK && out->n > 1)
        qsort(out->payments, (size_t)out->n, sizeof *out->payments, by_day_made);
    return rc;
}

void payroll_statement_release(struct payroll_statement *s)
{
    if (s == NULL)
        return;
    sp_free(s->payments);
    memset(s, 0, sizeof *s);
}
