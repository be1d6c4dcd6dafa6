/*
 * Unit tests for ops/import: header and row mapping with column-named errors, the rejects
 * file, all-or-nothing on a store, --skip-bad, duplicates, and resuming an interrupted import.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/ids.h"
#include "base/alloc.h"
#include "ops/import.h"
#include "store/store.h"
#include "support.h"

#define GOOD_CSV  "tests/data/import/persons_good.csv"
#define GOOD_ROWS 6

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_import.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    return system(command) == 0 ? 0 : -1;
}

static void path_in_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole file at path, NUL-terminated (caller frees); NULL if it does not exist. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return strdup(text);
}

static void options(struct import_options *o)
{
    import_options_init(o);
    o->today = test_day("2025-01-15");
}

static struct store *open_store(const char *name)
{
    char path[128];
    path_in_dir(path, sizeof path, name);
    unlink(path);
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    if (store_open(path, STORE_CREATE, &s, &err) != SP_OK)
        fail_msg("store_open: %s", err.message);
    return s;
}

/* Opens an existing store read-only, as another program would. */
static struct store *reopen_store(const char *name)
{
    char path[128];
    path_in_dir(path, sizeof path, name);
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    if (store_open(path, STORE_READ_ONLY, &s, &err) != SP_OK)
        fail_msg("store_open: %s", err.message);
    return s;
}

static int64_t count(struct store *s)
{
    int64_t n = -1;
    struct error err;
    error_init(&err);
    assert_int_equal(store_person_count(s, &n, &err), SP_OK);
    return n;
}

/* Imports the file at path; returns the status and fills sum and err. */
static int import(struct store *s, const char *path, const struct import_options *o,
                  struct import_summary *sum, struct error *err)
{
    error_init(err);
    return import_persons_csv(s, path, o, sum, err);
}

/* ---- header and row mapping ---- */

static int parse_header(struct import_columns *c, const char *const *names, int n,
                        const char **column, struct error *err)
{
    size_t lens[IMPORT_COLUMNS_MAX];
    for (int i = 0; i < n; i++)
        lens[i] = strlen(names[i]);
    error_init(err);
    return import_columns_parse(c, n, names, lens, column, err);
}

static void header_errors_name_the_column(void **state)
{
    (void)state;
    struct import_columns c;
    const char *column = NULL;
    struct error err;

    const char *unknown[] = {"given_name", "family_name", "sexx", "birth_date", "country"};
    assert_int_equal(parse_header(&c, unknown, 5, &column, &err), SP_BAD_INPUT);
    assert_string_equal(column, "sexx");
    assert_non_null(strstr(err.message, "not a field of the facts vocabulary"));

    const char *cased[] = {"given_name", "family_name", "Sex", "birth_date", "country"};
    assert_int_equal(parse_header(&c, cased, 5, &column, &err), SP_BAD_INPUT);
    assert_string_equal(column, "Sex");
    assert_non_null(strstr(err.message, "did you mean sex?"));

    const char *missing[] = {"given_name", "family_name", "sex", "country"};
    assert_int_equal(parse_header(&c, missing, 4, &column, &err), SP_BAD_INPUT);
    assert_string_equal(column, "birth_date");
    assert_non_null(strstr(err.message, "missing"));

    const char *twice[] = {"given_name", "family_name", "sex", "birth_date", "country", "sex"};
    assert_int_equal(parse_header(&c, twice, 6, &column, &err), SP_BAD_INPUT);
    assert_string_equal(column, "sex");
    assert_non_null(strstr(err.message, "columns 3 and 6"));

    const char *fine[] = {"id", "given_name", "family_name", "sex", "birth_date", "country"};
    assert_int_equal(parse_header(&c, fine, 6, &column, &err), SP_OK);
    assert_int_equal(c.count, 6);
    assert_int_equal(c.id, 0);
    assert_int_equal(c.country, 5);
}

