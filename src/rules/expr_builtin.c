/*
 * expr_builtin.c: the facts table and every scalar operation of the language (arithmetic,
 * functions, history helpers, parameters). Both ways of running call these, so they agree.
 */
#include <stddef.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "rules/expr_impl.h"
#include "rules/param.h"

/* ---- facts ---- */

/* How the engine stores each kind of field of the vocabulary (model/person.h). */
#define FACT_STORAGE_FIELD_TEXT    FS_TEXT
#define FACT_STORAGE_FIELD_COUNTRY FS_TEXT
#define FACT_STORAGE_FIELD_ENUM    FS_ENUM
#define FACT_STORAGE_FIELD_DATE    FS_DATE
#define FACT_STORAGE_FIELD_MONEY   FS_MONEY
#define FACT_STORAGE_FIELD_BOOL    FS_TRI
#define FACT_STORAGE_FIELD_INT     FS_INT
#define FACT_STORAGE_FIELD_LIST    FS_LIST

/* The facts an expression may read: the vocabulary, field for field (PERSON_FIELDS). */
const struct expr_fact expr_facts[] = {
#define FACT(index, name, type, member, choices, required, description)                            \
    {name, FACT_STORAGE_##type, (uint16_t)offsetof(struct person, member), choices},
    PERSON_FIELDS(FACT)
#undef FACT
};
const int expr_fact_count = (int)(sizeof expr_facts / sizeof expr_facts[0]);

int expr_fact_find(const char *name)
{
    for (int i = 0; i < expr_fact_count; i++)
        if (strcmp(expr_facts[i].name, name) == 0)
            return i;
    return -1;
}

struct expr_type expr_fact_type(const struct expr_fact *f, const char *currency)
{
    struct expr_type t;
    memset(&t, 0, sizeof t);
    switch ((enum expr_fact_storage)f->storage) {
    case FS_TEXT:
    case FS_ENUM:
        t.kind = EXPR_STRING;
        break;
    case FS_DATE:
        t.kind = EXPR_DATE;
        break;
    case FS_MONEY:
        t.kind = EXPR_MONEY;
        text_copy(t.currency, sizeof t.currency, currency ? currency : "");
        break;
    case FS_TRI:
        t.kind = EXPR_BOOL;
        break;
    case FS_INT:
        t.kind = EXPR_INT;
        break;
    case FS_LIST:
        t.kind = EXPR_LIST;
        t.element = EXPR_STRING;
        break;
    }
    return t;
}

int expr_enum_word(const struct expr_fact *f, const char *word)
{
    for (int i = 0; f->choices && f->choices[i]; i++)
        if (strcmp(f->choices[i], word) == 0)
            return i + 1;
    return 0;
}

int expr_list_text_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    const char *p = list;
    while (*p != '\0') {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, item, n) == 0)
            return 1;
        if (end == NULL)
            break;
        p = end + 1;
    }
    return 0;
}

static struct expr_xval xval_state(uint8_t state)
{
    struct expr_xval x = {state, 0, NULL, NULL};
    return x;
}

struct expr_xval expr_fact_read(const struct expr_unit *u, int fact, const struct person *p)
{
    const struct expr_fact *f = &expr_facts[fact];
    const char *at = (const char *)p + f->offset;
    struct expr_xval x = {EXPR_OK, 0, NULL, NULL};
    switch ((enum expr_fact_storage)f->storage) {
    case FS_TEXT:
        if (at[0] == '\0')
            return xval_state(EXPR_MISSING);
        x.s = at;
        return x;
    case FS_LIST:
        x.s = at; /* "" is the empty list: list facts are never missing */
        return x;
    case FS_ENUM: {
        uint8_t code = *(const uint8_t *)at;
        if (code == 0)
            return xval_state(EXPR_MISSING);
        for (int i = 0; i < code; i++)
            if (f->choices[i] == NULL)
                return xval_state(EXPR_FAILED); /* not a value of the enum */
        x.v = code;
        x.s = f->choices[code - 1];
        return x;
    }
    case FS_DATE: {
        int32_t d;
        memcpy(&d, at, sizeof d);
        if (d == DATE_NONE)
            return xval_state(EXPR_MISSING);
        x.v = d;
        return x;
    }
    case FS_MONEY: {
        const struct money *m = (const struct money *)(const void *)at;
        if (m->currency[0] == '\0')
            return xval_state(EXPR_MISSING);
        if (u->scope.currency == NULL || strncmp(m->currency, u->scope.currency, 3) != 0)
            return xval_state(EXPR_FAILED); /* a wage in another currency */
        x.v = m->minor;
        return x;
    }
    case FS_TRI: {
        uint8_t t = *(const uint8_t *)at;
        if (t == TRISTATE_UNSET)
            return xval_state(EXPR_MISSING);
        x.v = t == TRISTATE_TRUE;
        return x;
    }
    case FS_INT: {
        int32_t n;
        memcpy(&n, at, sizeof n);
        if (n < 0)
            return xval_state(EXPR_MISSING);
        x.v = n;
        return x;
    }
    }
    return xval_state(EXPR_FAILED);
}

