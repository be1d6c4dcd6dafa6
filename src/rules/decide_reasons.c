/* decide_reasons.c: a decision's reasons for people, one line per condition (decide.h). */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "rules/decide_impl.h"
#include "rules/reason.h"
#include "rules/scheme_words.h"

#define VALUE_TEXT_SIZE 128 /* bytes of one named value shown in a text */

/* What one decision's lines are made from. */
struct reasoner {
    const struct decide_bound *b;
    struct decide_scratch *s;
    const struct person *p;
    const struct person_history *h;
    struct reason_fill fill; /* the person's values, for the templates */
    struct buf *out;
    struct error *err;
};

/* reason_fill.param_value: the value the decision used (grandfathering applied). */
static const struct param_value *used_value(void *ctx, const struct param *param)
{
    const struct reasoner *r = ctx;
    int kept;
    return expr_param_used(r->b->bound, param, r->p, r->h, &kept);
}

/* The text of named value k for templates, into out (or NULL when it has none). */
static const char *value_text(const struct reasoner *r, int k, char *out)
{
    const struct scheme *sc = r->b->scheme;
    const struct expr_value *v = &r->s->values[sc->values[k].index];
    if (v->state != EXPR_OK)
        return NULL;
    struct expr_type t = expr_unit_type(sc->unit, sc->values[k].index);
    char raw[VALUE_TEXT_SIZE - 8]; /* room left for the currency */
    expr_format_value(t, v->value, v->text, raw, sizeof raw);
    if (t.kind == EXPR_MONEY)
        snprintf(out, VALUE_TEXT_SIZE, "%s %s", raw, t.currency);
    else if (t.kind == EXPR_BOOL || t.kind == EXPR_STRING)
        reason_words(raw, out, VALUE_TEXT_SIZE);
    else
        snprintf(out, VALUE_TEXT_SIZE, "%s", raw);
    return out;
}

/* Appends ", kept for those enrolled before DATE" for a grandfathered parameter. */
static int kept_note(struct reasoner *r, const struct param *param)
{
    const struct scheme *sc = r->b->scheme;
    for (int g = 0; g < sc->n_grandfathers; g++) {
        if (strcmp(sc->grandfathers[g].path, param->path) != 0)
            continue;
        char before[DATE_TEXT_SIZE];
        date_format(sc->grandfathers[g].enrolled_before, before);
        return buf_printf(r->out, r->err, ", kept for those enrolled before %s", before);
    }
    return SP_OK;
}

/* Appends " (rule since D: REF; ...)" for the parameters the templates name, each once. */
static int cite_rules(struct reasoner *r, const struct reason_template *const *templates, int n)
{
    const struct param_value *cited[2 * REASON_PARTS_MAX];
    int n_cited = 0, rc = SP_OK;
    for (int t = 0; t < n; t++) {
        for (int i = 0; i < templates[t]->n_parts && rc == SP_OK; i++) {
            const struct reason_part *part = &templates[t]->parts[i];
            if (part->kind != REASON_PARAM)
                continue;
            int kept = 0;
            const struct param_value *v =
                expr_param_used(r->b->bound, part->param, r->p, r->h, &kept);
            if (v == NULL)
                v = param_value_at(part->param, r->b->as_of);
            int seen = v == NULL;
            for (int j = 0; j < n_cited && !seen; j++)
                seen =
                    cited[j]->since == v->since && strcmp(cited[j]->reference, v->reference) == 0;
            if (seen)
                continue;
            char since[DATE_TEXT_SIZE];
            date_format(v->since, since);
            const char *lead = n_cited ? "; since " : " (rule since ";
            const struct decide_text text[] = {{lead, strlen(lead)},
                                               {since, strlen(since)},
                                               {": ", 2},
                                               {v->reference, strlen(v->reference)}};
            rc = decide_put(r->out, text, 4, r->err);
            if (rc == SP_OK && kept)
                rc = kept_note(r, part->param);
            cited[n_cited++] = v;
        }
    }
    return rc == SP_OK && n_cited > 0 ? buf_puts(r->out, ")", r->err) : rc;
}

/*
 * The facts an undetermined condition c waits on, into facts as "income tax payer, sex"; left
 * empty when it waits on none (a record that does not exist: a definite no).
 */
static int name_missing(struct reasoner *r, const struct scheme_expr *c, struct buf *facts)
{
    struct buf names;
    buf_init(&names, 64u * 1024u);
    int rc = expr_missing_facts(r->b->bound, r->s->expr, r->p, r->h, c->index, &names, r->err);
    for (const char *line = names.len ? names.data : ""; rc == SP_OK && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char raw[160], words[200];
        snprintf(raw, sizeof raw, "%.*s", (int)n, line);
        reason_words(raw, words, sizeof words);
        rc = buf_printf(facts, r->err, "%s%s", facts->len ? ", " : "", words);
        line += n + (end != NULL);
    }
    buf_release(&names);
    return rc;
}

#define DASH " \xe2\x80\x94 " /* " — ", between a text and its figure */

