/* Must not compile: atoi is banned (base/banned.h); use text_parse_int64. */
#include <stdlib.h>

int parse_batch(const char *text);

int parse_batch(const char *text)
{
    return atoi(text);
}
