/*
 * Unit tests for registry/gazetteer: the shipped areas load, an area is found however a clerk
 * writes it (case, script, alias, code), registration stores the official name, and an
 * unknown area is refused with the nearest one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "registry/gazetteer.h"
#include "rules/param.h"
#include "rules/param_load.h"

/* The official name text resolves to in country at level, or NULL. */
static const char *found(const char *country, enum area_level level, const char *text)
{
    const struct area *a = gazetteer_find(country, level, text);
    return a ? a->name : NULL;
}

static void the_shipped_areas_load(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    if (gazetteer_load(&err) != SP_OK)
        fail_msg("%s", err.message);
    assert_int_equal(gazetteer_count("NP", AREA_ADMIN1), 7);
    assert_int_equal(gazetteer_count("NP", AREA_ADMIN2), 77);
    assert_int_equal(gazetteer_count("BD", AREA_ADMIN1), 8);
    assert_int_equal(gazetteer_count("IN", AREA_ADMIN1), 36);
    assert_int_equal(gazetteer_count("PK", AREA_ADMIN1), 7);
    assert_int_equal(gazetteer_count("PH", AREA_ADMIN1), 17);
    assert_int_equal(gazetteer_count("KH", AREA_ADMIN1), 25);
    assert_int_equal(gazetteer_count("MN", AREA_ADMIN1), 22);
    assert_int_equal(gazetteer_count("ID", AREA_ADMIN1), 34);
    /* no district lists outside Nepal: admin2 stays free text there */
    assert_int_equal(gazetteer_count("IN", AREA_ADMIN2), 0);
    assert_int_equal(gazetteer_count("US", AREA_ADMIN1), 0);
}

static void every_nepali_district_has_a_province_and_a_devanagari_name(void **state)
{
    (void)state;
    int count = 0;
    const struct area *areas = gazetteer_areas(&count);
    int districts = 0;
    for (int i = 0; i < count; i++) {
        const struct area *a = &areas[i];
        if (strcmp(a->country, "NP") != 0 || a->level != AREA_ADMIN2)
            continue;
        districts++;
        assert_non_null(gazetteer_find("NP", AREA_ADMIN1, a->parent));
        /* U+0900..U+097F is E0 A4 xx or E0 A5 xx in UTF-8 */
        if ((unsigned char)a->local[0] != 0xE0 || ((unsigned char)a->local[1] & 0xFE) != 0xA4)
            fail_msg("%s: local name \"%s\" is not Devanagari", a->name, a->local);
        /* the official name finds itself, by the quick path and by the folded one */
        assert_ptr_equal(gazetteer_find("NP", AREA_ADMIN2, a->name), a);
        assert_ptr_equal(gazetteer_find("NP", AREA_ADMIN2, a->local), a);
        assert_ptr_equal(gazetteer_find("NP", AREA_ADMIN2, a->code), a);
    }
    assert_int_equal(districts, 77);
}

static void case_script_and_spelling_find_the_same_district(void **state)
{
    (void)state;
    assert_string_equal(found("NP", AREA_ADMIN2, "jumla"), "Jumla");
    assert_string_equal(found("NP", AREA_ADMIN2, "JUMLA"), "Jumla");
    assert_string_equal(found("NP", AREA_ADMIN2, "जुम्ला"), "Jumla");
    assert_string_equal(found("NP", AREA_ADMIN2, "  Jumla "), "Jumla");
    assert_string_equal(found("NP", AREA_ADMIN2, "np-d63"), "Jumla");
    assert_string_equal(found("NP", AREA_ADMIN2, "Kabhrepalanchok"), "Kavrepalanchok");
    assert_string_equal(found("NP", AREA_ADMIN2, "kavre-palanchok"), "Kavrepalanchok");
    assert_string_equal(found("NP", AREA_ADMIN2, "काठमाडौँ"), "Kathmandu"); /* chandrabindu */
    assert_string_equal(found("NP", AREA_ADMIN2, "काठमाडौं"), "Kathmandu"); /* anusvara */
    assert_string_equal(found("NP", AREA_ADMIN1, "Province No. 1"), "Koshi");
    assert_string_equal(found("NP", AREA_ADMIN1, "NP-P6"), "Karnali");
    assert_string_equal(found("NP", AREA_ADMIN1, "sudurpaschim"), "Sudurpashchim");
    /* Latin accents of the ISO romanisations, and old names */
    assert_string_equal(found("MN", AREA_ADMIN1, "Hövsgöl"), "Khovsgol");
    assert_string_equal(found("MN", AREA_ADMIN1, "ХӨВСГӨЛ"), "Khovsgol");
    assert_string_equal(found("IN", AREA_ADMIN1, "Bihār"), "Bihar");
    assert_string_equal(found("IN", AREA_ADMIN1, "orissa"), "Odisha");
    assert_string_equal(found("BD", AREA_ADMIN1, "Chittagong"), "Chattogram");
    assert_string_equal(found("PH", AREA_ADMIN1, "NCR"), "National Capital Region");
    assert_string_equal(found("PK", AREA_ADMIN1, "kpk"), "Khyber Pakhtunkhwa");
}

static void a_name_belongs_to_its_own_country_and_level(void **state)
{
    (void)state;
    /* Punjab is a province of Pakistan and a state of India, one area in each */
    const struct area *pk = gazetteer_find("PK", AREA_ADMIN1, "Punjab");
    const struct area *in = gazetteer_find("IN", AREA_ADMIN1, "Punjab");
    assert_non_null(pk);
    assert_non_null(in);
    assert_string_equal(pk->code, "PK-PB");
    assert_string_equal(in->code, "IN-PB");
    /* a province is not a district, and a district of Nepal is not one of Bangladesh */
    assert_null(gazetteer_find("NP", AREA_ADMIN2, "Karnali"));
    assert_null(gazetteer_find("BD", AREA_ADMIN1, "Jumla"));
    assert_null(gazetteer_find("NP", AREA_ADMIN2, "Jumlaa"));
    assert_null(gazetteer_find("NP", AREA_ADMIN2, ""));
}

