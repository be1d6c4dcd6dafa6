/*
 * name_latin.c: names in one Latin form, and their skeletons (name_latin.h).
 */
#include "registry/name_latin.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "base/alloc.h"
#include "base/text.h"

#define UNITS_MAX   512  /* UTF-16 units of a name being transliterated */
#define CACHE_SLOTS 4096 /* names each thread remembers (direct-mapped by hash) */
#define CACHE_TEXT  97   /* bytes of a cached name (PERSON_NAME_SIZE) */

/* ---- Khmer, which ICU 72 does not transliterate (UNGEGN, simplified) ---- */

/* U+1780..U+17C7: consonants, independent vowels, dependent vowels and signs. "" drops. */
static const char *const khmer[] = {
    "k",  "kh", "k",   "kh",  "ng", "ch", "chh", "ch",  "chh",  "nh",  "d",    "th",
    "d",  "th", "n",   "t",   "th", "t",  "th",  "n",   "b",    "ph",  "p",    "ph",
    "m",  "y",  "r",   "l",   "v",  "s",  "s",   "s",   "h",    "l",   "",     "a",
    "a",  "e",  "ei",  "o",   "ou", "ou", "ov",  "rue", "rueu", "lue", "lueu", "ae",
    "ai", "ao", "ao",  "au",  "",   "",   "a",   "e",   "ei",   "oe",  "eu",   "o",
    "ou", "uo", "aeu", "oea", "ie", "e",  "ae",  "ai",  "ao",   "au",  "m",    "h",
};
#define KHMER_FIRST 0x1780
#define KHMER_LAST  (KHMER_FIRST + (int)(sizeof khmer / sizeof khmer[0]) - 1)

/* ---- each thread's transliterator and cache ---- */

struct cached {
    char text[CACHE_TEXT];
    char latin[NAME_LATIN_SIZE];
};

struct latin_state {
    UTransliterator *trans; /* NULL if ICU could not open it */
    int opened;             /* 1 once opening was tried */
    struct cached *cache;   /* CACHE_SLOTS, or NULL */
};

static _Thread_local struct latin_state state;

void name_latin_release(void)
{
    if (state.trans != NULL)
        utrans_close(state.trans);
    sp_free(state.cache);
    memset(&state, 0, sizeof state);
}

/* A thread that ends frees its state: the key's destructor runs in that thread (an import's
 * writer thread indexes names and ends when the import does). */
static pthread_key_t release_key;
static pthread_once_t release_once = PTHREAD_ONCE_INIT;
static int release_ready;

static void release_at_exit(void *unused)
{
    (void)unused;
    name_latin_release();
}

static void make_release_key(void)
{
    release_ready = pthread_key_create(&release_key, release_at_exit) == 0;
}

/* Arranges for this thread's state to be freed when the thread ends. */
static void release_when_done(void)
{
    pthread_once(&release_once, make_release_key);
    if (release_ready)
        pthread_setspecific(release_key, &state);
}

static UTransliterator *transliterator(void)
{
    if (!state.opened) {
        state.opened = 1;
        release_when_done();
        UErrorCode status = U_ZERO_ERROR;
        static const UChar rules[] = u"Any-Latin; Latin-ASCII; Lower";
        state.trans = utrans_openU(rules, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
        if (U_FAILURE(status))
            state.trans = NULL;
    }
    return state.trans;
}

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/*
 * Writes ASCII text as lowercase letters and digits in words separated by one space: an
 * apostrophe or a byte outside ASCII is dropped, anything else that is not a letter or digit
 * separates words. Cut at a word boundary if it does not fit.
 */
static void fold_ascii(const char *text, char *out, size_t size)
{
    size_t n = 0, word = 0;
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (space && n > 0) {
                if (n + 1 >= size)
                    break;
                word = n;
                out[n++] = ' ';
            }
            space = 0;
            if (n + 1 >= size) {
                n = word; /* the word does not fit: cut before it */
                break;
            }
            out[n++] = (char)c;
        } else if (c != '\'' && c < 0x80) {
            space = 1;
        }
    }
    out[n] = '\0';
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* Transliterates non-ASCII text into out (ASCII, maybe with stray bytes fold_ascii drops). */
static void transliterate(const char *text, char *out, size_t size)
{
    UChar in[UNITS_MAX], units[UNITS_MAX];
    int32_t n = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8Lenient(in, UNITS_MAX, &n, text, -1, &status);
    if (U_FAILURE(status) || n >= UNITS_MAX) {
        out[0] = '\0';
        return;
    }
    /* Khmer first, by the table */
    int32_t m = 0;
    for (int32_t i = 0; i < n && m < UNITS_MAX - 8; i++) {
        UChar c = in[i];
        if (c >= KHMER_FIRST && c <= 0x17FF) {
            const char *r = c <= KHMER_LAST ? khmer[c - KHMER_FIRST] : "";
            for (; *r && m < UNITS_MAX - 8; r++)
                units[m++] = (UChar)*r;
        } else {
            units[m++] = c;
        }
    }
    UTransliterator *t = transliterator();
    if (t != NULL) {
        int32_t limit = m;
        status = U_ZERO_ERROR;
        utrans_transUChars(t, units, &m, UNITS_MAX, 0, &limit, &status);
        if (U_FAILURE(status)) /* grew past the buffer: keep what the table gave */
            m = 0;
    }
    int32_t bytes = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)size, &bytes, units, m, &status);
    if (U_FAILURE(status) || bytes >= (int32_t)size)
        out[0] = '\0';
}

