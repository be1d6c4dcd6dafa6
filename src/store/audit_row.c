/*
 * audit_row.c: audit entries to and from their stored columns (audit_row.h).
 */
#include "store/audit_row.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

void audit_row_encode(const struct audit_entry *e, char seq_text[PERSON_ROW_NUMBER_SIZE],
                      const char *texts[AUDIT_TEXTS])
{
    snprintf(seq_text, PERSON_ROW_NUMBER_SIZE, "%lld", (long long)e->seq);
    texts[0] = seq_text;
    texts[1] = e->at;
    texts[2] = e->actor;
    texts[3] = e->action;
    texts[4] = e->object;
    texts[5] = e->change;
    texts[6] = e->mac;
}

void audit_row_decode(const char *const texts[AUDIT_TEXTS], struct audit_entry *e)
{
    memset(e, 0, sizeof *e);
    long long seq = 0;
    e->seq = text_parse_int64(texts[0], &seq) ? seq : 0;
    text_copy(e->at, sizeof e->at, texts[1]);
    text_copy(e->actor, sizeof e->actor, texts[2]);
    text_copy(e->action, sizeof e->action, texts[3]);
    text_copy(e->object, sizeof e->object, texts[4]);
    text_copy(e->change, sizeof e->change, texts[5]);
    text_copy(e->mac, sizeof e->mac, texts[6]);
}
