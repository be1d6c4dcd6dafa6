/*
 * import_check.c: the writer's per-row work in the CSV import (import_impl.h): in pass 1 the
 * duplicates within the file (a set of key hashes) and against the store, and the row flags
 * kept for pass 2; in pass 2 the inserts and the batch commits.
 */
#include "ops/import_impl.h"

#include <string.h>

#include "base/alloc.h"
#include "base/text.h"
#include "store/store.h"

#define PROGRESS_MASK 16383 /* report progress every 16384 rows */

/* ---- the duplicate key set -------------------------------------------------------------- */

/* FNV-1a over a tag and two strings, then the splitmix64 finaliser; never 0. */
static uint64_t key_hash(char tag, const char *a, const char *b)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = (h ^ (unsigned char)tag) * 0x100000001b3ULL;
    for (const unsigned char *s = (const unsigned char *)a; *s; s++)
        h = (h ^ *s) * 0x100000001b3ULL;
    h = (h ^ 0xff) * 0x100000001b3ULL;
    for (const unsigned char *s = (const unsigned char *)b; *s; s++)
        h = (h ^ *s) * 0x100000001b3ULL;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h ? h : 1;
}

void import_keyset_release(struct keyset *k)
{
    sp_free(k->hash);
    sp_free(k->row);
    memset(k, 0, sizeof *k);
}

/* The row a key was first seen on, or 0 if it is new. */
static uint32_t keyset_find(const struct keyset *k, uint64_t h)
{
    if (k->cap == 0)
        return 0;
    size_t mask = k->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (k->hash[i] == h)
            return k->row[i];
        if (k->hash[i] == 0)
            return 0;
    }
}

static void keyset_put(struct keyset *k, uint64_t h, uint32_t row)
{
    size_t mask = k->cap - 1;
    size_t i = h & mask;
    while (k->hash[i] != 0 && k->hash[i] != h)
        i = (i + 1) & mask;
    if (k->hash[i] == 0)
        k->count++;
    k->hash[i] = h;
    k->row[i] = row;
}

/* Adds a key (kept at most 3/4 full). Returns SP_OK or SP_IO when out of memory. */
static int keyset_add(struct keyset *k, uint64_t h, uint32_t row, struct error *err)
{
    if ((k->count + 1) * 4 > k->cap * 3) {
        size_t cap = k->cap ? k->cap * 2 : 4096;
        struct keyset bigger = {sp_calloc(cap, sizeof(uint64_t)), sp_calloc(cap, sizeof(uint32_t)),
                                cap, 0};
        if (bigger.hash == NULL || bigger.row == NULL) {
            import_keyset_release(&bigger);
            return error_nomem(err);
        }
        for (size_t i = 0; i < k->cap; i++)
            if (k->hash[i])
                keyset_put(&bigger, k->hash[i], k->row[i]);
        import_keyset_release(k);
        *k = bigger;
    }
    keyset_put(k, h, row);
    return SP_OK;
}

void import_slot_keys(struct slot *sl)
{
    const struct person *p = &sl->person;
    sl->keys[0] = p->national_id[0] ? key_hash('n', p->country, p->national_id) : 0;
    sl->keys[1] = sl->key[0] ? key_hash('d', sl->key, "") : 0;
    sl->keys[2] = p->id[0] ? key_hash('i', p->id, "") : 0;
}

/* ---- row flags -------------------------------------------------------------------------- */

int import_flag_get(const struct scan *sc, int64_t row)
{
    uint64_t i = (uint64_t)(row - 2);
    if (i / 4 >= sc->flags_size)
        return ROW_NEW;
    return (sc->flags[i / 4] >> (2 * (i % 4))) & 3;
}

int import_flag_set(struct scan *sc, int64_t row, int flag, struct error *err)
{
    uint64_t i = (uint64_t)(row - 2);
    if (i / 4 >= sc->flags_size) {
        size_t size = sc->flags_size ? sc->flags_size * 2 : 65536;
        while (i / 4 >= size)
            size *= 2;
        uint8_t *flags = sp_realloc(sc->flags, size);
        if (flags == NULL)
            return error_nomem(err);
        memset(flags + sc->flags_size, 0, size - sc->flags_size);
        sc->flags = flags;
        sc->flags_size = size;
    }
    sc->flags[i / 4] |= (uint8_t)(flag << (2 * (i % 4)));
    return SP_OK;
}

/* ---- duplicates in the file and in the store -------------------------------------------- */

