/* Unit tests for base/buf: bounded growth, and failure without damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

static void appends_grow_and_stay_terminated(void **state)
{
    (void)state;
    struct buf b;
    struct error err;
    error_init(&err);
    buf_init(&b, 1 << 20);
    assert_string_equal(b.data, "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(buf_printf(&b, &err, "%d,", i), SP_OK);
    assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
    assert_int_equal(b.len, strlen(b.data));
    buf_release(&b);
}

static void the_maximum_is_never_passed(void **state)
{
    (void)state;
    struct buf b;
    struct error err;
    error_init(&err);
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345678", &err), SP_OK);
    assert_int_equal(buf_putc(&b, '9', &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "too big"));
    assert_string_equal(b.data, "12345678");
    buf_release(&b);
}

static void out_of_memory_leaves_the_buffer_unchanged(void **state)
{
    (void)state;
    struct buf b;
    struct error err;
    error_init(&err);
    buf_init(&b, 1 << 20);
    assert_int_equal(buf_puts(&b, "kept", &err), SP_OK);
    alloc_fail_after(0);
    char big[200];
    memset(big, 'x', sizeof big);
    int rc = buf_append(&b, big, sizeof big, &err);
    alloc_fail_after(-1);
    assert_int_equal(rc, SP_IO);
    assert_string_equal(b.data, "kept");
    char *owned = buf_detach(&b);
    assert_string_equal(owned, "kept");
    assert_string_equal(b.data, "");
    sp_free(owned);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_grow_and_stay_terminated),
        cmocka_unit_test(the_maximum_is_never_passed),
        cmocka_unit_test(out_of_memory_leaves_the_buffer_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
