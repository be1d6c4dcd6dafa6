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
 * calls before defining the macros, so those declarations are read first, and a later
 * #include of them is skipped by its include guard. A use then expands to a call of an
 * undeclared function named after the banned one, which -Werror refuses at compile time.
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

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)

#endif
#endif
