/* test-stream-picture.c - the cell grid: golden grids, linear light, shape.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colour bars and a gradient made here are turned into grids in all three
 * modes and compared with the golden files in tests/fixtures/stream/
 * (VIGIA_UPDATE_GOLDEN=1 rewrites them; review the diff).  Beside the
 * goldens: bars keep their exact colours, a black/white checkerboard
 * averages to the grey of half the light (188, not 128), the picture keeps
 * the image's shape, the xterm palette maps known colours, and a YUV
 * frame (the decoder's path through swscale) gives the bars back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libswscale/swscale.h>

#include "stream-int.h"
#include "tap.h"
#include "libvigia.h"

static const uint8_t bars[8][3] = {
	{ 255, 255, 255 }, { 255, 255, 0 }, { 0, 255, 255 }, { 0, 255, 0 },
	{ 255, 0, 255 }, { 255, 0, 0 }, { 0, 0, 255 }, { 0, 0, 0 },
};

/* 160x120 colour bars, 20 pixels each. */
static uint8_t *
make_bars(void)
{
	uint8_t *img = malloc(160 * 120 * 3);
	int x, y;

	for (y = 0; y < 120; y++)
		for (x = 0; x < 160; x++)
			memcpy(img + (y * 160 + x) * 3, bars[x / 20], 3);
	return img;
}

/* 256x64: red rises left to right, green top to bottom, blue falls. */
static uint8_t *
make_gradient(void)
{
	uint8_t *img = malloc(256 * 64 * 3);
	int x, y;

	for (y = 0; y < 64; y++)
		for (x = 0; x < 256; x++) {
			uint8_t *p = img + (y * 256 + x) * 3;

			p[0] = (uint8_t)x;
			p[1] = (uint8_t)(y * 4);
			p[2] = (uint8_t)(255 - x);
		}
	return img;
}

/* The grid as text, one line a row (the golden file format). */
static char *
grid_text(const struct vg_picture *pic)
{
	static const char *const modes[] = { "truecolor", "256", "mono" };
	size_t cap = 64 + (size_t)pic->width * pic->height * 16, n;
	char *s = malloc(cap);
	int x, y;

	n = (size_t)snprintf(s, cap, "# %dx%d %s\n", pic->width, pic->height,
	    modes[pic->mode]);
	for (y = 0; y < pic->height; y++) {
		for (x = 0; x < pic->width; x++) {
			const struct vg_cell *c = &pic->cells[y * pic->width +
			    x];

			if (pic->mode == VG_PICTURE_MONO)
				n += (size_t)snprintf(s + n, cap - n, "%c",
				    (char)c->ch);
			else if (pic->mode == VG_PICTURE_256)
				n += (size_t)snprintf(s + n, cap - n, "%s%d/%d",
				    x ? " " : "", c->fg_index, c->bg_index);
			else
				n += (size_t)snprintf(s + n, cap - n,
				    "%s%02x%02x%02x/%02x%02x%02x", x ? " " : "",
				    c->fg[0], c->fg[1], c->fg[2], c->bg[0],
				    c->bg[1], c->bg[2]);
		}
		n += (size_t)snprintf(s + n, cap - n, "\n");
	}
	return s;
}

/* Compare (or rewrite) one golden file. */
static void
golden(const char *name, const struct vg_picture *pic)
{
	const char *dir = getenv("srcdir"), *upd = getenv("VIGIA_UPDATE_GOLDEN");
	char path[512], title[128], *got = grid_text(pic), *want = NULL;
	FILE *f;
	long len;

	snprintf(path, sizeof path, "%s/tests/fixtures/stream/%s.txt",
	    dir != NULL ? dir : ".", name);
	snprintf(title, sizeof title, "golden grid %s", name);
	if (upd != NULL && *upd == '1') {
		f = fopen(path, "w");
		tap_ok(f != NULL && fputs(got, f) >= 0 && fclose(f) == 0, title);
		free(got);
		return;
	}
	f = fopen(path, "r");
	if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0) {
		rewind(f);
		want = calloc(1, (size_t)len + 1);
		if (fread(want, 1, (size_t)len, f) != (size_t)len) {
			free(want);
			want = NULL;
		}
	}
	if (f != NULL)
		fclose(f);
	if (!tap_ok(want != NULL && strcmp(want, got) == 0, title)) {
		printf("# %s differs; got:\n", path);
		fputs(got, stdout);
	}
	free(want);
	free(got);
}

