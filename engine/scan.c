#include "config.h"
#include "scan.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "check.h"
#include "clock.h"
#include "domain_list.h"
#include "share.h"
#include "xmalloc.h"

struct scan_slot {
	struct check *check; /* NULL: free */
	size_t	      index; /* in the list */
};

struct scan {
	const struct domain_list *dl;
	struct check_options	 *co; /* copy of the template, our share */
	struct share		 *share;
	scan_done_cb		  done_cb;
	scan_progress_cb	  progress_cb;
	void			 *arg;
	unsigned		  concurrency, threads;
	unsigned char		 *want; /* per list entry: 1 to check */
	size_t			  next; /* next list entry to look at */
	struct scan_slot	 *slots;
	int			  ep;
	int			  started, stopped;
	char			 *error; /* why checks could not start */
	int64_t			  start_ms, last_sweep_ms;
	struct scan_progress	  p;
};

uint64_t
scan_fnv1a64(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

unsigned
scan_shard_of(const char *ascii, unsigned n)
{
	return (unsigned)(scan_fnv1a64(ascii) % n) + 1;
}

struct scan *
scan_new(const struct domain_list *dl, const struct scan_options *o,
    scan_done_cb done_cb, scan_progress_cb progress_cb, void *arg)
{
	struct scan *s = xcalloc(1, sizeof(*s));
	size_t	     i, n = domain_list_count(dl);
	unsigned     t;

	s->dl = dl;
	s->done_cb = done_cb;
	s->progress_cb = progress_cb;
	s->arg = arg;
	s->ep = -1;
	s->concurrency =
	    o->concurrency == 0 ? SCAN_CONCURRENCY : o->concurrency;
	if (s->concurrency > SCAN_CONCURRENCY_MAX)
		s->concurrency = SCAN_CONCURRENCY_MAX;
	t = 2 * s->concurrency;
	s->threads = t < SCAN_THREADS_MIN ? SCAN_THREADS_MIN
	    : t > SCAN_THREADS_MAX	  ? SCAN_THREADS_MAX
					  : t;
	s->share = share_new(&(struct share_options){ .threads = s->threads,
	    .per_dest = o->per_dest == 0 ? SCAN_PER_DEST : o->per_dest });
	s->co = xmalloc(sizeof(*s->co));
	*s->co = *o->check;
	s->co->share = s->share;
	s->slots = xcalloc(s->concurrency, sizeof(*s->slots));
	s->want = xcalloc(n == 0 ? 1 : n, 1);
	for (i = 0; i < n; i++) {
		if (o->nshards != 0 &&
		    scan_shard_of(domain_list_ascii(dl, i), o->nshards) !=
			o->shard) {
			s->p.other_shards++;
			continue;
		}
		s->want[i] = 1;
		s->p.total++;
	}
	return s;
}

int
scan_skip(struct scan *s, const char *ascii)
{
	long i;

	if (s->started || (i = domain_list_find(s->dl, ascii)) < 0 ||
	    !s->want[i])
		return 0;
	s->want[i] = 0;
	s->p.total--;
	s->p.skipped++;
	return 1;
}

/* Abandons the check of one slot (check_free lets its threads run out). */
static void
scan_slot_clear(struct scan *s, struct scan_slot *sl)
{
	epoll_ctl(s->ep, EPOLL_CTL_DEL, check_fd(sl->check), NULL);
	check_free(sl->check);
	sl->check = NULL;
	s->p.in_flight--;
}

/* Starts checks until the slots are full or the list is done. */
static int
scan_fill(struct scan *s, char **cause)
{
	struct epoll_event ev;
	struct scan_slot  *sl;
	size_t		   i, n = domain_list_count(s->dl);

	for (i = 0; i < s->concurrency && !s->stopped; i++) {
		sl = &s->slots[i];
		if (sl->check != NULL)
			continue;
		while (s->next < n && !s->want[s->next])
			s->next++;
		if (s->next == n)
			break;
		sl->index = s->next++;
		sl->check =
		    check_new(domain_list_ascii(s->dl, sl->index), s->co);
		if (check_start(sl->check, cause) != 0) {
			check_free(sl->check);
			sl->check = NULL;
			s->next = sl->index; /* tried again later */
			return -1;
		}
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u64 = i;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, check_fd(sl->check), &ev) !=
		    0) {
			*cause = xasprintf("epoll_ctl: %s", strerror(errno));
			check_free(sl->check);
			sl->check = NULL;
			s->next = sl->index;
			return -1;
		}
		s->p.in_flight++;
	}
	return 0;
}

