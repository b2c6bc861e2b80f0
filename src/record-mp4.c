/* record-mp4.c - finalize a fragmented MP4 segment: repair, index, sidx.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recorder writes   ftyp moov free(reserve) moof mdat moof mdat ...
 * (libavformat's mp4 muxer with empty_moov, one fragment per flush; the
 * `free` box is ours).  Closing a segment, or recovering a .part after a
 * crash, is the same walk over the top-level boxes:
 *
 *   - every moof whose mdat is whole counts; the first box that is torn
 *     (a kill -9 or power cut in the middle of a fragment) and everything
 *     after it are cut off (ftruncate);
 *   - each moof's traf/tfhd/tfdt/trun give its samples: count, durations,
 *     sync samples;
 *   - a global `sidx` (one reference per fragment, the video track) is
 *     written at the start of the reserved `free` box, followed by a
 *     smaller `free` for what is left; mvex/mehd gets the true duration.
 *
 * With the sidx in front of the first moof and reaching the end of the
 * file, a player (libavformat in Chromium) knows the duration and every
 * fragment's offset at once and seeks without reading the fragments.
 * Cost: reading the box headers and each moof (a few hundred bytes per
 * second of video, from the page cache) and one write of at most the
 * reserve (12 bytes per fragment) in the first 100 KB of the file: no
 * second pass over the media as faststart or ffmpeg's global_sidx (which
 * shifts the whole file) would need.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvigia.h"
#include "record-int.h"

#define MP4_MAX_TRACKS 8
#define MP4_MAX_MOOF (4 << 20)	/* a moof larger than this is broken */

struct mp4_track {
	uint32_t id;
	uint32_t timescale;
	bool video;
	uint32_t trex_duration, trex_flags;
	int64_t samples, syncs, duration;	/* duration in timescale */
};

struct mp4_frag {
	int64_t pos;		/* of the moof */
	int64_t tfdt;		/* video track, its timescale; -1: none */
	int64_t vdur;		/* video sample durations */
	bool sap;		/* starts with a sync sample */
};

struct mp4_walk {
	int fd;
	int64_t size;
	uint32_t movie_timescale;
	int64_t mehd_pos;	/* of its payload (after version/flags), or 0 */
	int mehd_version;
	int64_t free_pos, free_size;	/* the reserve, 0: none */
	struct mp4_track tr[MP4_MAX_TRACKS];
	int ntr;
	struct mp4_frag *fr;
	size_t nfr, afr;
	int64_t end;		/* end of the last whole fragment */
};

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) << 32 | rd32(p + 4);
}

static void
wr32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
wr64(uint8_t *p, uint64_t v)
{
	wr32(p, v >> 32);
	wr32(p + 4, (uint32_t)v);
}

