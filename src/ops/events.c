/*
 * events.c: life events in the registry (events.h): checked, recorded, and carried over to
 * the records they change, all in one transaction.
 */
#include "ops/events.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "registry/gazetteer.h"

#define TYPE_BIT(t) (1u << (t))
#define MARITAL_TYPES                                                                              \
    (TYPE_BIT(EVENT_MARRIAGE) | TYPE_BIT(EVENT_DIVORCE) | TYPE_BIT(EVENT_WIDOWHOOD))
#define WHY_SIZE (EVENT_TEXT_SIZE + 96)

/* Which event types take each fact of struct events_facts. */
static const struct fact_rule {
    const char *name; /* the fact, as messages name it */
    size_t offset;    /* its member in struct events_facts */
    unsigned types;   /* TYPE_BIT of each type that takes it */
} fact_rules[] = {
    {"child", offsetof(struct events_facts, child), TYPE_BIT(EVENT_BIRTH)},
    {"child_given_name", offsetof(struct events_facts, child_given_name), TYPE_BIT(EVENT_BIRTH)},
    {"child_family_name", offsetof(struct events_facts, child_family_name), TYPE_BIT(EVENT_BIRTH)},
    {"child_sex", offsetof(struct events_facts, child_sex), TYPE_BIT(EVENT_BIRTH)},
    {"spouse", offsetof(struct events_facts, spouse), MARITAL_TYPES},
    {"destination", offsetof(struct events_facts, destination), TYPE_BIT(EVENT_DEPARTURE)},
    {"contract_months", offsetof(struct events_facts, contract_months), TYPE_BIT(EVENT_DEPARTURE)},
    {"disability_class", offsetof(struct events_facts, disability_class),
     TYPE_BIT(EVENT_DISABILITY_ASSESSMENT)},
    {"admin1", offsetof(struct events_facts, admin1), TYPE_BIT(EVENT_MOVE)},
    {"admin2", offsetof(struct events_facts, admin2), TYPE_BIT(EVENT_MOVE)},
    {"household", offsetof(struct events_facts, household), TYPE_BIT(EVENT_MOVE)},
};

static const char *fact_value(const struct events_facts *f, const struct fact_rule *rule)
{
    const char *const *member = (const char *const *)((const char *)f + rule->offset);
    return *member;
}

/* The types that take a fact, for a message: "birth", "marriage, divorce or widowhood". */
static void types_taking(unsigned types, char *out, size_t size)
{
    out[0] = '\0';
    int n = 0, left = __builtin_popcount(types);
    for (int t = 0; t < EVENT_TYPE_COUNT; t++) {
        if (!(types & TYPE_BIT(t)))
            continue;
        left--;
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s",
                 n == 0      ? ""
                 : left == 0 ? " or "
                             : ", ",
                 event_type_name(t));
        n++;
    }
}

/* Refuses a fact given for a type that does not take it. */
static int check_facts(const struct events_facts *f, int type, struct error *err)
{
    for (size_t i = 0; i < sizeof fact_rules / sizeof fact_rules[0]; i++) {
        const struct fact_rule *rule = &fact_rules[i];
        if (fact_value(f, rule) == NULL || (rule->types & TYPE_BIT(type)))
            continue;
        char takers[96];
        types_taking(rule->types, takers, sizeof takers);
        return error_set(err, SP_BAD_INPUT, "%s: a %s event does not take it (only %s)", rule->name,
                         event_type_name(type), takers);
    }
    if (type == EVENT_DISABILITY_ASSESSMENT && f->disability_class == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "a disability_assessment needs the class assessed: disability_class "
                         "none, A, B or C");
    if (type == EVENT_MOVE && f->admin1 == NULL && f->admin2 == NULL && f->household == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "a move needs where to: admin2 (the district), admin1 or household");
    if (f->child != NULL &&
        (f->child_given_name != NULL || f->child_family_name != NULL || f->child_sex != NULL))
        return error_set(err, SP_BAD_INPUT,
                         "child: give either a registered child's worker ID, or the new child's "
                         "child_given_name and child_sex, not both");
    if (f->child == NULL && (f->child_family_name != NULL || f->child_sex != NULL) &&
        f->child_given_name == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "child_given_name: give the child's name to register "
                         "them");
    return SP_OK;
}

