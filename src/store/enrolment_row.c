/*
 * enrolment_row.c: enrolments to and from their stored columns (enrolment_row.h).
 */
#include "store/enrolment_row.h"

#include <string.h>

#include "base/text.h"

void enrolment_row_encode(const struct enrolment_record *r, char days[3][DATE_TEXT_SIZE],
                          const char *texts[ENROLMENT_TEXTS])
{
    int32_t dates[3] = {r->e.from, r->e.to, r->state_since};
    for (int i = 0; i < 3; i++) {
        days[i][0] = '\0';
        if (dates[i] != DATE_NONE)
            date_format(dates[i], days[i]);
    }
    texts[0] = r->e.scheme;
    texts[1] = days[0];
    texts[2] = days[1];
    texts[3] = enrolment_state_name(r->state);
    texts[4] = days[2];
    texts[5] = r->reason;
    texts[6] = r->override_reason;
    texts[7] = r->actor;
    texts[8] = r->recorded_at;
}

static int32_t day_of(const char *text)
{
    int32_t day = DATE_NONE;
    if (text[0] == '\0' || date_parse(text, &day, NULL) != SP_OK)
        return DATE_NONE;
    return day;
}

void enrolment_row_decode(const char *const texts[ENROLMENT_TEXTS], struct enrolment_record *r)
{
    memset(r, 0, sizeof *r);
    text_copy(r->e.scheme, sizeof r->e.scheme, texts[0]);
    r->e.from = day_of(texts[1]);
    r->e.to = day_of(texts[2]);
    r->state = (uint8_t)enrolment_state_parse(texts[3]);
    r->state_since = day_of(texts[4]);
    text_copy(r->reason, sizeof r->reason, texts[5]);
    text_copy(r->override_reason, sizeof r->override_reason, texts[6]);
    text_copy(r->actor, sizeof r->actor, texts[7]);
    text_copy(r->recorded_at, sizeof r->recorded_at, texts[8]);
}
