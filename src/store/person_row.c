/*
 * person_row.c: a person as a row of the persons table (person_row.h), walking the vocabulary's
 * table (person_fields) so that every field is mapped the same way by every driver.
 */
#include "store/person_row.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"

/* The field's member in p, as bytes. */
static const char *member(const struct person *p, const struct person_field *f)
{
    return (const char *)p + f->offset;
}

static char *member_w(struct person *p, const struct person_field *f)
{
    return (char *)p + f->offset;
}

/* The word of enum value `value` of f, or NULL for unset (or out of range). */
static const char *enum_word(const struct person_field *f, uint8_t value)
{
    for (int i = 0; value > 0 && f->choices[i] != NULL; i++)
        if (i == value - 1)
            return f->choices[i];
    return NULL;
}

void person_row_encode(const struct person *p, const char *dedup_key, struct person_row *row)
{
    int c = 0;
    for (int i = 0; i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        const char *m = member(p, f);
        const char **value = &row->value[c];
        char *text = row->text[c];
        *value = NULL;
        switch (f->type) {
        case FIELD_TEXT:
        case FIELD_COUNTRY:
        case FIELD_LIST:
            *value = m[0] != '\0' ? m : NULL;
            break;
        case FIELD_ENUM:
            *value = enum_word(f, *(const uint8_t *)m);
            break;
        case FIELD_DATE: {
            int32_t day;
            memcpy(&day, m, sizeof day);
            if (day != DATE_NONE) {
                date_format(day, text);
                *value = text;
            }
            break;
        }
        case FIELD_BOOL: {
            uint8_t tri = *(const uint8_t *)m;
            *value = tri == TRISTATE_UNSET ? NULL : tri == TRISTATE_TRUE ? "1" : "0";
            break;
        }
        case FIELD_INT: {
            int32_t n;
            memcpy(&n, m, sizeof n);
            if (n >= 0) {
                snprintf(text, PERSON_ROW_NUMBER_SIZE, "%d", (int)n);
                *value = text;
            }
            break;
        }
        case FIELD_MONEY: {
            const struct money *money = (const struct money *)(const void *)m;
            row->value[c + 1] = NULL;
            if (money->currency[0] != '\0') {
                snprintf(text, PERSON_ROW_NUMBER_SIZE, "%lld", (long long)money->minor);
                *value = text;
                row->value[c + 1] = money->currency;
            }
            c++; /* the currency's column */
            break;
        }
        }
        c++;
    }
    snprintf(row->text[c], PERSON_ROW_NUMBER_SIZE, "%lld",
             (long long)person_row_dedup_hash(dedup_key));
    row->value[c] = row->text[c];
}

/* The day in text, or DATE_NONE when it is not a date. */
static int32_t decode_date(const char *text)
{
    int32_t day;
    return date_parse(text, &day, NULL) == SP_OK ? day : DATE_NONE;
}

/* Column c as an integer into *out: 1 if it holds one. */
static int row_number(const struct person_row_in *in, int c, long long *out)
{
    if (in->has_number[c]) {
        *out = in->number[c];
        return 1;
    }
    return in->text[c] != NULL && text_parse_int64(in->text[c], out);
}

void person_row_decode(struct person *p, const struct person_row_in *in)
{
    person_init(p);
    int c = 0;
    for (int i = 0; i < person_field_count; i++, c++) {
        const struct person_field *f = &person_fields[i];
        char *m = member_w(p, f);
        const char *v = in->text[c];
        long long n;
        switch (f->type) {
        case FIELD_TEXT:
        case FIELD_COUNTRY:
        case FIELD_LIST:
            if (v != NULL)
                text_copy(m, f->size, v);
            break;
        case FIELD_ENUM:
            for (int k = 0; v != NULL && f->choices[k] != NULL; k++) {
                /* the first letter first: most words differ there (the choices are distinct) */
                if (f->choices[k][0] == v[0] && strcmp(f->choices[k], v) == 0) {
                    *(uint8_t *)m = (uint8_t)(k + 1);
                    break;
                }
            }
            break;
        case FIELD_DATE:
            if (v != NULL) {
                int32_t day = decode_date(v);
                memcpy(m, &day, sizeof day);
            }
            break;
        case FIELD_BOOL:
            if (row_number(in, c, &n))
                *(uint8_t *)m = n ? TRISTATE_TRUE : TRISTATE_FALSE;
            else if (v != NULL) /* PostgreSQL writes a boolean as t or f */
                *(uint8_t *)m =
                    strcmp(v, "t") == 0 || strcmp(v, "true") == 0 ? TRISTATE_TRUE : TRISTATE_FALSE;
            break;
        case FIELD_INT:
            if (row_number(in, c, &n) && n >= 0 && n <= INT32_MAX) {
                int32_t value = (int32_t)n;
                memcpy(m, &value, sizeof value);
            }
            break;
        case FIELD_MONEY: {
            struct money *money = (struct money *)(void *)m;
            if (row_number(in, c, &n) && in->text[c + 1] != NULL) {
                money->minor = n;
                text_copy(money->currency, sizeof money->currency, in->text[c + 1]);
            }
            c++; /* the currency's column */
            break;
        }
        }
    }
}

