#ifndef CXLSXWRITER_SHIM_H
#define CXLSXWRITER_SHIM_H

/* libxlsxwriter (Debian's libxlsxwriter-dev): Excel files written by a well-kept C library. */
#include <xlsxwriter.h>

#endif
