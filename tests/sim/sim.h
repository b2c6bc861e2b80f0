/* sim.h - vigia-sim: the simulated camera site (shared declarations).
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One process runs N cameras.  Camera i lives on its own loopback address
 * (base + i) with an ONVIF device service (gSOAP server, sim-onvif.c), an
 * RTSP server and a snapshot URL (GStreamer, sim-media.c), WS-Discovery
 * (sim-wsd.c) and a control socket for fault injection (sim-control.c).
 * The media side only sees the small interface below; the ONVIF side owns
 * struct sim_camera and calls into it when a camera's encoder, users,
 * address or faults change.
 */
#ifndef VIGIA_SIM_H
#define VIGIA_SIM_H

#include <stdbool.h>

/* ---- media interface (implemented in sim-media.c) ---------------------- */

enum sim_codec { SIM_CODEC_H264, SIM_CODEC_H265 };

/* What an encoder configuration asks the stream to be. */
struct sim_stream_cfg {
	enum sim_codec codec;
	int width, height;
	int fps;
	int bitrate_kbps;
	int gop;		/* frames between keyframes */
	char profile[16];	/* "baseline", "main", "high" (H.264) */
};

/* Media faults (ONVIF-side faults live in struct sim_camera). */
enum sim_media_fault {
	SIM_MEDIA_OK,
	SIM_MEDIA_STALL,	/* RTSP session stays open, no more packets */
	SIM_MEDIA_KILL,		/* drop the connection in the middle of a GOP */
	SIM_MEDIA_RESIZE,	/* the main stream changes size mid-stream (a
				 * new SPS at a keyframe, same session) */
};

/* Start the media side: one GLib main loop thread; pre-encoded loops are
 * made with ffmpeg into cache_dir (once per distinct sim_stream_cfg) and
 * reused.  rtsp_port and http_port (snapshots) are the same on every
 * camera address.  Returns 0 or -1 with *cause (allocated). */
int sim_media_init(const char *cache_dir, int rtsp_port, int http_port,
    char **cause);
/* Add camera `index` listening on addr; stream 0 = main, 1 = sub. */
int sim_media_add_camera(int index, const char *addr,
    const struct sim_stream_cfg cfg[2], char **cause);
/* Serve a new configuration (takes effect for new sessions at once; live
 * sessions are ended so the client reconnects and sees the change). */
int sim_media_set_stream(int index, int stream,
    const struct sim_stream_cfg *cfg, char **cause);
/* Credentials required by RTSP and the snapshot URL (HTTP digest).
 * user == NULL: anonymous access (factory-new camera).  Add lets one
 * more user stream, as every user of a real camera may. */
void sim_media_set_credentials(int index, const char *user,
    const char *password);
void sim_media_add_credentials(int index, const char *user,
    const char *password);
void sim_media_set_fault(int index, enum sim_media_fault fault);
/* Offline: refuse connections and end sessions (reboot, fault). */
void sim_media_set_online(int index, bool online);
/* The camera moved to a new address (after SetNetworkInterfaces). */
int sim_media_move(int index, const char *new_addr, char **cause);
/* URIs as a client should use them (static storage per camera). */
const char *sim_media_stream_uri(int index, int stream);
const char *sim_media_snapshot_uri(int index);
/* Audio beside the main stream's video (set before the camera is added). */
enum sim_audio {
	SIM_AUDIO_NONE,
	SIM_AUDIO_PCMU,		/* G.711 mu-law, 8 kHz mono */
	SIM_AUDIO_AAC,		/* AAC-LC, 16 kHz mono (RFC 3640) */
};
void sim_media_set_audio(int index, enum sim_audio kind);
/* Access units the stream passed on to its clients (all of them, over the
 * simulator's life: with one client, that client's). */
int64_t sim_media_frames_served(int index, int stream);
/* Stop everything and free. */
void sim_media_shutdown(void);

#endif /* VIGIA_SIM_H */
