/*
 * ids.h: check digits for lasting identifiers.
 *
 * spfloor worker IDs are WORKER_ID_DIGITS decimal digits: an 11-digit serial number followed by
 * one Verhoeff check digit (the scheme behind Aadhaar numbers). Verhoeff detects every
 * single-digit error and every transposition of adjacent digits.
 */
#ifndef SPFLOOR_BASE_IDS_H
#define SPFLOOR_BASE_IDS_H

#include <stdint.h>
#include <stddef.h>

#include "base/error.h"

#define WORKER_ID_DIGITS     12
#define WORKER_ID_SIZE       (WORKER_ID_DIGITS + 1)
#define WORKER_ID_SERIAL_MAX 99999999999LL

/* The Verhoeff check digit (0-9) for a string of decimal digits; -1 if it holds a non-digit. */
int verhoeff_check_digit(const char *digits);

/* 1 if the digits (check digit last) pass the Verhoeff check, else 0. */
int verhoeff_valid(const char *digits);

/*
 * Writes the worker ID for serial (1..WORKER_ID_SERIAL_MAX) into out. Returns SP_OK or
 * SP_BAD_INPUT when the serial is out of range.
 */
int worker_id_format(int64_t serial, char out[WORKER_ID_SIZE], struct error *err);

/*
 * Checks that text is a worker ID: exactly WORKER_ID_DIGITS digits with a correct check digit.
 * Returns SP_OK or SP_BAD_INPUT with a message a clerk can act on ("check digit is wrong:
 * a digit was mistyped or two were swapped").
 */
int worker_id_validate(const char *text, struct error *err);

/*
 * Reads a worker ID as a person may write it: the 12 digits, or grouped as the card prints it
 * ("0000 0000 0019", or with dashes), with blanks around. Writes the 12 digits into out and
 * returns SP_OK, or SP_BAD_INPUT as worker_id_validate says (out is then "").
 */
int worker_id_parse(const char *text, char out[WORKER_ID_SIZE], struct error *err);

/* The serial of a worker ID's digits as worker_id_parse wrote them (the check digit dropped). */
int64_t worker_id_serial(const char digits[WORKER_ID_SIZE]);

#endif
