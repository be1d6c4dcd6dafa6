/*
 * import.c: bulk CSV import of persons, in two streaming passes (see import.h).
 *
 * Turning a header and one record into a person is import_row.c's; this file is the pipeline.
 *
 * Each pass runs as a two-stage pipeline over blocks of rows:
 *   the reader (the calling thread) feeds the file to libcsv; on_field and on_record collect
 *     one record at a time and turn it into a person (parsing and validating every field),
 *     filling the slots of a block;
 *   the writer (a second thread) takes the blocks in order and does what must happen one row
 *     after another: in pass 1 the duplicate checks (hash set, store look-ups), the row flags
 *     and the rejects file; in pass 2 the inserts and the batch commits.
 * Only the writer touches the store, the key set, the rejects file and the summary; the two
 * meet only at the block queue. QUEUE_BLOCKS blocks of BLOCK_ROWS slots are allocated once, so
 * memory does not grow with the file, and no row costs an allocation. If the thread cannot be
 * started the writer's work runs inline.
 *
 * A problem that stops the import (broken CSV, a bad header, a failing store) is recorded once
 * in scan.fatal; both stages then stop at the next row.
 */
#include "ops/import.h"
#include "ops/import_row.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/ids.h"
#include "base/outfile.h"
#include "base/text.h"
#include "store/store.h"

#define CHUNK_SIZE      65536
#define PROGRESS_MASK   16383 /* report progress every 16384 rows */
#define NAME_SHOWN      64    /* bytes of a user's column name repeated in a message */
#define REJECT_LINE_MAX (4 * IMPORT_COLUMNS_MAX * (IMPORT_FIELD_MAX + 4))
#define RECORD_BYTES    (IMPORT_COLUMNS_MAX * (IMPORT_FIELD_MAX + 2))
#define BLOCK_ROWS      256
#define QUEUE_BLOCKS    4
#define BLOCK_TEXT_MAX  ((size_t)BLOCK_ROWS * (RECORD_BYTES + 2 * ERROR_MESSAGE_MAX))
#define READER_SHARE    3 /* pass 1: the reader maps one row in 3, the writer the others */
#define SESSION_SHARE   5 /* an import session when the new rows are >= 1/5 of the registry */

/* Per-row flags kept between the passes, two bits a row. */
enum row_flag {
    ROW_NEW = 0,     /* to be inserted by pass 2 */
    ROW_BAD = 1,     /* rejected by pass 1 */
    ROW_PRESENT = 2, /* already in the store (an earlier run) */
};

/* The fields of the record being read (reused for every record). */
struct record {
    char bytes[RECORD_BYTES];              /* the stored fields, each NUL-terminated */
    size_t used;                           /* bytes in use */
    size_t start[IMPORT_COLUMNS_MAX];      /* offset of each stored field in bytes */
    size_t len[IMPORT_COLUMNS_MAX];        /* length of each stored field */
    const char *value[IMPORT_COLUMNS_MAX]; /* bytes + start[i], set when the record ends */
    int stored;                            /* fields held (at most IMPORT_COLUMNS_MAX) */
    int seen;                              /* fields in the record so far */
};

/* One row handed from the reader to the writer. */
struct slot {
    int64_t row;                     /* the row number in the file */
    int status;                      /* SP_OK, or SP_BAD_INPUT: the reader found it bad */
    int last;                        /* 1: the reader stopped at this row (broken CSV, header) */
    char column[NAME_SHOWN + 1];     /* the column at fault, "" for the whole row */
    size_t reason;                   /* offset in the block's text of the reason (if bad) */
    size_t fields;                   /* offset in the block's text of the raw fields */
    int n_fields;                    /* how many are kept */
    int n_seen;                      /* how many the record had (may be more than kept) */
    int mapped;                      /* 1 once person, status and keys are set */
    uint64_t keys[3];                /* key hashes: national ID, dedup key, id (0: none) */
    char key[PERSON_DEDUP_KEY_SIZE]; /* the dedup key (pass 1) */
    struct person person;            /* the row as a person (status SP_OK) */
};

/* A block of rows; the unit the reader and the writer pass between them. */
struct block {
    int count;                    /* slots filled */
    int last;                     /* 1 for the block that ends the pass */
    struct buf text;              /* reasons and raw fields of the rows */
    struct slot slot[BLOCK_ROWS]; /* the rows */
};

/*
 * The blocks in a ring: the writer works on blocks[head] while `full` > 0, the reader fills
 * blocks[(head + full) % QUEUE_BLOCKS] while full < QUEUE_BLOCKS.
 */
struct queue {
    pthread_mutex_t lock;
    pthread_cond_t changed;             /* full or stopping changed */
    struct block *blocks[QUEUE_BLOCKS]; /* allocated once per import */
    int head;                           /* the block the writer takes next */
    int full;                           /* blocks handed over and not yet done */
    int stopping;                       /* 1 once the import must stop */
    int threaded;                       /* 1 if the writer runs on its own thread */
};

/*
 * A set of 64-bit key hashes, each with the row it was first seen on (open addressing,
 * linear probing, 0 marks an empty slot). Two different keys with the same 64-bit hash would
 * be taken for a duplicate: with n keys the chance is about n*n / 2^65, 1 in 10^5 for ten
 * million rows, and the reject names the earlier row so a person can check.
 */
struct keyset {
    uint64_t *hash; /* cap slots */
    uint32_t *row;  /* the row of each key */
    size_t cap;     /* a power of two, or 0 */
    size_t count;   /* keys held */
};