int
scan_start(struct scan *s, char **cause)
{
	*cause = NULL;
	if (s->started)
		return 0;
	if ((s->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		*cause = xasprintf("epoll_create1: %s", strerror(errno));
		return -1;
	}
	s->started = 1;
	s->start_ms = s->last_sweep_ms = clock_ms();
	if (scan_fill(s, cause) != 0) {
		if (s->p.in_flight == 0)
			return -1;
		/* Short of descriptors: scan_process() tries again. */
		free(*cause);
		*cause = NULL;
	}
	return 0;
}

int
scan_fd(const struct scan *s)
{
	return s->ep;
}

static void
scan_slot_process(struct scan *s, struct scan_slot *sl)
{
	if (sl->check == NULL || !check_process(sl->check, NULL, NULL))
		return;
	s->p.done++;
	if (check_exit_status(sl->check) >= 2)
		s->p.errors++;
	if (s->done_cb != NULL)
		s->done_cb(sl->check, domain_list_unicode(s->dl, sl->index),
		    s->arg);
	scan_slot_clear(s, sl);
	s->p.elapsed_ms = (uint64_t)(clock_ms() - s->start_ms);
	if (s->progress_cb != NULL)
		s->progress_cb(&s->p, s->arg);
}

static int
scan_finished(const struct scan *s)
{
	return s->stopped ||
	    (s->p.in_flight == 0 &&
		s->p.done + s->p.skipped + s->p.other_shards >=
		    domain_list_count(s->dl));
}

int
scan_process(struct scan *s)
{
	struct epoll_event ev[64];
	char		  *cause;
	int		   i, n;
	int64_t		   now;

	if (!s->started || s->stopped)
		return s->stopped;
	n = epoll_wait(s->ep, ev, 64, 0);
	for (i = 0; i < n; i++)
		scan_slot_process(s, &s->slots[ev[i].data.u64]);
	/* A check whose fd stays quiet still has a deadline to judge. */
	now = clock_ms();
	if (now - s->last_sweep_ms >= SCAN_TICK_MS) {
		s->last_sweep_ms = now;
		for (i = 0; i < (int)s->concurrency; i++)
			scan_slot_process(s, &s->slots[i]);
	}
	if (s->error == NULL && scan_fill(s, &cause) != 0) {
		/*
		 * Out of descriptors: try again as checks in flight end and
		 * give theirs back; with none in flight, nothing will.
		 */
		if (s->p.in_flight > 0)
			free(cause);
		else {
			s->error = cause;
			s->next = domain_list_count(s->dl);
		}
	}
	if (s->error != NULL && s->p.in_flight == 0)
		s->stopped = 1;
	s->p.elapsed_ms = (uint64_t)(clock_ms() - s->start_ms);
	return scan_finished(s);
}

void
scan_stop(struct scan *s)
{
	unsigned i;

	s->stopped = 1;
	for (i = 0; i < s->concurrency; i++)
		if (s->slots[i].check != NULL)
			scan_slot_clear(s, &s->slots[i]);
}

int
scan_run(struct scan *s, int interrupt_fd, char **cause)
{
	struct pollfd pfd[2];
	int	      n;

	if (scan_start(s, cause) != 0)
		return -1;
	while (!scan_process(s)) {
		pfd[0].fd = s->ep;
		pfd[0].events = POLLIN;
		pfd[1].fd = interrupt_fd;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		n = poll(pfd, interrupt_fd >= 0 ? 2 : 1, SCAN_TICK_MS);
		if (n == -1 && errno != EINTR) {
			*cause = xasprintf("poll: %s", strerror(errno));
			scan_stop(s);
			return -1;
		}
		if (n > 0 && (pfd[1].revents & (POLLIN | POLLHUP)) != 0) {
			scan_stop(s);
			return 1;
		}
	}
	if (s->error != NULL) {
		*cause = xstrdup(s->error);
		return -1;
	}
	return s->p.done == s->p.total ? 0 : 1;
}

void
scan_progress(const struct scan *s, struct scan_progress *p)
{
	*p = s->p;
}

void
scan_share_stats(const struct scan *s, struct share_stats *st)
{
	share_stats(s->share, st);
}

unsigned
scan_concurrency(const struct scan *s)
{
	return s->concurrency;
}

unsigned
scan_threads(const struct scan *s)
{
	return s->threads;
}

void
scan_free(struct scan *s)
{
	if (s == NULL)
		return;
	if (s->ep != -1) {
		scan_stop(s);
		close(s->ep);
	}
	share_free(s->share);
	free(s->slots);
	free(s->want);
	free(s->co);
	free(s->error);
	free(s);
}
