/*
 * fuzz_situation_load: arbitrary bytes read as a situations file (what `spfloor evaluate`
 * reads): YAML when the first byte is even, JSON when it is odd. It must never crash or leak;
 * every refusal is an error with a message naming where.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/date.h"
#include "rules/situation_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int as_json = data[0] & 1;
    const char *text = (const char *)data + 1;
    struct error err;
    error_init(&err);
    struct ydoc *doc = NULL;
    int rc = as_json ? ydoc_parse_json("s.json", text, size - 1, &doc, &err)
                     : ydoc_parse("s.yaml", text, size - 1, &doc, &err);
    if (rc != SP_OK) {
        if (err.message[0] == '\0')
            abort(); /* a refusal always says why */
        return 0;
    }
    if (doc->root != NULL && doc->root->kind == YDOC_MAP) {
        struct situation_options options = {DATE_NONE, NULL};
        struct situation s;
        situation_init(&s);
        error_init(&err);
        if (situation_load_node(doc, doc->root, &options, &s, &err) == SP_OK)
            situation_release(&s);
        else if (err.message[0] == '\0')
            abort();
    }
    ydoc_free(doc);
    return 0;
}
