/*
 * outfile.h: writing an output file whole, or not at all.
 *
 * Every file spfloor writes for a user (cards, rejects lists, exports, reports) goes through
 * this module, so that a failure never costs the user a file they had:
 *   - the bytes go to a new temporary file in the destination's directory, created with
 *     O_CREAT | O_EXCL | O_NOFOLLOW, so it is never an existing file or a link;
 *   - outfile_commit writes out what is buffered, fsyncs the file, closes it, and only then
 *     renames it over the destination (an atomic replacement on POSIX file systems), then
 *     fsyncs the directory so that the rename itself survives a power cut;
 *   - outfile_abort, or any failure before the rename, removes the temporary file: the
 *     destination keeps its old content (or stays absent). No half file is ever left there.
 *
 * The destination's directory must be writable, since the temporary file is made there; other
 * hard links to a file that is replaced keep the old content.
 *
 * Refused destinations (SP_USAGE, nothing is created): a symbolic link (spfloor does not write
 * through one: the link would be replaced, or its target written, neither of which the user
 * asked for), anything other than a regular file (a directory, a device, a FIFO), and the
 * input the output is made from (the same device and inode, however the path is spelt: the
 * same name, "./name", or a hard link).
 *
 * Permissions: a new file gets 0666 less the umask, as fopen gives: a card is made to be
 * handed on. OUTFILE_PRIVATE makes it 0600 whatever the umask, for files that list personal
 * data of many persons (a rejects list holds whole rows of the registry's input), as the
 * registry database itself is created. A file that replaces an existing one keeps the old
 * file's permission bits, so a file a user made private stays private.
 *
 * Ownership: struct outfile is the caller's (usually on the stack); outfile_open allocates
 * the buffer and the two paths, and outfile_commit and outfile_abort free them. After either
 * of those the struct is as outfile_init left it, so calling outfile_abort once more at a
 * cleanup label is always safe. Not thread-safe: one thread uses one outfile at a time.
 */
#ifndef SPFLOOR_BASE_OUTFILE_H
#define SPFLOOR_BASE_OUTFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"

#define OUTFILE_BUFFER 65536 /* bytes gathered before one write(2) */
/* bytes written before the kernel is asked to start putting them on disk */
#define OUTFILE_WRITEBACK (8u * 1024 * 1024)

enum outfile_flags {
    OUTFILE_PRIVATE = 1, /* owner read and write only (0600), whatever the umask */
};

struct outfile {
    char *path;      /* the destination, a copy; NULL while not open */
    char *temp;      /* the temporary file's path; NULL while not open */
    int fd;          /* the temporary file, -1 while not open */
    int failed;      /* errno of the first failed write; 0 while none (commit then refuses) */
    char *buffer;    /* OUTFILE_BUFFER bytes waiting to be written, or NULL */
    size_t buffered; /* bytes in use at buffer */
    off_t written;   /* bytes written to the temporary file */
    off_t started;   /* of them, those the kernel was asked to start writing to disk */
};

/* Sets f to "not open". Cannot fail. */
void outfile_init(struct outfile *f);

/*
 * Checks, without creating anything, that path may be written: not a symbolic link, a regular
 * file if it exists, and not the file open at input_fd (pass -1 when there is no input file,
 * or when the input is not a file). For refusing a bad path before any work is done;
 * outfile_open checks the same again. Returns SP_OK, or SP_USAGE with err saying why, or
 * SP_IO when path cannot be looked at (a permission problem, say).
 */
int outfile_check(const char *path, int input_fd, struct error *err);

/*
 * Checks path as outfile_check does and creates the temporary file next to it. flags is 0 or
 * OUTFILE_PRIVATE. Returns SP_OK with f open; SP_USAGE for a refused path; SP_IO when the
 * temporary file cannot be created (the directory does not exist or is not writable) or out
 * of memory. On failure f is left as outfile_init left it. f must not be open.
 */
int outfile_open(struct outfile *f, const char *path, int flags, int input_fd, struct error *err);

/*
 * Adds n bytes to the file. Returns SP_OK, or SP_IO with "PATH: cannot write: REASON" in err
 * when the disk refused them (ENOSPC, EIO, EFBIG, ...). Once a write has failed every later
 * write and outfile_commit fail too, and nothing reaches the destination; the caller still
 * calls outfile_abort (or outfile_commit) to remove the temporary file.
 */
int outfile_write(struct outfile *f, const void *bytes, size_t n, struct error *err);

/*
 * Puts the file in place: writes out the buffer, fsyncs, closes and renames the temporary
 * file over the destination. Returns SP_OK once the destination holds every byte written, or
 * SP_IO with "PATH: cannot write: REASON" in err, in which case the temporary file is removed
 * and the destination is as it was before outfile_open. Either way f is closed afterwards. A
 * failure to fsync the directory after the rename is not reported (the file is in place;
 * some file systems do not support it).
 */
int outfile_commit(struct outfile *f, struct error *err);

/*
 * Gives up: closes and removes the temporary file; the destination is untouched. Does nothing
 * when f is not open (never opened, or already committed or aborted). Cannot fail.
 */
void outfile_abort(struct outfile *f);

#endif
