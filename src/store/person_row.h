/*
 * person_row.h: a person as a row of the persons table, the same for every driver.
 *
 * The columns follow the facts vocabulary (PERSON_FIELDS, model/person.h) in its order, a
 * money field taking two (its minor units, then its currency), and end with dedup_hash, the
 * 64-bit hash of the dedup key the unique index holds. Every value travels as text: dates in
 * ISO 8601, enums as their word, booleans as 1 or 0, integers and minor units in decimal,
 * lists ';'-joined; an unset field is SQL NULL (a NULL pointer here). A driver only moves these
 * values between the row and its database, so the mapping is written once.
 * test_store fails when PERSON_ROW_COLUMNS and the vocabulary disagree (person_row_check).
 */
#ifndef SPFLOOR_STORE_PERSON_ROW_H
#define SPFLOOR_STORE_PERSON_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/money.h"
#include "model/person.h"

/* The columns, in order, for SQL text ("SELECT " PERSON_ROW_COLUMNS " FROM persons"). */
#define PERSON_ROW_COLUMNS                                                                         \
    "id, national_id, given_name, family_name, sex, birth_date, phone, country, admin1, "          \
    "admin2, marital_status, disability_class, groups, worker_category, employer, "                \
    "monthly_wage_minor, monthly_wage_currency, declared_income_minor, "                           \
    "declared_income_currency, annual_income_minor, annual_income_currency, employment_start, "    \
    "income_tax_payer, memberships, household, relationship, living_children, account, "           \
    "account_holder, dedup_hash"
#define PERSON_ROW_COUNT     30 /* columns in PERSON_ROW_COLUMNS */
#define PERSON_ROW_HOUSEHOLD 24 /* the household column's index (from 0) */

/* Bytes of the text one numeric or date value needs: "-9223372036854775808" and a NUL. */
#define PERSON_ROW_NUMBER_SIZE 24

/* A person's values, column by column. */
struct person_row {
    const char *value[PERSON_ROW_COUNT]; /* the text of each column, or NULL for SQL NULL;
                                            pointers into the person or into text[] */
    char text[PERSON_ROW_COUNT][PERSON_ROW_NUMBER_SIZE]; /* numbers and dates written out */
};

/*
 * Fills row with p's values and the hash of its dedup key (person_row_dedup_hash of
 * dedup_key). The values point into p and row: both must outlive their use (a statement's
 * execution). Cannot fail.
 */
void person_row_encode(const struct person *p, const char *dedup_key, struct person_row *row);

/* A row read back. A driver that reads a column as an integer (SQLite's INTEGER columns) gives
 * it as a number, sparing a round trip through text; any other column, as text. */
struct person_row_in {
    const char *text[PERSON_ROW_COUNT]; /* a column's text; NULL for SQL NULL or a number */
    int64_t number[PERSON_ROW_COUNT];   /* a column's value when has_number[c] */
    uint8_t has_number[PERSON_ROW_COUNT];
};

/*
 * Sets p (person_init'ed here) from a row read back. The dedup_hash column is not read. Values
 * the database should not hold (an unknown enum word, a malformed date or number, text too
 * long for its field) leave the field unset or cut short, never overflow.
 */
void person_row_decode(struct person *p, const struct person_row_in *in);

/*
 * The 64-bit hash of a dedup key (person_dedup_key) that the dedup_hash column and its unique
 * index hold: FNV-1a over the key's bytes, then the splitmix64 finaliser so that similar keys
 * spread over the whole range. Every driver stores the same number for the same key.
 */
int64_t person_row_dedup_hash(const char *key);

/*
 * The columns a walk reading `fields` selects: read[c] is 1 for the columns of those fields and
 * of the id, the country and the household (always read), 0 for the others and dedup_hash.
 * Cannot fail.
 */
void person_row_reads(person_field_set fields, uint8_t read[PERSON_ROW_COUNT]);

/*
 * Writes into out (PERSON_ROW_SELECT_SIZE bytes) a select list of PERSON_ROW_COUNT columns in
 * PERSON_ROW_COLUMNS' order: the column's name where person_row_reads says 1, NULL elsewhere.
 * Decoding such a row (person_row_decode) leaves the fields not read unset. Cannot fail.
 */
#define PERSON_ROW_SELECT_SIZE (sizeof PERSON_ROW_COLUMNS + 8 * PERSON_ROW_COUNT)
void person_row_select(person_field_set fields, char *out);

/*
 * Writes into out (size bytes, at least 3) the pattern "%text%" of a LIKE (ILIKE) scan for text
 * anywhere, with \, % and _ escaped by a backslash, the scan's escape character; what does not
 * fit in size is left out. Cannot fail.
 */
void person_row_like_pattern(const char *text, char *out, size_t size);

/* SP_OK when PERSON_ROW_COLUMNS names the vocabulary's columns in order; else SP_BAD_INPUT
 * naming the first difference (a field added to the vocabulary without a column), or when
 * PERSON_ROW_COUNT or PERSON_ROW_HOUSEHOLD is wrong. */
int person_row_check(struct error *err);

#endif