int expr_fact_given(const struct expr_fact *f, const struct person *p)
{
    const char *at = (const char *)p + f->offset;
    switch ((enum expr_fact_storage)f->storage) {
    case FS_TEXT:
    case FS_LIST:
        return at[0] != '\0';
    case FS_ENUM:
    case FS_TRI:
        return *(const uint8_t *)at != 0;
    case FS_DATE: {
        int32_t d;
        memcpy(&d, at, sizeof d);
        return d != DATE_NONE;
    }
    case FS_MONEY:
        return ((const struct money *)(const void *)at)->currency[0] != '\0';
    case FS_INT: {
        int32_t n;
        memcpy(&n, at, sizeof n);
        return n >= 0;
    }
    }
    return 0;
}

/* The text of extra fact `name` in p, or NULL. */
static const char *extra_text(const struct person *p, const char *name)
{
    int n = p->n_extra < 0 ? 0 : p->n_extra > PERSON_EXTRA_MAX ? PERSON_EXTRA_MAX : p->n_extra;
    for (int i = 0; i < n; i++)
        if (strncmp(p->extra[i].name, name, PERSON_EXTRA_NAME_SIZE) == 0)
            return memchr(p->extra[i].value, '\0', PERSON_EXTRA_VALUE_SIZE) ? p->extra[i].value
                                                                            : NULL;
    return NULL;
}

/* An extra fact's text read per its declared type (MISSING when empty, FAILED if invalid). */
static struct expr_xval extra_parse(const struct expr_fact_decl *d, const char *text)
{
    struct expr_xval x = {EXPR_OK, 0, NULL, NULL};
    if (text == NULL || text[0] == '\0')
        return xval_state(EXPR_MISSING);
    struct error ignored;
    error_init(&ignored);
    int ok = 1;
    switch (d->type.kind) {
    case EXPR_INT: {
        long long v;
        ok = text_parse_int64(text, &v);
        x.v = v;
        break;
    }
    case EXPR_DECIMAL:
        ok = decimal_parse(text, &x.v, &ignored) == SP_OK;
        break;
    case EXPR_MONEY: {
        struct money m;
        ok = money_parse_tagged(text, d->type.currency, &m, &ignored) == SP_OK &&
             strcmp(m.currency, d->type.currency) == 0;
        x.v = m.minor;
        break;
    }
    case EXPR_DATE: {
        int32_t day;
        ok = date_parse(text, &day, &ignored) == SP_OK;
        x.v = day;
        break;
    }
    case EXPR_BOOL:
        ok = strcmp(text, "true") == 0 || strcmp(text, "false") == 0;
        x.v = strcmp(text, "true") == 0;
        break;
    case EXPR_STRING:
    case EXPR_LIST:
        x.s = text;
        break;
    default:
        ok = 0;
        break;
    }
    return ok ? x : xval_state(EXPR_FAILED);
}

int expr_fact_value_valid(const struct expr_fact_decl *d, const char *text)
{
    return extra_parse(d, text).state == EXPR_OK;
}

struct expr_xval expr_extra_default(const struct expr_unit *u, int extra)
{
    return extra_parse(&u->scope.extra_facts[extra], u->scope.extra_facts[extra].default_value);
}

int expr_extra_given(const struct expr_unit *u, int extra, const struct person *p)
{
    const char *text = extra_text(p, u->scope.extra_facts[extra].name);
    return text != NULL && text[0] != '\0';
}

struct expr_xval expr_extra_read(const struct expr_unit *u, int extra, const struct person *p)
{
    const struct expr_fact_decl *d = &u->scope.extra_facts[extra];
    const char *text = extra_text(p, d->name);
    return extra_parse(d, text != NULL && text[0] != '\0' ? text : d->default_value);
}

/* ---- arithmetic ---- */

