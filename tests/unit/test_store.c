/* Unit tests for store/, through store.h alone, on every engine (store_support.h): what a
 * registry must never get wrong: every fact comes back as written, duplicates are refused
 * naming the existing record, and a failed write leaves nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/embedded.h"
#include "base/ids.h"
#include "base/text.h"
#include "store/store.h"
#include "store_support.h"

static void opening_twice_migrates_once(void **state)
{
    struct fixture *f = *state;
    struct person p;
    struct error err;
    make(&p, "Sita", "Sharma", "1990-05-01", "NP-123");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    store_close(f->s);
    error_init(&err);
    assert_int_equal(store_open(f->location, STORE_CREATE, &f->s, &err), SP_OK);
    assert_int_equal(count(f->s), 1);
    struct store *second = NULL;
    assert_int_equal(store_open(f->location, STORE_CREATE, &second, &err),
                     SP_OK); /* a second connection */
    store_close(second);
    store_close(NULL);
}

static void every_field_round_trips(void **state)
{
    struct fixture *f = *state;
    static const char *const values[][2] = {
        {"country", "PH"},
        {"national_id", "PH-1234"},
        {"given_name", "María"},
        {"family_name", "Santos"},
        {"sex", "other"},
        {"birth_date", "1985-12-31"},
        {"phone", "+63 917 555 0101"},
        {"admin1", "NCR"},
        {"admin2", "Quezon City"},
        {"marital_status", "separated"},
        {"disability_class", "B"},
        {"groups", "solo_parent;indigenous"},
        {"worker_category", "platform"},
        {"employer", "Grab"},
        {"monthly_wage", "12000.25"},
        {"declared_income", "0.00"},
        {"annual_income", "150000.00 USD"},
        {"employment_start", "2019-06-01"},
        {"income_tax_payer", "false"},
        {"memberships", "sss;philhealth"},
        {"household", "PH-H1"},
        {"relationship", "parent"},
        {"living_children", "0"},
        {"account", "0917 555 0101"},
        {"account_holder", "000000000024"},
    };
    /* every field of the vocabulary but the id, which the store gives: a field added to
     * PERSON_FIELDS fails here until the store keeps it too */
    assert_int_equal(sizeof values / sizeof values[0], (size_t)person_field_count - 1);
    struct person p, back;
    struct error err;
    error_init(&err);
    person_init(&p);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        assert_int_equal(person_set_field(&p, values[i][0], values[i][1], today(), &err), SP_OK);
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    assert_int_equal(worker_id_validate(p.id, &err), SP_OK);
    int found = 0;
    assert_int_equal(store_person_get(f->s, p.id, &back, &found, &err), SP_OK);
    assert_true(found);
    assert_string_equal(back.id, p.id);
    assert_true(person_same_facts(&p, &back));
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char text[128];
        person_get_field(&back, values[i][0], text, sizeof text, &err);
        assert_string_equal(text, values[i][1]);
    }
    /* unset facts stay unset */
    struct person bare;
    make(&bare, "Ram", "Thapa", "1950-01-01", "");
    assert_int_equal(insert(f->s, &bare, &err), SP_OK);
    assert_int_equal(store_person_get(f->s, bare.id, &back, &found, &err), SP_OK);
    assert_true(found);
    assert_true(person_same_facts(&bare, &back));
    assert_int_equal(back.living_children, -1);
    assert_int_equal(back.income_tax_payer, TRISTATE_UNSET);
    assert_int_equal(back.employment_start, DATE_NONE);
    assert_string_equal(back.monthly_wage.currency, "");

    assert_int_equal(store_person_by_national_id(f->s, "PH", "PH-1234", &back, &found, &err),
                     SP_OK);
    assert_true(found);
    assert_string_equal(back.id, p.id);
    assert_int_equal(store_person_by_national_id(f->s, "NP", "PH-1234", &back, &found, &err),
                     SP_OK);
    assert_false(found);
    char key[PERSON_DEDUP_KEY_SIZE];
    person_dedup_key(&bare, key, sizeof key);
    assert_int_equal(store_person_by_dedup_key(f->s, key, &back, &found, &err), SP_OK);
    assert_true(found);
    assert_string_equal(back.id, bare.id);
    assert_int_equal(
        store_person_by_dedup_key(f->s, "ram thapa|1950-01-02|kathmandu", &back, &found, &err),
        SP_OK);
    assert_false(found);
    assert_int_equal(store_person_get(f->s, "000000000999", &back, &found, &err), SP_OK);
    assert_false(found);
}

static void duplicate_national_id_names_the_existing_record(void **state)
{
    struct fixture *f = *state;
    struct person sita, other;
    struct error err;
    make(&sita, "Sita", "Sharma", "1990-05-01", "NP-123");
    assert_int_equal(insert(f->s, &sita, &err), SP_OK);
    make(&other, "Gita", "Thapa", "1985-01-01", "NP-123");
    assert_int_equal(insert(f->s, &other, &err), SP_CONFLICT);
    char expected[128];
    snprintf(expected, sizeof expected,
             "national_id NP-123 is already registered to %s (Sita "
             "Sharma)",
             sita.id);
    assert_string_equal(err.message, expected);
    assert_string_equal(other.id, ""); /* the caller's person is left as it was */
    assert_int_equal(count(f->s), 1);
    /* the same national ID in another country is another person */
    assert_int_equal(person_set_field(&other, "country", "IN", today(), &err), SP_OK);
    assert_int_equal(insert(f->s, &other, &err), SP_OK);
    assert_int_equal(count(f->s), 2);
}

static void duplicate_dedup_key_names_the_existing_record(void **state)
{
    struct fixture *f = *state;
    struct person sita, again;
    struct error err;
    make(&sita, "Sita", "Sharma", "1990-05-01", "");
    assert_int_equal(insert(f->s, &sita, &err), SP_OK);
    make(&again, "SITA", "sharma.", "1990-05-01", "NP-777");
    assert_int_equal(insert(f->s, &again, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, sita.id));
    assert_non_null(strstr(err.message, "(Sita Sharma)"));
    assert_non_null(strstr(err.message, "the same name, birth date and district"));
    assert_int_equal(count(f->s), 1);
    /* the national ID of the refused row was not kept either */
    struct person back;
    int found = 1;
    assert_int_equal(store_person_by_national_id(f->s, "NP", "NP-777", &back, &found, &err), SP_OK);
    assert_false(found);
}

static void given_worker_ids_are_checked_and_unique(void **state)
{
    struct fixture *f = *state;
    struct person p, q;
    struct error err;
    make(&p, "Sita", "Sharma", "1990-05-01", "");
    char id[WORKER_ID_SIZE];
    assert_int_equal(worker_id_format(17, id, &err), SP_OK);
    memcpy(p.id, id, sizeof id);
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    make(&q, "Gita", "Thapa", "1985-01-01", "");
    memcpy(q.id, id, sizeof id);
    assert_int_equal(insert(f->s, &q, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "worker ID"));
    assert_non_null(strstr(err.message, "Sita Sharma"));
    /* a mistyped ID is bad input, not a new person */
    id[3] = id[3] == '9' ? '8' : (char)(id[3] + 1);
    memcpy(q.id, id, sizeof id);
    assert_int_equal(insert(f->s, &q, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "check digit"));
    /* the next assigned ID comes after the largest given one */
    q.id[0] = '\0';
    assert_int_equal(insert(f->s, &q, &err), SP_OK);
    assert_int_equal(worker_id_format(18, id, &err), SP_OK);
    assert_string_equal(q.id, id);
}

