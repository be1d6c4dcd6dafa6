/*
 * fuzz_csv_import: CSV import without a store (registry/import.h).
 *
 * Each input is read twice: as a whole CSV file through import_persons_stream (libcsv, the
 * header, every row validated, duplicate keys), and as one record of ','-separated fields
 * under a header of the whole vocabulary through import_record_to_person.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "ops/import.h"

#define FIELDS_MAX 64

static void whole_file(const uint8_t *data, size_t size, int skip_bad)
{
    if (size == 0)
        return; /* fmemopen refuses an empty buffer */
    FILE *in = fmemopen((void *)(uintptr_t)data, size, "r");
    if (in == NULL)
        return;
    struct import_options o;
    import_options_init(&o);
    o.today = date_from_civil(2025, 1, 15);
    o.skip_bad = skip_bad;
    struct import_summary sum;
    struct error err;
    error_init(&err);
    int rc = import_persons_stream(NULL, in, "fuzz.csv", &o, &sum, &err);
    fclose(in);
    if (rc != SP_OK && (err.code != rc || err.message[0] == '\0'))
        __builtin_trap(); /* a failure always says why */
    if (sum.rejected > sum.rows_read + 1 || sum.imported != 0)
        __builtin_trap();
}

static void one_record(const uint8_t *data, size_t size)
{
    static char copy[4096];
    if (size >= sizeof copy)
        size = sizeof copy - 1;
    memcpy(copy, data, size);
    copy[size] = '\0';

    struct import_columns c;
    const char *names[FIELDS_MAX];
    size_t name_lens[FIELDS_MAX];
    int n = person_field_count < FIELDS_MAX ? person_field_count : FIELDS_MAX;
    for (int i = 0; i < n; i++) {
        names[i] = person_fields[i].name;
        name_lens[i] = strlen(names[i]);
    }
    const char *column = NULL;
    struct error err;
    error_init(&err);
    if (import_columns_parse(&c, n, names, name_lens, &column, &err) != SP_OK)
        __builtin_trap(); /* the vocabulary itself is a valid header */

    const char *values[FIELDS_MAX];
    size_t lens[FIELDS_MAX];
    int count = 0;
    char *s = copy, *end = copy + size;
    while (count < FIELDS_MAX) {
        char *comma = memchr(s, ',', (size_t)(end - s));
        values[count] = s;
        lens[count] = comma ? (size_t)(comma - s) : (size_t)(end - s);
        count++;
        if (comma == NULL)
            break;
        *comma = '\0';
        s = comma + 1;
    }
    struct person p;
    error_init(&err);
    int rc = import_record_to_person(&c, count, values, lens, date_from_civil(2025, 1, 15), &p,
                                     &column, &err);
    if (rc != SP_OK && err.message[0] == '\0')
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    whole_file(data, size, 0);
    whole_file(data, size, 1);
    one_record(data, size);
    return 0;
}
