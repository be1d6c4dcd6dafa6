/*
 * expr_impl.h: the internals shared by the expr_*.c files. Not a contract for other modules:
 * callers use rules/expr.h only.
 *
 * Pipeline: expr_lex.c turns source into tokens; expr_parse.c builds syntax nodes in the unit's
 * node array; expr_check.c resolves names, checks types and rewrites each node's `op` into an
 * executable operation; expr_compile.c turns a checked tree into a register program over
 * columns; expr_run.c runs that program over blocks; expr_trace.c walks the tree for one
 * person (and explains it). expr_builtin.c holds the facts table and every scalar operation,
 * shared by both ways of running so that they agree by construction.
 */
#ifndef SPFLOOR_RULES_EXPR_IMPL_H
#define SPFLOOR_RULES_EXPR_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "rules/expr.h"

#define EXPR_SOURCE_MAX 16384     /* bytes of one expression's source */
#define EXPR_NEST_MAX   64        /* nesting (a chain a || b || c is one level) */
#define EXPR_OPS_MAX    512       /* binary operators in one expression: its size */
#define EXPR_VARS_MAX   8         /* nesting of list macros */
#define EXPR_LIST_MAX   256       /* items of a list literal */
#define EXPR_STRING_MAX 1024      /* bytes of a string literal */
#define EXPR_ARENA_MAX  (1 << 22) /* bytes a single person's run may allocate */
#define EXPR_AGE_TABLE  160       /* ages the block runner computes by table lookup */

/*
 * On a helper with large locals (message buffers, argument arrays) that a recursive walk of the
 * tree calls: keeps them out of the walk's own frame, which is on the stack once per level of
 * the tree (up to EXPR_NEST_MAX + EXPR_OPS_MAX levels, expr_parse.c).
 */
#define EXPR_OFF_WALK __attribute__((noinline))

/* ---- memory pool: bump allocation in chunks, freed together (expr_pool.c) ---- */

struct expr_chunk;

struct expr_pool {
    struct expr_chunk *head;  /* newest chunk first */
    struct expr_chunk *spare; /* a chunk given back by a rewind, kept for reuse (or NULL) */
    size_t used;              /* bytes used in head */
    size_t cap;               /* bytes in head */
    size_t total;             /* bytes handed out since the last reset, less those rewound */
    size_t peak;              /* the most total has been since the last reset */
    size_t max;               /* the most total may reach (0: unbounded) */
};

/* A point in a pool's life to rewind to. */
struct expr_pool_mark {
    struct expr_chunk *head;
    size_t used;
    size_t total;
};

void expr_pool_init(struct expr_pool *p, size_t max);
/* n bytes aligned for any scalar, or NULL when out of memory or past max. */
void *expr_pool_alloc(struct expr_pool *p, size_t n);
char *expr_pool_strndup(struct expr_pool *p, const char *s, size_t n);
struct expr_pool_mark expr_pool_mark(const struct expr_pool *p);
/* Gives back everything allocated since m was taken; it must not be used any more. */
void expr_pool_rewind(struct expr_pool *p, struct expr_pool_mark m);
/* Forgets every allocation (and the peak) but keeps the newest chunk for reuse. */
void expr_pool_reset(struct expr_pool *p);
void expr_pool_release(struct expr_pool *p);

/* ---- tokens ---- */

enum expr_tok {
    T_END,
    T_INT,
    T_DEC,
    T_STR,
    T_IDENT,
    T_TRUE,
    T_FALSE,
    T_IN,
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_COMMA,
    T_DOT,
    T_QUEST,
    T_COLON,
    T_NOT,
    T_AND,
    T_OR,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_PERCENT,
};

struct expr_token {
    enum expr_tok kind;
    int start, end;   /* byte offsets into the source */
    int64_t value;    /* T_INT: the integer */
    double dbl;       /* T_DEC: the CEL double (literals such as 0.11, 1e3, 2.5e-3) */
    int min64;        /* T_INT: 9223372036854775808, only valid after a minus (value INT64_MIN) */
    const char *text; /* T_STR: the decoded string; T_IDENT: the name (both in the pool) */
};

struct expr_lexer {
    const char *src;        /* the source (need not be NUL-terminated) */
    int len;                /* its length */
    int at;                 /* offset of the next unread byte */
    struct expr_pos pos;    /* where the source starts, for messages */
    struct expr_pool *pool; /* where decoded strings go */
};