static int
pread_all(int fd, void *buf, size_t n, int64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, (char *)buf + got, n - got, off + (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int
pwrite_all(int fd, const void *buf, size_t n, int64_t off)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = pwrite(fd, (const char *)buf + done, n - done,
		    off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/* Iterate the child boxes of [p, p + n): *type, *body, *blen; returns the
 * offset of the next box, or -1 at the end or on a malformed box. */
static long
box_next(const uint8_t *p, size_t n, size_t off, uint32_t *type,
    const uint8_t **body, size_t *blen)
{
	uint64_t size;
	size_t hdr = 8;

	if (off + 8 > n)
		return -1;
	size = rd32(p + off);
	*type = rd32(p + off + 4);
	if (size == 1) {
		if (off + 16 > n)
			return -1;
		size = rd64(p + off + 8);
		hdr = 16;
	} else if (size == 0)
		size = n - off;
	if (size < hdr || size > n - off)
		return -1;
	*body = p + off + hdr;
	*blen = (size_t)size - hdr;
	return (long)(off + size);
}

#define FCC(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
	(uint32_t)(c) << 8 | (uint32_t)(d))

static struct mp4_track *
walk_track(struct mp4_walk *w, uint32_t id)
{
	int i;

	for (i = 0; i < w->ntr; i++)
		if (w->tr[i].id == id)
			return &w->tr[i];
	return NULL;
}

/* moov/trak: tkhd id, mdia/mdhd timescale, mdia/hdlr type. */
static void
parse_trak(struct mp4_walk *w, const uint8_t *p, size_t n)
{
	struct mp4_track t = { 0 };
	const uint8_t *b, *b2;
	size_t bl, bl2;
	uint32_t ty, ty2;
	long o = 0, o2;

	while ((o = box_next(p, n, (size_t)o, &ty, &b, &bl)) >= 0) {
		if (ty == FCC('t', 'k', 'h', 'd') && bl >= 24)
			t.id = rd32(b + (b[0] == 1 ? 20 : 12));
		if (ty != FCC('m', 'd', 'i', 'a'))
			continue;
		o2 = 0;
		while ((o2 = box_next(b, bl, (size_t)o2, &ty2, &b2, &bl2)) >=
		    0) {
			if (ty2 == FCC('m', 'd', 'h', 'd') && bl2 >= 24)
				t.timescale = rd32(b2 + (b2[0] == 1 ? 20 : 12));
			if (ty2 == FCC('h', 'd', 'l', 'r') && bl2 >= 12)
				t.video = rd32(b2 + 8) == FCC('v', 'i', 'd', 'e');
		}
	}
	if (t.id != 0 && t.timescale != 0 && w->ntr < MP4_MAX_TRACKS)
		w->tr[w->ntr++] = t;
}

static void
parse_moov(struct mp4_walk *w, const uint8_t *p, size_t n, int64_t pos)
{
	const uint8_t *b, *b2;
	size_t bl, bl2;
	uint32_t ty, ty2;
	long o = 0, o2;
	struct mp4_track *t;

	while ((o = box_next(p, n, (size_t)o, &ty, &b, &bl)) >= 0) {
		if (ty == FCC('m', 'v', 'h', 'd') && bl >= 24)
			w->movie_timescale = rd32(b + (b[0] == 1 ? 20 : 12));
		else if (ty == FCC('t', 'r', 'a', 'k'))
			parse_trak(w, b, bl);
		else if (ty == FCC('m', 'v', 'e', 'x')) {
			o2 = 0;
			while ((o2 = box_next(b, bl, (size_t)o2, &ty2, &b2,
			    &bl2)) >= 0) {
				if (ty2 == FCC('m', 'e', 'h', 'd') && bl2 >= 8) {
					w->mehd_version = b2[0];
					w->mehd_pos = pos + (b2 - p) + 4;
				}
				if (ty2 == FCC('t', 'r', 'e', 'x') && bl2 >= 24 &&
				    (t = walk_track(w, rd32(b2 + 4))) != NULL) {
					t->trex_duration = rd32(b2 + 12);
					t->trex_flags = rd32(b2 + 20);
				}
			}
		}
	}
}

/* One traf: its samples into the track and the fragment. */
static int
parse_traf(struct mp4_walk *w, const uint8_t *p, size_t n,
    struct mp4_frag *f)
{
	const uint8_t *b;
	size_t bl;
	uint32_t ty, tf, flags, count, i, defdur = 0, defflags = 0;
	long o = 0;
	struct mp4_track *t = NULL;
	int64_t tfdt = -1;

	while ((o = box_next(p, n, (size_t)o, &ty, &b, &bl)) >= 0) {
		if (ty == FCC('t', 'f', 'h', 'd') && bl >= 8) {
			size_t q = 8;

			tf = rd32(b) & 0xffffff;
			t = walk_track(w, rd32(b + 4));
			if (t == NULL)
				return -1;
			defdur = t->trex_duration;
			defflags = t->trex_flags;
			if (tf & 0x1)
				q += 8;
			if (tf & 0x2)
				q += 4;
			if (tf & 0x8) {
				if (bl < q + 4)
					return -1;
				defdur = rd32(b + q);
				q += 4;
			}
			if (tf & 0x10)
				q += 4;
			if (tf & 0x20) {
				if (bl < q + 4)
					return -1;
				defflags = rd32(b + q);
			}
		} else if (ty == FCC('t', 'f', 'd', 't') && bl >= 8)
			tfdt = b[0] == 1 && bl >= 12 ? (int64_t)rd64(b + 4) :
			    (int64_t)rd32(b + 4);
		else if (ty == FCC('t', 'r', 'u', 'n') && bl >= 8 && t != NULL) {
			size_t q = 8, per = 0;
			uint32_t first = 0;
			bool has_first = false;

			flags = rd32(b) & 0xffffff;
			count = rd32(b + 4);
			if (flags & 0x1)
				q += 4;
			if (flags & 0x4) {
				if (bl < q + 4)
					return -1;
				first = rd32(b + q);
				has_first = true;
				q += 4;
			}
			per = ((flags & 0x100) != 0) * 4 + ((flags & 0x200) != 0) *
			    4 + ((flags & 0x400) != 0) * 4 + ((flags & 0x800) !=
			    0) * 4;
			if (count > (bl - q) / (per > 0 ? per : 1) + (per == 0 ?
			    count : 0))
				return -1;
			for (i = 0; i < count; i++) {
				uint32_t d = defdur, fl = defflags;
				size_t s = q + (size_t)i * per;

				if (flags & 0x100) {
					d = rd32(b + s);
					s += 4;
				}
				if (flags & 0x200)
					s += 4;
				if (flags & 0x400)
					fl = rd32(b + s);
				if (i == 0 && has_first)
					fl = first;
				t->samples++;
				t->duration += d;
				if (!(fl & 0x10000))
					t->syncs++;
				if (t->video) {
					if (f->vdur == 0 && i == 0)
						f->sap = !(fl & 0x10000);
					f->vdur += d;
				}
			}
		}
	}
	if (t != NULL && t->video)
		f->tfdt = tfdt;
	return 0;
}

static void
walk_free(struct mp4_walk *w)
{
	free(w->fr);
}

/* Walk the top-level boxes of fd. */
static int
walk_file(struct mp4_walk *w, int fd, char **cause)
{
	uint8_t hdr[16], *buf = NULL;
	int64_t pos = 0, size;
	uint32_t type;
	size_t hlen;
	struct stat st;
	struct mp4_frag cur = { 0 };
	int err = VG_ERR_PROTO;

	memset(w, 0, sizeof *w);
	w->fd = fd;
	if (fstat(fd, &st) != 0) {
		xasprintf(cause, "stat: %s", strerror(errno));
		return VG_ERR_IO;
	}
	w->size = st.st_size;
	while (pos + 8 <= w->size) {
		if (pread_all(fd, hdr, 8, pos) != 0)
			break;
		size = rd32(hdr);
		type = rd32(hdr + 4);
		hlen = 8;
		if (size == 1) {
			if (pos + 16 > w->size || pread_all(fd, hdr + 8, 8,
			    pos + 8) != 0)
				break;
			size = (int64_t)rd64(hdr + 8);
			hlen = 16;
		} else if (size == 0)
			size = w->size - pos;
		if (size < (int64_t)hlen || pos + size > w->size)
			break;	/* torn */
		if (type == FCC('m', 'o', 'o', 'v') || type == FCC('m', 'o', 'o',
		    'f')) {
			if (size > MP4_MAX_MOOF)
				break;
			buf = xrealloc(buf, (size_t)size);
			if (pread_all(fd, buf, (size_t)(size - (int64_t)hlen),
			    pos + (int64_t)hlen) != 0)
				break;
		}
		if (type == FCC('m', 'o', 'o', 'v'))
			parse_moov(w, buf, (size_t)(size - (int64_t)hlen), pos +
			    (int64_t)hlen);
		else if ((type == FCC('f', 'r', 'e', 'e') || type ==
		    FCC('s', 'i', 'd', 'x')) && w->nfr == 0 &&
		    (w->free_pos == 0 || w->free_pos + w->free_size == pos)) {
			/* the reserve (or, finalized before: sidx + free) */
			if (w->free_pos == 0)
				w->free_pos = pos;
			w->free_size += size;
		} else if (type == FCC('m', 'o', 'o', 'f')) {
			struct mp4_track save[MP4_MAX_TRACKS];
			const uint8_t *b;
			size_t bl;
			uint32_t ty;
			long o = 0;
			int64_t mpos = pos + size, msize;
			bool ok = true;

			/* counted only if its mdat is whole: roll back if not */
			memcpy(save, w->tr, sizeof save);
			memset(&cur, 0, sizeof cur);
			cur.pos = pos;
			cur.tfdt = -1;
			while (ok && (o = box_next(buf, (size_t)(size -
			    (int64_t)hlen), (size_t)o, &ty, &b, &bl)) >= 0)
				if (ty == FCC('t', 'r', 'a', 'f') &&
				    parse_traf(w, b, bl, &cur) != 0)
					ok = false;
			msize = 0;
			if (ok && mpos + 8 <= w->size &&
			    pread_all(fd, hdr, 8, mpos) == 0) {
				msize = rd32(hdr);
				if (msize == 1 && mpos + 16 <= w->size &&
				    pread_all(fd, hdr + 8, 8, mpos + 8) == 0)
					msize = (int64_t)rd64(hdr + 8);
				if (rd32(hdr + 4) != FCC('m', 'd', 'a', 't') ||
				    msize < 8 || mpos + msize > w->size)
					msize = 0;
			}
			if (msize == 0) {
				memcpy(w->tr, save, sizeof save);
				break;	/* a torn fragment: cut here */
			}
			if (w->nfr == w->afr) {
				w->afr = w->afr ? w->afr * 2 : 64;
				w->fr = xreallocarray(w->fr, w->afr,
				    sizeof *w->fr);
			}
			w->fr[w->nfr++] = cur;
			w->end = mpos + msize;
			pos = mpos + msize;
			continue;
		} else if (type == FCC('m', 'd', 'a', 't') || type ==
		    FCC('m', 'f', 'r', 'a'))
			break;	/* stray: cut from here */
		if (w->nfr == 0)
			w->end = pos + size;
		pos += size;
	}
	free(buf);
	if (w->ntr == 0 || w->movie_timescale == 0) {
		xasprintf(cause, "no readable moov box");
		goto out;
	}
	err = VG_OK;
out:
	return err;
}

/* The reserve for n fragments (the recorder's free box). */
size_t
vg_mp4_reserve_size(size_t nfrag)
{
	return 8 + 32 + 12 * nfrag + 8;
}

int
vg_mp4_finalize(const char *path, struct vg_mp4_info *info, char **cause)
{
	struct mp4_walk w;
	struct mp4_track *v = NULL;
	uint8_t *sidx = NULL;
	size_t len, i;
	int64_t vdur = 0, first_off, next;
	int fd, err, k;

	memset(info, 0, sizeof *info);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? VG_ERR_NOTFOUND : VG_ERR_IO;
	}
	err = walk_file(&w, fd, cause);
	if (err != VG_OK)
		goto out;
	for (k = 0; k < w.ntr; k++)
		if (w.tr[k].video) {
			v = &w.tr[k];
			break;
		}
	if (v == NULL) {
		err = VG_ERR_PROTO;
		xasprintf(cause, "no video track");
		goto out;
	}
	if (w.nfr == 0) {
		err = VG_ERR_NOTFOUND;
		xasprintf(cause, "no whole fragment");
		goto out;
	}
	info->truncated = w.end < w.size;
	info->cut_bytes = w.size - w.end;
	if (info->truncated && ftruncate(fd, (off_t)w.end) != 0) {
		err = VG_ERR_IO;
		xasprintf(cause, "truncate: %s", strerror(errno));
		goto out;
	}
	info->fragments = (int64_t)w.nfr;
	info->frames = v->samples;
	info->keyframes = v->syncs;
	info->timescale = v->timescale;
	/* the timeline: first tfdt to the end of the last fragment (a gap
	 * between fragments after a reconnect is part of it) */
	{
		int64_t t0 = w.fr[0].tfdt >= 0 ? w.fr[0].tfdt : 0, t1 = 0;

		for (i = 0; i < w.nfr; i++)
			if (w.fr[i].tfdt >= 0 && w.fr[i].tfdt + w.fr[i].vdur > t1)
				t1 = w.fr[i].tfdt + w.fr[i].vdur;
		if (t1 <= t0)
			t1 = t0 + v->duration;
		info->duration_ts = t1 - t0;
	}
	info->duration_us = info->duration_ts * 1000000 / v->timescale;
	info->bytes = w.end;
	for (k = 0; k < w.ntr; k++)
		if (!w.tr[k].video && w.tr[k].samples > 0)
			info->audio_samples += w.tr[k].samples;

	/* the index, in the reserve */
	len = 8 + 32 + 12 * w.nfr;
	if (w.free_pos == 0 || !(len == (size_t)w.free_size ||
	    len + 8 <= (size_t)w.free_size)) {
		info->indexed = false;
		log_warn("%s: %zu fragments do not fit the index reserve; the "
		    "file plays but players read every fragment to seek",
		    path, w.nfr);
	} else {
		sidx = xcalloc(1, len + 8);
		wr32(sidx, (uint32_t)len);
		memcpy(sidx + 4, "sidx", 4);
		wr32(sidx + 8, 1u << 24);	/* version 1 */
		wr32(sidx + 12, v->id);
		wr32(sidx + 16, v->timescale);
		wr64(sidx + 20, (uint64_t)(w.fr[0].tfdt > 0 ? w.fr[0].tfdt :
		    0));
		first_off = w.fr[0].pos - (w.free_pos + (int64_t)len);
		wr64(sidx + 28, (uint64_t)first_off);
		sidx[36] = 0;
		sidx[37] = 0;
		sidx[38] = (uint8_t)(w.nfr >> 8);
		sidx[39] = (uint8_t)w.nfr;
		if (w.nfr > 65535) {
			err = VG_ERR_INTERNAL;
			xasprintf(cause, "too many fragments");
			goto out;
		}
		for (i = 0; i < w.nfr; i++) {
			uint8_t *r = sidx + 40 + 12 * i;
			int64_t dur;

			next = i + 1 < w.nfr ? w.fr[i + 1].pos : w.end;
			if (i + 1 < w.nfr && w.fr[i + 1].tfdt >= 0 &&
			    w.fr[i].tfdt >= 0)
				dur = w.fr[i + 1].tfdt - w.fr[i].tfdt;
			else
				dur = w.fr[i].vdur;
			vdur += dur;
			wr32(r, (uint32_t)(next - w.fr[i].pos) & 0x7fffffff);
			wr32(r + 4, (uint32_t)dur);
			wr32(r + 8, w.fr[i].sap ? 0x90000000u : 0);
		}
		if ((size_t)w.free_size > len) {
			wr32(sidx + len, (uint32_t)((size_t)w.free_size - len));
			memcpy(sidx + len + 4, "free", 4);
		}
		if (pwrite_all(fd, sidx, (size_t)w.free_size > len ? len + 8 :
		    len, w.free_pos) != 0) {
			err = VG_ERR_IO;
			xasprintf(cause, "writing the index: %s",
			    strerror(errno));
			goto out;
		}
		info->indexed = true;
	}
	(void)vdur;
	/* the whole duration in mehd (movie timescale) */
	if (w.mehd_pos != 0) {
		uint8_t d[8];
		uint64_t md = (uint64_t)(info->duration_ts *
		    (int64_t)w.movie_timescale / v->timescale);

		if (w.mehd_version == 1) {
			wr64(d, md);
			k = pwrite_all(fd, d, 8, w.mehd_pos);
		} else {
			wr32(d, (uint32_t)md);
			k = pwrite_all(fd, d, 4, w.mehd_pos);
		}
		if (k != 0) {
			err = VG_ERR_IO;
			xasprintf(cause, "writing mehd: %s", strerror(errno));
			goto out;
		}
	}
	if (fsync(fd) != 0) {
		err = errno == ENOSPC ? VG_ERR_IO : VG_ERR_IO;
		xasprintf(cause, "fsync: %s", strerror(errno));
		goto out;
	}
	err = VG_OK;
out:
	free(sidx);
	walk_free(&w);
	close(fd);
	return err;
}
