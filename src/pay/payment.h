/*
 * payment.h: the rules of a payment instruction (model/payment.h; docs/payroll.md "Payment
 * states"): created by a payroll run, exported in a bank file, then accepted, rejected or
 * settled as the bank reports, or cancelled by an operator; its ids; its amounts as text.
 *
 *   created  -> exported, cancelled
 *   exported -> accepted, rejected, settled, cancelled
 *   accepted -> settled, rejected
 *   rejected, settled, cancelled: final
 *
 * A rejected payment may be re-issued: a new instruction for the same person, scheme and
 * period that names the first (reissue_of). A settled one never is.
 *
 * Pure: no allocation, no I/O.
 */
#ifndef SPFLOOR_PAY_PAYMENT_H
#define SPFLOOR_PAY_PAYMENT_H

#include <stdint.h>

#include "base/date.h"
#include "base/error.h"
#include "base/money.h"
#include "model/payment.h"

#define PAY_ID_SIZE  PAYMENT_ID_SIZE
#define PAY_E2E_SIZE 36 /* an EndToEndId (ISO 20022 Max35Text) and the NUL */

/* 1 if a payment in state `from` may move to `to` (the diagram above). */
int pay_state_can_move(enum payment_state from, enum payment_state to);

/* 1 if a payment in state s may be re-issued (rejected only). */
int pay_state_can_reissue(enum payment_state s);

/*
 * The instruction id of the payment of (person, scheme, period) made on attempt `attempt`
 * (0: the original; n: the n-th re-issue): "I" and 16 hex digits of a hash of the four, the
 * same every time it is asked for, so a payroll run again names the same instructions.
 */
void pay_instruction_id(const char *person, const char *scheme, const char *period, int attempt,
                        char out[PAY_ID_SIZE]);

/* The EndToEndId of an instruction in a bank file: "SPF" and the instruction id. */
void pay_end_to_end_id(const char *instruction, char out[PAY_E2E_SIZE]);

/* The instruction id an EndToEndId names; SP_BAD_INPUT when it is not one spfloor wrote. */
int pay_instruction_of(const char *end_to_end, char out[PAY_ID_SIZE], struct error *err);

/*
 * Reads such an amount into minor units of a currency with `digits` places. SP_BAD_INPUT
 * when it has more places than that, a sign, or anything but digits and one point.
 */
int pay_amount_parse(const char *text, int digits, int64_t *out, struct error *err);

#endif