static void assigned_ids_are_sequential_and_valid(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    for (int i = 1; i <= 30; i++) {
        struct person p;
        char born[16];
        snprintf(born, sizeof born, "1970-01-%02d", i);
        make(&p, "Hari", "Rai", born, "");
        assert_int_equal(store_person_insert(f->s, &p, &err), SP_OK);
        char id[WORKER_ID_SIZE];
        assert_int_equal(worker_id_format(i, id, &err), SP_OK);
        assert_string_equal(p.id, id);
        assert_int_equal(worker_id_validate(p.id, &err), SP_OK);
    }
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    /* a rolled-back insert does not use up a serial */
    struct person p;
    make(&p, "Hari", "Rai", "1970-02-01", "");
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_person_insert(f->s, &p, &err), SP_OK);
    store_rollback(f->s);
    make(&p, "Maya", "Rai", "1970-02-01", "");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    char id[WORKER_ID_SIZE];
    worker_id_format(31, id, &err);
    assert_string_equal(p.id, id);
    /* and the serial survives reopening */
    store_close(f->s);
    assert_int_equal(store_open(f->location, STORE_CREATE, &f->s, &err), SP_OK);
    make(&p, "Gopal", "Rai", "1970-02-01", "");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    worker_id_format(32, id, &err);
    assert_string_equal(p.id, id);
}

static void rollback_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    struct person p;
    make(&p, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(person_set_field(&p, "household", "h1", today(), &err), SP_OK);
    assert_int_equal(store_person_insert(f->s, &p, &err), SP_OK);
    assert_int_equal(count(f->s), 1); /* visible inside the transaction */
    store_rollback(f->s);
    assert_int_equal(count(f->s), 0);
    struct household h;
    int found = 1;
    assert_int_equal(store_household_get(f->s, "h1", &h, &found, &err), SP_OK);
    assert_false(found);
    /* inserting outside a transaction is refused */
    assert_int_equal(store_person_insert(f->s, &p, &err), SP_IO);
    assert_int_equal(count(f->s), 0);
    /* closing with an open transaction rolls it back */
    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    make(&p, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(store_person_insert(f->s, &p, &err), SP_OK);
    store_close(f->s);
    assert_int_equal(store_open(f->location, STORE_CREATE, &f->s, &err), SP_OK);
    assert_int_equal(count(f->s), 0);
}

static void invalid_persons_are_refused_before_writing(void **state)
{
    struct fixture *f = *state;
    struct person p;
    struct error err;
    make(&p, "Sita", "Sharma", "1990-05-01", "");
    p.sex = SEX_UNSET;
    assert_int_equal(insert(f->s, &p, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "sex is missing"));
    assert_int_equal(count(f->s), 0);
}

static void search_finds_by_name_id_and_phone(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person people[4];
    make(&people[0], "Sita", "Sharma", "1990-05-01", "NP-100");
    make(&people[1], "Gita", "Sharma", "1991-05-01", "NP-200");
    make(&people[2], "Ram", "Thapa", "1950-01-01", "NP-300");
    make(&people[3], "Sita", "Gurung", "1992-05-01", "");
    person_set_field(&people[2], "phone", "9841000111", today(), &err);
    person_set_field(&people[3], "country", "IN", today(), &err);
    for (int i = 0; i < 4; i++)
        assert_int_equal(insert(f->s, &people[i], &err), SP_OK);

    struct collected c = {0};
    assert_int_equal(store_person_search(f->s, "sharma", NULL, 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 2);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "SITA", NULL, 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 2);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "sita", "NP", 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.ids[0], people[0].id);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "Sita Sharma", NULL, 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "NP-300", NULL, 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.ids[0], people[2].id);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "1000111", NULL, 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.ids[0], people[2].id);
    /* a full worker ID comes first, once */
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, people[1].id, NULL, 20, collect, &c, &err), SP_OK);
    assert_true(c.n >= 1);
    assert_string_equal(c.ids[0], people[1].id);
    for (int i = 1; i < c.n; i++)
        assert_string_not_equal(c.ids[i], people[1].id);
    /* LIKE wildcards in the text are literal */
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "%", NULL, 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 0);
    /* empty text lists everyone, up to the limit, in ID order */
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "", NULL, 3, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.ids[0], people[0].id);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_search(f->s, "  ", "IN", 20, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 1);
    /* a visitor can stop the walk, and its value comes back */
    memset(&c, 0, sizeof c);
    c.stop_after = 2;
    assert_int_equal(store_person_each(f->s, collect, &c, &err), 7);
    assert_int_equal(c.n, 2);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_each(f->s, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 4);
    assert_true(strcmp(c.ids[0], c.ids[1]) < 0);
}

static void households_are_created_with_their_first_member(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person head, child, other;
    make(&head, "Ram", "Thapa", "1960-01-01", "");
    person_set_field(&head, "household", "NP-H1", today(), &err);
    person_set_field(&head, "admin1", "Bagmati", today(), &err);
    person_set_field(&head, "relationship", "head", today(), &err);
    make(&child, "Hari", "Thapa", "2010-01-01", "");
    person_set_field(&child, "household", "NP-H1", today(), &err);
    make(&other, "Gita", "Rai", "1970-01-01", "");
    person_set_field(&other, "household", "NP-H2", today(), &err);
    assert_int_equal(insert(f->s, &head, &err), SP_OK);
    assert_int_equal(insert(f->s, &other, &err), SP_OK);
    assert_int_equal(insert(f->s, &child, &err), SP_OK);

    struct household h;
    int found = 0;
    assert_int_equal(store_household_get(f->s, "NP-H1", &h, &found, &err), SP_OK);
    assert_true(found);
    assert_string_equal(h.id, "NP-H1");
    assert_string_equal(h.country, "NP");
    assert_string_equal(h.admin1, "Bagmati");
    assert_string_equal(h.admin2, "Kathmandu");
    struct collected c = {0};
    assert_int_equal(store_household_members(f->s, "NP-H1", collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.ids[0], head.id);
    assert_string_equal(c.ids[1], child.id);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_household_members(f->s, "NP-H9", collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 0);

    /* a refused member does not leave a new household behind */
    struct person dup;
    make(&dup, "Ram", "Thapa", "1960-01-01", "");
    person_set_field(&dup, "household", "NP-H3", today(), &err);
    assert_int_equal(insert(f->s, &dup, &err), SP_CONFLICT);
    error_init(&err);
    assert_int_equal(store_household_get(f->s, "NP-H3", &h, &found, &err), SP_OK);
    assert_false(found);
}

static void failing_allocations_leave_the_database_unchanged(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person first;
    make(&first, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &first, &err), SP_OK);
    /* Fail the n-th allocation of a fresh store's whole write path, for every n that fails. */
    for (long n = 0; n < 5000; n++) {
        struct store *s = NULL;
        struct person p;
        make(&p, "Gita", "Thapa", "1985-01-01", "NP-2");
        error_init(&err);
        alloc_fail_after(n);
        int rc = store_open(f->location, STORE_CREATE, &s, &err);
        if (rc == SP_OK)
            rc = store_begin(s, &err);
        if (rc == SP_OK)
            rc = store_person_insert(s, &p, &err);
        if (rc == SP_OK)
            rc = store_commit(s, &err);
        alloc_fail_after(-1);
        if (rc != SP_OK) {
            assert_int_equal(rc, SP_IO);
            if (s != NULL)
                store_rollback(s);
        }
        store_close(s);
        int64_t expected = rc == SP_OK ? 2 : 1;
        assert_int_equal(count(f->s), expected);
        if (rc == SP_OK)
            break; /* past the last allocation: the write went through whole */
    }
    assert_int_equal(count(f->s), 2);
}

