/*
 * person_json.c: person <-> JSON object. Values are turned into the text person_set_field
 * reads, so JSON input is validated exactly like CSV and flags are.
 */
#include "registry/person_json.h"

#include <stdio.h>
#include <string.h>

#define POINTER_MAX 512
#define VALUE_MAX   160 /* text made from a JSON number or boolean */

void person_json_pointer_token(const char *key, char *out, size_t size)
{
    size_t o = 0;
    if (size == 0)
        return;
    for (const char *c = key; *c && o + 1 < size; c++) {
        if (*c == '~' || *c == '/') {
            if (o + 2 >= size)
                break;
            out[o++] = '~';
            out[o++] = *c == '~' ? '0' : '1';
        } else {
            out[o++] = *c;
        }
    }
    out[o] = '\0';
}

/* Adds one field's text to obj with the JSON type the header promises; 0 on OOM. */
static int put_field(json_t *obj, const struct person_field *f, const char *text)
{
    json_t *value = NULL;
    if (f->type == FIELD_INT) {
        long long n = 0;
        for (const char *c = text; *c; c++)
            n = n * 10 + (*c - '0');
        value = json_integer(n);
    } else if (f->type == FIELD_BOOL) {
        value = json_boolean(strcmp(text, "true") == 0);
    } else if (f->type == FIELD_LIST) {
        value = json_array();
        const char *c = text;
        while (value != NULL && *c) {
            const char *end = strchr(c, ';');
            size_t n = end ? (size_t)(end - c) : strlen(c);
            if (json_array_append_new(value, json_stringn(c, n)) != 0) {
                json_decref(value);
                return 0;
            }
            c = end ? end + 1 : c + n;
        }
    } else {
        value = json_string(text);
    }
    return value != NULL && json_object_set_new(obj, f->name, value) == 0;
}

