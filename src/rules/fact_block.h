/*
 * fact_block.h: a block of persons as compact fact columns, the rules engine's batch input.
 *
 * A person record (struct person) is almost 2 KB, and deciding a scheme reads a few bytes of
 * it. fact_block_fill reads those bytes once per block into columns: dates and whole numbers
 * as int32 (DATE_NONE, -1 when not given), words of a closed list (sex, marital status ...)
 * and yes/no facts as their codes (0 when not given), money as int64 minor units beside its
 * currency code; lists of words (groups, memberships) as bitsets of their words; the country
 * as two letters; whether the history holds an enrolment, and whether it holds an event or a
 * contribution. Every scheme decided for the block then reads the columns
 * (decide_block_facts), not the records. Text facts (names, districts) are not copied: the
 * engine reads them from the records when it needs them.
 *
 * A fact_block does not own the persons or histories it points at: they must outlive it and
 * not change while it is used. It holds no other memory, so it is freed with the block that
 * contains it (it is large, about 90 KB: allocate it, do not put it on a thread's stack).
 */
#ifndef SPFLOOR_RULES_FACT_BLOCK_H
#define SPFLOOR_RULES_FACT_BLOCK_H

#include <stdint.h>

#include "model/person.h"
#include "rules/expr.h"
#include "rules/situation.h"

/* The compact facts' slots in a block: FB_<field index> for each date, whole-number, word,
 * yes/no and list field, FBM_<field index> for each money field (from PERSON_FIELDS). */
#define FB_SLOT_FIELD_TEXT(i)
#define FB_SLOT_FIELD_COUNTRY(i)
#define FB_SLOT_FIELD_MONEY(i)
#define FB_SLOT_FIELD_LIST(i)                                              FB_##i,
#define FB_SLOT_FIELD_ENUM(i)                                              FB_##i,
#define FB_SLOT_FIELD_DATE(i)                                              FB_##i,
#define FB_SLOT_FIELD_BOOL(i)                                              FB_##i,
#define FB_SLOT_FIELD_INT(i)                                               FB_##i,
#define FB_SLOT(index, name, type, member, choices, required, description) FB_SLOT_##type(index)
enum fact_block_slot { PERSON_FIELDS(FB_SLOT) FACT_BLOCK_CODES };
#undef FB_SLOT_FIELD_MONEY
#undef FB_SLOT_FIELD_LIST
#undef FB_SLOT_FIELD_ENUM
#undef FB_SLOT_FIELD_DATE
#undef FB_SLOT_FIELD_BOOL
#undef FB_SLOT_FIELD_INT
#define FB_SLOT_FIELD_LIST(i)
#define FB_SLOT_FIELD_ENUM(i)
#define FB_SLOT_FIELD_DATE(i)
#define FB_SLOT_FIELD_BOOL(i)
#define FB_SLOT_FIELD_INT(i)
#define FB_SLOT_FIELD_MONEY(i) FBM_##i,
enum fact_block_money_slot { PERSON_FIELDS(FB_SLOT) FACT_BLOCK_MONEYS };
#undef FB_SLOT
#undef FB_SLOT_FIELD_TEXT
#undef FB_SLOT_FIELD_COUNTRY
#undef FB_SLOT_FIELD_LIST
#undef FB_SLOT_FIELD_MONEY
#undef FB_SLOT_FIELD_ENUM
#undef FB_SLOT_FIELD_DATE
#undef FB_SLOT_FIELD_BOOL
#undef FB_SLOT_FIELD_INT

struct fact_block {
    int n;                                         /* persons, 0..EXPR_BLOCK */
    const struct person *const *persons;           /* n records */
    const struct person_history *const *histories; /* n (entries may be NULL), or NULL */
    uint16_t country[EXPR_BLOCK];                  /* FACT_BLOCK_COUNTRY of each person */
    uint8_t enrolled[EXPR_BLOCK];                  /* 1: the history holds an enrolment */
    uint8_t recorded[EXPR_BLOCK];       /* 1: the history holds an event or a contribution */
    uint8_t any_enrolled, any_recorded; /* 1: some person of the block is */
    int32_t code[FACT_BLOCK_CODES][EXPR_BLOCK];   /* dates and whole numbers as stored (DATE_NONE,
                                                     -1 unset); words and yes/no as their codes;
                                                     lists as bitsets (fact_block_list_bits) */
    int64_t minor[FACT_BLOCK_MONEYS][EXPR_BLOCK]; /* money: minor units */
    uint32_t currency[FACT_BLOCK_MONEYS][EXPR_BLOCK]; /* FACT_BLOCK_CURRENCY, 0 unset */
};

/*
 * The slot of field f (enum person_field_index) in code[] or, for money, in minor[] and
 * currency[]; -1 for a field the block does not copy (text).
 */
int fact_block_slot(int f);

/*
 * A list of words as a block holds it: bit k set for words[k] (words NULL-terminated), 0 for
 * an empty list; -1 when the ';'-joined text has an empty entry, a word not in words, or one
 * past bit 30: the engine then reads the record. Cannot fail.
 */
int32_t fact_block_list_bits(const char *text, const char *const *words);

/* Index k of word among words (NULL-terminated) while k <= 30, the bit it has in a list's
 * bitset; -1 if it has none. */
int fact_block_word_bit(const char *word, const char *const *words);

/* Two letters of a country as the block keeps them. */
#define FACT_BLOCK_COUNTRY(c) ((uint16_t)((uint8_t)(c)[0] | (uint16_t)(uint8_t)(c)[1] << 8))
/* Three letters of a currency code as the block keeps them. */
#define FACT_BLOCK_CURRENCY(c)                                                                     \
    ((uint32_t)(uint8_t)(c)[0] | (uint32_t)(uint8_t)(c)[1] << 8 | (uint32_t)(uint8_t)(c)[2] << 16)

/*
 * Points fb at n (0..EXPR_BLOCK) persons and their histories (NULL: none) and copies their
 * compact facts into its columns. Cannot fail: n is clamped to 0..EXPR_BLOCK.
 */
void fact_block_fill(struct fact_block *fb, const struct person *const *persons,
                     const struct person_history *const *histories, int n);

#endif