void name_latin(const char *text, char *out, size_t size)
{
    if (is_ascii(text)) {
        fold_ascii(text, out, size);
        return;
    }
    struct cached *slot = NULL;
    if (state.cache == NULL) {
        state.cache = sp_calloc(CACHE_SLOTS, sizeof *state.cache);
        release_when_done();
    }
    if (state.cache != NULL && strlen(text) < CACHE_TEXT) {
        slot = &state.cache[hash_text(text) % CACHE_SLOTS];
        if (strcmp(slot->text, text) == 0) {
            text_copy(out, size, slot->latin);
            return;
        }
    }
    char raw[2 * NAME_LATIN_SIZE];
    transliterate(text, raw, sizeof raw);
    char latin[NAME_LATIN_SIZE];
    fold_ascii(raw, latin, sizeof latin);
    if (slot != NULL) {
        text_copy(slot->text, sizeof slot->text, text);
        text_copy(slot->latin, sizeof slot->latin, latin);
    }
    text_copy(out, size, latin);
}

/* ---- skeletons ---- */

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Folds one word w (n bytes, lowercase letters and digits) into out; returns its length. */
static size_t skeleton_word(const char *w, size_t n, char *out, size_t room)
{
    char a[NAME_LATIN_SIZE];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof a; i++) {
        char c = w[i], next = i + 1 < n ? w[i + 1] : '\0';
        if (c == 'h' && i > 0)
            continue; /* kh, sh, th, dh, bh, ch, ph: the aspirate, and a final h */
        if (c == 'e' && next == 'e') {
            c = 'i';
            i++;
        } else if (c == 'o' && next == 'o') {
            c = 'u';
            i++;
        } else if (c == 'p' && next == 'h') {
            c = 'f';
            i++;
        } else if (c == 'w') {
            c = 'v';
        } else if (c == 'q') {
            c = 'k';
        }
        a[k++] = c;
    }
    /* ri before a consonant is the vowel r (Krishna, krsna) */
    size_t j = 0;
    for (size_t i = 0; i < k; i++) {
        if (a[i] == 'i' && i > 0 && a[i - 1] == 'r' && i + 1 < k && !is_vowel(a[i + 1]) &&
            a[i + 1] != 'y')
            continue;
        a[j++] = a[i];
    }
    k = j;
    /* doubled letters once */
    j = 0;
    for (size_t i = 0; i < k; i++)
        if (j == 0 || a[j - 1] != a[i])
            a[j++] = a[i];
    k = j;
    if (k > 3 && a[k - 1] == 'a')
        k--; /* the inherent vowel a transliteration writes: rama, ram */
    if (k + 1 > room)
        return 0;
    memcpy(out, a, k);
    return k;
}

void name_skeleton(const char *latin, char *out, size_t size)
{
    size_t n = 0;
    const char *p = latin;
    out[0] = '\0';
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (p == w)
            break;
        if (n > 0) {
            if (n + 2 >= size)
                break;
            out[n++] = ' ';
        }
        size_t k = skeleton_word(w, (size_t)(p - w), out + n, size - n);
        if (k == 0 && n > 0)
            n--; /* the word did not fit: drop its space */
        n += k;
        out[n] = '\0';
    }
}