json_t *person_to_json(const struct person *p)
{
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    for (int i = 0; i < person_field_count; i++) {
        char text[256];
        person_get_field(p, person_fields[i].name, text, sizeof text, NULL);
        if (text[0] != '\0' && !put_field(obj, &person_fields[i], text)) {
            json_decref(obj);
            return NULL;
        }
    }
    for (int i = 0; i < p->n_extra; i++) {
        if (json_object_set_new(obj, p->extra[i].name, json_string(p->extra[i].value)) != 0) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

/*
 * Records msg (a person.c message "field: rest") as "<pointer>: rest": the pointer says
 * where, so the leading field name would only repeat it.
 */
static int pointer_error(struct error *err, const char *pointer, const char *field, const char *msg)
{
    size_t n = strlen(field);
    if (strncmp(msg, field, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        msg += n + 2;
    return error_set(err, SP_BAD_INPUT, "%s: %s", pointer, msg);
}

/* Turns a scalar JSON value into text; 0 (with err set) for types that have no text here. */
static int scalar_text(json_t *value, const struct person_field *f, const char *pointer, char *out,
                       size_t size, struct error *err)
{
    if (json_is_string(value)) {
        if (strlen(json_string_value(value)) != json_string_length(value)) {
            error_set(err, SP_BAD_INPUT, "%s: contains a NUL character: remove it", pointer);
            return 0;
        }
        if (json_string_length(value) >= size) {
            error_set(err, SP_BAD_INPUT, "%s: is too long: at most %zu bytes", pointer, size - 1);
            return 0;
        }
        memcpy(out, json_string_value(value), json_string_length(value) + 1);
        return 1;
    }
    if (json_is_integer(value)) {
        snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return 1;
    }
    if (json_is_boolean(value) && (f == NULL || f->type == FIELD_BOOL)) {
        snprintf(out, size, "%s", json_is_true(value) ? "true" : "false");
        return 1;
    }
    if (json_is_real(value) && f == NULL) {
        snprintf(out, size, "%.15g", json_real_value(value));
        return 1;
    }
    if (json_is_real(value) && f->type == FIELD_MONEY) {
        error_set(err, SP_BAD_INPUT,
                  "%s: write amounts of money as strings, as in \"4000.00\", so that no "
                  "digit is lost",
                  pointer);
        return 0;
    }
    const char *want = f == NULL                ? "a string, number or boolean"
                       : f->type == FIELD_BOOL  ? "true or false"
                       : f->type == FIELD_INT   ? "a whole number"
                       : f->type == FIELD_LIST  ? "an array of strings"
                       : f->type == FIELD_MONEY ? "a string such as \"4000.00\""
                                                : "a string";
    error_set(err, SP_BAD_INPUT, "%s: expected %s", pointer, want);
    return 0;
}

/* Reads a JSON array into a list field, item by item. */
static int read_list(struct person *p, const struct person_field *f, json_t *array,
                     const char *pointer, struct error *err)
{
    struct error why;
    error_init(&why);
    person_set_field_at(p, f, "", DATE_NONE, &why); /* the array replaces the list */
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        char at[2 * POINTER_MAX + 24];
        snprintf(at, sizeof at, "%s/%zu", pointer, i);
        if (!json_is_string(item))
            return error_set(err, SP_BAD_INPUT, "%s: expected a string", at);
        if (person_add_list_item(p, f->name, json_string_value(item), &why) != SP_OK)
            return pointer_error(err, at, f->name, why.message);
    }
    return SP_OK;
}

/* Reads one key of a person object. */
static int read_key(struct person *p, const char *key, json_t *value, const char *prefix,
                    int32_t today, const struct person_json_options *opt, struct error *err)
{
    char token[POINTER_MAX];
    char pointer[2 * POINTER_MAX];
    person_json_pointer_token(key, token, sizeof token);
    snprintf(pointer, sizeof pointer, "%s/%s", prefix, token);
    const struct person_field *f = person_field_find(key);
    struct error why;
    error_init(&why);
    if (f == NULL) {
        for (int i = 0; i < opt->n_extra_facts; i++) {
            if (strcmp(opt->extra_facts[i], key) != 0)
                continue;
            if (json_is_null(value))
                return SP_OK;
            char text[VALUE_MAX];
            if (!scalar_text(value, NULL, pointer, text, sizeof text, err))
                return SP_BAD_INPUT;
            if (person_set_extra(p, key, text, &why) != SP_OK)
                return pointer_error(err, pointer, key, why.message);
            return SP_OK;
        }
        if (!opt->strict)
            return SP_OK;
        person_set_field(p, key, "", DATE_NONE, &why); /* for the did-you-mean message */
        return error_set(err, SP_BAD_INPUT, "%s: %s", pointer, why.message);
    }
    if (json_is_null(value))
        return person_set_field_in(p, f, "", today, opt->calendar, err);
    if (f->type == FIELD_LIST && json_is_array(value))
        return read_list(p, f, value, pointer, err);
    char text[VALUE_MAX * 4];
    if (!scalar_text(value, f, pointer, text, sizeof text, err))
        return SP_BAD_INPUT;
    if (person_set_field_in(p, f, text, today, opt->calendar, &why) != SP_OK)
        return pointer_error(err, pointer, f->name, why.message);
    return SP_OK;
}

int person_from_json_with(json_t *obj, const char *pointer_prefix, int32_t today,
                          const struct person_json_options *opt, struct person *out,
                          struct error *err)
{
    static const struct person_json_options strict = {1, NULL, 0, CALENDAR_AD};
    if (opt == NULL)
        opt = &strict;
    if (pointer_prefix == NULL)
        pointer_prefix = "";
    person_init(out);
    if (!json_is_object(obj))
        return error_set(err, SP_BAD_INPUT, "%s: expected an object holding a person's fields",
                         pointer_prefix[0] ? pointer_prefix : "/");
    /* country first: amounts of money without a code are in the country's currency */
    json_t *country = json_object_get(obj, "country");
    if (country != NULL) {
        int rc = read_key(out, "country", country, pointer_prefix, today, opt, err);
        if (rc != SP_OK)
            return rc;
    }
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        if (strcmp(key, "country") == 0)
            continue;
        int rc = read_key(out, key, value, pointer_prefix, today, opt, err);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

int person_from_json(json_t *obj, const char *pointer_prefix, int32_t today, struct person *out,
                     struct error *err)
{
    return person_from_json_with(obj, pointer_prefix, today, NULL, out, err);
}
