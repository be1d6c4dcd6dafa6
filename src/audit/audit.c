/*
 * audit.c: the audit chain's MACs and digests (audit.h).
 */
#include "audit/audit.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

int audit_key_parse(const char *where, const void *text, size_t n, struct audit_key *key,
                    struct error *err)
{
    memset(key, 0, sizeof *key);
    const char *t = text;
    size_t given = n;
    while (n > 0 && isspace((unsigned char)t[n - 1]))
        n--;
    size_t start = 0;
    while (start < n && isspace((unsigned char)t[start]))
        start++;
    size_t bin_len = 0;
    if (n - start == 2 * AUDIT_KEY_BYTES &&
        sodium_hex2bin(key->bytes, sizeof key->bytes, t + start, n - start, NULL, &bin_len, NULL) ==
            0 &&
        bin_len == AUDIT_KEY_BYTES) {
        key->given = 1;
        return SP_OK;
    }
    if (given == AUDIT_KEY_BYTES) { /* raw bytes, white space or not */
        memcpy(key->bytes, text, AUDIT_KEY_BYTES);
        key->given = 1;
        return SP_OK;
    }
    memset(key, 0, sizeof *key);
    return error_set(err, SP_BAD_INPUT,
                     "%s: an audit key is 64 hex digits (or 32 bytes): make one with "
                     "'head -c 32 /dev/urandom | xxd -p -c 64'",
                     where);
}

int audit_key_read_file(const char *path, struct audit_key *key, struct error *err)
{
    memset(key, 0, sizeof *key);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, SP_IO, "%s: the audit key cannot be read: %s", path, strerror(errno));
    char text[4096];
    size_t n = fread(text, 1, sizeof text, f);
    int failed = ferror(f);
    fclose(f);
    if (failed)
        return error_set(err, SP_IO, "%s: the audit key cannot be read", path);
    return audit_key_parse(path, text, n, key, err);
}

int audit_key_create_file(const char *path, struct audit_key *key, struct error *err)
{
    memset(key, 0, sizeof *key);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return error_set(err, SP_IO, "%s: the audit key cannot be made: %s", path, strerror(errno));
    randombytes_buf(key->bytes, sizeof key->bytes);
    char hex[2 * AUDIT_KEY_BYTES + 2];
    sodium_bin2hex(hex, sizeof hex, key->bytes, sizeof key->bytes);
    size_t n = strlen(hex);
    hex[n++] = '\n';
    int ok = write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        memset(key, 0, sizeof *key);
        return error_set(err, SP_IO, "%s: the audit key cannot be written", path);
    }
    key->given = 1;
    return SP_OK;
}

void audit_digest(const void *bytes, size_t n, char out[AUDIT_HEX_SIZE])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, bytes, n, NULL, 0);
    sodium_bin2hex(out, AUDIT_HEX_SIZE, h, sizeof h);
}

struct audit_stream {
    crypto_generichash_state st;
};

struct audit_stream *audit_stream_new(void)
{
    /* libsodium wants the state aligned to 64 bytes, more than malloc promises */
    size_t size = (sizeof(struct audit_stream) + 63) / 64 * 64;
    struct audit_stream *st = aligned_alloc(64, size);
    if (st != NULL)
        crypto_generichash_init(&st->st, NULL, 0, 32);
    return st;
}

void audit_stream_put(struct audit_stream *st, const void *bytes, size_t n)
{
    crypto_generichash_update(&st->st, bytes, n);
}

void audit_stream_end(struct audit_stream *st, char out[AUDIT_HEX_SIZE])
{
    if (st == NULL)
        return;
    if (out != NULL) {
        unsigned char h[32];
        crypto_generichash_final(&st->st, h, sizeof h);
        sodium_bin2hex(out, AUDIT_HEX_SIZE, h, sizeof h);
    }
    sodium_memzero(st, sizeof *st);
    free(st);
}

static void put(crypto_generichash_state *st, const char *text)
{
    crypto_generichash_update(st, (const unsigned char *)text, strlen(text) + 1);
}

void audit_mac(const struct audit_key *key, const char *prev, const struct audit_entry *e,
               char out[AUDIT_HEX_SIZE])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, key->bytes, AUDIT_KEY_BYTES, 32);
    unsigned char seq[8];
    for (int i = 0; i < 8; i++)
        seq[i] = (unsigned char)((uint64_t)e->seq >> (8 * i));
    crypto_generichash_update(&st, seq, sizeof seq);
    put(&st, prev);
    put(&st, e->at);
    put(&st, e->actor);
    put(&st, e->action);
    put(&st, e->object);
    put(&st, e->change);
    unsigned char h[32];
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, AUDIT_HEX_SIZE, h, sizeof h);
}
