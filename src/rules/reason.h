/*
 * reason.h: the words of a condition for people (docs/schemes.md "Texts for people"): a small
 * template such as "Aged {params.senior_age} or more" or "{She} is {age}", checked when the
 * scheme (or a translation catalogue) loads and filled for one person when a reason is asked.
 *
 * Syntax: text, with placeholders in braces; "{{" and "}}" write a brace. A placeholder is
 *   {params.PATH}   a parameter, relative to the scheme's `params` namespace
 *   {NAME}          a named value of the scheme (`values:`), a fact of the vocabulary, or an
 *                   extra fact the scheme declares (a named value wins over a fact)
 *   {she} {She}     she / he / this person, by the person's sex ({She}: capitalised)
 *   {her}           her / his / their
 *   {as_of}         the date of the decision
 * Anything else is an error naming file:line:col of the placeholder. Nothing in a template
 * runs: it only reads values.
 *
 * Ownership: a compiled template points into its source and into the scope it was compiled
 * against (the parameter set, the fact table), which must outlive it; it owns only its parts.
 */
#ifndef SPFLOOR_RULES_REASON_H
#define SPFLOOR_RULES_REASON_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/person.h"
#include "rules/expr.h"
#include "rules/param.h"

#define REASON_SOURCE_MAX 400 /* bytes of a template as written */
#define REASON_PARTS_MAX  32  /* literal runs and placeholders of one template */

enum reason_part_kind {
    REASON_LITERAL, /* text as written ("{{" already made "{") */
    REASON_VALUE,   /* a named value: ref is its number in the scheme's values */
    REASON_FACT,    /* a fact of the vocabulary: field */
    REASON_EXTRA,   /* an extra fact of the scheme: ref is its number in the scheme's facts */
    REASON_PARAM,   /* a parameter: param */
    REASON_SHE,     /* she / he / this person */
    REASON_SHE_CAP, /* She / He / This person */
    REASON_HER,     /* her / his / their */
    REASON_AS_OF,   /* the date of the decision */
};

/* One piece of a template. */
struct reason_part {
    enum reason_part_kind kind;
    const char *text; /* LITERAL: its bytes (into the part's own copy); else the name */
    size_t len;       /* bytes of text */
    int ref;          /* VALUE, EXTRA: the index (see above); else -1 */
    const struct person_field *field;  /* FACT: the vocabulary's entry */
    const struct param *param;         /* PARAM: the parameter */
    const struct expr_fact_decl *fact; /* EXTRA: the scheme's declaration */
};

/* A compiled template; `source` NULL means "none given" (n_parts 0). */
struct reason_template {
    const char *source;        /* as written */
    struct reason_part *parts; /* n_parts, owned */
    char *literals;            /* the literal runs' bytes, owned */
    int n_parts;
};

/* What a template's names resolve against: one scheme's. */
struct reason_scope {
    const char *const *values; /* the names of the scheme's named values, in order */
    int n_values;
    const struct expr_fact_decl *facts; /* the scheme's extra facts */
    int n_facts;
    const struct param_set *params; /* every parameter */
    const char *param_namespace;    /* the scheme's `params` ("" if none) */
};

/*
 * Compiles source (written at pos: a one-line scalar's first character) into *out, which the
 * caller releases with reason_template_release. SP_BAD_INPUT with "file:line:col: ..." for
 * an unknown placeholder, an unclosed "{", a lone "}", an empty template or one longer than
 * REASON_SOURCE_MAX; SP_IO when out of memory. On failure *out holds nothing.
 */
int reason_template_compile(const char *source, struct expr_pos pos,
                            const struct reason_scope *scope, struct reason_template *out,
                            struct error *err);
void reason_template_release(struct reason_template *t); /* accepts an empty one */

/* What filling a template reads: one person's decision. */
struct reason_fill {
    const struct person *person; /* whose facts */
    int32_t as_of;               /* the date of the decision */
    const char *const *values;   /* per named value: its text, or NULL when it has none */
    /* the value of parameter p the decision used (grandfathering applied), or NULL */
    const struct param_value *(*param_value)(void *ctx, const struct param *p);
    void *ctx; /* param_value's */
};

/*
 * Appends t filled for f to out. A fact or value the person does not have reads "not given"
 * (an extra fact with a default: its default, "(assumed)"), a parameter with no value "not
 * set"; enum words read with spaces ("formal employee"), true and false as "yes" and "no",
 * lists with ", ". SP_OK, or the buffer's errors (buf.h).
 */
int reason_template_fill(const struct reason_template *t, const struct reason_fill *f,
                         struct buf *out, struct error *err);

/* Writes a value of a fact or a named value the way a template shows it (see above). */
void reason_words(const char *text, char *out, size_t size);

#endif
