/*
 * i18n.c: the pages' languages (web_impl.h, docs/web.md). The texts of the pages are English
 * in the code; po/<lang>.po (GNU gettext's format, edited by translators with any PO editor)
 * gives them in another language. The catalogues are compiled into the server (cmake/
 * embed.cmake) and read once, at the first page, by the small reader below: msgid and msgstr
 * with their continuation lines and C escapes; comments, fuzzy entries and empty msgstr are
 * left out, so an untranslated text shows in English.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/text.h"
#include "web/web_impl.h"

struct message {
    const char *id;
    char *str;
};

struct catalogue {
    const char *lang;
    const char *file;
    struct message *m; /* sorted by id */
    int n;
};

static struct catalogue catalogues[] = {
    {"en", "en.po", NULL, 0},
    {"ne", "ne.po", NULL, 0},
    {"id", "id.po", NULL, 0},
};
#define N_LANGS ((int)(sizeof catalogues / sizeof catalogues[0]))

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Reads the quoted string at *at ("..." with C escapes) onto the end of out (size bytes,
 * *len used); moves *at past it. 0 when *at is no string. */
static int quoted(const char **at, char *out, size_t size, size_t *len)
{
    const char *p = *at;
    if (*p != '"')
        return 0;
    for (p++; *p != '\0' && *p != '"' && *p != '\n'; p++) {
        char c = *p;
        if (c == '\\' && p[1] != '\0') {
            p++;
            c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        }
        if (*len + 1 < size)
            out[(*len)++] = c;
    }
    out[*len] = '\0';
    *at = *p == '"' ? p + 1 : p;
    return 1;
}

/* Skips blanks (not newlines). */
static const char *blanks(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

/* Reads the keyword's string and its continuation lines from *at into out. */
static void entry_string(const char **at, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    const char *p = blanks(*at);
    while (quoted(&p, out, size, &len)) {
        p = blanks(p);
        if (*p == '\n') {
            const char *next = blanks(p + 1);
            if (*next != '"')
                break;
            p = next;
        }
    }
    *at = p;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct message *)a)->id, ((const struct message *)b)->id);
}

static void add(struct catalogue *c, const char *id, const char *str, int fuzzy)
{
    if (id[0] == '\0' || str[0] == '\0' || fuzzy)
        return; /* the header, an untranslated or a fuzzy entry */
    struct message *m = sp_reallocarray(c->m, (size_t)c->n + 1, sizeof *m);
    if (m == NULL)
        return;
    c->m = m;
    char *copy = sp_strdup(id);
    m[c->n].id = copy;
    m[c->n].str = sp_strdup(str);
    if (copy == NULL || m[c->n].str == NULL) {
        sp_free(copy);
        sp_free(m[c->n].str);
        return;
    }
    c->n++;
}

static void read_catalogue(struct catalogue *c, const char *text)
{
    static char id[4096], str[4096];
    id[0] = str[0] = '\0';
    int fuzzy = 0, have = 0;
    for (const char *p = text; *p != '\0';) {
        const char *line = blanks(p);
        if (strncmp(line, "#,", 2) == 0 && strstr(line, "fuzzy") != NULL &&
            strstr(line, "fuzzy") < line + strcspn(line, "\n")) {
            fuzzy = 1;
        } else if (strncmp(line, "msgid ", 6) == 0) {
            if (have)
                add(c, id, str, fuzzy);
            p = line + 6;
            entry_string(&p, id, sizeof id);
            str[0] = '\0';
            have = 1;
            continue;
        } else if (strncmp(line, "msgstr ", 7) == 0) {
            p = line + 7;
            entry_string(&p, str, sizeof str);
            add(c, id, str, fuzzy);
            have = 0;
            fuzzy = 0;
            continue;
        }
        const char *nl = strchr(p, '\n');
        p = nl != NULL ? nl + 1 : p + strlen(p);
    }
    if (c->n > 1)
        qsort(c->m, (size_t)c->n, sizeof *c->m, by_id);
}

static void read_all(void)
{
    for (int i = 0; i < N_LANGS; i++) {
        const char *text = web_asset(catalogues[i].file);
        if (text != NULL)
            read_catalogue(&catalogues[i], text);
    }
}

const char *web_tr(const struct web_request *r, const char *msgid)
{
    if (r == NULL || r->lang[0] == '\0' || strcmp(r->lang, "en") == 0 || msgid == NULL)
        return msgid;
    pthread_once(&once, read_all);
    for (int i = 0; i < N_LANGS; i++) {
        if (strcmp(catalogues[i].lang, r->lang) != 0)
            continue;
        struct message key = {msgid, NULL};
        const struct message *m =
            catalogues[i].n > 0
                ? bsearch(&key, catalogues[i].m, (size_t)catalogues[i].n, sizeof key, by_id)
                : NULL;
        return m != NULL ? m->str : msgid;
    }
    return msgid;
}

const char *web_lang_known(const char *tag)
{
    for (int i = 0; tag != NULL && i < N_LANGS; i++) {
        size_t n = strlen(catalogues[i].lang);
        if (strncasecmp(tag, catalogues[i].lang, n) == 0 &&
            (tag[n] == '\0' || tag[n] == '-' || tag[n] == '_' || tag[n] == ';' || tag[n] == ',' ||
             tag[n] == ' '))
            return catalogues[i].lang;
    }
    return NULL;
}

/* The best language of an Accept-Language header ("ne-NP,ne;q=0.9,en;q=0.5"), or NULL. */
static const char *accepted(const char *header)
{
    const char *best = NULL;
    int best_q = 0;
    for (const char *p = header; p != NULL && *p != '\0';) {
        p = blanks(p);
        size_t n = strcspn(p, ",");
        const char *lang = web_lang_known(p);
        int q = 1000;
        const char *semi = memchr(p, ';', n);
        if (semi != NULL) {
            const char *qs = strstr(semi, "q=");
            if (qs != NULL && qs < p + n) {
                q = 0;
                int digits = 0;
                for (const char *d = qs + 2; d < p + n && digits < 4; d++) {
                    if (*d == '.')
                        continue;
                    if (*d < '0' || *d > '9')
                        break;
                    q = q * 10 + (*d - '0');
                    digits++;
                }
                while (digits++ < 4)
                    q *= 10;
            }
        }
        if (lang != NULL && q > best_q) {
            best = lang;
            best_q = q;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return best;
}

void web_choose_lang(struct web_request *r)
{
    const char *lang = web_lang_known(web_query(r, "lang"));
    if (lang != NULL) {
        char cookie[256];
        web_cookie_header(r, WEB_LANG_COOKIE, lang, 365 * 24 * 3600, cookie, sizeof cookie);
        web_add_header(r, "Set-Cookie", cookie);
    }
    if (lang == NULL)
        lang = web_lang_known(web_cookie(r, WEB_LANG_COOKIE));
    if (lang == NULL)
        lang = accepted(web_header(r, "Accept-Language"));
    text_copy(r->lang, sizeof r->lang, lang != NULL ? lang : "en");
}
