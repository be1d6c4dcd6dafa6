/*
 * cells.h: what every report's tables share: groups found by their label (an area's name, a
 * scheme's id) in a hashed index, and shares computed exactly in integers.
 *
 * Pure: no database, no rules engine. report/simulation.h and report/disagg.h both build on
 * it, so a group is found and a share rounded the same way in every report.
 */
#ifndef SPFLOOR_REPORT_CELLS_H
#define SPFLOOR_REPORT_CELLS_H

#include <stdint.h>

#include "base/error.h"

/* Labels, each numbered in the order it was first added (from 0), found by hashing. */
struct report_labels {
    char **labels; /* n, owned */
    int n, cap;
    int32_t *slots; /* open addressing: label index + 1, or 0 */
    int n_slots;    /* a power of two, more than twice n */
    int last;       /* the last label found (households share their area), or -1 */
};

void report_labels_init(struct report_labels *l);
void report_labels_release(struct report_labels *l); /* accepts a zeroed or init'ed index */

/*
 * The number of `label`, added (copied) as l->n when it is new. -1 when out of memory (err
 * set; the index is unchanged).
 */
int report_labels_find(struct report_labels *l, const char *label, struct error *err);

/* The number of `label`, or -1 when it is not in the index. */
int report_labels_lookup(const struct report_labels *l, const char *label);

/*
 * The share of part in whole in tenths of a percent, rounded half up exactly in integers
 * (1 of 3 is 333, 2 of 3 is 667); -1 when whole is 0 (no share can be given). part and
 * whole are >= 0.
 */
int64_t report_per_mille(__int128 part, __int128 whole);

#define REPORT_SHARE_SIZE 24

/* A per-mille share as a percent with one decimal ("35.0", "100.0"); "" for -1. */
void report_share_text(char out[REPORT_SHARE_SIZE], int64_t per_mille);

#endif
