/* scheme_words.c: the conditions' texts for people, and translation catalogues. */
#include "rules/scheme_words.h"

#include <string.h>

#include "base/alloc.h"
#include "base/text.h"

static const char *const words_keys[] = {"text", "figure", NULL};

struct expr_pos scheme_text_pos(const struct ydoc *doc, const struct ydoc_node *v)
{
    struct expr_pos pos = {doc->file, v->line, v->col};
    if (v->quoted && strchr(v->text, '\n') == NULL)
        pos.col++;
    return pos;
}

/* Condition k of s: its eligibility conditions, then its qualifying ones. */
static const struct scheme_expr *condition_of(const struct scheme *s, int k)
{
    return k < s->n_eligibility ? &s->eligibility[k] : &s->qualifying[k - s->n_eligibility];
}

static int same_lang(const char *a, const char *b)
{
    return strcmp(a[0] ? a : "en", b && b[0] ? b : "en") == 0;
}

/* Compiles one template node (NULL: none) against s. */
static int compile_node(const struct scheme *s, const struct param_set *params,
                        const struct ydoc *doc, const struct ydoc_node *node,
                        struct reason_template *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (node == NULL)
        return SP_OK;
    struct reason_scope scope = {s->value_names, s->n_values, s->facts,
                                 s->n_facts,     params,      s->params};
    return reason_template_compile(node->text, scheme_text_pos(doc, node), &scope, out, err);
}

int scheme_words_add(struct scheme *s, const struct param_set *params, int condition,
                     const char *lang, const struct ydoc *doc, const struct ydoc_node *text,
                     const struct ydoc_node *figure, struct error *err)
{
    for (int i = 0; i < s->n_words; i++)
        if (s->words[i].condition == condition && same_lang(s->words[i].lang, lang))
            return ydoc_fail(doc, text, err, "%s: condition %s already has a %s text", s->id,
                             condition_of(s, condition)->name, lang);
    struct scheme_words w;
    memset(&w, 0, sizeof w);
    w.condition = condition;
    text_copy(w.lang, sizeof w.lang, lang);
    int rc = compile_node(s, params, doc, text, &w.text, err);
    if (rc == SP_OK)
        rc = compile_node(s, params, doc, figure, &w.figure, err);
    struct scheme_words *grown = NULL;
    if (rc == SP_OK) {
        grown = sp_reallocarray(s->words, (size_t)s->n_words + 1, sizeof *grown);
        if (grown == NULL)
            rc = error_nomem(err);
    }
    if (rc != SP_OK) {
        reason_template_release(&w.text);
        reason_template_release(&w.figure);
        return rc;
    }
    s->words = grown;
    s->words[s->n_words++] = w;
    return SP_OK;
}

void scheme_words_release(struct scheme *s)
{
    for (int i = 0; i < s->n_words; i++) {
        reason_template_release(&s->words[i].text);
        reason_template_release(&s->words[i].figure);
    }
    sp_free(s->words);
    s->words = NULL;
    s->n_words = 0;
}

const struct scheme_words *scheme_words_find(const struct scheme *s, int condition,
                                             const char *lang)
{
    const struct scheme_words *english = NULL, *general = NULL;
    size_t base = lang != NULL ? strcspn(lang, "_") : 0; /* "ne" of "ne_NP" */
    for (int i = 0; i < s->n_words; i++) {
        const struct scheme_words *w = &s->words[i];
        if (w->condition != condition)
            continue;
        if (lang != NULL && lang[0] && strcmp(w->lang, lang) == 0)
            return w;
        if (base > 0 && strlen(w->lang) == base && strncmp(w->lang, lang, base) == 0)
            general = w;
        if (strcmp(w->lang, "en") == 0)
            english = w;
    }
    return general != NULL ? general : english;
}

