/*
 * scheme_ref.h: how a record names a scheme: by its id in the scheme library
 * (`spfloor schemes list`), such as "np.ssa.senior_citizen".
 */
#ifndef SPFLOOR_MODEL_SCHEME_REF_H
#define SPFLOOR_MODEL_SCHEME_REF_H

#define SCHEME_ID_SIZE 65 /* bytes of a scheme id, with its NUL */

#endif