/* SP_OK if no key of this row appeared on an earlier good row, else SP_BAD_INPUT. */
static int check_file_duplicates(struct scan *sc, const struct slot *sl, const char **column,
                                 struct error *why)
{
    const struct person *p = &sl->person;
    uint32_t first = sl->keys[0] ? keyset_find(&sc->keys, sl->keys[0]) : 0;
    if (first) {
        *column = "national_id";
        return error_set(why, SP_BAD_INPUT,
                         "national ID \"%s\" appears twice in the file: first on row %u",
                         p->national_id, first);
    }
    first = sl->keys[1] ? keyset_find(&sc->keys, sl->keys[1]) : 0;
    if (first)
        return error_set(why, SP_BAD_INPUT,
                         "the same person appears twice in the file: same name, birth date and "
                         "district as row %u",
                         first);
    first = sl->keys[2] ? keyset_find(&sc->keys, sl->keys[2]) : 0;
    if (first) {
        *column = "id";
        return error_set(why, SP_BAD_INPUT, "id %s appears twice in the file: first on row %u",
                         p->id, first);
    }
    return SP_OK;
}

static int remember_keys(struct scan *sc, const struct slot *sl, struct error *err)
{
    for (int i = 0; i < 3; i++) {
        if (sl->keys[i] == 0)
            continue;
        int rc = keyset_add(&sc->keys, sl->keys[i], (uint32_t)sl->row, err);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

/*
 * Looks the row up in the store by national ID, dedup key and worker ID. *present is 1 when it
 * is a person already registered with the same facts (an earlier run of this import).
 * Returns SP_OK, SP_BAD_INPUT (a different person holds a key: the row is a duplicate) or
 * SP_IO.
 */
static int check_store(struct scan *sc, const struct slot *sl, int *present, const char **column,
                       struct error *why)
{
    const struct person *p = &sl->person;
    struct person *e = &sc->existing;
    char match[PERSON_ID_SIZE] = "";
    int found = 0;
    *present = 0;
    if (p->national_id[0]) {
        int rc = store_person_by_national_id(sc->store, p->country, p->national_id, e, &found, why);
        if (rc != SP_OK)
            return rc == SP_BAD_INPUT ? SP_IO : rc;
        const char *differs = found ? person_first_difference(p, e) : NULL;
        if (differs != NULL) {
            *column = "national_id";
            return error_set(why, SP_BAD_INPUT,
                             "national ID \"%s\" is already registered to worker %s, with "
                             "other facts: %s differs",
                             p->national_id, e->id, differs);
        }
        if (found)
            text_copy(match, sizeof match, e->id);
    }
    if (sl->key[0]) {
        int rc = store_person_by_dedup_key(sc->store, sl->key, e, &found, why);
        if (rc != SP_OK)
            return rc == SP_BAD_INPUT ? SP_IO : rc;
        const char *differs = found ? person_first_difference(p, e) : NULL;
        if (differs != NULL)
            return error_set(why, SP_BAD_INPUT,
                             "a person with the same name, birth date and district is already "
                             "registered as worker %s, with other facts: %s differs",
                             e->id, differs);
        if (found && match[0] && strcmp(match, e->id) != 0)
            return error_set(why, SP_BAD_INPUT,
                             "this row's national ID belongs to worker %s, but a person with the "
                             "same name, birth date and district is worker %s",
                             match, e->id);
        if (found)
            text_copy(match, sizeof match, e->id);
    }
    if (p->id[0]) {
        int rc = store_person_get(sc->store, p->id, e, &found, why);
        if (rc != SP_OK)
            return rc == SP_BAD_INPUT ? SP_IO : rc;
        const char *differs = found ? person_first_difference(p, e) : NULL;
        if (differs != NULL || (match[0] && strcmp(match, p->id) != 0)) {
            *column = "id";
            if (differs != NULL)
                return error_set(why, SP_BAD_INPUT,
                                 "worker %s is already registered, with other facts: %s differs",
                                 p->id, differs);
            return error_set(why, SP_BAD_INPUT,
                             "this person is already registered as worker %s, not %s", match,
                             p->id);
        }
        if (found)
            text_copy(match, sizeof match, e->id);
    }
    *present = match[0] != '\0';
    return SP_OK;
}

/* ---- the writer's work on a row --------------------------------------------------------- */

/* Pass 1, in file order: count, reject, check duplicates, flag. */
static void check_row(struct scan *sc, struct block *b, struct slot *sl)
{
    if (!sl->mapped) {
        struct error err;
        error_init(&err);
        if (import_map_kept_slot(sc, b, sl, &err) != SP_OK) {
            import_stop(sc, SP_IO, "%s", err.message);
            return;
        }
    }
    if (sl->row >= 2)
        sc->sum->rows_read++;
    if (sl->status != SP_OK) {
        const char *reason = b->text.data + sl->reason;
        import_reject(sc, b, sl, sl->column, reason);
        if (sl->last) {
            struct error message;
            error_init(&message);
            import_bad_row_message(&message, SP_BAD_INPUT, sc, sl->row, sl->column, reason);
            import_stop(sc, SP_BAD_INPUT, "%s", message.message);
        }
        return;
    }
    const char *column = "";
    struct error why;
    error_init(&why);
    int rc = check_file_duplicates(sc, sl, &column, &why);
    int present = 0;
    if (rc == SP_OK && sc->check_store)
        rc = check_store(sc, sl, &present, &column, &why);
    if (rc != SP_OK && rc != SP_BAD_INPUT) {
        import_stop(sc, rc, "%s:row %lld: %s", sc->name, (long long)sl->row, why.message);
        return;
    }
    if (rc != SP_OK) {
        import_reject(sc, b, sl, column, why.message);
        return;
    }
    error_init(&why);
    if (remember_keys(sc, sl, &why) != SP_OK ||
        (present && import_flag_set(sc, sl->row, ROW_PRESENT, &why) != SP_OK)) {
        import_stop(sc, why.code, "%s", why.message);
        return;
    }
    if (present)
        sc->sum->already_present++;
    if (sl->maybe_bs && !present && sc->sum->maybe_bs++ == 0)
        sc->sum->first_maybe_bs_row = sl->row;
}

int import_commit_batch(struct scan *sc)
{
    struct error why;
    error_init(&why);
    int rc = store_commit(sc->store, &why);
    if (rc != SP_OK) {
        import_stop(sc, rc, "%s", why.message);
        return rc;
    }
    sc->sum->imported += sc->in_batch; /* only now are they stored */
    sc->in_transaction = 0;
    sc->in_batch = 0;
    return SP_OK;
}

/* Stops the import after the store refused the row at `row` (store_person_insert_many). */
static void insert_failed(struct scan *sc, int64_t row, int rc, const struct error *why)
{
    sc->raced = rc == SP_CONFLICT || store_retryable(sc->store);
    if (rc == SP_CONFLICT)
        import_stop(sc, SP_CONFLICT,
                    "%s:row %lld: %s: another writer registered this person while the import ran; "
                    "run the import again to resume",
                    sc->name, (long long)row, why->message);
    else
        import_stop(sc, rc == SP_BAD_INPUT ? SP_IO : rc, "%s:row %lld: %s", sc->name,
                    (long long)row, why->message);
}

int import_flush_group(struct scan *sc)
{
    int n = sc->group_count;
    if (n == 0 || import_stopping(sc))
        return sc->fatal.code;
    struct error why;
    error_init(&why);
    if (!sc->in_transaction) {
        if (store_begin(sc->store, &why) != SP_OK) {
            import_stop(sc, why.code, "%s", why.message);
            return why.code;
        }
        sc->in_transaction = 1;
    }
    int failed = -1;
    int rc = store_person_insert_many(sc->store, sc->group, n, &failed, &why);
    if (rc != SP_OK) {
        insert_failed(sc, sc->group_row[failed > 0 ? failed : 0], rc, &why);
        return rc;
    }
    sc->group_count = 0;
    sc->in_batch += n;
    for (int k = 0; k < n; k++)
        if ((sc->group_row[k] & PROGRESS_MASK) == 0)
            import_report_progress(sc, sc->group_row[k]);
    if (sc->in_batch >= sc->opt->batch)
        return import_commit_batch(sc);
    return SP_OK;
}

/*
 * Pass 2, a block in file order: adds its rows to the group, which goes to the store
 * (store_person_insert_many) when full, when it completes a batch, and at the end of the
 * block; every batch is committed. Only a store that writes groups in few round trips
 * (store_inserts_in_groups) gets groups that span blocks: the rows are then copied out of the
 * block, which the reader refills; otherwise the group points into the block.
 */
static void insert_rows(struct scan *sc, struct block *b)
{
    for (int i = 0; i < b->count && !import_stopping(sc); i++) {
        struct person *p = &b->slot[i].person;
        if (sc->group_copy != NULL) {
            sc->group_copy[sc->group_count] = *p;
            p = &sc->group_copy[sc->group_count];
        }
        sc->group[sc->group_count] = p;
        sc->group_row[sc->group_count] = b->slot[i].row;
        sc->group_count++;
        if (sc->group_count == GROUP_ROWS || sc->in_batch + sc->group_count >= sc->opt->batch)
            import_flush_group(sc);
    }
    if (b->last || sc->group_copy == NULL)
        import_flush_group(sc);
}

void import_write_block(struct scan *sc, struct block *b)
{
    if (sc->pass == 2) {
        insert_rows(sc, b);
        return;
    }
    for (int i = 0; i < b->count && !import_stopping(sc); i++) {
        struct slot *sl = &b->slot[i];
        check_row(sc, b, sl);
        if ((sl->row & PROGRESS_MASK) == 0)
            import_report_progress(sc, sl->row);
    }
}
