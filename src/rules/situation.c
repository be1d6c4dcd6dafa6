#include "rules/situation.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"

/*
 * qsort, except that an empty array (which may be a NULL pointer) is left alone, and so is
 * one already in order: the batch path hands over blocks read in id and household order.
 */
static void sort_rows(void *base, size_t n, size_t size, int (*compare)(const void *, const void *))
{
    const char *row = base;
    size_t sorted = 1;
    while (sorted < n && compare(row + (sorted - 1) * size, row + sorted * size) <= 0)
        sorted++;
    if (sorted < n)
        qsort(base, n, size, compare);
}

void situation_init(struct situation *s)
{
    memset(s, 0, sizeof *s);
}

void situation_release(struct situation *s)
{
    sp_free(s->persons);
    sp_free(s->households);
    sp_free(s->events);
    sp_free(s->contributions);
    sp_free(s->enrolments);
    sp_free(s->histories);
    sp_free(s->member_pointers);
    situation_init(s);
}

static int compare_events(const void *a, const void *b)
{
    const struct life_event *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    if (c != 0)
        return c;
    return (x->date > y->date) - (x->date < y->date);
}

static int compare_contributions(const void *a, const void *b)
{
    const struct contribution *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    if (c != 0)
        return c;
    if (x->month != y->month)
        return (x->month > y->month) - (x->month < y->month);
    return strcmp(x->scheme, y->scheme);
}

static int compare_enrolments(const void *a, const void *b)
{
    const struct enrolment *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    if (c != 0)
        return c;
    return (x->from > y->from) - (x->from < y->from);
}

/* A person's position under a sort key (qsort has no context argument, so the key travels). */
struct person_key {
    const char *key; /* the id or the household id */
    int index;       /* position in situation.persons */
};

static int compare_person_keys(const void *a, const void *b)
{
    const struct person_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c != 0 ? c : x->index - y->index;
}

