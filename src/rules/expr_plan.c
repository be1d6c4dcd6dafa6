/*
 * expr_plan.c: household plans (expr_impl.h). When an expression is compiled, each list macro
 * over household.members whose condition splits into member terms, at most one key comparison
 * and at most one self term gets a plan. When it runs for a household of at least
 * EXPR_PLAN_MIN_MEMBERS, the member terms and the member sides of the key and self term are
 * computed once for the household (and kept in the scratch's cache); each person's answer is
 * then a few binary searches over the members sorted by key and by text.
 *
 * The answer is the one the member-by-member loop gives, in three-valued logic: a member's
 * condition is false when one of its terms is false, else unknown (with the worst state) when
 * one is unknown, else true; count is unknown when some member is unknown, exists is true
 * when some member is true, all is false when some member is false.
 *
 * Budgets: building a plan takes its own EXPR_STEPS_MAX steps and EXPR_ARENA_MAX bytes, so
 * whoever builds it, it stops or not alike; a plan that stopped makes every person's answer
 * fail with the same reason.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "rules/expr_impl.h"

#define CACHE_BUCKETS   4096
#define CACHE_BYTES_MAX ((size_t)64 << 20) /* plans kept from run to run before starting over */

static const struct expr_node *node_of(const struct expr_unit *u, int n)
{
    return &u->nodes[n];
}

/* The second child of node n. */
static int second(const struct expr_unit *u, int n)
{
    return u->nodes[u->nodes[n].kid].next;
}

/* ---- analysis, when an expression is compiled ---- */

/* 1 if the tree at n reads macro variable `slot`. */
static int reads_var(const struct expr_unit *u, int n, int slot)
{
    const struct expr_node *x = node_of(u, n);
    if (x->op == X_VAR && x->ref == slot)
        return 1;
    int k = x->kid;
    for (int i = 0; i < x->n_kids && k >= 0; i++, k = u->nodes[k].next)
        if (reads_var(u, k, slot))
            return 1;
    return 0;
}

/*
 * 1 if the tree at n gives the same value for every person of a household, once the member
 * (macro variable `slot`) is set: it reads no fact, named value or history of the person, no
 * grandfathered parameter, and no variable of an enclosing macro.
 */
static int member_only(const struct expr_unit *u, int n, int slot)
{
    const struct expr_node *x = node_of(u, n);
    switch ((enum expr_op)x->op) {
    case X_VAR:
        return x->ref >= slot;
    case X_FACT:
    case X_EXTRA:
        if (x->n_kids == 0)
            return 0; /* the person's own fact */
        break;
    case X_PARAM:
        if (u->pslots[x->ref].grandfather >= 0)
            return 0; /* its value depends on the person's enrolment */
        break;
    case X_NONE:
    case X_NAMED:
    case X_ENROL_FROM:
    case X_ENROLLED:
    case X_HIST:
        return 0;
    default:
        break;
    }
    int k = x->kid;
    for (int i = 0; i < x->n_kids && k >= 0; i++, k = u->nodes[k].next)
        if (!member_only(u, k, slot))
            return 0;
    return 1;
}

/* Sorts the leaves of the && tree at n into p; 0 when one fits no kind of term. */
static int classify(const struct expr_unit *u, int n, int slot, struct expr_plan *p)
{
    const struct expr_node *x = node_of(u, n);
    if (x->op == X_AND)
        return classify(u, x->kid, slot, p) && classify(u, second(u, n), slot, p);
    if (member_only(u, n, slot))
        return 1;
    int is_key = x->op == X_CMP, is_self = x->op == X_SCMP && x->sub == T_NE;
    if (!is_key && !is_self)
        return 0;
    int a = x->kid, b = second(u, n), left;
    if (member_only(u, a, slot) && !reads_var(u, b, slot))
        left = 1;
    else if (member_only(u, b, slot) && !reads_var(u, a, slot))
        left = 0;
    else
        return 0;
    if (is_key) {
        if (p->key >= 0)
            return 0;
        p->key = n;
        p->key_left = left;
        p->key_op = left ? x->sub : expr_compare_swapped(x->sub);
    } else {
        if (p->self >= 0)
            return 0;
        p->self = n;
        p->self_left = left;
    }
    return 1;
}

