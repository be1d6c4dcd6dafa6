/*
 * Unit tests for registry/card: the SVG is well-formed XML, shows the name (escaped) and the
 * grouped worker ID, and its QR group reproduces libqrencode's symbol module for module.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "registry/card.h"

#define QR_MAX 177

/* A registered-looking person: worker 000000000019 (serial 1 and its Verhoeff check digit). */
static void sample_person(struct person *p, const char *given, const char *family)
{
    struct error err;
    error_init(&err);
    person_init(p);
    assert_int_equal(worker_id_format(1, p->id, &err), SP_OK);
    text_copy(p->given_name, sizeof p->given_name, given);
    text_copy(p->family_name, sizeof p->family_name, family);
    text_copy(p->country, sizeof p->country, "NP");
    p->sex = SEX_FEMALE;
    assert_int_equal(date_parse("1961-04-13", &p->birth_date, &err), SP_OK);
}

/* Writes p's card and returns it (the caller releases the buffer). */
static void card_of(const struct person *p, struct buf *svg)
{
    struct error err;
    error_init(&err);
    buf_init(svg, CARD_SVG_MAX);
    assert_int_equal(card_write_svg(p, svg, &err), SP_OK);
}

static xmlDocPtr parse_svg(const struct buf *svg)
{
    xmlDocPtr doc = xmlReadMemory(svg->data, (int)svg->len, "card.svg", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    assert_non_null(doc); /* NULL means the SVG is not well-formed XML */
    return doc;
}

static xmlNodePtr find_by_id(xmlNodePtr node, const char *id)
{
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE) {
            xmlChar *value = xmlGetProp(node, (const xmlChar *)"id");
            int match = value && strcmp((const char *)value, id) == 0;
            xmlFree(value);
            if (match)
                return node;
            xmlNodePtr inside = find_by_id(node->children, id);
            if (inside)
                return inside;
        }
    }
    return NULL;
}

static int int_prop(xmlNodePtr node, const char *name)
{
    xmlChar *value = xmlGetProp(node, (const xmlChar *)name);
    assert_non_null(value);
    long long v = 0;
    int ok = text_parse_int64((const char *)value, &v);
    xmlFree(value);
    assert_true(ok);
    return (int)v;
}

/*
 * Paints the dark runs of the card's QR group into bits (width x width), failing on any rect
 * outside the symbol. Returns the symbol width the group declares; *rects counts the runs.
 */
static int read_qr(xmlDocPtr doc, unsigned char bits[QR_MAX][QR_MAX], int *rects)
{
    xmlNodePtr group = find_by_id(xmlDocGetRootElement(doc), "qr");
    assert_non_null(group);
    int width = int_prop(group, "data-modules");
    assert_true(width >= 21 && width <= QR_MAX);
    memset(bits, 0, QR_MAX * QR_MAX);
    *rects = 0;
    for (xmlNodePtr r = group->children; r; r = r->next) {
        if (r->type != XML_ELEMENT_NODE)
            continue;
        assert_string_equal((const char *)r->name, "rect");
        xmlChar *fill = xmlGetProp(r, (const xmlChar *)"fill");
        int background = fill != NULL;
        xmlFree(fill);
        if (background) /* the white quiet zone */
            continue;
        int x = int_prop(r, "x"), y = int_prop(r, "y");
        int w = int_prop(r, "width"), h = int_prop(r, "height");
        assert_true(x >= 0 && y >= 0 && w >= 1 && h >= 1);
        assert_true(x + w <= width && y + h <= width);
        for (int j = y; j < y + h; j++)
            for (int i = x; i < x + w; i++)
                bits[j][i] = 1;
        (*rects)++;
    }
    return width;
}

/* 1 if the 7x7 finder pattern (dark ring, light ring, dark 3x3 core) sits at (x, y). */
static int finder_at(unsigned char bits[QR_MAX][QR_MAX], int x, int y)
{
    for (int j = 0; j < 7; j++) {
        for (int i = 0; i < 7; i++) {
            int ring = i == 0 || i == 6 || j == 0 || j == 6;
            int core = i >= 2 && i <= 4 && j >= 2 && j <= 4;
            if (bits[y + j][x + i] != (ring || core))
                return 0;
        }
    }
    return 1;
}

