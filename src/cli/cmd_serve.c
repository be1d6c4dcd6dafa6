/*
 * cmd_serve.c: `spfloor serve`: the web window and the JSON API over HTTP (web/web.h does the
 * work; docs/web.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "cli/cli.h"
#include "web/web.h"

static void print_help(void)
{
    printf("Usage: spfloor [--db FILE] serve [--listen ADDRESS:PORT] [--db FILE] [--threads N]\n"
           "                             [--behind-tls] [--access-log FILE|-|none] [--routes]\n"
           "\n"
           "Serves the registry's web window (sign in, search, the single window of a person,\n"
           "registering a person, the public figures) and the JSON API under /api/v1, until\n"
           "SIGTERM or Ctrl-C: then it takes no new connection and finishes the requests in\n"
           "flight. Users come from 'spfloor user add'. Serve plain HTTP on a local address\n"
           "and put nginx or another reverse proxy in front for TLS (docs/web.md).\n"
           "\n"
           "  --listen A:P      the address and port (default 127.0.0.1:8080; port 0: any free\n"
           "                    port, named in the first line on stderr; IPv6 as [::1]:8080)\n"
           "  --db FILE         the database (as the global --db)\n"
           "  --threads N       threads answering requests (default 4)\n"
           "  --behind-tls      a TLS proxy is in front: session cookies are marked Secure\n"
           "  --access-log F    one line per request to F (default stderr; - stdout; none)\n"
           "  --routes          print the routes served, METHOD PATH a line, and exit\n"
           "\n"
           "Exit codes: 0 stopped by a signal, 1 usage, 2 the scheme library does not load,\n"
           "4 the database cannot be opened or the address cannot be taken.\n");
}

/* Reads "host:port", "[v6]:port" or ":port" into cfg. SP_USAGE when it is not one. */
static int parse_listen(const char *text, char *host, size_t size, int *port)
{
    const char *colon = strrchr(text, ':');
    if (colon == NULL)
        return SP_USAGE;
    const char *start = text, *end = colon;
    if (text[0] == '[') {
        start = text + 1;
        if (colon == text || colon[-1] != ']')
            return SP_USAGE;
        end = colon - 1;
    }
    size_t n = (size_t)(end - start);
    if (n >= size)
        return SP_USAGE;
    memcpy(host, start, n);
    host[n] = '\0';
    if (n == 0)
        text_copy(host, size, "127.0.0.1");
    long long p;
    if (!text_parse_int64(colon + 1, &p) || p < 0 || p > 65535)
        return SP_USAGE;
    *port = (int)p;
    return SP_OK;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    static const struct option options[] = {
        {"listen", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, 'd'},
        {"threads", required_argument, NULL, 't'},
        {"behind-tls", no_argument, NULL, 'T'},
        {"access-log", required_argument, NULL, 'a'},
        {"routes", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    struct web_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char host[64] = "127.0.0.1";
    cfg.port = 8080;
    cfg.threads = 4;
    const char *access_log = NULL;
    int routes = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        long long n;
        switch (c) {
        case 'l':
            if (parse_listen(optarg, host, sizeof host, &cfg.port) != SP_OK)
                return cli_usage_error("serve", "--listen takes ADDRESS:PORT, not \"%s\"", optarg);
            break;
        case 'd':
            cli->db_location = optarg;
            break;
        case 't':
            if (!text_parse_int64(optarg, &n) || n < 1 || n > 256)
                return cli_usage_error("serve", "--threads takes 1 to 256, not \"%s\"", optarg);
            cfg.threads = (int)n;
            break;
        case 'T':
            cfg.behind_tls = 1;
            break;
        case 'a':
            access_log = optarg;
            break;
        case 'r':
            routes = 1;
            break;
        default:
            return cli_usage_error("serve", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("serve", "unexpected argument \"%s\"", argv[optind]);
    if (routes) {
        for (int i = 0; web_route_method(i) != NULL; i++)
            printf("%s %s\n", web_route_method(i), web_route_path(i));
        return SP_OK;
    }
    struct error err;
    error_init(&err);
    if (cli_require_database(cli, &err) != SP_OK || cli_audit_key(cli, &cfg.key, &err) != SP_OK)
        return cli_report(&err);
    FILE *log_file = NULL;
    if (access_log == NULL)
        cfg.access_log = stderr;
    else if (strcmp(access_log, "-") == 0)
        cfg.access_log = stdout;
    else if (strcmp(access_log, "none") != 0) {
        log_file = fopen(access_log, "a");
        if (log_file == NULL) {
            error_set(&err, SP_IO, "--access-log: cannot open %s", access_log);
            return cli_report(&err);
        }
        cfg.access_log = log_file;
    }
    cfg.host = host;
    cfg.db = cli->db_location;
    cfg.schemes_dir = cli->schemes_dir;
    cfg.today = cli->today_from != NULL ? cli_today(cli) : DATE_NONE;
    cfg.log = stderr;
    int rc = web_serve(&cfg, &err);
    if (log_file != NULL)
        fclose(log_file);
    return rc == SP_OK ? SP_OK : cli_report(&err);
}
