/*
 * Unit tests for registry/population: the synthetic population is reproducible, valid for
 * the registry (its areas are the gazetteer's), importable without duplicates, and shaped like the
 * countries it stands for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "registry/population.h"
#include "registry/gazetteer.h"

#define KEY_SIZE 128

/* Sets up a generator for one country (NULL for the mix) and a seed. */
static void start(struct population *g, const char *country, uint64_t seed)
{
    struct population_options o;
    population_options_init(&o);
    o.seed = seed;
    o.country = country;
    struct error err;
    error_init(&err);
    assert_int_equal(population_init(g, &o, &err), SP_OK);
}

static int32_t reference_date(void)
{
    return date_from_civil(2025, 1, 1);
}

/* Calls visit for each of the first `count` persons of a stream. */
static void each_person(const char *country, uint64_t seed, int count,
                        void (*visit)(void *ctx, const struct person *p, int index), void *ctx)
{
    struct population g;
    start(&g, country, seed);
    struct person hh[POPULATION_HOUSEHOLD_MAX];
    int done = 0;
    while (done < count) {
        int n = population_next_household(&g, hh, POPULATION_HOUSEHOLD_MAX, NULL);
        assert_true(n >= 1 && n <= POPULATION_HOUSEHOLD_MAX);
        for (int i = 0; i < n && done < count; i++)
            visit(ctx, &hh[i], done++);
    }
    population_release(&g);
}

static void the_same_seed_gives_the_same_persons(void **state)
{
    (void)state;
    struct population a, b;
    start(&a, NULL, 42);
    start(&b, NULL, 42);
    struct person pa[POPULATION_HOUSEHOLD_MAX], pb[POPULATION_HOUSEHOLD_MAX];
    for (int h = 0; h < 2000; h++) {
        struct household ha, hb;
        int na = population_next_household(&a, pa, POPULATION_HOUSEHOLD_MAX, &ha);
        int nb = population_next_household(&b, pb, POPULATION_HOUSEHOLD_MAX, &hb);
        assert_int_equal(na, nb);
        assert_memory_equal(pa, pb, (size_t)na * sizeof pa[0]);
        assert_string_equal(ha.id, hb.id);
        assert_string_equal(ha.admin2, hb.admin2);
    }
    population_release(&a);
    population_release(&b);
}

static void different_seeds_give_different_persons(void **state)
{
    (void)state;
    struct population a, b;
    start(&a, "NP", 1);
    start(&b, "NP", 2);
    struct person pa[POPULATION_HOUSEHOLD_MAX], pb[POPULATION_HOUSEHOLD_MAX];
    int differ = 0;
    for (int h = 0; h < 100; h++) {
        population_next_household(&a, pa, POPULATION_HOUSEHOLD_MAX, NULL);
        population_next_household(&b, pb, POPULATION_HOUSEHOLD_MAX, NULL);
        differ += strcmp(pa[0].given_name, pb[0].given_name) != 0 ||
                  pa[0].birth_date != pb[0].birth_date ||
                  strcmp(pa[0].national_id, pb[0].national_id) != 0;
    }
    assert_true(differ >= 90);
    population_release(&a);
    population_release(&b);
}

/* Every person passes the registry's checks, field by field as an import would set them. */
static void check_valid(void *ctx, const struct person *p, int index)
{
    (void)ctx;
    (void)index;
    struct error err;
    error_init(&err);
    if (person_validate(p, &err) != SP_OK)
        fail_msg("person %d (%s %s): %s", index, p->given_name, p->family_name, err.message);
    int32_t ref = reference_date();
    assert_true(p->birth_date < ref);
    assert_true(date_age_years(p->birth_date, ref) <= POPULATION_AGE_MAX);
    assert_true(p->household[0] != '\0');
    assert_true(p->id[0] == '\0');
    if (p->employment_start != DATE_NONE) {
        assert_true(p->employment_start < ref);
        assert_true(date_age_years(p->birth_date, p->employment_start) >= 18);
    }

    /* Through text and back, as a CSV import sets each field (country first). */
    struct person q;
    person_init(&q);
    char text[256];
    assert_int_equal(person_get_field(p, "country", text, sizeof text, &err), SP_OK);
    assert_int_equal(person_set_field(&q, "country", text, ref, &err), SP_OK);
    for (int f = 0; f < person_field_count; f++) {
        const char *name = person_fields[f].name;
        if (strcmp(name, "country") == 0)
            continue;
        assert_int_equal(person_get_field(p, name, text, sizeof text, &err), SP_OK);
        if (person_set_field(&q, name, text, ref, &err) != SP_OK)
            fail_msg("person %d: field %s \"%s\" refused: %s", index, name, text, err.message);
    }
    assert_true(person_same_facts(p, &q));

    /* Its areas are the gazetteer's official names, which registration keeps as they are. */
    struct person r = *p;
    if (gazetteer_resolve_person(&r, &err) != SP_OK)
        fail_msg("person %d: %s", index, err.message);
    assert_string_equal(r.admin1, p->admin1);
    assert_string_equal(r.admin2, p->admin2);
}

