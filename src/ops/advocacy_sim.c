/*
 * advocacy_sim.c: whom a proposal would benefit, from a simulation (advocacy_sim.h).
 */
#include "ops/advocacy_sim.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "ops/outreach.h"
#include "ops/rules.h"
#include "ops/simulate.h"
#include "registry/population.h"

/* The gainers of cell `label` of breakdown dim, in whole persons (0 without the cell). */
static int64_t gainers(const struct sim_report *r, enum sim_dim dim, const char *label)
{
    const struct sim_breakdown *b = &r->by[dim];
    int k = label != NULL ? report_labels_lookup(&b->labels, label) : 0;
    if (k < 0 || k >= b->n)
        return 0;
    int64_t w = b->cells[k].band[SIM_GAIN_MORE_5] + b->cells[k].band[SIM_GAIN_LESS_5];
    return (w + SIM_WEIGHT_ONE / 2) / SIM_WEIGHT_ONE; /* weights are millionths, >= 0 */
}

int advocacy_simulate(struct store *store, const struct advocacy_sim_query *q, struct advocacy *a,
                      struct error *err)
{
    struct ops_rules baseline, reform;
    memset(&baseline, 0, sizeof baseline);
    memset(&reform, 0, sizeof reform);
    struct sim_report r;
    memset(&r, 0, sizeof r);
    if (q->synthetic && population_country_people(a->country) == 0)
        return error_set(err, SP_BAD_INPUT, "no synthetic population is shipped for %s",
                         a->country);
    int rc = ops_rules_load(q->schemes_dir, NULL, 0, store, &baseline, err);
    if (rc == SP_OK)
        rc = ops_rules_load(q->schemes_dir, &q->reform, 1, store, &reform, err);
    struct simulate_query sq = {
        .as_of = q->as_of, .country = a->country, .baseline = baseline.lib, .reform = reform.lib};
    char digest[65];
    if (rc == SP_OK)
        rc = q->synthetic ? simulate_synthetic(ADVOCACY_SYNTHETIC_SEED, ADVOCACY_SYNTHETIC_PERSONS,
                                               &sq, &r, err)
                          : simulate_registry(store, &sq, &r, digest, err);
    if (rc == SP_OK) {
        a->benefit = gainers(&r, SIM_BY_TOTAL, NULL);
        a->benefit_women = gainers(&r, SIM_BY_SEX, "female");
        a->benefit_young = gainers(&r, SIM_BY_YOUTH, "under_35");
        char day[DATE_TEXT_SIZE], population[64];
        date_format(q->as_of, day);
        if (q->synthetic)
            snprintf(population, sizeof population, "a synthetic population of %s (%d persons)",
                     a->country, ADVOCACY_SYNTHETIC_PERSONS);
        else
            snprintf(population, sizeof population, "the registry");
        snprintf(a->source, sizeof a->source, "%s%s over %s on %s", ADVOCACY_SIMULATION_SOURCE,
                 reform.overlays[reform.n_overlays - 1]->id, population, day);
    }
    sim_report_release(&r);
    ops_rules_release(&baseline);
    ops_rules_release(&reform);
    return rc;
}
