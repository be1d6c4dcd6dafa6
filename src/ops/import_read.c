/*
 * import_read.c: the reader of the CSV import (import_impl.h): feeds the file to libcsv,
 * refusing the bytes libcsv would take silently (a NUL byte, a bare CR), and turns each record
 * into a slot of the block being filled: the header in pass 1, the data rows (mapped here one in
 * READER_SHARE, the others by the writer), and in pass 2 the rows pass 1 flagged new.
 */
#include "ops/import_impl.h"
#include "ops/import_row.h"

#include <csv.h>
#include <errno.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/text.h"

#define READER_SHARE 3 /* pass 1: the reader maps one row in 3, the writer the others */

/* The next slot to fill, handing the block over when it is full; NULL when stopping. */
static struct slot *next_slot(struct scan *sc)
{
    if (sc->fill->count == BLOCK_ROWS && import_hand_over(sc, 0) != 0)
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
        import_stop(sc, SP_IO, "%s", err.message);
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
    if (import_row_map(&sc->cols, count, values, lens, sc->today, sc->opt->calendar, 1, &sl->person,
                       &column, sl->key, sizeof sl->key, &why) != SP_OK)
        return slot_bad(b, sl, column, why.message, err);
    import_slot_keys(sl);
    sl->maybe_bs = 0;
    for (int i = 0; i < count && i < sc->cols.count; i++) {
        char warning[PERSON_BS_WARNING_SIZE];
        if (strcmp(sc->cols.name[i], "birth_date") == 0)
            sl->maybe_bs = person_birth_date_maybe_bs(&sl->person, values[i], sc->opt->calendar,
                                                      sc->today, warning, sizeof warning);
    }
    return SP_OK;
}

int import_map_kept_slot(struct scan *sc, struct block *b, struct slot *sl, struct error *err)
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
        import_stop(sc, SP_IO, "%s", err.message);
}

/* Pass 2, a data row: map it again unless pass 1 flagged it. */
static void reread_row(struct scan *sc)
{
    if (sc->row - 1 > sc->sum->rows_read) {
        import_stop(sc, SP_IO, "%s changed while it was being imported: run the import again",
                    sc->name);
        return;
    }
    if (import_flag_get(sc, sc->row) != ROW_NEW)
        return;
    struct slot *sl = next_slot(sc);
    if (sl == NULL)
        return;
    const char *column = NULL;
    struct error why;
    error_init(&why);
    if (import_row_map(&sc->cols, sc->rec.seen, sc->rec.value, sc->rec.len, sc->today,
                       sc->opt->calendar, 0, &sl->person, &column, sl->key, sizeof sl->key,
                       &why) != SP_OK)
        import_stop(sc, SP_IO,
                    "%s changed while it was being imported (row %lld): run the import again",
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
    if (sc->reader_done || import_stopping(sc)) {
        sc->reader_done = 1;
        return;
    }
    sc->row++;
    record_finish(&sc->rec);
    if (sc->row > IMPORT_ROWS_MAX)
        import_stop(sc, SP_BAD_INPUT, "%s: more than %lld rows: split the file", sc->name,
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
        return sc->cols.name[i];
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
        import_stop(sc, SP_IO, "%s changed while it was being imported: run the import again",
                    sc->name);
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
        import_stop(sc, SP_IO, "%s: %s", sc->name, csv_strerror(code));
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
    if (sc->reader_done || import_stopping(sc))
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

void import_read_file(struct scan *sc, FILE *in, char *chunk)
{
    int64_t offset = 0; /* of chunk[0] in the file */
    int cr_held = 0;
    while (!sc->reader_done && !import_stopping(sc)) {
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
    if (import_stopping(sc) || sc->reader_done)
        return;
    if (ferror(in)) {
        import_stop(sc, SP_IO, "%s: cannot read: %s", sc->name, strerror(errno));
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
        import_stop(sc, SP_IO, "%s changed while it was being imported: run the import again",
                    sc->name);
    }
}

int import_read_begin(struct scan *sc)
{
    record_reset(&sc->rec);
    if (csv_init(&sc->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        import_stop(sc, SP_IO, "out of memory");
        return SP_IO;
    }
    csv_set_space_func(&sc->parser, no_space);
    csv_set_realloc_func(&sc->parser, sp_realloc);
    csv_set_free_func(&sc->parser, sp_free);
    return SP_OK;
}

void import_read_end(struct scan *sc)
{
    csv_free(&sc->parser);
}
