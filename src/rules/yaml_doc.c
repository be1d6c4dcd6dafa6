#include "rules/yaml_doc.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/alloc.h"
#include "base/date.h"

/* ---- the arena: every node and string of a document, freed together ---- */

#define ARENA_CHUNK (64u * 1024u)

struct arena_chunk {
    struct arena_chunk *next;
    size_t cap;  /* bytes in data */
    size_t used; /* bytes handed out */
    max_align_t data[];
};

struct ydoc_arena {
    struct arena_chunk *chunks; /* the newest first */
};

static void *arena_alloc(struct ydoc_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size_t rounded;
    if (__builtin_add_overflow(size, align - 1, &rounded))
        return NULL;
    rounded &= ~(align - 1);
    struct arena_chunk *c = a->chunks;
    if (c == NULL || c->cap - c->used < rounded) {
        size_t cap = rounded > ARENA_CHUNK ? rounded : ARENA_CHUNK;
        c = sp_malloc(sizeof *c + cap);
        if (c == NULL)
            return NULL;
        c->cap = cap;
        c->used = 0;
        c->next = a->chunks;
        a->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += rounded;
    return p;
}

static char *arena_strndup(struct ydoc_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *copy = arena_alloc(a, n + 1);
    if (copy != NULL) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

static int doc_new(const char *file, int is_json, struct ydoc **out, struct error *err)
{
    struct ydoc *doc = sp_calloc(1, sizeof *doc);
    if (doc == NULL)
        return error_nomem(err);
    doc->arena = sp_calloc(1, sizeof *doc->arena);
    if (doc->arena == NULL) {
        sp_free(doc);
        return error_nomem(err);
    }
    doc->is_json = is_json;
    doc->file = arena_strndup(doc->arena, file, strlen(file));
    if (doc->file == NULL) {
        ydoc_free(doc);
        return error_nomem(err);
    }
    *out = doc;
    return SP_OK;
}

struct ydoc *ydoc_ref(struct ydoc *doc)
{
    doc->extra_refs++;
    return doc;
}

void ydoc_free(struct ydoc *doc)
{
    if (doc == NULL)
        return;
    if (doc->extra_refs > 0) {
        doc->extra_refs--;
        return;
    }
    if (doc->arena != NULL) {
        struct arena_chunk *c = doc->arena->chunks;
        while (c != NULL) {
            struct arena_chunk *next = c->next;
            sp_free(c);
            c = next;
        }
        sp_free(doc->arena);
    }
    sp_free(doc);
}

/* ---- building the tree ---- */

/* A growable list of node pointers, reused while the tree is built. */
struct node_list {
    struct ydoc_node **v;
    int n;
    int cap;
};

/* A map or sequence being read: its children so far. */
struct frame {
    struct ydoc_node *node;
    struct node_list keys;  /* MAP: the keys read so far */
    struct node_list items; /* MAP: the values; SEQ: the items */
};

struct builder {
    struct ydoc *doc;
    struct frame frames[YDOC_MAX_DEPTH];
    int depth; /* frames in use */
    long nodes;
    int have_root;
};

static int list_push(struct node_list *l, struct ydoc_node *node)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        struct ydoc_node **grown = sp_reallocarray(l->v, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return 0;
        l->v = grown;
        l->cap = cap;
    }
    l->v[l->n++] = node;
    return 1;
}

static void builder_release(struct builder *b)
{
    for (int i = 0; i < YDOC_MAX_DEPTH; i++) {
        sp_free(b->frames[i].keys.v);
        sp_free(b->frames[i].items.v);
    }
}

static int fail_at(struct builder *b, int line, int col, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail_at(struct builder *b, int line, int col, struct error *err, const char *fmt, ...)
{
    char message[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (b->doc->is_json)
        return error_set(err, SP_BAD_INPUT, "%s: %s", b->doc->file, message);
    return error_set(err, SP_BAD_INPUT, "%s:%d:%d: %s", b->doc->file, line, col, message);
}

static struct ydoc_node *node_new(struct builder *b, enum ydoc_kind kind, int line, int col,
                                  struct error *err)
{
    if (++b->nodes > YDOC_MAX_NODES) {
        fail_at(b, line, col, err, "too many values: a document may hold at most %d",
                YDOC_MAX_NODES);
        return NULL;
    }
    struct ydoc_node *node = arena_alloc(b->doc->arena, sizeof *node);
    if (node == NULL) {
        error_nomem(err);
        return NULL;
    }
    memset(node, 0, sizeof *node);
    node->kind = kind;
    node->line = line;
    node->col = col;
    return node;
}

/* Hangs a finished node under the open container (or makes it the root). */
static int attach(struct builder *b, struct ydoc_node *node, struct error *err)
{
    if (b->depth == 0) {
        if (b->have_root)
            return fail_at(b, node->line, node->col, err,
                           "a file holds one document; this is a second one");
        b->doc->root = node;
        b->have_root = 1;
        return SP_OK;
    }
    struct frame *f = &b->frames[b->depth - 1];
    node->parent = f->node;
    if (f->node->kind == YDOC_SEQ) {
        node->index = f->items.n;
        return list_push(&f->items, node) ? SP_OK : error_nomem(err);
    }
    if (f->keys.n == f->items.n) {
        if (node->kind != YDOC_SCALAR)
            return fail_at(b, node->line, node->col, err, "a key must be a single name, not %s",
                           ydoc_kind_name(node->kind));
        node->index = f->keys.n;
        return list_push(&f->keys, node) ? SP_OK : error_nomem(err);
    }
    node->index = f->items.n;
    return list_push(&f->items, node) ? SP_OK : error_nomem(err);
}

static int push_container(struct builder *b, enum ydoc_kind kind, int line, int col,
                          struct error *err)
{
    if (b->depth == YDOC_MAX_DEPTH)
        return fail_at(b, line, col, err, "nested too deeply: at most %d levels", YDOC_MAX_DEPTH);
    struct ydoc_node *node = node_new(b, kind, line, col, err);
    if (node == NULL)
        return err->code;
    struct frame *f = &b->frames[b->depth++];
    f->node = node;
    f->keys.n = 0;
    f->items.n = 0;
    return SP_OK;
}

static int compare_keys(const void *a, const void *b)
{
    const struct ydoc_node *x = *(struct ydoc_node *const *)a;
    const struct ydoc_node *y = *(struct ydoc_node *const *)b;
    int c = strcmp(x->text, y->text);
    if (c != 0)
        return c;
    return x->index - y->index;
}

/* Fails at the second occurrence of any key written twice in the map being closed. */
static int check_duplicate_keys(struct builder *b, struct frame *f, struct error *err)
{
    int n = f->keys.n;
    if (n < 2)
        return SP_OK;
    struct ydoc_node **sorted = sp_reallocarray(NULL, (size_t)n, sizeof *sorted);
    if (sorted == NULL)
        return error_nomem(err);
    memcpy(sorted, f->keys.v, sizeof *sorted * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, compare_keys);
    const struct ydoc_node *dup = NULL;
    for (int i = 1; i < n; i++) {
        if (strcmp(sorted[i - 1]->text, sorted[i]->text) == 0 &&
            (dup == NULL || sorted[i]->index < dup->index))
            dup = sorted[i];
    }
    sp_free(sorted);
    if (dup != NULL)
        return fail_at(b, dup->line, dup->col, err, "key \"%s\" appears twice in this map",
                       dup->text);
    return SP_OK;
}

/* Closes the innermost container: copies its children into the arena and attaches it. */
static int pop_container(struct builder *b, struct error *err)
{
    struct frame *f = &b->frames[b->depth - 1];
    struct ydoc_node *node = f->node;
    int n = f->items.n;
    if (node->kind == YDOC_MAP) {
        int rc = check_duplicate_keys(b, f, err);
        if (rc != SP_OK)
            return rc;
    }
    if (n > 0) {
        size_t size = sizeof(struct ydoc_node *) * (size_t)n;
        node->items = arena_alloc(b->doc->arena, size);
        if (node->items == NULL)
            return error_nomem(err);
        memcpy(node->items, f->items.v, size);
        if (node->kind == YDOC_MAP) {
            node->keys = arena_alloc(b->doc->arena, size);
            if (node->keys == NULL)
                return error_nomem(err);
            memcpy(node->keys, f->keys.v, size);
        }
    }
    node->n = n;
    b->depth--;
    return attach(b, node, err);
}

static int is_null_text(const char *text)
{
    return text[0] == '\0' || strcmp(text, "~") == 0 || strcmp(text, "null") == 0 ||
           strcmp(text, "Null") == 0 || strcmp(text, "NULL") == 0;
}

static int add_scalar(struct builder *b, const yaml_event_t *ev, struct error *err)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    if (ev->data.scalar.tag != NULL)
        return fail_at(b, line, col, err, "tags such as %s are not supported",
                       (const char *)ev->data.scalar.tag);
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (strlen(value) != len)
        return fail_at(b, line, col, err, "a value contains a NUL character");
    struct ydoc_node *node = node_new(b, YDOC_SCALAR, line, col, err);
    if (node == NULL)
        return err->code;
    node->text = arena_strndup(b->doc->arena, value, len);
    if (node->text == NULL)
        return error_nomem(err);
    node->len = len;
    node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    node->is_null = !node->quoted && is_null_text(node->text);
    return attach(b, node, err);
}

/* Handles one parser event. *done is set at the end of the stream. */
static int on_event(struct builder *b, const yaml_event_t *ev, int *done, struct error *err)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return SP_OK;
    case YAML_DOCUMENT_START_EVENT:
        if (b->have_root)
            return fail_at(b, line, col, err,
                           "a file holds one document; this is a second one (after ---)");
        return SP_OK;
    case YAML_ALIAS_EVENT:
        return fail_at(b, line, col, err,
                       "aliases (*%s) are not supported: write the value out in full",
                       (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT:
        return add_scalar(b, ev, err);
    case YAML_SEQUENCE_START_EVENT:
        if (ev->data.sequence_start.tag != NULL)
            return fail_at(b, line, col, err, "tags such as %s are not supported",
                           (const char *)ev->data.sequence_start.tag);
        return push_container(b, YDOC_SEQ, line, col, err);
    case YAML_MAPPING_START_EVENT:
        if (ev->data.mapping_start.tag != NULL)
            return fail_at(b, line, col, err, "tags such as %s are not supported",
                           (const char *)ev->data.mapping_start.tag);
        return push_container(b, YDOC_MAP, line, col, err);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return pop_container(b, err);
    default:
        return SP_OK;
    }
}

/*
 * SP_OK if the n bytes at bytes hold no NUL byte; else SP_BAD_INPUT naming the first one by line,
 * column and byte offset: a NUL byte means a binary file, not text, and saying so is clearer
 * than the parser's complaint about a control character.
 */
static int refuse_nul(const char *file, const char *bytes, size_t n, const char *kind,
                      struct error *err)
{
    const char *nul = memchr(bytes, '\0', n);
    if (nul == NULL)
        return SP_OK;
    int line = 1;
    const char *line_start = bytes;
    for (const char *p = bytes; p < nul; p++) {
        if (*p == '\n') {
            line++;
            line_start = p + 1;
        }
    }
    return error_set(err, SP_BAD_INPUT,
                     "%s:%d:%d: byte offset %zu is a NUL byte: this is not a %s text file", file,
                     line, (int)(nul - line_start) + 1, (size_t)(nul - bytes), kind);
}

int ydoc_parse(const char *file, const char *bytes, size_t n, struct ydoc **out, struct error *err)
{
    struct ydoc *doc = NULL;
    int rc = doc_new(file, 0, &doc, err);
    if (rc != SP_OK)
        return rc;
    if (n > YDOC_MAX_BYTES) {
        error_set(err, SP_BAD_INPUT, "%s: too big: more than %u bytes", file, YDOC_MAX_BYTES);
        ydoc_free(doc);
        return SP_BAD_INPUT;
    }
    if (refuse_nul(file, bytes, n, "YAML", err) != SP_OK) {
        ydoc_free(doc);
        return SP_BAD_INPUT;
    }
    struct builder b;
    memset(&b, 0, sizeof b);
    b.doc = doc;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        ydoc_free(doc);
        return error_nomem(err);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)bytes, n);
    int done = 0;
    while (rc == SP_OK && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR) {
                rc = error_nomem(err);
                break;
            }
            const yaml_mark_t *m = &parser.problem_mark;
            rc = error_set(err, SP_BAD_INPUT, "%s:%d:%d: YAML syntax error: %s%s%s", file,
                           (int)m->line + 1, (int)m->column + 1,
                           parser.problem ? parser.problem : "not valid YAML",
                           parser.context ? " " : "", parser.context ? parser.context : "");
            break;
        }
        rc = on_event(&b, &ev, &done, err);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    builder_release(&b);
    if (rc != SP_OK) {
        ydoc_free(doc);
        return rc;
    }
    *out = doc;
    return SP_OK;
}

