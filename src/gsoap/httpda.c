/* httpda.c - compiles gSOAP's plugin/httpda.c from $(GSOAP_SHARE). */
#include "plugin/httpda.c"
