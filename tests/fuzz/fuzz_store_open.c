/*
 * fuzz_store_open: a crafted or damaged database file given to --db (store/store.h).
 *
 * Each input is written as a database file into a fresh directory, which becomes the working
 * directory (so that anything the file could make SQLite write by a relative name, such as an
 * ATTACH, would land there). The file is then opened read-only, counted, searched and walked,
 * and opened for writing and given one person. Whatever the file holds, a failure says why,
 * and afterwards the directory holds nothing but the database and SQLite's own journal files:
 * the file cannot make spfloor write anywhere else or run SQL of its own.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "store/store.h"

#define DB_NAME     "r.db"
#define VISIT_LIMIT 200 /* persons walked per input */

/* The names SQLite may create beside the database. */
static int is_ours(const char *name)
{
    static const char *const names[] = {
        ".", "..", DB_NAME, DB_NAME "-wal", DB_NAME "-shm", DB_NAME "-journal"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* A failure always says why. */
static void check_failure(int rc, const struct error *err)
{
    if (rc != SP_OK && (err->code != rc || err->message[0] == '\0'))
        __builtin_trap();
}

static int visit(void *ctx, const struct person *p)
{
    int *seen = ctx;
    if (p->id[sizeof p->id - 1] != '\0' || p->given_name[sizeof p->given_name - 1] != '\0')
        __builtin_trap(); /* every text comes back NUL-terminated within its field */
    return ++*seen >= VISIT_LIMIT;
}

static void read_it(void)
{
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    int rc = store_open(DB_NAME, STORE_READ_ONLY, &s, &err);
    check_failure(rc, &err);
    if (rc != SP_OK)
        return;
    int64_t count = 0;
    int seen = 0;
    error_init(&err);
    check_failure(store_person_count(s, &count, &err), &err);
    error_init(&err);
    check_failure(store_person_search(s, "a", NULL, 5, visit, &seen, &err), &err);
    seen = 0;
    error_init(&err);
    rc = store_person_each(s, visit, &seen, &err);
    if (rc != 1)
        check_failure(rc, &err);
    store_close(s);
}

static void write_it(void)
{
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    int rc = store_open(DB_NAME, STORE_CREATE, &s, &err);
    check_failure(rc, &err);
    if (rc != SP_OK)
        return;
    int32_t today = date_from_civil(2025, 1, 15);
    struct person p;
    person_init(&p);
    static const char *const fields[][2] = {
        {"country", "NP"},   {"given_name", "Sita"},       {"family_name", "Sharma"},
        {"sex", "female"},   {"birth_date", "1950-03-02"}, {"admin2", "Jumla"},
        {"household", "h1"}, {"national_id", "12-34"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (person_set_field(&p, fields[i][0], fields[i][1], today, &err) != SP_OK)
            __builtin_trap();
    rc = store_begin(s, &err);
    check_failure(rc, &err);
    if (rc == SP_OK) {
        rc = store_person_insert(s, &p, &err);
        check_failure(rc, &err);
        if (rc == SP_OK) {
            error_init(&err);
            rc = store_commit(s, &err);
            check_failure(rc, &err);
        }
        if (rc != SP_OK)
            store_rollback(s);
    }
    store_close(s);
}

/* Traps if dir holds anything but the database and its journals; then empties it. */
static void check_and_clear(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        if (!is_ours(entry->d_name))
            __builtin_trap(); /* the database made spfloor write beside it */
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            unlinkat(dirfd(d), entry->d_name, 0);
    }
    closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/fuzz_store_open.XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 0;
    int back = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (back < 0 || chdir(dir) != 0) {
        rmdir(dir);
        if (back >= 0)
            close(back);
        return 0;
    }
    FILE *f = fopen(DB_NAME, "wb");
    if (f != NULL) {
        int written = size == 0 || fwrite(data, 1, size, f) == size;
        if (fclose(f) == 0 && written) {
            read_it();
            write_it();
        }
    }
    check_and_clear(dir);
    if (fchdir(back) != 0)
        __builtin_trap();
    close(back);
    rmdir(dir);
    return 0;
}