/* The work of one attempt. */
struct adding {
    const struct events_request *r;
    int type;
    int32_t today;
    struct events_outcome *out;
    char why[WHY_SIZE]; /* the reason of each change: "death of 2026-01-05 (event): ..." */
    char when[PERSON_CHANGE_WHEN_SIZE];
};

static void effect(struct events_outcome *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds one line to what the event did. */
static void effect(struct events_outcome *o, const char *fmt, ...)
{
    if (o->n_effects >= EVENTS_EFFECTS_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->effects[o->n_effects++], EVENTS_EFFECT_SIZE, fmt, ap);
    va_end(ap);
}

/* An event of a, of type t, for person id (a worker ID), ready to store. */
static void event_of(const struct adding *a, int t, const char *id, struct registry_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->e.type = (enum event_type)t;
    ev->e.date = a->r->date;
    text_copy(ev->e.person, sizeof ev->e.person, id);
    text_copy(ev->recorded_at, sizeof ev->recorded_at, a->when);
    text_copy(ev->actor, sizeof ev->actor, a->r->actor);
    text_copy(ev->reason, sizeof ev->reason, a->why);
}

/*
 * Sets the n fields to values on the record `id` as a correction (who, when, why: the
 * event's), and says which changed. *after is the record as stored now.
 */
static int correct(struct store *store, struct adding *a, const char *id, const char *const *fields,
                   const char *const *values, int n, struct person *after, struct error *err)
{
    struct person before;
    int rc = persons_get(store, id, &before, err);
    if (rc != SP_OK)
        return rc;
    struct persons_correction c = {fields, values, n, a->r->actor, a->why};
    int changed = 0;
    rc = persons_correct(store, id, &c, a->today, after, &changed, err);
    for (int i = 0; rc == SP_OK && changed > 0 && i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        if (person_field_equal(f, &before, after))
            continue;
        char old[PERSON_CHANGE_VALUE_SIZE], new[PERSON_CHANGE_VALUE_SIZE];
        person_get_field(&before, f->name, old, sizeof old, NULL);
        person_get_field(after, f->name, new, sizeof new, NULL);
        effect(a->out, "%s: %s %s -> %s", after->id, f->name, old[0] ? old : "(unset)",
               new[0] ? new : "(unset)");
    }
    return rc;
}

/* SP_OK when an event of `type` on `date` may be recorded for the record p: not merged into
 * another, not after a death recorded (nor a second death: SP_CONFLICT), not before the birth.
 * type -1: an event of the spouse's that mirrors p's. */
static int check_record(struct store *store, const struct person *p, int type, int32_t date,
                        struct error *err)
{
    struct person_mark m;
    int rc = store_person_mark_get(store, p->id, &m, err);
    if (rc != SP_OK)
        return rc;
    char day[DATE_TEXT_SIZE], other[DATE_TEXT_SIZE];
    date_format(date, day);
    if (m.kind == PERSON_MARK_MERGED)
        return error_set(err, SP_BAD_INPUT,
                         "%s is a duplicate record, merged into %s: record the event there", p->id,
                         m.into);
    if (m.kind == PERSON_MARK_DECEASED && type == EVENT_DEATH) {
        date_format(m.date, other);
        return error_set(err, SP_CONFLICT, "%s is already deceased on %s", p->id, other);
    }
    if (m.kind == PERSON_MARK_DECEASED && date > m.date) {
        date_format(m.date, other);
        return error_set(err, SP_BAD_INPUT,
                         "%s died on %s: no event of %s can be recorded for them", p->id, other,
                         day);
    }
    if (p->birth_date != DATE_NONE && date < p->birth_date) {
        date_format(p->birth_date, other);
        return error_set(err, SP_BAD_INPUT,
                         "the event's date %s is before the birth of %s (%s): check the date", day,
                         p->id, other);
    }
    return SP_OK;
}

/* Registers the child of a birth: named as given, the mother's family name unless given, born
 * on the event's day where the mother lives, in her household. */
static int register_child(struct store *store, struct adding *a, const struct person *mother,
                          struct registry_event *ev, struct error *err)
{
    const struct events_facts *f = &a->r->facts;
    if (f->child_sex == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "child_sex: give the new child's sex (female, male "
                         "or other)");
    char born[DATE_TEXT_SIZE];
    date_format(a->r->date, born);
    struct person child;
    person_init(&child);
    const char *fields[] = {"given_name", "family_name", "sex",    "birth_date",
                            "country",    "admin1",      "admin2", "household"};
    const char *values[] = {
        f->child_given_name, f->child_family_name ? f->child_family_name : mother->family_name,
        f->child_sex,        born,
        mother->country,     mother->admin1,
        mother->admin2,      mother->household};
    int rc = SP_OK;
    for (size_t i = 0; rc == SP_OK && i < sizeof fields / sizeof fields[0]; i++)
        if (values[i][0] != '\0')
            rc = person_set_field(&child, fields[i], values[i], a->today, err);
    if (rc == SP_OK && mother->household[0] != '\0')
        rc = person_set_field(&child, "relationship", "child", a->today, err);
    if (rc == SP_OK)
        rc = persons_check(&child, err);
    if (rc == SP_OK)
        rc = store_person_insert(store, &child, err);
    if (rc != SP_OK) {
        error_prefix(err, "the child");
        return rc;
    }
    text_copy(ev->e.child, sizeof ev->e.child, child.id);
    effect(a->out, "%s: registered, %s %s, born %s, child of %s", child.id, child.given_name,
           child.family_name, born, mother->id);
    return SP_OK;
}

/* A birth: the mother's record; links or registers the child; living_children grows. */
static int add_birth(struct store *store, struct adding *a, const struct person *mother,
                     struct registry_event *ev, struct error *err)
{
    const struct events_facts *f = &a->r->facts;
    if (mother->sex == SEX_MALE)
        return error_set(err, SP_BAD_INPUT,
                         "a birth is recorded for the mother: %s is registered as male",
                         mother->id);
    int rc = SP_OK;
    if (f->child != NULL) {
        struct person child;
        rc = persons_get(store, f->child, &child, err);
        if (rc == SP_OK && child.birth_date != DATE_NONE && child.birth_date != a->r->date) {
            char born[DATE_TEXT_SIZE];
            date_format(child.birth_date, born);
            return error_set(err, SP_BAD_INPUT,
                             "child: %s was born on %s, not on the event's date: check the date "
                             "or the child",
                             child.id, born);
        }
        if (rc == SP_OK)
            text_copy(ev->e.child, sizeof ev->e.child, child.id);
    } else if (f->child_given_name != NULL) {
        rc = register_child(store, a, mother, ev, err);
    }
    if (rc == SP_OK && mother->living_children >= 0) {
        char n[16];
        snprintf(n, sizeof n, "%d", (int)mother->living_children + 1);
        const char *fields[] = {"living_children"}, *values[] = {n};
        struct person after;
        rc = correct(store, a, mother->id, fields, values, 1, &after, err);
    }
    return rc;
}

/* The worker ID of the spouse the person's own events name last (a marriage, not undone by a
 * divorce), into out; "" when none. */
struct last_marriage {
    int32_t until;               /* events up to this day */
    char spouse[WORKER_ID_SIZE]; /* the spouse of the last marriage, or "" */
};

static int note_marriage(void *ctx, const struct registry_event *ev)
{
    struct last_marriage *m = ctx;
    if (ev->e.date > m->until)
        return 0;
    if (ev->e.type == EVENT_MARRIAGE)
        text_copy(m->spouse, sizeof m->spouse, ev->spouse);
    else if (ev->e.type == EVENT_DIVORCE || ev->e.type == EVENT_WIDOWHOOD)
        m->spouse[0] = '\0';
    return 0;
}

/* The household member the dead person was married to: the spouse of a head, the head of a
 * spouse. */
struct household_spouse {
    const struct person *dead;
    char spouse[WORKER_ID_SIZE];
};

static int note_household_spouse(void *ctx, const struct person *p)
{
    struct household_spouse *h = ctx;
    if (strcmp(p->id, h->dead->id) == 0 || h->spouse[0] != '\0')
        return 0;
    if ((h->dead->relationship == RELATIONSHIP_HEAD && p->relationship == RELATIONSHIP_SPOUSE) ||
        (h->dead->relationship == RELATIONSHIP_SPOUSE && p->relationship == RELATIONSHIP_HEAD))
        text_copy(h->spouse, sizeof h->spouse, p->id);
    return 0;
}

/* The spouse of the person who died on `date`: by their marriage events, else their household. */
static int find_spouse(struct store *store, const struct person *dead, int32_t date,
                       char spouse[WORKER_ID_SIZE], struct error *err)
{
    struct last_marriage m = {date, ""};
    int rc = store_events_of(store, dead->id, note_marriage, &m, err);
    if (rc != SP_OK)
        return rc;
    if (m.spouse[0] != '\0') {
        memcpy(spouse, m.spouse, WORKER_ID_SIZE);
        return SP_OK;
    }
    struct household_spouse h = {dead, ""};
    if (dead->household[0] != '\0' &&
        (dead->relationship == RELATIONSHIP_HEAD || dead->relationship == RELATIONSHIP_SPOUSE))
        rc = store_household_members(store, dead->household, note_household_spouse, &h, err);
    memcpy(spouse, h.spouse, WORKER_ID_SIZE);
    return rc;
}

/* A death: the record is marked deceased; the spouse, if married to them, is widowed. */
static int add_death(struct store *store, struct adding *a, const struct person *dead,
                     struct registry_event *ev, struct error *err)
{
    struct person_mark m;
    memset(&m, 0, sizeof m);
    m.kind = PERSON_MARK_DECEASED;
    m.date = a->r->date;
    struct store_edit edit = {a->r->actor, a->why, a->when};
    int rc = store_person_mark(store, dead->id, &m, a->today, &edit, err);
    if (rc != SP_OK)
        return rc;
    char day[DATE_TEXT_SIZE];
    date_format(a->r->date, day);
    effect(a->out, "%s: marked deceased on %s", dead->id, day);
    char spouse_id[WORKER_ID_SIZE];
    rc = find_spouse(store, dead, a->r->date, spouse_id, err);
    if (rc != SP_OK || spouse_id[0] == '\0')
        return rc;
    struct person spouse;
    struct person_mark theirs;
    rc = persons_get(store, spouse_id, &spouse, err);
    if (rc == SP_OK)
        rc = store_person_mark_get(store, spouse_id, &theirs, err);
    if (rc != SP_OK || theirs.kind != PERSON_MARK_NONE ||
        (spouse.marital_status != MARITAL_MARRIED && spouse.marital_status != MARITAL_UNSET))
        return rc; /* not married to them any more, or not a living record */
    text_copy(ev->spouse, sizeof ev->spouse, spouse_id);
    const char *fields[] = {"marital_status"}, *values[] = {"widowed"};
    struct person after;
    rc = correct(store, a, spouse_id, fields, values, 1, &after, err);
    struct registry_event widowhood;
    event_of(a, EVENT_WIDOWHOOD, spouse_id, &widowhood);
    text_copy(widowhood.spouse, sizeof widowhood.spouse, dead->id);
    if (rc == SP_OK)
        rc = store_event_add(store, &widowhood, err);
    if (rc == SP_OK)
        effect(a->out, "%s: widowhood event of %s recorded", spouse_id, day);
    return rc;
}

/* A marriage, a divorce or widowhood: marital_status; with a spouse, theirs too (and the same
 * event, but for widowhood, whose spouse is the one who died). */
static int add_marital(struct store *store, struct adding *a, const struct person *p,
                       struct registry_event *ev, struct error *err)
{
    static const char *const status[] = {
        [EVENT_MARRIAGE] = "married", [EVENT_DIVORCE] = "divorced", [EVENT_WIDOWHOOD] = "widowed"};
    const char *fields[] = {"marital_status"}, *values[] = {status[a->type]};
    const char *spouse_id = a->r->facts.spouse;
    struct person spouse, after;
    int rc = SP_OK;
    if (spouse_id != NULL) {
        rc = persons_get(store, spouse_id, &spouse, err);
        if (rc == SP_OK && strcmp(spouse.id, p->id) == 0)
            rc = error_set(err, SP_BAD_INPUT, "spouse: %s cannot be their own spouse", p->id);
        if (rc == SP_OK && a->type != EVENT_WIDOWHOOD)
            rc = check_record(store, &spouse, -1, a->r->date, err);
        if (rc != SP_OK)
            return rc;
        text_copy(ev->spouse, sizeof ev->spouse, spouse.id);
    }
    rc = correct(store, a, p->id, fields, values, 1, &after, err);
    if (rc != SP_OK || spouse_id == NULL || a->type == EVENT_WIDOWHOOD)
        return rc;
    rc = correct(store, a, spouse.id, fields, values, 1, &after, err);
    struct registry_event mirror;
    event_of(a, a->type, spouse.id, &mirror);
    text_copy(mirror.spouse, sizeof mirror.spouse, p->id);
    return rc == SP_OK ? store_event_add(store, &mirror, err) : rc;
}

/* A move: admin1, admin2 and household as given (a district alone finds its province). */
static int add_move(struct store *store, struct adding *a, const struct person *p,
                    struct registry_event *ev, struct error *err)
{
    const struct events_facts *f = &a->r->facts;
    const char *fields[3], *values[3];
    int n = 0;
    if (f->admin1 != NULL || f->admin2 != NULL) {
        fields[n] = "admin1";
        values[n++] = f->admin1 != NULL ? f->admin1 : "";
        fields[n] = "admin2";
        values[n++] = f->admin2 != NULL ? f->admin2 : "";
    }
    if (f->household != NULL) {
        fields[n] = "household";
        values[n++] = f->household;
    }
    struct person after;
    int rc = correct(store, a, p->id, fields, values, n, &after, err);
    if (rc != SP_OK)
        return rc;
    text_copy(ev->admin1, sizeof ev->admin1, after.admin1);
    text_copy(ev->admin2, sizeof ev->admin2, after.admin2);
    text_copy(ev->household, sizeof ev->household, after.household);
    return SP_OK;
}

/* A departure's destination and contract length. */
static int add_departure(struct adding *a, struct registry_event *ev, struct error *err)
{
    const struct events_facts *f = &a->r->facts;
    if (f->destination != NULL) {
        if (!person_country_known(f->destination))
            return error_set(err, SP_BAD_INPUT,
                             "destination: \"%s\" is not an ISO 3166-1 alpha-2 country code "
                             "spfloor knows (e.g. MY, QA, AE)",
                             f->destination);
        text_copy(ev->e.destination, sizeof ev->e.destination, f->destination);
    }
    if (f->contract_months != NULL) {
        long long n = 0;
        if (!text_parse_int64(f->contract_months, &n) || n < 1 || n > 600)
            return error_set(err, SP_BAD_INPUT,
                             "contract_months: \"%s\" must be a whole number from 1 to 600",
                             f->contract_months);
        ev->e.contract_months = (int)n;
    }
    return SP_OK;
}

static int add_once(struct store *store, void *arg, struct error *err)
{
    struct adding *a = arg;
    struct events_outcome *out = a->out;
    memset(out, 0, sizeof *out);
    date_time_utc_now(a->when);
    struct person p;
    int rc = persons_get(store, a->r->person, &p, err);
    if (rc == SP_OK)
        rc = check_record(store, &p, a->type, a->r->date, err);
    if (rc != SP_OK)
        return rc;
    struct registry_event *ev = &out->ev;
    event_of(a, a->type, p.id, ev);
    switch (a->type) {
    case EVENT_BIRTH:
        rc = add_birth(store, a, &p, ev, err);
        break;
    case EVENT_DEATH:
        rc = add_death(store, a, &p, ev, err);
        break;
    case EVENT_MARRIAGE:
    case EVENT_DIVORCE:
    case EVENT_WIDOWHOOD:
        rc = add_marital(store, a, &p, ev, err);
        break;
    case EVENT_DISABILITY_ASSESSMENT: {
        const char *fields[] = {"disability_class"}, *values[] = {a->r->facts.disability_class};
        struct person after;
        rc = correct(store, a, p.id, fields, values, 1, &after, err);
        if (rc == SP_OK)
            ev->disability_class = after.disability_class;
        break;
    }
    case EVENT_MOVE:
        rc = add_move(store, a, &p, ev, err);
        break;
    case EVENT_DEPARTURE:
        rc = add_departure(a, ev, err);
        break;
    default: /* the rules read them; nothing on the record changes */
        break;
    }
    return rc == SP_OK ? store_event_add(store, ev, err) : rc;
}

/* Checks r and fills a for add_once; stores nothing. */
static int prepare(const struct events_request *r, int32_t today, struct events_outcome *out,
                   struct adding *a, struct error *err)
{
    memset(out, 0, sizeof *out);
    int type = r->type != NULL ? event_type_parse(r->type) : -1;
    if (type < 0)
        return error_set(err, SP_BAD_INPUT, "type: \"%s\" is not an event: use %s",
                         r->type != NULL ? r->type : "", event_type_list);
    if (r->date == DATE_NONE)
        return error_set(err, SP_BAD_INPUT, "date: give the day it happened (YYYY-MM-DD)");
    if (r->date > today) {
        char day[DATE_TEXT_SIZE];
        date_format(r->date, day);
        return error_set(err, SP_BAD_INPUT,
                         "date: %s is in the future: record an event once it "
                         "has happened",
                         day);
    }
    if (r->actor == NULL || r->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "an event needs who records it");
    int rc = check_facts(&r->facts, type, err);
    if (rc != SP_OK)
        return rc;
    *a = (struct adding){r, type, today, out, "", ""};
    char day[DATE_TEXT_SIZE];
    date_format(r->date, day);
    int has_reason = r->reason != NULL && r->reason[0] != '\0';
    snprintf(a->why, sizeof a->why, "%s of %s (event)%s%s", event_type_name(type), day,
             has_reason ? ": " : "", has_reason ? r->reason : "");
    return SP_OK;
}

int events_add(struct store *store, const struct events_request *r, int32_t today,
               struct events_outcome *out, persons_retry_fn on_retry, void *ctx, struct error *err)
{
    struct adding a;
    int rc = prepare(r, today, out, &a, err);
    return rc == SP_OK ? ops_transaction(store, add_once, &a, on_retry, ctx, err) : rc;
}

int events_record(struct store *store, const struct events_request *r, int32_t today,
                  struct events_outcome *out, struct error *err)
{
    struct adding a;
    int rc = prepare(r, today, out, &a, err);
    return rc == SP_OK ? add_once(store, &a, err) : rc;
}

int events_list(struct store *store, const char *id, registry_event_visit_fn visit, void *ctx,
                struct error *err)
{
    struct person p;
    int rc = persons_get(store, id, &p, err);
    return rc == SP_OK ? store_events_of(store, p.id, visit, ctx, err) : rc;
}
