/*
 * banned.h: C library calls spfloor does not use, made compile errors (STYLE.md, section 4).
 *
 * Each has a bounded or checked replacement:
 *   sprintf, vsprintf         snprintf, vsnprintf, or buf_printf (base/buf.h)
 *   strcpy, strncpy           text_copy (base/text.h), which always terminates
 *   strcat, strncat           buf_puts / buf_append (base/buf.h)
 *   atoi, atol, atoll         text_parse_int64 (base/text.h), which reports bad text
 *   strtok                    explicit scanning (it keeps hidden state between calls)
 *   gets                      fgets, or a reader with a limit
 *
 * The build includes this header first in every file (-include, CMakeLists.txt), as git's
 * banned.h is included by git-compat-util.h. It includes the system headers that declare these
 * calls, then poisons their names: those declarations were read first, a later #include of
 * them is skipped by its include guard, and any use afterwards fails to compile, naming the
 * poisoned identifier. tests/build/banned.sh checks that each name is refused.
 *
 * SPFLOOR_NO_BANNED turns it off, for the test shims that stand in for the C library itself
 * (tests/support/), which must choose their own feature macros before any system header.
 */
#ifndef SPFLOOR_BASE_BANNED_H
#define SPFLOOR_BASE_BANNED_H
#ifndef SPFLOOR_NO_BANNED

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any later mention of these names is a compile error (gcc and clang). */
#pragma GCC poison sprintf vsprintf strcpy strncpy strcat strncat atoi atol atoll strtok gets

#endif
#endif
