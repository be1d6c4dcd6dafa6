/*
 * import_row.c: the header of a CSV import and one record of it into a person (import.h,
 * import_row.h): every field checked and parsed through the vocabulary, each problem named by
 * its column.
 */
#include "ops/import_row.h"

#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "registry/gazetteer.h"

/* ---- the header and one record into a person ------------------------------------------ */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * SP_OK if the n bytes at s neither start nor end with a blank; else SP_BAD_INPUT saying which.
 * RFC 4180 makes spaces part of a field, and spfloor does not guess that they were not meant:
 * " female" is refused, not read as female.
 */
static int check_unpadded(const char *s, size_t n, struct error *err)
{
    if (n == 0)
        return SP_OK;
    int at_start = is_blank(s[0]);
    if (!at_start && !is_blank(s[n - 1]))
        return SP_OK;
    char c = at_start ? s[0] : s[n - 1];
    return error_set(err, SP_BAD_INPUT,
                     "%s with %s: in CSV a space is part of the field (\" female\" is not "
                     "female), so remove the spaces around the value",
                     at_start ? "starts" : "ends",
                     c == ' '                 ? "a space"
                     : c == '\t'              ? "a tab"
                     : c == '\n' || c == '\r' ? "a line break"
                                              : "a blank");
}

/* The vocabulary field whose name equals text ignoring case and surrounding blanks, or NULL. */
static const struct person_field *field_near(const char *text)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    for (int i = 0; i < person_field_count; i++) {
        const char *name = person_fields[i].name;
        if (strlen(name) == n && strncasecmp(name, text, n) == 0)
            return &person_fields[i];
    }
    return NULL;
}

/*
 * The separator a header cell that is not a field seems to be made of: ';', tab or '|' when the
 * cell holds one and the text between them names fields of the vocabulary ("national_id;
 * given_name;..."), else '\0'.
 */
static char other_separator(const char *cell)
{
    static const char candidates[] = ";\t|";
    for (const char *sep = candidates; *sep != '\0'; sep++) {
        const char *at = strchr(cell, *sep);
        if (at == NULL)
            continue;
        char first[64];
        size_t n = (size_t)(at - cell);
        if (n == 0 || n >= sizeof first)
            continue;
        memcpy(first, cell, n);
        first[n] = '\0';
        if (person_field_find(first) != NULL)
            return *sep;
    }
    return '\0';
}

/* The rejects file's own column named text (IMPORT_REJECTS_COLUMNS), as a static string; or
 * NULL. */
static const char *rejects_column(const char *text)
{
    static const char *const names[] = {"row", "column", "reason"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], text) == 0)
            return names[i];
    return NULL;
}

/* 1 if a registry person needs this field in the file (the store assigns `id`). */
static int field_required(const struct person_field *f)
{
    return f->required && strcmp(f->name, "id") != 0;
}

