/*
 * scheme_words.h: the conditions' texts for people (docs/schemes.md "Texts for people"), in
 * English in the scheme file and in other languages in translation catalogues.
 *
 * A condition may carry `text` (what it asks, e.g. "Aged {params.senior_age} or more") and
 * `figure` (what the person's facts show, e.g. "{she} is {age}"), templates of reason.h. A
 * catalogue, schemes/<cc>/messages/<lang>.yaml, maps scheme ids to condition names to
 * {text, figure?}:
 *   np.ssa.senior_citizen:
 *     senior_age: {text: "...", figure: "..."}
 * Its language is the file's name ("ne", "pt_BR"); English ("en") is the scheme files' own.
 * Every template is checked when it loads; a catalogue entry for a scheme or condition that
 * does not exist, or given twice for one language, is an error naming file:line:col.
 */
#ifndef SPFLOOR_RULES_SCHEME_WORDS_H
#define SPFLOOR_RULES_SCHEME_WORDS_H

#include "base/buf.h"
#include "base/error.h"
#include "rules/scheme.h"
#include "rules/yaml_doc.h"

/* Where a scalar's text starts: inside the quotes of a one-line quoted value. */
struct expr_pos scheme_text_pos(const struct ydoc *doc, const struct ydoc_node *v);

/*
 * Adds the words of condition `condition` of s in `lang` from the nodes text (required) and
 * figure (may be NULL) of doc, compiled against s and params. SP_BAD_INPUT (file:line:col)
 * for a bad template or a second text for the same condition and language; SP_IO when out
 * of memory. The strings stay in doc, which must outlive s.
 */
int scheme_words_add(struct scheme *s, const struct param_set *params, int condition,
                     const char *lang, const struct ydoc *doc, const struct ydoc_node *text,
                     const struct ydoc_node *figure, struct error *err);

/* Frees the words of s (called by scheme_free). */
void scheme_words_release(struct scheme *s);

/*
 * Reads the catalogue at path (messages/<lang>.yaml) into lib's schemes; lib keeps the
 * document. SP_BAD_INPUT with file:line:col, SP_IO when it cannot be read.
 */
int scheme_catalogue_load(struct scheme_library *lib, const char *path, struct error *err);

/*
 * The words of condition `condition` of s in lang ("ne_NP"), else in its language without the
 * region ("ne"), else in English, else NULL (a condition without text). lang NULL or "" means
 * English.
 */
const struct scheme_words *scheme_words_find(const struct scheme *s, int condition,
                                             const char *lang);

/*
 * Appends one line for each condition of lib's schemes that has no English text:
 * "file:line:col: scheme ID: condition NAME has no text: ...". Sets *missing to their number.
 * SP_IO when out of memory.
 */
int scheme_library_check_texts(const struct scheme_library *lib, struct buf *out, int *missing,
                               struct error *err);

#endif