uint8_t expr_arith(int op, int64_t a, int64_t b, enum rounding r, int64_t *out)
{
    switch (op) {
    case X_ADD:
        return __builtin_add_overflow(a, b, out) ? EXPR_FAILED : EXPR_OK;
    case X_SUB:
        return __builtin_sub_overflow(a, b, out) ? EXPR_FAILED : EXPR_OK;
    case X_MULI:
        return __builtin_mul_overflow(a, b, out) ? EXPR_FAILED : EXPR_OK;
    case X_MULS:
        return money_mul_ratio(a, b, DECIMAL_SCALE, r, out, NULL) == SP_OK ? EXPR_OK : EXPR_FAILED;
    case X_DIVS:
        if (b == 0 || b == INT64_MIN)
            return EXPR_FAILED;
        return money_mul_ratio(a, b < 0 ? -DECIMAL_SCALE : DECIMAL_SCALE, b < 0 ? -b : b, r, out,
                               NULL) == SP_OK
                   ? EXPR_OK
                   : EXPR_FAILED;
    case X_MODI:
        if (b == 0 || (a == INT64_MIN && b == -1))
            return EXPR_FAILED;
        *out = a % b;
        return EXPR_OK;
    case X_DIVI:
        if (b == 0 || (a == INT64_MIN && b == -1))
            return EXPR_FAILED;
        *out = a / b; /* C and CEL both truncate toward zero */
        return EXPR_OK;
    default:
        return EXPR_FAILED;
    }
}

int expr_arith_by_zero(int op, int64_t b)
{
    return (op == X_DIVS || op == X_MODI || op == X_DIVI) && b == 0;
}

uint8_t expr_neg(int64_t a, int64_t *out)
{
    if (a == INT64_MIN)
        return EXPR_FAILED;
    *out = -a;
    return EXPR_OK;
}

uint8_t expr_todec(int64_t a, int64_t *out)
{
    return __builtin_mul_overflow(a, (int64_t)DECIMAL_SCALE, out) ? EXPR_FAILED : EXPR_OK;
}

/* ---- functions ---- */

static int date_ok(int64_t d)
{
    return d >= EXPR_DATE_MIN && d <= EXPR_DATE_MAX;
}

static int32_t quarter_first(int32_t d)
{
    struct civil_date c = date_to_civil(d);
    return date_from_civil(c.year, (c.month - 1) / 3 * 3 + 1, 1);
}

