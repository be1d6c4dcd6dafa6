/*
 * dhis2.c: an indicator's table as a DHIS2 data value set (dhis2.h).
 */
#include "report/dhis2.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"

#define UNMAPPED_LISTED 5   /* unmapped cells named in the message */
#define KEY_SIZE        512 /* a combination's name: the groups joined by commas */

void dhis2_mapping_init(struct dhis2_mapping *m)
{
    memset(m, 0, sizeof *m);
    m->area_dim = DISAGG_ADMIN2;
    report_labels_init(&m->data_elements.names);
    report_labels_init(&m->combos.names);
    report_labels_init(&m->org_units.names);
    report_labels_init(&m->periods.names);
}

static void names_release(struct dhis2_names *n)
{
    report_labels_release(&n->names);
    sp_free(n->uids);
    memset(n, 0, sizeof *n);
}

void dhis2_mapping_release(struct dhis2_mapping *m)
{
    if (m == NULL)
        return;
    names_release(&m->data_elements);
    names_release(&m->combos);
    names_release(&m->org_units);
    names_release(&m->periods);
}

int dhis2_uid_valid(const char *text)
{
    size_t n = strlen(text);
    if (n != DHIS2_UID_SIZE - 1 ||
        !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z')))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z') ||
              (text[i] >= '0' && text[i] <= '9')))
            return 0;
    return 1;
}

