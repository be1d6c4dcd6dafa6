/*
 * grievance_flow.c: grievances' levels, time limits and escalation (grievance_flow.h).
 */
#include "claims/grievance_flow.h"

#include <string.h>

#include "base/date.h"
#include "base/text.h"

static void level_set(struct grievance_level *l, const char *name, int days)
{
    memset(l, 0, sizeof *l);
    text_copy(l->name, sizeof l->name, name);
    for (int t = GRIEVANCE_ABOUT_CLAIM; t < GRIEVANCE_ABOUT_COUNT; t++)
        l->days[t] = days;
}

void grievance_policy_default(struct grievance_policy *p)
{
    memset(p, 0, sizeof *p);
    level_set(&p->levels[0], "office", 15);
    p->levels[0].days[GRIEVANCE_ABOUT_PAYMENT] = 7;
    level_set(&p->levels[1], "district", 30);
    level_set(&p->levels[2], "national", 60);
    level_set(&p->levels[3], "court", 180);
    p->n = 4;
}

int grievance_policy_level(const struct grievance_policy *p, const char *name)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->levels[i].name, name) == 0)
            return i;
    return -1;
}

/* Reads 1..GRIEVANCE_DAYS_MAX from the n bytes at s into *out; 0 when they are not that. */
static int read_days(const char *s, size_t n, int *out)
{
    if (n == 0 || n > 5)
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1 || v > GRIEVANCE_DAYS_MAX)
        return 0;
    *out = v;
    return 1;
}

/* One word of a line: where it starts and how long it is. */
struct word {
    const char *at;
    size_t n;
    int column; /* 1-based */
};

/* Reads the level of one line's words (n >= 1) into l. */
static int parse_level(const struct word *w, int n, const char *file, int line,
                       struct grievance_level *l, struct error *err)
{
    if (w[0].n >= GRIEVANCE_LEVEL_SIZE)
        return error_set(err, SP_BAD_INPUT, "%s:%d:%d: a level's name has at most %d bytes", file,
                         line, w[0].column, GRIEVANCE_LEVEL_SIZE - 1);
    int days = 0;
    if (n < 2 || !read_days(w[1].at, w[1].n, &days))
        return error_set(err, SP_BAD_INPUT,
                         "%s:%d:%d: give the level's days to resolve a grievance (1 to %d) "
                         "after its name",
                         file, line, n < 2 ? w[0].column + (int)w[0].n : w[1].column,
                         GRIEVANCE_DAYS_MAX);
    char name[GRIEVANCE_LEVEL_SIZE];
    memcpy(name, w[0].at, w[0].n);
    name[w[0].n] = '\0';
    level_set(l, name, days);
    for (int i = 2; i < n; i++) {
        const char *eq = memchr(w[i].at, '=', w[i].n);
        char type[16] = "";
        size_t tn = eq != NULL ? (size_t)(eq - w[i].at) : 0;
        if (eq != NULL && tn < sizeof type) {
            memcpy(type, w[i].at, tn);
            type[tn] = '\0';
        }
        int about = grievance_about_parse(type);
        if (eq == NULL || about == 0)
            return error_set(err, SP_BAD_INPUT,
                             "%s:%d:%d: write TYPE=DAYS, TYPE one of claim, enrolment, payment, "
                             "registration",
                             file, line, w[i].column);
        if (!read_days(eq + 1, w[i].n - tn - 1, &l->days[about]))
            return error_set(err, SP_BAD_INPUT, "%s:%d:%d: %s: days must be 1 to %d", file, line,
                             w[i].column + (int)tn + 1, type, GRIEVANCE_DAYS_MAX);
    }
    return SP_OK;
}

int grievance_policy_parse(const char *text, size_t n, const char *file, struct grievance_policy *p,
                           struct error *err)
{
    struct grievance_policy out;
    memset(&out, 0, sizeof out);
    int line = 0;
    for (size_t at = 0; at < n;) {
        line++;
        const char *start = text + at;
        const char *nl = memchr(start, '\n', n - at);
        size_t len = nl != NULL ? (size_t)(nl - start) : n - at;
        at += len + (nl != NULL);
        struct word w[2 + GRIEVANCE_ABOUT_COUNT];
        int nw = 0;
        for (size_t i = 0; i < len;) {
            if (start[i] == '#')
                break;
            if (start[i] == ' ' || start[i] == '\t' || start[i] == '\r') {
                i++;
                continue;
            }
            if (nw == (int)(sizeof w / sizeof w[0]))
                return error_set(err, SP_BAD_INPUT, "%s:%d:%d: too many words on a level's line",
                                 file, line, (int)i + 1);
            w[nw].at = start + i;
            w[nw].column = (int)i + 1;
            while (i < len && start[i] != ' ' && start[i] != '\t' && start[i] != '\r' &&
                   start[i] != '#')
                i++;
            w[nw].n = (size_t)(start + i - w[nw].at);
            nw++;
        }
        if (nw == 0)
            continue;
        if (out.n == GRIEVANCE_LEVELS_MAX)
            return error_set(err, SP_BAD_INPUT, "%s:%d:1: a policy has at most %d levels", file,
                             line, GRIEVANCE_LEVELS_MAX);
        int rc = parse_level(w, nw, file, line, &out.levels[out.n], err);
        if (rc != SP_OK)
            return rc;
        if (grievance_policy_level(&out, out.levels[out.n].name) >= 0)
            return error_set(err, SP_BAD_INPUT, "%s:%d:1: the level \"%s\" is named twice", file,
                             line, out.levels[out.n].name);
        out.n++;
    }
    if (out.n == 0)
        return error_set(err, SP_BAD_INPUT, "%s: no level: write one per line, lowest first", file);
    *p = out;
    return SP_OK;
}