uint8_t expr_builtin_apply(const struct expr_bound *b, const struct expr_node *node,
                           const int64_t *args, int n, int64_t *out)
{
    (void)n;
    switch ((enum expr_builtin)node->sub) {
    case B_AGE_YEARS:
        return expr_age_years_fast(b, args[0], out); /* == date_age_years (unit-tested) */
    case B_AGE_MONTHS:
        if (!date_ok(args[0]))
            return EXPR_FAILED;
        *out = date_months_between((int32_t)args[0], b->as_of);
        return EXPR_OK;
    case B_MONTHS_BETWEEN:
        if (!date_ok(args[0]) || !date_ok(args[1]))
            return EXPR_FAILED;
        *out = date_months_between((int32_t)args[0], (int32_t)args[1]);
        return EXPR_OK;
    case B_ADD_MONTHS: {
        if (!date_ok(args[0]) || args[1] > 12 * 10000 || args[1] < -12 * 10000)
            return EXPR_FAILED;
        struct civil_date c = date_to_civil((int32_t)args[0]);
        int64_t index = (int64_t)c.year * 12 + (c.month - 1) + args[1];
        if (index < 12 || index > 9999 * 12 + 11)
            return EXPR_FAILED;
        *out = date_add_months((int32_t)args[0], (int)args[1]);
        return EXPR_OK;
    }
    case B_ADD_DAYS:
        if (!date_ok(args[0]) || args[1] > EXPR_DATE_MAX - EXPR_DATE_MIN ||
            args[1] < EXPR_DATE_MIN - EXPR_DATE_MAX || !date_ok(args[0] + args[1]))
            return EXPR_FAILED;
        *out = args[0] + args[1];
        return EXPR_OK;
    case B_MONTH_START: {
        if (!date_ok(args[0]))
            return EXPR_FAILED;
        struct civil_date c = date_to_civil((int32_t)args[0]);
        *out = date_from_civil(c.year, c.month, 1);
        return EXPR_OK;
    }
    case B_QUARTER_START:
        if (!date_ok(args[0]))
            return EXPR_FAILED;
        *out = quarter_first((int32_t)args[0]);
        return EXPR_OK;
    case B_QUARTER_END: {
        if (!date_ok(args[0]))
            return EXPR_FAILED;
        struct civil_date c = date_to_civil(quarter_first((int32_t)args[0]));
        int month = c.month + 2;
        *out = date_from_civil(c.year, month, date_days_in_month(c.year, month));
        return EXPR_OK;
    }
    case B_MIN:
        *out = args[0] < args[1] ? args[0] : args[1];
        return EXPR_OK;
    case B_MAX:
        *out = args[0] > args[1] ? args[0] : args[1];
        return EXPR_OK;
    case B_CLAMP: {
        int64_t v = args[0] < args[1] ? args[1] : args[0];
        *out = v > args[2] ? args[2] : v;
        return EXPR_OK;
    }
    case B_ROUND:
        return money_round_to_unit(args[0], node->value, (enum rounding)node->ref, out, NULL) ==
                       SP_OK
                   ? EXPR_OK
                   : EXPR_FAILED;
    case B_SCALE_RATE:
    case B_SCALE_MARGINAL:
        return EXPR_FAILED; /* see expr_scale_apply */
    case B_FULL_YEAR:
    case B_MONTH0:
    case B_DATE1:
    case B_DAY0:
    case B_WEEKDAY:
    case B_YEAR_DAY0: {
        if (!date_ok(args[0]))
            return EXPR_FAILED;
        struct civil_date c = date_to_civil((int32_t)args[0]);
        switch ((enum expr_builtin)node->sub) {
        case B_FULL_YEAR:
            *out = c.year;
            break;
        case B_MONTH0:
            *out = c.month - 1;
            break;
        case B_DATE1:
            *out = c.day;
            break;
        case B_DAY0:
            *out = c.day - 1;
            break;
        case B_WEEKDAY: /* day 0 (1970-01-01) was a Thursday */
            *out = ((args[0] + 4) % 7 + 7) % 7;
            break;
        default:
            *out = args[0] - date_from_civil(c.year, 1, 1);
            break;
        }
        return EXPR_OK;
    }
    case B_DIV: {
        /* a * DECIMAL_SCALE / (b * unit), rounded once, times unit: one rounding, exact */
        int64_t den, q;
        if (args[1] == 0 || args[1] == INT64_MIN ||
            __builtin_mul_overflow(args[1] < 0 ? -args[1] : args[1], node->value, &den))
            return EXPR_FAILED;
        if (money_mul_ratio(args[0], args[1] < 0 ? -DECIMAL_SCALE : DECIMAL_SCALE, den,
                            (enum rounding)node->ref, &q, NULL) != SP_OK ||
            __builtin_mul_overflow(q, node->value, out))
            return EXPR_FAILED;
        return EXPR_OK;
    }
    }
    return EXPR_FAILED;
}

const char *expr_call_failure(const struct expr_node *node, const int64_t *args, int n)
{
    static const char dates[] = "the date would be outside 0001-01-01 to 9999-12-31";
    static const char overflow[] = "overflow: the result does not fit in 64 bits";
    if (node->op == X_FN) {
        switch ((enum expr_fn)node->sub) {
        case F_INDEX:
            return "the index is outside the list";
        case F_INT_OF_TEXT:
            return "the text is not an int";
        case F_MATCHES:
            return "the match passed its limits (docs/expressions.md, \"Functions\")";
        default:
            return "CEL gives an error for this conversion: the value is out of range or not "
                   "one of the type";
        }
    }
    if (node->op == X_HIST) {
        if (node->sub != H_TOP_N_SUM)
            return dates;
        if (n > 0 && args[0] < 0)
            return "the number of wage bases to add up is negative";
        for (int i = 1; i < n; i++)
            if (!date_ok(args[i]))
                return dates;
        return "a wage base is in another currency than the scheme's, or the sum does not fit "
               "in 64 bits";
    }
    switch ((enum expr_builtin)node->sub) {
    case B_DIV:
        return n > 1 && args[1] == 0 ? "division by zero" : overflow;
    case B_ROUND:
    case B_SCALE_RATE:
    case B_SCALE_MARGINAL:
    case B_MIN:
    case B_MAX:
    case B_CLAMP:
        return overflow;
    default:
        return dates;
    }
}

