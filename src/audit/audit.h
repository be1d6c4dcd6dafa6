/*
 * audit.h: the audit log's chain (docs/audit.md): every write to the registry appends an
 * entry, and each entry's MAC covers the entry and the MAC before it, keyed BLAKE2b (libsodium
 * crypto_generichash) with a key kept outside the database. Altering, removing or reordering
 * an entry breaks every MAC from it on; without the key nobody can forge new ones.
 *
 * Pure: no database. The store appends entries (store.h), ops/audit verifies them.
 */
#ifndef SPFLOOR_AUDIT_AUDIT_H
#define SPFLOOR_AUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define AUDIT_KEY_BYTES   32
#define AUDIT_HEX_SIZE    65 /* a 32-byte MAC or digest in hex, with its NUL */
#define AUDIT_WHEN_SIZE   24 /* YYYY-MM-DDTHH:MM:SSZ */
#define AUDIT_ACTOR_SIZE  65
#define AUDIT_WORD_SIZE   33  /* the action: "person.add", "enrolment.add" ... */
#define AUDIT_OBJECT_SIZE 129 /* what was written: a worker ID, "import 000000000019..." */

struct audit_entry {
    int64_t seq;                    /* 1, 2, 3 ... with no gap */
    char at[AUDIT_WHEN_SIZE];       /* when, UTC */
    char actor[AUDIT_ACTOR_SIZE];   /* who */
    char action[AUDIT_WORD_SIZE];   /* what */
    char object[AUDIT_OBJECT_SIZE]; /* on what */
    char change[AUDIT_HEX_SIZE];    /* the digest of the change (audit_digest) */
    char mac[AUDIT_HEX_SIZE];       /* the chain's MAC (audit_mac) */
};

/* The chain's key: 32 bytes, or none (then the chain is computed with a key of zeros, and
 * anyone who can write the database can rewrite it: verify says so). */
struct audit_key {
    unsigned char bytes[AUDIT_KEY_BYTES];
    int given; /* 1 if a key was read */
};

/*
 * Reads a key from text: 64 hex digits (white space around them ignored), or exactly 32 raw
 * bytes. SP_BAD_INPUT naming `where` otherwise.
 */
int audit_key_parse(const char *where, const void *text, size_t n, struct audit_key *key,
                    struct error *err);

/* Reads a key file (audit_key_parse of its bytes, at most 4 KiB). SP_IO when it cannot be read. */
int audit_key_read_file(const char *path, struct audit_key *key, struct error *err);

/*
 * Makes a new random key and writes it to path as 64 hex digits, readable by its owner only
 * (0600), refusing to replace a file that exists. SP_IO on failure.
 */
int audit_key_create_file(const char *path, struct audit_key *key, struct error *err);

/* The digest of n bytes (BLAKE2b-256, unkeyed), in hex. */
void audit_digest(const void *bytes, size_t n, char out[AUDIT_HEX_SIZE]);

/* The same digest over bytes given piece by piece: audit_stream_new, audit_stream_put for
 * each piece, then audit_stream_end, which writes the digest and frees the stream (NULL only
 * frees it). audit_stream_new returns NULL when out of memory. */
struct audit_stream;
struct audit_stream *audit_stream_new(void);
void audit_stream_put(struct audit_stream *st, const void *bytes, size_t n);
void audit_stream_end(struct audit_stream *st, char out[AUDIT_HEX_SIZE]);

/*
 * The MAC of e (its seq, at, actor, action, object and change; not e->mac) after the entry
 * whose MAC is prev ("" for the first), keyed with key, in hex.
 */
void audit_mac(const struct audit_key *key, const char *prev, const struct audit_entry *e,
               char out[AUDIT_HEX_SIZE]);

#endif
