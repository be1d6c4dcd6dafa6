/*
 * fuzz_scheme_load: arbitrary bytes loaded as a scheme file (YAML, then the scheme schema and
 * its expressions) against a small fixed parameter set. It must never crash or leak; every
 * refusal is an error with a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/param_load.h"
#include "rules/scheme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char params_yaml[] = "namespace: np.ssa\n"
                                  "parameters:\n"
                                  "  senior_age:\n"
                                  "    unit: years\n"
                                  "    values:\n"
                                  "      2016-07-16: {value: 70, reference: a}\n"
                                  "      2022-07-17: {value: 68, reference: b}\n"
                                  "  allowance:\n"
                                  "    unit: NPR\n"
                                  "    values:\n"
                                  "      2016-07-16: {value: \"2000.00\", reference: c}\n"
                                  "  rate:\n"
                                  "    unit: rate\n"
                                  "    values:\n"
                                  "      2016-07-16: {value: \"11%\", reference: d}\n"
                                  "  districts:\n"
                                  "    type: list\n"
                                  "    values:\n"
                                  "      2016-07-16: {value: null, reference: NOT CONFIRMED}\n";

static struct param_set *params;

static void load_params(void)
{
    struct error err;
    error_init(&err);
    struct ydoc *doc = NULL;
    if (param_set_new(&params, &err) != SP_OK ||
        ydoc_parse("params.yaml", params_yaml, sizeof params_yaml - 1, &doc, &err) != SP_OK ||
        param_load_doc(params, doc, &err) != SP_OK)
        abort();
    ydoc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (params == NULL)
        load_params();
    struct error err;
    error_init(&err);
    struct ydoc *doc = NULL;
    if (ydoc_parse("fuzz.yaml", (const char *)data, size, &doc, &err) != SP_OK) {
        if (err.message[0] == '\0')
            abort();
        return 0;
    }
    struct scheme *s = NULL;
    if (scheme_load_doc(doc, params, &s, &err) != SP_OK) {
        if (err.message[0] == '\0')
            abort();
        ydoc_free(doc);
        return 0;
    }
    scheme_free(s);
    return 0;
}
