/* store.c: placeholder until the SQLite driver lands (its owner replaces this file). */
#include "store/store.h"

int store_open(const char *location, struct store **out, struct error *err)
{
    (void)location;
    *out = NULL;
    return error_set(err, SP_IO, "the store is not built yet");
}
