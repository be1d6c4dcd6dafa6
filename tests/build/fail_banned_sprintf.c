/* Must not compile: sprintf is banned (base/banned.h); use snprintf or buf_printf. */
#include <stdio.h>

void say(char *out, int n);

void say(char *out, int n)
{
    sprintf(out, "%d", n);
}