int dhis2_names_add(struct dhis2_names *n, const char *name, const char *uid, struct error *err)
{
    if (report_labels_lookup(&n->names, name) >= 0)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is mapped twice", name);
    if (n->names.n == n->cap) {
        int cap = n->cap ? n->cap * 2 : 16;
        char(*grown)[DHIS2_UID_SIZE] = sp_reallocarray(n->uids, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        n->uids = grown;
        n->cap = cap;
    }
    int k = report_labels_find(&n->names, name, err);
    if (k < 0)
        return SP_IO;
    text_copy(n->uids[k], DHIS2_UID_SIZE, uid);
    return SP_OK;
}

/* The identifier of name in n, or NULL. */
static const char *uid_of(const struct dhis2_names *n, const char *name)
{
    int k = report_labels_lookup(&n->names, name);
    return k >= 0 ? n->uids[k] : NULL;
}

int dhis2_period(int32_t from, int32_t as_of, char out[DHIS2_PERIOD_SIZE], struct error *err)
{
    struct civil_date to = date_to_civil(as_of);
    if (from == DATE_NONE) {
        snprintf(out, DHIS2_PERIOD_SIZE, "%04d%02d", to.year, to.month);
        return SP_OK;
    }
    struct civil_date f = date_to_civil(from);
    int last_day = to.day == date_days_in_month(to.year, to.month);
    if (from == as_of) {
        snprintf(out, DHIS2_PERIOD_SIZE, "%04d%02d%02d", f.year, f.month, f.day);
        return SP_OK;
    }
    if (f.day == 1 && last_day && f.year == to.year) {
        if (f.month == to.month) {
            snprintf(out, DHIS2_PERIOD_SIZE, "%04d%02d", f.year, f.month);
            return SP_OK;
        }
        if (f.month % 3 == 1 && to.month == f.month + 2) {
            snprintf(out, DHIS2_PERIOD_SIZE, "%04dQ%d", f.year, (f.month + 2) / 3);
            return SP_OK;
        }
        if (f.month == 1 && to.month == 12) {
            snprintf(out, DHIS2_PERIOD_SIZE, "%04d", f.year);
            return SP_OK;
        }
    }
    char a[DATE_TEXT_SIZE], b[DATE_TEXT_SIZE];
    date_format(from, a);
    date_format(as_of, b);
    return error_set(err, SP_BAD_INPUT,
                     "DHIS2: %s to %s is not a DHIS2 period: give a whole month, quarter or "
                     "year (--from 2025-01-01 --to 2025-03-31), one day, or --by period",
                     a, b);
}

/* ---- writing ---- */

struct writer {
    const struct disagg_table *t;
    const struct dhis2_mapping *m;
    const char *period;
    const char *elements[DISAGG_MEASURES_MAX]; /* each measure's data element, or NULL */
    const char *rate_element;
    int area_pos, period_pos; /* breakdown positions of the area and the period, or -1 */
    struct buf *out;
    int values;   /* data values written */
    int unmapped; /* cells not mapped */
    char listed[ERROR_MESSAGE_MAX - 200];
    struct error *err;
};

static void note_unmapped(struct writer *w, const char *what, const char *name, const char *lack)
{
    if (w->unmapped++ >= UNMAPPED_LISTED)
        return;
    size_t at = strlen(w->listed);
    snprintf(w->listed + at, sizeof w->listed - at, "%s%s \"%s\": no %s", at ? "; " : "", what,
             name, lack);
}

static int put_value(struct writer *w, const char *element, const char *period,
                     const char *org_unit, const char *combo, const char *value)
{
    struct error *err = w->err;
    int rc = buf_printf(w->out, err, "%s\n    {\"dataElement\":", w->values ? "," : "");
    if (rc == SP_OK)
        rc = buf_put_json(w->out, element, err);
    if (rc == SP_OK)
        rc = buf_puts(w->out, ",\"period\":", err);
    if (rc == SP_OK)
        rc = buf_put_json(w->out, period, err);
    if (rc == SP_OK)
        rc = buf_puts(w->out, ",\"orgUnit\":", err);
    if (rc == SP_OK)
        rc = buf_put_json(w->out, org_unit, err);
    if (rc == SP_OK)
        rc = buf_puts(w->out, ",\"categoryOptionCombo\":", err);
    if (rc == SP_OK)
        rc = buf_put_json(w->out, combo, err);
    if (rc == SP_OK)
        rc = buf_puts(w->out, ",\"value\":", err);
    if (rc == SP_OK)
        rc = buf_put_json(w->out, value, err);
    if (rc == SP_OK)
        rc = buf_putc(w->out, '}', err);
    w->values++;
    return rc;
}

/* A month label "2025-03" as "202503" into out; 0 if label is not one. */
static int month_period(const char *label, char out[DHIS2_PERIOD_SIZE])
{
    int32_t month = 0;
    struct error ignored;
    error_init(&ignored);
    if (strlen(label) != MONTH_TEXT_SIZE - 1 || month_parse(label, &month, &ignored) != SP_OK)
        return 0;
    snprintf(out, DHIS2_PERIOD_SIZE, "%.4s%.2s", label, label + 5);
    return 1;
}

static int write_cell(void *ctx, const struct disagg_figures *f)
{
    struct writer *w = ctx;
    const struct disagg_table *t = w->t;
    if ((f->cell < 0) != (t->spec.n_by == 0))
        return 0; /* with breakdowns, the cells: DHIS2 adds them up itself */
    const char *org_unit = w->m->org_unit[0] ? w->m->org_unit : NULL;
    int ok = 1;
    if (w->area_pos >= 0) {
        org_unit = uid_of(&w->m->org_units, f->groups[w->area_pos]);
        if (org_unit == NULL) {
            note_unmapped(w, disagg_dim_name((enum disagg_dim)w->m->area_dim),
                          f->groups[w->area_pos], "orgUnit");
            ok = 0;
        }
    } else if (org_unit == NULL) {
        note_unmapped(w, "the report", "all", "orgUnit (give orgUnit for the country)");
        ok = 0;
    }
    char period[DHIS2_PERIOD_SIZE];
    text_copy(period, sizeof period, w->period);
    if (w->period_pos >= 0) {
        const char *label = f->groups[w->period_pos];
        const char *mapped = uid_of(&w->m->periods, label);
        if (mapped != NULL)
            text_copy(period, sizeof period, mapped);
        else if (!month_period(label, period)) {
            note_unmapped(w, "period", label, "DHIS2 period (map it under periods)");
            ok = 0;
        }
    }
    char key[KEY_SIZE] = "";
    for (int p = 0; p < t->spec.n_by; p++) {
        if (p == w->area_pos || p == w->period_pos)
            continue;
        size_t at = strlen(key);
        snprintf(key + at, sizeof key - at, "%s%s", at ? "," : "", f->groups[p]);
    }
    const char *combo = uid_of(&w->m->combos, key[0] ? key : "default");
    if (combo == NULL) {
        note_unmapped(w, "combination", key[0] ? key : "default", "categoryOptionCombo");
        ok = 0;
    }
    if (!ok || w->unmapped > 0)
        return 0; /* nothing more is written: the set is refused */
    int rc = SP_OK;
    for (int k = 0; rc == SP_OK && k < t->spec.n_measures; k++)
        if (w->elements[k] != NULL && f->count[k][0])
            rc = put_value(w, w->elements[k], period, org_unit, combo, f->count[k]);
    if (rc == SP_OK && w->rate_element != NULL && f->rate[0])
        rc = put_value(w, w->rate_element, period, org_unit, combo, f->rate);
    return rc;
}

int dhis2_write(const struct disagg_table *t, const struct disagg_meta *meta,
                const struct dhis2_mapping *m, const char *period, struct buf *out,
                struct error *err)
{
    const struct disagg_spec *s = &t->spec;
    struct writer w = {.t = t, .m = m, .period = period, .out = out, .err = err};
    w.area_pos = w.period_pos = -1;
    int named = 0;
    char name[128];
    for (int k = 0; k < s->n_measures; k++) {
        snprintf(name, sizeof name, "%s.%s", s->indicator, s->measures[k]);
        w.elements[k] = uid_of(&m->data_elements, name);
        named += w.elements[k] != NULL;
    }
    if (s->rate != NULL) {
        snprintf(name, sizeof name, "%s.%s_pct", s->indicator, s->rate);
        w.rate_element = uid_of(&m->data_elements, name);
        named += w.rate_element != NULL;
    }
    if (named == 0)
        return error_set(err, SP_BAD_INPUT,
                         "DHIS2: the mapping names no dataElement for %s (\"%s.%s\" ...)",
                         s->indicator, s->indicator, s->measures[0]);
    for (int p = 0; p < s->n_by; p++) {
        if (s->by[p] == DISAGG_ADMIN1 || s->by[p] == DISAGG_ADMIN2) {
            if ((int)s->by[p] != m->area_dim)
                return error_set(err, SP_BAD_INPUT,
                                 "DHIS2: the mapping's orgUnits are %s: break down by it, not "
                                 "by %s",
                                 disagg_dim_name((enum disagg_dim)m->area_dim),
                                 disagg_dim_name(s->by[p]));
            w.area_pos = p;
        } else if (s->by[p] == DISAGG_PERIOD) {
            w.period_pos = p;
        }
    }
    size_t start = out->len;
    int rc = buf_puts(out, "{", err);
    if (rc == SP_OK && m->data_set[0]) {
        rc = buf_puts(out, "\n  \"dataSet\":", err);
        if (rc == SP_OK)
            rc = buf_put_json(out, m->data_set, err);
        if (rc == SP_OK)
            rc = buf_putc(out, ',', err);
    }
    if (rc == SP_OK && w.period_pos < 0) {
        rc = buf_puts(out, "\n  \"period\":", err);
        if (rc == SP_OK)
            rc = buf_put_json(out, period, err);
        if (rc == SP_OK)
            rc = buf_putc(out, ',', err);
    }
    if (rc == SP_OK)
        rc = buf_puts(out, "\n  \"dataValues\":[", err);
    if (rc == SP_OK)
        rc = disagg_each_cell(t, meta, write_cell, &w, err);
    if (rc == SP_OK && w.unmapped > 0) {
        out->len = start;
        out->data[start] = '\0';
        return error_set(err, SP_BAD_INPUT,
                         "DHIS2: %d cell%s of %s %s not in the mapping, so nothing is written: "
                         "%s%s",
                         w.unmapped, w.unmapped == 1 ? "" : "s", s->indicator,
                         w.unmapped == 1 ? "is" : "are", w.listed,
                         w.unmapped > UNMAPPED_LISTED ? "; ..." : "");
    }
    return rc == SP_OK ? buf_puts(out, "\n  ]\n}\n", err) : rc;
}
