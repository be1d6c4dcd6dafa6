/*
 * card.h: a worker's printable card, as an SVG image of an ID-1 card (85.6 x 54 mm, the size
 * of a bank card) with the name, the worker ID grouped for reading, the country, the birth date
 * and a QR code of the worker ID.
 *
 * The QR code is libqrencode's (ECC level M, 8-bit hint) drawn as one <rect> per run of dark
 * modules in a row, inside <g id="qr" data-modules="W"> whose user units are modules (W is the
 * symbol's width; a 4-module quiet zone surrounds it). Text is XML-escaped.
 */
#ifndef SPFLOOR_REGISTRY_CARD_H
#define SPFLOOR_REGISTRY_CARD_H

#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/person.h"

#define CARD_ID_TEXT_SIZE 48 /* a grouped id: "0000 0000 0017" and longer situation ids */
#define CARD_SVG_MAX      (1024 * 1024) /* the most bytes a card's SVG takes */

/*
 * Writes id grouped in fours from the left for reading aloud ("000000000017" ->
 * "0000 0000 0017"). Ids longer than fits are cut. Cannot fail.
 */
void card_group_id(const char *id, char *out, size_t size);

/*
 * Appends the card of p (which must have an id) to out as a complete SVG document.
 * Returns SP_OK; SP_BAD_INPUT when p has no id; SP_IO when the QR code cannot be made or
 * memory runs out. On failure out may hold part of a document: the caller discards it.
 */
int card_write_svg(const struct person *p, struct buf *out, struct error *err);

#endif
