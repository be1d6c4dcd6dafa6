/* Must not compile: strcpy is banned (base/banned.h); use text_copy. */
#include <string.h>

void copy_name(char *out, const char *name);

void copy_name(char *out, const char *name)
{
    strcpy(out, name);
}