/* ---- JSON ---- */

static int from_json(struct builder *b, json_t *j, int depth, struct error *err);

static int json_scalar(struct builder *b, const char *text, int quoted, int is_null,
                       struct error *err)
{
    struct ydoc_node *node = node_new(b, YDOC_SCALAR, 0, 0, err);
    if (node == NULL)
        return err->code;
    node->len = strlen(text);
    node->text = arena_strndup(b->doc->arena, text, node->len);
    if (node->text == NULL)
        return error_nomem(err);
    node->quoted = (uint8_t)quoted;
    node->is_null = (uint8_t)is_null;
    return attach(b, node, err);
}

static int json_container(struct builder *b, json_t *j, int depth, struct error *err)
{
    int rc = push_container(b, json_is_object(j) ? YDOC_MAP : YDOC_SEQ, 0, 0, err);
    if (rc != SP_OK)
        return rc;
    if (json_is_object(j)) {
        const char *key;
        json_t *value;
        json_object_foreach(j, key, value)
        {
            rc = json_scalar(b, key, 1, 0, err);
            if (rc == SP_OK)
                rc = from_json(b, value, depth + 1, err);
            if (rc != SP_OK)
                return rc;
        }
    } else {
        size_t i;
        json_t *value;
        json_array_foreach(j, i, value)
        {
            rc = from_json(b, value, depth + 1, err);
            if (rc != SP_OK)
                return rc;
        }
    }
    return pop_container(b, err);
}

