/*
 * Unit tests for the facts vocabulary (model/person.h, PERSON_FIELDS): every table that lists
 * the fields agrees with it (the expression facts, the store's columns), and
 * docs/vocabulary.md is the table generated from it.
 *
 * When a field changes, regenerate the documentation with
 *     SPFLOOR_WRITE_DOCS=1 build/test_vocabulary
 * from the repository's root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/person.h"
#include "rules/expr_impl.h"
#include "store/person_row.h"

#define DOC_PATH  "docs/vocabulary.md"
#define DOC_BEGIN "<!-- generated from PERSON_FIELDS (src/model/person.h): begin -->\n"
#define DOC_END   "<!-- generated: end -->\n"
#define DOC_MAX   (1u << 20)

/* The documentation's table, as generated from person_fields. */
static void generate(struct buf *out)
{
    struct error err;
    error_init(&err);
    assert_int_equal(buf_puts(out,
                              "| field | type | required | allowed words | what it is |\n"
                              "|---|---|---|---|---|\n",
                              &err),
                     SP_OK);
    for (int i = 0; i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        assert_int_equal(buf_printf(out, &err, "| `%s` | %s | %s | ", f->name,
                                    person_field_type_name(f->type), f->required ? "yes" : "no"),
                         SP_OK);
        for (int k = 0; f->choices != NULL && f->choices[k] != NULL; k++)
            assert_int_equal(buf_printf(out, &err, "%s`%s`", k ? ", " : "", f->choices[k]), SP_OK);
        assert_int_equal(buf_printf(out, &err, " | %s |\n", f->description), SP_OK);
    }
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *text = calloc(DOC_MAX + 1, 1);
    size_t n = fread(text, 1, DOC_MAX, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* docs/vocabulary.md holds exactly the generated table between its markers. */
static void the_documentation_is_generated_from_the_model(void **state)
{
    (void)state;
    struct buf table;
    buf_init(&table, DOC_MAX);
    generate(&table);
    char *doc = read_all(DOC_PATH);
    assert_non_null(doc);
    char *begin = strstr(doc, DOC_BEGIN);
    char *end = begin ? strstr(begin, DOC_END) : NULL;
    assert_non_null(begin);
    assert_non_null(end);
    begin += strlen(DOC_BEGIN);
    size_t n = (size_t)(end - begin);
    int same = n == table.len && memcmp(begin, table.data, n) == 0;
    if (!same && getenv("SPFLOOR_WRITE_DOCS") != NULL) {
        FILE *f = fopen(DOC_PATH, "wb");
        assert_non_null(f);
        fwrite(doc, 1, (size_t)(begin - doc), f);
        fwrite(table.data, 1, table.len, f);
        fputs(end, f);
        assert_int_equal(fclose(f), 0);
        same = 1;
    }
    if (!same)
        fail_msg("%s is not the table PERSON_FIELDS gives: run SPFLOOR_WRITE_DOCS=1 "
                 "build/test_vocabulary, or paste:\n%s",
                 DOC_PATH, table.data);
    free(doc);
    buf_release(&table);
}

/* The expression language reads the same facts, in the same order, at the same places. */
static void expressions_read_every_field(void **state)
{
    (void)state;
    assert_int_equal(expr_fact_count, person_field_count);
    for (int i = 0; i < person_field_count; i++) {
        assert_string_equal(expr_facts[i].name, person_fields[i].name);
        assert_int_equal(expr_facts[i].offset, person_fields[i].offset);
        assert_ptr_equal(expr_facts[i].choices, person_fields[i].choices);
        assert_ptr_equal(person_field_find(person_fields[i].name), &person_fields[i]);
    }
}

/* The persons table's columns are the vocabulary's, in order (store/person_row.h). */
static void the_row_columns_follow_the_vocabulary(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    if (person_row_check(&err) != SP_OK)
        fail_msg("%s", err.message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_documentation_is_generated_from_the_model),
        cmocka_unit_test(expressions_read_every_field),
        cmocka_unit_test(the_row_columns_follow_the_vocabulary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
