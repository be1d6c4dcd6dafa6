/*
 * payment_row.c: payments and batches to and from their stored columns (payment_row.h).
 */
#include "store/payment_row.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

void payment_row_encode(const struct payment *p, struct payment_row_room *room,
                        const char *texts[PAYMENT_TEXTS])
{
    snprintf(room->amount, sizeof room->amount, "%lld", (long long)p->amount);
    for (int i = 0; i < PAYMENT_STATES; i++) {
        room->days[i][0] = '\0';
        if (p->on[i] != DATE_NONE && p->on[i] != 0)
            date_format(p->on[i], room->days[i]);
    }
    texts[0] = p->id;
    texts[1] = p->batch;
    texts[2] = p->scheme;
    texts[3] = p->period;
    texts[4] = room->amount;
    texts[5] = p->currency;
    texts[6] = p->account;
    texts[7] = p->holder;
    texts[8] = p->creditor;
    texts[9] = payment_state_name(p->state);
    for (int i = 0; i < PAYMENT_STATES; i++)
        texts[10 + i] = room->days[i];
    texts[PAYMENT_REISSUE_OF] = p->reissue_of;
    texts[17] = p->status_reason;
}

static int32_t day_of(const char *text)
{
    int32_t day = DATE_NONE;
    if (text == NULL || text[0] == '\0' || date_parse(text, &day, NULL) != SP_OK)
        return DATE_NONE;
    return day;
}

static void copy(char *out, size_t size, const char *text)
{
    text_copy(out, size, text != NULL ? text : "");
}

void payment_row_decode(const char *const texts[PAYMENT_TEXTS], struct payment *p)
{
    memset(p, 0, sizeof *p);
    copy(p->id, sizeof p->id, texts[0]);
    copy(p->batch, sizeof p->batch, texts[1]);
    copy(p->scheme, sizeof p->scheme, texts[2]);
    copy(p->period, sizeof p->period, texts[3]);
    long long amount = 0;
    if (texts[4] != NULL && text_parse_int64(texts[4], &amount) == 1)
        p->amount = amount;
    copy(p->currency, sizeof p->currency, texts[5]);
    copy(p->account, sizeof p->account, texts[6]);
    copy(p->holder, sizeof p->holder, texts[7]);
    copy(p->creditor, sizeof p->creditor, texts[8]);
    int state = payment_state_parse(texts[9] != NULL ? texts[9] : "");
    p->state = state < 0 ? PAYMENT_CREATED : (enum payment_state)state;
    for (int i = 0; i < PAYMENT_STATES; i++)
        p->on[i] = day_of(texts[10 + i]);
    copy(p->reissue_of, sizeof p->reissue_of, texts[PAYMENT_REISSUE_OF]);
    copy(p->status_reason, sizeof p->status_reason, texts[17]);
}

void payment_batch_row_encode(const struct payment_batch *b, char as_of[DATE_TEXT_SIZE],
                              const char *texts[PAYMENT_BATCH_TEXTS])
{
    as_of[0] = '\0';
    if (b->as_of != DATE_NONE)
        date_format(b->as_of, as_of);
    texts[0] = b->id;
    texts[1] = b->scheme;
    texts[2] = b->period;
    texts[3] = as_of;
    texts[4] = b->digest;
    texts[5] = b->created_at;
    texts[6] = b->exported_at;
    texts[7] = b->actor;
}

void payment_batch_row_decode(const char *const texts[PAYMENT_BATCH_TEXTS], struct payment_batch *b)
{
    memset(b, 0, sizeof *b);
    copy(b->id, sizeof b->id, texts[0]);
    copy(b->scheme, sizeof b->scheme, texts[1]);
    copy(b->period, sizeof b->period, texts[2]);
    b->as_of = day_of(texts[3]);
    copy(b->digest, sizeof b->digest, texts[4]);
    copy(b->created_at, sizeof b->created_at, texts[5]);
    copy(b->exported_at, sizeof b->exported_at, texts[6]);
    copy(b->actor, sizeof b->actor, texts[7]);
}

void payment_row_mark_added(const int64_t *serials, const struct payment *p, int n, int64_t serial,
                            const char *id, int *added, int *at)
{
    for (int k = 0; k < n; k++) {
        int i = (*at + k) % n;
        if (!added[i] && serials[i] == serial && strcmp(p[i].id, id) == 0) {
            added[i] = 1;
            *at = (i + 1) % n;
            return;
        }
    }
}
