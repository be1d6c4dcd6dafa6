/*
 * test_users.c: who may use the web window (ops/users.h): roles and what each may do, a
 * partner's area and a worker's own record, adding users (refusals named), passwords (argon2id;
 * a wrong one and an unknown name told alike), sessions and tokens (kinds kept apart, idle
 * and absolute timeouts end them, revoking ends them all), and refusals noted in the audit
 * log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ops/users.h"
#include "store/store.h"

struct fixture {
    char dir[64];
    char path[128];
    struct store *s;
    char worker[PERSON_ID_SIZE];
};

static int add_person(struct store *s, const char *given, const char *admin1, const char *admin2,
                      char *id)
{
    struct error err;
    error_init(&err);
    struct person p;
    person_init(&p);
    int rc = person_set_field(&p, "given_name", given, DATE_NONE, &err);
    rc |= person_set_field(&p, "family_name", "Thapa", DATE_NONE, &err);
    rc |= person_set_field(&p, "sex", "female", DATE_NONE, &err);
    rc |= person_set_field(&p, "birth_date", "1980-01-01", DATE_NONE, &err);
    rc |= person_set_field(&p, "country", "NP", DATE_NONE, &err);
    rc |= person_set_field(&p, "admin1", admin1, DATE_NONE, &err);
    rc |= person_set_field(&p, "admin2", admin2, DATE_NONE, &err);
    if (rc == SP_OK && store_begin(s, &err) == SP_OK) {
        rc = store_person_insert(s, &p, &err);
        rc = rc == SP_OK ? store_commit(s, &err) : (store_rollback(s), rc);
    }
    if (id != NULL)
        memcpy(id, p.id, PERSON_ID_SIZE);
    return rc;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/spfloor-users-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof f->path, "%s/r.db", f->dir);
    struct error err;
    error_init(&err);
    if (store_open(f->path, STORE_CREATE, &f->s, &err) != SP_OK)
        return -1;
    store_audit_configure(f->s, NULL, "tester");
    if (add_person(f->s, "Hari", "Gandaki", "Kaski", f->worker) != SP_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    char name[160];
    const char *ends[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s%s", f->path, ends[i]);
        remove(name);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static void roles_and_rights(void **state)
{
    (void)state;
    assert_true(users_role_valid("partner"));
    assert_false(users_role_valid("king"));
    assert_true(users_role_may("admin", USERS_ADMIN));
    assert_false(users_role_may("registrar", USERS_ADMIN));
    assert_true(users_role_may("registrar", USERS_REGISTER));
    assert_false(users_role_may("auditor", USERS_REGISTER));
    assert_true(users_role_may("auditor", USERS_AUDIT));
    assert_false(users_role_may("payer", USERS_AUDIT));
    assert_false(users_role_may("worker", USERS_SEARCH));
    assert_true(users_role_may("worker", USERS_READ));
    assert_false(users_role_may("king", USERS_READ));
    /* claims: registrars and adjudicators; payroll: payers; admin both */
    assert_true(users_role_may("registrar", USERS_CLAIM));
    assert_true(users_role_may("adjudicator", USERS_CLAIM));
    assert_false(users_role_may("partner", USERS_CLAIM));
    assert_false(users_role_may("worker", USERS_CLAIM));
    assert_true(users_role_may("payer", USERS_PAY));
    assert_true(users_role_may("admin", USERS_PAY));
    assert_false(users_role_may("registrar", USERS_PAY));
    assert_false(users_role_may("auditor", USERS_PAY));
    /* partners and workers see figures as the public does */
    assert_true(users_public_figures("partner"));
    assert_true(users_public_figures("worker"));
    assert_false(users_public_figures("registrar"));
    assert_false(users_public_figures("admin"));
}

static void who_sees_whom(void **state)
{
    (void)state;
    struct person kaski, ktm;
    person_init(&kaski);
    person_init(&ktm);
    memcpy(kaski.id, "000000000019", 13);
    memcpy(kaski.admin1, "Gandaki", 8);
    memcpy(kaski.admin2, "Kaski", 6);
    memcpy(ktm.id, "000000000027", 13);
    memcpy(ktm.admin1, "Bagmati", 8);
    memcpy(ktm.admin2, "Kathmandu", 10);
    struct store_user u = {0};
    memcpy(u.role, "partner", 8);
    memcpy(u.admin1, "Gandaki", 8);
    assert_true(users_may_see(&u, &kaski));
    assert_false(users_may_see(&u, &ktm));
    memcpy(u.admin2, "Pokhara", 8);
    assert_false(users_may_see(&u, &kaski)); /* another district of the province */
    memset(&u, 0, sizeof u);
    memcpy(u.role, "worker", 7);
    memcpy(u.person, "000000000019", 13);
    assert_true(users_may_see(&u, &kaski));
    assert_false(users_may_see(&u, &ktm));
    memcpy(u.role, "payer", 6);
    assert_true(users_may_see(&u, &ktm));
}

