/*
 * yaml_doc.h: a YAML (or JSON) document as a small, read-only tree of maps, sequences and
 * scalars, each node knowing where it was written, plus strict helpers for checking a schema.
 *
 * Scheme, parameter, test-case and situation files are read through this module, so every
 * error they report names the place: "schemes/np/params.yaml:12:7: ..." for YAML, and
 * "situations.json: /persons/0/sex: ..." (a JSON pointer) for JSON, which has no positions.
 *
 * What is accepted: one document; maps whose keys are plain values and appear once; block and
 * flow style; any quoting. Refused, with the position: syntax errors, aliases (*x), explicit
 * tags (!!str), duplicate keys, nesting deeper than YDOC_MAX_DEPTH, more than
 * YDOC_MAX_NODES nodes, input larger than YDOC_MAX_BYTES, NUL bytes anywhere (a binary
 * file, not text: "file:line:col: byte offset N is a NUL byte: this is not a YAML text file").
 * Scalars are kept as the text written: `70`, `"70"` and `2016-07-16` are all text; the
 * loaders decide what they mean.
 *
 * Ownership: a struct ydoc owns every node and string in it; they stay valid until
 * ydoc_free. The file name is copied. A document may have several owners (a scheme loaded
 * from it and the same scheme recompiled under an overlay): each takes a reference with
 * ydoc_ref and gives it back with ydoc_free; the last ydoc_free frees it. Documents are not
 * shared between threads while references are taken or given back.
 *
 * Names start with ydoc_ (YDOC_ for constants), not yaml_: that prefix is libyaml's.
 */
#ifndef SPFLOOR_RULES_YAML_DOC_H
#define SPFLOOR_RULES_YAML_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define YDOC_MAX_BYTES (16u * 1024u * 1024u) /* the largest file read */
#define YDOC_MAX_NODES (2 * 1024 * 1024)     /* nodes in one document */
#define YDOC_MAX_DEPTH 64                    /* nested maps and sequences */

enum ydoc_kind {
    YDOC_SCALAR,
    YDOC_MAP,
    YDOC_SEQ,
};

struct ydoc_node {
    enum ydoc_kind kind;
    int line;                       /* 1-based; 0 in a JSON document */
    int col;                        /* 1-based; of the first character of the value (for a
                                       quoted scalar, of its opening quote) */
    const char *text;               /* SCALAR: the value, NUL-terminated; NULL otherwise */
    size_t len;                     /* SCALAR: strlen(text) */
    uint8_t quoted;                 /* SCALAR: written quoted or as a block (| >); a JSON string */
    uint8_t is_null;                /* SCALAR: plain "", "~", "null", "Null", "NULL"; JSON null */
    int n;                          /* MAP: pairs; SEQ: items; SCALAR: 0 */
    struct ydoc_node **keys;        /* MAP: n keys (scalars), in the order written */
    struct ydoc_node **items;       /* MAP: n values, parallel to keys; SEQ: n items */
    const struct ydoc_node *parent; /* the containing map or sequence; NULL for the root */
    int index;                      /* position in the parent: item or pair number */
};

struct ydoc {
    const char *file;       /* the name used in messages (a copy) */
    int is_json;            /* 1 if read as JSON: positions are JSON pointers */
    struct ydoc_node *root; /* NULL for an empty document */
    struct ydoc_arena *arena;
    int extra_refs; /* owners besides the first (ydoc_ref); ydoc_free frees at 0 */
};

/*
 * Parses n bytes of YAML. `file` names the source in messages. On success *out is a
 * document the caller frees with ydoc_free. On failure returns SP_BAD_INPUT with
 * "file:line:col: message" (or SP_IO when out of memory) and *out is unchanged.
 */
int ydoc_parse(const char *file, const char *bytes, size_t n, struct ydoc **out, struct error *err);

/* Like ydoc_parse for JSON (jansson); syntax errors name file:line:col. */
int ydoc_parse_json(const char *file, const char *bytes, size_t n, struct ydoc **out,
                    struct error *err);

/*
 * Reads and parses the file at path: as JSON if its name ends in ".json", else as YAML.
 * SP_IO if it cannot be read (naming the path and the reason), SP_BAD_INPUT if it is larger
 * than YDOC_MAX_BYTES or does not parse.
 */
int ydoc_load_file(const char *path, struct ydoc **out, struct error *err);

/* Takes one more reference to doc and returns it; each is given back with ydoc_free. */
struct ydoc *ydoc_ref(struct ydoc *doc);

/* Gives back one reference; frees the document when it was the last. Accepts NULL. */
void ydoc_free(struct ydoc *doc);

/*
 * Writes where node is: "file:line:col" for YAML, "file: /a/0/b" (a JSON pointer) for JSON.
 * node may be NULL (the whole document): "file".
 */
void ydoc_where(const struct ydoc *doc, const struct ydoc_node *node, char *out, size_t size);

/*
 * Records SP_BAD_INPUT with "<where node is>: <message>" (unless err holds an error already)
 * and returns SP_BAD_INPUT.
 */
int ydoc_fail(const struct ydoc *doc, const struct ydoc_node *node, struct error *err,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Puts "<where node is>: " in front of the error err holds (from another module's parser). */
void ydoc_prefix(const struct ydoc *doc, const struct ydoc_node *node, struct error *err);

/* The value of `key` in map, or NULL when map is NULL, not a map, or has no such key. */
const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key);

/*
 * Checks that every key of map is one of `allowed` (a NULL-terminated list). Otherwise fails
 * at the key with `unknown key "x": expected one of a, b, c`.
 */
int ydoc_check_keys(const struct ydoc *doc, const struct ydoc_node *map, const char *const *allowed,
                    struct error *err);

/*
 * Checks that node is of `kind`; otherwise fails at node with "<what>: expected a map"
 * (a list, a single value). A NULL node fails at `parent` with "missing <what>".
 */
int ydoc_expect(const struct ydoc *doc, const struct ydoc_node *parent,
                const struct ydoc_node *node, enum ydoc_kind kind, const char *what,
                struct error *err);

/*
 * Fetches the required key of map and checks its kind: "missing key \"id\"" at the map, or
 * "id: expected a single value" at the value. A null scalar counts as missing.
 */
int ydoc_need(const struct ydoc *doc, const struct ydoc_node *map, const char *key,
              enum ydoc_kind kind, const struct ydoc_node **out, struct error *err);

/*
 * Fetches an optional key: *out is NULL when absent or null; otherwise it must be of `kind`.
 */
int ydoc_want(const struct ydoc *doc, const struct ydoc_node *map, const char *key,
              enum ydoc_kind kind, const struct ydoc_node **out, struct error *err);

/*
 * Reads the date (YYYY-MM-DD) under `key` of map into *out; DATE_NONE when it is absent or
 * null and not required. A bad date fails at the value with "key: <why>".
 */
int ydoc_get_date(const struct ydoc *doc, const struct ydoc_node *map, const char *key,
                  int required, int32_t *out, struct error *err);

/* 1 if s is a name as scheme files write them: [a-z][a-z0-9_]*. */
int ydoc_is_name(const char *s);

/* 1 if s is at least min_parts names joined by dots, and shorter than max_len bytes. */
int ydoc_is_dotted_name(const char *s, int min_parts, size_t max_len);

/* The name of a kind for messages: "a map", "a list", "a single value". */
const char *ydoc_kind_name(enum ydoc_kind kind);

#endif
