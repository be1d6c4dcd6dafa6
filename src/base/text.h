/*
 * text.h: small, bounded string helpers used across modules.
 */
#ifndef SPFLOOR_BASE_TEXT_H
#define SPFLOOR_BASE_TEXT_H

#include <stddef.h>

/*
 * Copies src into dst (size bytes, > 0), always NUL-terminating. Returns 1 if all of src fit,
 * 0 if it was truncated.
 */
int text_copy(char *dst, size_t size, const char *src);

/* 1 if the n bytes at s are well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int text_is_utf8(const char *s, size_t n);

/* Parses a whole decimal integer (optional leading '-'); 1 on success, 0 on any junk/overflow. */
int text_parse_int64(const char *s, long long *out);

/* The longest text, in bytes, text_edit_distance measures. */
#define TEXT_EDIT_MAX 64

/*
 * The edit (Levenshtein) distance between a and b, counted in bytes: the fewest insertions,
 * deletions and substitutions that turn one into the other; for suggesting the word meant
 * ("sexx": did you mean "sex"?). Returns at most cap: cap when the distance is cap or more,
 * or when either text is longer than TEXT_EDIT_MAX bytes. Cannot fail.
 */
int text_edit_distance(const char *a, const char *b, int cap);

#endif
