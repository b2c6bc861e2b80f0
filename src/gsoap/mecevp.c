/* mecevp.c - compiles gSOAP's plugin/mecevp.c from $(GSOAP_SHARE). */
#include "plugin/mecevp.c"