void expr_age_table_init(struct expr_bound *b)
{
    struct civil_date o = date_to_civil(b->as_of);
    b->age_ok = date_ok(b->as_of) && o.year > EXPR_AGE_TABLE + 1;
    if (!b->age_ok)
        return;
    for (int a = 0; a <= EXPR_AGE_TABLE + 1; a++) {
        int y = o.year - a;
        int last = date_days_in_month(y, o.month);
        b->age_cut[a] = date_from_civil(y, o.month, o.day > last ? last : o.day);
        b->age_cut_wide[a] = b->age_cut[a];
    }
}

uint8_t expr_age_years_slow(const struct expr_bound *b, int64_t birth, int64_t *out)
{
    if (!date_ok(birth))
        return EXPR_FAILED;
    *out = date_age_years((int32_t)birth, b->as_of);
    return EXPR_OK;
}

/* ---- scales ---- */

uint8_t expr_scale_apply(const struct expr_unit *u, int which, const struct param_value *pv,
                         int64_t x, int64_t *out)
{
    if (which == B_SCALE_RATE) {
        int64_t rate = 0;
        for (int i = 0; i < pv->n_brackets && pv->brackets[i].threshold <= x; i++)
            rate = pv->brackets[i].rate;
        *out = rate;
        return EXPR_OK;
    }
    int64_t sum = 0;
    for (int i = 0; i < pv->n_brackets; i++) {
        int64_t lo = pv->brackets[i].threshold;
        if (x <= lo)
            break;
        int64_t top = x;
        if (i + 1 < pv->n_brackets && pv->brackets[i + 1].threshold < x)
            top = pv->brackets[i + 1].threshold;
        int64_t part, amount;
        if (__builtin_sub_overflow(top, lo, &part) ||
            money_mul_ratio(part, pv->brackets[i].rate, DECIMAL_SCALE, u->scope.rounding, &amount,
                            NULL) != SP_OK ||
            __builtin_add_overflow(sum, amount, &sum))
            return EXPR_FAILED;
    }
    *out = sum;
    return EXPR_OK;
}

/* ---- parameters ---- */

struct expr_xval expr_param_value(const struct expr_unit *u, int slot, const struct param_value *pv,
                                  uint8_t state, const struct expr_list *list)
{
    struct expr_xval x = {state, 0, NULL, NULL};
    if (state != EXPR_OK || pv == NULL)
        return xval_state(EXPR_PARAM_UNSET);
    switch (u->pslots[slot].param->kind) {
    case PARAM_TEXT:
        x.s = pv->text ? pv->text : "";
        break;
    case PARAM_LIST:
        x.ptr = list;
        break;
    case PARAM_SCALE:
        x.ptr = pv; /* scale functions read the brackets */
        break;
    default:
        x.v = pv->number;
        break;
    }
    return x;
}

static int scheme_matches(const char *row_scheme, const char *want)
{
    return want == NULL || strncmp(row_scheme, want, SCHEME_ID_SIZE) == 0;
}

/* 1 if h has an enrolment in the unit's scheme that started before `day`. */
static int enrolled_before(const struct expr_unit *u, const struct person_history *h, int32_t day)
{
    if (h == NULL || u->scope.scheme_id == NULL)
        return 0;
    for (int i = 0; i < h->n_enrolments; i++)
        if (scheme_matches(h->enrolments[i].scheme, u->scope.scheme_id) &&
            h->enrolments[i].from < day)
            return 1;
    return 0;
}

struct expr_xval expr_param_read(const struct expr_bound *b, int slot, const struct person *p,
                                 const struct person_history *h, int *kept)
{
    (void)p;
    const struct expr_unit *u = b->u;
    const struct expr_bparam *bp = &b->params[slot];
    int g = u->pslots[slot].grandfather;
    *kept = 0;
    if (g >= 0 && enrolled_before(u, h, u->scope.grandfathers[g].enrolled_before)) {
        *kept = 1;
        return expr_param_value(u, slot, bp->kept, bp->kept_state, &bp->kept_list);
    }
    return expr_param_value(u, slot, bp->pv, bp->state, &bp->list);
}

int expr_enrolled_on(const struct expr_unit *u, const struct person_history *h, int32_t day)
{
    if (h == NULL || u->scope.scheme_id == NULL)
        return 0;
    for (int i = 0; i < h->n_enrolments; i++) {
        const struct enrolment *e = &h->enrolments[i];
        if (scheme_matches(e->scheme, u->scope.scheme_id) && e->from <= day &&
            (e->to == DATE_NONE || e->to >= day))
            return 1;
    }
    return 0;
}