/* The language of a catalogue from its file name: "ne" from ".../messages/ne.yaml". */
static int catalogue_lang(const char *path, char out[SCHEME_LANG_SIZE], struct error *err)
{
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    size_t n = strcspn(name, ".");
    int ok = n >= 2 && n < SCHEME_LANG_SIZE;
    for (size_t i = 0; ok && i < n; i++) {
        char c = name[i];
        ok = (i < 2 && c >= 'a' && c <= 'z') ||
             (i >= 2 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'));
    }
    if (!ok)
        return error_set(err, SP_BAD_INPUT,
                         "%s: a catalogue is named after its language, as ne.yaml or pt_BR.yaml",
                         path);
    if (n == 2 && strncmp(name, "en", 2) == 0)
        return error_set(err, SP_BAD_INPUT,
                         "%s: English is the scheme files' own `text`: write it there", path);
    memcpy(out, name, n);
    out[n] = '\0';
    return SP_OK;
}

/* The number of condition `name` of s, or -1. */
static int condition_named(const struct scheme *s, const char *name)
{
    for (int k = 0; k < s->n_eligibility + s->n_qualifying; k++)
        if (strcmp(condition_of(s, k)->name, name) == 0)
            return k;
    return -1;
}

/* One scheme's entries of a catalogue: condition name -> {text, figure?}. */
static int catalogue_scheme(struct scheme_library *lib, struct scheme *s, const char *lang,
                            const struct ydoc *doc, const struct ydoc_node *map, struct error *err)
{
    int rc = ydoc_expect(doc, map->parent, map, YDOC_MAP, "a map of condition names", err);
    for (int i = 0; rc == SP_OK && i < map->n; i++) {
        const struct ydoc_node *key = map->keys[i], *entry = map->items[i], *text = NULL,
                               *figure = NULL;
        int k = condition_named(s, key->text);
        if (k < 0)
            return ydoc_fail(doc, key, err, "scheme %s has no condition named \"%s\"", s->id,
                             key->text);
        rc = ydoc_expect(doc, map, entry, YDOC_MAP, "{text, figure}", err);
        if (rc == SP_OK)
            rc = ydoc_check_keys(doc, entry, words_keys, err);
        if (rc == SP_OK)
            rc = ydoc_need(doc, entry, "text", YDOC_SCALAR, &text, err);
        if (rc == SP_OK)
            rc = ydoc_want(doc, entry, "figure", YDOC_SCALAR, &figure, err);
        if (rc == SP_OK)
            rc = scheme_words_add(s, lib->params, k, lang, doc, text, figure, err);
    }
    return rc;
}

int scheme_catalogue_load(struct scheme_library *lib, const char *path, struct error *err)
{
    char lang[SCHEME_LANG_SIZE];
    int rc = catalogue_lang(path, lang, err);
    if (rc != SP_OK)
        return rc;
    struct ydoc *doc = NULL;
    rc = ydoc_load_file(path, &doc, err);
    if (rc != SP_OK)
        return rc;
    struct ydoc **grown =
        sp_reallocarray(lib->catalogues, (size_t)lib->n_catalogues + 1, sizeof *grown);
    if (grown == NULL) {
        ydoc_free(doc);
        return error_nomem(err);
    }
    lib->catalogues = grown;
    lib->catalogues[lib->n_catalogues++] = doc; /* kept: the words point into it */
    const struct ydoc_node *root = doc->root;
    if (root == NULL)
        return SP_OK;
    if (root->kind != YDOC_MAP)
        return ydoc_fail(doc, root, err, "a catalogue maps scheme ids to their conditions");
    for (int i = 0; rc == SP_OK && i < root->n; i++) {
        struct scheme *found = NULL;
        for (int j = 0; j < lib->n_schemes && found == NULL; j++)
            if (strcmp(lib->schemes[j]->id, root->keys[i]->text) == 0)
                found = lib->schemes[j];
        if (found == NULL)
            return ydoc_fail(doc, root->keys[i], err, "no scheme has the id %s",
                             root->keys[i]->text);
        rc = catalogue_scheme(lib, found, lang, doc, root->items[i], err);
    }
    return rc;
}

int scheme_library_check_texts(const struct scheme_library *lib, struct buf *out, int *missing,
                               struct error *err)
{
    *missing = 0;
    int rc = SP_OK;
    for (int i = 0; i < lib->n_schemes && rc == SP_OK; i++) {
        const struct scheme *s = lib->schemes[i];
        for (int k = 0; k < s->n_eligibility + s->n_qualifying && rc == SP_OK; k++) {
            if (scheme_words_find(s, k, NULL) != NULL)
                continue;
            const struct scheme_expr *c = condition_of(s, k);
            (*missing)++;
            rc = buf_printf(out, err,
                            "%s:%d:%d: %s: condition %s has no text: say what it asks in "
                            "words a clerk and a worker read (docs/schemes.md, \"Texts for "
                            "people\")\n",
                            c->pos.file, c->pos.line, c->pos.col, s->id, c->name);
        }
    }
    return rc;
}
