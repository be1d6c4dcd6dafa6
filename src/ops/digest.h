/*
 * digest.h: SHA-256 digests of what a result was computed from (a scheme library's files,
 * overlay files, a population), so that a simulation, and later a payroll, can say exactly
 * what it used. Written as 64 lower-case hex digits.
 */
#ifndef SPFLOOR_OPS_DIGEST_H
#define SPFLOOR_OPS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define DIGEST_HEX_SIZE 65 /* 64 hex digits and the terminator */

struct digest {
    _Alignas(
        64) unsigned char state[512]; /* libsodium's SHA-256 state (crypto_hash_sha256_state) */
};

void digest_init(struct digest *d);
void digest_bytes(struct digest *d, const void *bytes, size_t n);
void digest_text(struct digest *d, const char *text); /* its bytes and a NUL, so "a","b" != "ab" */
void digest_int(struct digest *d, int64_t v);         /* as 8 little-endian bytes */

/* Adds the bytes of the file at path. SP_IO naming the path when it cannot be read. */
int digest_file(struct digest *d, const char *path, struct error *err);

/*
 * Adds every regular file under dir, recursively, in byte order of their paths relative to
 * dir, each as its relative path and its bytes (so a renamed or moved file changes it too).
 * SP_IO naming the path when one cannot be read; SP_IO when out of memory.
 */
int digest_dir(struct digest *d, const char *dir, struct error *err);

/* Ends d and writes the digest as hex into out; d must be initialised again to be reused. */
void digest_hex(struct digest *d, char out[DIGEST_HEX_SIZE]);

#endif
