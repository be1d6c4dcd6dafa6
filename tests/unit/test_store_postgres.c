/* Unit tests for the PostgreSQL driver of the store: what only a server can get wrong
 * (connecting, a database that is not a registry, two writers at once) and walks longer than
 * a page. They run on the test server in SPFLOOR_TEST_PG (ctest starts one), and are skipped
 * with a message without it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/ids.h"
#include "store/store.h"
#include "store_support.h"

/* No server there: SP_IO naming the location, with its password masked. */
static void unreachable_servers_are_io_errors_without_the_password(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_open("postgresql://spfloor:s3cret@/nowhere?host=/nonexistent-pg-dir",
                                STORE_CREATE, &s, &err),
                     SP_IO);
    assert_null(s);
    assert_non_null(strstr(err.message, "cannot connect"));
    assert_non_null(strstr(err.message, "postgresql://spfloor:******@/nowhere"));
    assert_null(strstr(err.message, "s3cret"));
}

/* A schema holding other tables is not a registry: refused, and nothing is created in it. */
static void a_database_that_is_not_a_registry_is_refused(void **state)
{
    struct fixture *f = *state;
    char other[STORE_TEST_LOCATION_SIZE];
    fresh_location(f, "other", other);
    assert_int_equal(pg_test_exec(other, "CREATE TABLE invoices (n INTEGER)"), 0);
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_open(other, STORE_CREATE, &s, &err), SP_IO);
    assert_null(s);
    assert_non_null(strstr(err.message, "not a spfloor registry"));
    /* the migrations table was not created: a second try says the same */
    error_init(&err);
    assert_int_equal(store_open(other, STORE_READ_ONLY, &s, &err), SP_IO);
    assert_non_null(strstr(err.message, "not a spfloor registry"));
    store_test_engine->drop(other);
}

/* A registry from a newer spfloor is refused; one needing migrations is refused read-only and
 * brought up to date read-write. */
static void registry_versions_are_checked(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    f->s = NULL;
    assert_int_equal(pg_test_exec(f->location, "INSERT INTO schema_migrations VALUES "
                                               "('9999_future.sql', now())"),
                     0);
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_open(f->location, STORE_READ_ONLY, &s, &err), SP_IO);
    assert_non_null(strstr(err.message, "made by a newer version of spfloor"));
    assert_int_equal(pg_test_exec(f->location, "DELETE FROM schema_migrations"), 0);
    error_init(&err);
    assert_int_equal(store_open(f->location, STORE_READ_ONLY, &s, &err), SP_IO);
    assert_non_null(strstr(err.message, "format is older than this spfloor's"));
    /* read-write applies what is missing: 0001 again fails, as its tables exist: SP_IO, and
     * the failed migration leaves nothing half done */
    error_init(&err);
    assert_int_equal(store_open(f->location, STORE_CREATE, &s, &err), SP_IO);
    assert_non_null(strstr(err.message, "applying migration 0001"));
    assert_null(s);
}

/* Two writers that read the same worker serial: the second to commit is told to try again
 * (store_retryable), and nothing of its transaction is stored. */
static void concurrent_writers_one_is_told_to_try_again(void **state)
{
    struct fixture *f = *state;
    struct store *other = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_open(f->location, STORE_CREATE, &other, &err), SP_OK);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    assert_int_equal(store_begin(other, &err), SP_OK);
    struct person a, b;
    make(&a, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(store_person_insert(f->s, &a, &err), SP_OK);
    make(&b, "Gita", "Thapa", "1985-01-01", "NP-2");
    assert_int_equal(worker_id_format(2, b.id, &err), SP_OK); /* not the row a is writing */
    assert_int_equal(store_person_insert(other, &b, &err), SP_OK);
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    assert_false(store_retryable(f->s));
    assert_int_equal(store_commit(other, &err), SP_IO);
    assert_non_null(strstr(err.message, "try again"));
    assert_true(store_retryable(other)); /* the whole transaction may be repeated */
    assert_int_equal(count(f->s), 1);
    /* the loser's store is usable again, and the retry goes through */
    error_init(&err);
    make(&b, "Gita", "Thapa", "1985-01-01", "NP-2");
    assert_int_equal(insert(other, &b, &err), SP_OK);
    assert_int_equal(count(f->s), 2);
    store_close(other);
}

