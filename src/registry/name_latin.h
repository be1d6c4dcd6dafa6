/*
 * name_latin.h: a person's name in one Latin form, for search and duplicate detection.
 *
 * name_latin writes a name from any script spfloor registers (Devanagari, Bengali, Khmer,
 * Latin with or without accents, and the other scripts ICU's "Any-Latin" transliterator
 * knows) as lowercase ASCII letters, digits and single spaces: "सीता शर्मा" and "Sita Sharma"
 * give "sita sarma" and "sita sharma". ICU (libicu, "Any-Latin; Latin-ASCII") does the
 * transliteration; ICU 72 has no Khmer transform, so Khmer letters are romanised here after
 * UNGEGN's table (consonants without their inherent vowel).
 *
 * name_skeleton folds a Latin form further, word by word, so that spellings of the same
 * spoken name meet: "Sharma", "Sarma" and "शर्मा" give "sarm"; "Seeta" and "Sita" give "sit";
 * "Budah" and "Buddha" give "bud". The rules (an h after the first letter is dropped, ee -> i,
 * oo -> u, w -> v, ph -> f, q -> k, ri before a consonant -> r, doubled letters once, a final
 * a of a word of more than three letters dropped) are documented in docs/registry.md. They
 * lose information on purpose: a skeleton says which names may be the same, never that they
 * are.
 *
 * Both are pure and cannot fail: when ICU cannot be opened, letters outside Latin and Khmer
 * are dropped. Each thread keeps its own transliterator and a cache of recent names (names
 * repeat: an import of a million persons has a few thousand distinct ones), freed by
 * name_latin_release, and by itself when the thread ends.
 */
#ifndef SPFLOOR_REGISTRY_NAME_LATIN_H
#define SPFLOOR_REGISTRY_NAME_LATIN_H

#include <stddef.h>

#define NAME_LATIN_SIZE 192 /* bytes of a Latin form or skeleton, with its NUL */

/* Writes text's Latin form into out (size bytes, > 0), cut at a word if it does not fit. */
void name_latin(const char *text, char *out, size_t size);

/* Writes the skeleton of a Latin form (name_latin's output) into out (size bytes, > 0). */
void name_skeleton(const char *latin, char *out, size_t size);

/* Frees the calling thread's transliterator and cache; name_latin opens them again if called. */
void name_latin_release(void);

#endif
