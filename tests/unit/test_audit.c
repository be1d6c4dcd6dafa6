/*
 * Unit tests for audit/audit: keys as the docs say they are written, a digest that is
 * BLAKE2b-256, and a MAC that changes with every part of an entry, the entry before and the
 * key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "audit/audit.h"
#include "base/text.h"

static void keys_read_as_documented(void **state)
{
    (void)state;
    struct audit_key key;
    struct error err;
    error_init(&err);
    char hex[80];
    for (int i = 0; i < 64; i++)
        hex[i] = "0123456789abcdef"[i % 16];
    hex[64] = '\n';
    hex[65] = '\0';
    assert_int_equal(audit_key_parse("k", hex, strlen(hex), &key, &err), SP_OK);
    assert_int_equal(key.given, 1);
    assert_int_equal(key.bytes[0], 0x01);
    assert_int_equal(key.bytes[31], 0xef);
    unsigned char raw[32] = {9};
    assert_int_equal(audit_key_parse("k", raw, sizeof raw, &key, &err), SP_OK);
    assert_int_equal(key.bytes[0], 9);
    assert_int_equal(audit_key_parse("file.key", "abc", 3, &key, &err), SP_BAD_INPUT);
    assert_int_equal(key.given, 0);
    assert_non_null(strstr(err.message, "file.key: an audit key is 64 hex digits"));
}

static void the_digest_is_blake2b_256(void **state)
{
    (void)state;
    char out[AUDIT_HEX_SIZE];
    audit_digest("", 0, out);
    assert_string_equal(out, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

static void the_mac_covers_every_part(void **state)
{
    (void)state;
    struct audit_key key = {{1}, 1};
    struct audit_entry e = {.seq = 7};
    text_copy(e.at, sizeof e.at, "2026-08-01T10:00:00Z");
    text_copy(e.actor, sizeof e.actor, "clerk");
    text_copy(e.action, sizeof e.action, "person.add");
    text_copy(e.object, sizeof e.object, "000000000019");
    text_copy(e.change, sizeof e.change, "ab");
    char base[AUDIT_HEX_SIZE], other[AUDIT_HEX_SIZE];
    audit_mac(&key, "prev", &e, base);
    audit_mac(&key, "prev", &e, other);
    assert_string_equal(base, other); /* the same entry, the same MAC */
    audit_mac(&key, "prew", &e, other);
    assert_string_not_equal(base, other);
    struct audit_key another = {{2}, 1};
    audit_mac(&another, "prev", &e, other);
    assert_string_not_equal(base, other);
    char *fields[] = {e.at, e.actor, e.action, e.object, e.change};
    for (int i = 0; i < 5; i++) {
        struct audit_entry changed = e;
        char *f = (char *)&changed + (fields[i] - (char *)&e);
        f[0] ^= 1;
        audit_mac(&key, "prev", &changed, other);
        assert_string_not_equal(base, other);
    }
    struct audit_entry later = e;
    later.seq = 8;
    audit_mac(&key, "prev", &later, other);
    assert_string_not_equal(base, other);
    /* the parts are kept apart: moving a byte from one field to the next changes the MAC */
    struct audit_entry moved = e;
    text_copy(moved.actor, sizeof moved.actor, "clerkp");
    text_copy(moved.action, sizeof moved.action, "erson.add");
    audit_mac(&key, "prev", &moved, other);
    assert_string_not_equal(base, other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_read_as_documented),
        cmocka_unit_test(the_digest_is_blake2b_256),
        cmocka_unit_test(the_mac_covers_every_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
