#include "common.h"
#include "keys.h"
#define STUB(n) int n(int argc, char **argv) { (void)argc; (void)argv; return fail("not yet"); }

STUB(cmd_inspect) STUB(cmd_crl) STUB(cmd_ocsp)
bool parse_reason(const char *text, tsvc_crl_reason *out) { (void)text; (void)out; return false; }
