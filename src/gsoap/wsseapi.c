/* wsseapi.c - compiles gSOAP's plugin/wsseapi.c from $(GSOAP_SHARE). */
#include "plugin/wsseapi.c"
