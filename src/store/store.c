/*
 * store.c: the front of the store. It picks a driver by the location, and does once, for every
 * driver, what is not storage: validating a person before any driver sees it, choosing worker
 * IDs from the serial counter, creating a household with its first member, and finding and
 * wording the record a new person clashes with (store_driver.h).
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "store/contribution_row.h"
#include "store/payment_row.h"
#include "store/person_row.h"
#include "store/search_text.h"
#include "store/store_driver.h"

#define SEARCH_LIMIT_MAX  10000
#define SEARCH_TEXT_MAX   128
#define SEARCH_OFFSET_MAX 1000000
#define GROUP_SPREAD_MAX  4 /* serials a group's range may span per member before it is listed */

struct store {
    const struct store_driver *driver;      /* the driver serving this store */
    void *db;                               /* the driver's handle */
    int in_transaction;                     /* 1 between a successful begin and commit/rollback */
    int64_t serial;                         /* last worker serial handed out (in a transaction) */
    int serial_dirty;                       /* 1 if serial must be written back at commit */
    char last_household[PERSON_SHORT_SIZE]; /* a household known to exist, or "" */
    /* the audit log (audit_append) */
    struct audit_key audit_key;         /* store_audit_configure's */
    char audit_actor[AUDIT_ACTOR_SIZE]; /* who writes */
    int audit_loaded;                   /* 1 once the last entry was read in this transaction */
    int audit_any;                      /* 1 if the log has an entry (audit_last holds it) */
    struct audit_entry audit_last;      /* the last entry, as this transaction sees it */
    int64_t added;                      /* persons added in this transaction */
    char added_first[PERSON_ID_SIZE];   /* the first and last of them */
    char added_last[PERSON_ID_SIZE];
    char added_digest[AUDIT_HEX_SIZE]; /* their rows, chained (note_added) */
};

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int64_t serial_of(const char *id);

/* ---- the text index ---- */

#define REINDEX_GROUP 1000 /* persons indexed per driver call when the index is rebuilt */

/* 1 if the driver keeps a text index (store_driver.h, version 6). */
static int has_search(const struct store *s)
{
    return s->driver->version >= 6 && s->driver->search_put != NULL &&
           s->driver->search_find != NULL;
}

/* Sets the search texts of n stored persons (their ids set), inside the transaction. */
static int index_persons(struct store *s, const struct person *const *ps, int n, struct error *err)
{
    if (!has_search(s) || n <= 0)
        return SP_OK;
    char one[SEARCH_TEXT_SIZE];
    char *texts = n == 1 ? one : sp_malloc((size_t)n * SEARCH_TEXT_SIZE);
    int64_t *serials = sp_malloc((size_t)n * sizeof *serials);
    const char **pointers = sp_malloc((size_t)n * sizeof *pointers);
    int rc = SP_OK;
    if (texts == NULL || serials == NULL || pointers == NULL) {
        rc = error_nomem(err);
    } else {
        for (int i = 0; i < n; i++) {
            serials[i] = serial_of(ps[i]->id);
            pointers[i] = texts + (size_t)i * SEARCH_TEXT_SIZE;
            search_text_of(ps[i], texts + (size_t)i * SEARCH_TEXT_SIZE);
        }
        rc = s->driver->search_put(s->db, serials, pointers, n, err);
    }
    if (texts != one)
        sp_free(texts);
    sp_free(serials);
    sp_free(pointers);
    return rc;
}

/* What a rebuild of the index holds: persons read, not yet indexed. */
struct reindex {
    struct store *s;
    struct person *batch;
    const struct person **pointers;
    int n;
    struct error *err;
};

static int reindex_flush(struct reindex *r)
{
    int rc = index_persons(r->s, r->pointers, r->n, r->err);
    r->n = 0;
    return rc;
}

static int reindex_visit(void *ctx, const struct person *p)
{
    struct reindex *r = ctx;
    r->batch[r->n] = *p;
    r->pointers[r->n] = &r->batch[r->n];
    if (++r->n < REINDEX_GROUP)
        return 0;
    return reindex_flush(r);
}

/*
 * A registry migrated from before the text index holds persons the index does not: their
 * texts are written once, in one transaction, when it is first opened for writing.
 */
static int reindex_if_stale(struct store *s, struct error *err)
{
    if (!has_search(s) || s->driver->search_stale == NULL)
        return SP_OK;
    int stale = 0;
    int rc = s->driver->search_stale(s->db, &stale, err);
    if (rc != SP_OK || !stale)
        return rc;
    struct reindex r = {s, sp_malloc(REINDEX_GROUP * sizeof *r.batch),
                        sp_malloc(REINDEX_GROUP * sizeof *r.pointers), 0, err};
    if (r.batch == NULL || r.pointers == NULL) {
        rc = error_nomem(err);
    } else {
        rc = store_begin(s, err);
        if (rc == SP_OK) {
            rc = s->driver->person_each(s->db, reindex_visit, &r, err);
            if (rc == SP_OK)
                rc = reindex_flush(&r);
            if (rc == SP_OK)
                rc = s->driver->search_fresh(s->db, err);
            rc = rc == SP_OK ? store_commit(s, err) : rc;
            if (rc != SP_OK)
                store_rollback(s);
        }
    }
    sp_free(r.batch);
    sp_free(r.pointers);
    return rc;
}

int store_open(const char *location, enum store_mode mode, struct store **out, struct error *err)
{
    *out = NULL;
    if (location == NULL || location[0] == '\0')
        return error_set(err, SP_USAGE, "no database given: use --db FILE or set SPFLOOR_DB");
    struct store *s = sp_calloc(1, sizeof *s);
    if (s == NULL)
        return error_nomem(err);
    s->driver = &store_sqlite_driver;
    if (has_prefix(location, "postgres://") || has_prefix(location, "postgresql://"))
        s->driver = &store_postgres_driver;
    int rc = s->driver->open(location, mode, &s->db, err);
    if (rc != SP_OK) {
        sp_free(s);
        return rc;
    }
    if (mode != STORE_READ_ONLY && (rc = reindex_if_stale(s, err)) != SP_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return SP_OK;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    s->driver->close(s->db);
    sp_free(s);
}

/* ---- the audit log ---- */

void store_audit_configure(struct store *s, const struct audit_key *key, const char *actor)
{
    if (key != NULL)
        s->audit_key = *key;
    text_copy(s->audit_actor, sizeof s->audit_actor,
              actor != NULL && actor[0] != '\0' ? actor : "unknown");
}

int store_audit_each(struct store *s, const char *object, audit_visit_fn visit, void *ctx,
                     struct error *err)
{
    if (s->driver->version < 8 || s->driver->audit_each == NULL)
        return SP_OK;
    char digits[WORKER_ID_SIZE];
    if (object != NULL && worker_id_parse(object, digits, NULL) == SP_OK)
        object = digits; /* a worker ID as the card prints it */
    return s->driver->audit_each(s->db, object, visit, ctx, err);
}

/*
 * Appends an entry to the audit log inside the open transaction: `action` on `object`, with
 * the digest of the change, chained to the last entry.
 */
static int audit_append(struct store *s, const char *action, const char *object, const char *change,
                        struct error *err)
{
    if (s->driver->version < 8 || s->driver->audit_add == NULL)
        return error_set(err, SP_IO, "this store has no audit log");
    int rc = SP_OK;
    if (!s->audit_loaded) {
        rc = s->driver->audit_last(s->db, &s->audit_last, &s->audit_any, err);
        if (rc != SP_OK)
            return rc;
        s->audit_loaded = 1;
    }
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    e.seq = s->audit_any ? s->audit_last.seq + 1 : 1;
    date_time_utc_now(e.at);
    text_copy(e.actor, sizeof e.actor, s->audit_actor[0] ? s->audit_actor : "unknown");
    text_copy(e.action, sizeof e.action, action);
    text_copy(e.object, sizeof e.object, object);
    text_copy(e.change, sizeof e.change, change);
    audit_mac(&s->audit_key, s->audit_any ? s->audit_last.mac : "", &e, e.mac);
    rc = s->driver->audit_add(s->db, &e, err);
    if (rc == SP_OK) {
        s->audit_last = e;
        s->audit_any = 1;
    }
    return rc;
}

/* audit_append with the digest of a text. */
static int audit_text(struct store *s, const char *action, const char *object, const char *text,
                      struct error *err)
{
    char change[AUDIT_HEX_SIZE];
    audit_digest(text, strlen(text), change);
    return audit_append(s, action, object, change, err);
}

/* Chains the stored row of a person just added into the transaction's digest of additions. */
#define ROW_TEXT_SIZE 4096 /* bytes of a row's text a digest reads (the rest is cut off) */

/* Appends n bytes of from to text (*len bytes so far), cut at ROW_TEXT_SIZE - 1 bytes: the
 * bytes snprintf into a ROW_TEXT_SIZE buffer would keep, without its cost per column. */
static void row_text_put(char *text, size_t *len, const char *from, size_t n)
{
    size_t room = ROW_TEXT_SIZE - 1 - *len;
    if (n > room)
        n = room;
    memcpy(text + *len, from, n);
    *len += n;
}

static void note_added(struct store *s, const struct person *p, const char *dedup_key)
{
    struct person_row row;
    person_row_encode(p, dedup_key, &row);
    char text[ROW_TEXT_SIZE];
    size_t n = 0;
    row_text_put(text, &n, s->added_digest, strlen(s->added_digest));
    for (int c = 0; c < PERSON_ROW_COUNT && n < ROW_TEXT_SIZE - 1; c++) {
        const char *v = row.value[c] ? row.value[c] : "";
        row_text_put(text, &n, "\x1f", 1);
        row_text_put(text, &n, v, strlen(v));
    }
    audit_digest(text, n, s->added_digest);
    if (s->added++ == 0)
        text_copy(s->added_first, sizeof s->added_first, p->id);
    text_copy(s->added_last, sizeof s->added_last, p->id);
}

/* The digest of a person's stored row. */
static void row_digest(const struct person *p, const char *dedup_key, char out[AUDIT_HEX_SIZE])
{
    struct person_row row;
    person_row_encode(p, dedup_key, &row);
    char text[4096];
    size_t n = 0;
    for (int c = 0; c < PERSON_ROW_COUNT && n < sizeof text; c++)
        n +=
            (size_t)snprintf(text + n, sizeof text - n, "%s\x1f", row.value[c] ? row.value[c] : "");
    audit_digest(text, n < sizeof text ? n : sizeof text - 1, out);
}

/* The one entry of the persons this transaction added. */
static int audit_persons_added(struct store *s, struct error *err)
{
    char object[AUDIT_OBJECT_SIZE];
    if (s->added == 1)
        text_copy(object, sizeof object, s->added_first);
    else
        snprintf(object, sizeof object, "%lld persons, %s to %s", (long long)s->added,
                 s->added_first, s->added_last);
    int rc = audit_append(s, "person.add", object, s->added_digest, err);
    if (rc == SP_OK)
        s->added = 0;
    return rc;
}

/* ---- transactions ---- */

int store_begin(struct store *s, struct error *err)
{
    if (s->in_transaction)
        return error_set(err, SP_IO, "a transaction is already open");
    int rc = s->driver->begin(s->db, err);
    if (rc != SP_OK)
        return rc;
    rc = s->driver->serial_get(s->db, &s->serial, err);
    if (rc != SP_OK) {
        s->driver->rollback(s->db);
        return rc;
    }
    s->in_transaction = 1;
    s->serial_dirty = 0;
    s->audit_loaded = 0;
    s->added = 0;
    s->added_digest[0] = '\0';
    return SP_OK;
}

int store_commit(struct store *s, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "there is no transaction to commit");
    int rc = SP_OK;
    if (s->serial_dirty)
        rc = s->driver->serial_set(s->db, s->serial, err);
    if (rc == SP_OK && s->added > 0)
        rc = audit_persons_added(s, err);
    if (rc == SP_OK)
        rc = s->driver->commit(s->db, err);
    if (rc != SP_OK) {
        store_rollback(s);
        return rc;
    }
    s->in_transaction = 0;
    s->serial_dirty = 0;
    return SP_OK;
}

void store_rollback(struct store *s)
{
    if (!s->in_transaction)
        return;
    s->driver->rollback(s->db);
    s->in_transaction = 0;
    s->serial_dirty = 0;
    s->last_household[0] = '\0'; /* it may have been created in what was rolled back */
    s->audit_loaded = 0;
    s->added = 0;
}

/* ---- capabilities ---- */

int store_retryable(const struct store *s)
{
    if (s->driver->version < 2 || s->driver->retryable == NULL)
        return 0;
    return s->driver->retryable(s->db);
}

int store_data_version(struct store *s, int64_t *out, struct error *err)
{
    *out = 0;
    if (s->driver->data_version == NULL)
        return SP_OK; /* nobody can tell: import sessions are not offered either */
    return s->driver->data_version(s->db, out, err);
}

