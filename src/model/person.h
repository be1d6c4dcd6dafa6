/*
 * person.h: a person and the facts vocabulary of DESIGN.md (a public contract: the field names
 * here are the column names of CSV imports and the keys of JSON and YAML persons).
 *
 * This module is the one place that parses, validates and prints person fields. CSV import,
 * `person add` flags, JSON/YAML situations and the store all go through person_set_field and
 * person_get_field, so a field is validated the same way wherever it comes from.
 *
 * A struct person is plain data with fixed-size fields (no heap), so arrays of them can be
 * copied, compared and freed freely. "Unset" is: "" for text, DATE_NONE for dates, 0 (the
 * *_UNSET member) for enums, currency[0] == '\0' for money, -1 for living_children.
 */
#ifndef SPFLOOR_MODEL_PERSON_H
#define SPFLOOR_MODEL_PERSON_H

#include <stdint.h>

#include "base/calendar.h"
#include "base/date.h"
#include "base/error.h"
#include "base/money.h"

#define PERSON_ID_SIZE          33  /* a worker ID (12 digits) or a situation id such as "p1" */
#define PERSON_NAME_SIZE        97  /* given or family name, UTF-8 */
#define PERSON_PLACE_SIZE       65  /* admin1, admin2 */
#define PERSON_LIST_SIZE        161 /* groups or memberships, ';'-joined */
#define PERSON_SHORT_SIZE       41  /* national_id, phone, household */
#define PERSON_ACCOUNT_SIZE     65
#define PERSON_EXTRA_MAX        8 /* extra country facts a scheme may declare */
#define PERSON_EXTRA_NAME_SIZE  33
#define PERSON_EXTRA_VALUE_SIZE 65
#define PERSON_DEDUP_KEY_SIZE   272 /* person_dedup_key: two names, a date, a district */

enum sex { SEX_UNSET, SEX_FEMALE, SEX_MALE, SEX_OTHER };
enum marital_status {
    MARITAL_UNSET,
    MARITAL_SINGLE,
    MARITAL_MARRIED,
    MARITAL_WIDOWED,
    MARITAL_DIVORCED,
    MARITAL_SEPARATED
};
enum disability_class {
    DISABILITY_UNSET,
    DISABILITY_NONE,
    DISABILITY_A,
    DISABILITY_B,
    DISABILITY_C
};
enum worker_category {
    WORKER_UNSET,
    WORKER_FORMAL_EMPLOYEE,
    WORKER_INFORMAL,
    WORKER_SELF_EMPLOYED,
    WORKER_DOMESTIC,
    WORKER_HOME_BASED,
    WORKER_MIGRANT,
    WORKER_HERDER,
    WORKER_PLATFORM,
    WORKER_AGRICULTURAL,
    WORKER_SEX_WORKER
};
enum relationship {
    RELATIONSHIP_UNSET,
    RELATIONSHIP_HEAD,
    RELATIONSHIP_SPOUSE,
    RELATIONSHIP_CHILD,
    RELATIONSHIP_PARENT,
    RELATIONSHIP_OTHER
};
enum tristate { TRISTATE_UNSET, TRISTATE_FALSE, TRISTATE_TRUE };

/* An extra fact declared by a scheme's `facts:` (situations only; text as given). */
struct person_extra {
    char name[PERSON_EXTRA_NAME_SIZE];   /* the fact's name, e.g. "jkk_risk_class" */
    char value[PERSON_EXTRA_VALUE_SIZE]; /* its value as text */
};

struct person {
    /* identity */
    char id[PERSON_ID_SIZE];             /* registry id: worker ID, or a situation's id */
    char national_id[PERSON_SHORT_SIZE]; /* optional; unique per country */
    char given_name[PERSON_NAME_SIZE];
    char family_name[PERSON_NAME_SIZE];
    uint8_t sex;        /* enum sex */
    int32_t birth_date; /* day number, DATE_NONE if unset */
    char phone[PERSON_SHORT_SIZE];
    /* where they live */
    char country[3];                /* ISO 3166-1 alpha-2 */
    char admin1[PERSON_PLACE_SIZE]; /* province or state */
    char admin2[PERSON_PLACE_SIZE]; /* district */
    /* personal status */
    uint8_t marital_status;        /* enum marital_status */
    uint8_t disability_class;      /* enum disability_class */
    char groups[PERSON_LIST_SIZE]; /* e.g. "dalit;solo_parent", lowercase, no blanks */
    /* work */
    uint8_t worker_category; /* enum worker_category */
    char employer[PERSON_NAME_SIZE];
    struct money monthly_wage;
    struct money declared_income;
    struct money annual_income;
    int32_t employment_start;           /* DATE_NONE if unset */
    uint8_t income_tax_payer;           /* enum tristate */
    char memberships[PERSON_LIST_SIZE]; /* e.g. "epfo;esic" */
    /* family */
    char household[PERSON_SHORT_SIZE]; /* household id */
    uint8_t relationship;              /* enum relationship */
    int32_t living_children;           /* -1 if unset (then derived from the household) */
    /* payment */
    char account[PERSON_ACCOUNT_SIZE];   /* IBAN, local account number or mobile wallet */
    char account_holder[PERSON_ID_SIZE]; /* person id when the account is someone else's */
    /* extra country facts (situations only) */
    struct person_extra extra[PERSON_EXTRA_MAX];
    int n_extra;
};

