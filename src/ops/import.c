/*
 * import.c: bulk CSV import of persons, in two streaming passes (see import.h): the pipeline.
 *
 * import_impl.h describes how the work is split: the reader (import_read.c) fills blocks of
 * rows, the writer (import_check.c, import_rejects.c) works through them in file order. This
 * file runs them: the block queue between the two and the writer's thread, stopping, the two
 * passes over the file, and the public entry points.
 */
#include "ops/import.h"
#include "ops/import_impl.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/outfile.h"
#include "store/store.h"

#define SESSION_SHARE   5 /* an import session when the new rows are >= 1/5 of the registry */
#define IMPORT_ATTEMPTS 4 /* runs of both passes when other writers keep getting in the way */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void import_options_init(struct import_options *o)
{
    o->skip_bad = 0;
    o->batch = IMPORT_BATCH_DEFAULT;
    o->rejects_path = NULL;
    o->today = DATE_NONE;
    o->calendar = CALENDAR_AD;
    o->progress = NULL;
    o->progress_ctx = NULL;
}

/* ---- stopping --------------------------------------------------------------------------- */

int import_stopping(struct scan *sc)
{
    return __atomic_load_n(&sc->q.stopping, __ATOMIC_ACQUIRE);
}

void import_stop(struct scan *sc, int code, const char *fmt, ...)
{
    char message[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&sc->q.lock);
    if (sc->fatal.code == SP_OK)
        error_set(&sc->fatal, code, "%s", message);
    __atomic_store_n(&sc->q.stopping, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&sc->q.changed);
    pthread_mutex_unlock(&sc->q.lock);
}

void import_report_progress(struct scan *sc, int64_t row)
{
    if (sc->opt->progress == NULL)
        return;
    struct import_progress progress = {
        .phase = sc->pass == 1 ? IMPORT_VALIDATING : IMPORT_WRITING,
        .rows = row > 1 ? row - 1 : 0,
        .total = sc->pass == 1 ? 0 : sc->sum->rows_read,
        .imported = sc->sum->imported + sc->in_batch,
        .elapsed_ms = now_ms() - sc->started_ms,
    };
    sc->opt->progress(sc->opt->progress_ctx, &progress);
}

/* ---- the queue and the writer's thread -------------------------------------------------- */

static void *writer_main(void *arg)
{
    struct scan *sc = arg;
    struct queue *q = &sc->q;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->full == 0 && !q->stopping)
            pthread_cond_wait(&q->changed, &q->lock);
        if (q->full == 0) {
            pthread_mutex_unlock(&q->lock);
            break;
        }
        struct block *b = q->blocks[q->head];
        pthread_mutex_unlock(&q->lock);
        import_write_block(sc, b);
        int last = b->last;
        pthread_mutex_lock(&q->lock);
        q->head = (q->head + 1) % QUEUE_BLOCKS;
        q->full--;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        if (last || import_stopping(sc))
            break;
    }
    return NULL;
}

static void block_reset(struct block *b)
{
    b->count = 0;
    b->last = 0;
    buf_reset(&b->text);
}

int import_hand_over(struct scan *sc, int last)
{
    struct queue *q = &sc->q;
    sc->fill->last = last;
    if (!q->threaded) {
        import_write_block(sc, sc->fill);
        block_reset(sc->fill);
        return import_stopping(sc) ? -1 : 0;
    }
    pthread_mutex_lock(&q->lock);
    q->full++;
    pthread_cond_broadcast(&q->changed);
    while (q->full == QUEUE_BLOCKS && !q->stopping)
        pthread_cond_wait(&q->changed, &q->lock);
    int stop_now = q->stopping;
    struct block *next = q->blocks[(q->head + q->full) % QUEUE_BLOCKS];
    pthread_mutex_unlock(&q->lock);
    if (stop_now)
        return -1;
    block_reset(next);
    sc->fill = next;
    return 0;
}

/* ---- the passes ------------------------------------------------------------------------- */

/* Reads the whole file once, the writer following. Returns the stopping status, or SP_OK. */
static int run_pass(struct scan *sc, FILE *in, char *chunk, int pass)
{
    sc->pass = pass;
    sc->row = 0;
    sc->reader_done = 0;
    sc->q.head = 0;
    sc->q.full = 0;
    sc->fill = sc->q.blocks[0];
    block_reset(sc->fill);
    if (import_read_begin(sc) != SP_OK)
        return SP_IO;
    pthread_t writer;
    sc->q.threaded = pthread_create(&writer, NULL, writer_main, sc) == 0;

    import_read_file(sc, in, chunk);
    if (!import_stopping(sc))
        import_hand_over(sc, 1);
    if (sc->q.threaded)
        pthread_join(writer, NULL);
    import_read_end(sc);
    if (sc->fatal.code == SP_OK)
        import_report_progress(sc, sc->row);
    return sc->fatal.code;
}

