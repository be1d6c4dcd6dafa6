/*
 * buf.h: a growable, bounded byte buffer (after git's strbuf and curl's dynbuf).
 *
 * After buf_init, `data` is never NULL and is always NUL-terminated, so it can be used as a C
 * string. `len` excludes the terminator. A buffer never grows beyond `max` bytes: an append that
 * would pass it fails with SP_BAD_INPUT ("too big") and leaves the buffer unchanged.
 * buf_detach is the only way to take ownership of the bytes; buf_release frees them.
 */
#ifndef SPFLOOR_BASE_BUF_H
#define SPFLOOR_BASE_BUF_H

#include <stddef.h>

#include "base/error.h"

struct buf {
    char *data; /* the bytes, NUL-terminated; points at a static "" until the first append */
    size_t len; /* bytes in use, not counting the terminator */
    size_t cap; /* bytes allocated, 0 while data is the static "" */
    size_t max; /* the most bytes this buffer may ever hold */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b); /* frees the bytes; the buffer is empty and usable again */
void buf_reset(struct buf *b);   /* empties the buffer but keeps its memory */
/* Returns the bytes (caller frees with sp_free) and leaves the buffer empty; NULL on OOM. */
char *buf_detach(struct buf *b);

/* Each returns SP_OK, or SP_BAD_INPUT when max would be passed, or SP_IO when out of memory. */
int buf_append(struct buf *b, const void *bytes, size_t n, struct error *err);
int buf_puts(struct buf *b, const char *s, struct error *err);
int buf_putc(struct buf *b, char c, struct error *err);
int buf_printf(struct buf *b, struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Appends text written for a format, failing as buf_append does:
 * - buf_put_xml: escaped for XML content and attributes (&amp; &lt; &gt; &quot; &#39;);
 *   control characters become spaces, and bytes of text that is not UTF-8 become '?';
 * - buf_put_json: as a JSON string, quotes included (\" \\ and \u00XX for control bytes);
 * - buf_put_csv: as an RFC 4180 field, quoted (quotes doubled) when it holds a comma, a
 *   quote or a line break.
 */
int buf_put_xml(struct buf *b, const char *text, struct error *err);
int buf_put_json(struct buf *b, const char *text, struct error *err);
int buf_put_csv(struct buf *b, const char *text, struct error *err);

/*
 * Appends the bytes of the file at path. SP_BAD_INPUT when there is no such file ("<path>:
 * cannot open: ...") or it holds more than max allows ("<path>: too big: ..."); SP_IO when it
 * cannot be opened or read otherwise, or memory runs out. On failure b holds what it held.
 */
int buf_read_file(struct buf *b, const char *path, struct error *err);

#endif
