/* text-json.h - JSON values built from device data (src/ and the
 * programs in cli/, which print JSON; never ui/).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * jansson refuses invalid UTF-8 (json_string() returns NULL) and NaN or
 * infinite numbers (json_real() returns NULL), and json_object_set_new()
 * then drops the key without a word.  Everything a device said goes into
 * JSON through these two, so that no key is ever lost.
 */
#ifndef VIGIA_TEXT_JSON_H
#define VIGIA_TEXT_JSON_H

#include <jansson.h>

/* s repaired as vg_text_utf8() does (U+FFFD for what is not valid
 * UTF-8), as a JSON string; null for NULL.  Never NULL. */
json_t *vg_json_text(const char *s);
/* d as a JSON number; null if it is NaN or infinite.  Never NULL. */
json_t *vg_json_real(double d);

#endif /* VIGIA_TEXT_JSON_H */
