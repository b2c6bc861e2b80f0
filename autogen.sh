#!/bin/sh
# autogen.sh - make ./configure from a git checkout (autopoint, autoreconf).
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --install --force --warnings=all,no-portability "$@"
echo "Now run ./configure (or a VPATH build: mkdir build && cd build && ../configure)."