/* A read-only store reads, refuses to write, and creates nothing. */
static void a_read_only_store_reads_and_never_writes(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person p;
    error_init(&err);
    make(&p, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    struct store *reader = NULL;
    assert_int_equal(store_open(f->location, STORE_READ_ONLY, &reader, &err), SP_OK);
    assert_int_equal(count(reader), 1);
    struct person got;
    int found = 0;
    assert_int_equal(store_person_get(reader, p.id, &got, &found, &err), SP_OK);
    assert_int_equal(found, 1);
    assert_string_equal(got.family_name, "Sharma");
    if (store_begin(reader, &err) == SP_OK) { /* query_only: the write itself is refused */
        make(&p, "Gita", "Sharma", "1990-05-01", "NP-2");
        assert_int_not_equal(store_person_insert(reader, &p, &err), SP_OK);
        store_rollback(reader);
    }
    store_close(reader);
    assert_int_equal(count(f->s), 1);

    char missing[STORE_TEST_LOCATION_SIZE];
    fresh_location(f, "missing", missing);
    error_init(&err);
    reader = NULL;
    assert_int_equal(store_open(missing, STORE_READ_ONLY, &reader, &err), SP_IO);
    assert_null(reader);
}

/* Batches decide for whole households: members come together, persons without one last. */
static void persons_come_household_by_household(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person p;
    make(&p, "Sita", "Sharma", "1990-05-01", "NP-1"); /* no household, registered first */
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    insert_many(f->s, 10); /* H1: the first 5, H2: the rest */
    make(&p, "Gita", "Thapa", "1985-01-01", "NP-2");
    person_set_field(&p, "household", "H1", today(), &err); /* joins H1 last */
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    make(&p, "Ana", "Cruz", "1970-01-01", "");
    person_set_field(&p, "country", "PH", today(), &err);
    assert_int_equal(insert(f->s, &p, &err), SP_OK);

    struct collected c = {0};
    error_init(&err);
    assert_int_equal(store_person_each_by_household(f->s, NULL, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 13);
    for (int i = 0; i < 6; i++) /* H1: five Rai, then Thapa */
        assert_string_equal(c.names[i], i < 5 ? "Rai" : "Thapa");
    for (int i = 6; i < 11; i++)
        assert_string_equal(c.names[i], "Rai"); /* H2 */
    assert_string_equal(c.names[11], "Sharma"); /* no household, by worker ID */
    assert_string_equal(c.names[12], "Cruz");

    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_each_by_household(f->s, "PH", collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.names[0], "Cruz");
    memset(&c, 0, sizeof c);
    c.stop_after = 3;
    assert_int_equal(store_person_each_by_household(f->s, "", collect, &c, &err), 7);
    assert_int_equal(c.n, 3);
}

/* What reading only some fields collects: the persons as the walk gave them. */
struct read_back {
    int n;
    struct person p[4];
};

static int keep_person(void *ctx, const struct person *p)
{
    struct read_back *r = ctx;
    if (r->n < 4)
        r->p[r->n] = *p;
    r->n++;
    return 0;
}

/* What a walk's visitor sees of households: each person's, looked up as they come. */
struct household_seen {
    struct store *s;
    int n, found;
    char last[PERSON_SHORT_SIZE];
};

static int look_household_up(void *ctx, const struct person *p)
{
    struct household_seen *h = ctx;
    struct error err;
    struct household hh;
    int found = 0;
    h->n++;
    if (p->household[0] == '\0')
        return 0;
    assert_int_equal(store_household_get(h->s, p->household, &hh, &found, &err), SP_OK);
    assert_int_equal(found, 1);
    assert_string_equal(hh.id, p->household);
    assert_string_equal(hh.country, p->country);
    h->found++;
    /* asked for again, and for one the walk has passed: still found */
    assert_int_equal(store_household_get(h->s, p->household, &hh, &found, &err), SP_OK);
    assert_int_equal(found, 1);
    if (h->last[0] != '\0') {
        assert_int_equal(store_household_get(h->s, h->last, &hh, &found, &err), SP_OK);
        assert_int_equal(found, 1);
        assert_string_equal(hh.id, h->last);
    }
    assert_int_equal(store_household_get(h->s, "no-such-household", &hh, &found, &err), SP_OK);
    assert_int_equal(found, 0);
    snprintf(h->last, sizeof h->last, "%s", p->household);
    return 0;
}

/* A walk whole households at a time gives each household's record to the visitor, in and
 * out of the walk's order, and says when there is none. */
static void households_are_read_during_a_walk(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person p;
    const char *households[] = {"H9", "H10", "", "H2", "H9"};
    for (int i = 0; i < 5; i++) {
        char nid[16];
        snprintf(nid, sizeof nid, "NP-%d", i);
        static const char *const given[] = {"Sita", "Gita", "Rita", "Mina", "Tara"};
        make(&p, given[i], "Sharma", "1960-05-01", nid);
        if (households[i][0] != '\0')
            person_set_field(&p, "household", households[i], today(), &err);
        assert_int_equal(insert(f->s, &p, &err), SP_OK);
    }
    struct household_seen h = {f->s, 0, 0, ""};
    error_init(&err);
    assert_int_equal(store_person_each_by_household_reading(
                         f->s, NULL, PERSON_FIELD_BIT(F_BIRTH_DATE), look_household_up, &h, &err),
                     SP_OK);
    assert_int_equal(h.n, 5);
    assert_int_equal(h.found, 4);
}

/* A batch that decides reads only the facts its schemes use; the others come back unset, and
 * the walk's order and households are the same as when every field is read. */
static void a_walk_reads_only_the_fields_asked_for(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person p;
    make(&p, "Sita", "Sharma", "1950-05-01", "NP-1");
    person_set_field(&p, "household", "H9", today(), &err);
    person_set_field(&p, "relationship", "head", today(), &err);
    person_set_field(&p, "marital_status", "widowed", today(), &err);
    person_set_field(&p, "phone", "9841000000", today(), &err);
    person_set_field(&p, "monthly_wage", "1500.50", today(), &err);
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    make(&p, "Gita", "Sharma", "1980-01-01", "NP-2");
    person_set_field(&p, "household", "H9", today(), &err);
    person_set_field(&p, "relationship", "child", today(), &err);
    assert_int_equal(insert(f->s, &p, &err), SP_OK);

    struct read_back all = {0}, some = {0};
    error_init(&err);
    assert_int_equal(store_person_each_by_household_reading(f->s, NULL, PERSON_FIELDS_EVERY,
                                                            keep_person, &all, &err),
                     SP_OK);
    person_field_set fields = PERSON_FIELD_BIT(F_BIRTH_DATE) | PERSON_FIELD_BIT(F_MONTHLY_WAGE) |
                              PERSON_FIELD_BIT(F_RELATIONSHIP);
    assert_int_equal(
        store_person_each_by_household_reading(f->s, "NP", fields, keep_person, &some, &err),
        SP_OK);
    assert_int_equal(all.n, 2);
    assert_int_equal(some.n, 2);
    for (int i = 0; i < 2; i++) {
        const struct person *a = &all.p[i], *b = &some.p[i];
        /* read: the id, country and household always, and the fields asked for */
        assert_string_equal(b->id, a->id);
        assert_string_equal(b->country, "NP");
        assert_string_equal(b->household, "H9");
        assert_int_equal(b->birth_date, a->birth_date);
        assert_int_equal(b->relationship, a->relationship);
        assert_int_equal(b->monthly_wage.minor, a->monthly_wage.minor);
        assert_string_equal(b->monthly_wage.currency, a->monthly_wage.currency);
        /* not read: unset, as if not given */
        assert_string_equal(b->given_name, "");
        assert_string_equal(b->national_id, "");
        assert_string_equal(b->phone, "");
        assert_int_equal(b->sex, SEX_UNSET);
        assert_int_equal(b->marital_status, MARITAL_UNSET);
    }
    assert_string_equal(all.p[0].given_name, "Sita");
    assert_string_equal(all.p[0].phone, "9841000000");
    assert_int_equal(all.p[0].marital_status, MARITAL_WIDOWED);
    assert_int_equal(some.p[0].monthly_wage.minor, 150050);
}

/* What a correction's test collects: the changes, in order. */
struct changes {
    struct person_change c[8];
    int n;
};

static int collect_change(void *ctx, const struct person_change *c)
{
    struct changes *all = ctx;
    if (all->n < 8)
        all->c[all->n] = *c;
    all->n++;
    return 0;
}

/* Runs store_person_update in a transaction of its own; rolls back on failure. */
static int correct(struct store *s, const char *id, struct person *p, const char *reason,
                   int *changed, struct error *err)
{
    struct store_edit edit = {"clerk1", reason, "2026-12-02T10:00:00Z"};
    error_init(err);
    int rc = store_begin(s, err);
    if (rc == SP_OK)
        rc = store_person_update(s, id, p, &edit, changed, err);
    if (rc == SP_OK)
        rc = store_commit(s, err);
    if (rc != SP_OK)
        store_rollback(s);
    return rc;
}

/*
 * A correction replaces the facts and keeps the old ones, field by field, as numbered
 * versions; a national ID given up is free at once; taking another person's is refused, naming
 * them, and changes nothing.
 */
static void corrections_keep_every_earlier_value(void **state)
{
    struct fixture *f = *state;
    struct person sita, gita, p;
    struct error err;
    int changed = -1;
    make(&sita, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &sita, &err), SP_OK);
    make(&gita, "Gita", "Thapa", "1985-01-01", "NP-2");
    assert_int_equal(insert(f->s, &gita, &err), SP_OK);

    p = sita;
    assert_int_equal(person_set_field(&p, "phone", "9841000000", today(), &err), SP_OK);
    assert_int_equal(person_set_field(&p, "national_id", "NP-9", today(), &err), SP_OK);
    assert_int_equal(correct(f->s, sita.id, &p, "new card", &changed, &err), SP_OK);
    assert_int_equal(changed, 2);
    p = sita; /* the same facts again: nothing is written */
    assert_int_equal(person_set_field(&p, "phone", "9841000000", today(), &err), SP_OK);
    assert_int_equal(person_set_field(&p, "national_id", "NP-9", today(), &err), SP_OK);
    assert_int_equal(correct(f->s, sita.id, &p, "again", &changed, &err), SP_OK);
    assert_int_equal(changed, 0);

    struct person back;
    int found = 0;
    assert_int_equal(store_person_get(f->s, sita.id, &back, &found, &err), SP_OK);
    assert_true(found);
    assert_string_equal(back.phone, "9841000000");
    assert_int_equal(store_person_by_national_id(f->s, "NP", "NP-9", &back, &found, &err), SP_OK);
    assert_true(found);
    assert_string_equal(back.id, sita.id);
    /* the national ID she gave up is free: Gita may take it */
    p = gita;
    assert_int_equal(person_set_field(&p, "national_id", "NP-1", today(), &err), SP_OK);
    assert_int_equal(correct(f->s, gita.id, &p, "swap", &changed, &err), SP_OK);
    /* but not Sita's new one */
    p = gita;
    assert_int_equal(person_set_field(&p, "national_id", "NP-9", today(), &err), SP_OK);
    assert_int_equal(correct(f->s, gita.id, &p, "typo", &changed, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, sita.id));
    assert_int_equal(store_person_get(f->s, gita.id, &back, &found, &err), SP_OK);
    assert_string_equal(back.national_id, "NP-1"); /* unchanged */

    struct changes all = {.n = 0};
    assert_int_equal(store_person_changes(f->s, sita.id, collect_change, &all, &err), SP_OK);
    assert_int_equal(all.n, 2);
    assert_int_equal(all.c[0].version, 1);
    assert_string_equal(all.c[0].field, "national_id");
    assert_string_equal(all.c[0].old_value, "NP-1");
    assert_string_equal(all.c[0].new_value, "NP-9");
    assert_string_equal(all.c[1].field, "phone");
    assert_string_equal(all.c[1].old_value, "");
    assert_string_equal(all.c[1].actor, "clerk1");
    assert_string_equal(all.c[1].reason, "new card");
    assert_string_equal(all.c[1].changed_at, "2026-12-02T10:00:00Z");
    all.n = 0;
    assert_int_equal(store_person_changes(f->s, gita.id, collect_change, &all, &err), SP_OK);
    assert_int_equal(all.n, 1); /* the refused correction left nothing */

    /* nobody, and a correction without a reason, are refused */
    p = sita;
    assert_int_equal(correct(f->s, "000000009999", &p, "x", &changed, &err), SP_BAD_INPUT);
    assert_int_equal(correct(f->s, sita.id, &p, "", &changed, &err), SP_BAD_INPUT);
}

/* Runs store_person_mark in a transaction of its own; rolls back on failure. */
static int mark(struct store *s, const char *id, enum person_mark_kind kind, const char *date,
                const char *into, struct error *err)
{
    struct person_mark m = {kind, DATE_NONE, ""};
    if (date != NULL)
        assert_int_equal(date_parse(date, &m.date, NULL), SP_OK);
    if (into != NULL)
        text_copy(m.into, sizeof m.into, into);
    struct store_edit edit = {"clerk1", "certificate", "2026-12-02T10:00:00Z"};
    error_init(err);
    int rc = store_begin(s, err);
    if (rc == SP_OK)
        rc = store_person_mark(s, id, &m, today(), &edit, err);
    if (rc == SP_OK)
        rc = store_commit(s, err);
    if (rc != SP_OK)
        store_rollback(s);
    return rc;
}

/* A record is never deleted: a death or a duplicate is a mark, kept as a correction too. */
static void deaths_and_duplicates_are_marks(void **state)
{
    struct fixture *f = *state;
    struct person sita, again, gita;
    struct error err;
    make(&sita, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &sita, &err), SP_OK);
    make(&again, "Seeta", "Sharma", "1990-05-01", "NP-2");
    assert_int_equal(insert(f->s, &again, &err), SP_OK);
    make(&gita, "Gita", "Thapa", "1985-01-01", "NP-3");
    assert_int_equal(insert(f->s, &gita, &err), SP_OK);

    assert_int_equal(mark(f->s, again.id, PERSON_MARK_MERGED, NULL, sita.id, &err), SP_OK);
    assert_int_equal(mark(f->s, gita.id, PERSON_MARK_DECEASED, "1984-12-31", NULL, &err),
                     SP_BAD_INPUT); /* before her birth */
    assert_int_equal(mark(f->s, gita.id, PERSON_MARK_DECEASED, "2024-12-31", NULL, &err), SP_OK);
    assert_int_equal(mark(f->s, gita.id, PERSON_MARK_DECEASED, "2024-12-30", NULL, &err),
                     SP_CONFLICT);
    assert_non_null(strstr(err.message, "already deceased on 2024-12-31"));
    /* not into itself, nor into a record that is marked */
    assert_int_equal(mark(f->s, sita.id, PERSON_MARK_MERGED, NULL, sita.id, &err), SP_BAD_INPUT);
    assert_int_equal(mark(f->s, sita.id, PERSON_MARK_MERGED, NULL, gita.id, &err), SP_BAD_INPUT);

    struct person_mark m;
    assert_int_equal(store_person_mark_get(f->s, again.id, &m, &err), SP_OK);
    assert_int_equal(m.kind, PERSON_MARK_MERGED);
    assert_string_equal(m.into, sita.id);
    assert_int_equal(store_person_mark_get(f->s, gita.id, &m, &err), SP_OK);
    assert_int_equal(m.kind, PERSON_MARK_DECEASED);
    assert_int_equal(m.date, date_from_civil(2024, 12, 31));
    assert_int_equal(store_person_mark_get(f->s, sita.id, &m, &err), SP_OK);
    assert_int_equal(m.kind, PERSON_MARK_NONE);
    assert_int_equal(count(f->s), 3); /* nothing was deleted */
    struct changes all = {.n = 0};
    assert_int_equal(store_person_changes(f->s, gita.id, collect_change, &all, &err), SP_OK);
    assert_int_equal(all.n, 1);
    assert_string_equal(all.c[0].field, "status");
    assert_string_equal(all.c[0].new_value, "deceased on 2024-12-31");
}

