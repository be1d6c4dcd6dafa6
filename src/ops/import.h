/*
 * import.h: bulk import of persons from CSV (docs/import.md describes the format).
 *
 * The file is RFC 4180 CSV (libcsv in strict mode) whose first row names the columns with the
 * facts vocabulary of model/person.h. Rows are numbered as a spreadsheet numbers them: the
 * header is row 1 and each further record is one row (blank lines are skipped and not counted).
 *
 * An import reads the file twice and keeps no rows in memory:
 *   pass 1 parses and validates every row, checks duplicates within the file (a hash set of
 *          keys) and against the store, and writes the rejects file;
 *   pass 2 re-reads the file and inserts the good rows, committing every `batch` inserts in
 *          one transaction. When the new rows are many compared to the registry (at least a
 *          fifth of it, or a first load), pass 2 runs in an import session
 *          (store_import_begin): the store's indexes are set aside and rebuilt once at the end,
 *          and each batch only appends table pages.
 * By default any bad row refuses the whole file before anything is written. With skip_bad the
 * good rows are imported and the bad ones only listed in the rejects file. A kill leaves whole
 * batches only; running the same import again recognises the rows already imported (same
 * national ID, dedup key or worker ID and person_same_facts) and skips them.
 *
 * Each pass runs on two threads (one parses and maps rows, the other does what must happen in
 * file order: duplicates, rejects, inserts); only that second thread uses the store, and the
 * call returns when both are done. Memory: a few blocks of rows (about 2 MB), plus per row 2
 * bits of flags and about 12 bytes per key (national ID, dedup key, worker ID) of the
 * duplicate hash set.
 */
#ifndef SPFLOOR_OPS_IMPORT_H
#define SPFLOOR_OPS_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "model/person.h"

struct store;

#define IMPORT_BATCH_DEFAULT 50000
#define IMPORT_BATCH_MAX     10000000
#define IMPORT_COLUMNS_MAX   64           /* columns in a header (each names a distinct field) */
#define IMPORT_FIELD_MAX     1024         /* bytes in one field; longer fields make the row bad */
#define IMPORT_FIELD_HARD    1048576      /* a field this long stops the import (a lost quote) */
#define IMPORT_ROWS_MAX      4000000000LL /* rows in one file */

/* Which pass a progress report is about. */
enum import_phase {
    IMPORT_VALIDATING, /* pass 1 */
    IMPORT_WRITING,    /* pass 2 */
};

struct import_progress {
    enum import_phase phase;
    int64_t rows;       /* data rows gone through in this phase */
    int64_t total;      /* data rows in the file: 0 while validating, known while writing */
    int64_t imported;   /* rows inserted so far (the last batch may not be committed yet) */
    int64_t elapsed_ms; /* since the import started */
};

/* Called every few thousand rows and at the end of each phase; must not fail. */
typedef void (*import_progress_fn)(void *ctx, const struct import_progress *progress);

struct import_options {
    int skip_bad;                /* 1: import the good rows, list the bad ones */
    int64_t batch;               /* inserts per transaction, 1..IMPORT_BATCH_MAX */
    const char *rejects_path;    /* where to write rejects (only if any); NULL: nowhere */
    int32_t today;               /* for "birth date in the future"; DATE_NONE: the clock */
    enum calendar calendar;      /* dates without a suffix: CALENDAR_AD (the default) or
                                    CALENDAR_BS; "2080-01-15 BS" is BS either way */
    import_progress_fn progress; /* NULL for none */
    void *progress_ctx;          /* passed to progress */
};

struct import_summary {
    int64_t rows_read;          /* data rows in the file (the header not counted) */
    int64_t imported;           /* rows this run inserted and committed (never more) */
    int64_t to_import;          /* rows pass 2 set out to insert (0 if it did not start) */
    int64_t already_present;    /* rows found identical in the store (an earlier run) */
    int64_t rejected;           /* bad rows (listed in the rejects file) */
    int64_t elapsed_ms;         /* wall time of the whole import */
    int64_t first_bad_row;      /* row number of the first bad row, 0 if none */
    int64_t maybe_bs;           /* good rows whose birth date may be Bikram Sambat read as
                                   Gregorian (person_birth_date_maybe_bs): imported, to check */
    int64_t first_maybe_bs_row; /* the row of the first of them, 0 if none */
    int rejects_written;        /* 1 if the rejects file was written (and is in place) */
};