static void adding_users(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    int created = 0;
    struct users_new bad_role = {"x", "king", NULL, NULL, NULL};
    assert_int_equal(users_add(f->s, &bad_role, &created, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "not a role"));
    error_init(&err);
    struct users_new no_area = {"p", "partner", NULL, NULL, NULL};
    assert_int_equal(users_add(f->s, &no_area, &created, &err), SP_BAD_INPUT);
    error_init(&err);
    struct users_new bad_name = {"a b", "payer", NULL, NULL, NULL};
    assert_int_equal(users_add(f->s, &bad_name, &created, &err), SP_BAD_INPUT);
    error_init(&err);
    struct users_new nobody = {"w", "worker", NULL, "000000009999", NULL};
    assert_int_equal(users_add(f->s, &nobody, &created, &err), SP_BAD_INPUT);
    error_init(&err);
    struct users_new short_pw = {"s", "payer", NULL, NULL, "short"};
    assert_int_equal(users_add(f->s, &short_pw, &created, &err), SP_BAD_INPUT);
    error_init(&err);
    struct users_new partner = {"p", "partner", "Gandaki/Kaski", NULL, "a long password"};
    assert_int_equal(users_add(f->s, &partner, &created, &err), SP_OK);
    assert_true(created);
    struct store_user u;
    int found = 0;
    assert_int_equal(store_user_get(f->s, "p", &u, &found, &err), SP_OK);
    assert_true(found);
    assert_string_equal(u.admin1, "Gandaki");
    assert_string_equal(u.admin2, "Kaski");
    assert_true(strncmp(u.password, "$argon2id$", 10) == 0);
    struct users_new worker = {"w", "worker", NULL, f->worker, "a long password"};
    assert_int_equal(users_add(f->s, &worker, &created, &err), SP_OK);
    partner.area = "Gandaki"; /* a change: not created again */
    assert_int_equal(users_add(f->s, &partner, &created, &err), SP_OK);
    assert_false(created);
}

static void passwords(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    int created = 0;
    struct users_new u = {"reg", "registrar", NULL, NULL, "correct horse battery"};
    assert_int_equal(users_add(f->s, &u, &created, &err), SP_OK);
    struct store_user out;
    assert_int_equal(users_login(f->s, "reg", "correct horse battery", &out, &err), SP_OK);
    assert_string_equal(out.role, "registrar");
    assert_string_equal(out.password, ""); /* the hash is not handed out */
    struct error wrong, unknown;
    error_init(&wrong);
    error_init(&unknown);
    assert_int_equal(users_login(f->s, "reg", "correct horse", &out, &wrong), SP_BAD_INPUT);
    assert_int_equal(users_login(f->s, "nobody", "correct horse", &out, &unknown), SP_BAD_INPUT);
    assert_string_equal(wrong.message, unknown.message);
    struct users_new tokens_only = {"robot", "payer", NULL, NULL, NULL};
    assert_int_equal(users_add(f->s, &tokens_only, &created, &err), SP_OK);
    error_init(&wrong);
    assert_int_equal(users_login(f->s, "robot", "", &out, &wrong), SP_BAD_INPUT);
}

