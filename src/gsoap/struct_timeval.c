/* struct_timeval.c - compiles gSOAP's custom/struct_timeval.c (wsse needs it). */
#include "custom/struct_timeval.c"