/* Maps one record under a header; both given as comma-free strings split on '|'. */
static int map_record(const char *header, const char *record, struct person *p, const char **column,
                      struct error *err)
{
    static char hbuf[1024], rbuf[4096];
    const char *names[IMPORT_COLUMNS_MAX], *values[IMPORT_COLUMNS_MAX];
    size_t hlens[IMPORT_COLUMNS_MAX], rlens[IMPORT_COLUMNS_MAX];
    int nh = 0, nr = 0;
    snprintf(hbuf, sizeof hbuf, "%s", header);
    snprintf(rbuf, sizeof rbuf, "%s", record);
    for (char *s = hbuf;; nh++) {
        names[nh] = s;
        char *bar = strchr(s, '|');
        hlens[nh] = bar ? (size_t)(bar - s) : strlen(s);
        if (bar == NULL) {
            nh++;
            break;
        }
        *bar = '\0';
        s = bar + 1;
    }
    for (char *s = rbuf;; nr++) {
        values[nr] = s;
        char *bar = strchr(s, '|');
        rlens[nr] = bar ? (size_t)(bar - s) : strlen(s);
        if (bar == NULL) {
            nr++;
            break;
        }
        *bar = '\0';
        s = bar + 1;
    }
    struct import_columns c;
    const char *hcol = NULL;
    struct error herr;
    error_init(&herr);
    assert_int_equal(import_columns_parse(&c, nh, names, hlens, &hcol, &herr), SP_OK);
    error_init(err);
    return import_record_to_person(&c, nr, values, rlens, test_day("2025-01-15"), p, column, err);
}

#define HEADER "monthly_wage|given_name|family_name|sex|birth_date|country|groups|living_children"

static void a_record_becomes_a_person(void **state)
{
    (void)state;
    struct person p;
    const char *column = NULL;
    struct error err;
    /* money comes before country in the header: it still takes the country's currency */
    assert_int_equal(map_record(HEADER,
                                "4000.00|Sita|Sharma|female|1961-04-13|NP|dalit;solo_parent|2", &p,
                                &column, &err),
                     SP_OK);
    assert_string_equal(p.given_name, "Sita");
    assert_string_equal(p.family_name, "Sharma");
    assert_int_equal(p.sex, SEX_FEMALE);
    assert_int_equal(p.birth_date, test_day("1961-04-13"));
    assert_string_equal(p.country, "NP");
    assert_int_equal(p.monthly_wage.minor, 400000);
    assert_string_equal(p.monthly_wage.currency, "NPR");
    assert_true(person_has_group(&p, "solo_parent"));
    assert_int_equal(p.living_children, 2);
    assert_string_equal(p.id, "");

    /* an empty optional field stays unset */
    assert_int_equal(map_record(HEADER, "|Sita|Sharma|female|1961-04-13|NP||", &p, &column, &err),
                     SP_OK);
    assert_string_equal(p.monthly_wage.currency, "");
    assert_int_equal(p.living_children, -1);
}

/* Every problem of a row is told, the first one's column first; a rejects file's own columns
 * (row, column, reason) are recognised in the header and not read. */
