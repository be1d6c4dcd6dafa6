#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void error_init(struct error *err)
{
    err->code = SP_OK;
    err->message[0] = '\0';
}

int error_set(struct error *err, int code, const char *fmt, ...)
{
    if (err == NULL || err->code != SP_OK)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void error_prefix(struct error *err, const char *fmt, ...)
{
    if (err == NULL || err->code == SP_OK)
        return;
    char prefix[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char joined[ERROR_MESSAGE_MAX];
    struct {
        const char *text;
    } parts[] = {{prefix}, {": "}, {err->message}};
    size_t len = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t n = strlen(parts[i].text);
        if (n > sizeof joined - 1 - len)
            n = sizeof joined - 1 - len;
        memcpy(joined + len, parts[i].text, n);
        len += n;
    }
    joined[len] = '\0';
    memcpy(err->message, joined, len + 1);
}

int error_nomem(struct error *err)
{
    return error_set(err, SP_IO, "out of memory");
}
