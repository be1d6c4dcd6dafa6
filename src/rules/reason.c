/* reason.c: condition texts for people: compiling and filling templates (reason.h). */
#include "rules/reason.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"

/* The column of byte `offset` of a one-line source written at pos (UTF-8 characters). */
static int column_at(const char *source, size_t offset, struct expr_pos pos)
{
    if (strchr(source, '\n') != NULL)
        return pos.col; /* a folded or block scalar: its start is what can be named */
    int col = pos.col;
    for (size_t i = 0; i < offset; i++)
        col += ((unsigned char)source[i] & 0xC0) != 0x80;
    return col;
}

static int fail_at(const char *source, size_t offset, struct expr_pos pos, struct error *err,
                   const char *what, size_t len, const char *text)
{
    return error_set(err, SP_BAD_INPUT, "%s:%d:%d: %s%.*s", pos.file, pos.line,
                     column_at(source, offset, pos), what, (int)len, text);
}

/* Resolves the placeholder name[0..len) into part; 0 if nothing has that name. */
static int resolve(const struct reason_scope *scope, const char *name, size_t len,
                   struct reason_part *part)
{
    static const struct {
        const char *name;
        enum reason_part_kind kind;
    } words[] = {
        {"she", REASON_SHE}, {"She", REASON_SHE_CAP}, {"her", REASON_HER}, {"as_of", REASON_AS_OF}};
    char text[160];
    if (len == 0 || len >= sizeof text)
        return 0;
    memcpy(text, name, len);
    text[len] = '\0';
    part->text = name;
    part->len = len;
    part->ref = -1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(words[i].name, text) == 0) {
            part->kind = words[i].kind;
            return 1;
        }
    }
    if (strncmp(text, "params.", 7) == 0) {
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", scope->param_namespace,
                 scope->param_namespace[0] ? "." : "", text + 7);
        part->param = scope->params ? param_set_find(scope->params, path) : NULL;
        part->kind = REASON_PARAM;
        return part->param != NULL;
    }
    for (int i = 0; i < scope->n_values; i++) {
        if (strcmp(scope->values[i], text) == 0) {
            part->kind = REASON_VALUE;
            part->ref = i;
            return 1;
        }
    }
    for (int i = 0; i < scope->n_facts; i++) {
        if (strcmp(scope->facts[i].name, text) == 0) {
            part->kind = REASON_EXTRA;
            part->ref = i;
            part->fact = &scope->facts[i];
            return 1;
        }
    }
    part->field = person_field_find(text);
    part->kind = REASON_FACT;
    return part->field != NULL;
}

void reason_template_release(struct reason_template *t)
{
    if (t == NULL)
        return;
    sp_free(t->parts);
    sp_free(t->literals);
    memset(t, 0, sizeof *t);
}

/* Adds a part; the literal bytes of a LITERAL part are copied into t->literals at *used. */
static int add_part(struct reason_template *t, const struct reason_part *part, size_t *used,
                    struct expr_pos pos, struct error *err)
{
    if (t->n_parts == REASON_PARTS_MAX)
        return error_set(err, SP_BAD_INPUT, "%s:%d:%d: a text has at most %d pieces", pos.file,
                         pos.line, pos.col, REASON_PARTS_MAX);
    t->parts[t->n_parts] = *part;
    if (part->kind == REASON_LITERAL) {
        memcpy(t->literals + *used, part->text, part->len);
        t->parts[t->n_parts].text = t->literals + *used;
        *used += part->len;
    }
    t->n_parts++;
    return SP_OK;
}

/* Scans source into t's parts; the caller allocated t->parts and t->literals. */
static int scan(const char *source, struct expr_pos pos, const struct reason_scope *scope,
                struct reason_template *t, struct error *err)
{
    size_t used = 0, i = 0, n = strlen(source);
    char run[REASON_SOURCE_MAX];
    size_t run_len = 0;
    int rc = SP_OK;
    while (i < n && rc == SP_OK) {
        char c = source[i];
        if ((c == '{' || c == '}') && source[i + 1] == c) { /* "{{" or "}}": one brace */
            run[run_len++] = c;
            i += 2;
            continue;
        }
        if (c == '}')
            return fail_at(source, i, pos, err, "a lone \"}\": write \"}}\" for a brace", 0, "");
        if (c != '{') {
            run[run_len++] = c;
            i++;
            continue;
        }
        const char *close = strchr(source + i + 1, '}');
        if (close == NULL)
            return fail_at(source, i, pos, err, "\"{\" is not closed: write \"{{\" for a brace", 0,
                           "");
        const char *name = source + i + 1;
        size_t len = (size_t)(close - name);
        struct reason_part part;
        memset(&part, 0, sizeof part);
        if (!resolve(scope, name, len, &part))
            return fail_at(source, i, pos, err,
                           "unknown placeholder: use {params.NAME}, a named value, a fact, "
                           "{she}, {She}, {her} or {as_of}, not {",
                           len + 1, name); /* with its "}" */
        if (run_len > 0) {
            struct reason_part literal = {REASON_LITERAL, run, run_len, -1, NULL, NULL, NULL};
            rc = add_part(t, &literal, &used, pos, err);
            run_len = 0;
        }
        if (rc == SP_OK)
            rc = add_part(t, &part, &used, pos, err);
        i += len + 2;
    }
    if (rc == SP_OK && run_len > 0) {
        struct reason_part literal = {REASON_LITERAL, run, run_len, -1, NULL, NULL, NULL};
        rc = add_part(t, &literal, &used, pos, err);
    }
    return rc;
}

