/*
 * fuzz_overlay_load: arbitrary bytes loaded as an overlay file (YAML, then the overlay schema,
 * its dated values and its rules' expressions) against a small library written once to a
 * scratch folder, then laid over it. It must never crash or leak; every refusal is an error
 * with a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules/overlay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char params_yaml[] = "namespace: np.ssa\n"
                                  "parameters:\n"
                                  "  senior_age:\n"
                                  "    unit: years\n"
                                  "    values:\n"
                                  "      2016-07-16: {value: 70, reference: a}\n"
                                  "  allowance:\n"
                                  "    unit: NPR\n"
                                  "    values:\n"
                                  "      2016-07-16: {value: \"2000.00\", reference: c}\n"
                                  "  districts:\n"
                                  "    type: list\n"
                                  "    values:\n"
                                  "      2016-07-16: {value: null, reference: NOT CONFIRMED}\n";

static const char scheme_yaml[] = "id: np.ssa.senior\n"
                                  "name: Senior\n"
                                  "country: NP\n"
                                  "branch: old_age\n"
                                  "kind: non_contributory\n"
                                  "currency: NPR\n"
                                  "params: np.ssa\n"
                                  "values:\n"
                                  "  age: age_years(birth_date)\n"
                                  "eligibility:\n"
                                  "  - {name: old, when: age >= params.senior_age}\n"
                                  "  - {name: karnali, when: admin2 in params.districts}\n"
                                  "amount: params.allowance\n"
                                  "per: month\n";

static struct scheme_library *base;

/* Writes text to dir/name; aborts on failure. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0)
        abort();
}

static void load_base(void)
{
    char dir[] = "/tmp/fuzz_overlay.XXXXXX";
    if (mkdtemp(dir) == NULL)
        abort();
    write_file(dir, "params.yaml", params_yaml);
    write_file(dir, "senior.yaml", scheme_yaml);
    struct error err;
    error_init(&err);
    if (scheme_library_load(dir, &base, &err) != SP_OK)
        abort();
    char path[256];
    snprintf(path, sizeof path, "%s/params.yaml", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/senior.yaml", dir);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (base == NULL)
        load_base();
    struct error err;
    error_init(&err);
    struct overlay *o = NULL;
    if (overlay_load_text("fuzz.yaml", (const char *)data, size, base, &o, &err) != SP_OK) {
        if (err.message[0] == '\0')
            abort();
        return 0;
    }
    struct scheme_library *lib = NULL;
    const struct overlay *const list[] = {o, o}; /* laid twice: the later wins */
    if (scheme_library_overlay(base, list, 2, &lib, &err) != SP_OK)
        abort(); /* an overlay that loaded against base always fits it */
    scheme_library_free(lib);
    overlay_free(o);
    return 0;
}
