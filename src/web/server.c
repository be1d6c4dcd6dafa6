/*
 * server.c: the HTTP server (web.h): libmicrohttpd in thread-pool mode with epoll, the limits
 * on what a client may send, the access log, and a shutdown that finishes what is in flight.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/entitlements.h"
#include "web/web_impl.h"

int64_t web_now(void)
{
    return (int64_t)time(NULL);
}

int32_t web_today(const struct web_request *r)
{
    return r->srv->cfg->today != DATE_NONE ? r->srv->cfg->today : date_today();
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

const char *web_header(struct web_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *web_cookie(struct web_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *web_query(struct web_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void web_add_header(struct web_request *r, const char *name, const char *value)
{
    if (r->n_headers < (int)(sizeof r->headers / sizeof r->headers[0]))
        snprintf(r->headers[r->n_headers++], sizeof r->headers[0], "%s: %s", name, value);
}

/* This thread's store, opened on its first request. */
static struct store *thread_store(struct web_server *srv, struct error *err)
{
    struct store *s = pthread_getspecific(srv->store_key);
    if (s != NULL)
        return s;
    if (store_open(srv->cfg->db, STORE_READ_WRITE, &s, err) != SP_OK)
        return NULL;
    if (pthread_setspecific(srv->store_key, s) != 0) {
        store_close(s);
        error_nomem(err);
        return NULL;
    }
    return s;
}

static void close_store(void *s)
{
    store_close(s);
}

/* This thread's entitlements cache, made on its first request; NULL when out of memory (the
 * single window then decides without one). Freed when the thread ends. */
static struct entitlements_cache *thread_cache(struct web_server *srv)
{
    struct entitlements_cache *c = pthread_getspecific(srv->cache_key);
    struct error err;
    error_init(&err);
    if (c == NULL && entitlements_cache_new(&c, &err) == SP_OK &&
        pthread_setspecific(srv->cache_key, c) != 0) {
        entitlements_cache_free(c);
        c = NULL;
    }
    return c;
}

static void free_cache(void *c)
{
    entitlements_cache_free(c);
}

/* Sends r's reply. */
static enum MHD_Result send_reply(struct web_request *r)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->out.len, r->out.data, MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type != NULL ? r->content_type : "text/plain");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                            "form-action 'self'; base-uri 'none'");
    int cached = 0;
    for (int i = 0; i < r->n_headers; i++) {
        char *colon = strchr(r->headers[i], ':');
        if (colon == NULL)
            continue;
        *colon = '\0';
        MHD_add_response_header(resp, r->headers[i], colon + 2);
        if (strcmp(r->headers[i], "Cache-Control") == 0)
            cached = 1;
        *colon = ':';
    }
    if (!cached)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* A reply made before the request reached a route (413, 414, 405 ...). */
static enum MHD_Result refuse(struct web_request *r, int status, const char *code,
                              const char *message)
{
    web_fail(r, status, code, message, NULL);
    return send_reply(r);
}

/* The client's address, as text. */
static void remote_of(struct MHD_Connection *conn, char *out, size_t size)
{
    snprintf(out, size, "-");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct web_server *srv = cls;
    struct web_request *r = *con_cls;
    if (r == NULL) { /* the request's first call: its line and headers are read */
        r = sp_calloc(1, sizeof *r);
        if (r == NULL)
            return MHD_NO;
        *con_cls = r;
        __atomic_add_fetch(&srv->in_flight, 1, __ATOMIC_SEQ_CST);
        r->srv = srv;
        r->conn = conn;
        r->started_ms = now_ms();
        r->status = 500;
        buf_init(&r->body, WEB_BODY_MAX);
        buf_init(&r->out, WEB_REPLY_MAX);
        text_copy(r->method, sizeof r->method, method);
        remote_of(conn, r->remote, sizeof r->remote);
        if (strlen(url) > WEB_URL_MAX) {
            text_copy(r->path, sizeof r->path, "(too long)");
            return refuse(r, 414, "uri_too_long", "the address is too long");
        }
        text_copy(r->path, sizeof r->path, url);
        const char *length = web_header(r, "Content-Length");
        long long n = 0;
        if (length != NULL && (!text_parse_int64(length, &n) || n > (long long)WEB_BODY_MAX))
            return refuse(r, 413, "too_large", "the request's body is too large");
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        struct error err;
        error_init(&err);
        if (!r->body_too_big && buf_append(&r->body, upload_data, *upload_data_size, &err) != 0)
            r->body_too_big = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->replied) /* refused on the first call */
        return MHD_YES;
    if (r->body_too_big)
        return refuse(r, 413, "too_large", "the request's body is too large");
    struct error err;
    error_init(&err);
    r->store = thread_store(srv, &err);
    if (r->store == NULL) {
        web_fail(r, 503, "unavailable", "the registry cannot be reached", NULL);
        return send_reply(r);
    }
    store_audit_configure(r->store, &srv->cfg->key, r->remote);
    r->cache = thread_cache(srv);
    web_dispatch(r);
    return send_reply(r);
}

