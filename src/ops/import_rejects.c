/*
 * import_rejects.c: the bad rows of the CSV import (import_impl.h): each one counted, the first
 * one's message kept, and a line in the rejects file, which base/outfile.h puts in place whole
 * at the end of pass 1.
 *
 * The rejects file is importable once corrected: its header is IMPORT_REJECTS_COLUMNS (which
 * an import recognises and leaves out) followed by the input's own columns, and each line the
 * row number, the first column at fault, every reason, then the row's fields as they were.
 */
#include "ops/import_impl.h"

#include <string.h>

#include "base/buf.h"
#include "base/outfile.h"

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

/* 1 if column i of the input is a rejects file's own (an earlier rejects file re-imported):
 * not repeated in the new one. */
static int own_column(const struct import_columns *c, int i)
{
    return i < c->count && c->field[i] == NULL;
}

/* Appends a slot's raw fields to out, each after a comma, but the rejects file's own. */
static int fields_append(struct buf *out, const struct scan *sc, const struct block *b,
                         const struct slot *sl, struct error *err)
{
    const char *text = b->text.data + sl->fields;
    const char *bytes = text + (size_t)sl->n_fields * sizeof(uint32_t);
    int rc = SP_OK;
    for (int i = 0; i < sl->n_fields && rc == SP_OK; i++) {
        uint32_t len;
        memcpy(&len, text + (size_t)i * sizeof len, sizeof len);
        if (!own_column(&sc->cols, i)) {
            rc = buf_putc(out, ',', err);
            if (rc == SP_OK)
                rc = csv_field_append(out, bytes, len, err);
        }
        bytes += len + 1;
    }
    return rc;
}

/* Opens the rejects file and writes its header: the rejects columns, then the input's. */
static int rejects_open(struct scan *sc, struct error *err)
{
    static const char own[] = IMPORT_REJECTS_COLUMNS;
    int rc = outfile_open(&sc->rejects, sc->opt->rejects_path, OUTFILE_PRIVATE, sc->input_fd, err);
    sc->rejects_open = rc == SP_OK;
    buf_reset(&sc->line);
    if (rc == SP_OK)
        rc = buf_append(&sc->line, own, sizeof own - 1, err);
    for (int i = 0; rc == SP_OK && i < sc->cols.count; i++)
        if (!own_column(&sc->cols, i))
            rc = buf_printf(&sc->line, err, ",%s", sc->cols.name[i]);
    if (rc == SP_OK)
        rc = buf_putc(&sc->line, '\n', err);
    if (rc == SP_OK)
        rc = outfile_write(&sc->rejects, sc->line.data, sc->line.len, err);
    if (rc != SP_OK)
        error_prefix(err, "the rejects file");
    return rc;
}

/* Writes one rejects line: row, column, reason and the record's fields. */
static int rejects_write(struct scan *sc, const struct block *b, const struct slot *sl,
                         const char *column, const char *reason, struct error *err)
{
    const char *path = sc->opt->rejects_path;
    if (path == NULL)
        return SP_OK;
    if (!sc->rejects_open) {
        int rc = rejects_open(sc, err);
        if (rc != SP_OK)
            return rc;
    }
    buf_reset(&sc->line);
    int rc = buf_printf(&sc->line, err, "%lld,", (long long)sl->row);
    if (rc == SP_OK)
        rc = csv_field_append(&sc->line, column, strlen(column), err);
    if (rc == SP_OK)
        rc = buf_putc(&sc->line, ',', err);
    if (rc == SP_OK)
        rc = csv_field_append(&sc->line, reason, strlen(reason), err);
    if (rc == SP_OK)
        rc = fields_append(&sc->line, sc, b, sl, err);
    if (rc == SP_OK)
        rc = buf_putc(&sc->line, '\n', err);
    if (rc != SP_OK)
        return rc == SP_IO ? rc : error_set(err, SP_IO, "a rejects line is too long");
    rc = outfile_write(&sc->rejects, sc->line.data, sc->line.len, err);
    if (rc != SP_OK)
        error_prefix(err, "the rejects file");
    return rc;
}

void import_bad_row_message(struct error *out, int code, const struct scan *sc, int64_t row,
                            const char *column, const char *reason)
{
    if (column[0])
        error_set(out, code, "%s:row %lld:column %.*s: %s", sc->name, (long long)row, NAME_SHOWN,
                  column, reason);
    else
        error_set(out, code, "%s:row %lld: %s", sc->name, (long long)row, reason);
}

void import_reject(struct scan *sc, const struct block *b, const struct slot *sl,
                   const char *column, const char *reason)
{
    struct import_summary *sum = sc->sum;
    sum->rejected++;
    if (sum->first_bad_row == 0) {
        sum->first_bad_row = sl->row;
        import_bad_row_message(&sc->first_bad, SP_BAD_INPUT, sc, sl->row, column, reason);
    }
    struct error err;
    error_init(&err);
    if (rejects_write(sc, b, sl, column, reason, &err) != SP_OK ||
        (sl->row >= 2 && import_flag_set(sc, sl->row, ROW_BAD, &err) != SP_OK))
        import_stop(sc, err.code, "%s", err.message);
}

int import_rejects_finish(struct scan *sc, int rc)
{
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
            import_stop(sc, SP_IO, "the rejects file: %s", why.message);
            rc = SP_IO;
        }
    }
    return rc;
}
