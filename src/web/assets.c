/*
 * assets.c: the files compiled into the server (cmake/embed.cmake): the style sheet and the
 * API's OpenAPI description.
 */
#include <string.h>

#include "base/embedded.h"
#include "web/web_impl.h"

extern const struct embedded_file web_assets_embedded[];

const char *web_asset(const char *name)
{
    for (const struct embedded_file *f = web_assets_embedded; f->name != NULL; f++)
        if (strcmp(f->name, name) == 0)
            return f->contents;
    return NULL;
}
