/* placeholder */
#include "diag_rules.h"
void diag_alias_rules(struct diag_ctx *c) { (void)c; }