int store_import_begin(struct store *s, int64_t since, struct error *err)
{
    if (s->in_transaction)
        return error_set(err, SP_IO, "an import session starts outside any transaction");
    if (s->driver->import_begin == NULL)
        return error_set(err, SP_CONFLICT, "this store has no import sessions");
    return s->driver->import_begin(s->db, since, err);
}

int store_import_end(struct store *s, struct error *err)
{
    if (s->in_transaction)
        return error_set(err, SP_IO, "an import session ends outside any transaction");
    if (s->driver->import_end == NULL)
        return SP_OK;
    return s->driver->import_end(s->db, err);
}

/* ---- persons ---- */

/* Parses the 11-digit serial of a valid worker ID. */
static int64_t serial_of(const char *id)
{
    return worker_id_serial(id);
}

/* Picks p's worker ID into id and its serial: the one after `last`, or p->id checked. */
static int choose_id(int64_t last, const struct person *p, char id[WORKER_ID_SIZE], int64_t *serial,
                     struct error *err)
{
    if (p->id[0] == '\0') {
        *serial = last + 1;
        if (worker_id_format(*serial, id, NULL) != SP_OK)
            return error_set(err, SP_IO, "the registry has run out of worker IDs");
        return SP_OK;
    }
    if (worker_id_validate(p->id, err) != SP_OK)
        return SP_BAD_INPUT;
    *serial = serial_of(p->id);
    memcpy(id, p->id, WORKER_ID_SIZE);
    return SP_OK;
}

/* After the driver refused p as a duplicate: finds the record it collides with and says so. */
/* (A correction: `updating` is 1, and p itself, with p->id, is not a clash.) */
static int explain_conflict(struct store *s, const struct person *p, int64_t serial,
                            const char *key, const struct error *refusal, int updating,
                            struct error *err)
{
    struct person other;
    int found = 0;
    char who[PERSON_DESCRIPTION_SIZE];
    if (!updating && s->driver->person_by_serial(s->db, serial, &other, &found, err) != SP_OK)
        return SP_IO;
    if (found) {
        person_describe(&other, who, sizeof who);
        return error_set(err, SP_CONFLICT, "worker ID %s is already registered: %s", p->id, who);
    }
    if (p->national_id[0] != '\0') {
        if (s->driver->person_by_national_id(s->db, p->country, p->national_id, &other, &found,
                                             err) != SP_OK)
            return SP_IO;
        if (found && (!updating || strcmp(other.id, p->id) != 0)) {
            person_describe(&other, who, sizeof who);
            return error_set(err, SP_CONFLICT, "national_id %s is already registered to %s",
                             p->national_id, who);
        }
    }
    if (store_person_by_dedup_key(s, key, &other, &found, err) != SP_OK)
        return SP_IO;
    if (found && (!updating || strcmp(other.id, p->id) != 0)) {
        person_describe(&other, who, sizeof who);
        char born[DATE_TEXT_SIZE];
        date_format(other.birth_date, born);
        return error_set(err, SP_CONFLICT,
                         "%s %s, born %s%s%s, is already registered as %s: the same name, birth "
                         "date and district",
                         p->given_name, p->family_name, born, other.admin2[0] ? " in " : "",
                         other.admin2, who);
    }
    /* Two different dedup keys with the same 64-bit hash: vanishingly rare, but say so. */
    return error_set(err, SP_CONFLICT,
                     "%s %s cannot be registered: the registry's duplicate check refused it "
                     "(%s): report this to the registry's administrator",
                     p->given_name, p->family_name, refusal->message);
}

/* p's household as a new record: its id, with p's country, admin1 and admin2. */
static void household_of(const struct person *p, struct household *h)
{
    memset(h, 0, sizeof *h);
    text_copy(h->id, sizeof h->id, p->household);
    text_copy(h->country, sizeof h->country, p->country);
    text_copy(h->admin1, sizeof h->admin1, p->admin1);
    text_copy(h->admin2, sizeof h->admin2, p->admin2);
}

/*
 * Creates p's household if it does not exist; *created is 1 if this call made it. The last
 * household seen in this transaction is remembered, so that the members of a household
 * imported one after another cost one lookup, not one each.
 */
static int ensure_household(struct store *s, const struct person *p, int *created,
                            struct error *err)
{
    *created = 0;
    if (p->household[0] == '\0' || strcmp(p->household, s->last_household) == 0)
        return SP_OK;
    struct household h;
    household_of(p, &h);
    return s->driver->household_insert(s->db, &h, created, err);
}

/* What the front works out for a person before a driver sees it. */
struct prepared {
    char id[WORKER_ID_SIZE];         /* the worker ID it gets */
    int64_t serial;                  /* and its serial */
    char key[PERSON_DEDUP_KEY_SIZE]; /* its dedup key */
    int created;                     /* 1 if its household was created for it */
    char given_id[PERSON_ID_SIZE];   /* p->id as the caller gave it */
};

/*
 * Chooses p's worker ID (the serial after `last` when p has none), validates p and makes its
 * dedup key. p itself is not changed.
 */
static int prepare_person(const struct person *p, int64_t last, struct prepared *out,
                          struct error *err)
{
    out->created = 0;
    int rc = choose_id(last, p, out->id, &out->serial, err);
    if (rc == SP_OK)
        rc = person_validate(p, err);
    if (rc != SP_OK)
        return rc;
    person_dedup_key(p, out->key, sizeof out->key);
    if (out->key[0] == '\0')
        return error_set(err, SP_BAD_INPUT,
                         "given_name and family_name have no letters: write the person's name");
    memcpy(out->given_id, p->id, sizeof out->given_id);
    return SP_OK;
}

/* After the driver stored a person with this serial and household. */
static void note_stored(struct store *s, int64_t serial, const char *household)
{
    if (serial > s->serial) {
        s->serial = serial;
        s->serial_dirty = 1;
    }
    text_copy(s->last_household, sizeof s->last_household, household);
}

int store_person_insert(struct store *s, struct person *p, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "inserting a person needs a transaction (store_begin)");
    struct prepared pp;
    int rc = prepare_person(p, s->serial, &pp, err);
    if (rc == SP_OK)
        rc = ensure_household(s, p, &pp.created, err);
    if (rc != SP_OK)
        return rc;
    memcpy(p->id, pp.id, WORKER_ID_SIZE);
    struct error refusal;
    error_init(&refusal);
    rc = s->driver->person_insert(s->db, p, pp.serial, pp.key, &refusal);
    if (rc == SP_OK) {
        note_stored(s, pp.serial, p->household);
        note_added(s, p, pp.key);
        const struct person *stored = p;
        return index_persons(s, &stored, 1, err);
    }
    if (rc == SP_CONFLICT)
        rc = explain_conflict(s, p, pp.serial, pp.key, &refusal, 0, err);
    else
        rc = error_set(err, rc, "%s", refusal.message);
    memcpy(p->id, pp.given_id, sizeof pp.given_id);
    if (pp.created)
        s->driver->household_delete(s->db, p->household, NULL);
    return rc;
}

static int insert_one_by_one(struct store *s, struct person *const *ps, int n, int *failed,
                             struct error *err)
{
    for (int i = 0; i < n; i++) {
        int rc = store_person_insert(s, ps[i], err);
        if (rc != SP_OK) {
            *failed = i;
            return rc;
        }
    }
    return SP_OK;
}

/* What a group needs beside the persons: per person, what the front works out, the driver's
 * row, and the household to create (n of each). */
struct group {
    struct prepared *pp;
    struct store_new_person *rows;
    struct household *households;
};

/* Prepares every person of the group, then hands it to the driver in one call. */
static int insert_group(struct store *s, struct person *const *ps, int n, struct group *g,
                        int *failed, struct error *err)
{
    int64_t last = s->serial;
    const char *household = s->last_household; /* known to exist, or created by the group */
    int ready = 0;
    int rc = SP_OK;
    for (; ready < n; ready++) {
        struct person *p = ps[ready];
        rc = prepare_person(p, last, &g->pp[ready], err);
        if (rc != SP_OK) {
            *failed = ready;
            break;
        }
        memcpy(p->id, g->pp[ready].id, WORKER_ID_SIZE);
        struct household *h = NULL;
        if (p->household[0] != '\0' && strcmp(p->household, household) != 0) {
            h = &g->households[ready];
            household_of(p, h);
            household = p->household;
        }
        g->rows[ready] = (struct store_new_person){p, g->pp[ready].serial, g->pp[ready].key, h};
        if (g->pp[ready].serial > last)
            last = g->pp[ready].serial;
    }
    struct error refusal;
    error_init(&refusal);
    if (rc == SP_OK)
        rc = s->driver->person_insert_many(s->db, g->rows, n, &refusal);
    if (rc == SP_OK) {
        char known[PERSON_SHORT_SIZE];
        text_copy(known, sizeof known, household);
        note_stored(s, last, known);
        for (int i = 0; i < n; i++)
            note_added(s, ps[i], g->pp[i].key);
        rc = index_persons(s, (const struct person *const *)ps, n, err);
        if (rc != SP_OK)
            *failed = 0;
        return rc;
    }
    for (int i = 0; i < ready; i++)
        memcpy(ps[i]->id, g->pp[i].given_id, sizeof g->pp[i].given_id);
    if (*failed >= 0)
        return rc; /* a person the front refused: err says why */
    if (rc == SP_CONFLICT)
        return insert_one_by_one(s, ps, n, failed, err); /* finds and words the clash */
    *failed = 0;
    return error_set(err, rc, "%s", refusal.message);
}

int store_inserts_in_groups(const struct store *s)
{
    return s->driver->version >= 3 && s->driver->person_insert_many != NULL;
}

int store_person_insert_many(struct store *s, struct person *const *ps, int n, int *failed,
                             struct error *err)
{
    *failed = -1;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "inserting a person needs a transaction (store_begin)");
    if (n <= 1 || !store_inserts_in_groups(s))
        return insert_one_by_one(s, ps, n, failed, err);
    struct group g = {sp_malloc((size_t)n * sizeof *g.pp), sp_malloc((size_t)n * sizeof *g.rows),
                      sp_malloc((size_t)n * sizeof *g.households)};
    int rc = g.pp != NULL && g.rows != NULL && g.households != NULL
                 ? insert_group(s, ps, n, &g, failed, err)
                 : error_nomem(err);
    if (rc != SP_OK && *failed < 0)
        *failed = 0;
    sp_free(g.pp);
    sp_free(g.rows);
    sp_free(g.households);
    return rc;
}

/* ---- corrections ---- */

/* Sets c to version `version` of a change of `field` by edit, its old and new values "". */
static void change_init(struct person_change *c, const char *field, int version,
                        const struct store_edit *edit)
{
    memset(c, 0, sizeof *c);
    c->version = version;
    text_copy(c->field, sizeof c->field, field);
    text_copy(c->changed_at, sizeof c->changed_at, edit->changed_at);
    text_copy(c->actor, sizeof c->actor, edit->actor);
    text_copy(c->reason, sizeof c->reason, edit->reason);
}

/* The change of field f from old to new, as the next correction of edit. */
static void change_of(const struct person_field *f, const struct person *old,
                      const struct person *new, int version, const struct store_edit *edit,
                      struct person_change *c)
{
    change_init(c, f->name, version, edit);
    person_get_field(old, f->name, c->old_value, sizeof c->old_value, NULL);
    person_get_field(new, f->name, c->new_value, sizeof c->new_value, NULL);
}