int32_t expr_enrolment_from(const struct expr_unit *u, const struct person_history *h,
                            int32_t as_of)
{
    int32_t from = DATE_NONE;
    if (h == NULL || u->scope.scheme_id == NULL)
        return from;
    for (int i = 0; i < h->n_enrolments; i++) {
        const struct enrolment *e = &h->enrolments[i];
        if (scheme_matches(e->scheme, u->scope.scheme_id) && e->from <= as_of &&
            (from == DATE_NONE || e->from > from))
            from = e->from;
    }
    return from;
}

/* ---- history helpers ---- */

static const char *contribution_scheme(const struct expr_unit *u)
{
    return u->scope.contribution_scheme ? u->scope.contribution_scheme : u->scope.scheme_id;
}

/* Which contribution rows count: those of one scheme (want), compared as scheme_matches does. */
struct rows {
    const char *want; /* NULL: every row */
    size_t len;       /* bytes to compare: want's length with its NUL, at most SCHEME_ID_SIZE */
    const char *const *also; /* further schemes whose rows count (contributions_from's list) */
    int n_also;
};

static struct rows rows_of(const struct expr_unit *u)
{
    struct rows r = {contribution_scheme(u), 0, u->scope.contribution_schemes_also,
                     u->scope.n_contribution_schemes_also};
    if (r.want != NULL) {
        size_t n = strlen(r.want);
        r.len = n < SCHEME_ID_SIZE ? n + 1 : SCHEME_ID_SIZE;
    }
    return r;
}

/* Contribution rows of the scheme, in month order: iterate with i from 0, skip the others. */
static int row_counts(const struct rows *r, const struct contribution *c)
{
    if (r->want == NULL || memcmp(c->scheme, r->want, r->len) == 0)
        return 1;
    for (int i = 0; i < r->n_also; i++)
        if (strncmp(c->scheme, r->also[i], SCHEME_ID_SIZE) == 0)
            return 1;
    return 0;
}

static int64_t months_in_range(const struct expr_unit *u, const struct person_history *h,
                               int32_t from, int32_t to)
{
    struct rows r = rows_of(u);
    int64_t count = 0;
    int32_t last = INT32_MIN;
    for (int i = 0; i < h->n_contributions; i++) {
        const struct contribution *c = &h->contributions[i];
        if (!row_counts(&r, c) || c->month < from || c->month >= to || c->month == last)
            continue;
        count++;
        last = c->month;
    }
    return count;
}

/*
 * top_n_sum's floor and ceiling parameters (see clamp_bounds in expr_check.c), or NULL, and
 * the values of both in force on the first day of months first..last (none yet when first >
 * last): the rows of a history mostly fall within one span.
 */
struct bounds {
    const struct param *floor, *ceiling;
    int32_t first, last;
    const struct param_value *lo, *hi;
};

static struct bounds bounds_of(const struct expr_unit *u, int64_t value)
{
    struct bounds b = {NULL, NULL, 1, 0, NULL, NULL};
    int64_t lo = value & 0xffffffff, hi = value >> 32;
    if (lo > 0 && hi > 0 && lo <= u->n_pslots && hi <= u->n_pslots) {
        b.floor = u->pslots[lo - 1].param;
        b.ceiling = u->pslots[hi - 1].param;
    }
    return b;
}

/* Finds b's values for month and the months they hold for. */
static void bounds_find(struct bounds *b, int32_t month)
{
    int32_t first_lo, last_lo, first_hi, last_hi;
    b->lo = param_value_of_month(b->floor, month, &first_lo, &last_lo);
    b->hi = param_value_of_month(b->ceiling, month, &first_hi, &last_hi);
    b->first = first_lo > first_hi ? first_lo : first_hi;
    b->last = last_lo < last_hi ? last_lo : last_hi;
}

/* The row's wage base, clamped to the floor and ceiling in force in the row's month. */
static uint8_t row_wage(struct bounds *b, const struct contribution *c, int64_t *out)
{
    int64_t w = c->wage.minor;
    if (b->floor != NULL) {
        if (c->month < -1969 * 12 || c->month > 8029 * 12 + 11)
            return EXPR_FAILED;
        if (c->month < b->first || c->month > b->last)
            bounds_find(b, c->month);
        const struct param_value *lo = b->lo, *hi = b->hi;
        if (lo == NULL || hi == NULL || !lo->is_set || !hi->is_set)
            return EXPR_PARAM_UNSET;
        w = w < lo->number ? lo->number : w;
        w = w > hi->number ? hi->number : w;
    }
    *out = w;
    return EXPR_OK;
}

