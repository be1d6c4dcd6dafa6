/*
 * iso20022.c: pain.001 written and pain.002 read with libxml2 (iso20022.h).
 */
#include "pay/iso20022.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include "base/alloc.h"
#include "base/text.h"

#define ISO_NAME_MAX    140 /* Max140Text */
#define ISO_ID_MAX      35  /* Max35Text */
#define ISO_ACCOUNT_MAX 34

/* ---- writing ---- */

struct sink {
    pay_write_fn write;
    void *ctx;
    struct error *err;
    int failed;
};

static int sink_write(void *ctx, const char *bytes, int n)
{
    struct sink *s = ctx;
    if (s->failed)
        return -1;
    if (s->write(s->ctx, bytes, (size_t)n, s->err) != SP_OK) {
        s->failed = 1;
        return -1;
    }
    return n;
}

static int sink_close(void *ctx)
{
    (void)ctx;
    return 0;
}

/* 1 if account has the form of an IBAN (the XSD's IBAN2007Identifier). */
static int is_iban(const char *a)
{
    size_t n = strlen(a);
    if (n < 5 || n > 34)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        int upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9',
            lower = c >= 'a' && c <= 'z';
        if ((i < 2 && !upper) || (i >= 2 && i < 4 && !digit) ||
            (i >= 4 && !upper && !digit && !lower))
            return 0;
    }
    return 1;
}

/* text cut to at most max bytes, not inside a UTF-8 character. */
static void cut(const char *text, size_t max, char *out, size_t size)
{
    text_copy(out, size, text);
    size_t n = strlen(out);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
            n--;
        out[n] = '\0';
    }
}

#define W(call)                                                                                    \
    do {                                                                                           \
        if ((call) < 0)                                                                            \
            goto failed;                                                                           \
    } while (0)

static int element(xmlTextWriterPtr w, const char *name, const char *text)
{
    return xmlTextWriterWriteElement(w, (const xmlChar *)name, (const xmlChar *)text);
}

static int account(xmlTextWriterPtr w, const char *tag, const char *acct)
{
    if (xmlTextWriterStartElement(w, (const xmlChar *)tag) < 0 ||
        xmlTextWriterStartElement(w, (const xmlChar *)"Id") < 0)
        return -1;
    if (is_iban(acct)) {
        if (element(w, "IBAN", acct) < 0)
            return -1;
    } else if (xmlTextWriterStartElement(w, (const xmlChar *)"Othr") < 0 ||
               element(w, "Id", acct) < 0 || xmlTextWriterEndElement(w) < 0) {
        return -1;
    }
    if (xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0)
        return -1;
    return 0;
}

static int party(xmlTextWriterPtr w, const char *tag, const char *name)
{
    char nm[ISO_NAME_MAX + 1];
    cut(name[0] ? name : "unknown", ISO_NAME_MAX, nm, sizeof nm);
    if (xmlTextWriterStartElement(w, (const xmlChar *)tag) < 0 || element(w, "Nm", nm) < 0 ||
        xmlTextWriterEndElement(w) < 0)
        return -1;
    return 0;
}

static int check_payments(const struct pain001_header *h, const struct payment *const *p, int n,
                          int64_t *sum, struct error *err)
{
    if (n < 1)
        return error_set(err, SP_BAD_INPUT, "a pain.001 needs at least one payment");
    if (strlen(h->msg_id) > ISO_ID_MAX)
        return error_set(err, SP_BAD_INPUT, "message id \"%s\" is longer than 35 characters",
                         h->msg_id);
    if (strlen(h->debtor_account) == 0 || strlen(h->debtor_account) > ISO_ACCOUNT_MAX)
        return error_set(err, SP_BAD_INPUT,
                         "the paying account \"%s\" must have 1 to 34 characters",
                         h->debtor_account);
    *sum = 0;
    for (int i = 0; i < n; i++) {
        if (p[i]->account[0] == '\0' || strlen(p[i]->account) > ISO_ACCOUNT_MAX)
            return error_set(err, SP_BAD_INPUT,
                             "payment %s of %s: the account \"%s\" must have 1 to 34 characters",
                             p[i]->id, p[i]->person, p[i]->account);
        if (p[i]->amount <= 0)
            return error_set(err, SP_BAD_INPUT, "payment %s of %s: the amount is not positive",
                             p[i]->id, p[i]->person);
        if (*sum > INT64_MAX - p[i]->amount)
            return error_set(err, SP_BAD_INPUT, "the payments' sum is too large");
        *sum += p[i]->amount;
    }
    return SP_OK;
}

