/*
 * libdmarc - reading the value of each known record tag.  Never installed.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_RECORD_VALUES_H
#define DMARC_RECORD_VALUES_H

#include "record_int.h"

/* Read the value [vs, ve) of tag id into st; false (with a diagnostic)
 * when the value is not usable and the default stays. */
bool dmarc__parse_value(struct parse_state *st, uint8_t id, size_t vs,
    size_t ve);

#endif /* DMARC_RECORD_VALUES_H */
