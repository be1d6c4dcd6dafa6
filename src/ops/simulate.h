/*
 * simulate.h: a reform simulation (docs/simulation.md): one pass over a population, each
 * block of whole households decided under a baseline rule set and under a reform while it is
 * in memory, the differences summed into the tables of report/simulation.h.
 *
 * The population is the registry, a synthetic population (registry/population.h), or a
 * situations file. Only persons of the query's country count; each is decided for every
 * scheme of that country, exclusion groups applied under each rule set, and what each scheme
 * pays is annualised by its `per` (simulate_per_year).
 */
#ifndef SPFLOOR_OPS_SIMULATE_H
#define SPFLOOR_OPS_SIMULATE_H

#include <stdint.h>

#include "base/error.h"
#include "report/simulation.h"
#include "rules/scheme.h"
#include "rules/situation.h"
#include "store/store.h"

/* Weights of persons by id, from a file (simulate_weights_load). */
struct simulate_weights {
    char *file;      /* the file's name, for messages (owned) */
    char **ids;      /* sorted (owned) */
    int64_t *weight; /* parallel to ids: millionths of a person */
    int n;
};

/* Called after each block with the persons decided so far; must not fail. */
typedef void (*simulate_progress_fn)(void *ctx, int64_t persons);

struct simulate_query {
    int32_t as_of;
    const char *country;                    /* "NP": its persons and its schemes */
    const struct scheme_library *baseline;  /* the rule set today */
    const struct scheme_library *reform;    /* the same schemes, reformed */
    const struct simulate_weights *weights; /* NULL: every person weighs one */
    simulate_progress_fn progress;          /* may be NULL */
    void *progress_ctx;
};

/*
 * Reads a weights file: CSV with the header "id,weight", then one row per person, the weight
 * a number >= 0 with up to 6 decimal places ("1", "2.5", "1523.456789"). A row that is not two
 * fields, a weight that is negative or not such a number, or an id given twice is
 * SP_BAD_INPUT naming file:row:column. SP_IO when it cannot be read. The caller releases
 * *out with simulate_weights_release, whatever is returned.
 */
int simulate_weights_load(const char *path, struct simulate_weights *out, struct error *err);
void simulate_weights_release(struct simulate_weights *w); /* accepts a zeroed struct */

/*
 * How many times a year an amount of a scheme's `per` is paid, for a simulation's cost: as
 * scheme_per_year (fortnight 26, month 12, quarter 4, year 1; 0 for a day, whose days are not
 * known), and a one-off benefit once, as if its contingency falls in the year.
 */
int simulate_per_year(enum scheme_per per);

/*
 * Each runs the simulation into *r, which it initialises (the caller releases it with
 * sim_report_release, whatever is returned). SP_BAD_INPUT when the country has no scheme in
 * the library, when the two rule sets do not hold the same schemes, or when a person has no
 * weight in q->weights (naming the person and the file); SP_IO for the store or memory.
 *
 * simulate_registry reads every person of q->country from the store, with their enrolments,
 * and writes the digest of what it read (every fact of every person, in order) to digest_out.
 * simulate_synthetic generates n persons of q->country with the given seed
 * (registry/population.h); each weighs population_country_people / n, unless q->weights
 * is given. simulate_situation decides the persons of a loaded situation, with its
 * enrolments.
 */
int simulate_registry(struct store *store, const struct simulate_query *q, struct sim_report *r,
                      char digest_out[65], struct error *err);
int simulate_synthetic(uint64_t seed, int64_t n, const struct simulate_query *q,
                       struct sim_report *r, struct error *err);
int simulate_situation(const struct situation *s, const struct simulate_query *q,
                       struct sim_report *r, struct error *err);

#endif
