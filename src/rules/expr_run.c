/* expr_run.c: the block runner. */
#include "base/alloc.h"
#include "rules/expr_impl.h"

int expr_run_block(const struct expr_bound *b, struct expr_scratch *s,
                   const struct person *const *persons,
                   const struct person_history *const *histories, int n, struct expr_column *out,
                   struct error *err)
{
    const struct expr_unit *u = b->u;
    int oom = 0;
    for (int i = 0; i < u->n_defs; i++) {
        for (int lane = 0; lane < n; lane++) {
            struct expr_value v =
                expr_eval_lane(b, s, persons[lane], histories ? histories[lane] : NULL, out, lane,
                               u->defs[i].root, &oom);
            out[i].state[lane] = v.state;
            out[i].value[lane] = v.value;
            out[i].text[lane] = v.text;
        }
    }
    return oom ? error_nomem(err) : SP_OK;
}