int pain001_write(const struct pain001_header *h, const struct payment *const *p, int n,
                  pay_write_fn write, void *ctx, struct error *err)
{
    int64_t sum = 0;
    int rc = check_payments(h, p, n, &sum, err);
    if (rc != SP_OK)
        return rc;
    struct sink s = {write, ctx, err, 0};
    xmlOutputBufferPtr out = xmlOutputBufferCreateIO(sink_write, sink_close, &s, NULL);
    xmlTextWriterPtr w = out ? xmlNewTextWriter(out) : NULL;
    if (w == NULL) {
        if (out != NULL)
            xmlOutputBufferClose(out);
        return error_nomem(err);
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, (const xmlChar *)"  ");
    char count[24], total[MONEY_TEXT_MAX], day[DATE_TEXT_SIZE], amount[MONEY_TEXT_MAX],
        e2e[PAY_E2E_SIZE], text[ISO_NAME_MAX + 1], remit[256];
    snprintf(count, sizeof count, "%d", n);
    money_format_digits(sum, h->digits, total, MONEY_TEXT_MAX);
    date_format(h->execution_date, day);
    W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterStartElementNS(w, NULL, (const xmlChar *)"Document",
                                  (const xmlChar *)PAIN001_NS));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"CstmrCdtTrfInitn"));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"GrpHdr"));
    W(element(w, "MsgId", h->msg_id));
    W(element(w, "CreDtTm", h->created_at));
    W(element(w, "NbOfTxs", count));
    W(element(w, "CtrlSum", total));
    W(party(w, "InitgPty", h->initiating));
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"PmtInf"));
    W(element(w, "PmtInfId", h->msg_id));
    W(element(w, "PmtMtd", "TRF"));
    W(element(w, "NbOfTxs", count));
    W(element(w, "CtrlSum", total));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"ReqdExctnDt"));
    W(element(w, "Dt", day));
    W(xmlTextWriterEndElement(w));
    W(party(w, "Dbtr", h->debtor));
    W(account(w, "DbtrAcct", h->debtor_account));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"DbtrAgt"));
    W(xmlTextWriterStartElement(w, (const xmlChar *)"FinInstnId"));
    if (h->debtor_agent != NULL && h->debtor_agent[0] != '\0') {
        W(element(w, "BICFI", h->debtor_agent));
    } else {
        W(xmlTextWriterStartElement(w, (const xmlChar *)"Othr"));
        W(element(w, "Id", "NOTPROVIDED"));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndElement(w));
    for (int i = 0; i < n; i++) {
        W(xmlTextWriterStartElement(w, (const xmlChar *)"CdtTrfTxInf"));
        W(xmlTextWriterStartElement(w, (const xmlChar *)"PmtId"));
        W(element(w, "InstrId", p[i]->id));
        pay_end_to_end_id(p[i]->id, e2e);
        W(element(w, "EndToEndId", e2e));
        W(xmlTextWriterEndElement(w));
        W(xmlTextWriterStartElement(w, (const xmlChar *)"Amt"));
        W(xmlTextWriterStartElement(w, (const xmlChar *)"InstdAmt"));
        W(xmlTextWriterWriteAttribute(w, (const xmlChar *)"Ccy", (const xmlChar *)p[i]->currency));
        money_format_digits(p[i]->amount, h->digits, amount, MONEY_TEXT_MAX);
        W(xmlTextWriterWriteString(w, (const xmlChar *)amount));
        W(xmlTextWriterEndElement(w));
        W(xmlTextWriterEndElement(w));
        W(party(w, "Cdtr", p[i]->creditor));
        W(account(w, "CdtrAcct", p[i]->account));
        W(xmlTextWriterStartElement(w, (const xmlChar *)"RmtInf"));
        snprintf(remit, sizeof remit, "%s %s %s", h->scheme_name ? h->scheme_name : p[i]->scheme,
                 p[i]->period, p[i]->person);
        cut(remit, ISO_NAME_MAX, text, sizeof text);
        W(element(w, "Ustrd", text));
        W(xmlTextWriterEndElement(w));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndDocument(w));
    W(xmlTextWriterFlush(w));
    xmlFreeTextWriter(w);
    return s.failed ? (err->code ? err->code : SP_IO) : SP_OK;
