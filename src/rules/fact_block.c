/*
 * fact_block.c: copies the compact facts of a block of person records into columns.
 */
#include "rules/fact_block.h"

#include <stddef.h>
#include <string.h>

#include "base/money.h"

/* One compact field: where it is in the record, how it is stored, and its slot. */
struct compact_field {
    int16_t field; /* enum person_field_index */
    int16_t slot;  /* in code[] or, for money, in minor[] and currency[] */
    uint8_t type;  /* enum field_type */
    uint16_t offset;
    const char *const *words; /* a list's words */
};

#define CF_AT(member) (uint16_t) offsetof(struct person, member)
#define CF_FIELD_TEXT(i, member, words)
#define CF_FIELD_COUNTRY(i, member, words)
#define CF_FIELD_LIST(i, member, words)  {i, FB_##i, FIELD_LIST, CF_AT(member), words},
#define CF_FIELD_ENUM(i, member, words)  {i, FB_##i, FIELD_ENUM, CF_AT(member), NULL},
#define CF_FIELD_DATE(i, member, words)  {i, FB_##i, FIELD_DATE, CF_AT(member), NULL},
#define CF_FIELD_BOOL(i, member, words)  {i, FB_##i, FIELD_BOOL, CF_AT(member), NULL},
#define CF_FIELD_INT(i, member, words)   {i, FB_##i, FIELD_INT, CF_AT(member), NULL},
#define CF_FIELD_MONEY(i, member, words) {i, FBM_##i, FIELD_MONEY, CF_AT(member), NULL},
#define CF(index, name, type, member, choices, required, description)                              \
    CF_##type(index, member, choices)
static const struct compact_field compact_fields[] = {PERSON_FIELDS(CF)};
#undef CF

/* slot + 1 of each field (0: not copied), by the field's index */
#define SLOT_FIELD_TEXT(i)
#define SLOT_FIELD_COUNTRY(i)
#define SLOT_FIELD_LIST(i)                                              [i] = FB_##i + 1,
#define SLOT_FIELD_ENUM(i)                                              [i] = FB_##i + 1,
#define SLOT_FIELD_DATE(i)                                              [i] = FB_##i + 1,
#define SLOT_FIELD_BOOL(i)                                              [i] = FB_##i + 1,
#define SLOT_FIELD_INT(i)                                               [i] = FB_##i + 1,
#define SLOT_FIELD_MONEY(i)                                             [i] = FBM_##i + 1,
#define SLOT(index, name, type, member, choices, required, description) SLOT_##type(index)
static const int8_t slot_of[PERSON_FIELD_COUNT] = {PERSON_FIELDS(SLOT)};
#undef SLOT

int fact_block_slot(int f)
{
    return f >= 0 && f < PERSON_FIELD_COUNT ? slot_of[f] - 1 : -1;
}

/* The index of the word of len bytes at p among words, while it is at most 30; else -1. */
static int word_index(const char *p, size_t len, const char *const *words)
{
    for (int k = 0; words[k] != NULL && k <= 30; k++)
        if (strncmp(words[k], p, len) == 0 && words[k][len] == '\0')
            return k;
    return -1;
}

int fact_block_word_bit(const char *word, const char *const *words)
{
    return word_index(word, strlen(word), words);
}

int32_t fact_block_list_bits(const char *text, const char *const *words)
{
    if (text[0] == '\0')
        return 0;
    int32_t bits = 0;
    for (const char *p = text;;) {
        size_t len = strcspn(p, ";");
        int k = len > 0 ? word_index(p, len, words) : -1;
        if (k < 0)
            return -1; /* an empty entry, or not one of the words */
        bits |= (int32_t)1 << k;
        if (p[len] == '\0')
            return bits;
        p += len + 1;
    }
}

void fact_block_fill(struct fact_block *fb, const struct person *const *persons,
                     const struct person_history *const *histories, int n)
{
    n = n < 0 ? 0 : n > EXPR_BLOCK ? EXPR_BLOCK : n;
    fb->n = n;
    fb->persons = persons;
    fb->histories = histories;
    fb->any_enrolled = 0;
    fb->any_recorded = 0;
    for (int i = 0; i < n; i++) {
        const struct person *p = persons[i];
        const struct person_history *h = histories ? histories[i] : NULL;
        fb->country[i] = FACT_BLOCK_COUNTRY(p->country);
        fb->enrolled[i] = h != NULL && h->n_enrolments > 0;
        fb->recorded[i] = h != NULL && (h->n_events > 0 || h->n_contributions > 0);
        fb->any_enrolled |= fb->enrolled[i];
        fb->any_recorded |= fb->recorded[i];
        const char *base = (const char *)p;
        for (size_t k = 0; k < sizeof compact_fields / sizeof compact_fields[0]; k++) {
            const struct compact_field *f = &compact_fields[k];
            const char *at = base + f->offset;
            switch ((enum field_type)f->type) {
            case FIELD_DATE:
            case FIELD_INT:
                memcpy(&fb->code[f->slot][i], at, sizeof(int32_t));
                break;
            case FIELD_ENUM:
            case FIELD_BOOL:
                fb->code[f->slot][i] = *(const uint8_t *)at;
                break;
            case FIELD_LIST:
                fb->code[f->slot][i] = fact_block_list_bits(at, f->words);
                break;
            case FIELD_MONEY: {
                const struct money *m = (const struct money *)(const void *)at;
                fb->minor[f->slot][i] = m->minor;
                fb->currency[f->slot][i] =
                    m->currency[0] == '\0' ? 0 : FACT_BLOCK_CURRENCY(m->currency);
                break;
            }
            default:
                break;
            }
        }
    }
}