/* Records one event of `type` on `date` for id, naming other (child or spouse) if not NULL,
 * in a transaction of its own. */
static int event(struct store *s, const char *id, enum event_type type, const char *date,
                 const char *other, struct registry_event *ev, struct error *err)
{
    memset(ev, 0, sizeof *ev);
    ev->e.type = type;
    assert_int_equal(date_parse(date, &ev->e.date, NULL), SP_OK);
    text_copy(ev->e.person, sizeof ev->e.person, id);
    if (other != NULL)
        text_copy(type == EVENT_BIRTH ? ev->e.child : ev->spouse, PERSON_ID_SIZE, other);
    text_copy(ev->recorded_at, sizeof ev->recorded_at, "2026-12-02T10:00:00Z");
    text_copy(ev->actor, sizeof ev->actor, "clerk1");
    text_copy(ev->reason, sizeof ev->reason, "certificate 12");
    error_init(err);
    int rc = store_begin(s, err);
    if (rc == SP_OK)
        rc = store_event_add(s, ev, err);
    if (rc == SP_OK)
        rc = store_commit(s, err);
    if (rc != SP_OK)
        store_rollback(s);
    return rc;
}

/* The events visited, in order. */
struct events_seen {
    struct registry_event ev[8];
    int n;
};

static int collect_event(void *ctx, const struct registry_event *ev)
{
    struct events_seen *seen = ctx;
    assert_true(seen->n < 8);
    seen->ev[seen->n++] = *ev;
    return 0;
}

