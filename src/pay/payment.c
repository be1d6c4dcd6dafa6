/*
 * payment.c: payment states and instruction ids (payment.h).
 */
#include "pay/payment.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"

int pay_state_can_move(enum payment_state from, enum payment_state to)
{
    switch (from) {
    case PAYMENT_CREATED:
        return to == PAYMENT_EXPORTED || to == PAYMENT_CANCELLED;
    case PAYMENT_EXPORTED:
        return to == PAYMENT_ACCEPTED || to == PAYMENT_REJECTED || to == PAYMENT_SETTLED ||
               to == PAYMENT_CANCELLED;
    case PAYMENT_ACCEPTED:
        return to == PAYMENT_SETTLED || to == PAYMENT_REJECTED;
    default:
        return 0;
    }
}

int pay_state_can_reissue(enum payment_state s)
{
    return s == PAYMENT_REJECTED;
}

/* FNV-1a, 64 bits, over a text and its NUL. */
static uint64_t fnv(uint64_t h, const char *text)
{
    size_t n = strlen(text) + 1;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)text[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void pay_instruction_id(const char *person, const char *scheme, const char *period, int attempt,
                        char out[PAY_ID_SIZE])
{
    char n[16];
    snprintf(n, sizeof n, "%d", attempt);
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv(fnv(fnv(fnv(h, person), scheme), period), n);
    snprintf(out, PAY_ID_SIZE, "I%016llx", (unsigned long long)h);
}

void pay_end_to_end_id(const char *instruction, char out[PAY_E2E_SIZE])
{
    snprintf(out, PAY_E2E_SIZE, "SPF%s", instruction);
}

int pay_instruction_of(const char *end_to_end, char out[PAY_ID_SIZE], struct error *err)
{
    size_t n = strlen(end_to_end);
    int ok = n == 20 && strncmp(end_to_end, "SPFI", 4) == 0;
    for (size_t i = 4; ok && i < n; i++)
        ok = (end_to_end[i] >= '0' && end_to_end[i] <= '9') ||
             (end_to_end[i] >= 'a' && end_to_end[i] <= 'f');
    if (!ok)
        return error_set(err, SP_BAD_INPUT,
                         "\"%s\" is not an EndToEndId spfloor wrote (SPFI and "
                         "16 hex digits)",
                         end_to_end);
    text_copy(out, PAY_ID_SIZE, end_to_end + 3);
    return SP_OK;
}

int pay_amount_parse(const char *text, int digits, int64_t *out, struct error *err)
{
    int64_t v = 0;
    int places = -1, any = 0;
    for (const char *s = text; *s; s++) {
        if (*s == '.' && places < 0) {
            places = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
            return error_set(err, SP_BAD_INPUT, "\"%s\" is not an amount", text);
        v = v * 10 + (*s - '0');
        any = 1;
        if (places >= 0 && ++places > digits)
            return error_set(err, SP_BAD_INPUT, "\"%s\" has more than %d decimal places", text,
                             digits);
    }
    if (!any)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not an amount", text);
    for (int i = places < 0 ? 0 : places; i < digits; i++) {
        if (v > INT64_MAX / 10)
            return error_set(err, SP_BAD_INPUT, "\"%s\" is too large", text);
        v *= 10;
    }
    *out = v;
    return SP_OK;
}
