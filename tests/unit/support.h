/*
 * support.h: helpers shared by the unit tests. Include it after <cmocka.h>.
 */
#ifndef SPFLOOR_TESTS_SUPPORT_H
#define SPFLOOR_TESTS_SUPPORT_H

#include <stdint.h>

#include "base/date.h"

/* The day number of an ISO date the test writes; fails the test if it does not parse. */
static inline int32_t test_day(const char *text)
{
    int32_t out = 0;
    struct error err;
    error_init(&err);
    assert_int_equal(date_parse(text, &out, &err), SP_OK);
    return out;
}

#endif