/*
 * One round of top_n_sum: count rows of wage best, the largest left, of which it takes as
 * many as remain to take. 1 on overflow.
 */
static int take_round(int64_t best, int64_t count, int64_t *remaining, int64_t *sum)
{
    int64_t take = count < *remaining ? count : *remaining, part;
    if (__builtin_mul_overflow(best, take, &part) || __builtin_add_overflow(*sum, part, sum))
        return 1;
    *remaining -= take;
    return 0;
}

/* Sorts w[0..n-1] from the largest down (n is at most 64: by insertion). */
static void sort_descending(int64_t *w, int n)
{
    for (int i = 1; i < n; i++) {
        int64_t x = w[i];
        int j = i;
        for (; j > 0 && w[j - 1] < x; j--)
            w[j] = w[j - 1];
        w[j] = x;
    }
}

static uint8_t top_n_sum(const struct expr_unit *u, const struct person_history *h, int64_t n,
                         int32_t from, int32_t to, int64_t bound_slots, int64_t *out)
{
    int64_t sum = 0, remaining = n, prev = 0;
    if (n < 0)
        return EXPR_FAILED;
    struct rows r = rows_of(u);
    struct bounds b = bounds_of(u, bound_slots);
    uint8_t unset = EXPR_OK;
    /* the wages of the rows in the window, kept when there are at most 64 rows (then each row
       is read once); every row's currency is checked before an unset parameter is reported */
    int keep = h->n_contributions <= 64, kept = 0;
    int64_t wages[64];
    for (int i = 0; i < h->n_contributions; i++) {
        const struct contribution *c = &h->contributions[i];
        if (!row_counts(&r, c) || c->month < from || c->month >= to)
            continue;
        /* the unit's currency is a known 3-letter code, so memcmp agrees with strncmp */
        if (u->scope.currency == NULL || memcmp(c->wage.currency, u->scope.currency, 3) != 0)
            return EXPR_FAILED; /* a wage base in another currency */
        int64_t w;
        uint8_t st = row_wage(&b, c, &w);
        if (st == EXPR_FAILED)
            return st;
        if (st != EXPR_OK)
            unset = st;
        if (keep)
            wages[kept++] = w;
    }
    if (unset != EXPR_OK)
        return unset;
    if (keep) { /* largest first: each round takes the next run of equal wages */
        sort_descending(wages, kept);
        for (int j = 0; j < kept && remaining > 0;) {
            int64_t best = wages[j], count = 0;
            for (; j < kept && wages[j] == best; j++)
                count++;
            if (take_round(best, count, &remaining, &sum))
                return EXPR_FAILED;
        }
        *out = sum;
        return EXPR_OK;
    }
    int have_prev = 0;
    while (remaining > 0) { /* each round reads the rows again for the next largest wage */
        int64_t best = 0, count = 0;
        for (int i = 0; i < h->n_contributions; i++) {
            const struct contribution *c = &h->contributions[i];
            int64_t w = 0;
            if (!row_counts(&r, c) || c->month < from || c->month >= to ||
                row_wage(&b, c, &w) != EXPR_OK || (have_prev && w >= prev))
                continue;
            if (count == 0 || w > best) {
                best = w;
                count = 1;
            } else if (w == best) {
                count++;
            }
        }
        if (count == 0)
            break;
        if (take_round(best, count, &remaining, &sum))
            return EXPR_FAILED;
        prev = best;
        have_prev = 1;
    }
    *out = sum;
    return EXPR_OK;
}