/* Reads the person `id` into p; SP_BAD_INPUT when no person has that ID. */
static int registered_person(struct store *s, const char *id, struct person *p, struct error *err)
{
    int found = 0;
    int rc = store_person_get(s, id, p, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no person with ID %s is registered", id);
    return rc;
}

/* 1 if field f is a fact a correction may change (not the worker ID). */
static int correctable(const struct person_field *f)
{
    return strcmp(f->name, "id") != 0;
}

/* Writes the correction once p is validated and differs from old in `changed` fields. */
static int write_correction(struct store *s, int64_t serial, const struct person *old,
                            struct person *p, const char *key, const struct store_edit *edit,
                            struct error *err)
{
    int created = 0;
    int rc = ensure_household(s, p, &created, err);
    if (rc != SP_OK)
        return rc;
    struct error refusal;
    error_init(&refusal);
    rc = s->driver->person_update(s->db, p, serial, key, &refusal);
    if (rc == SP_CONFLICT)
        return explain_conflict(s, p, serial, key, &refusal, 1, err);
    if (rc != SP_OK)
        return error_set(err, rc, "%s", refusal.message);
    const struct person *stored = p;
    rc = index_persons(s, &stored, 1, err);
    if (rc != SP_OK)
        return rc;
    int version = 0;
    rc = s->driver->person_change_last(s->db, serial, &version, err);
    struct person_change c;
    for (int i = 0; rc == SP_OK && i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        if (!correctable(f) || person_field_equal(f, old, p))
            continue;
        change_of(f, old, p, version + 1, edit, &c);
        rc = s->driver->person_change_add(s->db, serial, &c, err);
    }
    if (rc == SP_OK)
        text_copy(s->last_household, sizeof s->last_household, p->household);
    if (rc == SP_OK) {
        char change[AUDIT_HEX_SIZE];
        row_digest(p, key, change);
        rc = audit_append(s, "person.update", p->id, change, err);
    }
    return rc;
}

int store_person_update(struct store *s, const char *id, struct person *p,
                        const struct store_edit *edit, int *changed, struct error *err)
{
    *changed = 0;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "a correction needs a transaction (store_begin)");
    if (s->driver->version < 4 || s->driver->person_update == NULL)
        return error_set(err, SP_IO, "this store cannot keep corrections");
    if (edit->actor == NULL || edit->actor[0] == '\0' || edit->reason == NULL ||
        edit->reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a correction needs who makes it and why");
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, err) != SP_OK)
        return SP_BAD_INPUT;
    int64_t serial = serial_of(digits);
    struct person old;
    int found = 0;
    int rc = s->driver->person_by_serial(s->db, serial, &old, &found, err);
    if (rc != SP_OK)
        return rc;
    if (!found)
        return error_set(err, SP_BAD_INPUT, "no person with ID %s is registered", digits);
    memcpy(p->id, digits, WORKER_ID_SIZE);
    rc = person_validate(p, err);
    if (rc != SP_OK)
        return rc;
    char key[PERSON_DEDUP_KEY_SIZE];
    person_dedup_key(p, key, sizeof key);
    if (key[0] == '\0')
        return error_set(err, SP_BAD_INPUT,
                         "given_name and family_name have no letters: write the person's name");
    int n = 0;
    for (int i = 0; i < person_field_count; i++)
        n += correctable(&person_fields[i]) && !person_field_equal(&person_fields[i], &old, p);
    if (n == 0)
        return SP_OK;
    rc = write_correction(s, serial, &old, p, key, edit, err);
    if (rc == SP_OK)
        *changed = n;
    return rc;
}

int store_person_note(struct store *s, const char *id, const char *field, const char *value,
                      const struct store_edit *edit, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "a note needs a transaction (store_begin)");
    if (s->driver->version < 4 || s->driver->person_change_add == NULL)
        return error_set(err, SP_IO, "this store cannot keep corrections");
    struct person p;
    int rc = registered_person(s, id, &p, err);
    if (rc != SP_OK)
        return rc;
    int64_t serial = serial_of(p.id);
    int version = 0;
    rc = s->driver->person_change_last(s->db, serial, &version, err);
    if (rc != SP_OK)
        return rc;
    struct person_change c;
    change_init(&c, field, version + 1, edit);
    text_copy(c.new_value, sizeof c.new_value, value);
    return s->driver->person_change_add(s->db, serial, &c, err);
}

int store_person_changes(struct store *s, const char *id, person_change_visit_fn visit, void *ctx,
                         struct error *err)
{
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, NULL) != SP_OK || s->driver->version < 4 ||
        s->driver->person_changes_each == NULL)
        return SP_OK;
    return s->driver->person_changes_each(s->db, serial_of(digits), visit, ctx, err);
}

/* ---- marks: deceased, merged ---- */

/* "deceased on 2026-01-05" or "merged into 000000000019": a mark as words. */
static void mark_words(const struct person_mark *m, char *out, size_t size)
{
    char day[DATE_TEXT_SIZE] = "";
    if (m->date != DATE_NONE)
        date_format(m->date, day);
    if (m->kind == PERSON_MARK_DECEASED)
        snprintf(out, size, "deceased on %s", day);
    else if (m->kind == PERSON_MARK_MERGED)
        snprintf(out, size, "merged into %s", m->into);
    else
        out[0] = '\0';
}

int store_person_mark_get(struct store *s, const char *id, struct person_mark *out,
                          struct error *err)
{
    memset(out, 0, sizeof *out);
    out->date = DATE_NONE;
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, NULL) != SP_OK || s->driver->version < 4 ||
        s->driver->person_mark_get == NULL)
        return SP_OK;
    int64_t into = 0;
    int found = 0;
    int rc = s->driver->person_mark_get(s->db, serial_of(digits), &out->kind, &out->date, &into,
                                        &found, err);
    if (rc == SP_OK && into > 0)
        worker_id_format(into, out->into, NULL);
    return rc;
}

/* Checks m for the record `p`: a day of death after birth and not in the future; a survivor
 * that is registered, another record, and not marked itself. *into is its serial. */
static int check_mark(struct store *s, const struct person *p, const struct person_mark *m,
                      int32_t today, int64_t *into, struct error *err)
{
    *into = 0;
    if (m->kind == PERSON_MARK_DECEASED) {
        if (m->date == DATE_NONE)
            return error_set(err, SP_BAD_INPUT, "give the day of death (--date YYYY-MM-DD)");
        if (m->date < p->birth_date || m->date > today)
            return error_set(err, SP_BAD_INPUT,
                             "the day of death must be between the birth date and today");
        return SP_OK;
    }
    if (m->kind != PERSON_MARK_MERGED)
        return error_set(err, SP_BAD_INPUT, "a record is marked deceased or merged");
    char survivor[WORKER_ID_SIZE];
    if (worker_id_parse(m->into, survivor, err) != SP_OK)
        return SP_BAD_INPUT;
    if (strcmp(survivor, p->id) == 0)
        return error_set(err, SP_BAD_INPUT, "a record cannot be merged into itself");
    struct person other;
    int found = 0;
    int rc = s->driver->person_by_serial(s->db, serial_of(survivor), &other, &found, err);
    if (rc != SP_OK)
        return rc;
    if (!found)
        return error_set(err, SP_BAD_INPUT, "no person with ID %s is registered", survivor);
    struct person_mark theirs;
    rc = store_person_mark_get(s, survivor, &theirs, err);
    if (rc == SP_OK && theirs.kind != PERSON_MARK_NONE) {
        char words[64];
        mark_words(&theirs, words, sizeof words);
        return error_set(err, SP_BAD_INPUT, "%s cannot take another record: it is %s", survivor,
                         words);
    }
    *into = serial_of(survivor);
    return rc;
}

int store_person_mark(struct store *s, const char *id, const struct person_mark *m, int32_t today,
                      const struct store_edit *edit, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "marking a record needs a transaction (store_begin)");
    if (s->driver->version < 4 || s->driver->person_mark_set == NULL)
        return error_set(err, SP_IO, "this store cannot mark records");
    if (edit->actor == NULL || edit->actor[0] == '\0' || edit->reason == NULL ||
        edit->reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "marking a record needs who does it and why");
    struct person p;
    int rc = registered_person(s, id, &p, err);
    if (rc != SP_OK)
        return rc;
    int64_t into = 0;
    rc = check_mark(s, &p, m, today, &into, err);
    if (rc != SP_OK)
        return rc;
    int64_t serial = serial_of(p.id);
    struct error refusal;
    error_init(&refusal);
    rc = s->driver->person_mark_set(s->db, serial, m->kind, m->date, into, &refusal);
    if (rc == SP_CONFLICT) {
        struct person_mark now;
        char words[64] = "marked";
        if (store_person_mark_get(s, p.id, &now, err) == SP_OK)
            mark_words(&now, words, sizeof words);
        return error_set(err, SP_CONFLICT, "%s is already %s", p.id, words);
    }
    if (rc != SP_OK)
        return error_set(err, rc, "%s", refusal.message);
    int version = 0;
    rc = s->driver->person_change_last(s->db, serial, &version, err);
    struct person_change c;
    change_init(&c, "status", version + 1, edit);
    struct person_mark shown = *m;
    if (m->kind == PERSON_MARK_MERGED)
        worker_id_format(into, shown.into, NULL);
    mark_words(&shown, c.new_value, sizeof c.new_value);
    if (rc == SP_OK)
        rc = s->driver->person_change_add(s->db, serial, &c, err);
    return rc == SP_OK ? audit_text(s, "person.mark", p.id, c.new_value, err) : rc;
}

/* ---- life events ---- */

/* The driver's event members, or SP_IO when it was built without them. */
static int events_supported(const struct store *s, struct error *err)
{
    if (s->driver->version < 5 || s->driver->event_add == NULL || s->driver->event_last == NULL ||
        s->driver->events_each == NULL || s->driver->marks_each == NULL ||
        s->driver->events_of == NULL || s->driver->marks_of == NULL ||
        s->driver->holders_each == NULL)
        return error_set(err, SP_IO, "the %s store keeps no life events", s->driver->name);
    return SP_OK;
}

/* The driver's ledger members, or SP_IO when it was built without them. */
static int ledger_supported(const struct store *s, struct error *err)
{
    if (s->driver->version < 9 || s->driver->contribution_last == NULL ||
        s->driver->contributions_add == NULL || s->driver->contributions_each == NULL ||
        s->driver->contributions_of == NULL || s->driver->contributors_each == NULL)
        return error_set(err, SP_IO, "the %s store keeps no contributions ledger", s->driver->name);
    return SP_OK;
}

/* The serial of the registered person with worker ID id (the printed form too) into *serial;
 * SP_BAD_INPUT naming `role` when nobody has it. */
static int registered_serial(struct store *s, const char *id, const char *role, int64_t *serial,
                             struct error *err)
{
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, NULL) != SP_OK)
        return error_set(err, SP_BAD_INPUT, "%s \"%s\" is not a worker ID", role, id);
    struct person p;
    int found = 0;
    int rc = s->driver->person_by_serial(s->db, serial_of(digits), &p, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "%s: no person with ID %s is registered", role, digits);
    *serial = serial_of(digits);
    return rc;
}

int store_event_add(struct store *s, struct registry_event *ev, struct error *err)
{
    int rc = events_supported(s, err);
    if (rc != SP_OK)
        return rc;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "recording an event needs a transaction (store_begin)");
    if (ev->actor[0] == '\0' || ev->reason[0] == '\0' || ev->recorded_at[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "an event needs who records it, when and why");
    if (ev->e.date == DATE_NONE || event_type_name((int)ev->e.type)[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "an event needs its type and its date");
    int64_t serial = 0, other = 0;
    rc = registered_serial(s, ev->e.person, "person", &serial, err);
    const char *named = ev->e.type == EVENT_BIRTH ? ev->e.child : ev->spouse;
    if (rc == SP_OK && named[0] != '\0')
        rc = registered_serial(s, named, ev->e.type == EVENT_BIRTH ? "child" : "spouse", &other,
                               err);
    if (rc == SP_OK && other == serial)
        rc = error_set(err, SP_BAD_INPUT, "the %s of %s cannot be that person themself",
                       ev->e.type == EVENT_BIRTH ? "child" : "spouse", ev->e.person);
    int last = 0;
    if (rc == SP_OK)
        rc = s->driver->event_last(s->db, serial, &last, err);
    if (rc != SP_OK)
        return rc;
    ev->seq = last + 1;
    worker_id_format(serial, ev->e.person, NULL);
    return s->driver->event_add(s->db, serial, ev, other, err);
}

int store_events_of(struct store *s, const char *id, registry_event_visit_fn visit, void *ctx,
                    struct error *err)
{
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, NULL) != SP_OK || events_supported(s, NULL) != SP_OK)
        return SP_OK;
    int64_t serial = serial_of(digits);
    return s->driver->events_each(s->db, serial, serial, visit, ctx, err);
}