/* The access log's line for a finished request. */
static void log_request(struct web_server *srv, const struct web_request *r, int completed)
{
    FILE *f = srv->cfg->access_log;
    if (f == NULL)
        return;
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pthread_mutex_lock(&srv->log_lock);
    fprintf(f, "%s %s %s \"%s %s\" %d %zu %lldms%s\n", when, r->remote,
            r->signed_in ? r->user.name : "-", r->method, r->path, r->status, r->out.len,
            (long long)(now_ms() - r->started_ms), completed ? "" : " (not completed)");
    fflush(f);
    pthread_mutex_unlock(&srv->log_lock);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)conn;
    struct web_server *srv = cls;
    struct web_request *r = *con_cls;
    if (r == NULL)
        return;
    log_request(srv, r, why == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    buf_release(&r->body);
    buf_release(&r->out);
    sp_free(r);
    *con_cls = NULL;
    __atomic_sub_fetch(&srv->in_flight, 1, __ATOMIC_SEQ_CST);
}

/* Fills addr for host:port. SP_BAD_INPUT when host is not an address. */
static int address_of(const char *host, int port, struct sockaddr_storage *addr, struct error *err)
{
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *in4 = (struct sockaddr_in *)(void *)addr;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)addr;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        return SP_OK;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        return SP_OK;
    }
    return error_set(err, SP_BAD_INPUT, "--listen: \"%s\" is not an IP address", host);
}

int web_serve(const struct web_config *cfg, struct error *err)
{
    struct web_server srv;
    memset(&srv, 0, sizeof srv);
    srv.cfg = cfg;
    struct sockaddr_storage addr;
    int rc = address_of(cfg->host, cfg->port, &addr, err);
    if (rc != SP_OK)
        return rc;
    /* the store and the library, once, before any client */
    struct store *store = NULL;
    rc = store_open(cfg->db, STORE_READ_WRITE, &store, err);
    if (rc == SP_OK)
        rc = ops_rules_load(cfg->schemes_dir, NULL, 0, store, &srv.rules, err);
    store_close(store);
    if (rc != SP_OK)
        return rc;
    srv.limiter = web_limiter_new();
    int keys = srv.limiter == NULL ? 0 : pthread_key_create(&srv.store_key, close_store) == 0;
    if (keys == 1 && pthread_key_create(&srv.cache_key, free_cache) == 0)
        keys = 2;
    if (keys < 2) {
        if (keys == 1)
            pthread_key_delete(srv.store_key);
        web_limiter_free(srv.limiter);
        ops_rules_release(&srv.rules);
        return error_nomem(err);
    }
    pthread_mutex_init(&srv.log_lock, NULL);

    /* SIGTERM and SIGINT are waited for here; the pool's threads inherit the mask */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)cfg->port, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 1),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)WEB_HEADERS_MAX, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)200, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &srv, MHD_OPTION_END);
    if (d == NULL) {
        rc = error_set(err, SP_IO, "cannot listen on %s port %d: %s", cfg->host, cfg->port,
                       errno != 0 ? strerror(errno) : "refused");
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        int port = info != NULL ? info->port : cfg->port;
        if (cfg->log != NULL) {
            fprintf(cfg->log, "spfloor: serving %s on http://%s%s%s:%d/ (stop with SIGTERM)\n",
                    cfg->db, addr.ss_family == AF_INET6 ? "[" : "", cfg->host,
                    addr.ss_family == AF_INET6 ? "]" : "", port);
            fflush(cfg->log);
        }
        int sig = 0;
        while (sigwait(&stop, &sig) != 0)
            ;
        /* no new connection; the requests in flight are answered */
        MHD_socket listener = MHD_quiesce_daemon(d);
        int64_t until = now_ms() + WEB_DRAIN_SECONDS * 1000;
        while (__atomic_load_n(&srv.in_flight, __ATOMIC_SEQ_CST) > 0 && now_ms() < until) {
            struct timespec pause = {0, 20000000L};
            nanosleep(&pause, NULL);
        }
        int left = __atomic_load_n(&srv.in_flight, __ATOMIC_SEQ_CST);
        MHD_stop_daemon(d);
        if (listener != MHD_INVALID_SOCKET)
            close(listener);
        if (cfg->log != NULL) {
            fprintf(cfg->log, "spfloor: stopped (%s)%s\n", sig == SIGTERM ? "SIGTERM" : "SIGINT",
                    left > 0 ? ": some requests were still running" : "");
            fflush(cfg->log);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_key_delete(srv.cache_key);
    pthread_key_delete(srv.store_key);
    pthread_mutex_destroy(&srv.log_lock);
    web_limiter_free(srv.limiter);
    ops_rules_release(&srv.rules);
    return rc;
}