static void a_misspelling_suggests_the_nearest_area(void **state)
{
    (void)state;
    assert_string_equal(gazetteer_suggest("NP", AREA_ADMIN2, "Jumlaa"), "Jumla");
    assert_string_equal(gazetteer_suggest("NP", AREA_ADMIN2, "kathmundu"), "Kathmandu");
    assert_string_equal(gazetteer_suggest("NP", AREA_ADMIN1, "Bagmatii"), "Bagmati");
    assert_null(gazetteer_suggest("NP", AREA_ADMIN2, "Springfield"));
}

static void registration_stores_the_official_names(void **state)
{
    (void)state;
    struct person p;
    struct error err;
    error_init(&err);
    person_init(&p);
    memcpy(p.country, "NP", 3);
    memcpy(p.admin1, "कर्णाली", sizeof "कर्णाली");
    memcpy(p.admin2, "JUMLA", sizeof "JUMLA");
    assert_int_equal(gazetteer_resolve_person(&p, &err), SP_OK);
    assert_string_equal(p.admin1, "Karnali");
    assert_string_equal(p.admin2, "Jumla");

    /* a country without a district list keeps admin2 as written */
    person_init(&p);
    memcpy(p.country, "IN", 3);
    memcpy(p.admin1, "maharashtra", sizeof "maharashtra");
    memcpy(p.admin2, "Mumbai Suburban", sizeof "Mumbai Suburban");
    assert_int_equal(gazetteer_resolve_person(&p, &err), SP_OK);
    assert_string_equal(p.admin1, "Maharashtra");
    assert_string_equal(p.admin2, "Mumbai Suburban");
    person_init(&p);
    memcpy(p.country, "US", 3);
    memcpy(p.admin1, "Ohio", sizeof "Ohio");
    assert_int_equal(gazetteer_resolve_person(&p, &err), SP_OK);
    assert_string_equal(p.admin1, "Ohio");
}

static void an_unknown_district_is_refused_with_a_suggestion(void **state)
{
    (void)state;
    struct person p;
    struct error err;
    error_init(&err);
    person_init(&p);
    memcpy(p.country, "NP", 3);
    memcpy(p.admin1, "Karnali", sizeof "Karnali");
    memcpy(p.admin2, "Jumlaa", sizeof "Jumlaa");
    assert_int_equal(gazetteer_resolve_person(&p, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "admin2: \"Jumlaa\" is not a district of NP"));
    assert_non_null(strstr(err.message, "did you mean \"Jumla\"?"));
    assert_non_null(strstr(err.message, "spfloor vocab admin2 --country NP"));
    assert_string_equal(p.admin2, "Jumlaa"); /* unchanged */
}

static void a_district_must_lie_in_the_province_given(void **state)
{
    (void)state;
    struct person p;
    struct error err;
    error_init(&err);
    person_init(&p);
    memcpy(p.country, "NP", 3);
    memcpy(p.admin1, "bagmati", sizeof "bagmati");
    memcpy(p.admin2, "jumla", sizeof "jumla");
    assert_int_equal(gazetteer_resolve_person(&p, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "admin2: \"Jumla\" is a district of Karnali, not of Bagmati: "
                                     "correct admin1 or admin2");
    assert_string_equal(p.admin1, "bagmati");
}

/*
 * Nepal's scheme parameters that list districts name them as registration stores them, so a
 * district registered as "jumla" or "जुम्ला" is in np.ssa.karnali_districts.
 */
static void the_nepali_district_parameters_use_the_official_names(void **state)
{
    (void)state;
    struct param_set *set = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(param_set_new(&set, &err), SP_OK);
    if (param_load_file(set, "schemes/np/ssa.params.yaml", &err) != SP_OK)
        fail_msg("%s", err.message);
    int lists = 0;
    for (int i = 0; i < param_set_count(set); i++) {
        const struct param *p = param_set_get(set, i);
        size_t n = strlen(p->path);
        if (p->kind != PARAM_LIST || n < 10 || strcmp(p->path + n - 10, "_districts") != 0)
            continue;
        lists++;
        for (int v = 0; v < p->n_values; v++) {
            for (int k = 0; k < p->values[v].n_items; k++) {
                const char *name = p->values[v].items[k];
                const struct area *a = gazetteer_find("NP", AREA_ADMIN2, name);
                if (a == NULL || strcmp(a->name, name) != 0)
                    fail_msg("%s names \"%s\", not the official name of a district of Nepal",
                             p->path, name);
            }
        }
    }
    assert_true(lists >= 1);
    param_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_shipped_areas_load),
        cmocka_unit_test(every_nepali_district_has_a_province_and_a_devanagari_name),
        cmocka_unit_test(case_script_and_spelling_find_the_same_district),
        cmocka_unit_test(a_name_belongs_to_its_own_country_and_level),
        cmocka_unit_test(a_misspelling_suggests_the_nearest_area),
        cmocka_unit_test(registration_stores_the_official_names),
        cmocka_unit_test(an_unknown_district_is_refused_with_a_suggestion),
        cmocka_unit_test(a_district_must_lie_in_the_province_given),
        cmocka_unit_test(the_nepali_district_parameters_use_the_official_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