static int compare_serials(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The serials of the persons with events, with marks and with ledger entries, each sorted. */
enum { CENSUS_EVENTS, CENSUS_MARKS, CENSUS_CONTRIBUTIONS, CENSUS_KINDS };
struct store_census {
    int64_t *serials[CENSUS_KINDS];
    int n[CENSUS_KINDS], cap[CENSUS_KINDS];
};

/* Appends one serial to the list being filled (census_fill's ctx). */
struct census_fill {
    struct store_census *c;
    int which;
};

static int census_fill(void *ctx, int64_t serial)
{
    struct census_fill *f = ctx;
    struct store_census *c = f->c;
    int k = f->which;
    if (c->n[k] == c->cap[k]) {
        int cap = c->cap[k] ? c->cap[k] * 2 : 1024;
        int64_t *grown = sp_reallocarray(c->serials[k], (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return SP_IO;
        c->serials[k] = grown;
        c->cap[k] = cap;
    }
    c->serials[k][c->n[k]++] = serial;
    return 0;
}

void store_census_free(struct store_census *c)
{
    if (c == NULL)
        return;
    for (int k = 0; k < CENSUS_KINDS; k++)
        sp_free(c->serials[k]);
    sp_free(c);
}

int store_census_take(struct store *s, struct store_census **out, struct error *err)
{
    *out = sp_calloc(1, sizeof **out);
    if (*out == NULL)
        return error_nomem(err);
    if (events_supported(s, NULL) != SP_OK)
        return SP_OK;
    int rc = SP_OK;
    for (int k = 0; k < CENSUS_KINDS && rc == SP_OK; k++) {
        struct census_fill f = {*out, k};
        if (k == CENSUS_CONTRIBUTIONS)
            rc = ledger_supported(s, NULL) == SP_OK
                     ? s->driver->contributors_each(s->db, census_fill, &f, err)
                     : SP_OK;
        else
            rc = s->driver->holders_each(s->db, k, census_fill, &f, err);
        if (rc == SP_IO && err->code == SP_OK)
            rc = error_nomem(err);
    }
    if (rc != SP_OK) {
        store_census_free(*out);
        *out = NULL;
    }
    return rc;
}

/* A walk over a group of records: their serials, sorted, and the caller's visitor (one of
 * the three). */
struct group_walk {
    int64_t *serials; /* sorted */
    int n;            /* serials */
    registry_event_visit_fn visit_event;
    person_mark_visit_fn visit_mark;
    contribution_visit_fn visit_entry;
    void *ctx;
};

/* 1 if the record with worker ID id is one of the group's. */
static int in_group(const struct group_walk *g, const char *id)
{
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, NULL) != SP_OK)
        return 0;
    int64_t serial = serial_of(digits);
    return bsearch(&serial, g->serials, (size_t)g->n, sizeof serial, compare_serials) != NULL;
}

static int group_event(void *ctx, const struct registry_event *ev)
{
    struct group_walk *g = ctx;
    return in_group(g, ev->e.person) ? g->visit_event(g->ctx, ev) : 0;
}

static int group_mark(void *ctx, const char *id, const struct person_mark *m)
{
    struct group_walk *g = ctx;
    return in_group(g, id) ? g->visit_mark(g->ctx, id, m) : 0;
}

static int group_entry(void *ctx, int64_t serial, const struct contribution_entry *e)
{
    struct group_walk *g = ctx;
    if (bsearch(&serial, g->serials, (size_t)g->n, sizeof serial, compare_serials) == NULL)
        return 0;
    struct contribution_entry named = *e;
    if (worker_id_format(serial, named.c.person, NULL) != SP_OK)
        return 0;
    return g->visit_entry(g->ctx, &named);
}

/* Sorts the n serials and drops the repeated ones; returns how many are left. */
static int sort_distinct(int64_t *serials, int n)
{
    if (n <= 0)
        return 0;
    qsort(serials, (size_t)n, sizeof *serials, compare_serials);
    int distinct = 1;
    for (int i = 1; i < n; i++)
        if (serials[i] != serials[distinct - 1])
            serials[distinct++] = serials[i];
    return distinct;
}

/* The serials of the worker IDs ids (text that is none is left out) that the census says have
 * records of kind k (every one without a census) into out (room for n), sorted and distinct;
 * returns how many. */
static int distinct_serials(const char *const *ids, int n, const struct store_census *census, int k,
                            int64_t *out)
{
    int m = 0;
    char digits[WORKER_ID_SIZE];
    for (int i = 0; i < n; i++) {
        if (worker_id_parse(ids[i], digits, NULL) != SP_OK)
            continue;
        int64_t serial = serial_of(digits);
        if (census == NULL ||
            (census->n[k] > 0 && bsearch(&serial, census->serials[k], (size_t)census->n[k],
                                         sizeof serial, compare_serials) != NULL))
            out[m++] = serial;
    }
    return sort_distinct(out, m);
}

/* Walks the events (visit_event), the marks or the ledger entries of the group ids in one driver
 * query: over the range of their serials, each row filtered by the group, when they are close
 * together (a block of households registered together), else over the list of them (households
 * whose members were registered far apart, where the range would read much of the registry). */
static int walk_group(struct store *s, const struct store_census *census, const char *const *ids,
                      int n, struct group_walk *g, struct error *err)
{
    int k = g->visit_event != NULL  ? CENSUS_EVENTS
            : g->visit_mark != NULL ? CENSUS_MARKS
                                    : CENSUS_CONTRIBUTIONS;
    if ((k == CENSUS_CONTRIBUTIONS ? ledger_supported(s, NULL) : events_supported(s, NULL)) !=
            SP_OK ||
        n <= 0 || (census != NULL && census->n[k] == 0)) /* nobody has any */
        return SP_OK;
    g->serials = sp_malloc((size_t)n * sizeof *g->serials);
    if (g->serials == NULL)
        return error_nomem(err);
    g->n = distinct_serials(ids, n, census, k, g->serials);
    int rc = SP_OK;
    if (g->n > 0) {
        int64_t from = g->serials[0], to = g->serials[g->n - 1];
        int close = to - from < (int64_t)GROUP_SPREAD_MAX * g->n + GROUP_SPREAD_MAX;
        if (k == CENSUS_CONTRIBUTIONS)
            rc = close ? s->driver->contributions_each(s->db, from, to, group_entry, g, err)
                       : s->driver->contributions_of(s->db, g->serials, g->n, group_entry, g, err);
        else if (g->visit_event != NULL)
            rc = close ? s->driver->events_each(s->db, from, to, group_event, g, err)
                       : s->driver->events_of(s->db, g->serials, g->n, group_event, g, err);
        else
            rc = close ? s->driver->marks_each(s->db, from, to, group_mark, g, err)
                       : s->driver->marks_of(s->db, g->serials, g->n, group_mark, g, err);
    }
    sp_free(g->serials);
    return rc;
}

int store_events_of_many(struct store *s, const struct store_census *census, const char *const *ids,
                         int n, registry_event_visit_fn visit, void *ctx, struct error *err)
{
    struct group_walk g = {NULL, 0, visit, NULL, NULL, ctx};
    return walk_group(s, census, ids, n, &g, err);
}

int store_marks_of_many(struct store *s, const struct store_census *census, const char *const *ids,
                        int n, person_mark_visit_fn visit, void *ctx, struct error *err)
{
    struct group_walk g = {NULL, 0, NULL, visit, NULL, ctx};
    return walk_group(s, census, ids, n, &g, err);
}

int store_person_get(struct store *s, const char *id, struct person *out, int *found,
                     struct error *err)
{
    *found = 0;
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, NULL) != SP_OK)
        return SP_OK; /* text that is not a worker ID (a wrong check digit) is nobody's */
    return s->driver->person_by_serial(s->db, serial_of(digits), out, found, err);
}

/* Visits the registered persons among the n sorted, distinct serials, by serial: in one
 * driver query, or one lookup each with a driver older than version 16. */
static int persons_of_serials(struct store *s, const int64_t *serials, int n, person_visit_fn visit,
                              void *ctx, struct error *err)
{
    if (n <= 0)
        return SP_OK;
    if (s->driver->version >= 16 && s->driver->persons_of != NULL)
        return s->driver->persons_of(s->db, serials, n, visit, ctx, err);
    int rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        struct person p;
        int found = 0;
        rc = s->driver->person_by_serial(s->db, serials[i], &p, &found, err);
        if (rc == SP_OK && found)
            rc = visit(ctx, &p);
    }
    return rc;
}

int store_persons_of_many(struct store *s, const char *const *ids, int n, person_visit_fn visit,
                          void *ctx, struct error *err)
{
    if (n <= 0)
        return SP_OK;
    int64_t *serials = sp_malloc((size_t)n * sizeof *serials);
    if (serials == NULL)
        return error_nomem(err);
    int m = distinct_serials(ids, n, NULL, 0, serials);
    int rc = persons_of_serials(s, serials, m, visit, ctx, err);
    sp_free(serials);
    return rc;
}

int store_person_by_national_id(struct store *s, const char *country, const char *national_id,
                                struct person *out, int *found, struct error *err)
{
    return s->driver->person_by_national_id(s->db, country, national_id, out, found, err);
}

int store_person_by_dedup_key(struct store *s, const char *key, struct person *out, int *found,
                              struct error *err)
{
    int rc = s->driver->person_by_dedup_key(s->db, key, out, found, err);
    if (rc == SP_OK && *found) {
        char other[PERSON_DEDUP_KEY_SIZE];
        person_dedup_key(out, other, sizeof other);
        *found = strcmp(other, key) == 0;
    }
    return rc;
}

/* State of one search: the id already visited by the exact probe, which the scan skips, and
 * the rows still to skip and to visit. */
struct search {
    person_visit_fn visit;
    void *ctx;
    const char *exact_id; /* the id visited by the exact probe, or "" */
    int skip;             /* rows still to skip (the page's offset) */
    int left;             /* rows still to visit */
};

static int search_visit(void *ctx, const struct person *p)
{
    struct search *search = ctx;
    if (strcmp(search->exact_id, p->id) == 0 || search->left <= 0)
        return 0;
    if (search->skip > 0) {
        search->skip--;
        return 0;
    }
    search->left--;
    return search->visit(search->ctx, p);
}

/*
 * Search: a worker ID typed in full (or as the card prints it) is one probe and comes first;
 * then the text index (search_text.h), or the driver's scan for the text anywhere in the name,
 * national ID, worker ID or phone when the driver has no index.
 */
int store_person_find(struct store *s, const char *text, const char *country, int limit, int offset,
                      person_visit_fn visit, void *ctx, struct error *err)
{
    if (limit <= 0)
        return SP_OK;
    if (limit > SEARCH_LIMIT_MAX)
        limit = SEARCH_LIMIT_MAX;
    if (offset < 0)
        offset = 0;
    if (offset > SEARCH_OFFSET_MAX)
        offset = SEARCH_OFFSET_MAX;
    if (country != NULL && country[0] == '\0')
        country = NULL;
    char trimmed[SEARCH_TEXT_MAX + 1];
    while (*text == ' ')
        text++;
    text_copy(trimmed, sizeof trimmed, text);
    for (size_t n = strlen(trimmed); n > 0 && trimmed[n - 1] == ' '; n--)
        trimmed[n - 1] = '\0';
    struct search search = {visit, ctx, "", offset, limit};
    if (trimmed[0] == '\0')
        return s->driver->person_list(s->db, country, limit + offset, search_visit, &search, err);
    struct person p;
    int found = 0;
    int rc = store_person_get(s, trimmed, &p, &found, err);
    if (rc != SP_OK)
        return rc;
    if (found && (country == NULL || strcmp(p.country, country) == 0)) {
        search.exact_id = p.id;
        if (search.skip > 0) {
            search.skip--;
        } else {
            rc = visit(ctx, &p);
            if (rc != 0 || --search.left == 0)
                return rc;
        }
    }
    int extra = search.exact_id[0] != '\0';
    if (!has_search(s))
        return s->driver->person_search(s->db, trimmed, country, search.skip + search.left + extra,
                                        search_visit, &search, err);
    struct store_search q;
    if (search_terms_of(trimmed, &q) == 0)
        return SP_OK; /* nothing a name, phone or ID is made of */
    q.country = country;
    q.offset = search.skip;
    q.limit = search.left + extra;
    search.skip = 0;
    return s->driver->search_find(s->db, &q, search_visit, &search, err);
}

int store_person_search(struct store *s, const char *text, const char *country, int limit,
                        person_visit_fn visit, void *ctx, struct error *err)
{
    return store_person_find(s, text, country, limit, 0, visit, ctx, err);
}

int store_person_each(struct store *s, person_visit_fn visit, void *ctx, struct error *err)
{
    return s->driver->person_each(s->db, visit, ctx, err);
}

int store_person_each_by_household(struct store *s, const char *country, person_visit_fn visit,
                                   void *ctx, struct error *err)
{
    if (country != NULL && country[0] == '\0')
        country = NULL;
    return s->driver->person_each_by_household(s->db, country, visit, ctx, err);
}

int store_person_each_by_household_reading(struct store *s, const char *country,
                                           person_field_set fields, person_visit_fn visit,
                                           void *ctx, struct error *err)
{
    if (s->driver->version < 17 || s->driver->person_each_by_household_reading == NULL)
        return store_person_each_by_household(s, country, visit, ctx, err);
    if (country != NULL && country[0] == '\0')
        country = NULL;
    return s->driver->person_each_by_household_reading(s->db, country, fields, visit, ctx, err);
}

int store_household_members(struct store *s, const char *household, person_visit_fn visit,
                            void *ctx, struct error *err)
{
    return s->driver->household_members(s->db, household, visit, ctx, err);
}

int store_person_count(struct store *s, int64_t *out, struct error *err)
{
    return s->driver->person_count(s->db, out, err);
}

int store_household_get(struct store *s, const char *id, struct household *out, int *found,
                        struct error *err)
{
    return s->driver->household_get(s->db, id, out, found, err);
}

/* The driver's overlay members, or SP_IO when it was built without them. */
static int overlay_supported(const struct store *s, struct error *err)
{
    if (s->driver->version < 4 || s->driver->overlay_get == NULL || s->driver->overlay_put == NULL)
        return error_set(err, SP_IO, "the %s store keeps no default overlay", s->driver->name);
    return SP_OK;
}

int store_overlay_get(struct store *s, struct buf *out, int *found, struct error *err)
{
    *found = 0;
    int rc = overlay_supported(s, err);
    return rc != SP_OK ? rc : s->driver->overlay_get(s->db, out, found, err);
}

