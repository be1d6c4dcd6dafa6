/*
 * outreach.c: the words of the outreach and advocacy logs (outreach.h).
 */
#include "model/outreach.h"

#include <string.h>

const char *const outreach_type_words[] = {
    "awareness",           "training",       "legal_aid", "mobilisation", "assisted_registration",
    "vocational_training", "health_service", NULL,
};

const char *const outreach_youth_words[] = {"age_not_given", "under_35", "35_and_over", NULL};

const char *const advocacy_status_words[] = {"lobbied", "approved", "rejected", NULL};

const char *const case_kind_words[] = {"legal_aid", "assisted_claim", NULL};

const char *const case_outcome_words[] = {"pending", "won", "lost", NULL};

int outreach_word_parse(const char *const *words, const char *word)
{
    for (int i = 0; words[i] != NULL; i++)
        if (strcmp(words[i], word) == 0)
            return i + 1;
    return 0;
}