/* The state of one import across both passes. */
struct scan {
    /* set once */
    struct store *store;              /* NULL: validate only */
    const char *name;                 /* the file name for messages */
    const struct import_options *opt; /* the caller's options */
    int32_t today;                    /* for dates in the future */
    int64_t started_ms;               /* when the import started */
    int pass;                         /* 1 validating, 2 writing */
    /* the reader's */
    int64_t row;                /* rows ended in this pass; the header is row 1 */
    int reader_done;            /* 1 once the reader stopped (the rest is not read) */
    struct csv_parser parser;   /* libcsv state of this pass */
    struct import_columns cols; /* the header, from pass 1 */
    struct block *fill;         /* the block being filled */
    struct record rec;          /* the record being read */
    /* the writer's */
    struct import_summary *sum; /* the caller's summary (rows_read is read-only in pass 2) */
    int check_store;            /* pass 1 looks rows up in the store */
    int64_t stored_before;      /* persons in the store when the import started */
    int64_t version;            /* store_data_version before pass 1 */
    int in_transaction;         /* pass 2 has a batch open */
    int64_t in_batch;           /* inserts in the open batch */
    struct person existing;     /* a person looked up in the store */
    struct keyset keys;         /* national IDs, dedup keys and ids seen so far */
    uint8_t *flags;         /* enum row_flag per data row, 4 rows a byte: written in pass 1, read by
                               the reader in pass 2 */
    size_t flags_size;      /* bytes allocated at flags */
    struct outfile rejects; /* the rejects file, put in place at the end of pass 1 */
    int rejects_open;       /* 1 once rejects is open */
    int input_fd;           /* the input's descriptor (never the rejects file); -1: not a file */
    struct buf line;        /* one rejects line being built */
    struct error first_bad; /* the message of the first bad row */
    /* shared */
    struct queue q;     /* the blocks between reader and writer */
    struct error fatal; /* what stopped the import (under q.lock) */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void import_options_init(struct import_options *o)
{
    o->skip_bad = 0;
    o->batch = IMPORT_BATCH_DEFAULT;
    o->rejects_path = NULL;
    o->today = DATE_NONE;
    o->progress = NULL;
    o->progress_ctx = NULL;
}

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

static void keyset_release(struct keyset *k)
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
            keyset_release(&bigger);
            return error_nomem(err);
        }
        for (size_t i = 0; i < k->cap; i++)
            if (k->hash[i])
                keyset_put(&bigger, k->hash[i], k->row[i]);
        keyset_release(k);
        *k = bigger;
    }
    keyset_put(k, h, row);
    return SP_OK;
}

/* ---- row flags -------------------------------------------------------------------------- */

static int flag_get(const struct scan *sc, int64_t row)
{
    uint64_t i = (uint64_t)(row - 2);
    if (i / 4 >= sc->flags_size)
        return ROW_NEW;
    return (sc->flags[i / 4] >> (2 * (i % 4))) & 3;
}

static int flag_set(struct scan *sc, int64_t row, int flag, struct error *err)
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

/* ---- stopping --------------------------------------------------------------------------- */

static int stopping(struct scan *sc)
{
    return __atomic_load_n(&sc->q.stopping, __ATOMIC_ACQUIRE);
}

/* Stops the import with this status and message; the first stop is the one kept. */
static void stop(struct scan *sc, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void stop(struct scan *sc, int code, const char *fmt, ...)
{
    char message[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&sc->q.lock);
    if (sc->fatal.code == SP_OK)
        error_set(&sc->fatal, code, "%s", message);
    __atomic_store_n(&sc->q.stopping, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&sc->q.changed);
    pthread_mutex_unlock(&sc->q.lock);
}

/* ---- the writer: rejects, duplicates, inserts ------------------------------------------- */

/* Appends s (n bytes) to b as one CSV field, quoted when RFC 4180 needs it. */
static int csv_field_append(struct buf *b, const char *s, size_t n, struct error *err)
{
    int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote)
        return buf_append(b, s, n, err);
    int rc = buf_putc(b, '"', err);
    for (size_t i = 0; i < n && rc == SP_OK; i++) {
        if (s[i] == '"')
            rc = buf_putc(b, '"', err);
        if (rc == SP_OK)
            rc = buf_putc(b, s[i], err);
    }
    return rc == SP_OK ? buf_putc(b, '"', err) : rc;
}

/* Appends a slot's raw fields to out as one CSV record. */
static int fields_append(struct buf *out, const struct block *b, const struct slot *sl,
                         struct error *err)
{
    const char *text = b->text.data + sl->fields;
    const char *bytes = text + (size_t)sl->n_fields * sizeof(uint32_t);
    int rc = SP_OK;
    for (int i = 0; i < sl->n_fields && rc == SP_OK; i++) {
        uint32_t len;
        memcpy(&len, text + (size_t)i * sizeof len, sizeof len);
        if (i > 0)
            rc = buf_putc(out, ',', err);
        if (rc == SP_OK)
            rc = csv_field_append(out, bytes, len, err);
        bytes += len + 1;
    }
    return rc;
}