static void qr_group_reproduces_the_symbol_of_the_worker_id(void **state)
{
    (void)state;
    struct person p;
    sample_person(&p, "Sita", "Sharma");
    struct buf svg;
    card_of(&p, &svg);
    xmlDocPtr doc = parse_svg(&svg);
    static unsigned char bits[QR_MAX][QR_MAX];
    int rects = 0;
    int width = read_qr(doc, bits, &rects);

    QRcode *qr = QRcode_encodeString(p.id, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(qr);
    assert_int_equal(width, qr->width);
    int dark = 0;
    for (int y = 0; y < qr->width; y++) {
        for (int x = 0; x < qr->width; x++) {
            int want = qr->data[y * qr->width + x] & 1;
            dark += want;
            if (bits[y][x] != want)
                fail_msg("module (%d, %d) is %d on the card, %d in the symbol", x, y, bits[y][x],
                         want);
        }
    }
    QRcode_free(qr);
    /* the three finder patterns: top left, top right, bottom left */
    assert_true(finder_at(bits, 0, 0));
    assert_true(finder_at(bits, width - 7, 0));
    assert_true(finder_at(bits, 0, width - 7));
    assert_false(finder_at(bits, width - 7, width - 7));
    /* runs are merged: one rect per run, not per dark module (129 for 216 here) */
    assert_true(rects <= dark * 2 / 3);
    xmlFreeDoc(doc);
    buf_release(&svg);
}

static void card_is_id1_sized_and_shows_name_id_country_and_birth_date(void **state)
{
    (void)state;
    struct person p;
    sample_person(&p, "Sita", "Sharma");
    struct buf svg;
    card_of(&p, &svg);
    xmlDocPtr doc = parse_svg(&svg);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "svg");
    xmlChar *box = xmlGetProp(root, (const xmlChar *)"viewBox");
    assert_string_equal((const char *)box, "0 0 85.6 54");
    xmlFree(box);
    xmlFreeDoc(doc);
    assert_non_null(strstr(svg.data, ">Sita Sharma</text>"));
    assert_non_null(strstr(svg.data, ">0000 0000 0019</text>"));
    assert_non_null(strstr(svg.data, ">NP</text>"));
    assert_non_null(strstr(svg.data, ">1961-04-13</text>"));
    buf_release(&svg);
}

static void markup_in_a_name_is_escaped(void **state)
{
    (void)state;
    struct person p;
    sample_person(&p, "Ana <&>", "O'Brien \"Jr\"");
    struct buf svg;
    card_of(&p, &svg);
    xmlDocPtr doc = parse_svg(&svg);
    xmlFreeDoc(doc);
    assert_non_null(strstr(svg.data, "Ana &lt;&amp;&gt; O&#39;Brien &quot;Jr&quot;"));
    assert_null(strstr(svg.data, "<&>"));
    buf_release(&svg);
}

static void a_long_name_is_fitted_and_non_ascii_survives(void **state)
{
    (void)state;
    struct person p;
    sample_person(&p, "सीता कुमारी", "Bahadur Shrestha Maharjan Tamang Gurung Rai Limbu");
    struct buf svg;
    card_of(&p, &svg);
    xmlDocPtr doc = parse_svg(&svg);
    xmlFreeDoc(doc);
    assert_non_null(strstr(svg.data, "सीता कुमारी Bahadur"));
    assert_non_null(strstr(svg.data, "textLength="));
    buf_release(&svg);
}

static void a_person_without_an_id_has_no_card(void **state)
{
    (void)state;
    struct person p;
    sample_person(&p, "Sita", "Sharma");
    p.id[0] = '\0';
    struct buf svg;
    buf_init(&svg, CARD_SVG_MAX);
    struct error err;
    error_init(&err);
    assert_int_equal(card_write_svg(&p, &svg, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "no worker ID"));
    buf_release(&svg);
}

static void ids_are_grouped_in_fours(void **state)
{
    (void)state;
    char out[CARD_ID_TEXT_SIZE];
    card_group_id("000000000017", out, sizeof out);
    assert_string_equal(out, "0000 0000 0017");
    card_group_id("p1", out, sizeof out);
    assert_string_equal(out, "p1");
    char tiny[7];
    card_group_id("000000000017", tiny, sizeof tiny);
    assert_string_equal(tiny, "0000 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(qr_group_reproduces_the_symbol_of_the_worker_id),
        cmocka_unit_test(card_is_id1_sized_and_shows_name_id_country_and_birth_date),
        cmocka_unit_test(markup_in_a_name_is_escaped),
        cmocka_unit_test(a_long_name_is_fitted_and_non_ascii_survives),
        cmocka_unit_test(a_person_without_an_id_has_no_card),
        cmocka_unit_test(ids_are_grouped_in_fours),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return failed;
}