/* on + days, kept within the calendar the dates can be written in. */
static int32_t plus_days(int32_t on, int days)
{
    return on > INT32_MAX - days ? INT32_MAX : on + days;
}

int grievance_flow_open(struct grievance *g, const struct grievance_policy *p, int32_t on,
                        struct error *err)
{
    if (g->about < GRIEVANCE_ABOUT_CLAIM || g->about >= GRIEVANCE_ABOUT_COUNT)
        return error_set(err, SP_BAD_INPUT,
                         "a grievance is about a claim, an enrolment, a payment or a registration");
    if (on == DATE_NONE)
        return error_set(err, SP_BAD_INPUT, "a grievance needs the day it was raised");
    g->state = GRIEVANCE_OPEN;
    text_copy(g->level, sizeof g->level, p->levels[0].name);
    g->opened_on = on;
    g->level_since = on;
    g->deadline = plus_days(on, p->levels[0].days[g->about]);
    g->resolved_on = DATE_NONE;
    g->resolution[0] = '\0';
    return SP_OK;
}

int grievance_flow_escalate(struct grievance *g, const struct grievance_policy *p, int32_t on,
                            struct error *err)
{
    if (g->state != GRIEVANCE_OPEN)
        return error_set(err, SP_CONFLICT, "grievance %lld is resolved: it cannot escalate",
                         (long long)g->id);
    int level = grievance_policy_level(p, g->level);
    if (level < 0)
        return error_set(err, SP_BAD_INPUT,
                         "grievance %lld is at the level \"%s\", which the policy does not have",
                         (long long)g->id, g->level);
    if (level + 1 >= p->n)
        return error_set(err, SP_CONFLICT,
                         "grievance %lld is at %s, the last level: it cannot escalate further",
                         (long long)g->id, g->level);
    if (on == DATE_NONE || on < g->level_since) {
        char since[DATE_TEXT_SIZE];
        date_format(g->level_since, since);
        return error_set(err, SP_BAD_INPUT,
                         "grievance %lld reached %s on %s: it cannot escalate before that",
                         (long long)g->id, g->level, since);
    }
    const struct grievance_level *to = &p->levels[level + 1];
    text_copy(g->level, sizeof g->level, to->name);
    g->level_since = on;
    g->deadline = plus_days(on, to->days[g->about]);
    return SP_OK;
}

int grievance_flow_resolve(struct grievance *g, int32_t on, const char *resolution,
                           struct error *err)
{
    if (g->state != GRIEVANCE_OPEN)
        return error_set(err, SP_CONFLICT, "grievance %lld is resolved already", (long long)g->id);
    if (resolution == NULL || resolution[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a resolution needs its words (--reason TEXT)");
    if (on == DATE_NONE || on < g->opened_on)
        return error_set(err, SP_BAD_INPUT,
                         "grievance %lld cannot be resolved before it was raised",
                         (long long)g->id);
    g->state = GRIEVANCE_RESOLVED;
    g->resolved_on = on;
    text_copy(g->resolution, sizeof g->resolution, resolution);
    return SP_OK;
}

int grievance_flow_is_overdue(const struct grievance *g, int32_t as_of)
{
    return g->state == GRIEVANCE_OPEN && g->deadline != DATE_NONE && as_of > g->deadline;
}

int grievance_flow_overdue(const struct grievance *g, const struct grievance_policy *p,
                           int32_t as_of, int32_t *on)
{
    if (!grievance_flow_is_overdue(g, as_of))
        return 0;
    int level = grievance_policy_level(p, g->level);
    if (level < 0 || level + 1 >= p->n)
        return 0;
    *on = g->deadline + 1;
    return 1;
}