void expr_lex_init(struct expr_lexer *lx, const char *src, int len, struct expr_pos pos,
                   struct expr_pool *pool);
/* Reads the next token. SP_BAD_INPUT with "file:line:col: ..." on a bad character,
 * an unterminated string or a number out of range; SP_IO when out of memory. */
int expr_lex_next(struct expr_lexer *lx, struct expr_token *out, struct error *err);
const char *expr_tok_name(enum expr_tok kind);

/*
 * Records SP_BAD_INPUT "file:line:col: message" for byte `offset` of src (lines and columns
 * are counted from pos, through the newlines of src). Returns SP_BAD_INPUT.
 */
int expr_error_at(struct error *err, struct expr_pos pos, const char *src, int offset,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- syntax and checked nodes ---- */

enum expr_syn {
    S_INT,    /* value */
    S_DEC,    /* value */
    S_STR,    /* text */
    S_BOOL,   /* value */
    S_LIST,   /* kids: items */
    S_IDENT,  /* text */
    S_SELECT, /* kid.text */
    S_CALL,   /* text(kids) */
    S_METHOD, /* kid0.text(kid1 ...) */
    S_NOT,    /* !kid */
    S_NEG,    /* -kid */
    S_BIN,    /* kid0 sub kid1, sub an enum expr_tok */
    S_COND,   /* kid0 ? kid1 : kid2 */
    S_INDEX,  /* kid0[kid1] */
};

enum expr_op {
    X_NONE,
    X_CONST,      /* value / text; a constant of the node's type */
    X_LIST,       /* a constant list: ptr is a struct expr_list */
    X_FACT,       /* ref: index into expr_facts; kid (optional): the person */
    X_EXTRA,      /* ref: index into scope extra_facts; kid (optional): the person */
    X_PARAM,      /* ref: parameter slot */
    X_NAMED,      /* ref: expression index */
    X_AS_OF,      /* the evaluation date */
    X_VAR,        /* ref: macro variable slot */
    X_MEMBERS,    /* household.members */
    X_ENROL_FROM, /* enrolment.from */
    X_ENROLLED,   /* enrolled */
    X_NOT,
    X_NEG,
    X_TODEC, /* int to decimal */
    X_AND,
    X_OR,
    X_COND,
    X_ADD,   /* int, decimal or money: checked */
    X_SUB,   /* same */
    X_MULI,  /* int * int */
    X_MULS,  /* scaled: a * b / DECIMAL_SCALE, rounded (decimal or money times decimal) */
    X_DIVS,  /* scaled: a * DECIMAL_SCALE / b, rounded */
    X_MODI,  /* int % int */
    X_CMP,   /* sub: enum expr_tok comparison, on int64 values */
    X_SCMP,  /* sub: T_EQ or T_NE, on strings */
    X_IN,    /* kid0 in kid1; ref 1: compare enum codes with the list's nums */
    X_HAS,   /* kid: a fact node */
    X_CALL,  /* sub: enum expr_builtin; kids: arguments */
    X_MACRO, /* sub: enum expr_macro; ref: variable slot; kids: receiver, predicate */
    X_SIZE,  /* kid: a list */
    X_HIST,  /* sub: enum expr_hist; value: event type; kids: arguments */
    X_DIVI,  /* int / int, truncating toward zero as in CEL */
    X_FN,    /* sub: enum expr_fn; kids: arguments (the receiver first); run by expr_fn_apply */
};

/* CEL functions on strings and lists (X_FN), run on whole values by expr_fn_apply. */
enum expr_fn {
    F_CONTAINS,    /* string.contains(string) */
    F_STARTS_WITH, /* string.startsWith(string) */
    F_ENDS_WITH,   /* string.endsWith(string) */
    F_STRING_SIZE, /* size(string): code points */
    F_INDEX,       /* list[int]: out of range fails */
    F_INT_OF_TEXT, /* int(string) */
    F_MATCHES,     /* string.matches(re): ptr is the compiled pattern (expr_regex.c) */
    F_FAIL,        /* no arguments: fails (a conversion CEL gives an error for) */
};

enum expr_builtin {
    B_AGE_YEARS,
    B_AGE_MONTHS,
    B_MONTHS_BETWEEN,
    B_ADD_MONTHS,
    B_ADD_DAYS,
    B_MONTH_START,
    B_QUARTER_START,
    B_QUARTER_END,
    B_MIN,
    B_MAX,
    B_CLAMP,
    B_ROUND,          /* value: the unit; ref: enum rounding */
    B_SCALE_RATE,     /* kid0: a scale parameter */
    B_SCALE_MARGINAL, /* kid0: a scale parameter */
    B_DIV,            /* exact a / b (scaled as X_DIVS), rounded to value units by ref */
    B_FULL_YEAR,      /* CEL's accessors of a timestamp, for a date at midnight UTC */
    B_MONTH0,         /* getMonth(): 0 for January */
    B_DATE1,          /* getDate(): 1 for the first */
    B_DAY0,           /* getDayOfMonth(): 0 for the first */
    B_WEEKDAY,        /* getDayOfWeek(): 0 for Sunday */
    B_YEAR_DAY0,      /* getDayOfYear(): 0 for 1 January */
};

enum expr_macro { M_EXISTS, M_ALL, M_FILTER, M_COUNT, M_EXISTS_ONE };

enum expr_hist {
    H_MONTHS_IN_WINDOW,
    H_CONTINUOUS_BEFORE,
    H_TOTAL_MONTHS,
    H_FIRST_MONTH,
    H_TOP_N_SUM,
    H_EV_LAST,
    H_EV_COUNT,
    H_EV_HAS,
    H_EV_LAST_CONTRACT,
};

struct expr_node {
    uint8_t syn;           /* enum expr_syn, from the parser */
    uint8_t op;            /* enum expr_op, from the checker (X_NONE before) */
    uint8_t sub;           /* operator token, builtin, macro or helper */
    int8_t enum_field;     /* string nodes holding an enum fact's words: index in expr_facts */
    struct expr_type type; /* from the checker */
    int start, end;        /* source span [start, end) in its expression's source */
    int expr;              /* the expression whose source holds the span */
    int kid;               /* first child, -1 if none */
    int next;              /* next sibling, -1 if none */
    int n_kids;
    int ref;          /* see enum expr_op */
    int64_t value;    /* literals, constants, round unit, event type; EXPR_DOUBLE: its bits */
    const char *text; /* names, string constants (in the unit's pool) */
    const void *ptr;  /* X_LIST: struct expr_list */
};

/* A list value: items by the element kind. */
struct expr_list {
    int n;
    const char *const *strs;             /* EXPR_STRING elements */
    const int64_t *nums;                 /* numeric, date, bool elements */
    const struct person *const *persons; /* EXPR_PERSON elements */
};

/* ---- the facts vocabulary, as the engine reads it ---- */

enum expr_fact_storage {
    FS_TEXT,  /* char[]: "" unset */
    FS_ENUM,  /* uint8_t: 0 unset, words from `choices` */
    FS_DATE,  /* int32_t: DATE_NONE unset */
    FS_MONEY, /* struct money: currency "" unset */
    FS_TRI,   /* uint8_t enum tristate */
    FS_INT,   /* int32_t: -1 unset */
    FS_LIST,  /* char[]: ';'-joined, "" is the empty list (never missing) */
};

struct expr_fact {
    const char *name;
    uint8_t storage;            /* enum expr_fact_storage */
    uint16_t offset;            /* offsetof(struct person, field) */
    const char *const *choices; /* FS_ENUM: words in enum order from value 1, NULL-ended */
};

extern const struct expr_fact expr_facts[];
extern const int expr_fact_count;
int expr_fact_find(const char *name); /* index or -1 */
struct expr_type expr_fact_type(const struct expr_fact *f, const char *currency);
int expr_enum_word(const struct expr_fact *f, const char *word); /* code (>= 1) or 0 */

/* ---- the unit ---- */

/* A parameter an expression refers to (deduplicated by full path). */
struct expr_pslot {
    const struct param *param; /* in scope.params */
    int grandfather;           /* index into scope.grandfathers, -1 if none */
};

struct expr_def {
    char *name;            /* NULL when unnamed (pool) */
    const char *source;    /* copy of the source (pool) */
    int len;               /* its length */
    struct expr_pos pos;   /* where it starts (file copied into the pool) */
    int root;              /* node index */
    struct expr_type type; /* its result type */
    int code_start;        /* first instruction of its block program */
    int code_end;          /* one past the last */
};

/* Block program operations; each processes a whole column of a block. */
enum expr_cop {
    C_FACT_TEXT,  /* dst = text fact at offset imm */
    C_FACT_ENUM,  /* dst = enum fact (code and word); sub: index in expr_facts */
    C_FACT_DATE,  /* dst = date fact at offset imm */
    C_FACT_MONEY, /* dst = money fact at offset imm (FAILED in another currency) */
    C_FACT_TRI,   /* dst = tristate fact at offset imm, as bool */
    C_FACT_INT,   /* dst = int fact at offset imm (-1 missing) */
    C_FACT_LIST,  /* dst = list fact text at offset imm (never missing) */
    C_CONST,      /* dst = imm (text: ptr) */
    C_PARAM,      /* dst = parameter slot imm */
    C_AS_OF,      /* dst = the evaluation date */
    C_NAMED,      /* dst = result column of expression imm */
    C_NOT,        /* dst = !a */
    C_NEG,        /* dst = -a */
    C_TODEC,      /* dst = a as a decimal */
    C_AND,        /* dst = a && b, three-valued */
    C_OR,         /* dst = a || b, three-valued */
    C_SEL,        /* dst = a ? b : c */
    C_ARITH,      /* dst = a sub b, sub an enum expr_op (X_ADD ...) */
    C_CMP,        /* dst = a sub b on values, sub a comparison token */
    C_CMPI,       /* dst = a sub imm */
    C_SCMP,       /* dst = a sub b on strings */
    C_IN_CONST,   /* dst = a in the constant list ptr; sub 1: enum codes, imm their bit mask */
    C_IN_PARAM,   /* dst = a in the list parameter slot imm */
    C_IN_FACT,    /* dst = a in the ';'-joined list text of b */
    C_AGE_YEARS,  /* dst = age_years(a) by table */
    C_CALL,       /* dst = builtin of node (arguments a, b, c) */
    C_HAS,        /* dst = has(fact imm); sub 1: has(extra fact imm) */
    C_EXTRA,      /* dst = extra fact imm, parsed person by person */
    C_HIST,       /* dst = history helper of node (sub arguments a, b, c), per person */
    C_ENROLLED,   /* dst = enrolled, per person */
    C_ENROL_FROM, /* dst = enrolment.from, per person */
    C_PARAM_GF,   /* dst = grandfathered parameter slot imm, per person */
    C_ANY_IN,     /* dst = list fact a .exists(v, v in K): K the constant string list ptr
                     (sub 1) or the list parameter slot imm (sub 0) */
    C_LANE,       /* dst = node, evaluated person by person by the interpreter */
    C_OUT,        /* result column imm = a */
};

/* One instruction of the block program: each processes a whole column. */
struct expr_insn {
    uint8_t op;           /* enum expr_cop */
    uint8_t sub;          /* see enum expr_cop */
    uint8_t uniform;      /* 1: operands are the same in every lane: run once and broadcast */
    uint8_t text;         /* 1: the result is a string or list, so its register carries text */
    int16_t dst, a, b, c; /* registers (-1 unused) */
    int node;             /* the node it came from */
    int64_t imm;          /* immediate operand */
    const void *ptr;      /* constant list ... */
};

enum { REG_BUSY, REG_FREE, REG_SHARED }; /* a register: temporary in use, free, or shared */
#define REG_UNIFORM 0x80 /* or'ed in: while compiling, the register holds one value for all */

struct expr_unit {
    struct expr_scope scope; /* copied; the pointers are borrowed */
    struct expr_pool pool;   /* names, sources, strings, constant lists */
    struct expr_node *nodes; /* every expression's nodes */
    int n_nodes, cap_nodes;
    struct expr_def *defs;
    int n_defs, cap_defs;
    struct expr_pslot *pslots;
    int n_pslots, cap_pslots;
    struct expr_insn *code;
    int n_code, cap_code;
    int n_regs;         /* registers the block program uses */
    int n_vars;         /* macro variable slots */
    int16_t *fact_reg;  /* expr_fact_count entries: shared register of a loaded fact, -1 */
    int16_t *pslot_reg; /* per pslot: shared register of a loaded parameter, -1 */
    int cap_pslot_reg;
    int16_t as_of_reg; /* shared register of as_of, -1 */
    uint8_t *reg_free; /* per register: REG_BUSY, REG_FREE or REG_SHARED */
    int cap_regs;
    void **regexes; /* compiled matches() patterns (expr_regex.c), freed with the unit */
    int n_regexes;
    void *re_general, *re_compile, *re_match; /* PCRE2 contexts, NULL until a pattern */
};

int expr_node_new(struct expr_unit *u, struct expr_node **out, int *index, struct error *err);
/* The k-th child of node n (k < n_kids). */
int expr_kid(const struct expr_unit *u, int n, int k);

/* ---- matches() (expr_regex.c) ---- */

/*
 * Checks that pattern is RE2 syntax PCRE2 reads the same way, and compiles it into *out (owned
 * by u). SP_BAD_INPUT with a reason in why and its byte offset in the pattern; SP_IO on OOM.
 */
int expr_regex_compile(struct expr_unit *u, const char *pattern, const void **out, char *why,
                       size_t size, int *offset);
/* *out = 1 if re matches somewhere in text; EXPR_FAILED when a match passes its limits. */
uint8_t expr_regex_match(const struct expr_unit *u, const void *re, const char *text, int64_t *out);
void expr_regex_free_all(struct expr_unit *u);

/* expr_parse.c: parses def->source into nodes; *root receives the top node. */
int expr_parse(struct expr_unit *u, int expr_index, int *root, struct error *err);

/* expr_check.c: resolves and type-checks the tree at root (of expression expr_index). */
int expr_check(struct expr_unit *u, int expr_index, int root, const struct expr_type *want,
               struct error *err);
int expr_type_equal(struct expr_type a, struct expr_type b);
void expr_type_name(struct expr_type t, char *out, size_t size);

/* expr_compile.c: appends the block program of expression expr_index. SP_IO on OOM. */
int expr_compile(struct expr_unit *u, int expr_index, struct error *err);

/* ---- household plans (expr_plan.c) ---- */

/*
 * A list macro over household.members whose condition is a conjunction (&&) of terms that
 * read only the member (its facts, parameters, constants, household.members), except for at
 * most one comparison of a member's value with the person's (`m.birth_date <= birth_date`:
 * the key) and at most one `!=` between a member's text and the person's (`m.id != id`: the
 * self term). Such a macro is answered from what is computed once per household (the member
 * terms, and the members sorted by their key) instead of by visiting every member for every
 * person: linear time for a household instead of quadratic. Only count, exists and all take a
 * key or a self term; filter takes neither (its result is then the same for every person).
 */
#define EXPR_PLAN_MIN_MEMBERS 16 /* smaller households are visited member by member */

struct expr_plan {
    int key;       /* the key comparison node, or -1 */
    int key_left;  /* 1: its member side is the left operand */
    int key_op;    /* its comparison token, read with the member side on the left */
    int self;      /* the self `!=` node, or -1 */
    int self_left; /* 1: its member side is the left operand */
};

/*
 * Finds the plans of expression expr_index's macros and points each planned X_MACRO node's
 * ptr at its struct expr_plan (in the unit's pool). SP_IO when out of memory.
 */
int expr_plan_analyse(struct expr_unit *u, int expr_index, struct error *err);

struct expr_ctx;
struct expr_xval;
struct expr_plan_cache;

/*
 * Answers macro node n from its household plan into *out; returns 0 (and leaves *out) when it
 * cannot (no plan, a small household, or no memory for the plan), and the macro is then run
 * member by member.
 */
int expr_plan_run(struct expr_ctx *c, int n, struct expr_xval *out);

/* Called when a run starts: forgets plans of another date, or when the cache grew too big. */
void expr_plan_begin(struct expr_scratch *s, const struct expr_bound *b);
void expr_plan_cache_free(struct expr_plan_cache *cache); /* accepts NULL */

/* ---- binding ---- */

struct expr_bparam {
    uint8_t state;                /* EXPR_OK or EXPR_PARAM_UNSET */
    const struct param_value *pv; /* in force on as_of (NULL if none) */
    struct expr_list list;        /* PARAM_LIST: the items of pv */
    uint8_t kept_state;           /* grandfathered: the same for keep_as_of */
    const struct param_value *kept;
    struct expr_list kept_list;
};

struct expr_bound {
    const struct expr_unit *u;
    int32_t as_of;
    struct expr_bparam *params;               /* per pslot */
    int32_t age_cut[EXPR_AGE_TABLE + 2];      /* age_cut[a]: latest birth date with age >= a */
    int64_t age_cut_wide[EXPR_AGE_TABLE + 2]; /* the same, for the column path's vectors */
    int age_ok;                               /* 0 when as_of is outside the table's range */
};

/* ---- scalar values and operations, shared by both ways of running ---- */

struct expr_xval {
    uint8_t state;   /* enum expr_state */
    int64_t v;       /* bool, int, decimal, money, date; enum facts: their code */
    const char *s;   /* strings */
    const void *ptr; /* lists: struct expr_list; persons: struct person */
};

#define EXPR_DATE_MIN (-719162) /* 0001-01-01 */
#define EXPR_DATE_MAX 2932896   /* 9999-12-31 */

static inline uint8_t expr_state_max(uint8_t a, uint8_t b)
{
    return a > b ? a : b;
}

/* Three-valued and/or: a definite false (and) / true (or) decides whatever the other is. */
static inline void expr_logic_and(uint8_t sa, int64_t va, uint8_t sb, int64_t vb, uint8_t *s,
                                  int64_t *v)
{
    if ((sa == EXPR_OK && va == 0) || (sb == EXPR_OK && vb == 0)) {
        *s = EXPR_OK;
        *v = 0;
    } else if (sa == EXPR_OK && sb == EXPR_OK) {
        *s = EXPR_OK;
        *v = 1;
    } else {
        *s = expr_state_max(sa, sb);
        *v = 0;
    }
}

static inline void expr_logic_or(uint8_t sa, int64_t va, uint8_t sb, int64_t vb, uint8_t *s,
                                 int64_t *v)
{
    if ((sa == EXPR_OK && va != 0) || (sb == EXPR_OK && vb != 0)) {
        *s = EXPR_OK;
        *v = 1;
    } else if (sa == EXPR_OK && sb == EXPR_OK) {
        *s = EXPR_OK;
        *v = 0;
    } else {
        *s = expr_state_max(sa, sb);
        *v = 0;
    }
}

/* The comparison with its sides swapped: a < b is b > a; == and != stay. */
static inline int expr_compare_swapped(int tok)
{
    switch (tok) {
    case T_LT:
        return T_GT;
    case T_LE:
        return T_GE;
    case T_GT:
        return T_LT;
    case T_GE:
        return T_LE;
    default:
        return tok;
    }
}

static inline int64_t expr_compare(int tok, int64_t a, int64_t b)
{
    switch (tok) {
    case T_EQ:
        return a == b;
    case T_NE:
        return a != b;
    case T_LT:
        return a < b;
    case T_LE:
        return a <= b;
    case T_GT:
        return a > b;
    default:
        return a >= b;
    }
}

/* Arithmetic: returns EXPR_OK or EXPR_FAILED (overflow, division by zero). */
uint8_t expr_arith(int op, int64_t a, int64_t b, enum rounding r, int64_t *out);
uint8_t expr_neg(int64_t a, int64_t *out);
uint8_t expr_todec(int64_t a, int64_t *out);

/*
 * Why expr_arith(op, a, b) failed, for explanations: 1 for a division by zero, 0 for an
 * overflow (the result does not fit in 64 bits).
 */
int expr_arith_by_zero(int op, int64_t b);

/*
 * Why a builtin call (X_CALL) or a history helper (X_HIST) failed on arguments that were all
 * OK, for explanations: a static phrase such as "the date would be outside 0001-01-01 to
 * 9999-12-31". args are the evaluated arguments (for X_CALL scale functions, args[1] is x).
 */
const char *expr_call_failure(const struct expr_node *node, const int64_t *args, int n);

/*
 * X_FN functions on whole values (all OK): n arguments in args, the receiver first. Lists are
 * struct expr_list in ptr, strings in s. Gives EXPR_FAILED for an index out of range or text
 * that is no int; matches also on a match that passes its limits.
 */
uint8_t expr_fn_apply(const struct expr_unit *u, const struct expr_node *node,
                      const struct expr_xval *args, int n, struct expr_xval *out);
/* The number of Unicode code points in UTF-8 text (CEL's size of a string). */
int64_t expr_text_size(const char *s);

/* Builtins on scalar arguments (all OK). n arguments in args; node for constants. */
uint8_t expr_builtin_apply(const struct expr_bound *b, const struct expr_node *node,
                           const int64_t *args, int n, int64_t *out);
void expr_age_table_init(struct expr_bound *b);
uint8_t expr_age_years_slow(const struct expr_bound *b, int64_t birth, int64_t *out);

/*
 * age_years(birth) on the bound date by table, as expr_builtin_apply(B_AGE_YEARS) computes it
 * with date_age_years; for the block runner. (as_of - birth) / 366 is never more than the age
 * and, below EXPR_AGE_TABLE years, at most one less, so one table step corrects it.
 */
static inline uint8_t expr_age_years_fast(const struct expr_bound *b, int64_t birth, int64_t *out)
{
    int64_t days = b->as_of - birth;
    if (b->age_ok && days >= 0 && days < (int64_t)EXPR_AGE_TABLE * 365) {
        int64_t a = days / 366;
        a += birth <= b->age_cut[a + 1];
        *out = a;
        return EXPR_OK;
    }
    return expr_age_years_slow(b, birth, out);
}

/* Reads a fact of person p (state MISSING when unset, FAILED for a wrong currency). */
struct expr_xval expr_fact_read(const struct expr_unit *u, int fact, const struct person *p);
/* Reads an extra fact, or its declared default when p does not give it. */
struct expr_xval expr_extra_read(const struct expr_unit *u, int extra, const struct person *p);
/* The value an extra fact's default reads as (state MISSING when it has none). */
struct expr_xval expr_extra_default(const struct expr_unit *u, int extra);
/* 1 if p gives extra fact `extra` (a non-empty value): has() of it. */
int expr_extra_given(const struct expr_unit *u, int extra, const struct person *p);
int expr_fact_given(const struct expr_fact *f, const struct person *p);
/* 1 if item is in the ';'-joined list text. */
int expr_list_text_has(const char *list, const char *item);

/* The value of parameter slot for a person (grandfathering applied); *kept set to 1 when the
 * grandfathered value was used. */
struct expr_xval expr_param_read(const struct expr_bound *b, int slot, const struct person *p,
                                 const struct person_history *h, int *kept);
/*
 * K of a C_ANY_IN (list.exists(x, x in K)): the constant list, or the list parameter's value on
 * b's date, with *state the parameter's state (EXPR_OK for a constant; otherwise K may be
 * NULL).
 */
static inline const struct expr_list *expr_any_in_list(const struct expr_bound *b,
                                                       const struct expr_insn *in, uint8_t *state)
{
    *state = EXPR_OK;
    if (in->sub != 0)
        return in->ptr;
    int kept;
    struct expr_xval l = expr_param_read(b, (int)in->imm, NULL, NULL, &kept);
    *state = l.state;
    return l.ptr;
}

/* A bound parameter value as an xval: lists point at `list`, scales at pv. */
struct expr_xval expr_param_value(const struct expr_unit *u, int slot, const struct param_value *pv,
                                  uint8_t state, const struct expr_list *list);
/* scale_rate / scale_marginal (which: B_SCALE_*) of x over the brackets of pv. */
uint8_t expr_scale_apply(const struct expr_unit *u, int which, const struct param_value *pv,
                         int64_t x, int64_t *out);

/* History helpers; args already evaluated and OK. */
uint8_t expr_hist_apply(const struct expr_bound *b, const struct expr_node *node,
                        const struct person_history *h, const int64_t *args, int n, int64_t *out);
int expr_enrolled_on(const struct expr_unit *u, const struct person_history *h, int32_t day);
int32_t expr_enrolment_from(const struct expr_unit *u, const struct person_history *h,
                            int32_t as_of);

/* ---- the scalar interpreter (expr_trace.c) ---- */

struct expr_ctx {
    const struct expr_bound *b;
    struct expr_scratch *s; /* the scratch it runs on (its arena and household plans) */
    const struct person *p;
    const struct person_history *h;
    struct expr_pool *arena;              /* lists made while running; reset per person */
    const struct expr_xval *named;        /* traced: results of earlier expressions */
    const struct expr_column *cols;       /* block: results of earlier expressions */
    int lane;                             /* block: the person's lane in cols */
    struct buf *trace;                    /* explanation lines, NULL when not explaining */
    int quiet;                            /* > 0 inside list macros: no lines, steps count */
    int told_failure;                     /* a failure inside the current list macro is told */
    int oom;                              /* set when explanation lines ran out of memory */
    int64_t steps;                        /* steps taken inside list macros */
    int64_t max_steps;                    /* the most steps may reach */
    uint8_t stop;                         /* enum expr_stop: why it stopped (sticky) */
    uint8_t *used;                        /* explaining: set [i] when named value i is read */
    const struct person *self[1];         /* household.members of a person without household */
    int members_ready;                    /* 1 once members holds household.members */
    struct expr_list members;             /* household.members, made on first use */
    struct expr_xval vars[EXPR_VARS_MAX]; /* macro variables */
};

struct expr_xval expr_eval(struct expr_ctx *c, int node);

/* Counts n steps against c's budget: 0 (with c->stop set) once they have run out. */
static inline int expr_step(struct expr_ctx *c, int64_t n)
{
    c->steps += n;
    if (c->steps <= c->max_steps)
        return 1;
    c->stop = EXPR_STOP_STEPS;
    return 0;
}

/*
 * Evaluates node for the person in lane `lane` of a block, reading earlier expressions'
 * results from cols. For the block runner's per-person steps. The lane's steps and memory
 * add up over the run's calls; once they reach a limit, the lane's stop is recorded in s and
 * this and every later call for it give EXPR_FAILED. *oom is left as it is: running out of
 * memory is such a stop.
 */
struct expr_value expr_eval_lane(const struct expr_bound *b, struct expr_scratch *s,
                                 const struct person *p, const struct person_history *h,
                                 const struct expr_column *cols, int lane, int node, int *oom);

/* ---- the scratch ---- */

/*
 * Where a register's lanes are while a block runs: its own storage in the scratch, or (after
 * C_NAMED) the result column of an earlier expression, read in place. txt is written only by
 * instructions whose result carries text (expr_insn.text). ok: every lane's state is EXPR_OK.
 */
struct expr_view {
    int64_t *val;
    uint8_t *st;
    const char **txt;
    uint8_t ok;
};

struct expr_scratch {
    const struct expr_unit *u;
    int n_regs;
    int64_t *val;            /* n_regs * EXPR_BLOCK */
    uint8_t *state;          /* n_regs * EXPR_BLOCK */
    const char **text;       /* n_regs * EXPR_BLOCK */
    struct expr_view *views; /* n_regs */
    struct expr_pool arena;
    struct expr_xval *results; /* traced run: one per expression */
    int n_results;             /* expressions the unit had when the scratch was made */
    /* the limits, per lane of the last block run (lane 0 for a traced run); a lane's entries
       hold only while its lane_run is the number of the run (expr_scratch_lane) */
    uint64_t lane_run[EXPR_BLOCK];
    int64_t steps[EXPR_BLOCK];     /* steps taken inside list macros */
    size_t memory[EXPR_BLOCK];     /* arena bytes used: the sum of each per-person step's peak */
    uint8_t stop[EXPR_BLOCK];      /* enum expr_stop */
    int stop_at[EXPR_BLOCK];       /* the expression it was running when it stopped */
    uint64_t run;                  /* runs made on this scratch (plans of unnumbered households
                                      last one run) */
    struct expr_plan_cache *plans; /* household plans, NULL until one is needed */
    struct expr_fused_mem *fused;  /* the column path's (expr_fused.c), NULL until it runs */
};

/* Frees the column path's working memory; accepts NULL. */
void expr_fused_free(struct expr_fused_mem *m);

/*
 * SP_OK if s was made for b's unit after its last expression and n (persons in a block) is
 * 1..EXPR_BLOCK; else SP_BAD_INPUT saying which. For the block runners.
 */
int expr_scratch_check(const struct expr_bound *b, const struct expr_scratch *s, int n,
                       struct error *err);

/* Called when a run starts: gives it a new number (expr_plan_begin). */
void expr_scratch_begin(struct expr_scratch *s, const struct expr_bound *b);
/* Makes lane's limits those of the current run (all 0 at its first use in the run). */
void expr_scratch_lane(struct expr_scratch *s, int lane);

#endif
