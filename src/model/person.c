/*
 * person.c: the facts vocabulary, and parsing, validating and printing person fields.
 *
 * Every field goes through set_field_text, which trims the text, then parses it by the field's
 * type into the struct. Error messages follow one shape: `<field>: "<text>" <what is wrong>:
 * <what to do>`, and quote the user's text sanitised (control characters and invalid UTF-8 as
 * '?', cut at QUOTE_MAX bytes) so a message is always printable and valid UTF-8.
 */
#include "model/person.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bikram_sambat.h"
#include "base/text.h"

#define FIELD_TEXT_MAX   512 /* longest text a field accepts before trimming */
#define QUOTE_MAX        60  /* bytes of user text quoted in an error message */
#define LIST_ITEM_MAX    40  /* longest item of groups or memberships */
#define PHONE_DIGITS_MIN 3
#define PHONE_DIGITS_MAX 15 /* ITU E.164 */
#define CHILDREN_MAX     40
#define AGE_MAX_YEARS    130

const char *const person_sex_words[] = {"female", "male", "other", NULL};
const char *const person_marital_words[] = {"single",   "married",   "widowed",
                                            "divorced", "separated", NULL};
const char *const person_disability_words[] = {"none", "A", "B", "C", NULL};
const char *const person_worker_words[] = {
    "formal_employee", "informal", "self_employed", "domestic",   "home_based", "migrant",
    "herder",          "platform", "agricultural",  "sex_worker", NULL};
const char *const person_relationship_words[] = {"head",   "spouse", "child",
                                                 "parent", "other",  NULL};
/*
 * The groups the shipped schemes single out (DESIGN.md, "Facts vocabulary"), and the target
 * groups registries record beside them: indigenous peoples, and persons with a disability
 * (the Philippines' "PWD" card).
 */
const char *const person_group_words[] = {"dalit", "endangered_indigenous", "idpoor", "indigenous",
                                          "pwd",   "solo_parent",           NULL};
/* The social insurance funds of the scheme library's countries. */
const char *const person_membership_words[] = {"bpjs_tk", "eobi",  "epfo",       "esic",
                                               "nssf",    "pessi", "philhealth", "social_insurance",
                                               "ssf",     "sss",   NULL};

const char *person_field_type_name(enum field_type type)
{
    static const char *const names[] = {
        [FIELD_TEXT] = "text",   [FIELD_ENUM] = "one word",        [FIELD_DATE] = "date",
        [FIELD_MONEY] = "money", [FIELD_BOOL] = "true/false",      [FIELD_INT] = "integer",
        [FIELD_LIST] = "list",   [FIELD_COUNTRY] = "country code",
    };
    return (size_t)type < sizeof names / sizeof names[0] ? names[type] : "";
}

const struct person_field person_fields[] = {
#define FIELD_ENTRY(index, name, type, member, choices, required, description)                     \
    [index] = {name,                                                                               \
               type,                                                                               \
               choices,                                                                            \
               required,                                                                           \
               offsetof(struct person, member),                                                    \
               sizeof(((struct person *)0)->member),                                               \
               description},
    PERSON_FIELDS(FIELD_ENTRY)
#undef FIELD_ENTRY
};

const int person_field_count = PERSON_FIELD_COUNT;

/*
 * ISO 3166-1 alpha-2 codes currently assigned, sorted, two letters each. spfloor ships
 * schemes for NP IN BD KH ID PH PK MN; the others may appear as a migrant's destination or a
 * registered person's country.
 */
static const char country_codes[] = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZ"
                                    "BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
                                    "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ"
                                    "DEDJDKDMDODZ"
                                    "ECEEEGEHERESET"
                                    "FIFJFKFMFOFR"
                                    "GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY"
                                    "HKHMHNHRHTHU"
                                    "IDIEILIMINIOIQIRISIT"
                                    "JEJMJOJP"
                                    "KEKGKHKIKMKNKPKRKWKYKZ"
                                    "LALBLCLILKLRLSLTLULVLY"
                                    "MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ"
                                    "NANCNENFNGNINLNONPNRNUNZ"
                                    "OM"
                                    "PAPEPFPGPHPKPLPMPNPRPSPTPWPY"
                                    "QA"
                                    "RERORSRURW"
                                    "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ"
                                    "TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ"
                                    "UAUGUMUSUYUZ"
                                    "VAVCVEVGVIVNVU"
                                    "WFWS"
                                    "YEYT"
                                    "ZAZMZW";

int person_country_known(const char *code)
{
    if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || code[2] != '\0')
        return 0;
    size_t lo = 0, hi = (sizeof country_codes - 1) / 2;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(country_codes + 2 * mid, code, 2);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

const struct person_field *person_field_find(const char *name)
{
    for (int i = 0; i < PERSON_FIELD_COUNT; i++)
        if (person_fields[i].name[0] == name[0] && strcmp(person_fields[i].name, name) == 0)
            return &person_fields[i];
    return NULL;
}

