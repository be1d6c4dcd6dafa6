/*
 * cells.c: labels found by hashing, and shares in integers (cells.h).
 */
#include "report/cells.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

#define SLOTS_MIN 64

void report_labels_init(struct report_labels *l)
{
    memset(l, 0, sizeof *l);
    l->last = -1;
}

void report_labels_release(struct report_labels *l)
{
    if (l == NULL)
        return;
    for (int i = 0; i < l->n; i++)
        sp_free(l->labels[i]);
    sp_free(l->labels);
    sp_free(l->slots);
    report_labels_init(l);
}

static uint32_t label_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Re-indexes every label into a table of n slots (a power of two). */
static int reindex(struct report_labels *l, int n, struct error *err)
{
    int32_t *slots = sp_calloc((size_t)n, sizeof *slots);
    if (slots == NULL)
        return error_nomem(err);
    for (int i = 0; i < l->n; i++) {
        uint32_t at = label_hash(l->labels[i]) & (uint32_t)(n - 1);
        while (slots[at] != 0)
            at = (at + 1) & (uint32_t)(n - 1);
        slots[at] = i + 1;
    }
    sp_free(l->slots);
    l->slots = slots;
    l->n_slots = n;
    return SP_OK;
}

int report_labels_lookup(const struct report_labels *l, const char *label)
{
    if (l->last >= 0 && l->last < l->n && strcmp(l->labels[l->last], label) == 0)
        return l->last;
    if (l->n_slots == 0)
        return -1;
    uint32_t at = label_hash(label) & (uint32_t)(l->n_slots - 1);
    for (; l->slots[at] != 0; at = (at + 1) & (uint32_t)(l->n_slots - 1))
        if (strcmp(l->labels[l->slots[at] - 1], label) == 0)
            return l->slots[at] - 1;
    return -1;
}

int report_labels_find(struct report_labels *l, const char *label, struct error *err)
{
    int i = report_labels_lookup(l, label);
    if (i >= 0)
        return l->last = i;
    if ((l->n + 1) * 2 >= l->n_slots &&
        reindex(l, l->n_slots ? l->n_slots * 2 : SLOTS_MIN, err) != SP_OK)
        return -1;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        char **grown = sp_reallocarray(l->labels, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err), -1;
        l->labels = grown;
        l->cap = cap;
    }
    char *copy = sp_strdup(label);
    if (copy == NULL)
        return error_nomem(err), -1;
    l->labels[l->n] = copy;
    uint32_t at = label_hash(copy) & (uint32_t)(l->n_slots - 1);
    while (l->slots[at] != 0)
        at = (at + 1) & (uint32_t)(l->n_slots - 1);
    l->slots[at] = ++l->n;
    return l->last = l->n - 1;
}

int64_t report_per_mille(__int128 part, __int128 whole)
{
    return whole > 0 ? (int64_t)((part * 1000 + whole / 2) / whole) : -1;
}

void report_share_text(char out[REPORT_SHARE_SIZE], int64_t per_mille)
{
    if (per_mille < 0)
        out[0] = '\0';
    else
        snprintf(out, REPORT_SHARE_SIZE, "%lld.%lld", (long long)(per_mille / 10),
                 (long long)(per_mille % 10));
}