static void every_person_is_valid_and_born_in_the_past(void **state)
{
    (void)state;
    each_person(NULL, 7, 20000, check_valid, NULL);
    each_person("MN", 7, 3000, check_valid, NULL);
    each_person("NP", 7, 3000, check_valid, NULL);
}

struct tally {
    int persons;
    int female;
    int dalit;
    int endangered;
    int karnali;
    int disabled;
    int aged_90;
    int aged_68;
    int workers;
    int formal;
    int epfo;
    int widowed_women_60;
    int women_60;
    int solo_parent;
};

static void count(void *ctx, const struct person *p, int index)
{
    (void)index;
    struct tally *t = ctx;
    int age = date_age_years(p->birth_date, reference_date());
    t->persons++;
    t->female += p->sex == SEX_FEMALE;
    t->dalit += person_has_group(p, "dalit");
    t->endangered += person_has_group(p, "endangered_indigenous");
    t->solo_parent += person_has_group(p, "solo_parent");
    t->karnali += population_is_karnali_zone(p->admin2);
    t->disabled += p->disability_class >= DISABILITY_A;
    t->aged_90 += age >= 90;
    t->aged_68 += age >= 68;
    t->workers += p->worker_category != WORKER_UNSET;
    t->formal += p->worker_category == WORKER_FORMAL_EMPLOYEE;
    t->epfo += person_has_membership(p, "epfo");
    if (p->sex == SEX_FEMALE && age >= 60) {
        t->women_60++;
        t->widowed_women_60 += p->marital_status == MARITAL_WIDOWED;
    }
}

static void about_half_are_women(void **state)
{
    (void)state;
    struct tally t = {0};
    each_person(NULL, 11, 20000, count, &t);
    assert_in_range(t.female * 100 / t.persons, 45, 55);
    /* Elderly women are mostly widows, and old-age schemes have someone to decide for. */
    assert_true(t.widowed_women_60 * 100 / t.women_60 >= 40);
    assert_true(t.aged_68 > 200);
    assert_true(t.aged_90 > 0);
}

static void nepal_has_dalit_karnali_and_disabled_persons(void **state)
{
    (void)state;
    struct tally t = {0};
    each_person("NP", 5, 20000, count, &t);
    assert_in_range(t.dalit * 100 / t.persons, 8, 20);
    assert_true(t.endangered > 0 && t.endangered * 100 / t.persons < 2);
    assert_true(t.karnali > 0);
    assert_in_range(t.disabled * 1000 / t.persons, 15, 50);
}

static void most_indian_workers_are_informal(void **state)
{
    (void)state;
    struct tally t = {0};
    each_person("IN", 5, 20000, count, &t);
    assert_true(t.workers > t.persons / 4);
    assert_true((t.workers - t.formal) * 100 / t.workers > 70);
    assert_true(t.epfo > 0 && t.epfo <= t.formal);
}

static void philippine_lone_mothers_can_be_solo_parents(void **state)
{
    (void)state;
    struct tally t = {0};
    each_person("PH", 5, 20000, count, &t);
    assert_true(t.solo_parent > 0);
    assert_true((t.persons - t.formal) * 100 / t.persons > 50);
}

/* Keys in fixed slots, for sorting. */
struct keys {
    char *national; /* "CC|national_id" slots */
    char *dedup;    /* person_dedup_key slots */
    int n_national;
    int n_dedup;
};

static void collect_keys(void *ctx, const struct person *p, int index)
{
    (void)index;
    struct keys *k = ctx;
    if (p->national_id[0] != '\0') {
        char *slot = k->national + (size_t)k->n_national++ * KEY_SIZE;
        size_t n = strlen(p->national_id);
        assert_true(n + 4 < KEY_SIZE);
        memcpy(slot, p->country, 2);
        slot[2] = '|';
        memcpy(slot + 3, p->national_id, n + 1);
    }
    char *slot = k->dedup + (size_t)k->n_dedup++ * KEY_SIZE;
    char key[512];
    person_dedup_key(p, key, sizeof key);
    assert_true(key[0] != '\0' && strlen(key) < KEY_SIZE);
    memcpy(slot, key, strlen(key) + 1);
}