static void sessions_and_tokens(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    int created = 0;
    struct users_new u = {"aud", "auditor", NULL, NULL, "a long password"};
    assert_int_equal(users_add(f->s, &u, &created, &err), SP_OK);
    char session[USERS_TOKEN_SIZE], csrf[USERS_TOKEN_SIZE], bearer[USERS_TOKEN_SIZE];
    int64_t t0 = 1800000000;
    assert_int_equal(users_token_new(f->s, "aud", "session", t0, session, csrf, &err), SP_OK);
    assert_int_equal(strlen(session), 64);
    assert_int_equal(strlen(csrf), 64);
    assert_string_not_equal(session, csrf);
    assert_int_equal(users_token_new(f->s, "aud", "bearer", t0, bearer, NULL, &err), SP_OK);
    assert_int_equal(users_token_new(f->s, "nobody", "bearer", t0, bearer + 0, NULL, &err),
                     SP_BAD_INPUT);
    error_init(&err);
    assert_int_equal(users_token_new(f->s, "aud", "bearer", t0, bearer, NULL, &err), SP_OK);

    enum users_token_state st;
    struct store_user who;
    struct store_token t;
    assert_int_equal(users_token_check(f->s, session, "session", t0 + 10, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_OK);
    assert_string_equal(who.name, "aud");
    assert_string_equal(t.csrf, csrf);
    /* a session is no bearer token, and the other way round */
    assert_int_equal(users_token_check(f->s, session, "bearer", t0 + 10, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_UNKNOWN);
    assert_int_equal(users_token_check(f->s, bearer, "session", t0 + 10, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_UNKNOWN);
    /* used within the idle time it lives on, until its absolute end */
    int64_t now = t0;
    while (now + USERS_SESSION_IDLE - 60 < t0 + USERS_SESSION_LIFE) {
        now += USERS_SESSION_IDLE - 60;
        assert_int_equal(users_token_check(f->s, session, "session", now, &st, &who, &t, &err),
                         SP_OK);
        assert_int_equal(st, USERS_TOKEN_OK);
    }
    assert_int_equal(users_token_check(f->s, session, "session", t0 + USERS_SESSION_LIFE + 1, &st,
                                       &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_EXPIRED);
    assert_int_equal(users_token_check(f->s, session, "session", t0 + 10, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_UNKNOWN); /* ended for good */
    /* idle too long */
    assert_int_equal(users_token_new(f->s, "aud", "session", t0, session, csrf, &err), SP_OK);
    assert_int_equal(users_token_check(f->s, session, "session", t0 + USERS_SESSION_IDLE + 1, &st,
                                       &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_EXPIRED);
    /* a bearer token does not idle out; a logout ends it */
    assert_int_equal(users_token_check(f->s, bearer, "bearer", t0 + 86400, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_OK);
    assert_int_equal(users_token_end(f->s, bearer, &err), SP_OK);
    assert_int_equal(users_token_check(f->s, bearer, "bearer", t0 + 86400, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_UNKNOWN);
    assert_int_equal(users_token_check(f->s, "short", "bearer", t0, &st, &who, &t, &err), SP_OK);
    assert_int_equal(st, USERS_TOKEN_UNKNOWN);
    /* revoking ends every one of the user's */
    assert_int_equal(users_token_new(f->s, "aud", "bearer", t0, bearer, NULL, &err), SP_OK);
    assert_int_equal(users_token_new(f->s, "aud", "session", t0, session, csrf, &err), SP_OK);
    int64_t n = 0;
    assert_int_equal(users_revoke(f->s, "aud", &n, &err), SP_OK);
    assert_true(n >= 2);
    assert_int_equal(users_token_check(f->s, bearer, "bearer", t0 + 10, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_UNKNOWN);
    assert_int_equal(users_token_check(f->s, session, "session", t0 + 10, &st, &who, &t, &err),
                     SP_OK);
    assert_int_equal(st, USERS_TOKEN_UNKNOWN);
    assert_int_equal(users_revoke(f->s, "nobody", &n, &err), SP_BAD_INPUT);
}

struct seen {
    int refused, sessions;
};

static int count_entries(void *ctx, const struct audit_entry *e)
{
    struct seen *s = ctx;
    s->refused += strcmp(e->action, "access.refused") == 0;
    s->sessions += strcmp(e->action, "session.open") == 0;
    return 0;
}

static void refusals_are_audited(void **state)
{
    struct fixture *f = *state;
    struct error err;
    error_init(&err);
    assert_int_equal(users_note_refusal(f->s, "000000000019", "a partner of another area", &err),
                     SP_OK);
    int created = 0;
    struct users_new u = {"reg", "registrar", NULL, NULL, "a long password"};
    assert_int_equal(users_add(f->s, &u, &created, &err), SP_OK);
    char token[USERS_TOKEN_SIZE];
    assert_int_equal(users_token_new(f->s, "reg", "session", 1, token, NULL, &err), SP_OK);
    struct seen seen = {0, 0};
    assert_int_equal(store_audit_each(f->s, NULL, count_entries, &seen, &err), SP_OK);
    assert_int_equal(seen.refused, 1);
    assert_int_equal(seen.sessions, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_and_rights),
        cmocka_unit_test(who_sees_whom),
        cmocka_unit_test_setup_teardown(adding_users, setup, teardown),
        cmocka_unit_test_setup_teardown(passwords, setup, teardown),
        cmocka_unit_test_setup_teardown(sessions_and_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals_are_audited, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
