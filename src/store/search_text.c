/*
 * search_text.c: a person's search text and a search's terms (search_text.h).
 */
#include "store/search_text.h"

#include <string.h>

#include "base/text.h"
#include "registry/name_latin.h"

/* Appends word (n bytes) and a space to out (at *len, SEARCH_TEXT_SIZE bytes) if it fits. */
static void append(char *out, size_t *len, const char *word, size_t n)
{
    if (n == 0 || *len + n + 2 > SEARCH_TEXT_SIZE)
        return;
    if (*len > 0)
        out[(*len)++] = ' ';
    memcpy(out + *len, word, n);
    *len += n;
    out[*len] = '\0';
}

static void append_text(char *out, size_t *len, const char *text)
{
    append(out, len, text, strlen(text));
}

/* The letters and digits of text, lowercased, into out. */
static size_t compact(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = text; *c && n + 1 < size; c++) {
        char x = *c;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if ((x >= 'a' && x <= 'z') || (x >= '0' && x <= '9'))
            out[n++] = x;
    }
    out[n] = '\0';
    return n;
}

/* Appends the words of skeleton that the text so far does not hold (a skeleton is often a
 * part of its Latin form: "paul", "sita sarma" and "sit sarm"). */
static void append_new_words(char *out, size_t *len, const char *skeleton)
{
    const char *p = skeleton;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        char word[NAME_LATIN_SIZE];
        size_t n = (size_t)(p - w);
        if (n == 0 || n >= sizeof word)
            continue;
        memcpy(word, w, n);
        word[n] = '\0';
        if (strstr(out, word) == NULL)
            append(out, len, word, n);
    }
}

void search_text_of(const struct person *p, char out[SEARCH_TEXT_SIZE])
{
    size_t len = 0;
    out[0] = '\0';
    /* the two names first and together, so that "sita sharma" is held whole */
    char given[NAME_LATIN_SIZE], family[NAME_LATIN_SIZE], skeleton[NAME_LATIN_SIZE];
    name_latin(p->given_name, given, sizeof given);
    name_latin(p->family_name, family, sizeof family);
    append_text(out, &len, given);
    append_text(out, &len, family);
    name_skeleton(given, skeleton, sizeof skeleton);
    append_new_words(out, &len, skeleton);
    name_skeleton(family, skeleton, sizeof skeleton);
    append_new_words(out, &len, skeleton);
    /* the worker ID is not held: a whole one is a probe of its own (store_person_find), and
     * its twelve digits would cost every import a tenth more indexing */
    char word[PERSON_SHORT_SIZE];
    append(out, &len, word, compact(p->phone, word, sizeof word));
    append(out, &len, word, compact(p->national_id, word, sizeof word));
}

/* 1 if text is an ID or number: a digit, and only letters, digits, blanks and separators. */
static int is_number(const char *text)
{
    int digit = 0;
    for (const char *c = text; *c; c++) {
        if (*c >= '0' && *c <= '9')
            digit = 1;
        else if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || strchr(" -./()+", *c)))
            return 0;
    }
    return digit;
}

int search_terms_of(const char *text, struct store_search *q)
{
    q->n_terms = 0;
    q->exact[0] = '\0';
    if (is_number(text)) {
        if (compact(text, q->terms[0][0], STORE_SEARCH_WORD) == 0)
            return 0;
        q->terms[0][1][0] = '\0';
        text_copy(q->exact, sizeof q->exact, q->terms[0][0]);
        q->n_terms = 1;
        return 1;
    }
    char latin[NAME_LATIN_SIZE];
    name_latin(text, latin, sizeof latin);
    text_copy(q->exact, sizeof q->exact, latin);
    for (const char *p = latin; *p && q->n_terms < STORE_SEARCH_TERMS;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        if (n == 0)
            break;
        if (n >= STORE_SEARCH_WORD)
            n = STORE_SEARCH_WORD - 1;
        char *word = q->terms[q->n_terms][0], *skeleton = q->terms[q->n_terms][1];
        memcpy(word, w, n);
        word[n] = '\0';
        name_skeleton(word, skeleton, STORE_SEARCH_WORD);
        int digits = strpbrk(word, "0123456789") != NULL;
        if (digits || strcmp(skeleton, word) == 0) {
            skeleton[0] = '\0'; /* a number's doubled digits are not spelling */
        } else if (strlen(skeleton) >= 3 && strstr(word, skeleton) != NULL) {
            /* "rekha" holds its skeleton "rek": whatever holds the word holds the skeleton, so
             * the skeleton alone finds the same persons, from fewer trigrams */
            memmove(word, skeleton, strlen(skeleton) + 1);
            skeleton[0] = '\0';
        }
        q->n_terms++;
    }
    return q->n_terms;
}