/* Writes one rejects line: row, column, reason and the record re-encoded as CSV. */
static int rejects_write(struct scan *sc, const struct block *b, const struct slot *sl,
                         const char *column, const char *reason, struct error *err)
{
    const char *path = sc->opt->rejects_path;
    if (path == NULL)
        return SP_OK;
    if (!sc->rejects_open) {
        static const char header[] = "row,column,reason,line\n";
        int rc = outfile_open(&sc->rejects, path, OUTFILE_PRIVATE, sc->input_fd, err);
        sc->rejects_open = rc == SP_OK;
        if (rc == SP_OK)
            rc = outfile_write(&sc->rejects, header, sizeof header - 1, err);
        if (rc != SP_OK) {
            error_prefix(err, "the rejects file");
            return rc;
        }
    }
    struct buf record;
    buf_init(&record, REJECT_LINE_MAX);
    buf_reset(&sc->line);
    int rc = buf_printf(&sc->line, err, "%lld,", (long long)sl->row);
    if (rc == SP_OK)
        rc = csv_field_append(&sc->line, column, strlen(column), err);
    if (rc == SP_OK)
        rc = buf_putc(&sc->line, ',', err);
    if (rc == SP_OK)
        rc = csv_field_append(&sc->line, reason, strlen(reason), err);
    if (rc == SP_OK)
        rc = buf_putc(&sc->line, ',', err);
    if (rc == SP_OK)
        rc = fields_append(&record, b, sl, err);
    if (rc == SP_OK)
        rc = csv_field_append(&sc->line, record.data, record.len, err);
    if (rc == SP_OK)
        rc = buf_putc(&sc->line, '\n', err);
    buf_release(&record);
    if (rc != SP_OK)
        return rc == SP_IO ? rc : error_set(err, SP_IO, "a rejects line is too long");
    rc = outfile_write(&sc->rejects, sc->line.data, sc->line.len, err);
    if (rc != SP_OK)
        error_prefix(err, "the rejects file");
    return rc;
}

/* "name:row N:column C: reason", or "name:row N: reason" when column is "". */
static void row_message(struct error *out, int code, const struct scan *sc, int64_t row,
                        const char *column, const char *reason)
{
    if (column[0])
        error_set(out, code, "%s:row %lld:column %.*s: %s", sc->name, (long long)row, NAME_SHOWN,
                  column, reason);
    else
        error_set(out, code, "%s:row %lld: %s", sc->name, (long long)row, reason);
}

/*
 * Records a row as bad: counts it, keeps the first message, writes the rejects line and flags
 * the row. column may be "" (the whole row).
 */
