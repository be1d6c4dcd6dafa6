/*
 * gazetteer.c: areas by code, name, alias or local name (gazetteer.h).
 *
 * The compiled-in files (base/embedded.h, areas_embedded) are copied into a static pool and
 * split into areas. Each area gives keys: its official name as written (the quick path, taken
 * by nearly every row of an import), and the folded form of its code, name, local name and
 * aliases. A folded key is the text under ICU's NFKC case folding, with Latin combining
 * accents, blanks and the punctuation - . ' _ ( ) , dropped. The keys are sorted by country,
 * level and text, and looked up by binary search.
 */
#include "registry/gazetteer.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "base/embedded.h"
#include "base/text.h"

#define AREAS_MAX     512    /* areas of all countries */
#define KEYS_MAX      4096   /* keys of all areas */
#define POOL_SIZE     131072 /* bytes of the data and the folded keys */
#define KEY_SIZE      192    /* bytes of one folded key, with its NUL */
#define UNITS_MAX     128    /* UTF-16 units of a text being folded */
#define FIELDS        6      /* level,code,parent,name,local,aliases */
#define SUGGEST_EDITS 2      /* the most edits a "did you mean" hint is away */

/* A text an area is found by. */
struct key {
    char country[3];  /* the area's country */
    int8_t level;     /* its level */
    int8_t exact;     /* 1: the official name as written; 0: a folded key */
    const char *text; /* the key, in the pool */
    int area;         /* index in areas[] */
};

/* How many areas a country lists at a level (gazetteer_count, asked for every row). */
struct list {
    char country[3]; /* the country */
    int level;       /* the level */
    int count;       /* its areas there */
};

#define LISTS_MAX 64 /* (country, level) pairs */

static struct area areas[AREAS_MAX];
static int n_areas;
static struct list lists[LISTS_MAX];
static int n_lists;
static struct key keys[KEYS_MAX];
static int n_keys;
static char pool[POOL_SIZE];
static size_t pool_used;
static struct error load_error;
static int load_rc = SP_OK;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/* Copies n bytes of text into the pool with a NUL; NULL when the pool is full. */
static char *pool_copy(const char *text, size_t n)
{
    if (n + 1 > POOL_SIZE - pool_used)
        return NULL;
    char *s = pool + pool_used;
    memcpy(s, text, n);
    s[n] = '\0';
    pool_used += n + 1;
    return s;
}

/* 1 if unit c is dropped from a folded key (a Latin accent, a blank or light punctuation). */
static int dropped(UChar c)
{
    if (c >= 0x0300 && c <= 0x036F)
        return 1;
    return u_isspace(c) || c == '-' || c == '.' || c == '\'' || c == 0x2019 || c == '_' ||
           c == '(' || c == ')' || c == ',';
}

/* Writes the folded key of text into out (KEY_SIZE bytes). Returns 1, or 0 if it cannot. */
static int fold(const char *text, char out[KEY_SIZE])
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *casefold = unorm2_getNFKCCasefoldInstance(&st);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    UChar a[UNITS_MAX], b[UNITS_MAX];
    int32_t n = 0;
    u_strFromUTF8(a, UNITS_MAX, &n, text, -1, &st);
    if (U_FAILURE(st) || n >= UNITS_MAX)
        return 0;
    n = unorm2_normalize(casefold, a, n, b, UNITS_MAX, &st);
    if (U_SUCCESS(st) && n < UNITS_MAX)
        n = unorm2_normalize(nfd, b, n, a, UNITS_MAX, &st);
    if (U_FAILURE(st) || n >= UNITS_MAX)
        return 0;
    int32_t kept = 0;
    for (int32_t i = 0; i < n; i++)
        if (!dropped(a[i]))
            a[kept++] = a[i];
    n = unorm2_normalize(nfc, a, kept, b, UNITS_MAX, &st);
    if (U_FAILURE(st) || n >= UNITS_MAX)
        return 0;
    int32_t bytes = 0;
    u_strToUTF8(out, KEY_SIZE, &bytes, b, n, &st);
    return U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING && bytes < KEY_SIZE;
}

static int key_compare(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;
    int c = strcmp(a->country, b->country);
    if (c == 0)
        c = a->level - b->level;
    if (c == 0)
        c = a->exact - b->exact;
    return c != 0 ? c : strcmp(a->text, b->text);
}

