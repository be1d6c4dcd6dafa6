/*
 * outreach_row.h: outreach activities, their participants and advocacy proposals as the
 * drivers store them (migrations/<dialect>/0014): every column as text, in the order of the
 * *_COLUMNS lists, so both drivers read and write them alike.
 */
#ifndef SPFLOOR_STORE_OUTREACH_ROW_H
#define SPFLOOR_STORE_OUTREACH_ROW_H

#include "base/date.h"
#include "model/outreach.h"

/* Read with the organisation's network as the last column. */
#define OUTREACH_COLUMNS    "id, org, type, on_date, country, area, note, actor, recorded_at"
#define OUTREACH_TEXTS      8 /* the columns after id */
#define PARTICIPANT_COLUMNS "activity, seq, serial, sex, youth, count"
#define ADVOCACY_COLUMNS                                                                           \
    "id, title, country, status, on_date, orgs, benefit, benefit_women, benefit_young, source, "   \
    "actor, recorded_at"
#define ADVOCACY_TEXTS       11 /* the columns after id (the three benefits as text, "" NULL) */
#define OUTREACH_NUMBER_SIZE 24

/* The texts of a's columns after id; they point into a and into day. */
void outreach_row_encode(const struct outreach_activity *a, char day[DATE_TEXT_SIZE],
                         const char *texts[OUTREACH_TEXTS]);
/* Reads the columns after id (then the network) into a; a->id is the caller's. */
void outreach_row_decode(const char *const texts[OUTREACH_TEXTS], const char *network,
                         struct outreach_activity *a);

/* An anonymous participant's sex and youth as stored ("" for a registry person's). */
const char *participant_sex_text(const struct outreach_participant *p);
const char *participant_youth_text(const struct outreach_participant *p);
/* Reads a participant's sex, youth and count (person ""). */
void participant_row_decode(int64_t activity, const char *sex, const char *youth, int64_t count,
                            struct outreach_participant *p);

/* The texts of a's columns after id (benefits "" when not given). */
void advocacy_row_encode(const struct advocacy *a, char day[DATE_TEXT_SIZE],
                         char numbers[3][OUTREACH_NUMBER_SIZE], const char *texts[ADVOCACY_TEXTS]);
void advocacy_row_decode(const char *const texts[ADVOCACY_TEXTS], struct advocacy *a);

#define CASE_COLUMNS                                                                               \
    "id, org, kind, activity, serial, sex, youth, country, area, opened, outcome, decided, "       \
    "recovered, currency, note, actor, recorded_at"
#define CASE_TEXTS 16 /* the columns after id; activity and serial "" for NULL */
/* The columns an update changes, then id: "outcome = $1 ..." in this order. */
#define CASE_UPDATE_TEXTS 7 /* outcome, decided, recovered, currency, note, actor, recorded_at */

/* The texts of c's columns after id, the claimant's serial (0: anonymous) given. They point
 * into c and the buffers. */
void case_row_encode(const struct outreach_case *c, int64_t serial,
                     char numbers[3][OUTREACH_NUMBER_SIZE], char days[2][DATE_TEXT_SIZE],
                     const char *texts[CASE_TEXTS]);
/* Reads the columns after id into c (c->id is the caller's, c->person ""); *serial is the
 * claimant's, 0 anonymous. */
void case_row_decode(const char *const texts[CASE_TEXTS], struct outreach_case *c, int64_t *serial);

#endif
