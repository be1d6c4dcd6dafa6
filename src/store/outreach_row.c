/*
 * outreach_row.c: the outreach and advocacy logs to and from their stored columns
 * (outreach_row.h).
 */
#include "store/outreach_row.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

static int32_t day_of(const char *text)
{
    int32_t day = DATE_NONE;
    if (text[0] == '\0' || date_parse(text, &day, NULL) != SP_OK)
        return DATE_NONE;
    return day;
}

static const char *word_of(const char *const *words, int value)
{
    for (int i = 0; words[i] != NULL; i++)
        if (i + 1 == value)
            return words[i];
    return "";
}

void outreach_row_encode(const struct outreach_activity *a, char day[DATE_TEXT_SIZE],
                         const char *texts[OUTREACH_TEXTS])
{
    day[0] = '\0';
    if (a->date != DATE_NONE)
        date_format(a->date, day);
    texts[0] = a->org;
    texts[1] = word_of(outreach_type_words, a->type);
    texts[2] = day;
    texts[3] = a->country;
    texts[4] = a->area;
    texts[5] = a->note;
    texts[6] = a->actor;
    texts[7] = a->recorded_at;
}

void outreach_row_decode(const char *const texts[OUTREACH_TEXTS], const char *network,
                         struct outreach_activity *a)
{
    int64_t id = a->id;
    memset(a, 0, sizeof *a);
    a->id = id;
    text_copy(a->org, sizeof a->org, texts[0]);
    a->type = (uint8_t)outreach_word_parse(outreach_type_words, texts[1]);
    a->date = day_of(texts[2]);
    text_copy(a->country, sizeof a->country, texts[3]);
    text_copy(a->area, sizeof a->area, texts[4]);
    text_copy(a->note, sizeof a->note, texts[5]);
    text_copy(a->actor, sizeof a->actor, texts[6]);
    text_copy(a->recorded_at, sizeof a->recorded_at, texts[7]);
    text_copy(a->network, sizeof a->network, network != NULL ? network : "");
}

const char *participant_sex_text(const struct outreach_participant *p)
{
    return p->person[0] ? "" : word_of(person_sex_words, p->sex);
}

const char *participant_youth_text(const struct outreach_participant *p)
{
    return p->person[0] ? ""
                        : outreach_youth_words[p->youth <= OUTREACH_35_AND_OVER ? p->youth : 0];
}

void participant_row_decode(int64_t activity, const char *sex, const char *youth, int64_t count,
                            struct outreach_participant *p)
{
    memset(p, 0, sizeof *p);
    p->activity = activity;
    p->sex = (uint8_t)outreach_word_parse(person_sex_words, sex);
    int y = outreach_word_parse(outreach_youth_words, youth);
    p->youth = (uint8_t)(y > 0 ? y - 1 : 0);
    p->count = count;
}

void advocacy_row_encode(const struct advocacy *a, char day[DATE_TEXT_SIZE],
                         char numbers[3][OUTREACH_NUMBER_SIZE], const char *texts[ADVOCACY_TEXTS])
{
    day[0] = '\0';
    if (a->date != DATE_NONE)
        date_format(a->date, day);
    const int64_t values[3] = {a->benefit, a->benefit_women, a->benefit_young};
    for (int i = 0; i < 3; i++) {
        numbers[i][0] = '\0';
        if (values[i] >= 0)
            snprintf(numbers[i], OUTREACH_NUMBER_SIZE, "%lld", (long long)values[i]);
    }
    texts[0] = a->title;
    texts[1] = a->country;
    texts[2] = word_of(advocacy_status_words, a->status);
    texts[3] = day;
    texts[4] = a->orgs;
    texts[5] = numbers[0];
    texts[6] = numbers[1];
    texts[7] = numbers[2];
    texts[8] = a->source;
    texts[9] = a->actor;
    texts[10] = a->recorded_at;
}

static int64_t number_of(const char *text)
{
    long long v = -1;
    if (text[0] == '\0' || text_parse_int64(text, &v) != 1)
        return -1;
    return v;
}