/* The columns a rejects file adds before the row's own (docs/import.md): the row number, the
 * first column at fault and every reason. An import recognises them and leaves them out, so a
 * rejects file, once corrected, is imported as it is. */
#define IMPORT_REJECTS_COLUMNS "row,column,reason"

/* The header of a file: which vocabulary field each column holds. */
struct import_columns {
    int count;                                            /* columns */
    const struct person_field *field[IMPORT_COLUMNS_MAX]; /* the field of each column; NULL
                                                             for a rejects file's own column
                                                             (IMPORT_REJECTS_COLUMNS), which is
                                                             not read */
    const char *name[IMPORT_COLUMNS_MAX]; /* each column's name: the field's, or the rejects
                                             column's (static strings) */
    int country;                          /* index of `country`, or -1 */
    int id;                               /* index of `id`, or -1 */
};

/*
 * Sets o to the defaults: all-or-nothing, IMPORT_BATCH_DEFAULT, no rejects file, the clock,
 * Gregorian dates.
 */
void import_options_init(struct import_options *o);

/*
 * Imports the persons in the CSV file at `path` into s (see the top of this header).
 * Returns:
 *   SP_OK        every good row is in the store (with skip_bad, bad rows may be rejected);
 *   SP_BAD_INPUT a bad row without skip_bad, a bad header, or broken CSV: nothing was written
 *                and err names the first bad row and column ("persons.csv:row 4:column sex:
 *                ..."); the rejects file lists every bad row found;
 *   SP_CONFLICT  another writer kept registering clashing persons while pass 2 ran: the
 *                import runs both passes again by itself (its pass 1 then finds those persons,
 *                as already present or as bad rows), up to 4 runs in all; the batches
 *                committed stay (out->imported counts them; run the import again to resume);
 *                or, after an import
 *                session, an index could not be rebuilt because of a duplicate (err names
 *                both persons);
 *   SP_IO        the file, the rejects file or the store failed;
 *   SP_USAGE     bad options, or a rejects_path that is the input file itself (the same
 *                inode), a symbolic link or not a regular file: refused before anything is
 *                read or written.
 * The rejects file is written through base/outfile.h: it appears whole at the end of pass 1,
 * whether or not the import then fails, or not at all (an older one is then left as it was).
 * out is always filled. s may be NULL to validate only (no store checks, nothing written).
 */
int import_persons_csv(struct store *s, const char *path, const struct import_options *opt,
                       struct import_summary *out, struct error *err);

/*
 * The same over an open, seekable stream (it is rewound for pass 2); `name` is the file name
 * used in messages. The caller keeps and closes `in`.
 */
int import_persons_stream(struct store *s, FILE *in, const char *name,
                          const struct import_options *opt, struct import_summary *out,
                          struct error *err);

/*
 * Maps a header row onto the vocabulary. names[i] holds lens[i] bytes (NUL-terminated).
 * The columns a rejects file adds (IMPORT_REJECTS_COLUMNS) are recognised and left out (their
 * field is NULL). Returns SP_OK, or SP_BAD_INPUT with *column set to the offending column's name (a
 * pointer into names or into the vocabulary; NULL for the whole row) and err holding the reason
 * without the column, e.g. "is not a field of the facts vocabulary" for "sexx", or "is
 * missing: every person needs one" for a required field without a column.
 */
int import_columns_parse(struct import_columns *c, int count, const char *const *names,
                         const size_t *lens, const char **column, struct error *err);

/*
 * Turns one data record into a person: checks each field is UTF-8 without NUL bytes and at
 * most IMPORT_FIELD_MAX bytes, sets the fields (country first, so money without a code takes
 * the country's currency), checks required fields, person_validate and the worker ID in an
 * `id` column. Returns SP_OK with p filled, or SP_BAD_INPUT with *column set to the first
 * column at fault (NULL when the problem is the whole row, such as a wrong number of fields)
 * and err holding its reason without the column, e.g. "\"mail\" is not allowed: use female,
 * male or other", followed by every other problem of the row, each with its column
 * ("; birth_date: ..."). The strings *column points at are static (the vocabulary).
 */
int import_record_to_person(const struct import_columns *c, int count, const char *const *values,
                            const size_t *lens, int32_t today, struct person *p,
                            const char **column, struct error *err);

#endif
