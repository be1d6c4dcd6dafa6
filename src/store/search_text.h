/*
 * search_text.h: what the text index holds for a person, and how a typed search becomes terms
 * (internal to src/store/: the front uses it for every driver).
 *
 * A person's search text is, separated by spaces: the given and family names in Latin form,
 * the words of their skeletons (registry/name_latin.h) that the Latin form does not already
 * hold, the phone's digits and the national ID with every character that is not a letter or
 * digit dropped. So "सीता शर्मा" is found by "Sita Sharma", "sita", "Seeta" or "शर्मा", and a
 * phone "+977-9841-000001" by "9841000001" or "9841-000001". A whole worker ID, also as the
 * card prints it ("0000 0000 0019"), is looked up by the front without the index.
 *
 * A search becomes terms: when it holds a digit and nothing but digits, letters, blanks and the
 * separators - . / ( ) +, one term of its letters and digits ("0000 0000 0019" ->
 * "000000000019"); otherwise one term per word of its Latin form, with the word's skeleton as
 * the other alternative. A person matches when their text holds every term.
 */
#ifndef SPFLOOR_STORE_SEARCH_TEXT_H
#define SPFLOOR_STORE_SEARCH_TEXT_H

#include <stddef.h>

#include "model/person.h"
#include "store/store_driver.h"

#define SEARCH_TEXT_SIZE 640 /* bytes of a person's search text, with its NUL */

/* Writes p's search text (p->id its worker ID) into out (SEARCH_TEXT_SIZE bytes). */
void search_text_of(const struct person *p, char out[SEARCH_TEXT_SIZE]);

/* Fills q's terms and exact text from text (q's country, limit and offset are left as they
 * are). Returns the number of terms: 0 when text has no letter or digit. */
int search_terms_of(const char *text, struct store_search *q);

#endif