int import_columns_parse(struct import_columns *c, int count, const char *const *names,
                         const size_t *lens, const char **column, struct error *err)
{
    *column = NULL;
    c->count = 0;
    c->country = -1;
    c->id = -1;
    if (count > IMPORT_COLUMNS_MAX || count > person_field_count + 3)
        return error_set(err, SP_BAD_INPUT,
                         "the header has %d columns but the facts vocabulary has only %d "
                         "fields: is the delimiter a comma?",
                         count, person_field_count);
    for (int i = 0; i < count; i++) {
        if (lens[i] != strlen(names[i]) || !text_is_utf8(names[i], lens[i]))
            return error_set(err, SP_BAD_INPUT,
                             "column %d of the header is not UTF-8 text: save the file as "
                             "UTF-8",
                             i + 1);
        if (lens[i] == 0)
            return error_set(err, SP_BAD_INPUT,
                             "column %d of the header is empty: name every column with a "
                             "field of the facts vocabulary",
                             i + 1);
        if (check_unpadded(names[i], lens[i], err) != SP_OK) {
            *column = names[i];
            return SP_BAD_INPUT;
        }
        const char *own = rejects_column(names[i]);
        for (int j = 0; own != NULL && j < i; j++) {
            if (c->name[j] == own) {
                *column = own;
                return error_set(err, SP_BAD_INPUT, "appears twice, as columns %d and %d", j + 1,
                                 i + 1);
            }
        }
        if (own != NULL) { /* a rejects file's: not read */
            c->field[i] = NULL;
            c->name[i] = own;
            continue;
        }
        const struct person_field *f = person_field_find(names[i]);
        char separator = f == NULL ? other_separator(names[i]) : '\0';
        if (separator != '\0')
            return error_set(err, SP_BAD_INPUT,
                             "the header \"%.60s\" is one column: this file separates its "
                             "columns with %s, not commas: save it as CSV with commas (in a "
                             "spreadsheet: Save as, CSV UTF-8, comma-delimited)",
                             names[i],
                             separator == '\t'  ? "tabs"
                             : separator == ';' ? "';'"
                                                : "'|'");
        if (f == NULL) {
            *column = names[i];
            const struct person_field *near = field_near(names[i]);
            if (near)
                return error_set(err, SP_BAD_INPUT,
                                 "is not a field of the facts vocabulary: did you mean %s?",
                                 near->name);
            return error_set(err, SP_BAD_INPUT,
                             "is not a field of the facts vocabulary (docs/import.md lists "
                             "the fields)");
        }
        for (int j = 0; j < i; j++) {
            if (c->field[j] == f) {
                *column = f->name;
                return error_set(err, SP_BAD_INPUT, "appears twice, as columns %d and %d", j + 1,
                                 i + 1);
            }
        }
        c->field[i] = f;
        c->name[i] = f->name;
        if (strcmp(f->name, "country") == 0)
            c->country = i;
        else if (strcmp(f->name, "id") == 0)
            c->id = i;
    }
    c->count = count;
    for (int k = 0; k < person_field_count; k++) {
        const struct person_field *f = &person_fields[k];
        if (!field_required(f))
            continue;
        int present = 0;
        for (int i = 0; i < count && !present; i++)
            present = c->field[i] == f;
        if (!present) {
            *column = f->name;
            c->count = 0;
            return error_set(err, SP_BAD_INPUT,
                             "is missing from the header: every person needs a %s", f->name);
        }
    }
    return SP_OK;
}

/* The part of a person-module message after "name: ", if it starts so. */
static const char *without_field_prefix(const char *message, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(message, name, n) == 0 && message[n] == ':' && message[n + 1] == ' ')
        return message + n + 2;
    return message;
}

/* The vocabulary field a person-module message starts with ("sex: ..."), or NULL. */
static const struct person_field *field_of_message(const char *message)
{
    for (int i = 0; i < person_field_count; i++) {
        size_t n = strlen(person_fields[i].name);
        if (strncmp(message, person_fields[i].name, n) == 0 && message[n] == ':')
            return &person_fields[i];
    }
    return NULL;
}

/* Sets column i of the record into p. */
static int set_column(const struct import_columns *c, int i, const char *value, int32_t today,
                      enum calendar calendar, struct person *p, const char **column,
                      struct error *err)
{
    const struct person_field *f = c->field[i];
    if (f == NULL)
        return SP_OK; /* a rejects file's own column */
    if (*value == '\0') {
        if (field_required(f)) {
            *column = f->name;
            return error_set(err, SP_BAD_INPUT, "is empty: every person needs a %s", f->name);
        }
        return SP_OK;
    }
    struct error why;
    error_init(&why);
    int rc = person_set_field_in(p, f, value, today, calendar, &why);
    if (rc != SP_OK) {
        *column = f->name;
        return error_set(err, rc, "%s", without_field_prefix(why.message, f->name));
    }
    return SP_OK;
}

/* 1 if the n bytes at s hold no NUL and are UTF-8 (the common all-ASCII case is quick). */
static int field_bytes_ok(const char *s, size_t n, const char **problem)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            *problem = "holds a NUL byte: is this a text file?";
            return 0;
        }
        if (c >= 0x80) {
            if (memchr(s + i, '\0', n - i) != NULL) {
                *problem = "holds a NUL byte: is this a text file?";
                return 0;
            }
            if (!text_is_utf8(s + i, n - i)) {
                *problem = "is not valid UTF-8: save the file as UTF-8";
                return 0;
            }
            return 1;
        }
    }
    return 1;
}

/* The problems of one row: the first one's column and reason in *column and err, each
 * further one appended to err's message as "; COLUMN: reason". */
struct problems {
    const char **column;
    struct error *err;
    int n;
};

static void problem(struct problems *pr, const char *column, const char *reason)
{
    if (pr->n++ == 0) {
        *pr->column = column;
        error_set(pr->err, SP_BAD_INPUT, "%s", reason);
        return;
    }
    char *message = pr->err->message;
    size_t used = strlen(message);
    if (used + 1 < sizeof pr->err->message)
        snprintf(message + used, sizeof pr->err->message - used, "; %s: %s",
                 column != NULL ? column : "row", reason);
}

