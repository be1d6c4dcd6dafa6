/*
 * person_json.h: a person as a JSON object (jansson), both ways, with the field names of the
 * facts vocabulary (model/person.h) as keys.
 *
 * JSON types: text fields, enums, dates and money are strings (money "4000.00" in the
 * country's currency, or "4000.00 USD" in another); living_children is an integer;
 * income_tax_payer is a boolean; groups and memberships are arrays of strings. Reading is
 * lenient where no precision is at stake: a list may also be one ';'-joined string, a boolean
 * a string such as "yes", and an integer is accepted where text is expected (a national ID
 * written as a number). Money as a JSON real (4000.5) is refused: write amounts as strings.
 *
 * Errors name the JSON pointer of the offending value, after the caller's prefix:
 * "/persons/0/sex: \"mail\" is not allowed: use female, male or other".
 */
#ifndef SPFLOOR_REGISTRY_PERSON_JSON_H
#define SPFLOOR_REGISTRY_PERSON_JSON_H

#include <jansson.h>
#include <stdint.h>

#include "base/error.h"
#include "model/person.h"

struct person_json_options {
    int strict; /* 1: a key that is neither a vocabulary field nor an extra fact is an
                   error; 0: such keys are ignored */
    const char *const *extra_facts; /* names a scheme declares under `facts:`; their values
                                       go to person.extra as text; NULL for none */
    int n_extra_facts;              /* entries in extra_facts */
    enum calendar calendar;         /* the calendar of dates written without one ("2080-01-15"
                                       with CALENDAR_BS); 0, CALENDAR_AD, is the default */
};

/*
 * Returns a new JSON object holding every set field of p (unset fields are left out) and its
 * extra facts as strings, in vocabulary order. The caller owns the reference (json_decref).
 * NULL when out of memory.
 */
json_t *person_to_json(const struct person *p);

/*
 * Reads the JSON object obj into out (which it person_init's first), strictly: every key must
 * be a vocabulary field. `pointer_prefix` is the JSON pointer of obj ("" for a document's
 * root, "/persons/3" in a situation) and starts every message. Dates after `today` are
 * refused (DATE_NONE: no check). Does not call person_validate (a situation's persons need
 * not be complete registry records). Returns SP_OK, or SP_BAD_INPUT with err naming the
 * pointer. obj is only read.
 */
int person_from_json(json_t *obj, const char *pointer_prefix, int32_t today, struct person *out,
                     struct error *err);

/* The same, with options (strictness and a scheme's extra facts); opt NULL = strict, none. */
int person_from_json_with(json_t *obj, const char *pointer_prefix, int32_t today,
                          const struct person_json_options *opt, struct person *out,
                          struct error *err);

/*
 * Writes the JSON pointer token for key into out (RFC 6901: '~' as "~0", '/' as "~1"),
 * truncating to size. For callers that build pointers of their own.
 */
void person_json_pointer_token(const char *key, char *out, size_t size);

#endif
