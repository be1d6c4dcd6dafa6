/*
 * population.h: a deterministic synthetic population of persons and households for the eight
 * countries spfloor ships schemes for (NP, IN, BD, PK, ID, PH, KH, MN), for benchmarks, demos
 * and policy simulation.
 *
 * The generator streams one household at a time and holds no record of what it produced
 * beyond a fixed-size table (about 4 MiB), so any number of persons can be generated in
 * constant memory. The same options give the same persons, byte for byte, on every machine:
 * the random numbers come from xoshiro256** seeded through splitmix64, and every date is
 * relative to a fixed reference date (2025-01-01 by default), never to today.
 *
 * What the persons look like:
 * - a country mix weighted roughly by population (IN 60%, ID 12%, PK 10%, BD 7.5%, PH 5%,
 *   NP 3%, KH 1.5%, MN 1%), or a single country;
 * - households of 1 to POPULATION_HOUSEHOLD_MAX persons (mostly 3 to 6; larger in PK) sharing
 *   country, admin1, admin2 and family name: a head, often a spouse, children born when their
 *   mother was 18 to 45, sometimes the head's parents (up to age 100);
 * - real provinces and districts (Nepal includes the former Karnali zone: Jumla, Humla, Mugu,
 *   Dolpa, Kalikot);
 * - the head's age follows the country's adult age pyramid; marital status follows age and
 *   household position (elderly women are mostly widowed);
 * - Nepal: about 13% Dalit households (groups "dalit"), a few endangered indigenous households
 *   ("endangered_indigenous"); the Philippines: "solo_parent" for many lone parents;
 * - disability class A/B/C for about 2.5% in Nepal and 1.5% elsewhere, "none" otherwise;
 * - work from age 15: worker categories with each country's informal share (IN ~88%, NP
 *   ~84%, BD ~85%, PK ~72%, ID ~60%, PH ~40%, KH ~80%, MN ~55% of whom half herders); formal
 *   employees have an employer, an employment_start and a monthly_wage in the country's
 *   currency; memberships such as epfo/esic (IN), pessi/eobi (PK), ssf (NP), sss (PH), nssf
 *   (KH), bpjs_tk (ID), social_insurance (MN).
 *
 * Uniqueness by construction: no two persons of one stream share a national_id (it encodes
 * the person's serial number through a bijection), nor a duplicate-detection key (given and
 * family name, birth date, district: the given name and birth day are a permutation of a
 * per-stratum counter, with a middle initial added only once a stratum runs out of plain
 * names, which takes far more than 10^9 persons). District names are unique across countries.
 */
#ifndef SPFLOOR_REGISTRY_POPULATION_H
#define SPFLOOR_REGISTRY_POPULATION_H

#include <stdint.h>

#include "base/error.h"
#include "model/household.h"
#include "model/person.h"

#define POPULATION_HOUSEHOLD_MAX 8 /* the most persons population_next_household writes */
#define POPULATION_AGE_MAX       100

struct population_options {
    uint64_t seed;          /* any value; the same seed gives the same population */
    const char *country;    /* "NP" ... "MN" for one country; NULL for the mix */
    int32_t reference_date; /* the day the population is described on; all dates before it */
};

struct population {
    uint64_t rng[4];         /* xoshiro256** state */
    uint64_t seed;           /* the options' seed, for the stratum permutations */
    int country;             /* index into the country table, or -1 for the mix */
    int32_t reference_date;  /* see population_options */
    int reference_year;      /* the civil year of reference_date */
    int64_t households;      /* households generated so far */
    int64_t persons;         /* persons generated so far (the next person's serial) */
    uint32_t *stratum_count; /* persons per (district, age, family name, sex) so far; owned */
};

/* Sets o to the defaults: seed 1, the country mix, reference date 2025-01-01. */
void population_options_init(struct population_options *o);

/*
 * Sets up a generator. Returns SP_OK; SP_BAD_INPUT (naming the allowed codes) when
 * o->country is not one of the eight countries; SP_IO when out of memory. On success release
 * g with population_release. o->country need not outlive the call.
 */
int population_init(struct population *g, const struct population_options *o, struct error *err);

/* Frees what g holds; accepts a zeroed or released generator. */
void population_release(struct population *g);

/*
 * Generates the next household: writes its members, head first, into out[0..n-1] and returns
 * n (1 to POPULATION_HOUSEHOLD_MAX). max must be at least POPULATION_HOUSEHOLD_MAX. When hh is
 * not NULL it receives the household (id, country, admin1, admin2). Every person has id ""
 * (the store assigns worker IDs), and household set to the household's id. Cannot fail.
 */
int population_next_household(struct population *g, struct person *out, int max,
                              struct household *hh);

/*
 * Fills out[0..max-1] with whole households for as long as the next one surely fits (at least
 * POPULATION_HOUSEHOLD_MAX free places), and returns how many persons it wrote (0 when max is
 * below POPULATION_HOUSEHOLD_MAX). For generating large blocks in memory.
 */
int population_fill(struct population *g, struct person *out, int max);

/* The number of countries the generator knows, and the code of the i-th ("NP", ...). */
int population_country_count(void);
const char *population_country_code(int i);

/*
 * The number of people of the country `code` ("NP" ...) in 2023 (UN World Population
 * Prospects 2022, as UNFPA's State of World Population 2023 gives it), or 0 for another code.
 * A synthetic population of N persons of one country weighs each person people / N, so that
 * its sums stand for the whole country (docs/simulation.md "Weights").
 */
int64_t population_country_people(const char *code);

/* 1 if the district (admin2) lies in the former Karnali zone of Nepal, else 0. */
int population_is_karnali_zone(const char *admin2);

#endif
