/*
 * error.h: the one error path of spfloor.
 *
 * Every fallible function returns a status (enum sp_status) and, on failure, fills a
 * struct error that the caller passes in. The status values are the process exit codes of
 * DESIGN.md, so the CLI exits with err.code unchanged.
 *
 * The message says what was wrong and where: "persons.csv:row 4:column birth_date: ...",
 * "scheme.yaml:12:7: ...", "/persons/0/sex: ...". The first error set is kept: later calls to
 * error_set on an error that already holds one do nothing, so a caller may pass the first
 * error up unchanged. Library code never prints; the CLI and HTTP layers decide how to show it.
 */
#ifndef SPFLOOR_BASE_ERROR_H
#define SPFLOOR_BASE_ERROR_H

#include <stddef.h>

enum sp_status {
    SP_OK = 0,        /* success */
    SP_USAGE = 1,     /* the command line was wrong */
    SP_BAD_INPUT = 2, /* a file, row, field or request was wrong; nothing was written */
    SP_CONFLICT = 3,  /* refused: a duplicate, or already done */
    SP_IO = 4,        /* storage, I/O or out of memory */
};

#define ERROR_MESSAGE_MAX 1024

struct error {
    int code;                        /* SP_OK while no error is held */
    char message[ERROR_MESSAGE_MAX]; /* NUL-terminated; "" while no error is held */
};

/* Sets err to "no error". */
void error_init(struct error *err);

/*
 * Records an error with a printf-style message, unless err already holds one.
 * Returns code, so that `return error_set(err, SP_BAD_INPUT, ...);` reads naturally.
 * err may be NULL, in which case only the code is returned.
 */
int error_set(struct error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Puts "prefix: " in front of the message err holds (for adding a location such as a file
 * name as an error travels up). Does nothing if err holds no error. Truncates if needed.
 */
void error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records SP_IO "out of memory" (unless an error is already held) and returns SP_IO. */
int error_nomem(struct error *err);

#endif