enum field_type {
    FIELD_TEXT,
    FIELD_ENUM,
    FIELD_DATE,
    FIELD_MONEY,
    FIELD_BOOL,
    FIELD_INT,
    FIELD_LIST,
    FIELD_COUNTRY
};

/*
 * The facts vocabulary of a person, defined once (DESIGN.md, "Facts vocabulary"). Every table
 * that lists the fields expands this list: person_fields (parsing, validation, printing, the
 * CSV header), the expression language's facts (rules/expr_builtin.c), and the documentation
 * (docs/vocabulary.md, checked against it by tests/unit/test_vocabulary.c). The store maps each
 * field to columns, and test_store fails when a field here has no column there.
 *
 * X(INDEX, "name", TYPE, member of struct person, allowed words or NULL, required, what it is)
 */
#define PERSON_FIELDS(X)                                                                           \
    X(F_ID, "id", FIELD_TEXT, id, NULL, 0, "the registry's worker ID (12 digits, check digit)")    \
    X(F_NATIONAL_ID, "national_id", FIELD_TEXT, national_id, NULL, 0,                              \
      "the national ID, unique within a country")                                                  \
    X(F_GIVEN_NAME, "given_name", FIELD_TEXT, given_name, NULL, 1, "given name")                   \
    X(F_FAMILY_NAME, "family_name", FIELD_TEXT, family_name, NULL, 1, "family name")               \
    X(F_SEX, "sex", FIELD_ENUM, sex, person_sex_words, 1, "sex")                                   \
    X(F_BIRTH_DATE, "birth_date", FIELD_DATE, birth_date, NULL, 1, "date of birth")                \
    X(F_PHONE, "phone", FIELD_TEXT, phone, NULL, 0, "phone number")                                \
    X(F_COUNTRY, "country", FIELD_COUNTRY, country, NULL, 1, "country of residence (ISO 3166-1)")  \
    X(F_ADMIN1, "admin1", FIELD_TEXT, admin1, NULL, 0, "province or state")                        \
    X(F_ADMIN2, "admin2", FIELD_TEXT, admin2, NULL, 0, "district")                                 \
    X(F_MARITAL_STATUS, "marital_status", FIELD_ENUM, marital_status, person_marital_words, 0,     \
      "marital status")                                                                            \
    X(F_DISABILITY_CLASS, "disability_class", FIELD_ENUM, disability_class,                        \
      person_disability_words, 0, "disability class (none, or A to C by severity)")                \
    X(F_GROUPS, "groups", FIELD_LIST, groups, person_group_words, 0,                               \
      "groups that schemes single out")                                                            \
    X(F_WORKER_CATEGORY, "worker_category", FIELD_ENUM, worker_category, person_worker_words, 0,   \
      "the kind of work")                                                                          \
    X(F_EMPLOYER, "employer", FIELD_TEXT, employer, NULL, 0, "employer")                           \
    X(F_MONTHLY_WAGE, "monthly_wage", FIELD_MONEY, monthly_wage, NULL, 0, "monthly wage")          \
    X(F_DECLARED_INCOME, "declared_income", FIELD_MONEY, declared_income, NULL, 0,                 \
      "declared monthly income (self-employed)")                                                   \
    X(F_ANNUAL_INCOME, "annual_income", FIELD_MONEY, annual_income, NULL, 0, "annual income")      \
    X(F_EMPLOYMENT_START, "employment_start", FIELD_DATE, employment_start, NULL, 0,               \
      "first day of the current employment")                                                       \
    X(F_INCOME_TAX_PAYER, "income_tax_payer", FIELD_BOOL, income_tax_payer, NULL, 0,               \
      "whether the person pays income tax")                                                        \
    X(F_MEMBERSHIPS, "memberships", FIELD_LIST, memberships, person_membership_words, 0,           \
      "social insurance funds the person belongs to")                                              \
    X(F_HOUSEHOLD, "household", FIELD_TEXT, household, NULL, 0, "household id")                    \
    X(F_RELATIONSHIP, "relationship", FIELD_ENUM, relationship, person_relationship_words, 0,      \
      "relationship to the household's head")                                                      \
    X(F_LIVING_CHILDREN, "living_children", FIELD_INT, living_children, NULL, 0,                   \
      "living children (derived from the household when not given)")                               \
    X(F_ACCOUNT, "account", FIELD_TEXT, account, NULL, 0,                                          \
      "bank account (IBAN or local number) or mobile wallet")                                      \
    X(F_ACCOUNT_HOLDER, "account_holder", FIELD_TEXT, account_holder, NULL, 0,                     \
      "the worker ID of the account's holder, when it is another person's")