int store_overlay_set(struct store *s, const char *id, const char *text, struct error *err)
{
    int rc = overlay_supported(s, err);
    if (rc != SP_OK)
        return rc;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "setting the default overlay needs a transaction");
    if (text != NULL && (id == NULL || id[0] == '\0'))
        return error_set(err, SP_BAD_INPUT, "the default overlay needs its id");
    if (text != NULL && strlen(text) > STORE_OVERLAY_MAX)
        return error_set(err, SP_BAD_INPUT, "the overlay is longer than %u bytes",
                         STORE_OVERLAY_MAX);
    rc = s->driver->overlay_put(s->db, id, text, err);
    if (rc == SP_OK)
        rc = audit_text(s, text != NULL ? "overlay.set" : "overlay.clear",
                        text != NULL ? id : "default overlay", text != NULL ? text : "", err);
    return rc;
}

/* ---- enrolments ---- */

/* Keeps a change of an enrolment as a correction of the person. */
static int note_enrolment(struct store *s, int64_t serial, const struct enrolment_record *r,
                          const char *old_state, struct error *err)
{
    int version = 0;
    int rc = s->driver->person_change_last(s->db, serial, &version, err);
    struct person_change c;
    memset(&c, 0, sizeof c);
    c.version = version + 1;
    char text[SCHEME_ID_SIZE + 2 * PERSON_REASON_SIZE]; /* longer than either: then cut */
    snprintf(text, sizeof text, "enrolment %s", r->e.scheme);
    text_copy(c.field, sizeof c.field, text);
    text_copy(c.old_value, sizeof c.old_value, old_state);
    char day[DATE_TEXT_SIZE] = "";
    date_format(r->state == ENROLMENT_ENDED && r->e.to != DATE_NONE ? r->e.to : r->state_since,
                day);
    snprintf(text, sizeof text, "%s %s %s%s%s", enrolment_state_name(r->state),
             r->state == ENROLMENT_ENDED ? "after" : "from", day,
             r->override_reason[0] ? ", against the rules' decision: " : "", r->override_reason);
    text_copy(c.new_value, sizeof c.new_value, text);
    text_copy(c.changed_at, sizeof c.changed_at, r->recorded_at);
    text_copy(c.actor, sizeof c.actor, r->actor);
    text_copy(c.reason, sizeof c.reason, r->reason);
    if (rc == SP_OK)
        rc = s->driver->person_change_add(s->db, serial, &c, err);
    char object[WORKER_ID_SIZE];
    if (rc == SP_OK)
        rc = worker_id_format(serial, object, err);
    snprintf(text, sizeof text, "%s: %s", r->e.scheme, c.new_value);
    return rc == SP_OK ? audit_text(s, old_state[0] ? "enrolment.state" : "enrolment.add", object,
                                    text, err)
                       : rc;
}

static int can_enrol(struct store *s, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "an enrolment needs a transaction (store_begin)");
    if (s->driver->version < 7 || s->driver->enrolment_add == NULL)
        return error_set(err, SP_IO, "this store cannot keep enrolments");
    return SP_OK;
}

int store_enrolment_add(struct store *s, const struct enrolment_record *r, int *added,
                        struct error *err)
{
    *added = 0;
    int64_t serial = 0;
    int rc = can_enrol(s, err);
    if (rc == SP_OK)
        rc = registered_serial(s, r->e.person, "person", &serial, err);
    if (rc == SP_OK)
        rc = s->driver->enrolment_add(s->db, serial, r, added, err);
    if (rc == SP_OK && *added)
        rc = note_enrolment(s, serial, r, "", err);
    return rc;
}

/* Gives each stored enrolment its person's worker ID. */
struct enrolment_walk {
    enrolment_visit_fn visit;
    void *ctx;
};

static int enrolment_row(void *ctx, int64_t serial, struct enrolment_record *r)
{
    struct enrolment_walk *w = ctx;
    if (worker_id_format(serial, r->e.person, NULL) != SP_OK)
        return SP_OK; /* a serial no worker ID has: not a person's */
    return w->visit(w->ctx, r);
}

int store_enrolments_each(struct store *s, const char *id, enrolment_visit_fn visit, void *ctx,
                          struct error *err)
{
    if (s->driver->version < 7 || s->driver->enrolments_each == NULL)
        return SP_OK;
    int64_t serial = 0;
    if (id != NULL) {
        char digits[WORKER_ID_SIZE];
        if (worker_id_parse(id, digits, NULL) != SP_OK)
            return SP_OK; /* nobody's */
        serial = serial_of(digits);
    }
    struct enrolment_walk w = {visit, ctx};
    return s->driver->enrolments_each(s->db, serial, enrolment_row, &w, err);
}

/* Finds the state of the person's open enrolment in a scheme (for the correction's words). */
struct open_find {
    const char *scheme;
    char state[16];
};

static int find_open(void *ctx, const struct enrolment_record *r)
{
    struct open_find *f = ctx;
    if (strcmp(r->e.scheme, f->scheme) == 0 && r->state != ENROLMENT_ENDED)
        text_copy(f->state, sizeof f->state, enrolment_state_name(r->state));
    return 0;
}

int store_enrolment_set_state(struct store *s, const struct enrolment_record *r, struct error *err)
{
    int64_t serial = 0;
    int rc = can_enrol(s, err);
    if (rc == SP_OK)
        rc = registered_serial(s, r->e.person, "person", &serial, err);
    struct open_find before = {r->e.scheme, ""};
    if (rc == SP_OK)
        rc = store_enrolments_each(s, r->e.person, find_open, &before, err);
    int found = 0;
    if (rc == SP_OK)
        rc = s->driver->enrolment_state_set(s->db, serial, r, &found, err);
    if (rc == SP_OK && !found)
        return error_set(err, SP_BAD_INPUT, "%s has no enrolment in %s that is not ended",
                         r->e.person, r->e.scheme);
    return rc == SP_OK ? note_enrolment(s, serial, r, before.state, err) : rc;
}

/* ---- the contributions ledger ---- */

/* Digests the entries as booked (their serials given) into out: each one's numbers as 8
 * little-endian bytes and its texts with their NULs, in the order of CONTRIBUTION_COLUMNS;
 * and names what they are in object: the person for one entry, "N entries, #first to #last"
 * for more. */
static int ledger_digest(const struct contribution_entry *e, const int64_t *serials, int n,
                         char out[AUDIT_HEX_SIZE], char object[AUDIT_OBJECT_SIZE],
                         struct error *err)
{
    struct audit_stream *st = audit_stream_new();
    if (st == NULL)
        return error_nomem(err);
    for (int i = 0; i < n; i++) {
        const struct contribution_entry *x = &e[i];
        int64_t numbers[] = {x->id,
                             serials[i],
                             x->c.month,
                             x->declared,
                             x->c.wage.minor,
                             x->c.employee.minor,
                             x->c.employer.minor,
                             x->c.state.minor,
                             x->paid,
                             x->paid_on,
                             x->due,
                             x->voluntary,
                             x->reverses};
        unsigned char bytes[sizeof numbers];
        for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++)
            for (int b = 0; b < 8; b++)
                bytes[k * 8 + (size_t)b] = (unsigned char)((uint64_t)numbers[k] >> (8 * b));
        audit_stream_put(st, bytes, sizeof bytes);
        const char *texts[] = {x->c.scheme,
                               x->employer,
                               x->c.wage.currency,
                               x->c.employee.currency,
                               x->c.employer.currency,
                               x->c.state.currency,
                               x->reason,
                               x->actor,
                               x->recorded_at};
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
            audit_stream_put(st, texts[k], strlen(texts[k]) + 1);
    }
    audit_stream_end(st, out);
    if (n == 1)
        text_copy(object, AUDIT_OBJECT_SIZE, e[0].c.person);
    else
        snprintf(object, AUDIT_OBJECT_SIZE, "%d entries, #%lld to #%lld", n, (long long)e[0].id,
                 (long long)e[n - 1].id);
    return SP_OK;
}

/* The serials of registered persons found by persons_of_serials, in order. */
struct registered {
    int64_t *serials;
    int n;
};

static int keep_registered(void *ctx, const struct person *p)
{
    struct registered *r = ctx;
    r->serials[r->n++] = serial_of(p->id);
    return 0;
}

/* The serial of the person of each of n records into serials[i], checking their distinct
 * persons in one query: the i-th record's worker ID (printed or not) is the text at
 * first_id + i * stride (a field of an array of structs). SP_BAD_INPUT for the first record
 * whose person is no worker ID or nobody registered, worded as registered_serial words it. */
static int registered_serials(struct store *s, const char *first_id, size_t stride, int n,
                              int64_t *serials, struct error *err)
{
    char digits[WORKER_ID_SIZE];
    int parsed = 0; /* records before the first that is no worker ID */
    while (parsed < n && worker_id_parse(first_id + (size_t)parsed * stride, digits, NULL) == SP_OK)
        serials[parsed++] = serial_of(digits);
    int64_t *sorted = sp_malloc(((size_t)parsed + 1) * sizeof *sorted);
    struct registered found = {sp_malloc(((size_t)parsed + 1) * sizeof *found.serials), 0};
    int rc = sorted != NULL && found.serials != NULL ? SP_OK : error_nomem(err);
    if (rc == SP_OK && parsed > 0) {
        memcpy(sorted, serials, (size_t)parsed * sizeof *sorted);
        rc = persons_of_serials(s, sorted, sort_distinct(sorted, parsed), keep_registered, &found,
                                err);
    }
    for (int i = 0; i < parsed && rc == SP_OK; i++)
        if (found.n == 0 || bsearch(&serials[i], found.serials, (size_t)found.n,
                                    sizeof *found.serials, compare_serials) == NULL) {
            worker_id_format(serials[i], digits, NULL);
            rc = error_set(err, SP_BAD_INPUT, "person: no person with ID %s is registered", digits);
        }
    if (rc == SP_OK && parsed < n)
        rc = error_set(err, SP_BAD_INPUT, "person \"%s\" is not a worker ID",
                       first_id + (size_t)parsed * stride);
    sp_free(found.serials);
    sp_free(sorted);
    return rc;
}

int store_contributions_book(struct store *s, struct contribution_entry *entries, int n,
                             struct error *err)
{
    int rc = ledger_supported(s, err);
    if (rc != SP_OK || n <= 0)
        return rc;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "booking contributions needs a transaction (store_begin)");
    int64_t *serials = sp_malloc((size_t)n * sizeof *serials);
    if (serials == NULL)
        return error_nomem(err);
    int64_t last = 0;
    rc = s->driver->contribution_last(s->db, &last, err);
    if (rc == SP_OK)
        rc = registered_serials(s, entries[0].c.person, sizeof entries[0], n, serials, err);
    for (int i = 0; i < n && rc == SP_OK; i++) {
        entries[i].id = last + 1 + i;
        worker_id_format(serials[i], entries[i].c.person, NULL);
    }
    if (rc == SP_OK)
        rc = s->driver->contributions_add(s->db, entries, serials, n, err);
    char change[AUDIT_HEX_SIZE], object[AUDIT_OBJECT_SIZE];
    if (rc == SP_OK)
        rc = ledger_digest(entries, serials, n, change, object, err);
    if (rc == SP_OK)
        rc = audit_append(s, "contribution.book", object, change, err);
    sp_free(serials);
    return rc;
}

/* Gives each entry of one person's walk their worker ID. */
struct entry_walk {
    contribution_visit_fn visit;
    void *ctx;
};

static int entry_row(void *ctx, int64_t serial, const struct contribution_entry *e)
{
    struct entry_walk *w = ctx;
    struct contribution_entry named = *e;
    if (worker_id_format(serial, named.c.person, NULL) != SP_OK)
        return 0;
    return w->visit(w->ctx, &named);
}

int store_contributions_of(struct store *s, const char *id, contribution_visit_fn visit, void *ctx,
                           struct error *err)
{
    char digits[WORKER_ID_SIZE];
    if (ledger_supported(s, NULL) != SP_OK || worker_id_parse(id, digits, NULL) != SP_OK)
        return SP_OK;
    int64_t serial = serial_of(digits);
    struct entry_walk w = {visit, ctx};
    return s->driver->contributions_each(s->db, serial, serial, entry_row, &w, err);
}

int store_contributions_of_many(struct store *s, const struct store_census *census,
                                const char *const *ids, int n, contribution_visit_fn visit,
                                void *ctx, struct error *err)
{
    struct group_walk g = {NULL, 0, NULL, NULL, visit, ctx};
    return walk_group(s, census, ids, n, &g, err);
}

/* ---- claims and grievances ---- */

static int can_claim(struct store *s, int writing, struct error *err)
{
    if (writing && !s->in_transaction)
        return error_set(err, SP_IO, "a claim or a grievance needs a transaction (store_begin)");
    if (s->driver->version < 10 || s->driver->claim_put == NULL)
        return error_set(err, SP_IO, "this store cannot keep claims and grievances");
    return SP_OK;
}

static int has_claims(const struct store *s)
{
    return s->driver->version >= 10 && s->driver->claims_each != NULL;
}