void person_copy(struct person *dst, const struct person *src)
{
    int n = src->n_extra < 0                  ? 0
            : src->n_extra > PERSON_EXTRA_MAX ? PERSON_EXTRA_MAX
                                              : src->n_extra;
    memcpy(dst, src, offsetof(struct person, extra) + (size_t)n * sizeof src->extra[0]);
    dst->n_extra = src->n_extra;
}

void person_init(struct person *p)
{
    memset(p, 0, sizeof *p);
    p->birth_date = DATE_NONE;
    p->employment_start = DATE_NONE;
    p->living_children = -1;
}

/*
 * Writes text into out for quoting in a message: at most QUOTE_MAX bytes (then "..."), with
 * control characters and the bytes of invalid UTF-8 replaced by '?'.
 */
static void quote_text(char *out, size_t size, const char *text)
{
    size_t n = strlen(text);
    int valid = text_is_utf8(text, n);
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (o >= QUOTE_MAX && (c & 0xC0) != 0x80) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        out[o++] = (c < 0x20 || c == 0x7F || (c >= 0x80 && !valid)) ? '?' : (char)c;
    }
    out[o] = '\0';
}

/* Sets err to `<field>: "<text>" <problem>` (problem is a printf format for the rest). */
static int field_error(struct error *err, const char *field, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int field_error(struct error *err, const char *field, const char *text, const char *fmt, ...)
{
    char quoted[QUOTE_MAX + 8];
    quote_text(quoted, sizeof quoted, text);
    char rest[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    return error_set(err, SP_BAD_INPUT, "%s: \"%s\" %s", field, quoted, rest);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int equal_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

/* Writes `words` as "a, b or c" into out. */
static void join_words(const char *const *words, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; words[i] != NULL; i++) {
        const char *sep = i == 0 ? "" : words[i + 1] == NULL ? " or " : ", ";
        int w = snprintf(out + o, size - o, "%s%s", sep, words[i]);
        if (w < 0 || (size_t)w >= size - o)
            return;
        o += (size_t)w;
    }
}

/* Copies text into dst (size bytes) or reports that it is too long. */
static int store_text(char *dst, size_t size, const char *field, const char *text,
                      struct error *err)
{
    if (strlen(text) >= size)
        return field_error(err, field, text, "is too long: at most %zu bytes", size - 1);
    memcpy(dst, text, strlen(text) + 1);
    return SP_OK;
}

/* A name or place: UTF-8 text without control characters (C0, DEL or C1). */
static int set_name(char *dst, size_t size, const char *field, const char *text, struct error *err)
{
    size_t n = strlen(text);
    if (!text_is_utf8(text, n))
        return field_error(err, field, text,
                           "is not valid UTF-8: save the file as UTF-8 and try again");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        int c1 = c == 0xC2 && i + 1 < n && (unsigned char)text[i + 1] >= 0x80 &&
                 (unsigned char)text[i + 1] <= 0x9F;
        if (c < 0x20 || c == 0x7F || c1)
            return field_error(err, field, text,
                               "contains a control character: remove it (tabs and line breaks "
                               "are not allowed either)");
    }
    return store_text(dst, size, field, text, err);
}

/* An identifier: letters, digits and the punctuation in `extra`. */
static int set_code(char *dst, size_t size, const char *field, const char *text, const char *extra,
                    const char *what, struct error *err)
{
    for (const char *c = text; *c; c++)
        if (!is_alnum((unsigned char)*c) && strchr(extra, *c) == NULL)
            return field_error(err, field, text, "is not allowed: %s", what);
    return store_text(dst, size, field, text, err);
}

static int set_phone(struct person *p, const char *text, struct error *err)
{
    int digits = 0;
    for (const char *c = text; *c; c++) {
        if (*c >= '0' && *c <= '9')
            digits++;
        else if (!(*c == '+' && c == text) && *c != ' ' && *c != '-')
            return field_error(err, "phone", text,
                               "is not a phone number: use digits, with an optional leading + "
                               "and spaces or dashes, e.g. \"+977 98-1234 5678\"");
    }
    if (digits < PHONE_DIGITS_MIN || digits > PHONE_DIGITS_MAX)
        return field_error(err, "phone", text,
                           "is not a phone number: it needs %d to %d digits, it has %d",
                           PHONE_DIGITS_MIN, PHONE_DIGITS_MAX, digits);
    return store_text(p->phone, sizeof p->phone, "phone", text, err);
}

static int set_enum(uint8_t *dst, const struct person_field *f, const char *text, struct error *err)
{
    for (int i = 0; f->choices[i] != NULL; i++) {
        if (equal_ignoring_case(f->choices[i], text)) {
            *dst = (uint8_t)(i + 1);
            return SP_OK;
        }
    }
    char words[256];
    join_words(f->choices, words, sizeof words);
    return field_error(err, f->name, text, "is not allowed: use %s", words);
}

/* 1 if the first ten bytes of text are digits and dashes and the rest is nothing or a suffix. */
static int date_shape_ok(const char *text)
{
    size_t n = strlen(text);
    return n >= DATE_TEXT_SIZE - 1 && strspn(text, "0123456789-") == DATE_TEXT_SIZE - 1 &&
           (n == DATE_TEXT_SIZE - 1 || text[DATE_TEXT_SIZE - 1] == ' ');
}

/*
 * 1 if text is a date without a calendar, read as Gregorian, whose digits are also a Bikram
 * Sambat date; that date is put in *bs.
 */
static int unmarked_gregorian_is_bs(const char *text, enum calendar calendar, int32_t *bs)
{
    if (calendar != CALENDAR_AD || strlen(text) != DATE_TEXT_SIZE - 1)
        return 0;
    return bs_parse(text, bs, NULL) == SP_OK;
}

static int set_date(int32_t *dst, const char *field, const char *text, int32_t today,
                    enum calendar calendar, struct error *err)
{
    struct error date_err;
    error_init(&date_err);
    struct calendar_date d;
    if (!date_shape_ok(text))
        return field_error(err, field, text,
                           "is not a date: write it as YYYY-MM-DD (or \"YYYY-MM-DD BS\" for "
                           "Bikram Sambat)");
    if (calendar_parse_date(text, calendar, &d, &date_err) != SP_OK)
        return error_set(err, SP_BAD_INPUT, "%s: %s", field, date_err.message);
    int32_t bs;
    if (today != DATE_NONE && d.day > today) {
        if (unmarked_gregorian_is_bs(text, calendar, &bs) && bs <= today)
            return field_error(err, field, text,
                               "is in the future: check the year; a Bikram Sambat date is "
                               "written \"%s BS\"",
                               text);
        return field_error(err, field, text, "is in the future: check the year");
    }
    if (today != DATE_NONE && date_age_years(d.day, today) > AGE_MAX_YEARS)
        return field_error(err, field, text, "is more than %d years ago: check the year",
                           AGE_MAX_YEARS);
    *dst = d.day;
    return SP_OK;
}

static int set_money(struct person *p, struct money *dst, const char *field, const char *text,
                     struct error *err)
{
    const char *currency = p->country[0] ? currency_of_country(p->country) : NULL;
    if (strchr(text, ' ') == NULL && currency == NULL) {
        if (p->country[0] == '\0')
            return field_error(err, field, text,
                               "needs a currency: set country first, or write the code, as in "
                               "\"%s NPR\"",
                               text);
        return field_error(err, field, text,
                           "needs a currency code: spfloor has no currency for country %s, so "
                           "write it as in \"%s USD\"",
                           p->country, text);
    }
    struct error money_err;
    error_init(&money_err);
    struct money m;
    if (money_parse_tagged_unsigned(text, currency, &m, &money_err) != SP_OK)
        return error_set(err, SP_BAD_INPUT, "%s: %s", field, money_err.message);
    *dst = m;
    return SP_OK;
}

static int set_bool(uint8_t *dst, const char *field, const char *text, struct error *err)
{
    static const char *const yes[] = {"true", "yes", "1", NULL};
    static const char *const no[] = {"false", "no", "0", NULL};
    for (int i = 0; yes[i] != NULL; i++) {
        if (equal_ignoring_case(yes[i], text)) {
            *dst = TRISTATE_TRUE;
            return SP_OK;
        }
        if (equal_ignoring_case(no[i], text)) {
            *dst = TRISTATE_FALSE;
            return SP_OK;
        }
    }
    return field_error(err, field, text, "is not allowed: use true or false (or yes/no, 1/0)");
}

static int set_children(struct person *p, const char *text, struct error *err)
{
    long long v;
    if (!text_parse_int64(text, &v) || v < 0)
        return field_error(err, "living_children", text,
                           "is not a number of children: write a whole number such as 0 or 2");
    if (v > CHILDREN_MAX)
        return field_error(err, "living_children", text, "is too many: check the number");
    p->living_children = (int32_t)v;
    return SP_OK;
}

static int set_country(struct person *p, const char *text, struct error *err)
{
    char code[3] = {0};
    if (strlen(text) == 2) {
        code[0] = (char)(text[0] >= 'a' && text[0] <= 'z' ? text[0] - 'a' + 'A' : text[0]);
        code[1] = (char)(text[1] >= 'a' && text[1] <= 'z' ? text[1] - 'a' + 'A' : text[1]);
    }
    if (!person_country_known(code))
        return field_error(err, "country", text,
                           "is not a country spfloor knows: use an ISO 3166-1 alpha-2 code such "
                           "as NP, IN, BD, KH, ID, PH, PK or MN");
    memcpy(p->country, code, 3);
    return SP_OK;
}

/* 1 if list (';'-joined) holds item. */
static int list_has(const char *list, const char *item, size_t n)
{
    const char *c = list;
    while (*c) {
        const char *end = strchr(c, ';');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len == n && memcmp(c, item, n) == 0)
            return 1;
        if (end == NULL)
            break;
        c = end + 1;
    }
    return 0;
}