/* A problem found by a function that reported it in why (with its own *column). */
static void problem_from(struct problems *pr, const char *column, const struct error *why)
{
    problem(pr, column, why->message);
}

/* Checks each field's bytes; a field at fault is marked in bad[] and not read further. */
static void check_fields(const struct import_columns *c, int count, const char *const *values,
                         const size_t *lens, struct problems *pr, char *bad)
{
    for (int i = 0; i < count; i++) {
        const char *problem_text = NULL;
        struct error why;
        error_init(&why);
        if (c->field[i] == NULL)
            continue;
        if (lens[i] > IMPORT_FIELD_MAX) {
            error_set(&why, SP_BAD_INPUT, "is too long: a field holds at most %d bytes",
                      IMPORT_FIELD_MAX);
        } else if (!field_bytes_ok(values[i], lens[i], &problem_text)) {
            error_set(&why, SP_BAD_INPUT, "%s", problem_text);
        } else if (check_unpadded(values[i], lens[i], &why) == SP_OK) {
            continue;
        }
        bad[i] = 1;
        problem_from(pr, c->field[i]->name, &why);
    }
}

/* Sets column i into p unless it is at fault already; a refusal is one more problem. */
static void read_column(const struct import_columns *c, int i, const char *value, int32_t today,
                        enum calendar calendar, struct person *p, const char *bad,
                        struct problems *pr)
{
    if (bad[i])
        return;
    const char *column = NULL;
    struct error why;
    error_init(&why);
    if (set_column(c, i, value, today, calendar, p, &column, &why) != SP_OK)
        problem_from(pr, column, &why);
}

int import_row_map(const struct import_columns *c, int count, const char *const *values,
                   const size_t *lens, int32_t today, enum calendar calendar, int full,
                   struct person *p, const char **column, char *key, size_t key_size,
                   struct error *err)
{
    *column = NULL;
    key[0] = '\0';
    person_init(p);
    if (count < c->count) {
        *column = c->name[count];
        return error_set(err, SP_BAD_INPUT,
                         "is missing: the row has %d field%s, the header names %d columns", count,
                         count == 1 ? "" : "s", c->count);
    }
    if (count > c->count)
        return error_set(err, SP_BAD_INPUT,
                         "the row has %d fields, the header names only %d columns", count,
                         c->count);
    struct problems pr = {column, err, 0};
    char bad[IMPORT_COLUMNS_MAX] = {0};
    check_fields(c, count, values, lens, &pr, bad);
    /* country first: money without a code is in the country's currency */
    if (c->country >= 0)
        read_column(c, c->country, values[c->country], today, calendar, p, bad, &pr);
    for (int i = 0; i < count; i++)
        if (i != c->country)
            read_column(c, i, values[i], today, calendar, p, bad, &pr);
    struct error why;
    error_init(&why);
    int rc = gazetteer_resolve_person(p, &why);
    if (rc == SP_OK && pr.n == 0 && !full)
        return SP_OK;
    if (rc == SP_OK && pr.n == 0) /* cross-field checks only for a row whose fields all read */
        rc = person_validate(p, &why);
    if (rc != SP_OK) {
        const struct person_field *f = field_of_message(why.message);
        problem(&pr, f ? f->name : NULL,
                f ? without_field_prefix(why.message, f->name) : why.message);
    }
    if (pr.n > 0)
        return SP_BAD_INPUT;
    person_dedup_key(p, key, key_size);
    if (key[0] == '\0') {
        *column = "given_name";
        return error_set(err, SP_BAD_INPUT,
                         "given_name and family_name have no letters: write the person's name");
    }
    if (c->id >= 0 && lens[c->id] > 0) {
        error_init(&why);
        if (worker_id_validate(values[c->id], &why) != SP_OK) {
            *column = "id";
            return error_set(err, SP_BAD_INPUT, "%s", without_field_prefix(why.message, "id"));
        }
    }
    return SP_OK;
}

int import_record_to_person(const struct import_columns *c, int count, const char *const *values,
                            const size_t *lens, int32_t today, struct person *p,
                            const char **column, struct error *err)
{
    char key[PERSON_DEDUP_KEY_SIZE];
    return import_row_map(c, count, values, lens, today, CALENDAR_AD, 1, p, column, key, sizeof key,
                          err);
}
