/* report.h - the as-built commissioning report (`vigia report`): what
 * every camera is, how it is set and how it measures, every test result
 * and a picture; the storage and Label Studio checks; the recorder's
 * state.  Gathered by the core, written as JSON, CSV, HTML or text.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain types only: the report owns every string and byte it holds
 * (vg_report_clear() frees them).  Gathering talks to every camera in
 * parallel (bounded), each call with a deadline; the storage and Label
 * Studio checks run beside them with their own deadlines.  Text a reader
 * sees is translated when the report is written (the current locale), and
 * stable English keys name everything in the JSON and the CSV header.
 */
#ifndef VIGIA_REPORT_H
#define VIGIA_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "libvigia.h"

/* How a test ended. */
enum vg_report_result {
	VG_REPORT_PASS,
	VG_REPORT_WARN,		/* works, with a remark */
	VG_REPORT_FAIL,
	VG_REPORT_SKIP,		/* not tested (and why) */
};

/* One test of a camera. */
struct vg_report_test {
	const char *key;	/* stable English: "onvif", "login", ... */
	enum vg_report_result result;
	char *detail;		/* translated plain words, or NULL */
};

/* Encoder values as a set of numbers (from the configuration, as the
 * camera reports it, or as measured on the stream); 0 / "" unknown. */
struct vg_report_encoder {
	char codec[16];		/* "H264", "H265", "MJPEG" */
	char profile[32];	/* "Main", ... */
	int width, height;
	double fps;
	int bitrate_kbps;
	int gop;
};

#define VG_REPORT_NTESTS 10

struct vg_report_camera {
	char *name;
	char *address;		/* where it answered, or the configured one */
	char *onvif_url;
	/* identity (NULL: not read) */
	char *vendor, *model, *serial, *mac, *firmware, *hardware_id;
	char *profile;		/* media profile recorded */
	char *stream_uri;	/* without credentials */
	char *snapshot_uri;
	struct vg_report_encoder set;	/* the configuration */
	bool have_camera;
	struct vg_report_encoder camera;	/* what the camera says */
	bool have_measured;
	struct vg_report_encoder measured;	/* the stream probe */
	int64_t first_picture_ms;	/* -1: none */
	char audio[16];		/* "" none */
	bool have_drift;
	int64_t drift_s;	/* camera minus this box */
	int max_drift_s;
	char **differs;		/* configuration keys that differ */
	size_t ndiffers;
	struct vg_report_test tests[VG_REPORT_NTESTS];
	size_t ntests;
	enum vg_report_result result;	/* the worst of the tests */
	/* the picture (JPEG), NULL when none could be taken */
	unsigned char *picture;
	size_t picture_len;
	int picture_w, picture_h;
	bool picture_from_http;	/* the snapshot URI (else a keyframe) */
};

/* A storage or Label Studio check. */
enum vg_report_state {
	VG_REPORT_NOT_CONFIGURED,
	VG_REPORT_NOT_TESTED,	/* skipped on request */
	VG_REPORT_TESTED,
};

struct vg_report_step {
	char *what;		/* translated */
	enum vg_report_result result;
	char *detail;
};

struct vg_report_check {
	enum vg_report_state state;
	char *name;		/* storage entry / Label Studio URL */
	char *kind;		/* "s3", "ftp", ... / "labelstudio" */
	enum vg_report_result result;
	struct vg_report_step *steps;
	size_t nsteps;
	char *error;		/* why it could not run, or NULL */
	double throughput_bps;	/* storage: measured upload, 0 unknown */
	double need_bps;	/* storage: the cameras' bit rates */
	char *advice;		/* storage: the uplink budget, or NULL */
};

struct vg_report {
	char *site_id, *site_name, *timezone;
	char *config_path;
	char *host;		/* this box's host name */
	char *version;		/* vigia's */
	time_t generated;
	struct vg_report_camera *cams;
	size_t ncams;
	struct vg_report_check storage;
	struct vg_report_check labelstudio;
	/* the recorder */
	char *status_socket;
	bool recorder_running;
	char *recorder_json;	/* vigiad's status document, or NULL */
	char *recorder_text;	/* the same for people (translated) */
	char *recorder_error;	/* English detail when it did not answer */
};

struct vg_report_opts {
	double probe_s;		/* stream time measured per camera; 0: 3 */
	int timeout_ms;		/* per camera call; 0: 5000 */
	int parallel;		/* cameras at once; 0: 8 */
	int check_timeout_ms;	/* storage and Label Studio; 0: 60000 */
	int64_t probe_bytes;	/* storage probe object; 0: 1 MiB */
	bool no_pictures;
	bool skip_storage;	/* record "not tested" */
	bool skip_labelstudio;
	const char *probe_key;	/* a stored segment for the Label Studio
				 * check to fetch as a browser; NULL: none */
	const char *status_socket;	/* NULL: the configuration's */
	const char *const *only;	/* camera names; NULL: every enabled */
	size_t nonly;
};

/* Gather the report of cfg (which must outlive the call).  Returns 0, or
 * a vg_err with *cause when nothing could be gathered (a bad selection);
 * failures of cameras and checks are results inside the report. */
int vg_report_gather(const struct vg_config *cfg,
    const struct vg_report_opts *opts, struct vg_report *r, char **cause);
void vg_report_clear(struct vg_report *r);

/* True when no camera and no check failed (warnings allowed). */
bool vg_report_ok(const struct vg_report *r);

/* The report written out (caller frees). */
char *vg_report_json(const struct vg_report *r);
char *vg_report_csv(const struct vg_report *r);
char *vg_report_html(const struct vg_report *r);
char *vg_report_text(const struct vg_report *r);

/* Names: stable English ("pass") and translated ("passed"). */
const char *vg_report_result_name(enum vg_report_result res);
const char *vg_report_result_title(enum vg_report_result res);
/* Translated title of a camera test key ("clock drift"). */
const char *vg_report_test_title(const char *key);

#endif /* VIGIA_REPORT_H */
