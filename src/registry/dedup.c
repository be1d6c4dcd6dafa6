/*
 * dedup.c: blocking and scoring of likely duplicates (dedup.h).
 */
#include "registry/dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/error.h"
#include "base/text.h"
#include "registry/name_latin.h"

#define W_NAME            0.55
#define W_BIRTH           0.25
#define W_AREA            0.10
#define W_SEX             0.10
#define PHONE_BONUS       0.10
#define NATIONAL_ID_MALUS 0.30
#define NAME_AGREES       0.92   /* a name's similarity from which it counts as agreeing */
#define PROGRESS_EVERY    262144 /* key entries between progress calls */

const char *dedup_field_name(enum dedup_field f)
{
    switch (f) {
    case DEDUP_GIVEN_NAME:
        return "given_name";
    case DEDUP_FAMILY_NAME:
        return "family_name";
    case DEDUP_BIRTH_DATE:
        return "birth_date";
    case DEDUP_SEX:
        return "sex";
    case DEDUP_ADMIN2:
        return "admin2";
    case DEDUP_ADMIN1:
        return "admin1";
    case DEDUP_PHONE:
        return "phone";
    case DEDUP_NATIONAL_ID:
        return "national_id";
    case DEDUP_SWAPPED:
        return "names swapped";
    }
    return "?";
}