static int collect_mark(void *ctx, const char *id, const struct person_mark *m)
{
    struct events_seen *seen = ctx; /* the record's ID in e.person, the mark's kind in seq */
    assert_true(seen->n < 8);
    memset(&seen->ev[seen->n], 0, sizeof seen->ev[0]);
    text_copy(seen->ev[seen->n].e.person, PERSON_ID_SIZE, id);
    seen->ev[seen->n++].seq = (int)m->kind;
    return 0;
}

/*
 * Life events come back as recorded, each person's by date, for one person or for a group of
 * them in one walk that leaves out the persons not asked for; one naming nobody is refused and
 * stores nothing.
 */
static void life_events_come_back_for_one_person_and_for_a_group(void **state)
{
    struct fixture *f = *state;
    struct person mother, child, migrant;
    struct registry_event ev;
    struct error err;
    make(&mother, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &mother, &err), SP_OK);
    make(&child, "Maya", "Sharma", "2024-08-10", "NP-2");
    assert_int_equal(insert(f->s, &child, &err), SP_OK);
    make(&migrant, "Gita", "Thapa", "1985-01-01", "NP-3");
    assert_int_equal(insert(f->s, &migrant, &err), SP_OK);

    assert_int_equal(event(f->s, mother.id, EVENT_JOB_LOSS, "2024-12-01", NULL, &ev, &err), SP_OK);
    assert_int_equal(ev.seq, 1);
    assert_int_equal(event(f->s, mother.id, EVENT_BIRTH, "2024-08-10", child.id, &ev, &err), SP_OK);
    assert_int_equal(ev.seq, 2);
    assert_int_equal(event(f->s, child.id, EVENT_MOVE, "2024-09-01", NULL, &ev, &err), SP_OK);
    memset(&ev, 0, sizeof ev);
    assert_int_equal(
        event(f->s, migrant.id, EVENT_MARRIAGE, "2024-01-01", "000000009999", &ev, &err),
        SP_BAD_INPUT); /* a spouse nobody has registered */
    assert_non_null(strstr(err.message, "spouse: no person with ID 000000009999"));

    struct registry_event departure;
    memset(&departure, 0, sizeof departure);
    departure.e.type = EVENT_DEPARTURE;
    departure.e.contract_months = 24;
    text_copy(departure.e.destination, sizeof departure.e.destination, "MY");
    assert_int_equal(date_parse("2024-03-01", &departure.e.date, NULL), SP_OK);
    text_copy(departure.e.person, sizeof departure.e.person, migrant.id);
    text_copy(departure.recorded_at, sizeof departure.recorded_at, "2026-12-02T10:00:00Z");
    text_copy(departure.actor, sizeof departure.actor, "clerk2");
    text_copy(departure.reason, sizeof departure.reason, "labour permit");
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_event_add(f->s, &departure, &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);

    struct events_seen seen = {.n = 0};
    assert_int_equal(store_events_of(f->s, mother.id, collect_event, &seen, &err), SP_OK);
    assert_int_equal(seen.n, 2); /* by date: the birth, then the job loss */
    assert_int_equal(seen.ev[0].e.type, EVENT_BIRTH);
    assert_string_equal(seen.ev[0].e.person, mother.id);
    assert_string_equal(seen.ev[0].e.child, child.id);
    assert_int_equal(seen.ev[0].e.date, date_from_civil(2024, 8, 10));
    assert_string_equal(seen.ev[0].actor, "clerk1");
    assert_string_equal(seen.ev[0].reason, "certificate 12");
    assert_int_equal(seen.ev[1].e.type, EVENT_JOB_LOSS);
    assert_int_equal(seen.ev[1].seq, 1);

    seen.n = 0;
    const char *group[] = {migrant.id, mother.id}; /* not the child */
    assert_int_equal(store_events_of_many(f->s, NULL, group, 2, collect_event, &seen, &err), SP_OK);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.ev[0].e.person, mother.id);
    assert_string_equal(seen.ev[1].e.person, mother.id);
    assert_string_equal(seen.ev[2].e.person, migrant.id);
    assert_int_equal(seen.ev[2].e.type, EVENT_DEPARTURE);
    assert_string_equal(seen.ev[2].e.destination, "MY");
    assert_int_equal(seen.ev[2].e.contract_months, 24);

    /* a census of who has events asks about them only, with the same answer */
    struct store_census *census = NULL;
    assert_int_equal(store_census_take(f->s, &census, &err), SP_OK);
    seen.n = 0;
    assert_int_equal(store_events_of_many(f->s, census, group, 2, collect_event, &seen, &err),
                     SP_OK);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.ev[2].e.destination, "MY");
    store_census_free(census);

    /* a group whose members were registered far apart is read by its list, not its range */
    struct person far;
    make(&far, "Laxmi", "Gurung", "1970-01-01", "NP-4");
    assert_int_equal(worker_id_format(5000, far.id, NULL), SP_OK);
    assert_int_equal(insert(f->s, &far, &err), SP_OK);
    assert_int_equal(event(f->s, far.id, EVENT_RETURN, "2024-10-01", NULL, &ev, &err), SP_OK);
    seen.n = 0;
    const char *apart[] = {far.id, mother.id, far.id};
    assert_int_equal(store_events_of_many(f->s, NULL, apart, 3, collect_event, &seen, &err), SP_OK);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.ev[0].e.person, mother.id);
    assert_string_equal(seen.ev[2].e.person, far.id);
    assert_int_equal(seen.ev[2].e.type, EVENT_RETURN);

    /* marks of a group: only those asked for */
    assert_int_equal(mark(f->s, child.id, PERSON_MARK_DECEASED, "2024-11-01", NULL, &err), SP_OK);
    assert_int_equal(mark(f->s, migrant.id, PERSON_MARK_MERGED, NULL, mother.id, &err), SP_OK);
    seen.n = 0;
    const char *marked[] = {child.id, mother.id};
    assert_int_equal(store_marks_of_many(f->s, NULL, marked, 2, collect_mark, &seen, &err), SP_OK);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.ev[0].e.person, child.id);
    assert_int_equal(seen.ev[0].seq, PERSON_MARK_DECEASED);
    seen.n = 0;
    assert_int_equal(store_census_take(f->s, &census, &err), SP_OK);
    seen.n = 0;
    assert_int_equal(store_marks_of_many(f->s, census, marked, 2, collect_mark, &seen, &err),
                     SP_OK);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.ev[0].e.person, child.id);
    store_census_free(census);
    seen.n = 0;
    const char *marked_apart[] = {far.id, migrant.id};
    assert_int_equal(store_marks_of_many(f->s, NULL, marked_apart, 2, collect_mark, &seen, &err),
                     SP_OK);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.ev[0].e.person, migrant.id);
    assert_int_equal(seen.ev[0].seq, PERSON_MARK_MERGED);
}