void advocacy_row_decode(const char *const texts[ADVOCACY_TEXTS], struct advocacy *a)
{
    int64_t id = a->id;
    memset(a, 0, sizeof *a);
    a->id = id;
    text_copy(a->title, sizeof a->title, texts[0]);
    text_copy(a->country, sizeof a->country, texts[1]);
    a->status = (uint8_t)outreach_word_parse(advocacy_status_words, texts[2]);
    a->date = day_of(texts[3]);
    text_copy(a->orgs, sizeof a->orgs, texts[4]);
    a->benefit = number_of(texts[5]);
    a->benefit_women = number_of(texts[6]);
    a->benefit_young = number_of(texts[7]);
    text_copy(a->source, sizeof a->source, texts[8]);
    text_copy(a->actor, sizeof a->actor, texts[9]);
    text_copy(a->recorded_at, sizeof a->recorded_at, texts[10]);
}

void case_row_encode(const struct outreach_case *c, int64_t serial,
                     char numbers[3][OUTREACH_NUMBER_SIZE], char days[2][DATE_TEXT_SIZE],
                     const char *texts[CASE_TEXTS])
{
    numbers[0][0] = numbers[1][0] = '\0';
    if (c->activity > 0)
        snprintf(numbers[0], OUTREACH_NUMBER_SIZE, "%lld", (long long)c->activity);
    if (serial > 0)
        snprintf(numbers[1], OUTREACH_NUMBER_SIZE, "%lld", (long long)serial);
    snprintf(numbers[2], OUTREACH_NUMBER_SIZE, "%lld", (long long)c->recovered);
    days[0][0] = days[1][0] = '\0';
    if (c->opened != DATE_NONE)
        date_format(c->opened, days[0]);
    if (c->decided != DATE_NONE)
        date_format(c->decided, days[1]);
    texts[0] = c->org;
    texts[1] = word_of(case_kind_words, c->kind);
    texts[2] = numbers[0];
    texts[3] = numbers[1];
    texts[4] = serial > 0 ? "" : word_of(person_sex_words, c->sex);
    texts[5] =
        serial > 0 ? "" : outreach_youth_words[c->youth <= OUTREACH_35_AND_OVER ? c->youth : 0];
    texts[6] = c->country;
    texts[7] = c->area;
    texts[8] = days[0];
    texts[9] = word_of(case_outcome_words, c->outcome);
    texts[10] = days[1];
    texts[11] = numbers[2];
    texts[12] = c->currency;
    texts[13] = c->note;
    texts[14] = c->actor;
    texts[15] = c->recorded_at;
}

/* A number column that is 0 when not given. */
static int64_t count_of(const char *text)
{
    int64_t v = number_of(text);
    return v > 0 ? v : 0;
}

void case_row_decode(const char *const texts[CASE_TEXTS], struct outreach_case *c, int64_t *serial)
{
    int64_t id = c->id;
    memset(c, 0, sizeof *c);
    c->id = id;
    text_copy(c->org, sizeof c->org, texts[0]);
    c->kind = (uint8_t)outreach_word_parse(case_kind_words, texts[1]);
    c->activity = count_of(texts[2]);
    *serial = count_of(texts[3]);
    c->sex = (uint8_t)outreach_word_parse(person_sex_words, texts[4]);
    int y = outreach_word_parse(outreach_youth_words, texts[5]);
    c->youth = (uint8_t)(y > 0 ? y - 1 : 0);
    text_copy(c->country, sizeof c->country, texts[6]);
    text_copy(c->area, sizeof c->area, texts[7]);
    c->opened = day_of(texts[8]);
    c->outcome = (uint8_t)outreach_word_parse(case_outcome_words, texts[9]);
    c->decided = day_of(texts[10]);
    c->recovered = count_of(texts[11]);
    text_copy(c->currency, sizeof c->currency, texts[12]);
    text_copy(c->note, sizeof c->note, texts[13]);
    text_copy(c->actor, sizeof c->actor, texts[14]);
    text_copy(c->recorded_at, sizeof c->recorded_at, texts[15]);
}