/* Adds a key of area i: text as written (exact) or folded. */
static int add_key(int i, const char *text, int exact, const char *where, struct error *err)
{
    if (text[0] == '\0')
        return SP_OK;
    char folded[KEY_SIZE];
    const char *k = text;
    if (!exact) {
        if (!fold(text, folded))
            return error_set(err, SP_IO, "%s: \"%s\" cannot be folded for matching", where, text);
        k = folded;
    }
    if (n_keys == KEYS_MAX)
        return error_set(err, SP_IO, "%s: more than %d area names in all", where, KEYS_MAX);
    const char *copy = exact ? text : pool_copy(k, strlen(k));
    if (copy == NULL)
        return error_set(err, SP_IO, "%s: the areas need more than %d bytes", where, POOL_SIZE);
    struct key *key = &keys[n_keys++];
    memcpy(key->country, areas[i].country, sizeof key->country);
    key->level = (int8_t)areas[i].level;
    key->exact = (int8_t)exact;
    key->text = copy;
    key->area = i;
    return SP_OK;
}

/* Adds every key of area i (its aliases are ';'-joined in the pool, split here). */
static int add_keys(int i, const char *where, struct error *err)
{
    const struct area *a = &areas[i];
    int rc = add_key(i, a->name, 1, where, err);
    if (rc == SP_OK)
        rc = add_key(i, a->name, 0, where, err);
    if (rc == SP_OK)
        rc = add_key(i, a->code, 0, where, err);
    if (rc == SP_OK)
        rc = add_key(i, a->local, 0, where, err);
    const char *c = a->aliases;
    while (rc == SP_OK && *c) {
        const char *end = strchr(c, ';');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        char alias[KEY_SIZE];
        if (n >= sizeof alias)
            return error_set(err, SP_IO, "%s: an alias is longer than %d bytes", where,
                             KEY_SIZE - 1);
        memcpy(alias, c, n);
        alias[n] = '\0';
        rc = add_key(i, alias, 0, where, err);
        c = end ? end + 1 : c + n;
    }
    return rc;
}

/* Splits one data line (in the pool, changed in place) into area i of country cc. */
static int parse_line(char *line, const char *cc, const char *where, struct error *err)
{
    char *field[FIELDS];
    int n = 0;
    for (char *c = line;; c++) {
        if (n < FIELDS)
            field[n] = c;
        n++;
        c = strchr(c, ',');
        if (c == NULL)
            break;
        *c = '\0';
    }
    if (n != FIELDS)
        return error_set(err, SP_IO,
                         "%s: %d fields, expected %d (level,code,parent,name,"
                         "local,aliases)",
                         where, n, FIELDS);
    if (n_areas == AREAS_MAX)
        return error_set(err, SP_IO, "%s: more than %d areas", where, AREAS_MAX);
    struct area *a = &areas[n_areas];
    memcpy(a->country, cc, sizeof a->country);
    a->level = strcmp(field[0], "admin1") == 0   ? AREA_ADMIN1
               : strcmp(field[0], "admin2") == 0 ? AREA_ADMIN2
                                                 : 0;
    if (a->level == 0)
        return error_set(err, SP_IO, "%s: level \"%s\" is neither admin1 nor admin2", where,
                         field[0]);
    a->code = field[1];
    a->parent = field[2];
    a->name = field[3];
    a->local = field[4];
    a->aliases = field[5];
    if (a->code[0] == '\0' || a->name[0] == '\0')
        return error_set(err, SP_IO, "%s: an area needs a code and a name", where);
    if ((a->level == AREA_ADMIN2) != (a->parent[0] != '\0'))
        return error_set(err, SP_IO,
                         "%s: an admin2 area names its admin1 (parent), and only "
                         "it",
                         where);
    if (strlen(a->name) >= PERSON_PLACE_SIZE)
        return error_set(err, SP_IO, "%s: the name is longer than %d bytes", where,
                         PERSON_PLACE_SIZE - 1);
    n_areas++;
    return add_keys(n_areas - 1, where, err);
}