uint8_t expr_hist_apply(const struct expr_bound *b, const struct expr_node *node,
                        const struct person_history *h, const int64_t *args, int n, int64_t *out)
{
    static const struct person_history none;
    const struct expr_unit *u = b->u;
    if (h == NULL)
        h = &none;
    for (int i = 0; i < n; i++)
        if (node->sub != H_TOP_N_SUM || i > 0)
            if (!date_ok(args[i]))
                return EXPR_FAILED;
    switch ((enum expr_hist)node->sub) {
    case H_MONTHS_IN_WINDOW:
        *out =
            months_in_range(u, h, month_of_date((int32_t)args[0]), month_of_date((int32_t)args[1]));
        return EXPR_OK;
    case H_CONTINUOUS_BEFORE: {
        int32_t expect = month_of_date((int32_t)args[0]) - 1;
        struct rows r = rows_of(u);
        int64_t count = 0;
        for (int i = h->n_contributions - 1; i >= 0; i--) {
            const struct contribution *c = &h->contributions[i];
            if (!row_counts(&r, c) || c->month > expect + 1)
                continue;
            if (c->month == expect) {
                count++;
                expect--;
            } else if (c->month < expect) {
                break;
            }
        }
        *out = count;
        return EXPR_OK;
    }
    case H_TOTAL_MONTHS:
        *out = months_in_range(u, h, INT32_MIN, INT32_MAX);
        return EXPR_OK;
    case H_FIRST_MONTH: {
        struct rows r = rows_of(u);
        for (int i = 0; i < h->n_contributions; i++) {
            if (row_counts(&r, &h->contributions[i])) {
                int32_t m = h->contributions[i].month;
                if (m < -1969 * 12 || m > 8029 * 12 + 11)
                    return EXPR_FAILED;
                *out = month_first_day(m);
                return EXPR_OK;
            }
        }
        return EXPR_MISSING;
    }
    case H_TOP_N_SUM:
        return top_n_sum(u, h, args[0], month_of_date((int32_t)args[1]),
                         month_of_date((int32_t)args[2]), node->value, out);
    case H_EV_LAST:
    case H_EV_LAST_CONTRACT: {
        const struct life_event *last = NULL;
        for (int i = 0; i < h->n_events; i++) {
            const struct life_event *e = &h->events[i];
            if ((int64_t)e->type == node->value && e->date <= b->as_of &&
                (last == NULL || e->date >= last->date))
                last = e;
        }
        if (last == NULL)
            return EXPR_MISSING;
        if (node->sub == H_EV_LAST) {
            *out = last->date;
            return EXPR_OK;
        }
        if (last->contract_months <= 0)
            return EXPR_MISSING;
        *out = last->contract_months;
        return EXPR_OK;
    }
    case H_EV_COUNT:
    case H_EV_HAS: {
        int64_t count = 0;
        for (int i = 0; i < h->n_events; i++) {
            const struct life_event *e = &h->events[i];
            if ((int64_t)e->type == node->value && e->date <= b->as_of &&
                (node->sub == H_EV_HAS || e->date >= args[0]))
                count++;
        }
        *out = node->sub == H_EV_HAS ? count > 0 : count;
        return EXPR_OK;
    }
    }
    return EXPR_FAILED;
}

/* ---- CEL functions on strings and lists (X_FN) ---- */

int64_t expr_text_size(const char *s)
{
    int64_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80; /* every byte but a UTF-8 continuation starts a code point */
    return n;
}

static int text_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int text_ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return m <= n && memcmp(s + n - m, suffix, m) == 0;
}

uint8_t expr_fn_apply(const struct expr_unit *u, const struct expr_node *node,
                      const struct expr_xval *args, int n, struct expr_xval *out)
{
    memset(out, 0, sizeof *out);
    out->state = EXPR_OK;
    const char *s = n > 0 && args[0].s ? args[0].s : "";
    const char *t = n > 1 && args[1].s ? args[1].s : "";
    switch ((enum expr_fn)node->sub) {
    case F_CONTAINS:
        out->v = strstr(s, t) != NULL;
        return EXPR_OK;
    case F_STARTS_WITH:
        out->v = text_starts(s, t);
        return EXPR_OK;
    case F_ENDS_WITH:
        out->v = text_ends(s, t);
        return EXPR_OK;
    case F_STRING_SIZE:
        out->v = expr_text_size(s);
        return EXPR_OK;
    case F_INDEX: {
        const struct expr_list *l = args[0].ptr;
        int64_t i = args[1].v;
        if (l == NULL || i < 0 || i >= l->n)
            return out->state = EXPR_FAILED;
        if (l->strs != NULL)
            out->s = l->strs[i];
        else if (l->nums != NULL)
            out->v = l->nums[i];
        return EXPR_OK;
    }
    case F_INT_OF_TEXT: {
        long long v;
        if (!text_parse_int64(s, &v))
            return out->state = EXPR_FAILED;
        out->v = v;
        return EXPR_OK;
    }
    case F_MATCHES:
        return out->state = expr_regex_match(u, node->ptr, s, &out->v);
    case F_FAIL:
        return out->state = EXPR_FAILED;
    }
    return out->state = EXPR_FAILED;
}