int expr_plan_analyse(struct expr_unit *u, int first, struct error *err)
{
    for (int n = first; n < u->n_nodes; n++) {
        struct expr_node *x = &u->nodes[n];
        if (x->op != X_MACRO)
            continue;
        x->ptr = NULL;
        if (node_of(u, x->kid)->op != X_MEMBERS)
            continue;
        struct expr_plan p = {-1, 0, 0, -1, 0};
        if (!classify(u, second(u, n), x->ref, &p))
            continue;
        if (x->sub == M_EXISTS_ONE)
            continue; /* counts every member: visited member by member */
        if (x->sub == M_FILTER && (p.key >= 0 || p.self >= 0))
            continue; /* a list per person: nothing to share */
        struct expr_plan *keep = expr_pool_alloc(&u->pool, sizeof *keep);
        if (keep == NULL)
            return error_nomem(err);
        *keep = p;
        x->ptr = keep;
    }
    return SP_OK;
}

/* ---- the cache ---- */

/* A member whose member terms are not false, and the self term's text it has. */
struct plan_text {
    const char *text; /* in the cache */
    int64_t key;      /* its key, when key_state is EXPR_OK */
    uint8_t key_state;
    uint8_t state; /* its member terms' state, with its text's (EXPR_OK: all true) */
};

/* One macro's plan for one household. */
struct plan_entry {
    struct plan_entry *next; /* in its bucket */
    int node;                /* the macro */
    int n_members;
    uint64_t household; /* members_key, or the members pointer */
    uint64_t run;       /* 0: kept from run to run; else the only run it is valid in */
    uint8_t stop;       /* enum expr_stop: building it reached a limit */
    int n_keyed;        /* members not excluded (a member term false) with a known key */
    int64_t *keys;      /* their keys, ascending (NULL without a key term: all in range) */
    int32_t *prefix[4]; /* prefix[s][i]: how many of the first i keyed members have state s */
    int32_t unkeyed[4]; /* members not excluded with an unknown key, by max(state, key state) */
    int32_t any[4];     /* every member not excluded, by max(state, key state) */
    struct plan_text *texts; /* the self term's texts of members not excluded, sorted */
    int n_texts;
    struct expr_list kept; /* filter: the members whose condition holds */
};

struct expr_plan_cache {
    struct expr_pool pool; /* entries and their arrays */
    struct plan_entry *buckets[CACHE_BUCKETS];
    int32_t as_of; /* the date the plans are for */
};

void expr_plan_cache_free(struct expr_plan_cache *cache)
{
    if (cache == NULL)
        return;
    expr_pool_release(&cache->pool);
    sp_free(cache);
}

static void cache_clear(struct expr_plan_cache *cache, int32_t as_of)
{
    expr_pool_release(&cache->pool);
    memset(cache->buckets, 0, sizeof cache->buckets);
    cache->as_of = as_of;
}

void expr_scratch_forget(struct expr_scratch *s)
{
    if (s != NULL && s->plans != NULL && s->plans->pool.total > 0)
        cache_clear(s->plans, s->plans->as_of);
}

void expr_plan_begin(struct expr_scratch *s, const struct expr_bound *b)
{
    s->run++;
    struct expr_plan_cache *cache = s->plans;
    if (cache != NULL && (cache->as_of != b->as_of || cache->pool.total > CACHE_BYTES_MAX))
        cache_clear(cache, b->as_of);
}

static size_t bucket_of(int node, uint64_t household, int n_members)
{
    uint64_t h = household * 0x9E3779B97F4A7C15u;
    h ^= ((uint64_t)(uint32_t)node << 32 | (uint32_t)n_members) * 0xC2B2AE3D27D4EB4Fu;
    h ^= h >> 29;
    return (size_t)(h % CACHE_BUCKETS);
}

/* ---- building a plan for one household ---- */

/* What building found for one member. */
struct member {
    int64_t key;
    uint8_t key_state;
    uint8_t state;    /* the member terms' (and the text's) state when not excluded */
    uint8_t excluded; /* 1: a member term is false */
    const char *text; /* the self term's member side, copied into the cache; NULL if unknown */
};

/*
 * The member terms of the && tree at n (every leaf but the key and the self term), left to
 * right, stopping at the first false one (*is_false set); otherwise their worst state.
 */
static uint8_t member_terms(struct expr_ctx *c, const struct expr_plan *p, int n, int *is_false)
{
    const struct expr_unit *u = c->b->u;
    const struct expr_node *x = node_of(u, n);
    if (x->op == X_AND) {
        uint8_t a = member_terms(c, p, x->kid, is_false);
        if (*is_false)
            return EXPR_OK;
        return expr_state_max(a, member_terms(c, p, second(u, n), is_false));
    }
    if (n == p->key || n == p->self)
        return EXPR_OK;
    struct expr_xval v = expr_eval(c, n);
    if (v.state == EXPR_OK && v.v == 0)
        *is_false = 1;
    return v.state;
}