/* The audit entry of a write about a person's claim or grievance: `text` says what. */
static int audit_claim(struct store *s, const char *action, int64_t serial, const char *text,
                       struct error *err)
{
    char object[WORKER_ID_SIZE];
    int rc = worker_id_format(serial, object, err);
    return rc == SP_OK ? audit_text(s, action, object, text, err) : rc;
}

/* For a new claim or grievance of the person `person` (PERSON_ID_SIZE bytes, rewritten as the
 * worker ID it names): their serial, and the next number of `counter` as the record's id.
 * SP_BAD_INPUT when nobody registered has that ID. */
static int numbered_for(struct store *s, char *person, const char *counter, int64_t *serial,
                        int64_t *id, struct error *err)
{
    int rc = registered_serial(s, person, "person", serial, err);
    if (rc == SP_OK)
        rc = worker_id_format(*serial, person, err);
    if (rc == SP_OK)
        rc = s->driver->counter_next(s->db, counter, id, err);
    return rc;
}

/* Finds one claim or grievance by id, with its person's serial. */
struct one_claim {
    struct claim *c;
    struct grievance *g;
    int64_t serial;
    int found;
};

static int one_claim_row(void *ctx, int64_t serial, struct claim *c)
{
    struct one_claim *o = ctx;
    *o->c = *c;
    o->serial = serial;
    o->found = 1;
    worker_id_format(serial, o->c->person, NULL);
    return 1;
}

static int one_grievance_row(void *ctx, int64_t serial, struct grievance *g)
{
    struct one_claim *o = ctx;
    *o->g = *g;
    o->serial = serial;
    o->found = 1;
    worker_id_format(serial, o->g->person, NULL);
    return 1;
}

/* The stored claim `id` into *out, with its person's serial; *found 0 when none. */
static int claim_find(struct store *s, int64_t id, struct claim *out, int64_t *serial, int *found,
                      struct error *err)
{
    struct one_claim o = {out, NULL, 0, 0};
    *found = 0;
    int rc = id > 0 ? s->driver->claims_each(s->db, 0, id, one_claim_row, &o, err) : SP_OK;
    if (rc == 1)
        rc = SP_OK;
    *found = o.found;
    *serial = o.serial;
    return rc;
}

static int grievance_find(struct store *s, int64_t id, struct grievance *out, int64_t *serial,
                          int *found, struct error *err)
{
    struct one_claim o = {NULL, out, 0, 0};
    *found = 0;
    int rc =
        id > 0 ? s->driver->grievances_each(s->db, 0, id, 0, one_grievance_row, &o, err) : SP_OK;
    if (rc == 1)
        rc = SP_OK;
    *found = o.found;
    *serial = o.serial;
    return rc;
}

/* Counts the steps of a claim or a grievance (for the next seq). */
static int count_claim_step(void *ctx, const struct claim_step *st)
{
    int *n = ctx;
    *n = st->seq > *n ? st->seq : *n;
    return 0;
}

static int count_grievance_step(void *ctx, const struct grievance_step *st)
{
    int *n = ctx;
    *n = st->seq > *n ? st->seq : *n;
    return 0;
}

/* What a claim's audit entry digests: its id, state, outcome and the step. */
static void claim_text(const struct claim *c, const struct claim_step *st, char *out, size_t size)
{
    char day[DATE_TEXT_SIZE] = "";
    if (st->on_date != DATE_NONE)
        date_format(st->on_date, day);
    snprintf(out, size, "claim %lld %s %s %s: %s %s %lld %s %lld; %s -> %s on %s by %s: %s",
             (long long)c->id, c->scheme, c->event_type, c->decision, claim_state_name(c->state),
             c->currency, c->has_amount ? (long long)c->amount : -1LL, c->per, (long long)c->paid,
             claim_state_name(st->from), claim_state_name(st->to), day, st->actor, st->reason);
}