/*
 * Refuses word as an item of the list field (not one of its words), naming the nearest word
 * when one is a couple of edits away, and the words.
 */
static int unknown_item(const struct person_field *f, const char *word, struct error *err)
{
    const char *near = NULL;
    int near_edits = 3;
    for (int i = 0; f->choices[i] != NULL; i++) {
        int d = text_edit_distance(word, f->choices[i], near_edits);
        if (d < near_edits) {
            near_edits = d;
            near = f->choices[i];
        }
    }
    char words[256];
    join_words(f->choices, words, sizeof words);
    if (near != NULL)
        return field_error(err, f->name, word, "is not allowed: did you mean \"%s\"? The %s are %s",
                           near, f->name, words);
    return field_error(err, f->name, word, "is not allowed: the %s are %s", f->name, words);
}

/*
 * Appends the n bytes of item (trimmed of blanks here) to the list field f in dst,
 * lower-cased, unless it is empty or already there. The item must be one of f's words.
 */
static int list_append(char *dst, size_t size, const struct person_field *f, const char *item,
                       size_t n, const char *whole, struct error *err)
{
    const char *field = f->name;
    while (n > 0 && is_space((unsigned char)*item))
        item++, n--;
    while (n > 0 && is_space((unsigned char)item[n - 1]))
        n--;
    if (n == 0)
        return SP_OK;
    char word[LIST_ITEM_MAX + 1];
    if (n > LIST_ITEM_MAX)
        return field_error(err, field, whole, "has an item longer than %d characters",
                           LIST_ITEM_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = lower(item[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return field_error(err, field, whole,
                               "is not allowed: items are words of a-z, 0-9 and _, separated "
                               "by ';', as in \"dalit;solo_parent\"");
        word[i] = c;
    }
    word[n] = '\0';
    int known = f->choices == NULL;
    for (int i = 0; !known && f->choices[i] != NULL; i++)
        known = strcmp(f->choices[i], word) == 0;
    if (!known)
        return unknown_item(f, word, err);
    if (list_has(dst, word, n))
        return SP_OK;
    size_t len = strlen(dst);
    if (len + (len ? 1 : 0) + n >= size)
        return field_error(err, field, whole, "is too long: at most %zu characters in all",
                           size - 1);
    if (len)
        dst[len++] = ';';
    memcpy(dst + len, word, n + 1);
    return SP_OK;
}

static int set_list(char *dst, size_t size, const struct person_field *f, const char *text,
                    struct error *err)
{
    char list[PERSON_LIST_SIZE] = "";
    const char *c = text;
    for (;;) {
        const char *end = strchr(c, ';');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if (list_append(list, sizeof list, f, c, n, text, err) != SP_OK)
            return SP_BAD_INPUT;
        if (end == NULL)
            break;
        c = end + 1;
    }
    memcpy(dst, list, size < sizeof list ? size : sizeof list);
    dst[size - 1] = '\0';
    return SP_OK;
}

/* Sets the field at index i to unset. */
static void unset_field(struct person *p, int i)
{
    switch (i) {
    case F_ID:
        p->id[0] = '\0';
        break;
    case F_NATIONAL_ID:
        p->national_id[0] = '\0';
        break;
    case F_GIVEN_NAME:
        p->given_name[0] = '\0';
        break;
    case F_FAMILY_NAME:
        p->family_name[0] = '\0';
        break;
    case F_SEX:
        p->sex = SEX_UNSET;
        break;
    case F_BIRTH_DATE:
        p->birth_date = DATE_NONE;
        break;
    case F_PHONE:
        p->phone[0] = '\0';
        break;
    case F_COUNTRY:
        p->country[0] = '\0';
        break;
    case F_ADMIN1:
        p->admin1[0] = '\0';
        break;
    case F_ADMIN2:
        p->admin2[0] = '\0';
        break;
    case F_MARITAL_STATUS:
        p->marital_status = MARITAL_UNSET;
        break;
    case F_DISABILITY_CLASS:
        p->disability_class = DISABILITY_UNSET;
        break;
    case F_GROUPS:
        p->groups[0] = '\0';
        break;
    case F_WORKER_CATEGORY:
        p->worker_category = WORKER_UNSET;
        break;
    case F_EMPLOYER:
        p->employer[0] = '\0';
        break;
    case F_MONTHLY_WAGE:
        memset(&p->monthly_wage, 0, sizeof p->monthly_wage);
        break;
    case F_DECLARED_INCOME:
        memset(&p->declared_income, 0, sizeof p->declared_income);
        break;
    case F_ANNUAL_INCOME:
        memset(&p->annual_income, 0, sizeof p->annual_income);
        break;
    case F_EMPLOYMENT_START:
        p->employment_start = DATE_NONE;
        break;
    case F_INCOME_TAX_PAYER:
        p->income_tax_payer = TRISTATE_UNSET;
        break;
    case F_MEMBERSHIPS:
        p->memberships[0] = '\0';
        break;
    case F_HOUSEHOLD:
        p->household[0] = '\0';
        break;
    case F_RELATIONSHIP:
        p->relationship = RELATIONSHIP_UNSET;
        break;
    case F_LIVING_CHILDREN:
        p->living_children = -1;
        break;
    case F_ACCOUNT:
        p->account[0] = '\0';
        break;
    case F_ACCOUNT_HOLDER:
        p->account_holder[0] = '\0';
        break;
    default:
        break;
    }
}

#define ID_CHARS   "-_.:"
#define ID_ADVICE  "use letters, digits, '-', '_', '.' or ':'"
#define ACCT_CHARS " -+._@:/"

/* Parses the trimmed, non-empty text into the field at index i. */
static int parse_field(struct person *p, int i, const char *text, int32_t today,
                       enum calendar calendar, struct error *err)
{
    const struct person_field *f = &person_fields[i];
    switch (i) {
    case F_ID:
        return set_code(p->id, sizeof p->id, f->name, text, ID_CHARS, ID_ADVICE, err);
    case F_NATIONAL_ID:
        return set_code(p->national_id, sizeof p->national_id, f->name, text, "-",
                        "a national ID has only letters, digits and dashes", err);
    case F_GIVEN_NAME:
        return set_name(p->given_name, sizeof p->given_name, f->name, text, err);
    case F_FAMILY_NAME:
        return set_name(p->family_name, sizeof p->family_name, f->name, text, err);
    case F_SEX:
        return set_enum(&p->sex, f, text, err);
    case F_BIRTH_DATE:
        return set_date(&p->birth_date, f->name, text, today, calendar, err);
    case F_PHONE:
        return set_phone(p, text, err);
    case F_COUNTRY:
        return set_country(p, text, err);
    case F_ADMIN1:
        return set_name(p->admin1, sizeof p->admin1, f->name, text, err);
    case F_ADMIN2:
        return set_name(p->admin2, sizeof p->admin2, f->name, text, err);
    case F_MARITAL_STATUS:
        return set_enum(&p->marital_status, f, text, err);
    case F_DISABILITY_CLASS:
        return set_enum(&p->disability_class, f, text, err);
    case F_GROUPS:
        return set_list(p->groups, sizeof p->groups, f, text, err);
    case F_WORKER_CATEGORY:
        return set_enum(&p->worker_category, f, text, err);
    case F_EMPLOYER:
        return set_name(p->employer, sizeof p->employer, f->name, text, err);
    case F_MONTHLY_WAGE:
        return set_money(p, &p->monthly_wage, f->name, text, err);
    case F_DECLARED_INCOME:
        return set_money(p, &p->declared_income, f->name, text, err);
    case F_ANNUAL_INCOME:
        return set_money(p, &p->annual_income, f->name, text, err);
    case F_EMPLOYMENT_START:
        return set_date(&p->employment_start, f->name, text, today, calendar, err);
    case F_INCOME_TAX_PAYER:
        return set_bool(&p->income_tax_payer, f->name, text, err);
    case F_MEMBERSHIPS:
        return set_list(p->memberships, sizeof p->memberships, f, text, err);
    case F_HOUSEHOLD:
        return set_code(p->household, sizeof p->household, f->name, text, ID_CHARS, ID_ADVICE, err);
    case F_RELATIONSHIP:
        return set_enum(&p->relationship, f, text, err);
    case F_LIVING_CHILDREN:
        return set_children(p, text, err);
    case F_ACCOUNT:
        return set_code(p->account, sizeof p->account, f->name, text, ACCT_CHARS,
                        "use letters, digits, spaces and - + . _ @ : /", err);
    case F_ACCOUNT_HOLDER:
        return set_code(p->account_holder, sizeof p->account_holder, f->name, text, ID_CHARS,
                        ID_ADVICE, err);
    default:
        return error_set(err, SP_BAD_INPUT, "unknown field");
    }
}

static int is_name_field(int i)
{
    return i == F_GIVEN_NAME || i == F_FAMILY_NAME;
}

int person_set_field_at(struct person *p, const struct person_field *field, const char *text,
                        int32_t today, struct error *err)
{
    return person_set_field_in(p, field, text, today, CALENDAR_AD, err);
}

int person_set_field_in(struct person *p, const struct person_field *field, const char *text,
                        int32_t today, enum calendar calendar, struct error *err)
{
    int i = (int)(field - person_fields);
    size_t n = strlen(text);
    if (n > FIELD_TEXT_MAX)
        return field_error(err, field->name, text, "is too long: at most %d bytes", FIELD_TEXT_MAX);
    size_t start = 0;
    while (start < n && is_space((unsigned char)text[start]))
        start++;
    while (n > start && is_space((unsigned char)text[n - 1]))
        n--;
    if (start == n) {
        if (text[0] != '\0' && is_name_field(i))
            return error_set(err, SP_BAD_INPUT,
                             "%s: is blank: write the name, or leave the field out", field->name);
        unset_field(p, i);
        return SP_OK;
    }
    char trimmed[FIELD_TEXT_MAX + 1];
    memcpy(trimmed, text + start, n - start);
    trimmed[n - start] = '\0';
    return parse_field(p, i, trimmed, today, calendar, err);
}

/* Levenshtein distance of a and b, capped: returns 3 for anything >= 3. */
/* Reports an unknown field name, suggesting the nearest vocabulary field. */
static int unknown_field(const char *name, struct error *err)
{
    char quoted[QUOTE_MAX + 8];
    quote_text(quoted, sizeof quoted, name);
    const char *best = NULL;
    int best_distance = 3;
    for (int i = 0; i < PERSON_FIELD_COUNT; i++) {
        int d = text_edit_distance(name, person_fields[i].name, 3);
        if (d < best_distance) {
            best_distance = d;
            best = person_fields[i].name;
        }
    }
    if (best != NULL)
        return error_set(err, SP_BAD_INPUT, "unknown field \"%s\": did you mean \"%s\"?", quoted,
                         best);
    return error_set(err, SP_BAD_INPUT,
                     "unknown field \"%s\": the fields are the facts vocabulary (id, "
                     "national_id, given_name, family_name, sex, birth_date, country ...)",
                     quoted);
}

int person_set_field(struct person *p, const char *name, const char *text, int32_t today,
                     struct error *err)
{
    const struct person_field *f = person_field_find(name);
    if (f == NULL)
        return unknown_field(name, err);
    return person_set_field_at(p, f, text, today, err);
}

int person_add_list_item(struct person *p, const char *name, const char *item, struct error *err)
{
    const struct person_field *f = person_field_find(name);
    if (f == NULL)
        return unknown_field(name, err);
    if (f->type != FIELD_LIST)
        return error_set(err, SP_BAD_INPUT, "%s: is not a list", name);
    char *dst = (f - person_fields) == F_GROUPS ? p->groups : p->memberships;
    if (strchr(item, ';') != NULL || item[strspn(item, " \t")] == '\0')
        return field_error(err, name, item,
                           "is not allowed: a list item is one word of a-z, 0-9 and _");
    return list_append(dst, PERSON_LIST_SIZE, f, item, strlen(item), item, err);
}

/* Writes a money field as set_money reads it: without the code in the country's currency. */
static void format_money(const struct person *p, struct money m, char *out, size_t size)
{
    if (m.currency[0] == '\0') {
        out[0] = '\0';
        return;
    }
    char amount[MONEY_TEXT_MAX];
    money_format(m, amount, sizeof amount);
    const char *home = p->country[0] ? currency_of_country(p->country) : NULL;
    if (home != NULL && strcmp(home, m.currency) == 0)
        snprintf(out, size, "%s", amount);
    else
        snprintf(out, size, "%s %s", amount, m.currency);
}

static void format_date(int32_t day, char *out, size_t size)
{
    char text[DATE_TEXT_SIZE] = "";
    if (day != DATE_NONE)
        date_format(day, text);
    snprintf(out, size, "%s", text);
}

static void format_text(const char *text, char *out, size_t size)
{
    snprintf(out, size, "%s", text);
}

static void format_field(const struct person *p, int i, char *out, size_t size)
{
    const struct person_field *f = &person_fields[i];
    switch (i) {
    case F_ID:
        return format_text(p->id, out, size);
    case F_NATIONAL_ID:
        return format_text(p->national_id, out, size);
    case F_GIVEN_NAME:
        return format_text(p->given_name, out, size);
    case F_FAMILY_NAME:
        return format_text(p->family_name, out, size);
    case F_SEX:
        return format_text(person_enum_name(f->name, p->sex), out, size);
    case F_BIRTH_DATE:
        return format_date(p->birth_date, out, size);
    case F_PHONE:
        return format_text(p->phone, out, size);
    case F_COUNTRY:
        return format_text(p->country, out, size);
    case F_ADMIN1:
        return format_text(p->admin1, out, size);
    case F_ADMIN2:
        return format_text(p->admin2, out, size);
    case F_MARITAL_STATUS:
        return format_text(person_enum_name(f->name, p->marital_status), out, size);
    case F_DISABILITY_CLASS:
        return format_text(person_enum_name(f->name, p->disability_class), out, size);
    case F_GROUPS:
        return format_text(p->groups, out, size);
    case F_WORKER_CATEGORY:
        return format_text(person_enum_name(f->name, p->worker_category), out, size);
    case F_EMPLOYER:
        return format_text(p->employer, out, size);
    case F_MONTHLY_WAGE:
        return format_money(p, p->monthly_wage, out, size);
    case F_DECLARED_INCOME:
        return format_money(p, p->declared_income, out, size);
    case F_ANNUAL_INCOME:
        return format_money(p, p->annual_income, out, size);
    case F_EMPLOYMENT_START:
        return format_date(p->employment_start, out, size);
    case F_INCOME_TAX_PAYER:
        return format_text(p->income_tax_payer == TRISTATE_TRUE    ? "true"
                           : p->income_tax_payer == TRISTATE_FALSE ? "false"
                                                                   : "",
                           out, size);
    case F_MEMBERSHIPS:
        return format_text(p->memberships, out, size);
    case F_HOUSEHOLD:
        return format_text(p->household, out, size);
    case F_RELATIONSHIP:
        return format_text(person_enum_name(f->name, p->relationship), out, size);
    case F_LIVING_CHILDREN:
        if (p->living_children < 0)
            return format_text("", out, size);
        snprintf(out, size, "%d", (int)p->living_children);
        return;
    case F_ACCOUNT:
        return format_text(p->account, out, size);
    case F_ACCOUNT_HOLDER:
        return format_text(p->account_holder, out, size);
    default:
        return format_text("", out, size);
    }
}

int person_get_field(const struct person *p, const char *name, char *out, size_t size,
                     struct error *err)
{
    const struct person_field *f = person_field_find(name);
    if (f == NULL) {
        if (size > 0)
            out[0] = '\0';
        return unknown_field(name, err);
    }
    if (size > 0)
        format_field(p, (int)(f - person_fields), out, size);
    return SP_OK;
}

/* 1 if the required field at index i holds a value. */
static int required_is_set(const struct person *p, int i)
{
    switch (i) {
    case F_GIVEN_NAME:
        return p->given_name[0] != '\0';
    case F_FAMILY_NAME:
        return p->family_name[0] != '\0';
    case F_SEX:
        return p->sex != SEX_UNSET;
    case F_BIRTH_DATE:
        return p->birth_date != DATE_NONE;
    case F_COUNTRY:
        return p->country[0] != '\0';
    default: {
        char text[FIELD_TEXT_MAX];
        format_field(p, i, text, sizeof text);
        return text[0] != '\0';
    }
    }
}

int person_validate(const struct person *p, struct error *err)
{
    for (int i = 0; i < PERSON_FIELD_COUNT; i++) {
        if (person_fields[i].required && !required_is_set(p, i))
            return error_set(err, SP_BAD_INPUT,
                             "%s is missing: a registered person needs given_name, "
                             "family_name, sex, birth_date and country",
                             person_fields[i].name);
    }
    if (p->account_holder[0] != '\0' && strcmp(p->account_holder, p->id) == 0)
        return error_set(err, SP_BAD_INPUT,
                         "account_holder: \"%s\" is the person's own ID: leave account_holder "
                         "empty when the account is their own",
                         p->account_holder);
    return SP_OK;
}

int person_has_group(const struct person *p, const char *item)
{
    return item[0] != '\0' && list_has(p->groups, item, strlen(item));
}

int person_has_membership(const struct person *p, const char *item)
{
    return item[0] != '\0' && list_has(p->memberships, item, strlen(item));
}

static int money_equal(struct money a, struct money b)
{
    if (a.currency[0] == '\0' || b.currency[0] == '\0')
        return a.currency[0] == b.currency[0];
    return a.minor == b.minor && strcmp(a.currency, b.currency) == 0;
}

/* The name of an extra fact of a that b lacks or holds with another value, or NULL. */
static const char *extra_difference(const struct person *a, const struct person *b)
{
    for (int i = 0; i < a->n_extra; i++) {
        const char *v = person_get_extra(b, a->extra[i].name);
        if (v == NULL || strcmp(v, a->extra[i].value) != 0)
            return a->extra[i].name;
    }
    return NULL;
}

int person_field_equal(const struct person_field *f, const struct person *a, const struct person *b)
{
    const char *x = (const char *)a + f->offset;
    const char *y = (const char *)b + f->offset;
    switch (f->type) {
    case FIELD_TEXT:
    case FIELD_LIST:
    case FIELD_COUNTRY:
        return strcmp(x, y) == 0;
    case FIELD_MONEY: {
        struct money m, n;
        memcpy(&m, x, sizeof m);
        memcpy(&n, y, sizeof n);
        return money_equal(m, n);
    }
    case FIELD_ENUM:
    case FIELD_DATE:
    case FIELD_BOOL:
    case FIELD_INT:
        return memcmp(x, y, f->size) == 0;
    }
    return 0;
}

const char *person_first_difference(const struct person *a, const struct person *b)
{
    for (int i = 0; i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        if (strcmp(f->name, "id") != 0 && !person_field_equal(f, a, b))
            return f->name;
    }
    const char *extra = extra_difference(a, b);
    return extra != NULL ? extra : extra_difference(b, a);
}

int person_same_facts(const struct person *a, const struct person *b)
{
    return person_first_difference(a, b) == NULL;
}

/*
 * Appends the normalised form of text to out (at o, within size): ASCII letters lower-cased,
 * ASCII punctuation and control characters dropped, runs of blanks as one space, other bytes
 * (non-ASCII UTF-8) kept. Returns the new length.
 */
static size_t normalise(char *out, size_t o, size_t size, const char *text)
{
    int pending_space = 0;
    size_t start = o;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (is_space(*c)) {
            pending_space = 1;
            continue;
        }
        if (*c < 0x80 && !is_alnum(*c))
            continue;
        if (pending_space && o > start && o + 1 < size)
            out[o++] = ' ';
        pending_space = 0;
        if (o + 1 < size)
            out[o++] = lower((char)*c);
    }
    out[o] = '\0';
    return o;
}

void person_normalise_name(const char *text, char *out, size_t size)
{
    if (size == 0)
        return;
    size_t n = normalise(out, 0, size, text);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
}

void person_dedup_key(const struct person *p, char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    if (p->birth_date == DATE_NONE || size < 2)
        return;
    char name[2 * PERSON_NAME_SIZE + 2];
    size_t n = normalise(name, 0, sizeof name, p->given_name);
    if (n > 0 && n + 2 < sizeof name)
        name[n++] = ' ';
    n = normalise(name, n, sizeof name, p->family_name);
    while (n > 0 && name[n - 1] == ' ')
        name[--n] = '\0';
    if (n == 0)
        return;
    char district[PERSON_PLACE_SIZE];
    normalise(district, 0, sizeof district, p->admin2);
    char date[DATE_TEXT_SIZE];
    date_format(p->birth_date, date);
    snprintf(out, size, "%s|%s|%s", name, date, district);
}

const char *person_enum_name(const char *field, int value)
{
    const struct person_field *f = person_field_find(field);
    if (f == NULL || f->type != FIELD_ENUM || value <= 0)
        return "";
    for (int i = 0; f->choices[i] != NULL; i++)
        if (i + 1 == value)
            return f->choices[i];
    return "";
}

int person_set_extra(struct person *p, const char *name, const char *value, struct error *err)
{
    size_t n = strlen(name);
    if (n == 0 || n >= PERSON_EXTRA_NAME_SIZE ||
        strspn(name, "abcdefghijklmnopqrstuvwxyz"
                     "0123456789_") != n)
        return field_error(err, "facts", name,
                           "is not a fact name: use a-z, 0-9 and _, at most %d characters",
                           PERSON_EXTRA_NAME_SIZE - 1);
    if (person_field_find(name) != NULL)
        return field_error(err, name, name,
                           "is a field of the facts vocabulary, not an extra fact");
    size_t vn = strlen(value);
    if (!text_is_utf8(value, vn))
        return field_error(err, name, value, "is not valid UTF-8");
    for (size_t i = 0; i < vn; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7F)
            return field_error(err, name, value, "contains a control character: remove it");
    if (vn >= PERSON_EXTRA_VALUE_SIZE)
        return field_error(err, name, value, "is too long: at most %d bytes",
                           PERSON_EXTRA_VALUE_SIZE - 1);
    struct person_extra *slot = NULL;
    for (int i = 0; i < p->n_extra; i++)
        if (strcmp(p->extra[i].name, name) == 0)
            slot = &p->extra[i];
    if (slot == NULL) {
        if (p->n_extra >= PERSON_EXTRA_MAX)
            return error_set(err, SP_BAD_INPUT,
                             "%s: too many extra facts: a person holds at most %d", name,
                             PERSON_EXTRA_MAX);
        slot = &p->extra[p->n_extra++];
        memcpy(slot->name, name, n + 1);
    }
    memcpy(slot->value, value, vn + 1);
    return SP_OK;
}

const char *person_get_extra(const struct person *p, const char *name)
{
    for (int i = 0; i < p->n_extra; i++)
        if (strcmp(p->extra[i].name, name) == 0)
            return p->extra[i].value;
    return NULL;
}

void person_describe(const struct person *p, char *out, size_t size)
{
    snprintf(out, size, "%.*s (%.*s %.*s)", PERSON_ID_SIZE - 1, p->id, PERSON_NAME_SIZE - 1,
             p->given_name, PERSON_NAME_SIZE - 1, p->family_name);
}

#define BS_SUSPECT_YEAR_FIRST 2000 /* the first BS year a Gregorian reading can pass for */

int person_birth_date_maybe_bs(const struct person *p, const char *birth_text,
                               enum calendar assumed, int32_t today, char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    if (strcmp(p->country, "NP") != 0 || p->birth_date == DATE_NONE || birth_text == NULL)
        return 0;
    while (is_space((unsigned char)*birth_text))
        birth_text++;
    char text[DATE_TEXT_SIZE];
    size_t n = strlen(birth_text);
    while (n > 0 && is_space((unsigned char)birth_text[n - 1]))
        n--;
    if (n != DATE_TEXT_SIZE - 1)
        return 0; /* it names its calendar, or it is not what set the birth date */
    memcpy(text, birth_text, n);
    text[n] = '\0';
    int32_t bs;
    int year = date_to_civil(p->birth_date).year;
    if (assumed != CALENDAR_AD || year < BS_SUSPECT_YEAR_FIRST ||
        year > date_to_civil(today).year || !unmarked_gregorian_is_bs(text, assumed, &bs))
        return 0;
    char today_text[DATE_TEXT_SIZE], bs_ad[DATE_TEXT_SIZE];
    date_format(today, today_text);
    date_format(bs, bs_ad);
    (void)snprintf(out, size,
                   "birth_date \"%s\" of a person in Nepal was read as Gregorian (age %d on "
                   "%s); if it is a Bikram Sambat date, write \"%s BS\" (%s, age %d)",
                   text, date_age_years(p->birth_date, today), today_text, text, bs_ad,
                   date_age_years(bs, today));
    return 1;
}
