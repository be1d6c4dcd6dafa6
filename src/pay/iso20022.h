/*
 * iso20022.h: the bank files of ISO 20022 (docs/payroll.md "Bank files"), written and read with
 * libxml2: pain.001.001.09 (CustomerCreditTransferInitiationV09), the credit transfers a
 * payroll batch asks the bank to make, and pain.002.001.10 (CustomerPaymentStatusReportV10),
 * the bank's report of what became of them.
 *
 * Amounts are exact: minor units written with the currency's decimal places, and CtrlSum is
 * their sum to the last minor unit. Only this layer links libxml2.
 */
#ifndef SPFLOOR_PAY_ISO20022_H
#define SPFLOOR_PAY_ISO20022_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "pay/payment.h"

#define PAIN001_NS "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
#define PAIN002_NS "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"

/* What a pain.001 says besides its transactions. The strings are the caller's. */
struct pain001_header {
    const char *msg_id;         /* MsgId, and PmtInfId: the batch id (at most 35 characters) */
    const char *created_at;     /* CreDtTm, "2025-03-01T10:00:00Z" */
    const char *initiating;     /* InitgPty/Nm: the paying agency */
    const char *debtor;         /* Dbtr/Nm */
    const char *debtor_account; /* DbtrAcct: an IBAN, else another account id */
    const char *debtor_agent;   /* DbtrAgt/FinInstnId/BICFI, or NULL (then "NOTPROVIDED") */
    int32_t execution_date;     /* ReqdExctnDt/Dt */
    int digits;                 /* the currency's decimal places */
    const char *scheme_name;    /* remittance text: "<scheme name> <period>" */
};

/* Receives the file's bytes in order; non-zero stops the writing (err set by it). */
typedef int (*pay_write_fn)(void *ctx, const void *bytes, size_t n, struct error *err);

/*
 * Writes a pain.001.001.09 with one PmtInf holding the n payments (n >= 1), in the order given:
 * EndToEndId from each instruction id (pay_end_to_end_id), InstdAmt with its currency,
 * Cdtr/Nm (p->creditor), CdtrAcct (p->account: IBAN when it is one), RmtInf/Ustrd naming the
 * scheme and period. SP_BAD_INPUT when a payment has no account, a non-positive amount, or the
 * sum overflows; SP_IO when out of memory, or write's failure.
 */
int pain001_write(const struct pain001_header *h, const struct payment *const *payments, int n,
                  pay_write_fn write, void *ctx, struct error *err);

/* One transaction's status in a pain.002. */
struct pain002_tx {
    char end_to_end[PAY_E2E_SIZE];    /* OrgnlEndToEndId */
    char status[8];                   /* TxSts: ACCP, ACSC, ACSP, RJCT, PDNG ... */
    char reason[PAYMENT_REASON_SIZE]; /* StsRsnInf/Rsn/Cd (or Prtry), and AddtlInf: "AC04 closed" */
    int has_amount;                   /* 1 when OrgnlTxRef/Amt/InstdAmt is given */
    char amount[MONEY_TEXT_MAX];      /* its text, as written */
    char currency[CURRENCY_CODE_SIZE];
    int line; /* of its TxInfAndSts */
};

struct pain002 {
    char msg_id[PAYMENT_BATCH_SIZE];       /* GrpHdr/MsgId */
    char orgnl_msg_id[PAYMENT_BATCH_SIZE]; /* OrgnlGrpInfAndSts/OrgnlMsgId */
    char group_status[8];                  /* OrgnlGrpInfAndSts/GrpSts, or "" */
    struct pain002_tx *txs;                /* n of them, in file order */
    int n;
};

/*
 * Reads a pain.002.001.10 from bytes[0..size-1] (`name` is the file, for messages). On success
 * *out holds it; the caller frees it with pain002_release. SP_BAD_INPUT, with
 * "name:line: ..." when the XML is malformed (libxml2's words), is not a pain.002.001.10, or a
 * TxInfAndSts lacks OrgnlEndToEndId or TxSts; SP_IO when out of memory.
 */
int pain002_read(const char *bytes, size_t size, const char *name, struct pain002 *out,
                 struct error *err);
void pain002_release(struct pain002 *r); /* accepts an emptied one */

/*
 * Validates the XML document bytes[0..size-1] against the XML schema at xsd_path. SP_BAD_INPUT
 * with the first complaint ("line N: ...") when it is not valid; SP_IO when the schema cannot
 * be read.
 */
int pay_xsd_validate(const char *xsd_path, const char *bytes, size_t size, struct error *err);

#endif