/* Why condition c could not be computed: the trace's last line, which names the failure. */
static int why_failed(struct reasoner *r, const struct scheme_expr *c)
{
    struct buf trace;
    buf_init(&trace, 64u * 1024u);
    int rc = expr_explain(r->b->bound, r->s->expr, r->p, r->h, c->index, &trace, r->err);
    size_t end = trace.len, start;
    while (end > 0 && trace.data[end - 1] == '\n')
        end--;
    for (start = end; start > 0 && trace.data[start - 1] != '\n'; start--)
        ;
    if (rc == SP_OK)
        rc = buf_printf(r->out, r->err, DASH "could not be computed%s%.*s", end > start ? ": " : "",
                        (int)(end - start), end > start ? trace.data + start : "");
    buf_release(&trace);
    return rc;
}

/* The mark and the figure (after DASH) of condition c, whose value is v; facts as above. */
static int figure(struct reasoner *r, const struct scheme_expr *c, const struct expr_value *v,
                  const struct scheme_words *w, const struct buf *facts, const char **mark)
{
    switch (v->state) {
    case EXPR_OK:
        *mark = v->value ? DECIDE_MARK_PASSED : DECIDE_MARK_FAILED;
        if (w == NULL || w->figure.source == NULL)
            return SP_OK;
        int rc = buf_puts(r->out, DASH, r->err);
        return rc == SP_OK ? reason_template_fill(&w->figure, &r->fill, r->out, r->err) : rc;
    case EXPR_MISSING:
        *mark = facts->len ? DECIDE_MARK_UNKNOWN : DECIDE_MARK_FAILED;
        if (facts->len == 0)
            return buf_puts(r->out, DASH "nothing on record", r->err);
        return buf_printf(r->out, r->err, DASH "%s not given: ask", facts->data);
    case EXPR_PARAM_UNSET:
        *mark = DECIDE_MARK_UNKNOWN;
        return buf_puts(
            r->out, DASH "a value of the rule is not set yet: an operator must fill it in", r->err);
    default:
        *mark = DECIDE_MARK_ERROR;
        return why_failed(r, c);
    }
}

/* One condition's line: its text and figure are made first, as they decide its mark. */
static int condition_line(struct reasoner *r, int k, const char *lang)
{
    const struct scheme *sc = r->b->scheme;
    const struct scheme_expr *c = decide_condition_at(sc, k);
    if (c->index < 0)
        return SP_OK;
    const struct scheme_words *w = scheme_words_find(sc, k, lang);
    const struct expr_value *v = &r->s->values[c->index];
    struct buf facts, line;
    buf_init(&facts, 64u * 1024u);
    buf_init(&line, 64u * 1024u);
    struct buf *out = r->out;
    r->out = &line;
    int rc = v->state == EXPR_MISSING ? name_missing(r, c, &facts) : SP_OK;
    if (rc == SP_OK && w != NULL) {
        rc = reason_template_fill(&w->text, &r->fill, r->out, r->err);
    } else if (rc == SP_OK) {
        char words[160];
        reason_words(c->name, words, sizeof words);
        rc = buf_puts(r->out, words, r->err);
    }
    const char *mark = DECIDE_MARK_ERROR;
    if (rc == SP_OK)
        rc = figure(r, c, v, w, &facts, &mark);
    if (rc == SP_OK && w != NULL) {
        const struct reason_template *templates[] = {&w->text, &w->figure};
        rc = cite_rules(r, templates, 2);
    }
    r->out = out;
    if (rc == SP_OK) {
        const struct decide_text text[] = {
            {mark, strlen(mark)}, {" ", 1}, {line.data ? line.data : "", line.len}, {"\n", 1}};
        rc = decide_put(out, text, 4, r->err);
    }
    buf_release(&facts);
    buf_release(&line);
    return rc;
}

int decide_reasons(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
                   const struct person_history *h, const struct decision *d, const char *lang,
                   struct buf *out, struct error *err)
{
    const struct scheme *sc = b->scheme;
    if (d->status == DECISION_NOT_APPLICABLE || !b->in_force || s->n_columns == 0 ||
        (d->status == DECISION_FAILED && d->stop != EXPR_STOP_NONE))
        return decide_explain(b, s, p, h, d, 0, out, err);
    int rc = decide_run_person(b, s, p, h, &b, err);
    if (rc != SP_OK)
        return rc;
    int at;
    if (expr_stopped(s->expr, 0, &at) != EXPR_STOP_NONE)
        return decide_explain(b, s, p, h, d, 0, out, err);
    struct reasoner r = {b, s, p, h, {p, b->as_of, NULL, used_value, NULL}, out, err};
    r.fill.ctx = &r;
    char *texts = sp_calloc(sc->n_values > 0 ? (size_t)sc->n_values : 1, VALUE_TEXT_SIZE);
    const char **values = sp_calloc(sc->n_values > 0 ? (size_t)sc->n_values : 1, sizeof *values);
    if (texts == NULL || values == NULL) {
        rc = error_nomem(err);
        goto out_free;
    }
    r.fill.values = values;
    for (int k = 0; k < sc->n_values; k++)
        values[k] = value_text(&r, k, texts + (size_t)k * VALUE_TEXT_SIZE);
    for (int k = 0; k < sc->n_eligibility + sc->n_qualifying && rc == SP_OK; k++)
        rc = condition_line(&r, k, lang);
    if (rc == SP_OK && d->excluded_by != NULL)
        rc = decide_explain_excluded(sc, p, d, out, err);
out_free:
    sp_free(texts);
    sp_free(values);
    return rc;
}