/* Parses one compiled-in file, e.g. "np.csv". */
static int parse_file(const struct embedded_file *f, struct error *err)
{
    char cc[3] = {0};
    if (strlen(f->name) != 6 || strcmp(f->name + 2, ".csv") != 0)
        return error_set(err, SP_IO, "data/areas/%s: name it <cc>.csv", f->name);
    cc[0] = (char)(f->name[0] - 'a' + 'A');
    cc[1] = (char)(f->name[1] - 'a' + 'A');
    if (!person_country_known(cc))
        return error_set(err, SP_IO, "data/areas/%s: %s is not an ISO 3166-1 country", f->name, cc);
    char *text = pool_copy(f->contents, strlen(f->contents));
    if (text == NULL)
        return error_set(err, SP_IO, "data/areas/%s: the areas need more than %d bytes", f->name,
                         POOL_SIZE);
    int line_no = 0;
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        if (end != NULL)
            *end = '\0';
        line_no++;
        char where[64];
        snprintf(where, sizeof where, "data/areas/%s:%d", f->name, line_no);
        if (line[0] != '#' && line[0] != '\0' && strncmp(line, "level,", 6) != 0) {
            int rc = parse_line(line, cc, where, err);
            if (rc != SP_OK)
                return rc;
        }
        if (end == NULL)
            break;
        line = end + 1;
    }
    return SP_OK;
}

/* The admin1 area of country with this code, or NULL. */
static const struct area *admin1_by_code(const char *country, const char *code)
{
    for (int i = 0; i < n_areas; i++)
        if (areas[i].level == AREA_ADMIN1 && strcmp(areas[i].country, country) == 0 &&
            strcmp(areas[i].code, code) == 0)
            return &areas[i];
    return NULL;
}

/* Counts area i into its (country, level) list. */
static int count_in_list(int i, struct error *err)
{
    for (int k = 0; k < n_lists; k++) {
        if (lists[k].level == areas[i].level && strcmp(lists[k].country, areas[i].country) == 0) {
            lists[k].count++;
            return SP_OK;
        }
    }
    if (n_lists == LISTS_MAX)
        return error_set(err, SP_IO, "data/areas: more than %d countries and levels", LISTS_MAX);
    memcpy(lists[n_lists].country, areas[i].country, sizeof lists[n_lists].country);
    lists[n_lists].level = areas[i].level;
    lists[n_lists].count = 1;
    n_lists++;
    return SP_OK;
}

/* Counts the lists; every admin2's parent exists; no folded key names two areas. */
static int check_loaded(struct error *err)
{
    for (int i = 0; i < n_areas; i++) {
        int rc = count_in_list(i, err);
        if (rc != SP_OK)
            return rc;
    }
    for (int i = 0; i < n_areas; i++)
        if (areas[i].level == AREA_ADMIN2 &&
            admin1_by_code(areas[i].country, areas[i].parent) == NULL)
            return error_set(err, SP_IO,
                             "data/areas/%c%c.csv: %s names parent %s, which is "
                             "no admin1 code",
                             areas[i].country[0] | 0x20, areas[i].country[1] | 0x20, areas[i].code,
                             areas[i].parent);
    for (int i = 1; i < n_keys; i++) {
        const struct key *a = &keys[i - 1], *b = &keys[i];
        if (key_compare(a, b) == 0 && a->area != b->area)
            return error_set(err, SP_IO, "data/areas: \"%s\" (folded) names both %s and %s in %s",
                             b->text, areas[a->area].name, areas[b->area].name, b->country);
    }
    return SP_OK;
}

static void load(void)
{
    error_init(&load_error);
    for (int i = 0; areas_embedded[i].name != NULL && load_rc == SP_OK; i++)
        load_rc = parse_file(&areas_embedded[i], &load_error);
    if (load_rc == SP_OK)
        qsort(keys, (size_t)n_keys, sizeof keys[0], key_compare);
    if (load_rc == SP_OK)
        load_rc = check_loaded(&load_error);
    if (load_rc != SP_OK)
        n_areas = n_keys = n_lists = 0;
}

int gazetteer_load(struct error *err)
{
    pthread_once(&load_once, load);
    return load_rc == SP_OK ? SP_OK : error_set(err, load_rc, "%s", load_error.message);
}

const struct area *gazetteer_areas(int *count)
{
    gazetteer_load(NULL);
    *count = n_areas;
    return areas;
}

int gazetteer_count(const char *country, enum area_level level)
{
    gazetteer_load(NULL);
    for (int k = 0; k < n_lists; k++)
        if (lists[k].level == (int)level && strcmp(lists[k].country, country) == 0)
            return lists[k].count;
    return 0;
}