static void reject(struct scan *sc, const struct block *b, const struct slot *sl,
                   const char *column, const char *reason)
{
    struct import_summary *sum = sc->sum;
    sum->rejected++;
    if (sum->first_bad_row == 0) {
        sum->first_bad_row = sl->row;
        row_message(&sc->first_bad, SP_BAD_INPUT, sc, sl->row, column, reason);
    }
    struct error err;
    error_init(&err);
    if (rejects_write(sc, b, sl, column, reason, &err) != SP_OK ||
        (sl->row >= 2 && flag_set(sc, sl->row, ROW_BAD, &err) != SP_OK))
        stop(sc, err.code, "%s", err.message);
}

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
        if (found && !person_same_facts(p, e)) {
            *column = "national_id";
            return error_set(why, SP_BAD_INPUT,
                             "national ID \"%s\" is already registered to worker %s, with "
                             "other facts",
                             p->national_id, e->id);
        }
        if (found)
            text_copy(match, sizeof match, e->id);
    }
    if (sl->key[0]) {
        int rc = store_person_by_dedup_key(sc->store, sl->key, e, &found, why);
        if (rc != SP_OK)
            return rc == SP_BAD_INPUT ? SP_IO : rc;
        if (found && (!person_same_facts(p, e) || (match[0] && strcmp(match, e->id) != 0)))
            return error_set(why, SP_BAD_INPUT,
                             "a person with the same name, birth date and district is already "
                             "registered as worker %s, with other facts",
                             e->id);
        if (found)
            text_copy(match, sizeof match, e->id);
    }
    if (p->id[0]) {
        int rc = store_person_get(sc->store, p->id, e, &found, why);
        if (rc != SP_OK)
            return rc == SP_BAD_INPUT ? SP_IO : rc;
        if ((found && !person_same_facts(p, e)) || (match[0] && strcmp(match, p->id) != 0)) {
            *column = "id";
            if (found)
                return error_set(why, SP_BAD_INPUT,
                                 "worker %s is already registered, with other facts", p->id);
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

static int map_kept_slot(struct scan *sc, struct block *b, struct slot *sl, struct error *err);

/* Pass 1, in file order: count, reject, check duplicates, flag. */
static void check_row(struct scan *sc, struct block *b, struct slot *sl)
{
    if (!sl->mapped) {
        struct error err;
        error_init(&err);
        if (map_kept_slot(sc, b, sl, &err) != SP_OK) {
            stop(sc, SP_IO, "%s", err.message);
            return;
        }
    }
    if (sl->row >= 2)
        sc->sum->rows_read++;
    if (sl->status != SP_OK) {
        const char *reason = b->text.data + sl->reason;
        reject(sc, b, sl, sl->column, reason);
        if (sl->last) {
            struct error message;
            error_init(&message);
            row_message(&message, SP_BAD_INPUT, sc, sl->row, sl->column, reason);
            stop(sc, SP_BAD_INPUT, "%s", message.message);
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
        stop(sc, rc, "%s:row %lld: %s", sc->name, (long long)sl->row, why.message);
        return;
    }
    if (rc != SP_OK) {
        reject(sc, b, sl, column, why.message);
        return;
    }
    error_init(&why);
    if (remember_keys(sc, sl, &why) != SP_OK ||
        (present && flag_set(sc, sl->row, ROW_PRESENT, &why) != SP_OK)) {
        stop(sc, why.code, "%s", why.message);
        return;
    }
    if (present)
        sc->sum->already_present++;
}

/* Commits the open batch. */
static int commit_batch(struct scan *sc)
{
    struct error why;
    error_init(&why);
    int rc = store_commit(sc->store, &why);
    if (rc != SP_OK) {
        stop(sc, rc, "%s", why.message);
        return rc;
    }
    sc->sum->imported += sc->in_batch; /* only now are they stored */
    sc->in_transaction = 0;
    sc->in_batch = 0;
    return SP_OK;
}

/* Pass 2, in file order: insert; commit every batch. */
static void insert_row(struct scan *sc, struct slot *sl)
{
    struct error why;
    error_init(&why);
    if (!sc->in_transaction) {
        if (store_begin(sc->store, &why) != SP_OK) {
            stop(sc, why.code, "%s", why.message);
            return;
        }
        sc->in_transaction = 1;
    }
    int rc = store_person_insert(sc->store, &sl->person, &why);
    if (rc == SP_CONFLICT) {
        stop(sc, SP_CONFLICT,
             "%s:row %lld: %s: another writer registered this person while the import ran; "
             "run the import again to resume",
             sc->name, (long long)sl->row, why.message);
        return;
    }
    if (rc != SP_OK) {
        stop(sc, rc == SP_BAD_INPUT ? SP_IO : rc, "%s:row %lld: %s", sc->name, (long long)sl->row,
             why.message);
        return;
    }
    if (++sc->in_batch >= sc->opt->batch)
        commit_batch(sc);
}

static void report_progress(struct scan *sc, int64_t row)
{
    if (sc->opt->progress == NULL)
        return;
    struct import_progress progress = {
        .phase = sc->pass == 1 ? IMPORT_VALIDATING : IMPORT_WRITING,
        .rows = row > 1 ? row - 1 : 0,
        .total = sc->pass == 1 ? 0 : sc->sum->rows_read,
        .imported = sc->sum->imported + sc->in_batch,
        .elapsed_ms = now_ms() - sc->started_ms,
    };
    sc->opt->progress(sc->opt->progress_ctx, &progress);
}

static void write_block(struct scan *sc, struct block *b)
{
    for (int i = 0; i < b->count && !stopping(sc); i++) {
        struct slot *sl = &b->slot[i];
        if (sc->pass == 1)
            check_row(sc, b, sl);
        else
            insert_row(sc, sl);
        if ((sl->row & PROGRESS_MASK) == 0)
            report_progress(sc, sl->row);
    }
}

static void *writer_main(void *arg)
{
    struct scan *sc = arg;
    struct queue *q = &sc->q;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->full == 0 && !q->stopping)
            pthread_cond_wait(&q->changed, &q->lock);
        if (q->full == 0) {
            pthread_mutex_unlock(&q->lock);
            break;
        }
        struct block *b = q->blocks[q->head];
        pthread_mutex_unlock(&q->lock);
        write_block(sc, b);
        int last = b->last;
        pthread_mutex_lock(&q->lock);
        q->head = (q->head + 1) % QUEUE_BLOCKS;
        q->full--;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        if (last || stopping(sc))
            break;
    }
    return NULL;
}

/* ---- the reader: records into slots ----------------------------------------------------- */

static void block_reset(struct block *b)
{
    b->count = 0;
    b->last = 0;
    buf_reset(&b->text);
}

/*
 * Hands the block being filled to the writer (last: it ends the pass) and takes the next free
 * one. Returns 0, or -1 when the import is stopping.
 */
static int hand_over(struct scan *sc, int last)
{
    struct queue *q = &sc->q;
    sc->fill->last = last;
    if (!q->threaded) {
        write_block(sc, sc->fill);
        block_reset(sc->fill);
        return stopping(sc) ? -1 : 0;
    }
    pthread_mutex_lock(&q->lock);
    q->full++;
    pthread_cond_broadcast(&q->changed);
    while (q->full == QUEUE_BLOCKS && !q->stopping)
        pthread_cond_wait(&q->changed, &q->lock);
    int stop_now = q->stopping;
    struct block *next = q->blocks[(q->head + q->full) % QUEUE_BLOCKS];
    pthread_mutex_unlock(&q->lock);
    if (stop_now)
        return -1;
    block_reset(next);
    sc->fill = next;
    return 0;
}

/* The next slot to fill, handing the block over when it is full; NULL when stopping. */
static struct slot *next_slot(struct scan *sc)
{
    if (sc->fill->count == BLOCK_ROWS && hand_over(sc, 0) != 0)
        return NULL;
    struct slot *sl = &sc->fill->slot[sc->fill->count++];
    sl->row = sc->row;
    sl->status = SP_OK;
    sl->last = 0;
    sl->column[0] = '\0';
    sl->n_fields = 0;
    sl->keys[0] = sl->keys[1] = sl->keys[2] = 0;
    sl->key[0] = '\0';
    sl->mapped = 0;
    return sl;
}

/*
 * Copies the record's fields into the block's text: the lengths (uint32_t each), then the
 * fields, each NUL-terminated.
 */
static int keep_fields(struct scan *sc, struct slot *sl, struct error *err)
{
    const struct record *r = &sc->rec;
    struct buf *text = &sc->fill->text;
    sl->fields = text->len;
    sl->n_fields = r->stored;
    sl->n_seen = r->seen;
    uint32_t lens[IMPORT_COLUMNS_MAX];
    for (int i = 0; i < r->stored; i++)
        lens[i] = (uint32_t)r->len[i];
    int rc = buf_append(text, lens, (size_t)r->stored * sizeof lens[0], err);
    return rc == SP_OK ? buf_append(text, r->bytes, r->used, err) : rc;
}

/* Marks a slot bad with column and reason (kept in the block's text). */
static int slot_bad(struct block *b, struct slot *sl, const char *column, const char *reason,
                    struct error *err)
{
    sl->status = SP_BAD_INPUT;
    sl->mapped = 1;
    text_copy(sl->column, sizeof sl->column, column ? column : "");
    sl->reason = b->text.len;
    int rc = buf_puts(&b->text, reason, err);
    return rc == SP_OK ? buf_putc(&b->text, '\0', err) : rc;
}

/* Pass 1: the reader cannot go on; the current row is bad and ends the pass. */
static void read_stop(struct scan *sc, const char *column, const char *reason)
{
    sc->reader_done = 1;
    struct slot *sl = next_slot(sc);
    if (sl == NULL)
        return;
    struct error err;
    error_init(&err);
    sl->last = 1;
    if (keep_fields(sc, sl, &err) != SP_OK || slot_bad(sc->fill, sl, column, reason, &err) != SP_OK)
        stop(sc, SP_IO, "%s", err.message);
}

/* Pass 1, row 1: the header. */
static void read_header(struct scan *sc)
{
    const char *column = NULL;
    struct error why;
    error_init(&why);
    if (sc->rec.seen > IMPORT_COLUMNS_MAX) {
        read_stop(sc, NULL,
                  "the header has more columns than the facts vocabulary has fields: is the "
                  "delimiter a comma?");
        return;
    }
    if (import_columns_parse(&sc->cols, sc->rec.seen, sc->rec.value, sc->rec.len, &column, &why) !=
        SP_OK)
        read_stop(sc, column, why.message);
}

/* The key hashes of a mapped row: national ID (per country), dedup key, worker ID. */
static void slot_keys(struct slot *sl)
{
    const struct person *p = &sl->person;
    sl->keys[0] = p->national_id[0] ? key_hash('n', p->country, p->national_id) : 0;
    sl->keys[1] = sl->key[0] ? key_hash('d', sl->key, "") : 0;
    sl->keys[2] = p->id[0] ? key_hash('i', p->id, "") : 0;
}

/*
 * Pass 1: maps a record (count fields, values[i] of lens[i] bytes) into slot sl of block b,
 * validating it. Returns SP_OK (the slot says whether the row is good) or SP_IO.
 */
static int map_slot(struct scan *sc, struct block *b, struct slot *sl, int count,
                    const char *const *values, const size_t *lens, struct error *err)
{
    const char *column = NULL;
    struct error why;
    error_init(&why);
    sl->mapped = 1;
    if (import_row_map(&sc->cols, count, values, lens, sc->today, 1, &sl->person, &column, sl->key,
                       sizeof sl->key, &why) != SP_OK)
        return slot_bad(b, sl, column, why.message, err);
    slot_keys(sl);
    return SP_OK;
}

/* Pass 1, the writer: maps a slot the reader left to it, from the fields in the block. */
static int map_kept_slot(struct scan *sc, struct block *b, struct slot *sl, struct error *err)
{
    const char *values[IMPORT_COLUMNS_MAX];
    size_t lens[IMPORT_COLUMNS_MAX];
    const char *text = b->text.data + sl->fields;
    const char *bytes = text + (size_t)sl->n_fields * sizeof(uint32_t);
    for (int i = 0; i < sl->n_fields; i++) {
        uint32_t len;
        memcpy(&len, text + (size_t)i * sizeof len, sizeof len);
        values[i] = bytes;
        lens[i] = len;
        bytes += len + 1;
    }
    return map_slot(sc, b, sl, sl->n_seen, values, lens, err);
}

/* Pass 1, a data row: keep its fields, and map one row in READER_SHARE here. */
static void read_row(struct scan *sc)
{
    struct slot *sl = next_slot(sc);
    if (sl == NULL)
        return;
    struct error err;
    error_init(&err);
    int rc = keep_fields(sc, sl, &err);
    if (rc == SP_OK && (sc->fill->count - 1) % READER_SHARE == 0)
        rc = map_slot(sc, sc->fill, sl, sc->rec.seen, sc->rec.value, sc->rec.len, &err);
    if (rc != SP_OK)
        stop(sc, SP_IO, "%s", err.message);
}

/* Pass 2, a data row: map it again unless pass 1 flagged it. */
static void reread_row(struct scan *sc)
{
    if (sc->row - 1 > sc->sum->rows_read) {
        stop(sc, SP_IO, "%s changed while it was being imported: run the import again", sc->name);
        return;
    }
    if (flag_get(sc, sc->row) != ROW_NEW)
        return;
    struct slot *sl = next_slot(sc);
    if (sl == NULL)
        return;
    const char *column = NULL;
    struct error why;
    error_init(&why);
    if (import_row_map(&sc->cols, sc->rec.seen, sc->rec.value, sc->rec.len, sc->today, 0,
                       &sl->person, &column, sl->key, sizeof sl->key, &why) != SP_OK)
        stop(sc, SP_IO, "%s changed while it was being imported (row %lld): run the import again",
             sc->name, (long long)sc->row);
}

static void record_reset(struct record *r)
{
    r->used = 0;
    r->stored = 0;
    r->seen = 0;
}

/* Points value[] at the stored fields. */
static void record_finish(struct record *r)
{
    for (int i = 0; i < r->stored; i++)
        r->value[i] = r->bytes + r->start[i];
}

static void on_field(void *bytes, size_t len, void *data)
{
    struct scan *sc = data;
    struct record *r = &sc->rec;
    if (sc->reader_done)
        return;
    r->seen++;
    if (r->stored >= IMPORT_COLUMNS_MAX)
        return;
    /* a field over the limit is kept cut at IMPORT_FIELD_MAX + 1 bytes: the row is refused */
    size_t keep = len > IMPORT_FIELD_MAX ? IMPORT_FIELD_MAX + 1 : len;
    r->start[r->stored] = r->used;
    r->len[r->stored] = keep;
    if (keep)
        memcpy(r->bytes + r->used, bytes, keep);
    r->bytes[r->used + keep] = '\0';
    r->used += keep + 1;
    r->stored++;
}

static void on_record(int terminator, void *data)
{
    (void)terminator;
    struct scan *sc = data;
    if (sc->reader_done || stopping(sc)) {
        sc->reader_done = 1;
        return;
    }
    sc->row++;
    record_finish(&sc->rec);
    if (sc->row > IMPORT_ROWS_MAX)
        stop(sc, SP_BAD_INPUT, "%s: more than %lld rows: split the file", sc->name,
             IMPORT_ROWS_MAX);
    else if (sc->row == 1 && sc->pass == 1)
        read_header(sc);
    else if (sc->row >= 2 && sc->pass == 1)
        read_row(sc);
    else if (sc->row >= 2)
        reread_row(sc);
    record_reset(&sc->rec);
}

/* The name of the column a CSV syntax error happened in, or its number. */
static const char *column_at_error(const struct scan *sc, char *scratch, size_t size)
{
    int i = sc->rec.seen;
    if (sc->row >= 2 && i < sc->cols.count)
        return sc->cols.field[i]->name;
    snprintf(scratch, size, "%d", i + 1);
    return scratch;
}

/*
 * Pass 1: the record being read (the next row) is bad at the current position, and the file
 * cannot be read further; the column is named unless `whole_row`. In pass 2 this can only mean
 * that the file changed between the passes.
 */
static void read_stop_here(struct scan *sc, int whole_row, const char *reason)
{
    if (sc->pass != 1) {
        stop(sc, SP_IO, "%s changed while it was being imported: run the import again", sc->name);
        return;
    }
    char scratch[16];
    sc->row++; /* the broken record is the next row */
    record_finish(&sc->rec);
    read_stop(sc, whole_row ? NULL : column_at_error(sc, scratch, sizeof scratch), reason);
}

/* Reports broken CSV at the current position; `unclosed` for a quote never closed. */
static void csv_broken(struct scan *sc, int unclosed)
{
    int code = csv_error(&sc->parser);
    if (code == CSV_ENOMEM || code == CSV_ETOOBIG) {
        stop(sc, SP_IO, "%s: %s", sc->name, csv_strerror(code));
        return;
    }
    read_stop_here(sc, 0,
                   unclosed ? "a quoted field is never closed: a closing quote is missing, so the "
                              "rest of the file cannot be read"
                            : "a quote inside an unquoted field, or text after a closing quote: "
                              "quote the whole field and double any quote inside it (RFC 4180)");
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* RFC 4180: spaces are part of a field */
}

/*
 * libcsv's parser state between a field's first character and its end (FIELD_BEGUN in
 * libcsv.c, which csv.h does not export). With `quoted` set, the parser is between a field's
 * opening and closing quotes, where a CR is part of the field.
 */
#define LIBCSV_FIELD_BEGUN 2

static int inside_quotes(const struct csv_parser *p)
{
    return p->quoted && p->pstate == LIBCSV_FIELD_BEGUN;
}

/* Feeds n bytes to libcsv. Returns 1 if the pass must stop (broken CSV, or stopped). */
static int feed(struct scan *sc, const char *data, size_t n)
{
    if (n == 0)
        return 0;
    size_t done = csv_parse(&sc->parser, data, n, on_field, on_record, sc);
    if (sc->reader_done || stopping(sc))
        return 1;
    if (done != n) {
        csv_broken(sc, 0);
        return 1;
    }
    return 0;
}

static void refuse_bare_cr(struct scan *sc)
{
    read_stop_here(sc, 0,
                   "a bare CR (an old Mac line ending) ends the line here: save the file with LF "
                   "or CRLF line endings");
}

/*
 * Feeds one chunk of the file to libcsv (offset: the file offset of data[0]), refusing what
 * libcsv would take silently: a NUL byte (the file is binary, not text) and a CR that is not
 * followed by LF outside quotes (docs/import.md allows LF and CRLF line endings only). A CR
 * that ends the chunk is held back in *cr_held until the next byte is known. Returns 1 if the
 * pass must stop.
 */
static int feed_chunk(struct scan *sc, const char *data, size_t n, int64_t offset, int *cr_held)
{
    const char *end = data + n, *p = data;
    const char *nul = memchr(data, '\0', n);
    const char *limit = nul ? nul : end;
    if (*cr_held && n > 0) {
        *cr_held = 0;
        if (data[0] != '\n') {
            refuse_bare_cr(sc);
            return 1;
        }
        if (feed(sc, "\r", 1))
            return 1;
    }
    while (p < limit) {
        const char *cr = memchr(p, '\r', (size_t)(limit - p));
        const char *upto = cr ? cr : limit;
        if (feed(sc, p, (size_t)(upto - p)))
            return 1;
        if (cr == NULL)
            break;
        if (!inside_quotes(&sc->parser)) {
            if (cr + 1 == end) {
                *cr_held = 1;
                return 0;
            }
            if (cr[1] != '\n') {
                refuse_bare_cr(sc);
                return 1;
            }
        }
        if (feed(sc, cr, 1))
            return 1;
        p = cr + 1;
    }
    if (nul != NULL) {
        char reason[96];
        snprintf(reason, sizeof reason,
                 "byte offset %lld is a NUL byte: this is not a CSV text file",
                 (long long)(offset + (nul - data)));
        read_stop_here(sc, 1, reason);
        return 1;
    }
    return 0;
}

/* Feeds the whole file to libcsv (the reader's side of a pass). */
static void read_file(struct scan *sc, FILE *in, char *chunk)
{
    int64_t offset = 0; /* of chunk[0] in the file */
    int cr_held = 0;
    while (!sc->reader_done && !stopping(sc)) {
        size_t n = fread(chunk, 1, CHUNK_SIZE, in);
        if (n == 0)
            break;
        size_t skip = 0;
        if (offset == 0 && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0)
            skip = 3; /* a UTF-8 byte order mark, as spreadsheets write */
        int stopped = feed_chunk(sc, chunk + skip, n - skip, offset + (int64_t)skip, &cr_held);
        offset += (int64_t)n;
        if (stopped)
            return;
        if (sc->parser.entry_pos > IMPORT_FIELD_HARD) {
            read_stop_here(sc, 0,
                           sc->parser.quoted
                               ? "is longer than 1 MiB: is a closing quote missing?"
                               : "is longer than 1 MiB, with no comma or line break: is this a "
                                 "CSV text file?");
            return;
        }
    }
    if (stopping(sc) || sc->reader_done)
        return;
    if (ferror(in)) {
        stop(sc, SP_IO, "%s: cannot read: %s", sc->name, strerror(errno));
        return;
    }
    if (cr_held) {
        refuse_bare_cr(sc);
        return;
    }
    if (csv_fini(&sc->parser, on_field, on_record, sc) != 0) {
        csv_broken(sc, 1);
        return;
    }
    if (sc->row == 0 && sc->pass == 1) {
        sc->row = 1;
        read_stop(sc, NULL, "the file is empty: the first row must name the columns");
    } else if (sc->pass == 2 && sc->row - 1 != sc->sum->rows_read) {
        stop(sc, SP_IO, "%s changed while it was being imported: run the import again", sc->name);
    }
}

/* Reads the whole file once, the writer following. Returns the stopping status, or SP_OK. */
static int run_pass(struct scan *sc, FILE *in, char *chunk, int pass)
{
    sc->pass = pass;
    sc->row = 0;
    sc->reader_done = 0;
    record_reset(&sc->rec);
    sc->q.head = 0;
    sc->q.full = 0;
    sc->fill = sc->q.blocks[0];
    block_reset(sc->fill);
    if (csv_init(&sc->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        stop(sc, SP_IO, "out of memory");
        return SP_IO;
    }
    csv_set_space_func(&sc->parser, no_space);
    csv_set_realloc_func(&sc->parser, sp_realloc);
    csv_set_free_func(&sc->parser, sp_free);
    pthread_t writer;
    sc->q.threaded = pthread_create(&writer, NULL, writer_main, sc) == 0;

    read_file(sc, in, chunk);
    if (!stopping(sc))
        hand_over(sc, 1);
    if (sc->q.threaded)
        pthread_join(writer, NULL);
    csv_free(&sc->parser);
    if (sc->fatal.code == SP_OK)
        report_progress(sc, sc->row);
    return sc->fatal.code;
}

/* Pass 1, with the store's view held steady while rows are looked up. */
static int validate_pass(struct scan *sc, FILE *in, char *chunk)
{
    if (sc->store) {
        int64_t count = 0;
        struct error err;
        error_init(&err);
        if (store_data_version(sc->store, &sc->version, &err) != SP_OK ||
            store_person_count(sc->store, &count, &err) != SP_OK ||
            (count > 0 && store_begin(sc->store, &err) != SP_OK)) {
            stop(sc, err.code, "%s", err.message);
            return err.code;
        }
        sc->check_store = count > 0;
        sc->stored_before = count;
    }
    int rc = run_pass(sc, in, chunk, 1);
    if (sc->check_store)
        store_rollback(sc->store);
    /*
     * Whether or not the import goes on, the rows found bad are the user's list of what to
     * fix: the file is put in place, whole. If writing it failed, the commit fails too and
     * leaves any older rejects file as it was.
     */
    if (sc->rejects_open) {
        struct error why;
        error_init(&why);
        sc->rejects_open = 0;
        if (outfile_commit(&sc->rejects, &why) == SP_OK) {
            sc->sum->rejects_written = 1;
        } else if (rc == SP_OK) {
            stop(sc, SP_IO, "the rejects file: %s", why.message);
            rc = SP_IO;
        }
    }
    return rc;
}

/*
 * 1 if pass 2 should run in an import session (store_import_begin): when the new rows are at
 * least 1/SESSION_SHARE of the registry, recreating its indexes once costs less than keeping
 * them up to date.
 */
static int wants_session(const struct scan *sc)
{
    const struct import_summary *sum = sc->sum;
    int64_t new_rows = sum->rows_read - sum->rejected - sum->already_present;
    return new_rows > 0 && new_rows * SESSION_SHARE >= sc->stored_before;
}

/* Pass 2: insert the new rows in batches, in an import session when it pays. */
static int write_pass(struct scan *sc, FILE *in, char *chunk)
{
    if (fseek(in, 0, SEEK_SET) != 0) {
        stop(sc, SP_IO, "%s: cannot read it again: %s", sc->name, strerror(errno));
        return SP_IO;
    }
    clearerr(in);
    struct error why;
    error_init(&why);
    sc->sum->to_import = sc->sum->rows_read - sc->sum->rejected - sc->sum->already_present;
    int session = wants_session(sc);
    int rc = session ? store_import_begin(sc->store, sc->version, &why) : SP_OK;
    if (rc == SP_CONFLICT) {
        session = 0; /* the registry changed since pass 1: every insert is checked instead */
    } else if (rc != SP_OK) {
        stop(sc, rc, "%s", why.message);
        return rc;
    }
    error_init(&why);
    rc = run_pass(sc, in, chunk, 2);
    if (rc == SP_OK && sc->in_transaction)
        rc = commit_batch(sc);
    if (sc->in_transaction)
        store_rollback(sc->store);
    sc->in_transaction = 0;
    sc->in_batch = 0;
    /* even after a failure: the indexes come back now rather than at the next open */
    if (session && store_import_end(sc->store, &why) != SP_OK) {
        stop(sc, why.code, "%s: %s", sc->name, why.message);
        if (rc == SP_OK)
            rc = why.code;
    }
    return rc;
}

static void scan_free(struct scan *sc)
{
    if (sc == NULL)
        return;
    for (int i = 0; i < QUEUE_BLOCKS; i++) {
        if (sc->q.blocks[i])
            buf_release(&sc->q.blocks[i]->text);
        sp_free(sc->q.blocks[i]);
    }
    pthread_cond_destroy(&sc->q.changed);
    pthread_mutex_destroy(&sc->q.lock);
    keyset_release(&sc->keys);
    outfile_abort(&sc->rejects);
    sp_free(sc->flags);
    buf_release(&sc->line);
    sp_free(sc);
}

/* A scan with its blocks, or NULL when out of memory. */
static struct scan *scan_new(void)
{
    struct scan *sc = sp_calloc(1, sizeof *sc);
    if (sc == NULL)
        return NULL;
    pthread_mutex_init(&sc->q.lock, NULL);
    pthread_cond_init(&sc->q.changed, NULL);
    buf_init(&sc->line, REJECT_LINE_MAX);
    outfile_init(&sc->rejects);
    sc->input_fd = -1;
    error_init(&sc->first_bad);
    error_init(&sc->fatal);
    for (int i = 0; i < QUEUE_BLOCKS; i++) {
        sc->q.blocks[i] = sp_malloc(sizeof *sc->q.blocks[i]);
        if (sc->q.blocks[i] == NULL) {
            scan_free(sc);
            return NULL;
        }
        buf_init(&sc->q.blocks[i]->text, BLOCK_TEXT_MAX);
        block_reset(sc->q.blocks[i]);
    }
    return sc;
}

int import_persons_stream(struct store *s, FILE *in, const char *name,
                          const struct import_options *opt, struct import_summary *out,
                          struct error *err)
{
    memset(out, 0, sizeof *out);
    int64_t started = now_ms();
    if (opt->batch < 1 || opt->batch > IMPORT_BATCH_MAX)
        return error_set(err, SP_USAGE, "the batch size must be 1 to %d", IMPORT_BATCH_MAX);
    /* a rejects path that is the input or a link is refused before the file is read */
    int refused = opt->rejects_path ? outfile_check(opt->rejects_path, fileno(in), err) : SP_OK;
    if (refused != SP_OK) {
        error_prefix(err, "the rejects file");
        return refused;
    }
    struct scan *sc = scan_new();
    char *chunk = sp_malloc(CHUNK_SIZE);
    if (sc == NULL || chunk == NULL) {
        scan_free(sc);
        sp_free(chunk);
        return error_nomem(err);
    }
    sc->store = s;
    sc->input_fd = fileno(in);
    sc->name = name;
    sc->opt = opt;
    sc->today = opt->today == DATE_NONE ? date_today() : opt->today;
    sc->started_ms = started;
    sc->sum = out;

    int rc = validate_pass(sc, in, chunk);
    if (rc == SP_OK && out->rejected > 0 && !opt->skip_bad)
        rc = error_set(err, SP_BAD_INPUT, "%s", sc->first_bad.message);
    else if (rc == SP_OK && s != NULL)
        rc = write_pass(sc, in, chunk);
    /* broken CSV after bad rows: the message still names the first bad row */
    if (rc == SP_BAD_INPUT && sc->first_bad.code != SP_OK)
        error_set(err, rc, "%s", sc->first_bad.message);
    if (rc != SP_OK)
        error_set(err, rc, "%s", sc->fatal.message);

    out->elapsed_ms = now_ms() - started;
    scan_free(sc);
    sp_free(chunk);
    return rc;
}

int import_persons_csv(struct store *s, const char *path, const struct import_options *opt,
                       struct import_summary *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return error_set(err, SP_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(in);
        return error_set(err, SP_BAD_INPUT,
                         "%s: is not a regular file (a device, pipe or folder): an import reads "
                         "its file twice, so give the path of a CSV file",
                         path);
    }
    int rc = import_persons_stream(s, in, path, opt, out, err);
    fclose(in);
    return rc;
}
