/*
 * cmd_user.c: `spfloor user add|token`: the users of the web window and their API tokens
 * (ops/users.h does the work; docs/web.md).
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ops/users.h"

static void print_help(void)
{
    printf("Usage: spfloor user add NAME --role ROLE [--area ADMIN1[/ADMIN2]] [--person ID]\n"
           "                           [--password-file FILE | --no-password]\n"
           "       spfloor user token NAME\n"
           "       spfloor user revoke NAME\n"
           "\n"
           "add      adds a user of the web window, or changes one (role, area, password).\n"
           "         The password is read from --password-file, else from the first line of\n"
           "         standard input; it is kept only as an argon2id hash.\n"
           "token    issues an API token for NAME and prints it once: programs send it as\n"
           "         'Authorization: Bearer TOKEN'. Only its digest is kept.\n"
           "revoke   ends every session and API token of NAME at once (a lost token, a user\n"
           "         who left); 'user add NAME --role ROLE --no-password' then also takes the\n"
           "         password away.\n"
           "\n"
           "  --role ROLE       admin, registrar, adjudicator, payer, auditor, partner or\n"
           "                    worker (docs/web.md says what each may do)\n"
           "  --area A[/B]      a partner's area: a province, or a province and district\n"
           "  --person ID       a worker's own record (a worker sees only that one)\n"
           "  --password-file F read the password from F's first line\n"
           "  --no-password     no password: the user signs in only with API tokens\n"
           "\n"
           "Exit codes: 0 done, 1 usage, 2 bad input (a role, an area, a short password, no\n"
           "such user or record), 4 storage.\n");
}

/* Reads the first line of f into out (size bytes), without its line end. SP_BAD_INPUT when
 * there is none or it is too long. */
static int read_password(FILE *f, char *out, size_t size, struct error *err)
{
    if (fgets(out, (int)size, f) == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "no password was given (standard input or "
                         "--password-file)");
    size_t n = strcspn(out, "\r\n");
    if (out[n] == '\0' && n == size - 1)
        return error_set(err, SP_BAD_INPUT, "the password is too long");
    out[n] = '\0';
    return SP_OK;
}

static int user_add(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"role", required_argument, NULL, 'r'},          {"area", required_argument, NULL, 'a'},
        {"person", required_argument, NULL, 'p'},        {"no-password", no_argument, NULL, 'n'},
        {"password-file", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0},
    };
    struct users_new u = {NULL, NULL, NULL, NULL, NULL};
    const char *file = NULL;
    int no_password = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'r':
            u.role = optarg;
            break;
        case 'a':
            u.area = optarg;
            break;
        case 'p':
            u.person = optarg;
            break;
        case 'n':
            no_password = 1;
            break;
        case 'f':
            file = optarg;
            break;
        default:
            return cli_usage_error("user add", "unknown option");
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("user add", "give one user name");
    if (u.role == NULL)
        return cli_usage_error("user add", "--role is needed");
    if (no_password && file != NULL)
        return cli_usage_error("user add", "--no-password and --password-file exclude each other");
    u.name = argv[optind];
    struct error err;
    error_init(&err);
    char password[USERS_PASSWORD_MAX + 2];
    int rc = SP_OK;
    if (!no_password) {
        FILE *f = file != NULL ? fopen(file, "r") : stdin;
        if (f == NULL)
            return error_set(&err, SP_IO, "--password-file: cannot open %s", file),
                   cli_report(&err);
        rc = read_password(f, password, sizeof password, &err);
        if (f != stdin)
            fclose(f);
        u.password = password;
    }
    struct store *store = NULL;
    if (rc == SP_OK)
        rc = cli_open_writer(cli, NULL, &store);
    int created = 0;
    if (rc == SP_OK)
        rc = users_add(store, &u, &created, &err);
    sodium_memzero(password, sizeof password);
    rc = cli_close_store(store, rc, &err);
    if (rc == SP_OK)
        printf("%s user %s (%s)\n", created ? "added" : "changed", u.name, u.role);
    return rc;
}

static int user_token(struct cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage_error("user token", "give one user name");
    struct store *store = NULL;
    int rc = cli_open_writer(cli, NULL, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    char token[USERS_TOKEN_SIZE];
    rc = users_token_new(store, argv[1], "bearer", (int64_t)time(NULL), token, NULL, &err);
    rc = cli_close_store(store, rc, &err);
    if (rc != SP_OK)
        return rc;
    printf("%s\n", token);
    sodium_memzero(token, sizeof token);
    if (!cli->quiet)
        fprintf(stderr, "spfloor: this token is shown once: keep it where the program reads it\n");
    return SP_OK;
}

static int user_revoke(struct cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return cli_usage_error("user revoke", "give one user name");
    struct store *store = NULL;
    int rc = cli_open_writer(cli, NULL, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    int64_t n = 0;
    rc = users_revoke(store, argv[1], &n, &err);
    rc = cli_close_store(store, rc, &err);
    if (rc != SP_OK)
        return rc;
    printf("ended every session and token of %s (%lld)\n", argv[1], (long long)n);
    return SP_OK;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        print_help();
        return argc < 2 ? SP_USAGE : SP_OK;
    }
    const char *verb = argv[1];
    if (strcmp(verb, "add") == 0) {
        optind = 0; /* getopt starts afresh on add's own arguments */
        return user_add(cli, argc - 1, argv + 1);
    }
    if (strcmp(verb, "token") == 0)
        return user_token(cli, argc - 1, argv + 1);
    if (strcmp(verb, "revoke") == 0)
        return user_revoke(cli, argc - 1, argv + 1);
    return cli_usage_error("user", "unknown subcommand \"%s\": use add, token or revoke", verb);
}
