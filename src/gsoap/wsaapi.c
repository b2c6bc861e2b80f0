/* wsaapi.c - compiles gSOAP's plugin/wsaapi.c from $(GSOAP_SHARE). */
#include "plugin/wsaapi.c"