/* The member side (member 1) or the person's side (member 0) of a key or self node. */
static int side(const struct expr_unit *u, int n, int left, int member)
{
    return left == member ? u->nodes[n].kid : second(u, n);
}

/* Evaluates the member terms and member sides for every member into m. */
static void visit_members(struct expr_ctx *c, int n, const struct expr_plan *p,
                          struct expr_pool *pool, struct member *m)
{
    const struct expr_unit *u = c->b->u;
    int slot = u->nodes[n].ref, pred = second(u, n);
    for (int i = 0; i < c->h->n_members && c->stop == EXPR_STOP_NONE; i++) {
        if (!expr_step(c, 1))
            break;
        struct expr_xval item = {EXPR_OK, 0, NULL, c->h->members[i]};
        c->vars[slot] = item;
        struct expr_pool_mark mark = expr_pool_mark(c->arena);
        int is_false = 0;
        m[i].state = member_terms(c, p, pred, &is_false);
        m[i].excluded = (uint8_t)is_false;
        if (!is_false && p->key >= 0) {
            struct expr_xval k = expr_eval(c, side(u, p->key, p->key_left, 1));
            m[i].key_state = k.state;
            m[i].key = k.state == EXPR_OK ? k.v : 0;
        }
        if (!is_false && p->self >= 0) {
            struct expr_xval t = expr_eval(c, side(u, p->self, p->self_left, 1));
            if (t.state == EXPR_OK) {
                const char *s = t.s ? t.s : "";
                m[i].text = expr_pool_strndup(pool, s, strlen(s));
                if (m[i].text == NULL)
                    c->stop = EXPR_STOP_MEMORY;
            } else {
                m[i].state = expr_state_max(m[i].state, t.state);
            }
        }
        expr_pool_rewind(c->arena, mark);
    }
}

struct keyed {
    int64_t key;
    uint8_t state;
};

static int compare_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int compare_texts(const void *a, const void *b)
{
    return strcmp(((const struct plan_text *)a)->text, ((const struct plan_text *)b)->text);
}

/* Sorts what visit_members found into e's arrays; 0 when out of memory. */
static int index_members(const struct expr_plan *p, const struct member *m, int n_members,
                         const struct person *const *persons, int want_kept, struct expr_pool *pool,
                         struct plan_entry *e)
{
    int keyed = 0, texts = 0, kept = 0;
    for (int i = 0; i < n_members; i++) {
        if (m[i].excluded)
            continue;
        uint8_t st = m[i].state;
        if (p->key >= 0 && m[i].key_state != EXPR_OK) {
            st = expr_state_max(st, m[i].key_state);
            e->unkeyed[st]++;
        } else {
            keyed++;
        }
        e->any[st]++;
        texts += m[i].text != NULL;
        kept += m[i].state == EXPR_OK;
    }
    size_t room = (size_t)keyed + 1;
    struct keyed *sorted = sp_calloc(room, sizeof *sorted);
    const struct person **keep =
        want_kept ? expr_pool_alloc(pool, sizeof *keep * ((size_t)kept + 1)) : NULL;
    e->texts = expr_pool_alloc(pool, sizeof *e->texts * ((size_t)texts + 1));
    e->keys = p->key >= 0 ? expr_pool_alloc(pool, sizeof *e->keys * room) : NULL;
    e->kept.persons = keep;
    int ok = sorted != NULL && e->texts != NULL && (p->key < 0 || e->keys != NULL) &&
             (!want_kept || keep != NULL);
    for (int s = 0; ok && s < 4; s++)
        ok = (e->prefix[s] = expr_pool_alloc(pool, sizeof *e->prefix[s] * room)) != NULL;
    if (!ok) {
        sp_free(sorted);
        return 0;
    }
    for (int i = 0; i < n_members; i++) {
        if (m[i].excluded)
            continue;
        if (p->key < 0 || m[i].key_state == EXPR_OK)
            sorted[e->n_keyed++] = (struct keyed){m[i].key, m[i].state};
        if (m[i].text != NULL)
            e->texts[e->n_texts++] =
                (struct plan_text){m[i].text, m[i].key, m[i].key_state, m[i].state};
        if (keep != NULL && m[i].state == EXPR_OK)
            keep[e->kept.n++] = persons[i];
    }
    if (p->key >= 0 && e->n_keyed > 1)
        qsort(sorted, (size_t)e->n_keyed, sizeof *sorted, compare_keyed);
    if (e->n_texts > 1)
        qsort(e->texts, (size_t)e->n_texts, sizeof *e->texts, compare_texts);
    for (int s = 0; s < 4; s++)
        e->prefix[s][0] = 0;
    for (int i = 0; i < e->n_keyed; i++) {
        if (e->keys != NULL)
            e->keys[i] = sorted[i].key;
        for (int s = 0; s < 4; s++)
            e->prefix[s][i + 1] = e->prefix[s][i] + (sorted[i].state == s);
    }
    sp_free(sorted);
    return 1;
}