static int from_json(struct builder *b, json_t *j, int depth, struct error *err)
{
    char text[64];
    switch (json_typeof(j)) {
    case JSON_OBJECT:
    case JSON_ARRAY:
        return json_container(b, j, depth, err);
    case JSON_STRING:
        return json_scalar(b, json_string_value(j), 1, 0, err);
    case JSON_INTEGER:
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        return json_scalar(b, text, 0, 0, err);
    case JSON_REAL:
        snprintf(text, sizeof text, "%.15g", json_real_value(j));
        return json_scalar(b, text, 0, 0, err);
    case JSON_TRUE:
        return json_scalar(b, "true", 0, 0, err);
    case JSON_FALSE:
        return json_scalar(b, "false", 0, 0, err);
    case JSON_NULL:
    default:
        return json_scalar(b, "null", 0, 1, err);
    }
}

int ydoc_parse_json(const char *file, const char *bytes, size_t n, struct ydoc **out,
                    struct error *err)
{
    if (n > YDOC_MAX_BYTES)
        return error_set(err, SP_BAD_INPUT, "%s: too big: more than %u bytes", file,
                         YDOC_MAX_BYTES);
    if (refuse_nul(file, bytes, n, "JSON", err) != SP_OK)
        return SP_BAD_INPUT;
    json_error_t jerr;
    json_t *j = json_loadb(bytes, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (j == NULL)
        return error_set(err, SP_BAD_INPUT, "%s:%d:%d: JSON syntax error: %s", file, jerr.line,
                         jerr.column, jerr.text);
    struct ydoc *doc = NULL;
    int rc = doc_new(file, 1, &doc, err);
    if (rc == SP_OK) {
        struct builder b;
        memset(&b, 0, sizeof b);
        b.doc = doc;
        rc = from_json(&b, j, 0, err);
        builder_release(&b);
    }
    json_decref(j);
    if (rc != SP_OK) {
        ydoc_free(doc);
        return rc;
    }
    *out = doc;
    return SP_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int ydoc_load_file(const char *path, struct ydoc **out, struct error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, errno == ENOENT ? SP_BAD_INPUT : SP_IO, "%s: cannot open: %s", path,
                         strerror(errno));
    char *bytes = NULL;
    size_t len = 0, cap = 0;
    int rc = SP_OK;
    for (;;) {
        if (cap - len < 4096) {
            size_t grown = cap ? cap * 2 : 8192;
            if (grown > YDOC_MAX_BYTES + 8192u)
                grown = YDOC_MAX_BYTES + 8192u;
            if (grown - len < 1) {
                rc = error_set(err, SP_BAD_INPUT, "%s: too big: more than %u bytes", path,
                               YDOC_MAX_BYTES);
                break;
            }
            char *p = sp_realloc(bytes, grown);
            if (p == NULL) {
                rc = error_nomem(err);
                break;
            }
            bytes = p;
            cap = grown;
        }
        size_t got = fread(bytes + len, 1, cap - len, f);
        len += got;
        if (len > YDOC_MAX_BYTES) {
            rc = error_set(err, SP_BAD_INPUT, "%s: too big: more than %u bytes", path,
                           YDOC_MAX_BYTES);
            break;
        }
        if (got == 0) {
            if (ferror(f))
                rc = error_set(err, SP_IO, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
        if (memchr(bytes + len - got, '\0', got) != NULL)
            break; /* not text: the parse names the NUL byte (and /dev/zero is not read on) */
    }
    fclose(f);
    if (rc == SP_OK) {
        if (ends_with(path, ".json"))
            rc = ydoc_parse_json(path, bytes ? bytes : "", len, out, err);
        else
            rc = ydoc_parse(path, bytes ? bytes : "", len, out, err);
    }
    sp_free(bytes);
    return rc;
}

/* ---- positions and messages ---- */

/* Appends the JSON pointer of node to out (at *len), escaping ~ and /. */
static void pointer_of(const struct ydoc_node *node, char *out, size_t size, size_t *len)
{
    if (node == NULL || node->parent == NULL)
        return;
    pointer_of(node->parent, out, size, len);
    char index[24];
    const char *segment;
    if (node->parent->kind == YDOC_SEQ) {
        snprintf(index, sizeof index, "%d", node->index);
        segment = index;
    } else {
        segment = node->parent->keys[node->index]->text;
        if (node->parent->keys[node->index] == node) /* a key itself: point at its pair */
            segment = node->text;
    }
    if (*len + 1 < size)
        out[(*len)++] = '/';
    for (const char *s = segment; *s && *len + 2 < size; s++) {
        if (*s == '~' || *s == '/') {
            out[(*len)++] = '~';
            out[(*len)++] = *s == '~' ? '0' : '1';
        } else {
            out[(*len)++] = *s;
        }
    }
    out[*len] = '\0';
}

void ydoc_where(const struct ydoc *doc, const struct ydoc_node *node, char *out, size_t size)
{
    if (size == 0)
        return;
    if (node == NULL) {
        snprintf(out, size, "%s", doc->file);
        return;
    }
    if (!doc->is_json) {
        snprintf(out, size, "%s:%d:%d", doc->file, node->line, node->col);
        return;
    }
    char pointer[512];
    size_t len = 0;
    pointer[0] = '\0';
    pointer_of(node, pointer, sizeof pointer, &len);
    snprintf(out, size, "%s: %s", doc->file, len ? pointer : "/");
}

int ydoc_fail(const struct ydoc *doc, const struct ydoc_node *node, struct error *err,
              const char *fmt, ...)
{
    char where[768];
    ydoc_where(doc, node, where, sizeof where);
    char message[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return error_set(err, SP_BAD_INPUT, "%s: %s", where, message);
}

void ydoc_prefix(const struct ydoc *doc, const struct ydoc_node *node, struct error *err)
{
    char where[768];
    ydoc_where(doc, node, where, sizeof where);
    error_prefix(err, "%s", where);
}

/* ---- schema helpers ---- */

const char *ydoc_kind_name(enum ydoc_kind kind)
{
    switch (kind) {
    case YDOC_MAP:
        return "a map";
    case YDOC_SEQ:
        return "a list";
    case YDOC_SCALAR:
    default:
        return "a single value";
    }
}

const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key)
{
    if (map == NULL || map->kind != YDOC_MAP)
        return NULL;
    for (int i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->text, key) == 0)
            return map->items[i];
    return NULL;
}

int ydoc_check_keys(const struct ydoc *doc, const struct ydoc_node *map, const char *const *allowed,
                    struct error *err)
{
    if (map == NULL || map->kind != YDOC_MAP)
        return SP_OK;
    for (int i = 0; i < map->n; i++) {
        const char *key = map->keys[i]->text;
        int known = 0;
        for (const char *const *a = allowed; *a != NULL && !known; a++)
            known = strcmp(*a, key) == 0;
        if (known)
            continue;
        char list[600];
        size_t len = 0;
        list[0] = '\0';
        for (const char *const *a = allowed; *a != NULL; a++) {
            int w = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", *a);
            if (w < 0 || (size_t)w >= sizeof list - len)
                break;
            len += (size_t)w;
        }
        return ydoc_fail(doc, map->keys[i], err, "unknown key \"%s\": expected one of %s", key,
                         list);
    }
    return SP_OK;
}

int ydoc_expect(const struct ydoc *doc, const struct ydoc_node *parent,
                const struct ydoc_node *node, enum ydoc_kind kind, const char *what,
                struct error *err)
{
    if (node == NULL)
        return ydoc_fail(doc, parent, err, "missing %s", what);
    if (node->kind != kind)
        return ydoc_fail(doc, node, err, "%s: expected %s, not %s", what, ydoc_kind_name(kind),
                         ydoc_kind_name(node->kind));
    return SP_OK;
}

int ydoc_need(const struct ydoc *doc, const struct ydoc_node *map, const char *key,
              enum ydoc_kind kind, const struct ydoc_node **out, struct error *err)
{
    const struct ydoc_node *v = ydoc_get(map, key);
    if (v == NULL || (v->kind == YDOC_SCALAR && v->is_null))
        return ydoc_fail(doc, v ? v : map, err, "missing key \"%s\"", key);
    if (v->kind != kind)
        return ydoc_fail(doc, v, err, "%s: expected %s, not %s", key, ydoc_kind_name(kind),
                         ydoc_kind_name(v->kind));
    *out = v;
    return SP_OK;
}

int ydoc_want(const struct ydoc *doc, const struct ydoc_node *map, const char *key,
              enum ydoc_kind kind, const struct ydoc_node **out, struct error *err)
{
    const struct ydoc_node *v = ydoc_get(map, key);
    *out = NULL;
    if (v == NULL || (v->kind == YDOC_SCALAR && v->is_null))
        return SP_OK;
    if (v->kind != kind)
        return ydoc_fail(doc, v, err, "%s: expected %s, not %s", key, ydoc_kind_name(kind),
                         ydoc_kind_name(v->kind));
    *out = v;
    return SP_OK;
}

int ydoc_get_date(const struct ydoc *doc, const struct ydoc_node *map, const char *key,
                  int required, int32_t *out, struct error *err)
{
    const struct ydoc_node *v = NULL;
    int rc = required ? ydoc_need(doc, map, key, YDOC_SCALAR, &v, err)
                      : ydoc_want(doc, map, key, YDOC_SCALAR, &v, err);
    *out = DATE_NONE;
    if (rc != SP_OK || v == NULL)
        return rc;
    rc = date_parse(v->text, out, err);
    if (rc != SP_OK) {
        error_prefix(err, "%s", key);
        ydoc_prefix(doc, v, err);
    }
    return rc;
}

int ydoc_is_name(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

int ydoc_is_dotted_name(const char *s, int min_parts, size_t max_len)
{
    size_t n = strlen(s);
    if (n == 0 || n >= max_len)
        return 0;
    int parts = 1;
    int at_start = 1; /* at the first character of a name */
    for (; *s; s++) {
        if (*s == '.') {
            if (at_start)
                return 0;
            parts++;
            at_start = 1;
        } else if (at_start ? (*s >= 'a' && *s <= 'z')
                            : ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) {
            at_start = 0;
        } else {
            return 0;
        }
    }
    return !at_start && parts >= min_parts;
}