/* Pass 1, with the store's view held steady while rows are looked up. */
static int validate_pass(struct scan *sc, FILE *in, char *chunk)
{
    if (sc->store) {
        int64_t count = 0;
        struct error err;
        error_init(&err);
        if (store_data_version(sc->store, &sc->version, &err) != SP_OK ||
            store_person_count(sc->store, &count, &err) != SP_OK ||
            (count > 0 && store_begin(sc->store, &err) != SP_OK)) {
            import_stop(sc, err.code, "%s", err.message);
            return err.code;
        }
        sc->check_store = count > 0;
        sc->stored_before = count;
    }
    int rc = run_pass(sc, in, chunk, 1);
    if (sc->check_store)
        store_rollback(sc->store);
    /* the rows found bad are the user's list of what to fix, whether or not the import goes on */
    return import_rejects_finish(sc, rc);
}

/*
 * 1 if pass 2 should run in an import session (store_import_begin): when the new rows are at
 * least 1/SESSION_SHARE of the registry, recreating its indexes once costs less than keeping
 * them up to date.
 */
static int wants_session(const struct scan *sc)
{
    const struct import_summary *sum = sc->sum;
    int64_t new_rows = sum->rows_read - sum->rejected - sum->already_present;
    return new_rows > 0 && new_rows * SESSION_SHARE >= sc->stored_before;
}

/* Pass 2: insert the new rows in batches, in an import session when it pays. */
static int write_pass(struct scan *sc, FILE *in, char *chunk)
{
    if (fseek(in, 0, SEEK_SET) != 0) {
        import_stop(sc, SP_IO, "%s: cannot read it again: %s", sc->name, strerror(errno));
        return SP_IO;
    }
    clearerr(in);
    struct error why;
    error_init(&why);
    sc->sum->to_import = sc->sum->rows_read - sc->sum->rejected - sc->sum->already_present;
    int session = wants_session(sc);
    int rc = session ? store_import_begin(sc->store, sc->version, &why) : SP_OK;
    if (rc == SP_CONFLICT) {
        session = 0; /* the registry changed since pass 1: every insert is checked instead */
    } else if (rc != SP_OK) {
        import_stop(sc, rc, "%s", why.message);
        return rc;
    }
    error_init(&why);
    sc->group = sp_malloc(GROUP_ROWS * sizeof *sc->group);
    sc->group_row = sp_malloc(GROUP_ROWS * sizeof *sc->group_row);
    if (store_inserts_in_groups(sc->store))
        sc->group_copy = sp_malloc(GROUP_ROWS * sizeof *sc->group_copy);
    if (sc->group == NULL || sc->group_row == NULL ||
        (store_inserts_in_groups(sc->store) && sc->group_copy == NULL)) {
        import_stop(sc, SP_IO, "out of memory");
        rc = SP_IO;
    } else {
        rc = run_pass(sc, in, chunk, 2);
    }
    if (rc == SP_OK)
        rc = import_flush_group(sc);
    if (rc == SP_OK && sc->in_transaction)
        rc = import_commit_batch(sc);
    if (sc->in_transaction)
        store_rollback(sc->store);
    sc->in_transaction = 0;
    sc->in_batch = 0;
    /* even after a failure: the indexes come back now rather than at the next open */
    if (session && store_import_end(sc->store, &why) != SP_OK) {
        import_stop(sc, why.code, "%s: %s", sc->name, why.message);
        if (rc == SP_OK)
            rc = why.code;
    }
    return rc;
}

static void scan_free(struct scan *sc)
{
    if (sc == NULL)
        return;
    for (int i = 0; i < QUEUE_BLOCKS; i++) {
        if (sc->q.blocks[i])
            buf_release(&sc->q.blocks[i]->text);
        sp_free(sc->q.blocks[i]);
    }
    pthread_cond_destroy(&sc->q.changed);
    pthread_mutex_destroy(&sc->q.lock);
    import_keyset_release(&sc->keys);
    outfile_abort(&sc->rejects);
    sp_free(sc->flags);
    sp_free(sc->group);
    sp_free(sc->group_copy);
    sp_free(sc->group_row);
    buf_release(&sc->line);
    sp_free(sc);
}