/*
 * Builds e, macro n's plan for the person's household, on its own budgets. Returns 0 when
 * memory for the plan ran out (the macro then runs member by member).
 */
static int build(struct expr_ctx *c, int n, const struct expr_plan *p, struct expr_pool *pool,
                 struct plan_entry *e)
{
    int n_members = c->h->n_members;
    struct member *m = sp_calloc((size_t)n_members, sizeof *m);
    if (m == NULL)
        return 0;
    int64_t steps = c->steps, max_steps = c->max_steps;
    size_t arena_max = c->arena->max, arena_peak = c->arena->peak;
    c->steps = 0;
    c->max_steps = EXPR_STEPS_MAX;
    if (arena_max != 0)
        c->arena->max = c->arena->total + EXPR_ARENA_MAX;
    c->quiet++;
    visit_members(c, n, p, pool, m);
    c->quiet--;
    c->steps = steps;
    c->max_steps = max_steps;
    c->arena->max = arena_max;
    c->arena->peak = arena_peak; /* the household's work is not the person's */
    e->stop = c->stop;
    c->stop = EXPR_STOP_NONE;
    int ok = 1, is_filter = node_of(c->b->u, n)->sub == M_FILTER;
    if (e->stop == EXPR_STOP_NONE)
        ok = index_members(p, m, n_members, c->h->members, is_filter, pool, e);
    sp_free(m);
    return ok;
}

/* ---- answering one person ---- */

/* First index in keys[0..n) whose key is >= x (above: > x). */
static int bound(const int64_t *keys, int n, int64_t x, int above)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (keys[mid] < x || (above && keys[mid] == x))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Counts of members by outcome: true, and unknown by state (unknown[0] unused). */
struct tally {
    int64_t yes;
    int64_t unknown[4];
};

/* Adds the keyed members [lo, hi) whose key comparison holds. */
static void add_range(const struct plan_entry *e, int lo, int hi, struct tally *t)
{
    t->yes += e->prefix[0][hi] - e->prefix[0][lo];
    for (int s = 1; s < 4; s++)
        t->unknown[s] += e->prefix[s][hi] - e->prefix[s][lo];
}

/* The keyed members whose key `op` x holds. */
static void add_keyed(const struct plan_entry *e, int op, int64_t x, struct tally *t)
{
    int n = e->n_keyed;
    if (e->keys == NULL) {
        add_range(e, 0, n, t);
        return;
    }
    int lo = bound(e->keys, n, x, 0), hi = bound(e->keys, n, x, 1);
    switch (op) {
    case T_LT:
        add_range(e, 0, lo, t);
        break;
    case T_LE:
        add_range(e, 0, hi, t);
        break;
    case T_GT:
        add_range(e, hi, n, t);
        break;
    case T_GE:
        add_range(e, lo, n, t);
        break;
    case T_EQ:
        add_range(e, lo, hi, t);
        break;
    default: /* != */
        add_range(e, 0, lo, t);
        add_range(e, hi, n, t);
        break;
    }
}

/* Takes out the members whose text is the person's: their self term is false. */
static void remove_self(struct expr_ctx *c, const struct expr_plan *p, const struct plan_entry *e,
                        const char *text, uint8_t key_state, int64_t x, struct tally *t)
{
    int lo = 0, hi = e->n_texts;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(e->texts[mid].text, text) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < e->n_texts && strcmp(e->texts[i].text, text) == 0; i++) {
        if (!expr_step(c, 1))
            return;
        const struct plan_text *m = &e->texts[i];
        uint8_t st = m->state;
        int counted = 1;
        if (p->key >= 0 && key_state != EXPR_OK)
            st = expr_state_max(expr_state_max(st, m->key_state), key_state);
        else if (p->key >= 0 && m->key_state != EXPR_OK)
            st = expr_state_max(st, m->key_state);
        else
            counted = p->key < 0 || expr_compare(p->key_op, m->key, x) != 0;
        if (counted && st == EXPR_OK)
            t->yes--;
        else if (counted)
            t->unknown[st]--;
    }
}

static struct expr_xval result(uint8_t state, int64_t v)
{
    struct expr_xval x = {state, state == EXPR_OK ? v : 0, NULL, NULL};
    return x;
}

