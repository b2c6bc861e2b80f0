/* wizard-job.c - a wizard job backed by a worker thread.
 *
 * Copyright (C) 2026 The vigia developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker runs a blocking core call; it reports progress by updating
 * the job under a lock and writing one byte to a pipe, which wakes the
 * main loop (it polls the read end).  Cancel sets a flag the worker
 * checks; the core calls it makes have their own deadlines, so a
 * cancelled worker ends soon and is joined when the job is freed.
 * When the core's job.c lands, its jobs get a wizard_job_ops of their own
 * and nothing else changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "wizard.h"

#define WIZARD_JOB_MAX_THREADS 16	/* wizard_job_each() */

struct thread_job {
	pthread_t thread;
	pthread_mutex_t lock;
	int pipe[2];
	int (*fn)(struct wizard_job *job);
	atomic_bool cancelled;
	volatile int cancel_flag;	/* the same, for core calls */
	atomic_bool ended;
	double progress;	/* under lock */
	char *detail;		/* under lock */
	int result;		/* once ended */
};

/* Wake the main loop. */
static void
thread_job_wake(struct thread_job *t)
{
	char c = 1;

	while (write(t->pipe[1], &c, 1) == -1 && errno == EINTR)
		;
}

/* The worker. */
static void *
thread_job_main(void *arg)
{
	struct wizard_job *job = arg;
	struct thread_job *t = job->priv;

	t->result = t->fn(job);
	atomic_store(&t->ended, true);
	thread_job_wake(t);
	return NULL;
}

/* Take the worker's news; true once it has ended. */
static bool
thread_job_poll(struct wizard_job *job)
{
	struct thread_job *t = job->priv;
	char buf[64];

	while (read(t->pipe[0], buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&t->lock);
	job->progress = t->progress;
	if (t->detail != NULL) {
		free(job->detail);
		job->detail = t->detail;
		t->detail = NULL;
	}
	pthread_mutex_unlock(&t->lock);
	if (!atomic_load(&t->ended))
		return false;
	job->result = t->result;
	return true;
}

/* Ask the worker to stop. */
static void
thread_job_cancel(struct wizard_job *job)
{
	struct thread_job *t = job->priv;

	atomic_store(&t->cancelled, true);
	t->cancel_flag = 1;
}

/* Join the worker and free everything. */
static void
thread_job_free(struct wizard_job *job)
{
	struct thread_job *t;

	if (job == NULL)
		return;
	t = job->priv;
	pthread_join(t->thread, NULL);
	close(t->pipe[0]);
	close(t->pipe[1]);
	pthread_mutex_destroy(&t->lock);
	free(t->detail);
	free(t);
	free(job->label);
	free(job->detail);
	free(job->cause);
	free(job);
}

static const struct wizard_job_ops thread_job_ops = {
	thread_job_poll,
	thread_job_cancel,
	thread_job_free,
};

/* Start fn(job) in a thread. */
struct wizard_job *
wizard_job_thread(const char *label, int (*fn)(struct wizard_job *job),
    void *arg, bool cancellable)
{
	struct wizard_job *job = xcalloc(1, sizeof *job);
	struct thread_job *t = xcalloc(1, sizeof *t);

	if (pipe2(t->pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		fatalx("pipe");
	pthread_mutex_init(&t->lock, NULL);
	t->fn = fn;
	t->progress = -1;
	job->ops = &thread_job_ops;
	job->fd = t->pipe[0];
	job->label = xstrdup(label);
	job->progress = -1;
	job->cancellable = cancellable;
	job->arg = arg;
	job->priv = t;
	if (pthread_create(&t->thread, NULL, thread_job_main, job) != 0)
		fatalx("pthread_create");
	return job;
}

/* From the worker: progress and the current item. */
void
wizard_job_progress(struct wizard_job *job, double fraction,
    const char *detail)
{
	struct thread_job *t = job->priv;

	pthread_mutex_lock(&t->lock);
	t->progress = fraction;
	if (detail != NULL) {
		free(t->detail);
		t->detail = xstrdup(detail);
	}
	pthread_mutex_unlock(&t->lock);
	thread_job_wake(t);
}

/* From the worker: whether the user cancelled. */
bool
wizard_job_cancelled(struct wizard_job *job)
{
	struct thread_job *t = job->priv;

	return atomic_load(&t->cancelled);
}

/* From the worker: the cancel flag for core calls. */
const volatile int *
wizard_job_cancel_flag(struct wizard_job *job)
{
	struct thread_job *t = job->priv;

	return &t->cancel_flag;
}

/* What the threads of wizard_job_each() share. */
struct each {
	struct wizard_job *job;
	size_t n;
	atomic_size_t next, done;
	void (*fn)(void *arg, size_t i);
	const char *(*name)(void *arg, size_t i);
	void *arg;
};

/* One thread of wizard_job_each(): items until none is left. */
static void *
each_thread(void *arg)
{
	struct each *e = arg;
	size_t i, d;

	while ((i = atomic_fetch_add(&e->next, 1)) < e->n) {
		if (wizard_job_cancelled(e->job))
			break;
		e->fn(e->arg, i);
		d = atomic_fetch_add(&e->done, 1) + 1;
		wizard_job_progress(e->job, (double)d / (double)e->n,
		    e->name != NULL ? e->name(e->arg, i) : NULL);
	}
	return NULL;
}

/* From the worker: fn for every item, on up to `threads` threads. */
void
wizard_job_each(struct wizard_job *job, size_t n, int threads,
    void (*fn)(void *arg, size_t i), const char *(*name)(void *arg, size_t i),
    void *arg)
{
	struct each e = { .job = job, .n = n, .fn = fn, .name = name,
	    .arg = arg };
	pthread_t t[WIZARD_JOB_MAX_THREADS];
	size_t i, started = 0, nt;

	atomic_init(&e.next, 0);
	atomic_init(&e.done, 0);
	if (threads < 1)
		threads = 1;
	nt = (size_t)threads < n ? (size_t)threads : n;
	if (nt > WIZARD_JOB_MAX_THREADS)
		nt = WIZARD_JOB_MAX_THREADS;
	for (i = 0; i < nt; i++) {
		if (pthread_create(&t[i], NULL, each_thread, &e) != 0)
			break;
		started++;
	}
	if (started == 0)
		each_thread(&e);	/* no thread to spare: do it here */
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}
