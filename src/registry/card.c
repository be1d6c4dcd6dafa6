/*
 * card.c: the worker card as SVG (see card.h).
 *
 * Geometry is integer micrometres printed as millimetres, so the output is the same on every
 * machine. The layout: a coloured band on top, the name, the worker ID, country and birth date
 * on the left, and the QR code on the right.
 */
#include "registry/card.h"

#include <errno.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"

#define CARD_W_UM      85600 /* ID-1 card width in micrometres */
#define CARD_H_UM      54000
#define CARD_RADIUS_UM 3180
#define BAND_H_UM      10000
#define MARGIN_UM      5000
#define QR_SIDE_UM     26000 /* the QR code with its quiet zone */
#define QR_QUIET       4     /* modules of quiet zone on each side */
#define NAME_FONT_UM   4200  /* the name's font size when it fits */
#define NAME_FONT_MIN  2600  /* the smallest it shrinks to before it is squeezed */
#define CHAR_WIDTH_PCT 58    /* a glyph's average width, in percent of the font size */
#define NAME_TEXT_SIZE (2 * PERSON_NAME_SIZE + 1)

/* Appends micrometres as millimetres ("85.6", "3.18", "12"). */
static int put_mm(struct buf *b, long um, struct error *err)
{
    const char *sign = um < 0 ? "-" : "";
    unsigned long v = um < 0 ? (unsigned long)-um : (unsigned long)um;
    unsigned long whole = v / 1000, frac = v % 1000;
    if (frac == 0)
        return buf_printf(b, err, "%s%lu", sign, whole);
    int digits = 3;
    while (frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    return buf_printf(b, err, "%s%lu.%0*lu", sign, whole, digits, frac);
}

/* Code points in a UTF-8 string (bytes that do not continue a sequence). */
static long count_chars(const char *s)
{
    long n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void card_group_id(const char *id, char *out, size_t size)
{
    size_t o = 0, n = strlen(id);
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        if (i > 0 && i % 4 == 0 && o + 2 < size)
            out[o++] = ' ';
        out[o++] = id[i];
    }
    out[o] = '\0';
}

/* Appends <text x y font-size ...>content</text>. */
static int put_text(struct buf *b, long x, long y, long size_um, const char *attrs,
                    const char *content, struct error *err)
{
    int rc = buf_puts(b, "<text x=\"", err);
    if (rc == SP_OK)
        rc = put_mm(b, x, err);
    if (rc == SP_OK)
        rc = buf_puts(b, "\" y=\"", err);
    if (rc == SP_OK)
        rc = put_mm(b, y, err);
    if (rc == SP_OK)
        rc = buf_puts(b, "\" font-size=\"", err);
    if (rc == SP_OK)
        rc = put_mm(b, size_um, err);
    if (rc == SP_OK)
        rc = buf_printf(b, err, "\"%s%s>", attrs[0] ? " " : "", attrs);
    if (rc == SP_OK)
        rc = buf_put_xml(b, content, err);
    return rc == SP_OK ? buf_puts(b, "</text>\n", err) : rc;
}

/* The name line: shrunk, then squeezed with textLength, so a long name stays on the card. */
static int put_name(struct buf *b, const char *name, long width_um, struct error *err)
{
    long chars = count_chars(name);
    long font = NAME_FONT_UM;
    if (chars > 0 && chars * font * CHAR_WIDTH_PCT / 100 > width_um)
        font = width_um * 100 / (chars * CHAR_WIDTH_PCT);
    if (font < NAME_FONT_MIN)
        font = NAME_FONT_MIN;
    char attrs[96];
    if (chars * font * CHAR_WIDTH_PCT / 100 > width_um) {
        char len[32];
        struct buf tmp;
        buf_init(&tmp, sizeof len - 1);
        int rc = put_mm(&tmp, width_um, err);
        if (rc != SP_OK)
            return rc;
        text_copy(len, sizeof len, tmp.data);
        buf_release(&tmp);
        snprintf(attrs, sizeof attrs,
                 "font-weight=\"bold\" textLength=\"%s\" lengthAdjust=\"spacingAndGlyphs\"", len);
    } else {
        text_copy(attrs, sizeof attrs, "font-weight=\"bold\"");
    }
    return put_text(b, MARGIN_UM, 20000, font, attrs, name, err);
}

/* The QR code as runs of dark modules, in a group scaled so one user unit is one module. */
static int put_qr(struct buf *b, const QRcode *qr, long x_um, long y_um, struct error *err)
{
    int w = qr->width;
    long module_um = QR_SIDE_UM / (w + 2 * QR_QUIET);
    long quiet_um = module_um * QR_QUIET;
    int rc = buf_puts(b, "<g id=\"qr\" transform=\"translate(", err);
    if (rc == SP_OK)
        rc = put_mm(b, x_um + quiet_um, err);
    if (rc == SP_OK)
        rc = buf_putc(b, ' ', err);
    if (rc == SP_OK)
        rc = put_mm(b, y_um + quiet_um, err);
    if (rc == SP_OK)
        rc = buf_puts(b, ") scale(", err);
    if (rc == SP_OK)
        rc = put_mm(b, module_um, err);
    if (rc == SP_OK)
        rc = buf_printf(b, err,
                        ")\" data-modules=\"%d\" shape-rendering=\"crispEdges\">\n"
                        "<rect x=\"-%d\" y=\"-%d\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
                        w, QR_QUIET, QR_QUIET, w + 2 * QR_QUIET, w + 2 * QR_QUIET);
    for (int y = 0; y < w && rc == SP_OK; y++) {
        const unsigned char *row = qr->data + (size_t)y * (size_t)w;
        for (int x = 0; x < w && rc == SP_OK;) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (row[x + run] & 1))
                run++;
            rc = buf_printf(b, err, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"1\"/>\n", x, y,
                            run);
            x += run;
        }
    }
    return rc == SP_OK ? buf_puts(b, "</g>\n", err) : rc;
}

