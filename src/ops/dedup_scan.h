/*
 * dedup_scan.h: likely duplicates in the registry (`spfloor dedup scan`, and the check of
 * `person add`): reads persons from the store and hands them to registry/dedup.h, which blocks
 * and scores without a database.
 */
#ifndef SPFLOOR_OPS_DEDUP_SCAN_H
#define SPFLOOR_OPS_DEDUP_SCAN_H

#include "base/error.h"
#include "model/person.h"
#include "registry/dedup.h"
#include "store/store.h"

#define DEDUP_FIELD_NOT_DUPLICATE "not_duplicate_of" /* the correction that records a review */

/* A likely duplicate pair found in the registry: the two worker IDs (a before b), the score and
 * the fields that agree and differ (enum dedup_field bits). */
struct dedup_found {
    char a[PERSON_ID_SIZE], b[PERSON_ID_SIZE];
    const struct dedup_record *ra, *rb;
    double score;
    unsigned agree, differ;
};

typedef int (*dedup_found_fn)(void *ctx, const struct dedup_found *pair);

/* What the scan reports as it goes: persons read so far (reading), or the share of the blocks
 * compared (0 to 1). */
typedef void (*dedup_scan_progress_fn)(void *ctx, int64_t read, double compared);

struct dedup_scan_options {
    double threshold;                /* report pairs scoring this or more (DEDUP_THRESHOLD) */
    const char *country;             /* NULL: every country */
    dedup_scan_progress_fn progress; /* may be NULL */
    void *ctx;                       /* for progress and visit */
};

/*
 * Reads every person of the registry (of o->country) and reports each likely duplicate pair to
 * visit, best first within a block, leaving out pairs where either record is marked merged or
 * deceased, and pairs a clerk has reviewed as different persons (`--not-duplicate-of`, kept as
 * a correction of the field DEDUP_FIELD_NOT_DUPLICATE). stats says how many were read, compared
 * and reported. Returns SP_OK, SP_IO, or visit's non-zero return.
 */
int dedup_scan_registry(struct store *s, const struct dedup_scan_options *o, dedup_found_fn visit,
                        struct dedup_stats *stats, struct error *err);

/*
 * The likely duplicates of p (not yet registered) among the registered persons: those found
 * by its names or phone through the text index, scored against p; each scoring threshold or
 * more is reported to visit, except the IDs in reviewed (n of them, worker IDs a clerk has
 * confirmed are other persons) and records marked merged or deceased. Returns SP_OK, SP_IO or
 * visit's return.
 */
int dedup_check_person(struct store *s, const struct person *p, double threshold,
                       const char *const *reviewed, int n, dedup_found_fn visit, void *ctx,
                       struct error *err);

/*
 * Records, inside the open transaction, that the registered person id was reviewed against
 * `other` and is a different person (a correction of DEDUP_FIELD_NOT_DUPLICATE).
 */
int dedup_record_review(struct store *s, const char *id, const char *other,
                        const struct store_edit *edit, struct error *err);

#endif