int reason_template_compile(const char *source, struct expr_pos pos,
                            const struct reason_scope *scope, struct reason_template *out,
                            struct error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(source);
    if (n == 0)
        return error_set(err, SP_BAD_INPUT, "%s:%d:%d: the text is empty", pos.file, pos.line,
                         pos.col);
    if (n > REASON_SOURCE_MAX)
        return error_set(err, SP_BAD_INPUT, "%s:%d:%d: a text has at most %d bytes", pos.file,
                         pos.line, pos.col, REASON_SOURCE_MAX);
    struct reason_template t = {source, sp_calloc(REASON_PARTS_MAX, sizeof *t.parts),
                                sp_malloc(n + 1), 0};
    if (t.parts == NULL || t.literals == NULL) {
        reason_template_release(&t);
        return error_nomem(err);
    }
    int rc = scan(source, pos, scope, &t, err);
    if (rc != SP_OK) {
        reason_template_release(&t);
        return rc;
    }
    *out = t;
    return SP_OK;
}

void reason_words(const char *text, char *out, size_t size)
{
    if (size == 0)
        return;
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
        snprintf(out, size, "%s", text[0] == 't' ? "yes" : "no");
        return;
    }
    size_t len = 0;
    for (const char *p = text; *p && len + 3 < size; p++) {
        if (*p == ';') {
            out[len++] = ',';
            out[len++] = ' ';
        } else {
            out[len++] = *p == '_' ? ' ' : *p;
        }
    }
    out[len] = '\0';
}

/* The text of a vocabulary fact of f's person, or "" when not given. */
static void fact_text(const struct person_field *field, const struct person *p, char *out,
                      size_t size)
{
    char raw[PERSON_LIST_SIZE + 64];
    struct error err;
    error_init(&err);
    if (person_get_field(p, field->name, raw, sizeof raw, &err) != SP_OK)
        raw[0] = '\0';
    if (field->type == FIELD_ENUM || field->type == FIELD_BOOL || field->type == FIELD_LIST)
        reason_words(raw, out, size);
    else
        snprintf(out, size, "%s", raw);
}

static const char *by_sex(const struct person *p, const char *female, const char *male,
                          const char *other)
{
    char sex[16];
    struct error err;
    error_init(&err);
    if (person_get_field(p, "sex", sex, sizeof sex, &err) != SP_OK)
        return other;
    return strcmp(sex, "female") == 0 ? female : strcmp(sex, "male") == 0 ? male : other;
}

/* The text of one placeholder for f into out. */
static void part_text(const struct reason_part *part, const struct reason_fill *f, char *out,
                      size_t size)
{
    const struct person *p = f->person;
    out[0] = '\0';
    switch (part->kind) {
    case REASON_LITERAL:
        break;
    case REASON_VALUE: {
        const char *v = f->values ? f->values[part->ref] : NULL;
        snprintf(out, size, "%s", v ? v : "not given");
        break;
    }
    case REASON_FACT:
        fact_text(part->field, p, out, size);
        if (out[0] == '\0')
            snprintf(out, size, "not given");
        break;
    case REASON_EXTRA: {
        const char *v = person_get_extra(p, part->fact->name);
        char words[PERSON_LIST_SIZE];
        if (v != NULL) {
            reason_words(v, out, size);
        } else if (part->fact->default_value != NULL) {
            reason_words(part->fact->default_value, words, sizeof words);
            snprintf(out, size, "%s (assumed)", words);
        } else {
            snprintf(out, size, "not given");
        }
        break;
    }
    case REASON_PARAM: {
        const struct param_value *v = f->param_value ? f->param_value(f->ctx, part->param) : NULL;
        if (v == NULL)
            v = param_value_at(part->param, f->as_of);
        if (v == NULL || !v->is_set)
            snprintf(out, size, "not set");
        else if (part->param->kind == PARAM_TEXT) /* words, not a quoted string */
            snprintf(out, size, "%s", v->text ? v->text : "");
        else if (part->param->kind == PARAM_INT) /* the text says the unit, in its language */
            snprintf(out, size, "%lld", (long long)v->number);
        else
            param_value_text(part->param, v, out, size);
        break;
    }
    case REASON_SHE:
        snprintf(out, size, "%s", by_sex(p, "she", "he", "this person"));
        break;
    case REASON_SHE_CAP:
        snprintf(out, size, "%s", by_sex(p, "She", "He", "This person"));
        break;
    case REASON_HER:
        snprintf(out, size, "%s", by_sex(p, "her", "his", "their"));
        break;
    case REASON_AS_OF:
        date_format(f->as_of, out);
        break;
    }
}

int reason_template_fill(const struct reason_template *t, const struct reason_fill *f,
                         struct buf *out, struct error *err)
{
    int rc = SP_OK;
    for (int i = 0; i < t->n_parts && rc == SP_OK; i++) {
        const struct reason_part *part = &t->parts[i];
        if (part->kind == REASON_LITERAL) {
            rc = buf_append(out, part->text, part->len, err);
            continue;
        }
        char text[PERSON_LIST_SIZE + 128];
        part_text(part, f, text, sizeof text);
        rc = buf_puts(out, text, err);
    }
    return rc;
}
