/*
 * advocacy_sim.h: whom a proposal would benefit, from a simulation (docs/reports.md "The
 * advocacy log"): the reform the proposal asks for, written as an overlay (docs/overlays.md),
 * is simulated (ops/simulate.h) over the registry or a synthetic population of the proposal's
 * country, and its gainers (persons who would receive more, by any amount) are counted with
 * those of them who are women and under 35.
 */
#ifndef SPFLOOR_OPS_ADVOCACY_SIM_H
#define SPFLOOR_OPS_ADVOCACY_SIM_H

#include <stdint.h>

#include "base/error.h"
#include "model/outreach.h"
#include "store/store.h"

#define ADVOCACY_SYNTHETIC_PERSONS 10000 /* persons of the synthetic population simulated */
#define ADVOCACY_SYNTHETIC_SEED    1

struct advocacy_sim_query {
    const char *schemes_dir; /* the scheme library */
    const char *reform;      /* the overlay file */
    int synthetic;           /* 1: a synthetic population of the country; 0: the registry */
    int32_t as_of;           /* the day decided on */
};

/*
 * Simulates q->reform for a->country and sets a->benefit, a->benefit_women and
 * a->benefit_young to its gainers (weighted persons, rounded to whole ones: a synthetic
 * population stands for the country's people) and a->source to "simulation of <overlay id>
 * over <the registry | a synthetic population of N> on <date>". SP_BAD_INPUT when the overlay
 * does not load (file:line:col), the country has no scheme or no synthetic population; SP_IO
 * for the store.
 */
int advocacy_simulate(struct store *store, const struct advocacy_sim_query *q, struct advocacy *a,
                      struct error *err);

#endif
