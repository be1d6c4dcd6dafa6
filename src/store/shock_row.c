/*
 * shock_row.c: declared shocks to and from their stored columns (shock_row.h).
 */
#include "store/shock_row.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

void shock_row_encode(const struct shock *sh, struct shock_row_scratch *sc,
                      const char *texts[SHOCK_TEXTS])
{
    sc->from[0] = sc->to[0] = '\0';
    if (sh->from != DATE_NONE)
        date_format(sh->from, sc->from);
    if (sh->to != DATE_NONE)
        date_format(sh->to, sc->to);
    snprintf(sc->amount, sizeof sc->amount, "%lld", (long long)sh->top_up_amount);
    snprintf(sc->rate, sizeof sc->rate, "%lld", (long long)sh->top_up_rate);
    texts[0] = sh->name;
    texts[1] = sh->country;
    texts[2] = sh->areas;
    texts[3] = sc->from;
    texts[4] = sc->to;
    texts[5] = shock_mode_name(sh->mode);
    texts[6] = sh->scheme;
    texts[7] = sc->amount;
    texts[8] = sc->rate;
    texts[9] = sh->currency;
    texts[10] = sh->actor;
    texts[11] = sh->recorded_at;
}

static int32_t day_of(const char *text)
{
    int32_t day = DATE_NONE;
    if (text[0] == '\0' || date_parse(text, &day, NULL) != SP_OK)
        return DATE_NONE;
    return day;
}

static int64_t number_of(const char *text)
{
    long long v = 0;
    if (text_parse_int64(text, &v) != 1)
        return 0;
    return v;
}

void shock_row_decode(const char *const texts[SHOCK_TEXTS], struct shock *sh)
{
    int64_t id = sh->id;
    memset(sh, 0, sizeof *sh);
    sh->id = id;
    text_copy(sh->name, sizeof sh->name, texts[0]);
    text_copy(sh->country, sizeof sh->country, texts[1]);
    text_copy(sh->areas, sizeof sh->areas, texts[2]);
    sh->from = day_of(texts[3]);
    sh->to = day_of(texts[4]);
    sh->mode = (uint8_t)shock_mode_parse(texts[5]);
    text_copy(sh->scheme, sizeof sh->scheme, texts[6]);
    sh->top_up_amount = number_of(texts[7]);
    sh->top_up_rate = number_of(texts[8]);
    text_copy(sh->currency, sizeof sh->currency, texts[9]);
    text_copy(sh->actor, sizeof sh->actor, texts[10]);
    text_copy(sh->recorded_at, sizeof sh->recorded_at, texts[11]);
}
