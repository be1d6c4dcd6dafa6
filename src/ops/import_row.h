/*
 * import_row.h: one CSV record into a person, as the import's pipeline needs it (internal to
 * src/ops/import*.c; import.h has the public functions).
 */
#ifndef SPFLOOR_OPS_IMPORT_ROW_H
#define SPFLOOR_OPS_IMPORT_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "model/person.h"
#include "ops/import.h"

/*
 * import_record_to_person, with the dedup key written to key (key_size bytes) and dates
 * without a suffix read in `calendar` (import_options.calendar). admin1 and admin2 are
 * resolved to the gazetteer's official names (registry/gazetteer.h). `full` 0 skips
 * the checks a row already passed in pass 1 (required fields, person_validate, the dedup key
 * and the worker ID); key is then left empty.
 */
int import_row_map(const struct import_columns *c, int count, const char *const *values,
                   const size_t *lens, int32_t today, enum calendar calendar, int full,
                   struct person *p, const char **column, char *key, size_t key_size,
                   struct error *err);

#endif
