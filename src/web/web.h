/*
 * web.h: the web window (docs/web.md): `spfloor serve`, an HTTP server over ops/, as the CLI
 * is a command line over it. JSON under /api/v1 for programs, plain HTML pages for people.
 *
 * The server runs libmicrohttpd in thread-pool mode with epoll; each thread has its own
 * connection to the store. It serves until SIGTERM or SIGINT, then stops taking connections,
 * finishes the requests in flight (for up to WEB_DRAIN_SECONDS) and returns.
 */
#ifndef SPFLOOR_WEB_WEB_H
#define SPFLOOR_WEB_WEB_H

#include <stdint.h>
#include <stdio.h>

#include "audit/audit.h"
#include "base/error.h"

#define WEB_DRAIN_SECONDS 10 /* how long a shutdown waits for requests in flight */

struct web_config {
    const char *host;        /* the address to listen on: an IPv4 or IPv6 address */
    int port;                /* 0: any free port (the log line says which) */
    const char *db;          /* the store (store_open's location) */
    const char *schemes_dir; /* the scheme library */
    struct audit_key key;    /* the audit log's key (writes chain with it; verify checks it) */
    int32_t today;           /* the day taken as today (a testing aid); DATE_NONE: the
                                system clock's, day by day */
    int behind_tls;          /* 1: a TLS proxy is in front: cookies are Secure */
    int threads;             /* threads of the pool (1 or more) */
    FILE *access_log;        /* one line per request; NULL: none */
    FILE *log;               /* where the server says it started and stopped (stderr) */
};

/*
 * Serves until SIGTERM or SIGINT. Returns SP_OK after a clean shutdown; SP_IO when the store
 * cannot be opened or the address cannot be bound (err says which); SP_BAD_INPUT when the
 * scheme library does not load.
 */
int web_serve(const struct web_config *cfg, struct error *err);

/* The routes the server answers, one "METHOD PATH" per call, for `spfloor serve --routes`
 * (the OpenAPI test compares them with openapi.json). i from 0; NULL past the last. */
const char *web_route_method(int i);
const char *web_route_path(int i);

#endif
