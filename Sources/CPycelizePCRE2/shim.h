/* PCRE2 with 8-bit code units (UTF-8). pcre2.h selects its API names by this macro, which Swift cannot set. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