/* The index of the person with this id, or -1. by_id is sorted by id. */
static int find_person(const struct situation *s, const struct person_key *by_id, const char *id)
{
    int lo = 0, hi = s->n_persons - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(by_id[mid].key, id);
        if (c == 0)
            return by_id[mid].index;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* The range [*first, *end) of rows of one person in an array sorted by person. */
#define PERSON_RANGE(rows, n, id, first, end)                                                      \
    do {                                                                                           \
        int lo_ = 0, hi_ = (n);                                                                    \
        while (lo_ < hi_) {                                                                        \
            int mid_ = lo_ + (hi_ - lo_) / 2;                                                      \
            if (strcmp((rows)[mid_].person, (id)) < 0)                                             \
                lo_ = mid_ + 1;                                                                    \
            else                                                                                   \
                hi_ = mid_;                                                                        \
        }                                                                                          \
        *(first) = lo_;                                                                            \
        while (lo_ < (n) && strcmp((rows)[lo_].person, (id)) == 0)                                 \
            lo_++;                                                                                 \
        *(end) = lo_;                                                                              \
    } while (0)

static int check_people_known(const struct situation *s, const struct person_key *by_id,
                              struct error *err)
{
    for (int i = 0; i < s->n_events; i++)
        if (find_person(s, by_id, s->events[i].person) < 0)
            return error_set(err, SP_BAD_INPUT, "events: person \"%s\" is not in persons",
                             s->events[i].person);
    for (int i = 0; i < s->n_contributions; i++)
        if (find_person(s, by_id, s->contributions[i].person) < 0)
            return error_set(err, SP_BAD_INPUT, "contributions: person \"%s\" is not in persons",
                             s->contributions[i].person);
    for (int i = 0; i < s->n_enrolments; i++)
        if (find_person(s, by_id, s->enrolments[i].person) < 0)
            return error_set(err, SP_BAD_INPUT, "enrolments: person \"%s\" is not in persons",
                             s->enrolments[i].person);
    return SP_OK;
}

static int compare_households(const void *a, const void *b)
{
    const struct household *const *x = a, *const *y = b;
    return strcmp((*x)->id, (*y)->id);
}

/* The household with this id, or NULL. sorted: the households, sorted by id. */
static const struct household *find_household(const struct household *const *sorted, int n,
                                              const char *id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(sorted[mid]->id, id);
        if (c == 0)
            return sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* Member lists are numbered across the process, so that no two ever share a members_key. */
static atomic_uint_fast64_t members_keys;

/*
 * living_children, where unset: for the household's head and spouses, its members whose
 * relationship is child. members[0..n) are the keys of one household's members.
 */
static void derive_living_children(struct situation *s, const struct person_key *members, int n)
{
    int children = 0;
    for (int k = 0; k < n; k++)
        children += s->persons[members[k].index].relationship == RELATIONSHIP_CHILD;
    for (int k = 0; k < n; k++) {
        struct person *p = &s->persons[members[k].index];
        if (p->living_children < 0 &&
            (p->relationship == RELATIONSHIP_HEAD || p->relationship == RELATIONSHIP_SPOUSE))
            p->living_children = children;
    }
}

/*
 * Fills the members of every history: the persons sharing a household id (in the order
 * given), or the person alone; and living_children where it is unset. by_household is sorted
 * by (household, position); households_by_id holds the households sorted by id.
 */
static void link_members(struct situation *s, const struct person_key *by_household,
                         const struct household *const *households_by_id)
{
    int at = 0;
    for (int i = 0; i < s->n_persons;) {
        int j = i;
        const char *household = by_household[i].key;
        while (j < s->n_persons &&
               (household[0] != '\0' ? strcmp(by_household[j].key, household) == 0 : j == i))
            j++;
        const struct household *h =
            household[0] ? find_household(households_by_id, s->n_households, household) : NULL;
        uint64_t key = atomic_fetch_add(&members_keys, 1) + 1;
        for (int k = i; k < j; k++)
            s->member_pointers[at + k - i] = &s->persons[by_household[k].index];
        for (int k = i; k < j; k++) {
            struct person_history *hist = &s->histories[by_household[k].index];
            hist->household = h;
            hist->members = &s->member_pointers[at];
            hist->n_members = j - i;
            hist->members_key = key;
        }
        if (household[0] != '\0')
            derive_living_children(s, &by_household[i], j - i);
        at += j - i;
        i = j;
    }
}

int situation_index(struct situation *s, struct error *err)
{
    int rc = SP_OK;
    size_t n = s->n_persons ? (size_t)s->n_persons : 1;
    struct person_key *by_id = sp_calloc(n, sizeof *by_id);
    struct person_key *by_household = sp_calloc(n, sizeof *by_household);
    const struct household **households_by_id =
        sp_calloc(s->n_households > 0 ? (size_t)s->n_households : 1, sizeof *households_by_id);
    sp_free(s->histories);
    sp_free(s->member_pointers);
    s->histories = sp_calloc(n, sizeof *s->histories);
    s->member_pointers = sp_calloc(n, sizeof *s->member_pointers);
    if (by_id == NULL || by_household == NULL || households_by_id == NULL || s->histories == NULL ||
        s->member_pointers == NULL) {
        rc = error_nomem(err);
        goto out_free_orders;
    }
    for (int i = 0; i < s->n_households; i++)
        households_by_id[i] = &s->households[i];
    sort_rows(households_by_id, (size_t)s->n_households, sizeof *households_by_id,
              compare_households);
    for (int i = 0; i < s->n_persons; i++) {
        by_id[i] = (struct person_key){s->persons[i].id, i};
        by_household[i] = (struct person_key){s->persons[i].household, i};
    }
    sort_rows(by_id, (size_t)s->n_persons, sizeof *by_id, compare_person_keys);
    sort_rows(by_household, (size_t)s->n_persons, sizeof *by_household, compare_person_keys);
    for (int i = 1; i < s->n_persons; i++) {
        if (strcmp(by_id[i - 1].key, by_id[i].key) == 0) {
            rc = error_set(err, SP_BAD_INPUT, "persons: id \"%s\" is given twice", by_id[i].key);
            goto out_free_orders;
        }
    }
    rc = check_people_known(s, by_id, err);
    if (rc != SP_OK)
        goto out_free_orders;
    sort_rows(s->events, (size_t)s->n_events, sizeof *s->events, compare_events);
    sort_rows(s->contributions, (size_t)s->n_contributions, sizeof *s->contributions,
              compare_contributions);
    sort_rows(s->enrolments, (size_t)s->n_enrolments, sizeof *s->enrolments, compare_enrolments);
    for (int i = 0; i < s->n_persons; i++) {
        struct person_history *h = &s->histories[i];
        const char *id = s->persons[i].id;
        int first, end;
        PERSON_RANGE(s->events, s->n_events, id, &first, &end);
        h->events = end > first ? s->events + first : NULL;
        h->n_events = end - first;
        PERSON_RANGE(s->contributions, s->n_contributions, id, &first, &end);
        h->contributions = end > first ? s->contributions + first : NULL;
        h->n_contributions = end - first;
        PERSON_RANGE(s->enrolments, s->n_enrolments, id, &first, &end);
        h->enrolments = end > first ? s->enrolments + first : NULL;
        h->n_enrolments = end - first;
    }
    link_members(s, by_household, households_by_id);

out_free_orders:
    sp_free(by_id);
    sp_free(by_household);
    sp_free(households_by_id);
    return rc;
}