/*
 * The default overlay is kept whole, replaced by the next, read by a read-only store, and
 * removed by clear; writing it needs a transaction, and one rolled back leaves the old one.
 */
static void the_default_overlay_is_kept_replaced_and_cleared(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    struct buf text;
    buf_init(&text, STORE_OVERLAY_MAX + 1);
    int found = -1;
    assert_int_equal(store_overlay_get(f->s, &text, &found, &err), SP_OK);
    assert_int_equal(found, 0);
    assert_int_equal(store_overlay_set(f->s, "a", "id: a\n", &err), SP_IO); /* no transaction */

    const char *first = "id: np.first\ntitle: \"Jumla, Humla \u0928\u0947\"\n";
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_overlay_set(f->s, "np.first", first, &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_overlay_set(f->s, "np.second", "id: np.second\n", &err), SP_OK);
    store_rollback(f->s);
    struct store *reader = NULL;
    assert_int_equal(store_open(f->location, STORE_READ_ONLY, &reader, &err), SP_OK);
    assert_int_equal(store_overlay_get(reader, &text, &found, &err), SP_OK);
    store_close(reader);
    assert_int_equal(found, 1);
    assert_string_equal(text.data, first);

    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_overlay_set(f->s, "np.second", "id: np.second\n", &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    buf_reset(&text);
    assert_int_equal(store_overlay_get(f->s, &text, &found, &err), SP_OK);
    assert_string_equal(text.data, "id: np.second\n");

    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_overlay_set(f->s, NULL, NULL, &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    buf_reset(&text);
    assert_int_equal(store_overlay_get(f->s, &text, &found, &err), SP_OK);
    assert_int_equal(found, 0);
    assert_int_equal(text.len, 0);
    buf_release(&text);
}

/* Payroll: one original instruction per person, scheme and period; a rejected one re-issued
 * once; states with their days; batches exported once; each write audited. */
static int count_payment(void *ctx, const struct payment *p)
{
    (void)p;
    (*(int *)ctx)++;
    return 0;
}

static int keep_payment(void *ctx, const struct payment *p)
{
    *(struct payment *)ctx = *p;
    return 0;
}

static int keep_batch(void *ctx, const struct payment_batch *b)
{
    *(struct payment_batch *)ctx = *b;
    return 0;
}

static int count_entry(void *ctx, const struct audit_entry *e)
{
    (void)e;
    (*(int *)ctx)++;
    return 0;
}

/* The payroll batch PAY-000001 of Nepal's senior allowance, 2081/82-Q1, that the payment
 * tests add their payments to. */
static void senior_batch(struct payment_batch *b)
{
    memset(b, 0, sizeof *b);
    snprintf(b->id, sizeof b->id, "PAY-000001");
    snprintf(b->scheme, sizeof b->scheme, "np.ssa.senior_citizen");
    snprintf(b->period, sizeof b->period, "2081/82-Q1");
    b->as_of = today();
    snprintf(b->digest, sizeof b->digest, "%064d", 0);
    snprintf(b->created_at, sizeof b->created_at, "2025-01-15T10:00:00Z");
    snprintf(b->actor, sizeof b->actor, "clerk");
}

static void payments_are_made_once_and_move_on(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    struct person p;
    make(&p, "Ram", "Thapa", "1940-01-01", "NP-9");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    struct payment_batch b;
    senior_batch(&b);
    struct payment pay;
    memset(&pay, 0, sizeof pay);
    snprintf(pay.id, sizeof pay.id, "I0000000000000001");
    snprintf(pay.batch, sizeof pay.batch, "PAY-000001");
    snprintf(pay.person, sizeof pay.person, "%s", p.id);
    snprintf(pay.scheme, sizeof pay.scheme, "np.ssa.senior_citizen");
    snprintf(pay.period, sizeof pay.period, "2081/82-Q1");
    pay.amount = 1200000;
    snprintf(pay.currency, sizeof pay.currency, "NPR");
    snprintf(pay.account, sizeof pay.account, "0012345");
    snprintf(pay.creditor, sizeof pay.creditor, "Ram Thapa");
    for (int i = 0; i < PAYMENT_STATES; i++)
        pay.on[i] = DATE_NONE;
    pay.on[PAYMENT_CREATED] = today();
    int added = -1;
    int64_t moved = -1;
    assert_int_equal(store_payment_add(f->s, &pay, &added, &err), SP_IO); /* no transaction */
    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_payment_batch_add(f->s, &b, &err), SP_OK);
    assert_int_equal(store_payment_add(f->s, &pay, &added, &err), SP_OK);
    assert_int_equal(added, 1);
    /* another original for the same person, scheme and period: nothing */
    struct payment twice = pay;
    snprintf(twice.id, sizeof twice.id, "I0000000000000002");
    assert_int_equal(store_payment_add(f->s, &twice, &added, &err), SP_OK);
    assert_int_equal(added, 0);
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    error_init(&err);
    assert_int_equal(store_payment_batch_add(f->s, &b, &err), SP_CONFLICT);
    store_rollback(f->s);

    /* rejected, then re-issued once */
    pay.state = PAYMENT_REJECTED;
    pay.on[PAYMENT_REJECTED] = today() + 5;
    snprintf(pay.status_reason, sizeof pay.status_reason, "AC04");
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_payment_set_state(f->s, &pay, &err), SP_OK);
    struct payment again = twice;
    snprintf(again.reissue_of, sizeof again.reissue_of, "%s", pay.id);
    assert_int_equal(store_payment_add(f->s, &again, &added, &err), SP_OK);
    assert_int_equal(added, 1);
    snprintf(again.id, sizeof again.id, "I0000000000000003");
    assert_int_equal(store_payment_add(f->s, &again, &added, &err), SP_OK);
    assert_int_equal(added, 0); /* the rejected one is re-issued once */
    assert_int_equal(store_payment_batch_exported(f->s, "PAY-000001", "2025-01-16T00:00:00Z",
                                                  today() + 1, &moved, &err),
                     SP_OK);
    assert_int_equal(moved, 1); /* the re-issue; the rejected one stays rejected */
    assert_int_equal(store_commit(f->s, &err), SP_OK);

    int n = 0;
    assert_int_equal(store_payments_each(f->s, "PAY-000001", NULL, count_payment, &n, &err), SP_OK);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(store_payments_each(f->s, "PAY-000009", NULL, count_payment, &n, &err), SP_OK);
    assert_int_equal(n, 0);
    struct payment last; /* by batch, then id: the re-issue comes last */
    assert_int_equal(store_payments_each(f->s, NULL, p.id, keep_payment, &last, &err), SP_OK);
    assert_string_equal(last.id, "I0000000000000002");
    assert_string_equal(last.reissue_of, "I0000000000000001");
    assert_int_equal(last.state, PAYMENT_EXPORTED);
    assert_int_equal(last.on[PAYMENT_EXPORTED], today() + 1);
    assert_int_equal(last.amount, 1200000);
    assert_string_equal(last.currency, "NPR");
    assert_string_equal(last.person, p.id);
    struct payment_batch kept;
    assert_int_equal(store_payment_batches_each(f->s, keep_batch, &kept, &err), SP_OK);
    assert_string_equal(kept.exported_at, "2025-01-16T00:00:00Z");
    assert_string_equal(kept.digest, b.digest);
    assert_int_equal(kept.as_of, today());
    int entries = 0;
    assert_int_equal(store_audit_each(f->s, p.id, count_entry, &entries, &err), SP_OK);
    assert_true(entries >= 4); /* the person, the payment, its rejection, its re-issue */
}