static int compare_slots(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void assert_no_duplicates(char *slots, int n, const char *what)
{
    qsort(slots, (size_t)n, KEY_SIZE, compare_slots);
    for (int i = 1; i < n; i++)
        if (strcmp(slots + (size_t)(i - 1) * KEY_SIZE, slots + (size_t)i * KEY_SIZE) == 0)
            fail_msg("duplicate %s: %s", what, slots + (size_t)i * KEY_SIZE);
}

static void no_two_persons_share_a_national_id_or_dedup_key(void **state)
{
    (void)state;
    const struct {
        const char *country;
        int persons;
    } runs[] = {{NULL, 100000}, {"MN", 60000}};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        struct keys k = {sp_malloc((size_t)runs[r].persons * KEY_SIZE),
                         sp_malloc((size_t)runs[r].persons * KEY_SIZE), 0, 0};
        assert_non_null(k.national);
        assert_non_null(k.dedup);
        each_person(runs[r].country, 3, runs[r].persons, collect_keys, &k);
        assert_true(k.n_national > runs[r].persons / 2);
        assert_no_duplicates(k.national, k.n_national, "national_id");
        assert_no_duplicates(k.dedup, k.n_dedup, "dedup key");
        sp_free(k.national);
        sp_free(k.dedup);
    }
}

static void household_members_live_together_and_children_are_younger(void **state)
{
    (void)state;
    struct population g;
    start(&g, NULL, 9);
    struct person hh[POPULATION_HOUSEHOLD_MAX];
    int sizes[POPULATION_HOUSEHOLD_MAX + 1] = {0};
    for (int h = 0; h < 10000; h++) {
        struct household info;
        int n = population_next_household(&g, hh, POPULATION_HOUSEHOLD_MAX, &info);
        sizes[n]++;
        assert_int_equal(hh[0].relationship, RELATIONSHIP_HEAD);
        int32_t mother = DATE_NONE;
        for (int i = 0; i < n; i++) {
            assert_string_equal(hh[i].household, info.id);
            assert_string_equal(hh[i].country, info.country);
            assert_string_equal(hh[i].admin1, info.admin1);
            assert_string_equal(hh[i].admin2, info.admin2);
            assert_string_equal(hh[i].family_name, hh[0].family_name);
            assert_true(i == 0 || hh[i].relationship != RELATIONSHIP_HEAD);
            if (i < 2 && hh[i].sex == SEX_FEMALE &&
                (hh[i].relationship == RELATIONSHIP_HEAD ||
                 hh[i].relationship == RELATIONSHIP_SPOUSE))
                mother = hh[i].birth_date;
            if (hh[i].relationship == RELATIONSHIP_CHILD && mother != DATE_NONE)
                assert_in_range(date_age_years(mother, hh[i].birth_date), 17, 46);
            if (hh[i].relationship == RELATIONSHIP_PARENT)
                assert_true(date_age_years(hh[i].birth_date, hh[0].birth_date) >= 17);
        }
    }
    population_release(&g);
    /* Most households have 3 to 6 members. */
    int typical = sizes[3] + sizes[4] + sizes[5] + sizes[6];
    assert_true(typical * 100 / 10000 >= 60);
}

static void blocks_hold_whole_households(void **state)
{
    (void)state;
    struct population g;
    start(&g, "KH", 1);
    enum { BLOCK = 1000 };
    struct person *block = sp_calloc(BLOCK, sizeof *block);
    assert_non_null(block);
    int n = population_fill(&g, block, BLOCK);
    assert_in_range(n, BLOCK - POPULATION_HOUSEHOLD_MAX + 1, BLOCK);
    assert_string_not_equal(block[0].household, block[n - 1].household);
    /* The block ends at the end of a household: the next one starts with a new head. */
    struct person next[POPULATION_HOUSEHOLD_MAX];
    population_next_household(&g, next, POPULATION_HOUSEHOLD_MAX, NULL);
    assert_string_not_equal(next[0].household, block[n - 1].household);
    assert_int_equal(population_fill(&g, block, POPULATION_HOUSEHOLD_MAX - 1), 0);
    sp_free(block);
    population_release(&g);
}

static void an_unknown_country_is_refused_with_the_choices(void **state)
{
    (void)state;
    struct population_options o;
    population_options_init(&o);
    o.country = "FR";
    struct population g;
    struct error err;
    error_init(&err);
    assert_int_equal(population_init(&g, &o, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "\"FR\""));
    assert_non_null(strstr(err.message, "NP"));
    population_release(&g);
    assert_int_equal(population_country_count(), 8);
    assert_string_equal(population_country_code(0), "NP");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_same_seed_gives_the_same_persons),
        cmocka_unit_test(different_seeds_give_different_persons),
        cmocka_unit_test(every_person_is_valid_and_born_in_the_past),
        cmocka_unit_test(about_half_are_women),
        cmocka_unit_test(nepal_has_dalit_karnali_and_disabled_persons),
        cmocka_unit_test(most_indian_workers_are_informal),
        cmocka_unit_test(philippine_lone_mothers_can_be_solo_parents),
        cmocka_unit_test(no_two_persons_share_a_national_id_or_dedup_key),
        cmocka_unit_test(household_members_live_together_and_children_are_younger),
        cmocka_unit_test(blocks_hold_whole_households),
        cmocka_unit_test(an_unknown_country_is_refused_with_the_choices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
