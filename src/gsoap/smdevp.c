/* smdevp.c - compiles gSOAP's plugin/smdevp.c from $(GSOAP_SHARE). */
#include "plugin/smdevp.c"
