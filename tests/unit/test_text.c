/* Unit tests for base/text: UTF-8 checking and bounded copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/text.h"

static int utf8(const char *s)
{
    return text_is_utf8(s, strlen(s));
}

static void real_names_in_many_scripts_are_utf8(void **state)
{
    (void)state;
    assert_true(utf8("Sita Sharma"));
    assert_true(utf8("\xe0\xa4\xb8\xe0\xa5\x80\xe0\xa4\xa4\xe0\xa4\xbe")); /* Devanagari */
    assert_true(utf8("\xe1\x9e\x9f\xe1\x9e\xbb\xe1\x9e\x81"));             /* Khmer */
    assert_true(utf8("Bat-Erdene \xd0\x91\xd0\xb0\xd1\x82"));              /* Cyrillic */
    assert_true(utf8("\xf0\x9f\x98\x80"));                                 /* U+1F600 */
}

static void latin1_and_broken_sequences_are_refused(void **state)
{
    (void)state;
    assert_false(utf8("Jos\xe9"));          /* Latin-1 e-acute */
    assert_false(utf8("\xc0\xaf"));         /* overlong "/" */
    assert_false(utf8("\xed\xa0\x80"));     /* a UTF-16 surrogate */
    assert_false(utf8("\xf4\x90\x80\x80")); /* above U+10FFFF */
    assert_false(utf8("\xe0\xa4"));         /* truncated */
}

static void copies_are_bounded_and_report_truncation(void **state)
{
    (void)state;
    char small[5];
    assert_true(text_copy(small, sizeof small, "abcd"));
    assert_false(text_copy(small, sizeof small, "abcdef"));
    assert_string_equal(small, "abcd");
    long long v;
    assert_true(text_parse_int64("-42", &v));
    assert_int_equal(v, -42);
    assert_false(text_parse_int64("42x", &v));
    assert_false(text_parse_int64("99999999999999999999", &v));
}

/* Suggestions for a mistyped word rest on this distance. */
static void edit_distance_counts_the_fewest_changes(void **state)
{
    (void)state;
    assert_int_equal(text_edit_distance("sex", "sex", 3), 0);
    assert_int_equal(text_edit_distance("sexx", "sex", 3), 1);             /* one insertion */
    assert_int_equal(text_edit_distance("birth_dat", "birth_date", 3), 1); /* one deletion */
    assert_int_equal(text_edit_distance("admin1", "admin2", 3), 1);        /* one substitution */
    assert_int_equal(text_edit_distance("", "abc", 9), 3);
    assert_int_equal(text_edit_distance("kitten", "sitting", 9), 3);
    assert_int_equal(text_edit_distance("household", "sex", 3), 3); /* capped */
    char longer[TEXT_EDIT_MAX + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(text_edit_distance(longer, longer, 5), 5); /* too long to measure */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_names_in_many_scripts_are_utf8),
        cmocka_unit_test(latin1_and_broken_sequences_are_refused),
        cmocka_unit_test(copies_are_bounded_and_report_truncation),
        cmocka_unit_test(edit_distance_counts_the_fewest_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