/* A scan with its blocks, or NULL when out of memory. */
static struct scan *scan_new(void)
{
    struct scan *sc = sp_calloc(1, sizeof *sc);
    if (sc == NULL)
        return NULL;
    pthread_mutex_init(&sc->q.lock, NULL);
    pthread_cond_init(&sc->q.changed, NULL);
    buf_init(&sc->line, REJECT_LINE_MAX);
    outfile_init(&sc->rejects);
    sc->input_fd = -1;
    error_init(&sc->first_bad);
    error_init(&sc->fatal);
    for (int i = 0; i < QUEUE_BLOCKS; i++) {
        sc->q.blocks[i] = sp_malloc(sizeof *sc->q.blocks[i]);
        if (sc->q.blocks[i] == NULL) {
            scan_free(sc);
            return NULL;
        }
        buf_init(&sc->q.blocks[i]->text, BLOCK_TEXT_MAX);
        block_reset(sc->q.blocks[i]);
    }
    return sc;
}

/* One run of both passes over `in` (rewound first if `again`) into a new scan. *raced is 1 if
 * another writer got in the way of pass 2, so that running again may go further. */
static int import_once(struct store *s, FILE *in, int again, const char *name,
                       const struct import_options *opt, int64_t started,
                       struct import_summary *out, int *raced, struct error *err)
{
    memset(out, 0, sizeof *out);
    *raced = 0;
    if (again && fseek(in, 0, SEEK_SET) != 0)
        return error_set(err, SP_IO, "%s: cannot read it: %s", name, strerror(errno));
    clearerr(in);
    struct scan *sc = scan_new();
    char *chunk = sp_malloc(CHUNK_SIZE);
    if (sc == NULL || chunk == NULL) {
        scan_free(sc);
        sp_free(chunk);
        return error_nomem(err);
    }
    sc->store = s;
    sc->input_fd = fileno(in);
    sc->name = name;
    sc->opt = opt;
    sc->today = opt->today == DATE_NONE ? date_today() : opt->today;
    sc->started_ms = started;
    sc->sum = out;

    int rc = validate_pass(sc, in, chunk);
    if (rc == SP_OK && out->rejected > 0 && !opt->skip_bad)
        rc = error_set(err, SP_BAD_INPUT, "%s", sc->first_bad.message);
    else if (rc == SP_OK && s != NULL)
        rc = write_pass(sc, in, chunk);
    /* broken CSV after bad rows: the message still names the first bad row */
    if (rc == SP_BAD_INPUT && sc->first_bad.code != SP_OK)
        error_set(err, rc, "%s", sc->first_bad.message);
    if (rc != SP_OK)
        error_set(err, rc, "%s", sc->fatal.message);
    *raced = sc->raced;
    scan_free(sc);
    sp_free(chunk);
    return rc;
}

/*
 * Another writer registered some of the same persons while pass 2 ran (two imports of
 * overlapping files, a clerk adding a person): the batches committed stay, and the import runs
 * again, whose pass 1 now finds those persons already present, up to IMPORT_ATTEMPTS times.
 * The summary adds up the runs: the rows this import committed in an earlier run count as
 * imported, not as already present.
 */
int import_persons_stream(struct store *s, FILE *in, const char *name,
                          const struct import_options *opt, struct import_summary *out,
                          struct error *err)
{
    memset(out, 0, sizeof *out);
    int64_t started = now_ms();
    if (opt->batch < 1 || opt->batch > IMPORT_BATCH_MAX)
        return error_set(err, SP_USAGE, "the batch size must be 1 to %d", IMPORT_BATCH_MAX);
    /* a rejects path that is the input or a link is refused before the file is read */
    int refused = opt->rejects_path ? outfile_check(opt->rejects_path, fileno(in), err) : SP_OK;
    if (refused != SP_OK) {
        error_prefix(err, "the rejects file");
        return refused;
    }
    int64_t committed = 0; /* by the earlier runs */
    int rc = SP_OK;
    for (int attempt = 1;; attempt++) {
        int raced = 0;
        error_init(err);
        rc = import_once(s, in, attempt > 1, name, opt, started, out, &raced, err);
        committed += out->imported;
        if (rc == SP_OK || !raced || attempt == IMPORT_ATTEMPTS)
            break;
        struct timespec pause = {0, 50000000L * attempt}; /* let the other writer go ahead */
        nanosleep(&pause, NULL);
    }
    int64_t earlier = committed - out->imported;
    out->imported = committed;
    out->already_present -= earlier;
    out->to_import += earlier;
    out->elapsed_ms = now_ms() - started;
    return rc;
}

int import_persons_csv(struct store *s, const char *path, const struct import_options *opt,
                       struct import_summary *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return error_set(err, SP_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(in);
        return error_set(err, SP_BAD_INPUT,
                         "%s: is not a regular file (a device, pipe or folder): an import reads "
                         "its file twice, so give the path of a CSV file",
                         path);
    }
    int rc = import_persons_stream(s, in, path, opt, out, err);
    fclose(in);
    return rc;
}