void dedup_fields_text(unsigned mask, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (unsigned bit = 1; bit <= DEDUP_SWAPPED; bit <<= 1) {
        if (!(mask & bit))
            continue;
        int w = snprintf(out + n, size - n, "%s%s", n ? ", " : "",
                         dedup_field_name((enum dedup_field)bit));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
    if (n == 0)
        text_copy(out, size, "-");
}

/* ---- hashing ---- */

static uint64_t mix(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (h ^ 0xff) * 1099511628211ULL; /* a separator, so "ab"+"c" differs from "a"+"bc" */
}

static uint64_t mix_int(uint64_t h, int64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        h = (h ^ (uint64_t)(v & 0xff)) * 1099511628211ULL;
    return h;
}

#define HASH_SEED 1469598103934665603ULL

static uint64_t hash_or_zero(const char *s)
{
    if (s[0] == '\0')
        return 0;
    uint64_t h = mix(HASH_SEED, s);
    return h != 0 ? h : 1;
}

/* Case and blanks aside, the text's hash (0 for none): district names are stored canonical. */
static uint32_t area_hash(const char *s)
{
    char folded[NAME_LATIN_SIZE];
    name_latin(s, folded, sizeof folded);
    return (uint32_t)hash_or_zero(folded);
}

/* The digits of a phone number, the last 9 (a country prefix or a leading 0 aside). */
static uint64_t phone_hash(const char *phone)
{
    char digits[PERSON_SHORT_SIZE];
    size_t n = 0;
    for (const char *p = phone; *p && n + 1 < sizeof digits; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    digits[n] = '\0';
    if (n < 6)
        return 0;
    return hash_or_zero(n > 9 ? digits + n - 9 : digits);
}

static int birth_year(int32_t date)
{
    return date == DATE_NONE ? 0 : date_to_civil(date).year;
}

void dedup_record_of(const struct person *p, int64_t serial, struct dedup_record *r)
{
    memset(r, 0, sizeof *r);
    r->serial = serial;
    char latin[NAME_LATIN_SIZE], skel[NAME_LATIN_SIZE];
    name_latin(p->given_name, latin, sizeof latin);
    text_copy(r->given, sizeof r->given, latin);
    name_skeleton(latin, skel, sizeof skel);
    text_copy(r->given_skel, sizeof r->given_skel, skel);
    name_latin(p->family_name, latin, sizeof latin);
    text_copy(r->family, sizeof r->family, latin);
    name_skeleton(latin, skel, sizeof skel);
    text_copy(r->family_skel, sizeof r->family_skel, skel);
    r->birth_date = p->birth_date;
    r->sex = p->sex;
    memcpy(r->country, p->country, sizeof r->country);
    r->admin1 = area_hash(p->admin1);
    r->admin2 = area_hash(p->admin2);
    r->phone = phone_hash(p->phone);
    r->national_id = hash_or_zero(p->national_id);

    int year = birth_year(p->birth_date);
    const char *lo = r->given_skel, *hi = r->family_skel;
    if (strcmp(lo, hi) > 0) {
        lo = r->family_skel;
        hi = r->given_skel;
    }
    uint64_t names = mix(mix(HASH_SEED, lo), hi);
    r->keys[0] = mix_int(mix_int(names, 1), year);
    r->keys[1] = mix_int(mix_int(mix(mix_int(HASH_SEED, 2), r->family_skel), year), r->admin2);
    r->keys[2] = mix_int(mix_int(mix(mix_int(HASH_SEED, 3), r->given_skel), year), r->admin2);
    r->keys[3] = mix_int(mix_int(names, 4), r->admin2);
    r->keys[4] = r->phone != 0 ? mix_int(r->phone, 5) : 0;
    char a[3] = {0}, b[3] = {0};
    memcpy(a, r->given_skel, strlen(r->given_skel) < 2 ? strlen(r->given_skel) : 2);
    memcpy(b, r->family_skel, strlen(r->family_skel) < 2 ? strlen(r->family_skel) : 2);
    int swap = strcmp(a, b) > 0;
    r->keys[5] =
        p->birth_date != DATE_NONE
            ? mix_int(mix(mix(mix_int(HASH_SEED, 6), swap ? b : a), swap ? a : b), p->birth_date)
            : 0;
    for (int k = 0; k < DEDUP_KEYS; k++)
        if (k != 4 && k != 5 && r->keys[k] == 0)
            r->keys[k] = 1;
}

/* ---- similarity ---- */

double dedup_jaro_winkler(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    size_t range = (la > lb ? la : lb) / 2;
    range = range > 0 ? range - 1 : 0;
    char ma[64] = {0}, mb[64] = {0};
    size_t matches = 0;
    for (size_t i = 0; i < la; i++) {
        size_t from = i > range ? i - range : 0, to = i + range + 1 < lb ? i + range + 1 : lb;
        for (size_t j = from; j < to; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                matches++;
                break;
            }
        }
    }
    if (matches == 0)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    double m = (double)matches;
    double jaro = (m / (double)la + m / (double)lb + (m - (double)t / 2.0) / m) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

static double name_similarity(const char *latin_a, const char *skel_a, const char *latin_b,
                              const char *skel_b)
{
    double x = dedup_jaro_winkler(latin_a, latin_b), y = dedup_jaro_winkler(skel_a, skel_b);
    return x > y ? x : y;
}

static double birth_score(int32_t a, int32_t b, unsigned *agree, unsigned *differ)
{
    if (a == DATE_NONE || b == DATE_NONE)
        return 0.5;
    if (a == b) {
        *agree |= DEDUP_BIRTH_DATE;
        return 1.0;
    }
    *differ |= DEDUP_BIRTH_DATE;
    struct civil_date x = date_to_civil(a), y = date_to_civil(b);
    if (x.month == y.month && x.day == y.day && abs(x.year - y.year) == 1)
        return 0.6;
    if (x.year == y.year)
        return 0.5;
    return 0.0;
}

double dedup_score(const struct dedup_record *a, const struct dedup_record *b, unsigned *agree,
                   unsigned *differ)
{
    *agree = 0;
    *differ = 0;
    double gg = name_similarity(a->given, a->given_skel, b->given, b->given_skel);
    double ff = name_similarity(a->family, a->family_skel, b->family, b->family_skel);
    double gf = name_similarity(a->given, a->given_skel, b->family, b->family_skel);
    double fg = name_similarity(a->family, a->family_skel, b->given, b->given_skel);
    double name = (gg + ff) / 2.0;
    if ((gf + fg) / 2.0 > name) {
        name = (gf + fg) / 2.0;
        *agree |= DEDUP_SWAPPED;
        gg = gf;
        ff = fg;
    }
    *(gg >= NAME_AGREES ? agree : differ) |= DEDUP_GIVEN_NAME;
    *(ff >= NAME_AGREES ? agree : differ) |= DEDUP_FAMILY_NAME;

    double birth = birth_score(a->birth_date, b->birth_date, agree, differ);

    double area = 0.0;
    if (a->admin2 != 0 && a->admin2 == b->admin2) {
        area = 1.0;
        *agree |= DEDUP_ADMIN2 | DEDUP_ADMIN1;
    } else {
        if (a->admin2 != 0 || b->admin2 != 0)
            *differ |= DEDUP_ADMIN2;
        if (a->admin1 != 0 && a->admin1 == b->admin1) {
            area = 0.6;
            *agree |= DEDUP_ADMIN1;
        } else {
            if (a->admin1 != 0 || b->admin1 != 0)
                *differ |= DEDUP_ADMIN1;
            area = strcmp(a->country, b->country) == 0 ? 0.3 : 0.0;
        }
    }

    double sex = 0.5;
    if (a->sex != 0 && b->sex != 0) {
        sex = a->sex == b->sex ? 1.0 : 0.0;
        *(a->sex == b->sex ? agree : differ) |= DEDUP_SEX;
    }

    double score = W_NAME * name + W_BIRTH * birth + W_AREA * area + W_SEX * sex;
    if (a->phone != 0 && b->phone != 0) {
        if (a->phone == b->phone) {
            score += PHONE_BONUS;
            *agree |= DEDUP_PHONE;
        } else {
            *differ |= DEDUP_PHONE;
        }
    }
    if (a->national_id != 0 && b->national_id != 0) {
        if (a->national_id == b->national_id) {
            score = 1.0;
            *agree |= DEDUP_NATIONAL_ID;
        } else {
            score -= NATIONAL_ID_MALUS;
            *differ |= DEDUP_NATIONAL_ID;
        }
    }
    if (score > 1.0)
        score = 1.0;
    if (score < 0.0)
        score = 0.0;
    return score;
}

/* ---- the scan ---- */

struct entry {
    uint64_t key;
    uint32_t record;
    uint32_t which; /* the key's index in the record */
};

static int entry_cmp(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->record != b->record)
        return a->record < b->record ? -1 : 1;
    return 0;
}

/* 1 if a and b share a key before key k, so that the pair was met in an earlier block. */
static int met_before(const struct dedup_record *a, const struct dedup_record *b, uint32_t k)
{
    for (uint32_t i = 0; i < k; i++)
        if (a->keys[i] != 0 && a->keys[i] == b->keys[i])
            return 1;
    return 0;
}

static int compare_pair(const struct dedup_record *records, const struct entry *x,
                        const struct entry *y, double threshold, dedup_pair_fn visit, void *ctx,
                        struct dedup_stats *stats)
{
    const struct dedup_record *a = &records[x->record], *b = &records[y->record];
    if (a == b || met_before(a, b, x->which))
        return 0;
    /* the same key at different places (keys 0 and 3 share their names part): once only */
    if (x->which != y->which)
        return 0;
    stats->compared++;
    struct dedup_pair pair = {a, b, 0.0, 0, 0};
    pair.score = dedup_score(a, b, &pair.agree, &pair.differ);
    if (pair.score < threshold)
        return 0;
    stats->reported++;
    return visit(ctx, &pair);
}

int dedup_scan(const struct dedup_record *records, size_t n, double threshold, dedup_pair_fn visit,
               dedup_progress_fn progress, void *ctx, struct dedup_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    stats->records = (int64_t)n;
    struct entry *entries = sp_calloc(n * DEDUP_KEYS + 1, sizeof *entries);
    if (entries == NULL)
        return SP_IO;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < DEDUP_KEYS; k++)
            if (records[i].keys[k] != 0)
                entries[m++] = (struct entry){records[i].keys[k], (uint32_t)i, k};
    qsort(entries, m, sizeof *entries, entry_cmp);
    int rc = 0;
    size_t next_progress = PROGRESS_EVERY;
    for (size_t start = 0; start < m && rc == 0;) {
        size_t end = start + 1;
        while (end < m && entries[end].key == entries[start].key)
            end++;
        size_t size = end - start;
        for (size_t i = start; i < end && rc == 0; i++) {
            size_t last = size <= DEDUP_BLOCK_MAX
                              ? end
                              : (i + 1 + DEDUP_WINDOW < end ? i + 1 + DEDUP_WINDOW : end);
            for (size_t j = i + 1; j < last && rc == 0; j++)
                rc = compare_pair(records, &entries[i], &entries[j], threshold, visit, ctx, stats);
        }
        start = end;
        if (progress != NULL && start >= next_progress) {
            progress(ctx, (double)start / (double)m);
            next_progress = start + PROGRESS_EVERY;
        }
    }
    if (progress != NULL && rc == 0)
        progress(ctx, 1.0);
    sp_free(entries);
    return rc;
}
