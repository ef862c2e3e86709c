#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H

#include <libpq-fe.h>

/* The PG_DIAG_* field codes are character-literal macros that Swift cannot import. */
static const int CLIBPQ_DIAG_SEVERITY = 'S';
static const int CLIBPQ_DIAG_SQLSTATE = 'C';
static const int CLIBPQ_DIAG_MESSAGE_PRIMARY = 'M';
static const int CLIBPQ_DIAG_MESSAGE_DETAIL = 'D';
static const int CLIBPQ_DIAG_MESSAGE_HINT = 'H';
static const int CLIBPQ_DIAG_CONSTRAINT_NAME = 'n';
static const int CLIBPQ_DIAG_CONTEXT = 'W';

#endif
