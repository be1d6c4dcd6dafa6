/*
 * dedup.h: finding persons registered twice under names that differ: blocking, then scoring
 * pairs. Pure: no database; the caller hands it persons (ops/dedup_scan.c reads them).
 *
 * A record (dedup_record_of) keeps what comparison needs: both names in one Latin form and as
 * skeletons (registry/name_latin.h, so "सीता शर्मा", "Sita Sharma" and "Seeta Sarma" meet),
 * the birth date, sex, areas, phone and national ID.
 *
 * Blocking: each record gives DEDUP_KEYS keys, and only records that share a key are
 * compared: (1) both name skeletons in sorted order with the birth year, which survives
 * transliteration, swapped names and a move; (2) the family name's skeleton, the birth year and
 * the district, which survives a typo in the given name; (3) the same with the given name;
 * (4) both skeletons sorted with the district, which survives a wrong birth year; (5) the
 * phone number; (6) the first two letters of each skeleton, sorted, with the whole birth date,
 * which survives a typo and a move together. A pair met through several keys is scored once.
 *
 * Scoring (dedup_score) is a weighted sum of agreements in the spirit of Fellegi and Sunter:
 * names 0.55 (Jaro-Winkler similarity of the Latin forms or of the skeletons, whichever is
 * higher, in the given order or swapped), birth date 0.25 (the same day 1, a year off on the
 * same day and month 0.6, the same year 0.5, unknown 0.5), area 0.10 (district 1, province
 * 0.6, country 0.3), sex 0.10 (unknown 0.5); the same phone adds 0.10 (to at most 1) and two
 * different national IDs take 0.30 off. DEDUP_THRESHOLD is the score from which a pair is
 * reported by default; tests/unit/test_dedup.c measures precision and recall there.
 */
#ifndef SPFLOOR_REGISTRY_DEDUP_H
#define SPFLOOR_REGISTRY_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "model/person.h"

#define DEDUP_THRESHOLD 0.90 /* the default score from which a pair is a likely duplicate */
#define DEDUP_KEYS      6    /* blocking keys per record */
#define DEDUP_NAME_SIZE 48   /* bytes of a name's Latin form or skeleton kept */
#define DEDUP_BLOCK_MAX 400  /* records of a block compared all with all */
#define DEDUP_WINDOW    40   /* in a larger block, each record is compared with the next N */

/* The facts of one person that comparison reads. */
struct dedup_record {
    int64_t serial;                   /* the caller's handle (a worker serial) */
    char given[DEDUP_NAME_SIZE];      /* given name, Latin form */
    char family[DEDUP_NAME_SIZE];     /* family name, Latin form */
    char given_skel[DEDUP_NAME_SIZE]; /* their skeletons */
    char family_skel[DEDUP_NAME_SIZE];
    int32_t birth_date; /* DATE_NONE if unknown */
    uint8_t sex;        /* enum sex */
    char country[3];
    uint32_t admin1, admin2;     /* hashes of the areas' names (0: none) */
    uint64_t phone, national_id; /* hashes of the digits / text (0: none) */
    uint64_t keys[DEDUP_KEYS];   /* blocking keys (0: none) */
};

/* The fields dedup_score compares, as bits of its agree and differ masks. */
enum dedup_field {
    DEDUP_GIVEN_NAME = 1 << 0,
    DEDUP_FAMILY_NAME = 1 << 1,
    DEDUP_BIRTH_DATE = 1 << 2,
    DEDUP_SEX = 1 << 3,
    DEDUP_ADMIN2 = 1 << 4,
    DEDUP_ADMIN1 = 1 << 5,
    DEDUP_PHONE = 1 << 6,
    DEDUP_NATIONAL_ID = 1 << 7,
    DEDUP_SWAPPED = 1 << 8, /* agree: the names agree given for family */
};

/* The facts-vocabulary name of one field bit ("given_name"), or "names swapped". */
const char *dedup_field_name(enum dedup_field f);

/* Writes the names of the fields in mask, separated by ", ", into out ("-" for none). */
void dedup_fields_text(unsigned mask, char *out, size_t size);

/* Fills r from p, with serial as its handle. Cannot fail. */
void dedup_record_of(const struct person *p, int64_t serial, struct dedup_record *r);

/* A scored pair: its score from 0 to 1, the fields that agree and those that differ. */
struct dedup_pair {
    const struct dedup_record *a, *b;
    double score;
    unsigned agree, differ;
};

/* Scores a against b (symmetric). */
double dedup_score(const struct dedup_record *a, const struct dedup_record *b, unsigned *agree,
                   unsigned *differ);

/* The Jaro-Winkler similarity of two byte strings (0 to 1; 1 when both are empty). */
double dedup_jaro_winkler(const char *a, const char *b);

/* What a scan did: records, pairs compared, pairs reported. */
struct dedup_stats {
    int64_t records;
    int64_t compared;
    int64_t reported;
};

/* Called for each pair scoring threshold or more; non-zero stops the scan and is returned. */
typedef int (*dedup_pair_fn)(void *ctx, const struct dedup_pair *pair);
/* Called now and then with the share of the work done (0 to 1); may be NULL. */
typedef void (*dedup_progress_fn)(void *ctx, double done);

/*
 * Compares the n records that share a blocking key and reports each pair scoring threshold or
 * more, once, in the order of the blocks. The records are not changed. Returns 0, SP_IO
 * when the key table cannot be allocated, or the callback's non-zero return.
 */
int dedup_scan(const struct dedup_record *records, size_t n, double threshold, dedup_pair_fn visit,
               dedup_progress_fn progress, void *ctx, struct dedup_stats *stats);

#endif
