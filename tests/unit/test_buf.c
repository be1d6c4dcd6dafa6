/* Unit tests for base/buf: bounded growth, and failure without damage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A file read whole, after what the buffer held; a missing or too long one leaves it as it was. */
static void a_file_is_read_whole_or_not_at_all(void **state)
{
    (void)state;
    char path[] = "/tmp/test_buf_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char text[70000]; /* more than one read's chunk */
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + i % 26);
    assert_int_equal(write(fd, text, sizeof text), (ssize_t)sizeof text);
    close(fd);
    struct buf b;
    struct error err;
    error_init(&err);
    buf_init(&b, 1 << 20);
    assert_int_equal(buf_puts(&b, "kept:", &err), SP_OK);
    assert_int_equal(buf_read_file(&b, path, &err), SP_OK);
    assert_int_equal(b.len, 5 + sizeof text);
    assert_memory_equal(b.data + 5, text, sizeof text);
    assert_int_equal(b.data[b.len], '\0');

    buf_reset(&b);
    b.max = 1000;
    assert_int_equal(buf_puts(&b, "kept", &err), SP_OK);
    assert_int_equal(buf_read_file(&b, path, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, "too big"));
    assert_string_equal(b.data, "kept");

    unlink(path);
    error_init(&err);
    assert_int_equal(buf_read_file(&b, path, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "cannot open"));
    assert_string_equal(b.data, "kept");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_grow_and_stay_terminated),
        cmocka_unit_test(the_maximum_is_never_passed),
        cmocka_unit_test(out_of_memory_leaves_the_buffer_unchanged),
        cmocka_unit_test(a_file_is_read_whole_or_not_at_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
