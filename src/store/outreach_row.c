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