#define MANY 2345 /* more than two pages of a walk */

static int count_and_check_order(void *ctx, const struct person *p)
{
    char(*last)[PERSON_ID_SIZE] = ctx;
    assert_true(strcmp((*last), p->id) < 0);
    memcpy(*last, p->id, PERSON_ID_SIZE);
    return 0;
}

struct by_household {
    int n;                        /* persons seen */
    int households;               /* changes of household seen */
    char last[PERSON_SHORT_SIZE]; /* the household of the person before */
};

static int count_households(void *ctx, const struct person *p)
{
    struct by_household *b = ctx;
    if (b->n == 0 || strcmp(b->last, p->household) != 0)
        b->households++;
    memcpy(b->last, p->household, sizeof b->last);
    b->n++;
    return 0;
}

/* A visitor that, at the first person, has another connection register one more, and tries
 * to begin a write on the walking store. */
struct meddler {
    struct store *walking; /* the store being walked */
    struct store *other;   /* another connection to the same registry */
    int n;                 /* persons seen */
    int begin_rc;          /* what store_begin on the walking store returned */
};

static int meddle(void *ctx, const struct person *p)
{
    (void)p;
    struct meddler *m = ctx;
    if (m->n++ == 0) {
        struct person late;
        struct error err;
        make(&late, "Late", "Comer", "1999-09-09", "NP-LATE");
        assert_int_equal(insert(m->other, &late, &err), SP_OK);
        error_init(&err);
        m->begin_rc = store_begin(m->walking, &err);
    }
    return 0;
}

/* Walks read a page at a time: every person once, in order, across the pages' seams. */
static void walks_cross_pages(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_OK);
    for (int i = 0; i < MANY; i++) {
        struct person p;
        char born[DATE_TEXT_SIZE], household[16];
        date_format(date_from_civil(1950, 1, 1) + i, born);
        make(&p, "Hari", "Rai", born, "");
        if (i % 3 != 0) { /* households of about ten, every third person alone */
            snprintf(household, sizeof household, "H%03d", i / 15);
            person_set_field(&p, "household", household, today(), &err);
        }
        assert_int_equal(store_person_insert(f->s, &p, &err), SP_OK);
    }
    assert_int_equal(store_commit(f->s, &err), SP_OK);
    char last[PERSON_ID_SIZE] = "";
    assert_int_equal(store_person_each(f->s, count_and_check_order, &last, &err), SP_OK);
    char id[WORKER_ID_SIZE];
    worker_id_format(MANY, id, &err);
    assert_string_equal(last, id);
    struct by_household b = {0};
    assert_int_equal(store_person_each_by_household(f->s, NULL, count_households, &b, &err), SP_OK);
    assert_int_equal(b.n, MANY);
    /* each household once, then the persons without one as one run */
    assert_int_equal(b.households, (MANY - 1) / 15 + 1 + 1);
    /* the pages of a walk see one state of the registry, and the walking store cannot write */
    struct meddler m = {f->s, NULL, 0, SP_OK};
    assert_int_equal(store_open(f->location, STORE_CREATE, &m.other, &err), SP_OK);
    assert_int_equal(store_person_each_by_household(f->s, NULL, meddle, &m, &err), SP_OK);
    assert_int_equal(m.n, MANY);
    assert_int_equal(m.begin_rc, SP_IO);
    assert_int_equal(count(f->s), MANY + 1); /* after the walk, the late one is there */
    store_close(m.other);
}

int main(void)
{
    store_test_engine = &store_test_engines[1];
    if (getenv(store_test_engine->needs) == NULL) {
        printf("[  SKIPPED ] postgres: %s is not set (ctest starts a server and sets it)\n",
               store_test_engine->needs);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unreachable_servers_are_io_errors_without_the_password),
        cmocka_unit_test_setup_teardown(a_database_that_is_not_a_registry_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(registry_versions_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(concurrent_writers_one_is_told_to_try_again, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(walks_cross_pages, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