const char *gazetteer_level_field(enum area_level level)
{
    return level == AREA_ADMIN1 ? "admin1" : "admin2";
}

const char *gazetteer_level_noun(enum area_level level)
{
    return level == AREA_ADMIN1 ? "province or state" : "district";
}

/* The area whose key (exact or folded) is text, or NULL. */
static const struct area *find_key(const char *country, enum area_level level, int exact,
                                   const char *text)
{
    struct key probe = {.level = (int8_t)level, .exact = (int8_t)exact, .text = text};
    if (strlen(country) != 2)
        return NULL;
    memcpy(probe.country, country, sizeof probe.country);
    const struct key *k = bsearch(&probe, keys, (size_t)n_keys, sizeof keys[0], key_compare);
    return k ? &areas[k->area] : NULL;
}

const struct area *gazetteer_find(const char *country, enum area_level level, const char *text)
{
    gazetteer_load(NULL);
    const struct area *a = find_key(country, level, 1, text);
    char folded[KEY_SIZE];
    if (a == NULL && fold(text, folded))
        a = find_key(country, level, 0, folded);
    return a;
}

const char *gazetteer_suggest(const char *country, enum area_level level, const char *text)
{
    gazetteer_load(NULL);
    char folded[KEY_SIZE];
    if (!fold(text, folded) || folded[0] == '\0')
        return NULL;
    const char *best = NULL;
    int best_edits = SUGGEST_EDITS + 1;
    for (int i = 0; i < n_keys; i++) {
        const struct key *k = &keys[i];
        if (k->exact || k->level != (int8_t)level || strcmp(k->country, country) != 0)
            continue;
        int d = text_edit_distance(folded, k->text, best_edits);
        if (d < best_edits && (size_t)d < strlen(k->text)) {
            best_edits = d;
            best = areas[k->area].name;
        }
    }
    return best;
}

/* Resolves one field's text (admin1 or admin2 of a place in country) into *out. */
static int resolve_field(const char *country, enum area_level level, const char *text,
                         const struct area **out, struct error *err)
{
    *out = NULL;
    int count = gazetteer_count(country, level);
    if (text[0] == '\0' || count == 0)
        return SP_OK;
    *out = gazetteer_find(country, level, text);
    if (*out != NULL)
        return SP_OK;
    const char *field = gazetteer_level_field(level);
    const char *near = gazetteer_suggest(country, level, text);
    char hint[PERSON_PLACE_SIZE + 32] = "";
    if (near != NULL)
        snprintf(hint, sizeof hint, "did you mean \"%s\"? ", near);
    return error_set(err, SP_BAD_INPUT,
                     "%s: \"%.*s\" is not a %s of %s: %s'spfloor vocab %s --country %s' lists "
                     "the %d there, by name, code, alias or local name",
                     field, PERSON_PLACE_SIZE - 1, text, gazetteer_level_noun(level), country, hint,
                     field, country, count);
}

int gazetteer_resolve(const char *country, char *admin1, char *admin2, struct error *err)
{
    if (country[0] == '\0' || (admin1[0] == '\0' && admin2[0] == '\0'))
        return SP_OK;
    int rc = gazetteer_load(err);
    if (rc != SP_OK)
        return rc;
    const struct area *a1 = NULL, *a2 = NULL;
    rc = resolve_field(country, AREA_ADMIN1, admin1, &a1, err);
    if (rc == SP_OK)
        rc = resolve_field(country, AREA_ADMIN2, admin2, &a2, err);
    if (rc != SP_OK)
        return rc;
    if (a1 != NULL && a2 != NULL && strcmp(a2->parent, a1->code) != 0) {
        const struct area *in = admin1_by_code(country, a2->parent);
        return error_set(err, SP_BAD_INPUT,
                         "admin2: \"%s\" is a district of %s, not of %s: correct admin1 or "
                         "admin2",
                         a2->name, in ? in->name : a2->parent, a1->name);
    }
    if (a1 != NULL)
        text_copy(admin1, PERSON_PLACE_SIZE, a1->name);
    if (a2 != NULL)
        text_copy(admin2, PERSON_PLACE_SIZE, a2->name);
    return SP_OK;
}

int gazetteer_resolve_person(struct person *p, struct error *err)
{
    return gazetteer_resolve(p->country, p->admin1, p->admin2, err);
}