failed:
    xmlFreeTextWriter(w);
    if (s.failed)
        return err->code ? err->code : SP_IO;
    return error_set(err, SP_IO, "writing the pain.001 failed (out of memory?)");
}

/* ---- reading ---- */

static int is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c != NULL; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* The text of element n (trimmed) into out; "" when n is NULL. */
static void text_of(const xmlNode *n, char *out, size_t size)
{
    out[0] = '\0';
    if (n == NULL)
        return;
    xmlChar *t = xmlNodeGetContent(n);
    if (t == NULL)
        return;
    const char *s = (const char *)t;
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
        s++;
    text_copy(out, size, s);
    size_t len = strlen(out);
    while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '\n' || out[len - 1] == '\t' ||
                       out[len - 1] == '\r'))
        out[--len] = '\0';
    xmlFree(t);
}

static int read_tx(const xmlNode *t, const char *name, struct pain002_tx *tx, struct error *err)
{
    memset(tx, 0, sizeof *tx);
    tx->line = (int)xmlGetLineNo(t);
    const xmlNode *e2e = child(t, "OrgnlEndToEndId"), *sts = child(t, "TxSts");
    if (e2e == NULL)
        return error_set(err, SP_BAD_INPUT, "%s:%d: TxInfAndSts without OrgnlEndToEndId", name,
                         tx->line);
    if (sts == NULL)
        return error_set(err, SP_BAD_INPUT, "%s:%d: TxInfAndSts without TxSts", name, tx->line);
    text_of(e2e, tx->end_to_end, sizeof tx->end_to_end);
    text_of(sts, tx->status, sizeof tx->status);
    const xmlNode *rsn = child(t, "StsRsnInf");
    if (rsn != NULL) {
        char code[40] = "", more[PAYMENT_REASON_SIZE] = "";
        const xmlNode *r = child(rsn, "Rsn");
        text_of(child(r, "Cd") ? child(r, "Cd") : child(r, "Prtry"), code, sizeof code);
        text_of(child(rsn, "AddtlInf"), more, sizeof more);
        text_copy(tx->reason, sizeof tx->reason, code);
        if (code[0] && more[0])
            text_copy(tx->reason + strlen(tx->reason), sizeof tx->reason - strlen(tx->reason), " ");
        text_copy(tx->reason + strlen(tx->reason), sizeof tx->reason - strlen(tx->reason), more);
    }
    const xmlNode *amt = child(child(child(t, "OrgnlTxRef"), "Amt"), "InstdAmt");
    if (amt != NULL) {
        tx->has_amount = 1;
        text_of(amt, tx->amount, sizeof tx->amount);
        xmlChar *ccy = xmlGetProp(amt, (const xmlChar *)"Ccy");
        if (ccy != NULL) {
            text_copy(tx->currency, sizeof tx->currency, (const char *)ccy);
            xmlFree(ccy);
        }
    }
    return SP_OK;
}

static int read_doc(const xmlNode *root, const char *name, struct pain002 *out, struct error *err)
{
    if (root == NULL || !is(root, "Document") || root->ns == NULL ||
        xmlStrcmp(root->ns->href, (const xmlChar *)PAIN002_NS) != 0)
        return error_set(err, SP_BAD_INPUT,
                         "%s:%d: not a pain.002.001.10 status report (a "
                         "Document in namespace %s)",
                         name, root ? (int)xmlGetLineNo(root) : 1, PAIN002_NS);
    const xmlNode *rpt = child(root, "CstmrPmtStsRpt");
    const xmlNode *grp = child(rpt, "OrgnlGrpInfAndSts");
    if (rpt == NULL || grp == NULL || child(grp, "OrgnlMsgId") == NULL)
        return error_set(err, SP_BAD_INPUT, "%s:%d: no CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgId",
                         name, (int)xmlGetLineNo(rpt ? rpt : root));
    text_of(child(child(rpt, "GrpHdr"), "MsgId"), out->msg_id, sizeof out->msg_id);
    text_of(child(grp, "OrgnlMsgId"), out->orgnl_msg_id, sizeof out->orgnl_msg_id);
    text_of(child(grp, "GrpSts"), out->group_status, sizeof out->group_status);
    int cap = 0;
    for (const xmlNode *pi = rpt->children; pi != NULL; pi = pi->next) {
        if (!is(pi, "OrgnlPmtInfAndSts"))
            continue;
        for (const xmlNode *t = pi->children; t != NULL; t = t->next) {
            if (!is(t, "TxInfAndSts"))
                continue;
            if (out->n == cap) {
                cap = cap ? cap * 2 : 64;
                struct pain002_tx *grown = sp_reallocarray(out->txs, (size_t)cap, sizeof *grown);
                if (grown == NULL)
                    return error_nomem(err);
                out->txs = grown;
            }
            int rc = read_tx(t, name, &out->txs[out->n], err);
            if (rc != SP_OK)
                return rc;
            out->n++;
        }
    }
    return SP_OK;
}

