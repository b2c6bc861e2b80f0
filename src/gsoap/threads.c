/* threads.c - compiles gSOAP's plugin/threads.c from $(GSOAP_SHARE). */
#include "plugin/threads.c"