static void every_problem_of_a_row_is_told(void **state)
{
    (void)state;
    struct person p;
    const char *column = NULL;
    struct error err;
    assert_int_equal(map_record(HEADER, "12x|Sita||mail|1961-02-30|NP|dalit|2", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "monthly_wage");
    assert_non_null(strstr(err.message, "; family_name: is empty"));
    assert_non_null(strstr(err.message, "; sex: \"mail\" is not allowed"));
    assert_non_null(strstr(err.message, "; birth_date: "));
    assert_int_equal(map_record("row|column|reason|" HEADER,
                                "3|sex|was wrong|4000.00|Sita|Sharma|female|1961-04-13|NP||", &p,
                                &column, &err),
                     SP_OK);
    assert_string_equal(p.given_name, "Sita");
    assert_int_equal(p.sex, SEX_FEMALE);
}

static void a_bad_field_names_its_column_and_reason(void **state)
{
    (void)state;
    struct person p;
    const char *column = NULL;
    struct error err;

    assert_int_equal(map_record(HEADER, "|Sita|Sharma|mail|1961-04-13|NP||", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "sex");
    assert_string_equal(err.message, "\"mail\" is not allowed: use female, male or other");

    assert_int_equal(map_record(HEADER, "|Sita|Sharma|female|2023-02-30|NP||", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "birth_date");

    assert_int_equal(map_record(HEADER, "|Sita|Sharma|female|2030-01-01|NP||", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "birth_date");
    assert_non_null(strstr(err.message, "future"));

    assert_int_equal(
        map_record(HEADER, "4000.001|Sita|Sharma|female|1961-04-13|NP||", &p, &column, &err),
        SP_BAD_INPUT);
    assert_string_equal(column, "monthly_wage");

    assert_int_equal(map_record(HEADER, "|Sita||female|1961-04-13|NP||", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "family_name");
    assert_non_null(strstr(err.message, "empty"));

    assert_int_equal(map_record(HEADER, "|Sita|Sharma|female", &p, &column, &err), SP_BAD_INPUT);
    assert_string_equal(column, "birth_date");
    assert_non_null(strstr(err.message, "the row has 4 fields, the header names 8 columns"));

    assert_int_equal(
        map_record(HEADER, "|Sita|Sharma|female|1961-04-13|NP|||extra", &p, &column, &err),
        SP_BAD_INPUT);
    assert_null(column);

    assert_int_equal(
        map_record(HEADER, "|S\xe9ta|Sharma|female|1961-04-13|NP||", &p, &column, &err),
        SP_BAD_INPUT);
    assert_string_equal(column, "given_name");
    assert_non_null(strstr(err.message, "UTF-8"));

    assert_int_equal(map_record("id|" HEADER, "000000000018||Sita|Sharma|female|1961-04-13|NP||",
                                &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "id");
}

static void spaces_around_a_field_are_part_of_it_and_refused(void **state)
{
    (void)state;
    struct person p;
    const char *column = NULL;
    struct error err;

    assert_int_equal(map_record(HEADER, "|Sita|Sharma| female|1961-04-13|NP||", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "sex");
    assert_string_equal(err.message, "starts with a space: in CSV a space is part of the field "
                                     "(\" female\" is not female), so remove the spaces around "
                                     "the value");
    assert_int_equal(map_record(HEADER, "|Sita |Sharma|female|1961-04-13|NP||", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "given_name");
    assert_non_null(strstr(err.message, "ends with a space"));
    assert_int_equal(
        map_record(HEADER, "4000.00\t|Sita|Sharma|female|1961-04-13|NP||", &p, &column, &err),
        SP_BAD_INPUT);
    assert_string_equal(column, "monthly_wage");
    assert_non_null(strstr(err.message, "ends with a tab"));
    /* a cell of spaces is not an empty cell */
    assert_int_equal(map_record(HEADER, "|Sita|Sharma|female|1961-04-13|NP|  |", &p, &column, &err),
                     SP_BAD_INPUT);
    assert_string_equal(column, "groups");
    /* spaces inside a value are kept */
    assert_int_equal(map_record(HEADER, "|Ram Bahadur|Thapa|male|1958-11-02|NP|dalit; solo_parent|",
                                &p, &column, &err),
                     SP_OK);
    assert_string_equal(p.given_name, "Ram Bahadur");

    struct import_columns c;
    const char *padded[] = {"given_name", "family_name", " sex", "birth_date", "country"};
    assert_int_equal(parse_header(&c, padded, 5, &column, &err), SP_BAD_INPUT);
    assert_string_equal(column, " sex");
    assert_non_null(strstr(err.message, "starts with a space"));
}

/* ---- whole files without a store ---- */

static void a_stream_is_validated_and_every_bad_row_listed(void **state)
{
    (void)state;
    static const char csv[] = "given_name,family_name,sex,birth_date,country,employer\n"
                              "Sita,Sharma,female,1961-04-13,NP,\"Tea, and \"\"chai\"\"\"\n"
                              "Ram,Thapa,mail,1958-11-02,NP,\n"
                              "\n"
                              "Gita,Thapa,female,2023-02-30,NP,\n"
                              "Maya,Gurung,female,1995-02-11,NP,\n";
    FILE *in = fmemopen((void *)(uintptr_t)csv, sizeof csv - 1, "r");
    assert_non_null(in);
    char rejects[128];
    path_in_dir(rejects, sizeof rejects, "stream.rejects.csv");
    struct import_options o;
    options(&o);
    o.rejects_path = rejects;
    struct import_summary sum;
    struct error err;
    error_init(&err);
    assert_int_equal(import_persons_stream(NULL, in, "mem.csv", &o, &sum, &err), SP_BAD_INPUT);
    fclose(in);
    assert_string_equal(err.message,
                        "mem.csv:row 3:column sex: \"mail\" is not allowed: use female, male or "
                        "other");
    assert_int_equal(sum.rows_read, 4); /* the blank line is not a row */
    assert_int_equal(sum.rejected, 2);
    assert_int_equal(sum.first_bad_row, 3);
    assert_int_equal(sum.imported, 0);
    assert_true(sum.rejects_written);
    char *text = read_text(rejects);
    assert_non_null(text);
    static const char header[] =
        "row,column,reason,given_name,family_name,sex,birth_date,country,employer\n";
    assert_memory_equal(text, header, sizeof header - 1);
    assert_non_null(strstr(text, "\n3,sex,\"\"\"mail\"\" is not allowed: use female, male or "
                                 "other\",Ram,Thapa,mail,1958-11-02,NP,\n"));
    assert_non_null(strstr(text, "\n4,birth_date,"));
    assert_null(strstr(text, "\n2,"));
    free(text);
}

static void broken_csv_stops_at_its_row_and_column(void **state)
{
    (void)state;
    static const char unclosed[] = "given_name,family_name,sex,birth_date,country\n"
                                   "Sita,Sharma,female,1961-04-13,NP\n"
                                   "Ram,\"Thapa,male,1958-11-02,NP\n"
                                   "Gita,Thapa,female,1962-01-20,NP\n";
    static const char stray[] = "given_name,family_name,sex,birth_date,country\n"
                                "Sita,Sha\"rma,female,1961-04-13,NP\n";
    static const char empty[] = "";
    struct {
        const char *csv;
        size_t size;
        const char *message;
    } cases[] = {
        {unclosed, sizeof unclosed - 1, "f.csv:row 3:column family_name: a quoted field is never"},
        {stray, sizeof stray - 1, "f.csv:row 2:column family_name: a quote inside"},
        {empty, 0, "f.csv:row 1: the file is empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char scratch[1];
        FILE *in = cases[i].size ? fmemopen((void *)(uintptr_t)cases[i].csv, cases[i].size, "r")
                                 : fmemopen(scratch, sizeof scratch, "r");
        assert_non_null(in);
        if (cases[i].size == 0)
            fseek(in, 0, SEEK_END);
        struct import_options o;
        options(&o);
        o.skip_bad = 1; /* even --skip-bad cannot read past broken CSV */
        struct import_summary sum;
        struct error err;
        error_init(&err);
        assert_int_equal(import_persons_stream(NULL, in, "f.csv", &o, &sum, &err), SP_BAD_INPUT);
        fclose(in);
        if (strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("case %zu: got \"%s\"", i, err.message);
    }
}

/* Imports the n bytes at csv as "f.csv" without a store; returns the status, err the message. */
static int import_bytes(const char *csv, size_t n, struct import_summary *sum, struct error *err)
{
    FILE *in = fmemopen((void *)(uintptr_t)csv, n, "r");
    assert_non_null(in);
    struct import_options o;
    options(&o);
    o.skip_bad = 1;
    error_init(err);
    int rc = import_persons_stream(NULL, in, "f.csv", &o, sum, err);
    fclose(in);
    return rc;
}

static void a_file_with_nul_bytes_is_not_a_text_file(void **state)
{
    (void)state;
    static const char csv[] = "given_name,family_name,sex,birth_date,country\n"
                              "Sita,Sharma,female,1961-04-13,NP\n"
                              "Ram,Th\0apa,male,1958-11-02,NP\n";
    struct import_summary sum;
    struct error err;
    assert_int_equal(import_bytes(csv, sizeof csv - 1, &sum, &err), SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "f.csv:row 3: byte offset 85 is a NUL byte: this is not a CSV text file");
    assert_int_equal(csv[85], '\0');

    /* what /dev/zero gives: no line break, no quote, and NUL bytes from the first */
    static char zeros[3 * 65536];
    assert_int_equal(import_bytes(zeros, sizeof zeros, &sum, &err), SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "f.csv:row 1: byte offset 0 is a NUL byte: this is not a CSV text file");

    /* a NUL in the second chunk of the file, after the byte order mark, at its own offset */
    static char late[70000];
    size_t n = (size_t)snprintf(late, sizeof late,
                                "\xEF\xBB\xBFgiven_name,family_name,sex,birth_date,country\n");
    for (int i = 0; n < 67000; i++)
        n += (size_t)snprintf(late + n, sizeof late - n, "Sita,Sh%c%c%c,female,1961-04-13,NP\n",
                              'a' + i / 676, 'a' + i / 26 % 26, 'a' + i % 26);
    late[66000] = '\0';
    assert_int_equal(import_bytes(late, n, &sum, &err), SP_BAD_INPUT);
    if (strstr(err.message, ": byte offset 66000 is a NUL byte") == NULL)
        fail_msg("got \"%s\"", err.message);
}

static void a_bare_cr_line_ending_is_refused_with_its_row_and_column(void **state)
{
    (void)state;
    static const char mac[] = "given_name,family_name,sex,birth_date,country\r"
                              "Sita,Sharma,female,1961-04-13,NP\r";
    static const char mixed[] = "given_name,family_name,sex,birth_date,country\r\n"
                                "Sita,Sharma,female,1961-04-13,NP\r\n"
                                "Ram,Thapa\r,male,1958-11-02,NP\r\n";
    static const char last[] = "given_name,family_name,sex,birth_date,country\n"
                               "Sita,Sharma,female,1961-04-13,NP\r";
    struct {
        const char *csv;
        size_t size;
        const char *message;
    } cases[] = {
        {mac, sizeof mac - 1,
         "f.csv:row 1:column 5: a bare CR (an old Mac line ending) ends the "
         "line here: save the file with LF or CRLF line endings"},
        {mixed, sizeof mixed - 1, "f.csv:row 3:column family_name: a bare CR"},
        {last, sizeof last - 1, "f.csv:row 2:column country: a bare CR"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct import_summary sum;
        struct error err;
        assert_int_equal(import_bytes(cases[i].csv, cases[i].size, &sum, &err), SP_BAD_INPUT);
        if (strncmp(err.message, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("case %zu: got \"%s\"", i, err.message);
    }

    /* CRLF is a line ending, also when a chunk of the file ends between CR and LF; a CR inside
     * quotes is part of the field (and a name refuses it as a control character) */
    static char crlf[70000];
    size_t n = (size_t)snprintf(crlf, sizeof crlf,
                                "given_name,family_name,sex,birth_date,"
                                "country,employer\r\n");
    int rows = 0;
    while (n < 65536 - 100) {
        n += (size_t)snprintf(crlf + n, sizeof crlf - n,
                              "Sita,Sharma,female,1961-04-13,NP,\"Tea, \r\nshop\"\r\n");
        rows++;
    }
    /* pad the last row's name so that its CR is the last byte of the first 64 KiB chunk */
    const char *tail = ",Rai,male,1958-11-02,NP,";
    size_t pad = 65535 - n - strlen(tail);
    memset(crlf + n, 'a', pad);
    n += pad;
    memcpy(crlf + n, tail, strlen(tail));
    n += strlen(tail);
    assert_int_equal(n, 65535);
    n += (size_t)snprintf(crlf + n, sizeof crlf - n,
                          "\r\nGita,Rai,female,1962-01-20,NP,\"a\rb\"\r\n");
    struct import_summary sum;
    struct error err;
    assert_int_equal(import_bytes(crlf, n, &sum, &err), SP_OK); /* --skip-bad */
    assert_int_equal(sum.rows_read, rows + 2);
    if (sum.rejected != rows + 1) /* "Tea, \r\nshop", and "a\rb": control characters */
        fail_msg("%lld rejected: %s", (long long)sum.rejected, err.message);
}

/* ---- with a store ---- */

static struct store *store_with_good_persons(const char *name)
{
    struct store *s = open_store(name);
    struct import_options o;
    options(&o);
    struct import_summary sum;
    struct error err;
    if (import(s, GOOD_CSV, &o, &sum, &err) != SP_OK)
        fail_msg("importing %s: %s", GOOD_CSV, err.message);
    assert_int_equal(sum.imported, GOOD_ROWS);
    assert_int_equal(count(s), GOOD_ROWS);
    return s;
}

static void digest_text(uint64_t *h, const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text;; c++) {
        *h = (*h ^ *c) * 0x100000001b3ULL;
        if (*c == '\0')
            break;
    }
}

/* Hashes every field of the vocabulary as text (the id included). */
static int digest_visit(void *ctx, const struct person *p)
{
    uint64_t *h = ctx;
    for (int i = 0; i < person_field_count; i++) {
        char value[512];
        struct error err;
        error_init(&err);
        assert_int_equal(person_get_field(p, person_fields[i].name, value, sizeof value, &err),
                         SP_OK);
        digest_text(h, person_fields[i].name);
        digest_text(h, value);
    }
    return 0;
}

/* A digest of every stored person, to see that nothing changed. */
static uint64_t digest(struct store *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_person_each(s, digest_visit, &h, &err), SP_OK);
    return h;
}

static void a_bad_row_refuses_the_whole_file(void **state)
{
    (void)state;
    struct store *s = store_with_good_persons("refuse.db");
    uint64_t before = digest(s);
    char path[128], rejects[128];
    path_in_dir(path, sizeof path, "refuse.csv");
    path_in_dir(rejects, sizeof rejects, "refuse.rejects.csv");
    write_text(path, "given_name,family_name,sex,birth_date,country,monthly_wage\n"
                     "Hari,Karki,male,1980-05-05,NP,9000.50\n"
                     "Bimala,Rai,female,1999-12-31,NP,\n"
                     "Dorj,Bat,male,1975-08-15,NP,12.345\n");
    struct import_options o;
    options(&o);
    o.rejects_path = rejects;
    o.batch = 1; /* even with one row per batch, nothing is written before the check ends */
    struct import_summary sum;
    struct error err;
    assert_int_equal(import(s, path, &o, &sum, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "refuse.csv:row 4:column monthly_wage: "));
    assert_int_equal(sum.imported, 0);
    assert_int_equal(sum.rejected, 1);
    assert_int_equal(count(s), GOOD_ROWS);
    assert_true(digest(s) == before);
    char *text = read_text(rejects);
    assert_non_null(text);
    assert_non_null(strstr(text, "\n4,monthly_wage,"));
    free(text);

    /* the same file with --skip-bad imports the two good rows */
    o.skip_bad = 1;
    assert_int_equal(import(s, path, &o, &sum, &err), SP_OK);
    assert_int_equal(sum.rows_read, 3);
    assert_int_equal(sum.imported, 2);
    assert_int_equal(sum.rejected, 1);
    assert_int_equal(count(s), GOOD_ROWS + 2);
    store_close(s);
}

static void duplicates_are_rejected_with_what_they_duplicate(void **state)
{
    (void)state;
    struct store *s = store_with_good_persons("dups.db");
    uint64_t before = digest(s);
    char path[128], rejects[128];
    path_in_dir(path, sizeof path, "dups.csv");
    path_in_dir(rejects, sizeof rejects, "dups.rejects.csv");
    /* row 2: national ID of Sita (NP-1001) with another name; row 3 and 5 share NP-9; row 6
     * repeats row 4's name, birth date and district; row 7 is Maria again (same facts but a
     * new national ID: the dedup key finds her) */
    write_text(path, "national_id,given_name,family_name,sex,birth_date,country,admin2\n"
                     "NP-1001,Sarita,Sharma,female,1961-04-13,NP,Kathmandu\n"
                     "NP-9,Hari,Karki,male,1980-05-05,NP,Lalitpur\n"
                     "NP-10,Bimala,Rai,female,1999-12-31,NP,Ilam\n"
                     "NP-9,Dorj,Bat,male,1975-08-15,NP,Jumla\n"
                     "NP-11,bimala,RAI,female,1999-12-31,NP,Ilam\n"
                     "PH-78,Maria,Santos,female,1990-07-01,PH,Manila\n");
    struct import_options o;
    options(&o);
    o.rejects_path = rejects;
    struct import_summary sum;
    struct error err;
    assert_int_equal(import(s, path, &o, &sum, &err), SP_BAD_INPUT);
    assert_int_equal(sum.rejected, 4);
    assert_true(digest(s) == before);
    char *text = read_text(rejects);
    assert_non_null(text);
    struct person sita;
    int found = 0;
    assert_int_equal(store_person_by_national_id(s, "NP", "NP-1001", &sita, &found, &err), SP_OK);
    assert_true(found);
    char want[256];
    snprintf(want, sizeof want,
             "\n2,national_id,\"national ID \"\"NP-1001\"\" is already "
             "registered to worker %s",
             sita.id);
    if (strstr(text, want) == NULL)
        fail_msg("no \"%s\" in:\n%s", want + 1, text);
    assert_non_null(strstr(text, "\n5,national_id,\"national ID \"\"NP-9\"\" appears twice in "
                                 "the file: first on row 3\""));
    assert_non_null(strstr(text, "\n6,,\"the same person appears twice in the file: same name, "
                                 "birth date and district as row 4\","));
    assert_non_null(strstr(text, "\n7,,\"a person with the same name, birth date and district "
                                 "is already registered as worker "));
    free(text);
    store_close(s);
}

/* Writes the header and the first `rows` rows of the good file to path. */
static void write_prefix(const char *path, int rows)
{
    char *text = read_text(GOOD_CSV);
    assert_non_null(text);
    char *end = text;
    for (int i = 0; i <= rows; i++)
        end = strchr(end, '\n') + 1;
    *end = '\0';
    write_text(path, text);
    free(text);
}

struct ids {
    char id[GOOD_ROWS + 4][PERSON_ID_SIZE];
    char name[GOOD_ROWS + 4][PERSON_NAME_SIZE];
    int n;
};

static int collect(void *ctx, const struct person *p)
{
    struct ids *ids = ctx;
    if (ids->n < GOOD_ROWS + 4) {
        memcpy(ids->id[ids->n], p->id, PERSON_ID_SIZE);
        memcpy(ids->name[ids->n], p->given_name, PERSON_NAME_SIZE);
    }
    ids->n++;
    return 0;
}

static void an_interrupted_import_resumes_without_duplicates(void **state)
{
    (void)state;
    /* a killed run leaves whole batches: here the first 4 rows */
    struct store *s = open_store("resume.db");
    char prefix[128];
    path_in_dir(prefix, sizeof prefix, "prefix.csv");
    write_prefix(prefix, 4);
    struct import_options o;
    options(&o);
    o.batch = 2;
    struct import_summary sum;
    struct error err;
    assert_int_equal(import(s, prefix, &o, &sum, &err), SP_OK);
    assert_int_equal(count(s), 4);

    /* running the whole file again skips the 4 and adds the rest, in file order */
    assert_int_equal(import(s, GOOD_CSV, &o, &sum, &err), SP_OK);
    assert_int_equal(sum.rows_read, GOOD_ROWS);
    assert_int_equal(sum.already_present, 4);
    assert_int_equal(sum.imported, GOOD_ROWS - 4);
    assert_int_equal(sum.rejected, 0);
    assert_int_equal(count(s), GOOD_ROWS);

    /* and a third run changes nothing */
    uint64_t before = digest(s);
    assert_int_equal(import(s, GOOD_CSV, &o, &sum, &err), SP_OK);
    assert_int_equal(sum.already_present, GOOD_ROWS);
    assert_int_equal(sum.imported, 0);
    assert_true(digest(s) == before);

    /* the worker IDs are the ones a single clean import gives */
    struct store *clean = open_store("clean.db");
    assert_int_equal(import(clean, GOOD_CSV, &o, &sum, &err), SP_OK);
    struct ids a = {.n = 0}, b = {.n = 0};
    assert_int_equal(store_person_each(s, collect, &a, &err), SP_OK);
    assert_int_equal(store_person_each(clean, collect, &b, &err), SP_OK);
    assert_int_equal(a.n, GOOD_ROWS);
    assert_int_equal(b.n, GOOD_ROWS);
    for (int i = 0; i < GOOD_ROWS; i++) {
        assert_string_equal(a.id[i], b.id[i]);
        assert_string_equal(a.name[i], b.name[i]);
    }
    assert_true(digest(s) == digest(clean));
    store_close(clean);
    store_close(s);
}

struct seen {
    int validating, writing;
    int64_t last_total, last_imported;
};

static void on_progress(void *ctx, const struct import_progress *p)
{
    struct seen *seen = ctx;
    if (p->phase == IMPORT_VALIDATING) {
        seen->validating++;
        assert_int_equal(seen->writing, 0);
    } else {
        seen->writing++;
        seen->last_total = p->total;
        seen->last_imported = p->imported;
    }
}

static void progress_reports_both_passes(void **state)
{
    (void)state;
    struct store *s = open_store("progress.db");
    struct import_options o;
    options(&o);
    struct seen seen = {0, 0, 0, 0};
    o.progress = on_progress;
    o.progress_ctx = &seen;
    struct import_summary sum;
    struct error err;
    assert_int_equal(import(s, GOOD_CSV, &o, &sum, &err), SP_OK);
    assert_true(seen.validating >= 1);
    assert_true(seen.writing >= 1);
    assert_int_equal(seen.last_total, GOOD_ROWS);
    assert_int_equal(seen.last_imported, GOOD_ROWS);
    store_close(s);
}

/* Where the other program registers, and whether it has done so yet. */
struct clash {
    const char *path;
    int done;
};

/* Between the passes, another program registers Sita's national ID under another name, once. */
static void register_clash(void *ctx, const struct import_progress *p)
{
    struct clash *c = ctx;
    const char *path = c->path;
    if (p->phase != IMPORT_VALIDATING || c->done)
        return;
    c->done = 1;
    struct store *other = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_open(path, STORE_CREATE, &other, &err), SP_OK);
    struct person clash;
    person_init(&clash);
    const char *fields[][2] = {{"country", "NP"},        {"national_id", "NP-1001"},
                               {"given_name", "Sarita"}, {"family_name", "Karki"},
                               {"sex", "female"},        {"birth_date", "1970-01-01"}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        assert_int_equal(person_set_field(&clash, fields[i][0], fields[i][1], DATE_NONE, &err),
                         SP_OK);
    assert_int_equal(store_begin(other, &err), SP_OK);
    assert_int_equal(store_person_insert(other, &clash, &err), SP_OK);
    assert_int_equal(store_commit(other, &err), SP_OK);
    store_close(other);
}

/* A first load runs in an import session: afterwards the indexes refuse duplicates again. */
static void a_first_load_leaves_the_duplicate_checks_in_place(void **state)
{
    (void)state;
    struct store *s = open_store("first.db");
    struct import_options o;
    options(&o);
    o.batch = 2;
    struct import_summary sum;
    struct error err;
    assert_int_equal(import(s, GOOD_CSV, &o, &sum, &err), SP_OK);
    assert_int_equal(count(s), GOOD_ROWS);
    struct person clash;
    person_init(&clash);
    const char *fields[][2] = {{"country", "NP"},        {"national_id", "NP-1001"},
                               {"given_name", "Sarita"}, {"family_name", "Karki"},
                               {"sex", "female"},        {"birth_date", "1970-01-01"}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        assert_int_equal(person_set_field(&clash, fields[i][0], fields[i][1], DATE_NONE, &err),
                         SP_OK);
    assert_int_equal(store_begin(s, &err), SP_OK);
    assert_int_equal(store_person_insert(s, &clash, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "national_id NP-1001 is already registered"));
    store_rollback(s);
    assert_int_equal(count(s), GOOD_ROWS);
    store_close(s);
}

/*
 * Another writer registers a clashing person while the import runs: the import runs again by
 * itself, and its second pass 1 finds the clash and names it, as for any duplicate row.
 */
static void a_clash_registered_during_the_import_is_named_on_the_second_run(void **state)
{
    (void)state;
    char path[128];
    path_in_dir(path, sizeof path, "clash.db");
    struct store *s = open_store("clash.db");
    struct import_options o;
    options(&o);
    struct clash clash = {path, 0};
    o.progress = register_clash;
    o.progress_ctx = &clash;
    struct import_summary sum;
    struct error err;
    assert_int_equal(import(s, GOOD_CSV, &o, &sum, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, GOOD_CSV ":row 2:"));
    assert_non_null(strstr(err.message, "NP-1001"));
    assert_non_null(strstr(err.message, "with other facts: given_name differs"));
    assert_int_equal(count(s), 1);     /* only the clashing person: the batch was rolled back */
    assert_int_equal(sum.imported, 0); /* and the summary does not count it */
    assert_int_equal(sum.rejected, 1);
    store_close(s);
}

/*
 * Whatever allocation fails, the summary counts exactly the rows that were committed: a failed
 * import never says "imported N" for rows the store does not hold.
 */
static void the_summary_counts_only_committed_rows(void **state)
{
    (void)state;
    struct import_options o;
    options(&o);
    o.batch = 2;
    int failed_while_writing = 0;
    /* every allocation of the first pass, then every 13th of the writing pass (over 1,000) */
    for (long n = 0; n < 100000; n += n < 64 ? 1 : 13) {
        struct store *s = open_store("torture.db");
        struct import_summary sum;
        struct error err;
        alloc_fail_after(n);
        int rc = import(s, GOOD_CSV, &o, &sum, &err);
        alloc_fail_after(-1);
        failed_while_writing += rc != SP_OK && sum.to_import > 0;
        store_close(s);
        s = reopen_store("torture.db");
        assert_int_equal(sum.imported, count(s)); /* what another program sees */
        store_close(s);
        if (rc == SP_OK) {
            assert_int_equal(sum.imported, 6);
            break;
        }
        assert_int_equal(rc, SP_IO);
    }
    assert_true(failed_while_writing > 0); /* the loop reached the writing pass */
}

static void a_missing_file_is_an_io_error(void **state)
{
    (void)state;
    struct import_options o;
    options(&o);
    struct import_summary sum;
    struct error err;
    assert_int_equal(import(NULL, "tests/data/import/no-such-file.csv", &o, &sum, &err), SP_IO);
    assert_non_null(strstr(err.message, "no-such-file.csv: cannot open"));
    o.batch = 0;
    assert_int_equal(import(NULL, GOOD_CSV, &o, &sum, &err), SP_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_errors_name_the_column),
        cmocka_unit_test(a_record_becomes_a_person),
        cmocka_unit_test(every_problem_of_a_row_is_told),
        cmocka_unit_test(a_bad_field_names_its_column_and_reason),
        cmocka_unit_test(spaces_around_a_field_are_part_of_it_and_refused),
        cmocka_unit_test(a_stream_is_validated_and_every_bad_row_listed),
        cmocka_unit_test(broken_csv_stops_at_its_row_and_column),
        cmocka_unit_test(a_file_with_nul_bytes_is_not_a_text_file),
        cmocka_unit_test(a_bare_cr_line_ending_is_refused_with_its_row_and_column),
        cmocka_unit_test(a_bad_row_refuses_the_whole_file),
        cmocka_unit_test(duplicates_are_rejected_with_what_they_duplicate),
        cmocka_unit_test(an_interrupted_import_resumes_without_duplicates),
        cmocka_unit_test(progress_reports_both_passes),
        cmocka_unit_test(a_first_load_leaves_the_duplicate_checks_in_place),
        cmocka_unit_test(a_clash_registered_during_the_import_is_named_on_the_second_run),
        cmocka_unit_test(the_summary_counts_only_committed_rows),
        cmocka_unit_test(a_missing_file_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