static int claim_valid(const struct claim *c, const struct claim_step *st, struct error *err)
{
    if (c->scheme[0] == '\0' || c->event_type[0] == '\0' || c->event_date == DATE_NONE)
        return error_set(err, SP_BAD_INPUT, "a claim needs its scheme, its event and its date");
    if (claim_state_name(c->state)[0] == '\0' || claim_state_name(st->to)[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a claim needs its state");
    if (st->actor[0] == '\0' || st->at[0] == '\0' || st->on_date == DATE_NONE)
        return error_set(err, SP_BAD_INPUT, "a step of a claim needs who, when and its day");
    return SP_OK;
}

int store_claim_add(struct store *s, struct claim *c, struct claim_step *first, struct error *err)
{
    int64_t serial = 0;
    int rc = can_claim(s, 1, err);
    if (rc == SP_OK)
        rc = claim_valid(c, first, err);
    if (rc == SP_OK && (c->filed_at[0] == '\0' || c->actor[0] == '\0'))
        rc = error_set(err, SP_BAD_INPUT, "a claim needs who filed it and when");
    if (rc == SP_OK)
        rc = numbered_for(s, c->person, "claim_id", &serial, &c->id, err);
    if (rc == SP_OK)
        rc = s->driver->claim_put(s->db, serial, c, 1, err);
    first->claim = c->id;
    first->seq = 1;
    if (rc == SP_OK)
        rc = s->driver->claim_step_add(s->db, serial, first, err);
    char text[CLAIM_FIELDS_SIZE + 1024];
    claim_text(c, first, text, sizeof text);
    size_t n = strlen(text);
    snprintf(text + n, sizeof text - n, "; %s", c->fields);
    return rc == SP_OK ? audit_claim(s, "claim.file", serial, text, err) : rc;
}

int store_claim_change(struct store *s, const struct claim *c, struct claim_step *st,
                       struct error *err)
{
    int rc = can_claim(s, 1, err);
    if (rc == SP_OK)
        rc = claim_valid(c, st, err);
    struct claim stored;
    int64_t serial = 0;
    int found = 0;
    if (rc == SP_OK)
        rc = claim_find(s, c->id, &stored, &serial, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no claim has the number %lld", (long long)c->id);
    int last = 0;
    if (rc == SP_OK)
        rc = s->driver->claim_steps_each(s->db, serial, c->id, count_claim_step, &last, err);
    if (rc == SP_OK)
        rc = s->driver->claim_put(s->db, serial, c, 0, err);
    st->claim = c->id;
    st->seq = last + 1;
    if (rc == SP_OK)
        rc = s->driver->claim_step_add(s->db, serial, st, err);
    char text[1024], action[32];
    claim_text(c, st, text, sizeof text);
    snprintf(action, sizeof action, "claim.%s", claim_state_name(st->to));
    return rc == SP_OK ? audit_claim(s, action, serial, text, err) : rc;
}

int store_claim_get(struct store *s, int64_t id, struct claim *out, int *found, struct error *err)
{
    *found = 0;
    if (!has_claims(s))
        return SP_OK;
    int64_t serial = 0;
    return claim_find(s, id, out, &serial, found, err);
}

/* Gives each stored claim or grievance its person's worker ID. */
struct claim_walk {
    claim_visit_fn visit;
    grievance_visit_fn visit_grievance;
    void *ctx;
};

static int claim_row(void *ctx, int64_t serial, struct claim *c)
{
    struct claim_walk *w = ctx;
    if (worker_id_format(serial, c->person, NULL) != SP_OK)
        return SP_OK; /* a serial no worker ID has: not a person's */
    return w->visit(w->ctx, c);
}

static int grievance_row(void *ctx, int64_t serial, struct grievance *g)
{
    struct claim_walk *w = ctx;
    if (worker_id_format(serial, g->person, NULL) != SP_OK)
        return SP_OK;
    return w->visit_grievance(w->ctx, g);
}

/* The serial of the worker ID `id` (NULL: 0, everyone); -1 for text that is no worker ID. */
static int64_t serial_or_all(const char *id)
{
    if (id == NULL)
        return 0;
    char digits[WORKER_ID_SIZE];
    if (worker_id_parse(id, digits, NULL) != SP_OK)
        return -1;
    return serial_of(digits);
}

int store_claims_each(struct store *s, const char *id, claim_visit_fn visit, void *ctx,
                      struct error *err)
{
    int64_t serial = serial_or_all(id);
    if (!has_claims(s) || serial < 0)
        return SP_OK;
    struct claim_walk w = {visit, NULL, ctx};
    return s->driver->claims_each(s->db, serial, 0, claim_row, &w, err);
}

int store_claim_steps_each(struct store *s, int64_t id, claim_step_visit_fn visit, void *ctx,
                           struct error *err)
{
    if (!has_claims(s))
        return SP_OK;
    struct claim c;
    int64_t serial = 0;
    int found = 0;
    int rc = claim_find(s, id, &c, &serial, &found, err);
    return rc == SP_OK && found ? s->driver->claim_steps_each(s->db, serial, id, visit, ctx, err)
                                : rc;
}

/* Finds a document with a hash among a claim's. */
struct hash_find {
    const char *sha256;
    int found;
};

static int find_hash(void *ctx, const struct claim_evidence *e)
{
    struct hash_find *f = ctx;
    f->found |= strcmp(e->sha256, f->sha256) == 0;
    return 0;
}

int store_claim_evidence_add(struct store *s, const struct claim_evidence *e, int *added,
                             struct error *err)
{
    *added = 0;
    int rc = can_claim(s, 1, err);
    if (rc == SP_OK && (strlen(e->sha256) != 64 || e->file_name[0] == '\0' || e->actor[0] == '\0' ||
                        e->added_at[0] == '\0'))
        rc = error_set(err, SP_BAD_INPUT,
                       "a document needs its SHA-256, its file name, who attached it and when");
    struct claim c;
    int64_t serial = 0;
    int found = 0;
    if (rc == SP_OK)
        rc = claim_find(s, e->claim, &c, &serial, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no claim has the number %lld", (long long)e->claim);
    struct hash_find f = {e->sha256, 0};
    if (rc == SP_OK)
        rc = s->driver->claim_evidence_each(s->db, serial, e->claim, find_hash, &f, err);
    if (rc != SP_OK || f.found)
        return rc;
    rc = s->driver->claim_evidence_add(s->db, serial, e, err);
    char text[512];
    snprintf(text, sizeof text, "claim %lld evidence %s %s", (long long)e->claim, e->sha256,
             e->file_name);
    if (rc == SP_OK)
        rc = audit_claim(s, "claim.evidence", serial, text, err);
    *added = rc == SP_OK;
    return rc;
}

int store_claim_evidence_each(struct store *s, int64_t id, claim_evidence_visit_fn visit, void *ctx,
                              struct error *err)
{
    if (!has_claims(s))
        return SP_OK;
    struct claim c;
    int64_t serial = 0;
    int found = 0;
    int rc = claim_find(s, id, &c, &serial, &found, err);
    return rc == SP_OK && found ? s->driver->claim_evidence_each(s->db, serial, id, visit, ctx, err)
                                : rc;
}

/* What a grievance's audit entry digests. */
static void grievance_text(const struct grievance *g, const struct grievance_step *st, char *out,
                           size_t size)
{
    char on[DATE_TEXT_SIZE] = "", deadline[DATE_TEXT_SIZE] = "";
    if (st->on_date != DATE_NONE)
        date_format(st->on_date, on);
    if (st->deadline != DATE_NONE)
        date_format(st->deadline, deadline);
    snprintf(out, size, "grievance %lld about %s %s: %s; %s at %s on %s, deadline %s, by %s: %s",
             (long long)g->id, grievance_about_name(g->about), g->ref, g->text, st->action,
             st->level, on, deadline, st->actor, st->reason);
}

static int grievance_valid(const struct grievance *g, const struct grievance_step *st,
                           struct error *err)
{
    if (grievance_about_name(g->about)[0] == '\0' || g->text[0] == '\0' || g->level[0] == '\0' ||
        grievance_state_name(g->state)[0] == '\0' || g->opened_on == DATE_NONE ||
        g->level_since == DATE_NONE || g->deadline == DATE_NONE)
        return error_set(err, SP_BAD_INPUT,
                         "a grievance needs what it is about, its text, its level and its dates");
    if (st->action[0] == '\0' || st->actor[0] == '\0' || st->at[0] == '\0' ||
        st->on_date == DATE_NONE)
        return error_set(err, SP_BAD_INPUT, "a step of a grievance needs who, when and its day");
    return SP_OK;
}

int store_grievance_add(struct store *s, struct grievance *g, struct grievance_step *first,
                        struct error *err)
{
    int64_t serial = 0;
    int rc = can_claim(s, 1, err);
    if (rc == SP_OK)
        rc = grievance_valid(g, first, err);
    if (rc == SP_OK && (g->opened_at[0] == '\0' || g->actor[0] == '\0'))
        rc = error_set(err, SP_BAD_INPUT, "a grievance needs who recorded it and when");
    if (rc == SP_OK)
        rc = numbered_for(s, g->person, "grievance_id", &serial, &g->id, err);
    if (rc == SP_OK)
        rc = s->driver->grievance_put(s->db, serial, g, 1, err);
    first->grievance = g->id;
    first->seq = 1;
    if (rc == SP_OK)
        rc = s->driver->grievance_step_add(s->db, serial, first, err);
    char text[1536];
    grievance_text(g, first, text, sizeof text);
    return rc == SP_OK ? audit_claim(s, "grievance.open", serial, text, err) : rc;
}

int store_grievance_change(struct store *s, const struct grievance *g, struct grievance_step *st,
                           struct error *err)
{
    int rc = can_claim(s, 1, err);
    if (rc == SP_OK)
        rc = grievance_valid(g, st, err);
    struct grievance stored;
    int64_t serial = 0;
    int found = 0;
    if (rc == SP_OK)
        rc = grievance_find(s, g->id, &stored, &serial, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no grievance has the number %lld", (long long)g->id);
    int last = 0;
    if (rc == SP_OK)
        rc =
            s->driver->grievance_steps_each(s->db, serial, g->id, count_grievance_step, &last, err);
    if (rc == SP_OK)
        rc = s->driver->grievance_put(s->db, serial, g, 0, err);
    st->grievance = g->id;
    st->seq = last + 1;
    if (rc == SP_OK)
        rc = s->driver->grievance_step_add(s->db, serial, st, err);
    char text[1536], action[32];
    grievance_text(g, st, text, sizeof text);
    snprintf(action, sizeof action, "grievance.%s", st->action);
    return rc == SP_OK ? audit_claim(s, action, serial, text, err) : rc;
}

int store_grievance_get(struct store *s, int64_t id, struct grievance *out, int *found,
                        struct error *err)
{
    *found = 0;
    if (!has_claims(s))
        return SP_OK;
    int64_t serial = 0;
    return grievance_find(s, id, out, &serial, found, err);
}

int store_grievances_each(struct store *s, const char *id, int open_only, grievance_visit_fn visit,
                          void *ctx, struct error *err)
{
    int64_t serial = serial_or_all(id);
    if (!has_claims(s) || serial < 0)
        return SP_OK;
    struct claim_walk w = {NULL, visit, ctx};
    return s->driver->grievances_each(s->db, serial, 0, open_only, grievance_row, &w, err);
}

int store_grievance_steps_each(struct store *s, int64_t id, grievance_step_visit_fn visit,
                               void *ctx, struct error *err)
{
    if (!has_claims(s))
        return SP_OK;
    struct grievance g;
    int64_t serial = 0;
    int found = 0;
    int rc = grievance_find(s, id, &g, &serial, &found, err);
    return rc == SP_OK && found
               ? s->driver->grievance_steps_each(s->db, serial, id, visit, ctx, err)
               : rc;
}

/* ---- payroll ---- */

static int has_payments(const struct store *s)
{
    return s->driver->version >= 11 && s->driver->payment_add != NULL;
}

static int can_pay(struct store *s, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "a payroll write needs a transaction (store_begin)");
    if (!has_payments(s))
        return error_set(err, SP_IO, "this store cannot keep payments");
    return SP_OK;
}

/* Every column of a payment, joined, for its audit entry. */
static void payment_text(const struct payment *p, char *out, size_t size)
{
    struct payment_row_room room;
    const char *texts[PAYMENT_TEXTS];
    payment_row_encode(p, &room, texts);
    size_t n = (size_t)snprintf(out, size, "%s", p->person);
    for (int i = 0; i < PAYMENT_TEXTS && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, "\x1f%s", texts[i]);
}

int store_payment_batch_add(struct store *s, const struct payment_batch *b, struct error *err)
{
    int rc = can_pay(s, err);
    if (rc != SP_OK)
        return rc;
    if (b->id[0] == '\0' || b->scheme[0] == '\0' || b->period[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a payroll batch needs an id, a scheme and a period");
    rc = s->driver->payment_batch_add(s->db, b, err);
    if (rc != SP_OK)
        return rc;
    char as_of[DATE_TEXT_SIZE];
    const char *texts[PAYMENT_BATCH_TEXTS];
    payment_batch_row_encode(b, as_of, texts);
    char text[1024];
    size_t n = 0;
    for (int i = 0; i < PAYMENT_BATCH_TEXTS && n < sizeof text; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\x1f", texts[i]);
    return audit_text(s, "payment_batch.add", b->id, text, err);
}

int store_payment_batches_each(struct store *s, payment_batch_visit_fn visit, void *ctx,
                               struct error *err)
{
    if (!has_payments(s))
        return SP_OK;
    return s->driver->payment_batches_each(s->db, visit, ctx, err);
}

int store_payment_batch_exported(struct store *s, const char *id, const char *at, int32_t day,
                                 int64_t *moved, struct error *err)
{
    *moved = 0;
    int rc = can_pay(s, err);
    int found = 0;
    if (rc == SP_OK)
        rc = s->driver->payment_batch_exported(s->db, id, at, day, &found, moved, err);
    if (rc == SP_OK && !found)
        return error_set(err, SP_BAD_INPUT, "no payroll batch has the id \"%s\"", id);
    char text[128], when[DATE_TEXT_SIZE];
    date_format(day, when);
    snprintf(text, sizeof text, "%s\x1f%s\x1f%lld", at, when, (long long)*moved);
    return rc == SP_OK ? audit_text(s, "payment_batch.export", id, text, err) : rc;
}

int store_payments_add(struct store *s, const struct payment *p, int n, int *added,
                       struct error *err)
{
    int rc = can_pay(s, err);
    if (rc != SP_OK || n <= 0)
        return rc;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        added[i] = 0;
        if (p[i].id[0] == '\0' || p[i].batch[0] == '\0' || p[i].scheme[0] == '\0' ||
            p[i].period[0] == '\0')
            rc = error_set(err, SP_BAD_INPUT,
                           "a payment needs an id, a batch, a scheme and a period");
        else if (p[i].amount <= 0)
            rc = error_set(err, SP_BAD_INPUT, "payment %s of %s: the amount is not above 0",
                           p[i].id, p[i].person);
        else if (p[i].account[0] == '\0')
            rc = error_set(err, SP_BAD_INPUT, "payment %s of %s: no account to pay into", p[i].id,
                           p[i].person);
    }
    int64_t *serials = rc == SP_OK ? sp_malloc((size_t)n * sizeof *serials) : NULL;
    if (rc == SP_OK && serials == NULL)
        rc = error_nomem(err);
    if (rc == SP_OK)
        rc = registered_serials(s, p[0].person, sizeof p[0], n, serials, err);
    struct audit_stream *st = NULL;
    int written = 0;
    char first[WORKER_ID_SIZE] = "", last[WORKER_ID_SIZE] = "", text[2048];
    if (rc == SP_OK && s->driver->version >= 18 && s->driver->payments_add != NULL)
        rc = s->driver->payments_add(s->db, serials, p, n, added, err);
    else
        for (int i = 0; i < n && rc == SP_OK; i++)
            rc = s->driver->payment_add(s->db, serials[i], &p[i], &added[i], err);
    for (int i = 0; i < n && rc == SP_OK; i++) {
        if (!added[i])
            continue;
        if (st == NULL && (st = audit_stream_new()) == NULL) {
            rc = error_nomem(err);
            break;
        }
        payment_text(&p[i], text, sizeof text);
        audit_stream_put(st, text, strlen(text) + 1);
        worker_id_format(serials[i], written++ == 0 ? first : last, NULL);
    }
    sp_free(serials);
    char change[AUDIT_HEX_SIZE], object[AUDIT_OBJECT_SIZE];
    audit_stream_end(st, rc == SP_OK && written > 0 ? change : NULL);
    if (rc != SP_OK || written == 0)
        return rc;
    if (written == 1)
        text_copy(object, sizeof object, first);
    else
        snprintf(object, sizeof object, "%d payments, %s to %s", written, first, last);
    return audit_append(s, "payment.add", object, change, err);
}

int store_payment_add(struct store *s, const struct payment *p, int *added, struct error *err)
{
    return store_payments_add(s, p, 1, added, err);
}

/* Gives each stored payment its person's worker ID. */
struct payment_walk {
    payment_visit_fn visit;
    void *ctx;
};

static int payment_row(void *ctx, int64_t serial, struct payment *p)
{
    struct payment_walk *w = ctx;
    if (worker_id_format(serial, p->person, NULL) != SP_OK)
        return SP_OK; /* a serial no worker ID has: not a person's */
    return w->visit(w->ctx, p);
}

int store_payments_each(struct store *s, const char *batch, const char *person,
                        payment_visit_fn visit, void *ctx, struct error *err)
{
    if (!has_payments(s))
        return SP_OK;
    int64_t serial = 0;
    if (person != NULL) {
        char digits[WORKER_ID_SIZE];
        if (worker_id_parse(person, digits, NULL) != SP_OK)
            return SP_OK; /* nobody's */
        serial = serial_of(digits);
    }
    struct payment_walk w = {visit, ctx};
    return s->driver->payments_each(s->db, batch, serial, payment_row, &w, err);
}

int store_payment_set_state(struct store *s, const struct payment *p, struct error *err)
{
    int64_t serial = 0;
    int rc = can_pay(s, err);
    if (rc == SP_OK)
        rc = registered_serial(s, p->person, "person", &serial, err);
    int found = 0;
    if (rc == SP_OK)
        rc = s->driver->payment_state_set(s->db, serial, p, &found, err);
    if (rc == SP_OK && !found)
        return error_set(err, SP_BAD_INPUT, "%s has no payment %s", p->person, p->id);
    char object[WORKER_ID_SIZE], text[2048];
    if (rc == SP_OK)
        rc = worker_id_format(serial, object, err);
    payment_text(p, text, sizeof text);
    return rc == SP_OK ? audit_text(s, "payment.state", object, text, err) : rc;
}

/* ---- users, tokens and kept replies ---- */

/* SP_OK when the driver keeps users (version 9); else SP_IO saying so. */
static int users_supported(struct store *s, struct error *err)
{
    if (s->driver->version < 12 || s->driver->user_put == NULL)
        return error_set(err, SP_IO, "this store keeps no users");
    return SP_OK;
}

/* users_supported, and an open transaction for `doing`. */
static int users_writable(struct store *s, const char *doing, struct error *err)
{
    int rc = users_supported(s, err);
    if (rc == SP_OK && !s->in_transaction)
        rc = error_set(err, SP_IO, "%s needs a transaction", doing);
    return rc;
}

int store_user_put(struct store *s, const struct store_user *u, int *created, struct error *err)
{
    *created = 0;
    int rc = users_writable(s, "adding a user", err);
    if (rc != SP_OK)
        return rc;
    if (u->name[0] == '\0' || u->role[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a user needs a name and a role");
    rc = s->driver->user_put(s->db, u, created, err);
    char text[STORE_USER_NAME_SIZE + STORE_ROLE_SIZE + 2 * PERSON_PLACE_SIZE + PERSON_ID_SIZE + 8];
    snprintf(text, sizeof text, "%s\n%s\n%s\n%s\n%s", u->name, u->role, u->admin1, u->admin2,
             u->person);
    if (rc == SP_OK)
        rc = audit_text(s, *created ? "user.add" : "user.update", u->name, text, err);
    return rc;
}

int store_user_get(struct store *s, const char *name, struct store_user *out, int *found,
                   struct error *err)
{
    *found = 0;
    int rc = users_supported(s, err);
    return rc != SP_OK ? rc : s->driver->user_get(s->db, name, out, found, err);
}

int store_token_put(struct store *s, const struct store_token *t, struct error *err)
{
    int rc = users_writable(s, "keeping a session", err);
    if (rc != SP_OK)
        return rc;
    struct store_user u;
    int found = 0;
    rc = s->driver->user_get(s->db, t->user, &u, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no user \"%s\" is registered", t->user);
    if (rc == SP_OK)
        rc = s->driver->token_put(s->db, t, err);
    if (rc == SP_OK)
        rc = audit_text(s, strcmp(t->kind, "bearer") == 0 ? "token.issue" : "session.open", t->user,
                        t->hash, err);
    return rc;
}

int store_token_get(struct store *s, const char *hash, struct store_token *out, int *found,
                    struct error *err)
{
    *found = 0;
    int rc = users_supported(s, err);
    return rc != SP_OK ? rc : s->driver->token_get(s->db, hash, out, found, err);
}

int store_token_touch(struct store *s, const char *hash, int64_t seen_at, struct error *err)
{
    int rc = users_writable(s, "recording a session's use", err);
    return rc != SP_OK ? rc : s->driver->token_touch(s->db, hash, seen_at, err);
}

int store_token_delete(struct store *s, const char *hash, struct error *err)
{
    int rc = users_writable(s, "ending a session", err);
    if (rc != SP_OK)
        return rc;
    struct store_token t;
    int found = 0;
    rc = s->driver->token_get(s->db, hash, &t, &found, err);
    if (rc == SP_OK && found)
        rc = s->driver->token_delete(s->db, hash, &found, err);
    if (rc == SP_OK && found)
        rc = audit_text(s, "session.close", t.user, hash, err);
    return rc;
}

int store_tokens_revoke(struct store *s, const char *name, int64_t *n, struct error *err)
{
    *n = 0;
    int rc = users_writable(s, "revoking tokens", err);
    if (rc == SP_OK)
        rc = s->driver->tokens_delete_of(s->db, name, n, err);
    char text[STORE_USER_NAME_SIZE + 24];
    snprintf(text, sizeof text, "%s\n%lld", name, (long long)*n);
    if (rc == SP_OK)
        rc = audit_text(s, "token.revoke", name, text, err);
    return rc;
}

int store_reply_get(struct store *s, const char *user, const char *key, struct store_reply *out,
                    struct buf *body, int *found, struct error *err)
{
    *found = 0;
    int rc = users_supported(s, err);
    return rc != SP_OK ? rc : s->driver->reply_get(s->db, user, key, out, body, found, err);
}

int store_reply_put(struct store *s, const struct store_reply *r, const char *body,
                    struct error *err)
{
    int rc = users_writable(s, "keeping a reply", err);
    if (rc != SP_OK)
        return rc;
    if (strlen(body) > STORE_REPLY_MAX)
        return error_set(err, SP_BAD_INPUT, "a reply to keep is longer than %u bytes",
                         STORE_REPLY_MAX);
    return s->driver->reply_put(s->db, r, body, err);
}

int store_audit_note(struct store *s, const char *action, const char *object, const char *text,
                     struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "noting in the audit log needs a transaction");
    return audit_text(s, action, object, text, err);
}

/* ---- the outreach and advocacy logs ---- */

static int can_log(struct store *s, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "the outreach log is written in a transaction (store_begin)");
    if (s->driver->version < 13 || s->driver->outreach_add == NULL)
        return error_set(err, SP_IO, "this store has no outreach log");
    return SP_OK;
}

int store_outreach_add(struct store *s, struct outreach_activity *a,
                       const struct outreach_participant *parts, int n, struct error *err)
{
    int rc = can_log(s, err);
    if (rc == SP_OK && (a->org[0] == '\0' || a->type == 0 || a->date == DATE_NONE ||
                        a->country[0] == '\0' || a->area[0] == '\0' || a->actor[0] == '\0'))
        rc = error_set(err, SP_BAD_INPUT,
                       "an activity needs its organisation, type, date, country and area");
    int64_t *serials = NULL;
    if (rc == SP_OK && n > 0) {
        serials = sp_calloc((size_t)n, sizeof *serials);
        if (serials == NULL)
            rc = error_nomem(err);
    }
    for (int i = 0; rc == SP_OK && i < n; i++) {
        if (parts[i].person[0] != '\0')
            rc = registered_serial(s, parts[i].person, "participant", &serials[i], err);
        else if (parts[i].count < 1)
            rc = error_set(err, SP_BAD_INPUT, "an anonymous count is 1 or more");
    }
    if (rc == SP_OK)
        rc = s->driver->organisation_put(s->db, a->org, a->network, err);
    if (rc == SP_OK)
        rc = s->driver->counter_next(s->db, "outreach_id", &a->id, err);
    if (rc == SP_OK)
        rc = s->driver->outreach_add(s->db, a, parts, serials, n, err);
    sp_free(serials);
    if (rc != SP_OK)
        return rc;
    struct buf text;
    buf_init(&text, 1u << 20);
    char day[DATE_TEXT_SIZE];
    date_format(a->date, day);
    rc = buf_printf(&text, err, "%s|%s|%s|%d|%s|%s|%s|%s", a->org, a->network, day, a->type,
                    a->country, a->area, a->note, a->recorded_at);
    for (int i = 0; rc == SP_OK && i < n; i++)
        rc = buf_printf(&text, err, "|%s:%d:%d:%lld", parts[i].person, parts[i].sex, parts[i].youth,
                        (long long)parts[i].count);
    char object[32];
    snprintf(object, sizeof object, "outreach:%lld", (long long)a->id);
    if (rc == SP_OK)
        rc = audit_text(s, "outreach.add", object, text.data, err);
    buf_release(&text);
    return rc;
}

/* Gives each stored registry participant their worker ID. */
struct participant_walk {
    outreach_visit_fn visit_activity;
    participant_visit_fn visit;
    void *ctx;
};

static int activity_row(void *ctx, const struct outreach_activity *a)
{
    struct participant_walk *w = ctx;
    return w->visit_activity(w->ctx, a);
}

static int participant_row(void *ctx, int64_t serial, struct outreach_participant *p)
{
    struct participant_walk *w = ctx;
    if (serial > 0 && worker_id_format(serial, p->person, NULL) != SP_OK)
        return SP_OK; /* a serial no worker ID has: not a person's */
    return w->visit(w->ctx, p);
}

int store_outreach_each(struct store *s, outreach_visit_fn visit, participant_visit_fn visit_part,
                        void *ctx, struct error *err)
{
    if (s->driver->version < 13 || s->driver->outreach_each == NULL)
        return SP_OK;
    struct participant_walk w = {visit, visit_part, ctx};
    return s->driver->outreach_each(s->db, activity_row, participant_row, &w, err);
}

int store_advocacy_add(struct store *s, struct advocacy *a, struct error *err)
{
    int rc = can_log(s, err);
    if (rc == SP_OK && (a->title[0] == '\0' || a->country[0] == '\0' || a->status == 0 ||
                        a->date == DATE_NONE || a->actor[0] == '\0'))
        rc = error_set(err, SP_BAD_INPUT, "a proposal needs its title, country, status and date");
    if (rc == SP_OK)
        rc = s->driver->counter_next(s->db, "advocacy_id", &a->id, err);
    if (rc == SP_OK)
        rc = s->driver->advocacy_add(s->db, a, err);
    if (rc != SP_OK)
        return rc;
    char text[2 * OUTREACH_NOTE_SIZE + ADVOCACY_ORGS_SIZE + 256], day[DATE_TEXT_SIZE];
    date_format(a->date, day);
    snprintf(text, sizeof text, "%s|%s|%d|%s|%s|%lld|%lld|%lld|%s|%s", a->title, a->country,
             a->status, day, a->orgs, (long long)a->benefit, (long long)a->benefit_women,
             (long long)a->benefit_young, a->source, a->recorded_at);
    char object[32];
    snprintf(object, sizeof object, "advocacy:%lld", (long long)a->id);
    return audit_text(s, "advocacy.add", object, text, err);
}

int store_advocacy_each(struct store *s, advocacy_visit_fn visit, void *ctx, struct error *err)
{
    if (s->driver->version < 13 || s->driver->advocacy_each == NULL)
        return SP_OK;
    return s->driver->advocacy_each(s->db, visit, ctx, err);
}

/* ---- declared shocks ---- */

struct shock_named {
    const char *name;
    int found;
};

static int shock_name_taken(void *ctx, const struct shock *sh)
{
    struct shock_named *n = ctx;
    n->found |= strcmp(sh->name, n->name) == 0;
    return 0;
}

int store_shock_add(struct store *s, struct shock *sh, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "a shock is declared in a transaction (store_begin)");
    if (s->driver->version < 14 || s->driver->shock_add == NULL)
        return error_set(err, SP_IO, "this store has no shocks");
    if (sh->name[0] == '\0' || sh->country[0] == '\0' || sh->areas[0] == '\0' ||
        sh->from == DATE_NONE || sh->to == DATE_NONE || sh->mode == 0 || sh->scheme[0] == '\0' ||
        sh->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT,
                         "a shock needs its name, country, areas, days, mode, scheme and who "
                         "declares it");
    struct shock_named n = {sh->name, 0};
    int rc = s->driver->shocks_each(s->db, shock_name_taken, &n, err);
    if (rc == SP_OK && n.found)
        rc = error_set(err, SP_CONFLICT, "a shock named \"%s\" is declared already", sh->name);
    if (rc == SP_OK)
        rc = s->driver->counter_next(s->db, "shock_id", &sh->id, err);
    if (rc == SP_OK)
        rc = s->driver->shock_add(s->db, sh, err);
    if (rc != SP_OK)
        return rc;
    char text[SHOCK_AREAS_SIZE + 512], from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE];
    date_format(sh->from, from);
    date_format(sh->to, to);
    snprintf(text, sizeof text, "%s|%s|%s|%s|%s|%s|%s|%lld|%lld|%s|%s", sh->name, sh->country,
             sh->areas, from, to, shock_mode_name(sh->mode), sh->scheme,
             (long long)sh->top_up_amount, (long long)sh->top_up_rate, sh->currency,
             sh->recorded_at);
    char object[32];
    snprintf(object, sizeof object, "shock:%lld", (long long)sh->id);
    return audit_text(s, "shock.declare", object, text, err);
}

int store_shocks_each(struct store *s, shock_visit_fn visit, void *ctx, struct error *err)
{
    if (s->driver->version < 14 || s->driver->shocks_each == NULL)
        return SP_OK;
    return s->driver->shocks_each(s->db, visit, ctx, err);
}

/* ---- outreach cases ---- */

static int can_follow(struct store *s, struct error *err)
{
    if (!s->in_transaction)
        return error_set(err, SP_IO, "cases are written in a transaction (store_begin)");
    if (s->driver->version < 15 || s->driver->case_add == NULL)
        return error_set(err, SP_IO, "this store has no outreach cases");
    return SP_OK;
}

/* SP_BAD_INPUT when c does not hold together. */
static int case_check(const struct outreach_case *c, struct error *err)
{
    if (c->org[0] == '\0' || c->kind == 0 || c->country[0] == '\0' || c->area[0] == '\0' ||
        c->opened == DATE_NONE || c->outcome == 0 || c->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT,
                         "a case needs its organisation, kind, country, area, opening day and "
                         "outcome");
    if ((c->outcome == CASE_PENDING) != (c->decided == DATE_NONE))
        return error_set(err, SP_BAD_INPUT,
                         c->outcome == CASE_PENDING
                             ? "a pending case has no outcome day"
                             : "a case won or lost needs the day it was decided (--date)");
    if (c->decided != DATE_NONE && c->decided < c->opened)
        return error_set(err, SP_BAD_INPUT, "case %lld is decided before it was opened",
                         (long long)c->id);
    if (c->recovered < 0 || (c->recovered > 0 && c->outcome != CASE_WON))
        return error_set(err, SP_BAD_INPUT, "only a case won recovers an amount");
    if ((c->recovered > 0) != (c->currency[0] != '\0'))
        return error_set(err, SP_BAD_INPUT, "an amount recovered is money with its currency");
    return SP_OK;
}

static int case_audit(struct store *s, const char *action, const struct outreach_case *c,
                      struct error *err)
{
    char text[OUTREACH_NOTE_SIZE + OUTREACH_NAME_SIZE + 256], opened[DATE_TEXT_SIZE],
        decided[DATE_TEXT_SIZE] = "";
    date_format(c->opened, opened);
    if (c->decided != DATE_NONE)
        date_format(c->decided, decided);
    snprintf(text, sizeof text, "%s|%d|%lld|%s:%d:%d|%s|%s|%s|%d|%s|%lld %s|%s|%s", c->org, c->kind,
             (long long)c->activity, c->person, c->sex, c->youth, c->country, c->area, opened,
             c->outcome, decided, (long long)c->recovered, c->currency, c->note, c->recorded_at);
    char object[32];
    snprintf(object, sizeof object, "case:%lld", (long long)c->id);
    return audit_text(s, action, object, text, err);
}

int store_case_add(struct store *s, struct outreach_case *c, struct error *err)
{
    int rc = can_follow(s, err);
    if (rc == SP_OK)
        rc = case_check(c, err);
    int64_t serial = 0;
    if (rc == SP_OK && c->person[0] != '\0')
        rc = registered_serial(s, c->person, "claimant", &serial, err);
    if (rc == SP_OK)
        rc = s->driver->organisation_put(s->db, c->org, "", err);
    if (rc == SP_OK)
        rc = s->driver->counter_next(s->db, "case_id", &c->id, err);
    if (rc == SP_OK)
        rc = s->driver->case_add(s->db, c, serial, err);
    return rc == SP_OK ? case_audit(s, "case.add", c, err) : rc;
}

int store_case_update(struct store *s, const struct outreach_case *c, struct error *err)
{
    int rc = can_follow(s, err);
    if (rc == SP_OK)
        rc = case_check(c, err);
    int found = 0;
    if (rc == SP_OK)
        rc = s->driver->case_update(s->db, c, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "there is no case %lld", (long long)c->id);
    return rc == SP_OK ? case_audit(s, "case.update", c, err) : rc;
}

struct case_walk {
    case_visit_fn visit;
    void *ctx;
};

static int case_row(void *ctx, int64_t serial, struct outreach_case *c)
{
    struct case_walk *w = ctx;
    if (serial > 0 && worker_id_format(serial, c->person, NULL) != SP_OK)
        c->person[0] = '\0';
    return w->visit(w->ctx, c);
}

int store_cases_each(struct store *s, case_visit_fn visit, void *ctx, struct error *err)
{
    if (s->driver->version < 15 || s->driver->cases_each == NULL)
        return SP_OK;
    struct case_walk w = {visit, ctx};
    return s->driver->cases_each(s->db, case_row, &w, err);
}
