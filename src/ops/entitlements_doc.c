/*
 * entitlements_doc.c: one person's entitlements as a document (entitlements_doc.h).
 */
#include "ops/entitlements_doc.h"

#include <string.h>

#include "base/date.h"
#include "ops/entitlements.h"
#include "ops/persons.h"
#include "rules/situation.h"

int entitlements_person_document(struct store *store, const struct scheme_library *lib,
                                 const char *id, int32_t as_of, const struct decision_view *view,
                                 struct buf *doc, long *failed, struct error *err)
{
    return entitlements_person_document_cached(store, NULL, lib, id, as_of, view, doc, failed, err);
}

int entitlements_person_document_cached(struct store *store, struct entitlements_cache *cache,
                                        const struct scheme_library *lib, const char *id,
                                        int32_t as_of, const struct decision_view *view,
                                        struct buf *doc, long *failed, struct error *err)
{
    *failed = 0;
    struct situation s;
    situation_init(&s);
    struct entitlements_person one;
    memset(&one, 0, sizeof one);
    int rc = entitlements_person_situation(store, id, as_of, &s, err);
    if (rc == SP_OK)
        rc = persons_check_current(store, id, as_of, err);
    char date[DATE_TEXT_SIZE];
    date_format(as_of, date);
    if (rc == SP_OK && view->json) {
        rc = buf_printf(doc, err, "{\"as_of\": \"%s\", \"person\": \"%s\",\n \"results\": [", date,
                        s.persons[0].id);
    } else if (rc == SP_OK) {
        rc = buf_printf(doc, err, "as of %s\n", date);
        if (rc == SP_OK)
            rc = decision_append_text_header(doc, err);
    }
    if (rc == SP_OK)
        rc = entitlements_person_decide_cached(&one, cache, lib, as_of, &s, err);
    int first = 1;
    struct decision_row row = {one.schemes, one.bound, one.scratch, one.row, NULL, one.n};
    if (rc == SP_OK)
        rc = decision_append_person(doc, &s.persons[0], &s.histories[0], &row, view, &first, failed,
                                    err);
    if (rc == SP_OK && view->json)
        rc = buf_printf(doc, err, "%s]}\n", first ? "" : "\n ");
    entitlements_person_release(&one);
    situation_release(&s);
    return rc;
}