/* Every mode of one image against its goldens. */
static void
goldens(const char *base, const uint8_t *img, int w, int h, int cols,
    int rows)
{
	static const char *const modes[] = { "truecolor", "256", "mono" };
	struct vg_picture pic;
	char name[64], *cause = NULL;
	int m;

	for (m = 0; m < 3; m++) {
		snprintf(name, sizeof name, "%s-%s", base, modes[m]);
		if (vg_picture_from_rgb(img, w, h, (size_t)w * 3, 1.0, cols,
		    rows, VG_CELL_ASPECT, (enum vg_picture_mode)m, &pic,
		    &cause) != VG_OK) {
			tap_ok(0, name);
			printf("# %s\n", cause);
			free(cause);
			continue;
		}
		golden(name, &pic);
		vg_picture_clear(&pic);
	}
}

/* Every cell of bar b (4 cells wide) has exactly the bar's colour. */
static bool
bars_exact(const struct vg_picture *pic, int tol)
{
	int x, y, c;

	for (y = 0; y < pic->height; y++)
		for (x = 0; x < pic->width; x++) {
			const struct vg_cell *cell = &pic->cells[y * pic->width +
			    x];
			const uint8_t *want = bars[x * 8 / pic->width];

			for (c = 0; c < 3; c++)
				if (abs(cell->fg[c] - want[c]) > tol ||
				    abs(cell->bg[c] - want[c]) > tol) {
					printf("# cell %d,%d: %02x%02x%02x, "
					    "want %02x%02x%02x\n", x, y,
					    cell->fg[0], cell->fg[1],
					    cell->fg[2], want[0], want[1],
					    want[2]);
					return false;
				}
		}
	return true;
}

/* The decoder's path: bars as a BT.601 YUV420P frame. */
static void
test_frame_path(const uint8_t *img)
{
	struct stream_scaler sc = { 0 };
	struct SwsContext *sws;
	struct vg_picture pic;
	AVFrame *f = av_frame_alloc();
	const uint8_t *src[4] = { img };
	int sstride[4] = { 160 * 3 };
	char *cause = NULL;

	f->format = AV_PIX_FMT_YUV420P;
	f->width = 160;
	f->height = 120;
	f->colorspace = AVCOL_SPC_BT470BG;
	f->color_range = AVCOL_RANGE_MPEG;
	av_frame_get_buffer(f, 0);
	sws = sws_getContext(160, 120, AV_PIX_FMT_RGB24, 160, 120,
	    AV_PIX_FMT_YUV420P, SWS_POINT, NULL, NULL, NULL);
	sws_scale(sws, src, sstride, 0, 120, f->data, f->linesize);
	sws_freeContext(sws);
	if (!tap_ok(stream_picture_from_frame(&sc, f, 32, 12, VG_CELL_ASPECT,
	    VG_PICTURE_TRUECOLOR, &pic, &cause) == VG_OK,
	    "a YUV420P frame converts")) {
		printf("# %s\n", cause);
		free(cause);
	} else {
		tap_ok(pic.width == 32 && pic.height == 12,
		    "the frame fits 32x12 cells");
		tap_ok(bars_exact(&pic, 6),
		    "the frame's bars come back within 6 levels");
		vg_picture_clear(&pic);
	}
	/* again at another size: the cached contexts follow */
	if (stream_picture_from_frame(&sc, f, 16, 6, VG_CELL_ASPECT,
	    VG_PICTURE_256, &pic, &cause) == VG_OK) {
		tap_ok(pic.width == 16 && pic.height == 6 &&
		    pic.cells[0].fg_index == 231 &&
		    pic.cells[15].fg_index == 16,
		    "a second size reuses the scaler (white .. black bars)");
		vg_picture_clear(&pic);
	} else {
		tap_ok(0, "a second size reuses the scaler");
		free(cause);
	}
	stream_scaler_clear(&sc);
	av_frame_free(&f);
}

