#include "base/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/text.h"

static char empty_string[1];

void buf_init(struct buf *b, size_t max)
{
    b->data = empty_string;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_release(struct buf *b)
{
    if (b->cap)
        sp_free(b->data);
    buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

char *buf_detach(struct buf *b)
{
    char *bytes = b->cap ? b->data : sp_strdup("");
    buf_init(b, b->max);
    return bytes;
}

/* Makes room for `extra` more bytes plus the terminator. */
static int buf_grow(struct buf *b, size_t extra, struct error *err)
{
    size_t need;
    if (__builtin_add_overflow(b->len, extra, &need) || need > b->max)
        return error_set(err, SP_BAD_INPUT, "too big: more than %zu bytes", b->max);
    if (need + 1 <= b->cap)
        return SP_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need + 1)
        cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
    char *data = sp_realloc(b->cap ? b->data : NULL, cap);
    if (data == NULL)
        return error_nomem(err);
    if (b->cap == 0)
        data[0] = '\0';
    b->data = data;
    b->cap = cap;
    return SP_OK;
}

int buf_append(struct buf *b, const void *bytes, size_t n, struct error *err)
{
    int rc = buf_grow(b, n, err);
    if (rc != SP_OK)
        return rc;
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SP_OK;
}

int buf_puts(struct buf *b, const char *s, struct error *err)
{
    return buf_append(b, s, strlen(s), err);
}

int buf_putc(struct buf *b, char c, struct error *err)
{
    return buf_append(b, &c, 1, err);
}

int buf_printf(struct buf *b, struct error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return error_set(err, SP_IO, "cannot format text");
    int rc = buf_grow(b, (size_t)n, err);
    if (rc != SP_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SP_OK;
}

int buf_put_xml(struct buf *b, const char *text, struct error *err)
{
    int utf8 = text_is_utf8(text, strlen(text));
    int rc = SP_OK;
    for (const unsigned char *s = (const unsigned char *)text; *s && rc == SP_OK; s++) {
        switch (*s) {
        case '&':
            rc = buf_puts(b, "&amp;", err);
            break;
        case '<':
            rc = buf_puts(b, "&lt;", err);
            break;
        case '>':
            rc = buf_puts(b, "&gt;", err);
            break;
        case '"':
            rc = buf_puts(b, "&quot;", err);
            break;
        case '\'':
            rc = buf_puts(b, "&#39;", err);
            break;
        default:
            if (*s < 0x20)
                rc = buf_putc(b, ' ', err);
            else if (*s >= 0x80 && !utf8)
                rc = buf_putc(b, '?', err);
            else
                rc = buf_putc(b, (char)*s, err);
        }
    }
    return rc;
}

int buf_put_json(struct buf *b, const char *text, struct error *err)
{
    int rc = buf_putc(b, '"', err);
    for (const unsigned char *s = (const unsigned char *)text; *s && rc == SP_OK; s++) {
        if (*s == '"' || *s == '\\')
            rc = buf_printf(b, err, "\\%c", *s);
        else if (*s < 0x20)
            rc = buf_printf(b, err, "\\u%04x", *s);
        else
            rc = buf_putc(b, (char)*s, err);
    }
    return rc == SP_OK ? buf_putc(b, '"', err) : rc;
}

int buf_put_csv(struct buf *b, const char *text, struct error *err)
{
    if (strpbrk(text, ",\"\r\n") == NULL)
        return buf_puts(b, text, err);
    int rc = buf_putc(b, '"', err);
    for (const char *s = text; *s && rc == SP_OK; s++)
        rc = *s == '"' ? buf_puts(b, "\"\"", err) : buf_putc(b, *s, err);
    return rc == SP_OK ? buf_putc(b, '"', err) : rc;
}

int buf_read_file(struct buf *b, const char *path, struct error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, errno == ENOENT ? SP_BAD_INPUT : SP_IO, "%s: cannot open: %s", path,
                         strerror(errno));
    size_t start = b->len;
    int held = err != NULL && err->code != SP_OK; /* an error from before: not ours to prefix */
    char chunk[65536];
    size_t n;
    int rc = SP_OK;
    while (rc == SP_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(b, chunk, n, err);
    if (rc == SP_OK && ferror(f))
        rc = error_set(err, SP_IO, "%s: cannot read: %s", path, strerror(errno));
    fclose(f);
    if (rc == SP_BAD_INPUT && !held) /* too big: say which file */
        error_prefix(err, "%s", path);
    if (rc != SP_OK && b->cap) {
        b->len = start;
        b->data[start] = '\0';
    }
    return rc;
}