int64_t person_row_dedup_hash(const char *key)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
        h ^= *c;
        h *= 1099511628211ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return (int64_t)h;
}

void person_row_like_pattern(const char *text, char *out, size_t size)
{
    size_t o = 0;
    out[o++] = '%';
    for (const char *c = text; *c && o + 3 < size; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            out[o++] = '\\';
        out[o++] = *c;
    }
    out[o++] = '%';
    out[o] = '\0';
}

int person_row_check(struct error *err)
{
    const char *names = PERSON_ROW_COLUMNS;
    int c = 0;
    for (int i = 0; i <= person_field_count; i++) {
        const char *field = i < person_field_count ? person_fields[i].name : "dedup_hash";
        int money = i < person_field_count && person_fields[i].type == FIELD_MONEY;
        for (int part = 0; part <= money; part++, c++) {
            char want[PERSON_NAME_SIZE];
            snprintf(want, sizeof want, "%s%s", field,
                     money ? (part == 0 ? "_minor" : "_currency") : "");
            size_t n = strlen(want);
            if (strncmp(names, want, n) != 0 || (names[n] != ',' && names[n] != '\0'))
                return error_set(err, SP_BAD_INPUT,
                                 "column %d of the persons table should be %s, but "
                                 "PERSON_ROW_COLUMNS has \"%.40s\"",
                                 c + 1, want, names);
            if (strcmp(want, "household") == 0 && c != PERSON_ROW_HOUSEHOLD)
                return error_set(err, SP_BAD_INPUT, "PERSON_ROW_HOUSEHOLD is %d, not %d",
                                 PERSON_ROW_HOUSEHOLD, c);
            names += n;
            while (*names == ',' || *names == ' ')
                names++;
        }
    }
    if (c != PERSON_ROW_COUNT || *names != '\0')
        return error_set(err, SP_BAD_INPUT, "PERSON_ROW_COUNT is %d, the vocabulary makes %d",
                         PERSON_ROW_COUNT, c);
    return SP_OK;
}

void person_row_reads(person_field_set fields, uint8_t read[PERSON_ROW_COUNT])
{
    fields |= PERSON_FIELD_BIT(F_ID) | PERSON_FIELD_BIT(F_COUNTRY) | PERSON_FIELD_BIT(F_HOUSEHOLD);
    int c = 0;
    for (int i = 0; i < person_field_count; i++) {
        int money = person_fields[i].type == FIELD_MONEY;
        for (int part = 0; part <= money; part++)
            read[c++] = (fields & PERSON_FIELD_BIT(i)) != 0;
    }
    read[c] = 0; /* dedup_hash */
}

void person_row_select(person_field_set fields, char *out)
{
    uint8_t read[PERSON_ROW_COUNT];
    person_row_reads(fields, read);
    const char *names = PERSON_ROW_COLUMNS; /* in the vocabulary's order (person_row_check) */
    size_t used = 0;
    for (int c = 0; c < PERSON_ROW_COUNT; c++) {
        size_t n = strcspn(names, ",");
        if (used > 0) {
            memcpy(out + used, ", ", 2);
            used += 2;
        }
        memcpy(out + used, read[c] ? names : "NULL", read[c] ? n : 4);
        used += read[c] ? n : 4;
        names += n;
        while (*names == ',' || *names == ' ')
            names++;
    }
    out[used] = '\0';
}
