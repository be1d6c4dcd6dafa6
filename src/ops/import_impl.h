/*
 * import_impl.h: the state the files of the CSV import share (internal to src/ops/import*.c;
 * import.h has the public functions).
 *
 * The import is split by job:
 *   import.c         the pipeline: the block queue and the writer's thread, stopping, the two
 *                    passes (and the import session of pass 2), progress, scan_new/scan_free
 *                    and the public entry points import_persons_stream/csv;
 *   import_read.c    the reader: feeds the file to libcsv, refusing the bytes libcsv would take
 *                    silently (a bare CR, a NUL byte), and turns the records into the slots of
 *                    a block (the header in pass 1, mapping one row in READER_SHARE);
 *   import_check.c   the writer's per-row work: duplicates in the file (the key set) and
 *                    against the store, the row flags kept between the passes, and the inserts
 *                    and batch commits of pass 2;
 *   import_rejects.c a bad row: its count and first message, and its line in the rejects file
 *                    (written through base/outfile.h and put in place at the end of pass 1);
 *   import_row.c     the header and one record into a person (import_row.h).
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
 * in scan.fatal (import_stop); both stages then stop at the next row.
 */
#ifndef SPFLOOR_OPS_IMPORT_IMPL_H
#define SPFLOOR_OPS_IMPORT_IMPL_H

#include <csv.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/outfile.h"
#include "model/person.h"
#include "ops/import.h"

#define CHUNK_SIZE      65536
#define NAME_SHOWN      64 /* bytes of a user's column name repeated in a message */
#define REJECT_LINE_MAX (4 * IMPORT_COLUMNS_MAX * (IMPORT_FIELD_MAX + 4))
#define RECORD_BYTES    (IMPORT_COLUMNS_MAX * (IMPORT_FIELD_MAX + 2))
#define BLOCK_ROWS      256
#define QUEUE_BLOCKS    4
#define BLOCK_TEXT_MAX  ((size_t)BLOCK_ROWS * (RECORD_BYTES + 2 * ERROR_MESSAGE_MAX))
#define GROUP_ROWS      4096 /* rows pass 2 hands to the store at once (store_person_insert_many) */

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
    int maybe_bs;                    /* 1: its birth date may be BS read as Gregorian */
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
    int raced;                  /* 1 if pass 2 stopped because another writer stored a clashing
                                   person, or the store said to try again */
    int64_t version;            /* store_data_version before pass 1 */
    int in_transaction;         /* pass 2 has a batch open */
    int64_t in_batch;           /* inserts in the open batch */
    struct person **group;      /* pass 2: rows waiting to be inserted (GROUP_ROWS) */
    struct person *group_copy;  /* their copies when groups span blocks, else NULL */
    int64_t *group_row;         /* the row number of each */
    int group_count;            /* rows waiting */
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

/* ---- import.c: the pipeline ------------------------------------------------------------- */

/* 1 once the import must stop (any thread; no lock taken). */
int import_stopping(struct scan *sc);

/*
 * Stops the import with this status and message; the first stop is the one kept. Wakes both
 * stages; any thread may call it.
 */
void import_stop(struct scan *sc, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Calls the caller's progress function (if any) for the current pass, at `row`. */
void import_report_progress(struct scan *sc, int64_t row);

/*
 * The reader: hands the block being filled to the writer (last: it ends the pass) and takes
 * the next free one (sc->fill). Without a writer thread the block is written here. Returns 0,
 * or -1 when the import is stopping.
 */
int import_hand_over(struct scan *sc, int last);

/* ---- import_read.c: the reader ---------------------------------------------------------- */

/*
 * Sets up the reader for a pass: an empty record and a fresh libcsv parser. Returns SP_OK, or
 * SP_IO when out of memory (the import is then stopped, and import_read_end must not be
 * called).
 */
int import_read_begin(struct scan *sc);

/*
 * Feeds the whole file to libcsv (the reader's side of a pass), filling blocks and handing
 * them over as they fill; the last block is left to the caller. A problem is recorded with
 * import_stop, or in pass 1 as a bad last row.
 */
void import_read_file(struct scan *sc, FILE *in, char *chunk);

/* Frees the libcsv parser of the pass. */
void import_read_end(struct scan *sc);

/*
 * Pass 1, the writer: maps a slot the reader left to it, from the fields in the block.
 * Returns SP_OK (the slot says whether the row is good) or SP_IO.
 */
int import_map_kept_slot(struct scan *sc, struct block *b, struct slot *sl, struct error *err);

/* ---- import_check.c: the writer's per-row work ------------------------------------------ */

/* Sets sl->keys, the key hashes of a mapped row: national ID (per country), dedup key, ID. */
void import_slot_keys(struct slot *sl);

/* Frees the key set's tables and empties it. */
void import_keyset_release(struct keyset *k);

/* The enum row_flag of a data row (ROW_NEW for a row pass 1 did not flag). */
int import_flag_get(const struct scan *sc, int64_t row);

/* Adds a flag to a data row. Returns SP_OK, or SP_IO when out of memory. */
int import_flag_set(struct scan *sc, int64_t row, int flag, struct error *err);

/*
 * Does the writer's work on every row of a block, in order: pass 1 checks the rows, pass 2
 * inserts them. Stops early once the import is stopping.
 */
void import_write_block(struct scan *sc, struct block *b);

/* Commits the open batch. Returns SP_OK, or the store's status (the import is then stopped). */
int import_commit_batch(struct scan *sc);

/* Pass 2: inserts the rows waiting in the group (as the last block does). Returns SP_OK, or
 * the import's stopping status. */
int import_flush_group(struct scan *sc);

/* ---- import_rejects.c: bad rows and the rejects file ------------------------------------ */

/* "name:row N:column C: reason", or "name:row N: reason" when column is "". */
void import_bad_row_message(struct error *out, int code, const struct scan *sc, int64_t row,
                            const char *column, const char *reason);

/*
 * Records a row as bad: counts it, keeps the first message, writes the rejects line and flags
 * the row. column may be "" (the whole row). A failure to write or flag stops the import.
 */
void import_reject(struct scan *sc, const struct block *b, const struct slot *sl,
                   const char *column, const char *reason);

/*
 * At the end of pass 1 (whose status is rc): puts the rejects file in place, if one was
 * opened. Returns rc, or SP_IO (and stops the import) if rc was SP_OK and the file could not
 * be put in place.
 */
int import_rejects_finish(struct scan *sc, int rc);

#endif