/* A group of payments larger than one of the driver's statements: each is added, or not, as one
 * store_payment_add at a time would, and names with quotes and backslashes come back whole. */
static void many_payments_are_added_as_one_at_a_time(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    enum { PERSONS = 40, PAYMENTS = PERSONS + 2 };
    struct payment pay[PAYMENTS];
    memset(pay, 0, sizeof pay);
    for (int i = 0; i < PERSONS; i++) {
        struct person p;
        char born[16];
        snprintf(born, sizeof born, "%d-01-01", 1930 + i);
        make(&p, "Ram", "Thapa", born, "");
        assert_int_equal(insert(f->s, &p, &err), SP_OK);
        struct payment *y = &pay[i < 5 ? i : i + 1 + (i >= 36)];
        snprintf(y->id, sizeof y->id, "I%016x", 1000 + i);
        snprintf(y->batch, sizeof y->batch, "PAY-000001");
        snprintf(y->person, sizeof y->person, "%s", p.id);
        snprintf(y->scheme, sizeof y->scheme, "np.ssa.senior_citizen");
        snprintf(y->period, sizeof y->period, "2081/82-Q1");
        y->amount = 1200000 + i;
        snprintf(y->currency, sizeof y->currency, "NPR");
        snprintf(y->account, sizeof y->account, "00%05d", i);
        snprintf(y->creditor, sizeof y->creditor, "Ram \"%d\" Tha\\pa, {x}", i);
        for (int d = 0; d < PAYMENT_STATES; d++)
            y->on[d] = DATE_NONE;
        y->on[PAYMENT_CREATED] = today();
    }
    pay[5] = pay[0]; /* a second original of the first person's period: not added */
    snprintf(pay[5].id, sizeof pay[5].id, "I00000000000000ff");
    pay[37] = pay[36]; /* the same instruction twice, in the last rows: added once */
    struct payment_batch b;
    senior_batch(&b);
    int added[PAYMENTS];
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_payment_batch_add(f->s, &b, &err), SP_OK);
    assert_int_equal(store_payments_add(f->s, pay, PAYMENTS, added, &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    for (int i = 0; i < PAYMENTS; i++)
        assert_int_equal(added[i], i != 5 && i != 37);
    int n = 0;
    assert_int_equal(store_payments_each(f->s, "PAY-000001", NULL, count_payment, &n, &err), SP_OK);
    assert_int_equal(n, PERSONS);
    struct payment back;
    assert_int_equal(store_payments_each(f->s, NULL, pay[3].person, keep_payment, &back, &err),
                     SP_OK);
    assert_string_equal(back.id, pay[3].id);
    assert_string_equal(back.creditor, "Ram \"3\" Tha\\pa, {x}");
    assert_string_equal(back.holder, "");
    assert_string_equal(back.reissue_of, "");
    assert_int_equal(back.amount, 1200003);
    assert_int_equal(back.on[PAYMENT_CREATED], today());
    assert_int_equal(back.on[PAYMENT_EXPORTED], DATE_NONE);
}

/* find: a name in any script through one Latin spelling, the ranking, pages that do not
 * overlap, a group insert (an import's) and a correction kept in the index. */
static void find_reads_every_script_ranks_and_pages(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    struct person sita, seeta, others[5];
    make(&sita, "सीता", "शर्मा", "1980-04-12", "");
    make(&seeta, "Sita", "Sharma", "1981-04-12", "");
    assert_int_equal(insert(f->s, &sita, &err), SP_OK);
    assert_int_equal(insert(f->s, &seeta, &err), SP_OK);
    static const char *const given[] = {"Anita", "Sunita", "Kamala", "Laxmi", "Gita"};
    struct person *group[5];
    for (int i = 0; i < 5; i++) {
        char born[16];
        snprintf(born, sizeof born, "1990-01-0%d", i + 1);
        make(&others[i], given[i], "Sharma", born, "");
        group[i] = &others[i];
    }
    int failed = -1;
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_person_insert_many(f->s, group, 5, &failed, &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);

    /* Latin finds Devanagari; the whole name as typed ranks first */
    struct collected c = {0};
    assert_int_equal(store_person_find(f->s, "Sita Sharma", NULL, 20, 0, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.ids[0], seeta.id); /* written as searched: first */
    assert_string_equal(c.ids[1], sita.id);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_find(f->s, "शर्मा", NULL, 20, 0, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 7);

    /* pages: 3 + 3 + 1, no person twice, the same as one page of 7 */
    struct collected all = {0}, page = {0};
    assert_int_equal(store_person_find(f->s, "Sharma", NULL, 7, 0, collect, &all, &err), SP_OK);
    assert_int_equal(all.n, 7);
    for (int offset = 0; offset < 7; offset += 3) {
        memset(&page, 0, sizeof page);
        assert_int_equal(store_person_find(f->s, "Sharma", NULL, 3, offset, collect, &page, &err),
                         SP_OK);
        assert_int_equal(page.n, offset + 3 <= 7 ? 3 : 7 - offset);
        for (int i = 0; i < page.n; i++)
            assert_string_equal(page.ids[i], all.ids[offset + i]);
    }

    /* a correction is found by its new name only */
    struct person p = others[4];
    text_copy(p.given_name, sizeof p.given_name, "Rekha");
    const struct store_edit edit = {"clerk", "the name she uses", "2025-01-15T10:00:00Z"};
    int changed = 0;
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_person_update(f->s, others[4].id, &p, &edit, &changed, &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_find(f->s, "Rekha", NULL, 20, 0, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 1);
    memset(&c, 0, sizeof c);
    assert_int_equal(store_person_find(f->s, "Gita", NULL, 20, 0, collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 0);
}

static void many_persons_are_read_in_one_call(void **state)
{
    struct fixture *f = *state;
    struct person a, b, c;
    struct error err;
    make(&a, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &a, &err), SP_OK);
    make(&b, "Maya", "Thapa", "1991-06-02", "NP-2");
    assert_int_equal(insert(f->s, &b, &err), SP_OK);
    make(&c, "Gita", "Rai", "1985-01-01", "NP-3");
    assert_int_equal(insert(f->s, &c, &err), SP_OK);

    /* any order, a printed ID, a repeat, an ID nobody has and text that is no ID: the
     * registered ones come back once each, by worker ID */
    char printed[32];
    snprintf(printed, sizeof printed, "%.4s %.4s %.4s", a.id, a.id + 4, a.id + 8);
    const char *ids[] = {c.id, printed, "000000009999", c.id, "nobody"};
    struct collected got = {0};
    error_init(&err);
    assert_int_equal(store_persons_of_many(f->s, ids, 5, collect, &got, &err), SP_OK);
    assert_int_equal(got.n, 2);
    assert_string_equal(got.ids[0], a.id);
    assert_string_equal(got.names[0], "Sharma");
    assert_string_equal(got.ids[1], c.id);
    assert_string_equal(got.names[1], "Rai");

    /* the visitor stops the walk */
    struct collected first = {.stop_after = 1};
    assert_int_equal(store_persons_of_many(f->s, ids, 5, collect, &first, &err), 7);
    assert_int_equal(first.n, 1);

    /* none asked, or nobody registered among them: no visit */
    struct collected none = {0};
    assert_int_equal(store_persons_of_many(f->s, ids, 0, collect, &none, &err), SP_OK);
    assert_int_equal(store_persons_of_many(f->s, ids + 2, 1, collect, &none, &err), SP_OK);
    assert_int_equal(none.n, 0);
}

/* One month's entry of person (a worker ID, printed or not) for the ledger. */
static void entry_of(struct contribution_entry *e, const char *person, int month)
{
    memset(e, 0, sizeof *e);
    text_copy(e->c.person, sizeof e->c.person, person);
    text_copy(e->c.scheme, sizeof e->c.scheme, "kh.nssf.pension_contributions");
    e->c.month = month;
    e->c.wage.minor = 100000000;
    text_copy(e->c.wage.currency, sizeof e->c.wage.currency, "KHR");
    e->declared = -1;
    e->paid = -1;
    e->paid_on = DATE_NONE;
    e->due = DATE_NONE;
    text_copy(e->actor, sizeof e->actor, "clerk1");
    text_copy(e->recorded_at, sizeof e->recorded_at, "2026-12-02T10:00:00Z");
}

static int count_booked(void *ctx, const struct contribution_entry *e)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

/* Books the n entries in a transaction of their own; rolls back when refused. */
static int book(struct store *s, struct contribution_entry *e, int n, struct error *err)
{
    error_init(err);
    assert_int_equal(store_begin(s, err), SP_OK);
    int rc = store_contributions_book(s, e, n, err);
    if (rc == SP_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

static void booking_checks_every_person_of_the_batch(void **state)
{
    struct fixture *f = *state;
    struct person a, b;
    struct error err;
    make(&a, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &a, &err), SP_OK);
    make(&b, "Maya", "Thapa", "1991-06-02", "NP-2");
    assert_int_equal(insert(f->s, &b, &err), SP_OK);
    char printed[32];
    snprintf(printed, sizeof printed, "%.4s %.4s %.4s", b.id, b.id + 4, b.id + 8);

    /* a person of the batch nobody has, between registered ones: nothing is booked */
    struct contribution_entry e[4];
    entry_of(&e[0], b.id, 100);
    entry_of(&e[1], a.id, 100);
    entry_of(&e[2], "000000009999", 100);
    entry_of(&e[3], printed, 101);
    assert_int_equal(book(f->s, e, 4, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "person: no person with ID 000000009999 is registered");
    entry_of(&e[2], "nobody", 100);
    assert_int_equal(book(f->s, e, 4, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "person \"nobody\" is not a worker ID");
    int n = 0;
    assert_int_equal(store_contributions_of(f->s, a.id, count_booked, &n, &err), SP_OK);
    assert_int_equal(n, 0);

    /* every person registered, in any order, printed or not: all booked, under the ID */
    entry_of(&e[2], a.id, 101);
    assert_int_equal(book(f->s, e, 4, &err), SP_OK);
    assert_string_equal(e[3].c.person, b.id);
    assert_int_equal(e[3].id, 4);
    n = 0;
    assert_int_equal(store_contributions_of(f->s, b.id, count_booked, &n, &err), SP_OK);
    assert_int_equal(n, 2);
}

/* Both engines' schemas move in step: migration NNNN exists for each dialect, so a change to
 * what the registry holds is written for both (a dialect with nothing to change says so). */
static void every_migration_is_written_for_both_engines(void **state)
{
    (void)state;
    assert_int_equal(migrations_embedded_count, migrations_postgres_embedded_count);
    for (int i = 0; i < migrations_embedded_count; i++) {
        const char *a = migrations_embedded[i].name, *b = migrations_postgres_embedded[i].name;
        if (strncmp(a, b, 5) != 0) /* "0017_" */
            fail_msg("migration %s of SQLite has no PostgreSQL twin (found %s)", a, b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(opening_twice_migrates_once, setup, teardown),
        cmocka_unit_test(every_migration_is_written_for_both_engines),
        cmocka_unit_test_setup_teardown(every_field_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_national_id_names_the_existing_record, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(duplicate_dedup_key_names_the_existing_record, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(given_worker_ids_are_checked_and_unique, setup, teardown),
        cmocka_unit_test_setup_teardown(assigned_ids_are_sequential_and_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_persons_are_refused_before_writing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(search_finds_by_name_id_and_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(find_reads_every_script_ranks_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(payments_are_made_once_and_move_on, setup, teardown),
        cmocka_unit_test_setup_teardown(many_payments_are_added_as_one_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(households_are_created_with_their_first_member, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(failing_allocations_leave_the_database_unchanged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_read_only_store_reads_and_never_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(persons_come_household_by_household, setup, teardown),
        cmocka_unit_test_setup_teardown(a_walk_reads_only_the_fields_asked_for, setup, teardown),
        cmocka_unit_test_setup_teardown(households_are_read_during_a_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(corrections_keep_every_earlier_value, setup, teardown),
        cmocka_unit_test_setup_teardown(deaths_and_duplicates_are_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(life_events_come_back_for_one_person_and_for_a_group, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(the_default_overlay_is_kept_replaced_and_cleared, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(many_persons_are_read_in_one_call, setup, teardown),
        cmocka_unit_test_setup_teardown(booking_checks_every_person_of_the_batch, setup, teardown),
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof store_test_engines / sizeof store_test_engines[0]; i++) {
        store_test_engine = &store_test_engines[i];
        if (store_test_engine->needs != NULL && getenv(store_test_engine->needs) == NULL) {
            printf("[  SKIPPED ] %s: %s is not set (ctest starts a server and sets it)\n",
                   store_test_engine->name, store_test_engine->needs);
            continue;
        }
        failed += cmocka_run_group_tests_name(store_test_engine->name, tests, NULL, NULL);
    }
    return failed;
}
