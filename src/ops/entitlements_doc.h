/*
 * entitlements_doc.h: one person's entitlements as the document every face shows: the CLI's
 * `spfloor entitlements ID [--json]` and the server's GET /api/v1/persons/{id}/entitlements
 * (and the single-window page, which reads the same JSON). One function, so that the two can
 * never differ.
 */
#ifndef SPFLOOR_OPS_ENTITLEMENTS_DOC_H
#define SPFLOOR_OPS_ENTITLEMENTS_DOC_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "ops/decision_format.h"
#include "rules/scheme.h"
#include "store/store.h"

/*
 * Decides the person `id` (with their household, events and enrolments: ops/entitlements.h)
 * for every scheme of their country in lib on as_of, and appends to doc either the JSON
 * document {"as_of", "person", "results": [...]} (view->json; results as decision_append_json
 * writes them) ending in a line feed, or the text table ("as of DATE", the header, the rows).
 * *failed counts the decisions that failed (their results say why). Returns SP_OK;
 * SP_BAD_INPUT when no person has that ID, or the record is merged or dead on as_of
 * (persons_check_current); SP_IO for the store or memory. On failure doc may hold part.
 */
int entitlements_person_document(struct store *store, const struct scheme_library *lib,
                                 const char *id, int32_t as_of, const struct decision_view *view,
                                 struct buf *doc, long *failed, struct error *err);

/*
 * entitlements_person_document with the schemes bound and their working memory kept in cache
 * from one call to the next (ops/entitlements.h: the server keeps one per thread); cache NULL:
 * as entitlements_person_document.
 */
struct entitlements_cache;
int entitlements_person_document_cached(struct store *store, struct entitlements_cache *cache,
                                        const struct scheme_library *lib, const char *id,
                                        int32_t as_of, const struct decision_view *view,
                                        struct buf *doc, long *failed, struct error *err);

#endif