/* Field indices, in the order of PERSON_FIELDS (person_fields[], DESIGN.md). */
enum person_field_index {
#define PERSON_FIELD_INDEX(index, name, type, member, choices, required, description) index,
    PERSON_FIELDS(PERSON_FIELD_INDEX)
#undef PERSON_FIELD_INDEX
        PERSON_FIELD_COUNT
};

/*
 * A set of fields, bit i for field index i: what a batch reads of each person, when it needs
 * only some of the facts (store_person_each_by_household_reading).
 */
typedef uint64_t person_field_set;
#define PERSON_FIELD_BIT(i) ((person_field_set)1 << (i))
#define PERSON_FIELDS_EVERY (~(person_field_set)0)
_Static_assert(PERSON_FIELD_COUNT <= 64, "a person_field_set has a bit for each field");

/* One entry of the facts vocabulary. */
struct person_field {
    const char *name;           /* the public field name, e.g. "birth_date" */
    enum field_type type;       /* how it is written and checked */
    const char *const *choices; /* FIELD_ENUM: the allowed words, NULL-terminated, in enum
                                   order starting at value 1; FIELD_LIST: the words an item
                                   may be (a closed vocabulary); NULL for other types */
    int required;               /* 1 if a registry person must have it */
    size_t offset;              /* where it is in struct person */
    size_t size;                /* its size there, in bytes */
    const char *description;    /* what it is, for the documentation */
};

/* The words of the enum fields, NULL-terminated, in enum order starting at value 1. */
extern const char *const person_sex_words[];
extern const char *const person_marital_words[];
extern const char *const person_disability_words[];
extern const char *const person_worker_words[];
extern const char *const person_relationship_words[];
/* The words of the list fields groups and memberships, NULL-terminated. */
extern const char *const person_group_words[];
extern const char *const person_membership_words[];

/* How a field of this type is written, for help and documentation: "one word", "list", ... */
const char *person_field_type_name(enum field_type type);

/* The vocabulary in the order of DESIGN.md; person_field_count entries. */
extern const struct person_field person_fields[];
extern const int person_field_count;

/* The field named `name`, or NULL if the vocabulary has no such field. */
const struct person_field *person_field_find(const char *name);

/* Sets every field to unset. */
void person_init(struct person *p);

/*
 * Parses text into the named field of p, validating it. "" unsets the field. Lists take
 * ';'-separated items. Money takes "4000.00" (in the currency of the person's country, so set
 * country first) or "4000.00 NPR". A birth or employment date after `today` is refused.
 * Returns SP_OK, or SP_BAD_INPUT with a message naming the field and saying what is allowed,
 * e.g. `sex: "mail" is not allowed: use female, male or other`; a list item that is not one of
 * the field's words is refused with the nearest word, `groups: "dalits" is not allowed: did you
 * mean "dalit"? ...`. admin1 and admin2 are free text here: registration resolves them against
 * the gazetteer (registry/gazetteer.h). Unknown names are SP_BAD_INPUT ("unknown field
 * \"sexx\"").
 */
int person_set_field(struct person *p, const char *name, const char *text, int32_t today,
                     struct error *err);

/*
 * Like person_set_field, for a field already looked up with person_field_find (importers
 * resolve a CSV header once and then set each row's cells through this).
 */
int person_set_field_at(struct person *p, const struct person_field *field, const char *text,
                        int32_t today, struct error *err);

/*
 * Like person_set_field_at, reading a date written without a calendar ("1958-03-02") in
 * `calendar` (a --calendar option); a date that names its calendar ("2014-11-18 BS",
 * "1958-03-02 AD") is read in that one, whatever `calendar` says. person_set_field and
 * person_set_field_at read such dates as Gregorian (CALENDAR_AD).
 */