static int put_card(struct buf *b, const struct person *p, const QRcode *qr, struct error *err)
{
    char name[NAME_TEXT_SIZE];
    snprintf(name, sizeof name, "%s%s%s", p->given_name,
             p->given_name[0] && p->family_name[0] ? " " : "", p->family_name);
    char grouped[CARD_ID_TEXT_SIZE];
    card_group_id(p->id, grouped, sizeof grouped);
    char birth[DATE_TEXT_SIZE] = "-";
    if (p->birth_date != DATE_NONE)
        date_format(p->birth_date, birth);
    long qr_x = CARD_W_UM - MARGIN_UM - QR_SIDE_UM + 2000;
    long qr_y = BAND_H_UM + (CARD_H_UM - BAND_H_UM - QR_SIDE_UM) / 2;

    int rc = buf_puts(b,
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"85.6mm\" "
                      "height=\"54mm\" viewBox=\"0 0 85.6 54\" "
                      "font-family=\"DejaVu Sans, Arial, sans-serif\" fill=\"#111\">\n"
                      "<title>",
                      err);
    if (rc == SP_OK)
        rc = buf_put_xml(b, name, err);
    if (rc == SP_OK)
        rc = buf_printf(b, err, " - worker %s</title>\n", grouped);
    if (rc == SP_OK)
        rc = buf_puts(b,
                      "<defs><clipPath id=\"edge\"><rect width=\"85.6\" height=\"54\" "
                      "rx=\"3.18\"/></clipPath></defs>\n"
                      "<g clip-path=\"url(#edge)\">\n"
                      "<rect width=\"85.6\" height=\"54\" fill=\"#fff\"/>\n"
                      "<rect width=\"85.6\" height=\"10\" fill=\"#1b4d3e\"/>\n"
                      "</g>\n"
                      "<rect x=\"0.15\" y=\"0.15\" width=\"85.3\" height=\"53.7\" rx=\"3.1\" "
                      "fill=\"none\" stroke=\"#1b4d3e\" stroke-width=\"0.3\"/>\n",
                      err);
    if (rc == SP_OK)
        rc = put_text(b, MARGIN_UM, 6600, 3600, "font-weight=\"bold\" fill=\"#fff\"",
                      "Social protection card", err);
    if (rc == SP_OK)
        rc = put_name(b, name, qr_x - 2 * MARGIN_UM + 2000, err);
    if (rc == SP_OK)
        rc = put_text(b, MARGIN_UM, 26500, 2200, "fill=\"#555\"", "Worker ID", err);
    if (rc == SP_OK)
        rc = put_text(b, MARGIN_UM, 32000, 4600,
                      "font-family=\"DejaVu Sans Mono, monospace\" letter-spacing=\"0.2\"", grouped,
                      err);
    if (rc == SP_OK)
        rc = put_text(b, MARGIN_UM, 39500, 2200, "fill=\"#555\"", "Country", err);
    if (rc == SP_OK)
        rc = put_text(b, MARGIN_UM, 44000, 3600, "", p->country[0] ? p->country : "-", err);
    if (rc == SP_OK)
        rc = put_text(b, MARGIN_UM + 16000, 39500, 2200, "fill=\"#555\"", "Born", err);
    if (rc == SP_OK)
        rc = put_text(b, MARGIN_UM + 16000, 44000, 3600, "", birth, err);
    if (rc == SP_OK)
        rc = put_qr(b, qr, qr_x, qr_y, err);
    return rc == SP_OK ? buf_puts(b, "</svg>\n", err) : rc;
}

int card_write_svg(const struct person *p, struct buf *out, struct error *err)
{
    if (p->id[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "the person has no worker ID yet: register first");
    errno = 0;
    QRcode *qr = QRcode_encodeString(p->id, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL)
        return errno == ENOMEM ? error_nomem(err)
                               : error_set(err, SP_IO, "cannot make the QR code of %s: %s", p->id,
                                           strerror(errno));
    int rc = put_card(out, p, qr, err);
    QRcode_free(qr);
    return rc;
}
