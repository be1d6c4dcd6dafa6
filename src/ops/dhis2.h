/*
 * dhis2.h: reading a DHIS2 mapping file (docs/reports.md "DHIS2"), YAML or JSON, into the
 * struct dhis2_mapping that report/dhis2.h writes a data value set with:
 *
 *   dataSet: pBOMPrpg1QX            # optional
 *   orgUnit: ImspTQPwCqd            # figures not broken down by area (the country)
 *   orgUnitLevel: admin2            # admin1 or admin2 (default admin2)
 *   orgUnits: {Kathmandu: DiszpKrYNg8, Morang: ...}
 *   dataElements: {coverage.covered: ..., coverage.coverage_pct: ...}
 *   categoryOptionCombos: {default: HllvX50cXC0, "female,under_35": ...}
 *   periods: {"2082/83-Q4": 2026Q2}  # optional: report periods that are not months
 */
#ifndef SPFLOOR_OPS_DHIS2_H
#define SPFLOOR_OPS_DHIS2_H

#include "base/error.h"
#include "report/dhis2.h"

/*
 * Reads the mapping at path (".json": JSON, else YAML) into *m, which it initialises (the
 * caller releases it with dhis2_mapping_release, whatever is returned). SP_IO when the file
 * cannot be read; SP_BAD_INPUT naming the place (file:line:col, or a JSON pointer) for an
 * unknown key, an identifier that is not a DHIS2 one (11 letters and digits, the first a
 * letter), a name mapped twice, a level other than admin1 or admin2.
 */
int dhis2_mapping_load(const char *path, struct dhis2_mapping *m, struct error *err);

#endif
