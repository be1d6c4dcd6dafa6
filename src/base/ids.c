#include "base/ids.h"

#include <string.h>

static const uint8_t verhoeff_d[10][10] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
    {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
    {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
};

static const uint8_t verhoeff_p[8][10] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
    {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
};

static const uint8_t verhoeff_inv[10] = {0, 4, 3, 2, 1, 5, 6, 7, 8, 9};

/* Runs the Verhoeff checksum over digits, right to left, starting at position `offset`. */
static int verhoeff_checksum(const char *digits, int offset)
{
    size_t n = strlen(digits);
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = digits[n - 1 - i];
        if (ch < '0' || ch > '9')
            return -1;
        c = verhoeff_d[c][verhoeff_p[(i + (size_t)offset) % 8][ch - '0']];
    }
    return c;
}

int verhoeff_check_digit(const char *digits)
{
    int c = verhoeff_checksum(digits, 1);
    return c < 0 ? -1 : verhoeff_inv[c];
}

int verhoeff_valid(const char *digits)
{
    return digits[0] != '\0' && verhoeff_checksum(digits, 0) == 0;
}

int worker_id_format(int64_t serial, char out[WORKER_ID_SIZE], struct error *err)
{
    if (serial < 1 || serial > WORKER_ID_SERIAL_MAX)
        return error_set(err, SP_BAD_INPUT, "worker serial %lld out of range", (long long)serial);
    for (int i = WORKER_ID_DIGITS - 2; i >= 0; i--) {
        out[i] = (char)('0' + serial % 10);
        serial /= 10;
    }
    out[WORKER_ID_DIGITS - 1] = '\0';
    out[WORKER_ID_DIGITS - 1] = (char)('0' + verhoeff_check_digit(out));
    out[WORKER_ID_DIGITS] = '\0';
    return SP_OK;
}

int worker_id_parse(const char *text, char out[WORKER_ID_SIZE], struct error *err)
{
    const char *c = text;
    const char *end = text + strlen(text);
    while (*c == ' ')
        c++;
    while (end > c && end[-1] == ' ')
        end--;
    size_t o = 0;
    int ok = c < end;
    for (const char *prev = NULL; ok && c < end; prev = c++) {
        int digit = *c >= '0' && *c <= '9';
        /* a separator only between two digits */
        int separator = (*c == ' ' || *c == '-') && prev != NULL && *prev >= '0' && *prev <= '9';
        if (digit && o < WORKER_ID_DIGITS)
            out[o++] = *c;
        else if (!separator)
            ok = 0;
    }
    out[o] = '\0';
    if (!ok || o != WORKER_ID_DIGITS || end[-1] < '0' || end[-1] > '9') {
        out[0] = '\0';
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a worker ID: expected %d digits", text,
                         WORKER_ID_DIGITS);
    }
    if (worker_id_validate(out, err) != SP_OK) {
        out[0] = '\0';
        return SP_BAD_INPUT;
    }
    return SP_OK;
}

int worker_id_validate(const char *text, struct error *err)
{
    size_t n = strlen(text);
    if (n != WORKER_ID_DIGITS || strspn(text, "0123456789") != n)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a worker ID: expected %d digits", text,
                         WORKER_ID_DIGITS);
    if (!verhoeff_valid(text))
        return error_set(err, SP_BAD_INPUT,
                         "\"%s\" is not a worker ID: the check digit is wrong (a digit was "
                         "mistyped or two were swapped)",
                         text);
    return SP_OK;
}

int64_t worker_id_serial(const char digits[WORKER_ID_SIZE])
{
    int64_t serial = 0;
    for (int i = 0; i < WORKER_ID_DIGITS - 1; i++)
        serial = serial * 10 + (digits[i] - '0');
    return serial;
}
