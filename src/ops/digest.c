/*
 * digest.c: SHA-256 through libsodium (digest.h).
 */
#include "ops/digest.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/buf.h"

#define PATH_SIZE 4096

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(struct digest),
               "struct digest holds libsodium's SHA-256 state");

static crypto_hash_sha256_state *state_of(struct digest *d)
{
    return (crypto_hash_sha256_state *)(void *)d->state;
}

void digest_init(struct digest *d)
{
    crypto_hash_sha256_init(state_of(d));
}

void digest_bytes(struct digest *d, const void *bytes, size_t n)
{
    crypto_hash_sha256_update(state_of(d), bytes, n);
}

void digest_text(struct digest *d, const char *text)
{
    digest_bytes(d, text, strlen(text) + 1);
}

void digest_int(struct digest *d, int64_t v)
{
    unsigned char b[8];
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    digest_bytes(d, b, sizeof b);
}

int digest_file(struct digest *d, const char *path, struct error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, SP_IO, "%s: %s", path, strerror(errno));
    unsigned char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        digest_bytes(d, chunk, n);
    int failed = ferror(f);
    fclose(f);
    return failed ? error_set(err, SP_IO, "%s: cannot be read", path) : SP_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the files under root/rel (rel "" for root itself), in name order. */
static int digest_under(struct digest *d, const char *root, const char *rel, int depth,
                        struct error *err)
{
    char path[PATH_SIZE];
    if (snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel) >= (int)sizeof path)
        return error_set(err, SP_IO, "%s/%s: path too long", root, rel);
    if (depth > 16)
        return error_set(err, SP_IO, "%s: folders nested too deep", path);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return error_set(err, SP_IO, "%s: %s", path, strerror(errno));
    char **names = NULL;
    int n = 0, cap = 0, rc = SP_OK;
    struct dirent *e;
    while (rc == SP_OK && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = sp_reallocarray(names, (size_t)cap, sizeof *grown);
            if (grown == NULL) {
                rc = error_nomem(err);
                break;
            }
            names = grown;
        }
        names[n] = sp_strdup(e->d_name);
        rc = names[n] == NULL ? error_nomem(err) : SP_OK;
        n += rc == SP_OK;
    }
    closedir(dir);
    if (n > 0)
        qsort(names, (size_t)n, sizeof *names, compare_names);
    for (int i = 0; rc == SP_OK && i < n; i++) {
        char sub[PATH_SIZE], full[PATH_SIZE];
        struct stat st;
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", names[i]) >=
                (int)sizeof sub ||
            snprintf(full, sizeof full, "%s/%s", root, sub) >= (int)sizeof full) {
            rc = error_set(err, SP_IO, "%s/%s: path too long", path, names[i]);
            break;
        }
        if (stat(full, &st) != 0)
            rc = error_set(err, SP_IO, "%s: %s", full, strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = digest_under(d, root, sub, depth + 1, err);
        else if (S_ISREG(st.st_mode)) {
            digest_text(d, sub);
            rc = digest_file(d, full, err);
        }
    }
    for (int i = 0; i < n; i++)
        sp_free(names[i]);
    sp_free(names);
    return rc;
}

int digest_dir(struct digest *d, const char *dir, struct error *err)
{
    return digest_under(d, dir, "", 0, err);
}

void digest_hex(struct digest *d, char out[DIGEST_HEX_SIZE])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(state_of(d), h);
    sodium_bin2hex(out, DIGEST_HEX_SIZE, h, sizeof h);
}