/* The person's answer from plan entry e of macro n. */
static struct expr_xval answer(struct expr_ctx *c, int n, const struct expr_plan *p,
                               const struct plan_entry *e)
{
    const struct expr_unit *u = c->b->u;
    if (e->stop != EXPR_STOP_NONE) {
        c->stop = e->stop;
        return result(EXPR_FAILED, 0);
    }
    int64_t open = e->any[0] + e->any[1] + e->any[2] + e->any[3];
    struct expr_xval x = {EXPR_OK, 0, NULL, NULL}, who = {EXPR_OK, 0, NULL, NULL};
    c->quiet++; /* the person's sides, as the loop would evaluate them */
    if (p->key >= 0 && open > 0)
        x = expr_eval(c, side(u, p->key, p->key_left, 0));
    if (p->self >= 0 && open > 0)
        who = expr_eval(c, side(u, p->self, p->self_left, 0));
    c->quiet--;
    if (c->stop != EXPR_STOP_NONE || !expr_step(c, 1))
        return result(EXPR_FAILED, 0);
    struct tally t;
    memset(&t, 0, sizeof t);
    if (p->key >= 0 && x.state != EXPR_OK) {
        for (int s = 0; s < 4; s++)
            t.unknown[expr_state_max((uint8_t)s, x.state)] += e->any[s];
    } else {
        for (int s = 1; s < 4; s++)
            t.unknown[s] += e->unkeyed[s];
        add_keyed(e, p->key_op, x.v, &t);
    }
    if (p->self >= 0 && who.state == EXPR_OK) {
        remove_self(c, p, e, who.s ? who.s : "", x.state, x.v, &t);
        if (c->stop != EXPR_STOP_NONE)
            return result(EXPR_FAILED, 0);
    } else if (p->self >= 0) { /* no text to compare with: every open member is unknown */
        int64_t moved[4] = {0, 0, 0, 0};
        moved[who.state] += t.yes;
        for (int s = 1; s < 4; s++)
            moved[expr_state_max((uint8_t)s, who.state)] += t.unknown[s];
        t.yes = 0;
        memcpy(t.unknown, moved, sizeof moved);
    }
    int64_t unknown = t.unknown[1] + t.unknown[2] + t.unknown[3];
    uint8_t worst = t.unknown[3]   ? EXPR_FAILED
                    : t.unknown[2] ? EXPR_PARAM_UNSET
                    : t.unknown[1] ? EXPR_MISSING
                                   : EXPR_OK;
    int64_t no = c->h->n_members - t.yes - unknown;
    switch ((enum expr_macro)node_of(u, n)->sub) {
    case M_EXISTS:
        return t.yes > 0 ? result(EXPR_OK, 1) : result(worst, 0);
    case M_ALL:
        return no > 0 ? result(EXPR_OK, 0) : result(worst, 1);
    case M_COUNT:
        return result(worst, t.yes);
    case M_FILTER:
    default: {
        struct expr_xval v = result(worst, e->kept.n);
        if (worst == EXPR_OK)
            v.ptr = &e->kept;
        return v;
    }
    }
}

int expr_plan_run(struct expr_ctx *c, int n, struct expr_xval *out)
{
    const struct expr_node *x = node_of(c->b->u, n);
    const struct expr_plan *p = x->ptr;
    const struct person_history *h = c->h;
    if (p == NULL || h == NULL || h->n_members < EXPR_PLAN_MIN_MEMBERS || c->s == NULL)
        return 0;
    struct expr_plan_cache *cache = c->s->plans;
    if (cache == NULL) {
        cache = sp_calloc(1, sizeof *cache);
        if (cache == NULL)
            return 0;
        expr_pool_init(&cache->pool, 0);
        cache->as_of = c->b->as_of;
        c->s->plans = cache;
    }
    uint64_t household = h->members_key ? h->members_key : (uint64_t)(uintptr_t)h->members;
    uint64_t run = h->members_key ? 0 : c->s->run;
    size_t bucket = bucket_of(n, household, h->n_members);
    struct plan_entry *e = cache->buckets[bucket];
    while (e != NULL && !(e->node == n && e->household == household && e->run == run &&
                          e->n_members == h->n_members))
        e = e->next;
    if (e == NULL) {
        e = expr_pool_alloc(&cache->pool, sizeof *e);
        if (e == NULL)
            return 0;
        memset(e, 0, sizeof *e);
        e->node = n;
        e->n_members = h->n_members;
        e->household = household;
        e->run = run;
        if (!build(c, n, p, &cache->pool, e))
            return 0;
        e->next = cache->buckets[bucket];
        cache->buckets[bucket] = e;
    }
    *out = answer(c, n, p, e);
    return 1;
}
