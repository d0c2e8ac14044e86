/*
 * libdmarc - umbrella header.  Include this one.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef DMARC_DMARC_H
#define DMARC_DMARC_H

#include <dmarc/common.h>
#include <dmarc/context.h>
#include <dmarc/diag.h>
#include <dmarc/record.h>
#include <dmarc/domain.h>
#include <dmarc/dns.h>
#include <dmarc/discovery.h>
#include <dmarc/resolver.h>
#include <dmarc/authres.h>
#include <dmarc/eval.h>
#include <dmarc/keyword.h>
#include <dmarc/report.h>
#include <dmarc/spool.h>
#include <dmarc/reader.h>

#endif /* DMARC_DMARC_H */