int
main(void)
{
	uint8_t *b = make_bars(), *g = make_gradient(), checker[64 * 64 * 3];
	uint8_t rgb[3];
	struct vg_picture pic;
	char *cause = NULL;
	int x, y, i;

	vg_init();
	goldens("bars", b, 160, 120, 32, 12);
	goldens("gradient", g, 256, 64, 24, 8);

	vg_picture_from_rgb(b, 160, 120, 480, 1.0, 32, 12, VG_CELL_ASPECT,
	    VG_PICTURE_TRUECOLOR, &pic, NULL);
	tap_ok(pic.width == 32 && pic.height == 12 && pic.cells[0].ch == 0x2580,
	    "4:3 bars fill 32x12 half-block cells (32x24 pixels)");
	tap_ok(bars_exact(&pic, 0), "every bar keeps its exact colour");
	vg_picture_clear(&pic);

	for (y = 0; y < 64; y++)
		for (x = 0; x < 64; x++)
			memset(checker + (y * 64 + x) * 3, (x + y) % 2 ? 255 : 0,
			    3);
	vg_picture_from_rgb(checker, 64, 64, 192, 1.0, 8, 4, VG_CELL_ASPECT,
	    VG_PICTURE_TRUECOLOR, &pic, NULL);
	for (i = 0; i < pic.width * pic.height; i++)
		if (abs(pic.cells[i].fg[0] - 188) > 1 ||
		    abs(pic.cells[i].bg[1] - 188) > 1)
			break;
	tap_ok(pic.width * pic.height > 0 && i == pic.width * pic.height,
	    "a black/white checkerboard averages in linear light (188)");
	if (pic.cells != NULL)
		printf("# checkerboard cell: %d\n", pic.cells[0].fg[0]);
	vg_picture_clear(&pic);

	/* shape: 16:9 into 100x30 */
	vg_picture_from_rgb(checker, 64, 36, 192, 1.0, 100, 30, VG_CELL_ASPECT,
	    VG_PICTURE_TRUECOLOR, &pic, NULL);
	tap_ok(pic.width == 100 && pic.height == 28,
	    "16:9 into 100x30 half-block cells is 100x28");
	vg_picture_clear(&pic);
	vg_picture_from_rgb(checker, 64, 36, 192, 1.0, 100, 30, VG_CELL_ASPECT,
	    VG_PICTURE_MONO, &pic, NULL);
	tap_ok(pic.width == 100 && pic.height == 28,
	    "16:9 into 100x30 mono cells is 100x28");
	vg_picture_clear(&pic);
	vg_picture_from_rgb(checker, 64, 64, 192, 1.0, 100, 30, VG_CELL_ASPECT,
	    VG_PICTURE_TRUECOLOR, &pic, NULL);
	tap_ok(pic.width == 60 && pic.height == 30,
	    "a square into 100x30 half-block cells is 60x30 (centred by ui)");
	vg_picture_clear(&pic);
	/* anamorphic: 32x36 pixels twice as wide as tall look 16:9 */
	vg_picture_from_rgb(checker, 32, 36, 192, 2.0, 100, 30, VG_CELL_ASPECT,
	    VG_PICTURE_TRUECOLOR, &pic, NULL);
	tap_ok(pic.width == 100 && pic.height == 28,
	    "the pixel aspect ratio is honoured");
	vg_picture_clear(&pic);

	tap_ok(vg_picture_from_rgb(b, 160, 120, 480, 1.0, 0, 12,
	    VG_CELL_ASPECT, VG_PICTURE_MONO, &pic, &cause) == VG_ERR_USAGE &&
	    cause != NULL, "a zero-column request is refused with a cause");
	free(cause);

	rgb[0] = 255, rgb[1] = 0, rgb[2] = 0;
	tap_ok(vg_picture_xterm256(rgb) == 196, "red is xterm colour 196");
	rgb[0] = rgb[1] = rgb[2] = 255;
	tap_ok(vg_picture_xterm256(rgb) == 231, "white is xterm colour 231");
	rgb[0] = rgb[1] = rgb[2] = 128;
	tap_ok(vg_picture_xterm256(rgb) == 244, "grey 128 is xterm grey 244");
	rgb[0] = 0, rgb[1] = 95, rgb[2] = 215;
	tap_ok(vg_picture_xterm256(rgb) == 26, "cube colour 0/95/215 is 26");
	vg_picture_xterm256_rgb(26, rgb);
	tap_ok(rgb[0] == 0 && rgb[1] == 95 && rgb[2] == 215,
	    "and 26 is 0/95/215 again");

	test_frame_path(b);
	free(b);
	free(g);
	vg_log_shutdown();
	return tap_done();
}