/* libxml2's last complaint of ctxt, as "name:line: message". */
static int parse_error(xmlParserCtxtPtr ctxt, const char *name, const char *what, struct error *err)
{
    const xmlError *e = ctxt ? &ctxt->lastError : NULL;
    char message[512] = "";
    if (e != NULL && e->message != NULL)
        text_copy(message, sizeof message, e->message);
    size_t n = strlen(message);
    while (n > 0 && message[n - 1] == '\n')
        message[--n] = '\0';
    return error_set(err, SP_BAD_INPUT, "%s:%d: %s: %s", name, e ? e->line : 0, what,
                     message[0] ? message : "unreadable");
}

int pain002_read(const char *bytes, size_t size, const char *name, struct pain002 *out,
                 struct error *err)
{
    memset(out, 0, sizeof *out);
    if (size > (size_t)INT32_MAX)
        return error_set(err, SP_BAD_INPUT, "%s: too large for a status report", name);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return error_nomem(err);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, bytes, (int)size, name, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int rc = doc == NULL ? parse_error(ctxt, name, "malformed XML", err)
                         : read_doc(xmlDocGetRootElement(doc), name, out, err);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    if (rc != SP_OK)
        pain002_release(out);
    return rc;
}

void pain002_release(struct pain002 *r)
{
    if (r == NULL)
        return;
    sp_free(r->txs);
    memset(r, 0, sizeof *r);
}

/* ---- validation ---- */

struct first_error {
    char text[512];
    int line;
};

static void keep_first(void *ctx, const xmlError *e)
{
    struct first_error *f = ctx;
    if (f->text[0] != '\0' || e == NULL || e->message == NULL)
        return;
    text_copy(f->text, sizeof f->text, e->message);
    size_t n = strlen(f->text);
    while (n > 0 && f->text[n - 1] == '\n')
        f->text[--n] = '\0';
    f->line = e->line;
}

int pay_xsd_validate(const char *xsd_path, const char *bytes, size_t size, struct error *err)
{
    struct first_error first = {"", 0};
    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewParserCtxt(xsd_path);
    xmlSchemaPtr schema = NULL;
    if (pctxt != NULL) {
        xmlSchemaSetParserStructuredErrors(pctxt, (xmlStructuredErrorFunc)keep_first, &first);
        schema = xmlSchemaParse(pctxt);
        xmlSchemaFreeParserCtxt(pctxt);
    }
    if (schema == NULL)
        return error_set(err, SP_IO, "%s: cannot read the schema: %s", xsd_path,
                         first.text[0] ? first.text : "unreadable");
    int rc = SP_OK;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc =
        ctxt ? xmlCtxtReadMemory(ctxt, bytes, (int)size, "document", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
             : NULL;
    if (doc == NULL) {
        rc = parse_error(ctxt, "document", "malformed XML", err);
    } else {
        xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
        if (v == NULL) {
            rc = error_nomem(err);
        } else {
            xmlSchemaSetValidStructuredErrors(v, (xmlStructuredErrorFunc)keep_first, &first);
            if (xmlSchemaValidateDoc(v, doc) != 0)
                rc = error_set(err, SP_BAD_INPUT, "line %d: %s", first.line,
                               first.text[0] ? first.text : "not valid against the schema");
            xmlSchemaFreeValidCtxt(v);
        }
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    xmlSchemaFree(schema);
    return rc;
}