int person_set_field_in(struct person *p, const struct person_field *field, const char *text,
                        int32_t today, enum calendar calendar, struct error *err);

/* Bytes person_birth_date_maybe_bs may write, with its NUL. */
#define PERSON_BS_WARNING_SIZE 320

/*
 * The Bikram Sambat check of docs/calendars.md: a birth date of a person in Nepal (country NP)
 * written without a calendar, read as Gregorian (`assumed` is CALENDAR_AD), whose year is from
 * 2000 to today's year, may well be a BS date: BS runs 56 to 57 years ahead, and BS birth years
 * 2000 to today's AD year are today's seniors. p is the person as parsed and birth_text the
 * birth date as written. Returns 1 and writes a warning to out (size bytes) that gives both
 * readings and their ages on `today`; returns 0 (writing "") when the check does not apply.
 * Never refuses: the caller shows the warning and goes on.
 */
int person_birth_date_maybe_bs(const struct person *p, const char *birth_text,
                               enum calendar assumed, int32_t today, char *out, size_t size);

/*
 * Sets the extra country fact `name` (a scheme's `facts:` entry; situations only) to `value`,
 * replacing an earlier value of the same name. name is [a-z0-9_] and not a vocabulary field;
 * value is UTF-8 without control characters. Returns SP_OK, or SP_BAD_INPUT naming the fact
 * (bad name or value, too long, more than PERSON_EXTRA_MAX facts).
 */
int person_set_extra(struct person *p, const char *name, const char *value, struct error *err);

/* The value of the extra fact `name`, or NULL when p does not have it. Points into p. */
const char *person_get_extra(const struct person *p, const char *name);

/* 1 if code is an upper-case ISO 3166-1 alpha-2 code spfloor knows, else 0. */
int person_country_known(const char *code);

/* Appends one item to a list field (for JSON/YAML arrays); same errors as person_set_field. */
int person_add_list_item(struct person *p, const char *name, const char *item, struct error *err);

/*
 * Writes the named field as text (the inverse of person_set_field; "" when unset).
 * Returns SP_OK or SP_BAD_INPUT for an unknown name.
 */
int person_get_field(const struct person *p, const char *name, char *out, size_t size,
                     struct error *err);

/*
 * Checks what a registry record needs beyond single fields: the required fields are present,
 * and account_holder is not the person's own id. Returns SP_OK or SP_BAD_INPUT naming the
 * first missing field.
 */
int person_validate(const struct person *p, struct error *err);

/* 1 if p lists `item` in its groups (or memberships for person_has_membership). */
int person_has_group(const struct person *p, const char *item);
int person_has_membership(const struct person *p, const char *item);

/* 1 if a and b hold the same facts, ignoring their ids. */
int person_same_facts(const struct person *a, const struct person *b);

/* 1 if field f (of person_fields) holds the same value in a and b (money: the same amount and
 * currency, or both unset). */
int person_field_equal(const struct person_field *f, const struct person *a,
                       const struct person *b);

/* The name of the first field (in the vocabulary's order, then the extra facts) whose value
 * differs between a and b, ignoring their ids; NULL when they hold the same facts. The name is
 * static (the vocabulary) or points into a or b. */
const char *person_first_difference(const struct person *a, const struct person *b);

/*
 * The duplicate-detection key: normalised full name (case-folded ASCII, single spaces, no
 * punctuation), birth date and district, joined with '|'. Two records with the same key are
 * the same person. Writes "" when the name or birth date is unset.
 */
void person_dedup_key(const struct person *p, char *out, size_t size);

/*
 * Writes the normalised form of a name as person_dedup_key uses it: ASCII letters lower-cased,
 * ASCII punctuation dropped, blanks collapsed to single spaces and trimmed, other UTF-8 bytes
 * kept as they are. Truncates to size (always NUL-terminated when size > 0).
 */
void person_normalise_name(const char *text, char *out, size_t size);

/* Bytes person_describe may write, with its NUL. */
#define PERSON_DESCRIPTION_SIZE (PERSON_ID_SIZE + 2 * PERSON_NAME_SIZE + 8)

/* Describes p for messages as "000000000017 (Sita Sharma)"; truncates to size. */
void person_describe(const struct person *p, char *out, size_t size);

/*
 * Copies src into dst as `*dst = *src` would, except the extra facts past src->n_extra, which
 * nothing reads (dst's stay as they were). For copying many records quickly. Cannot fail.
 */
void person_copy(struct person *dst, const struct person *src);

/* The name of an enum value for a FIELD_ENUM field ("" for unset). */
const char *person_enum_name(const char *field, int value);

#endif
