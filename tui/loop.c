#include "config.h"
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "app.h"
#include "curses.h"
#include "keys.h"
#include "run_config.h"
#include "term.h"
#include "watch.h"

static void loop_settle(struct app *);

/* Applies model changes (not drawing): windows, then view contents. */
static void
loop_settle(struct app *a)
{
	if (a->flags & APP_RESIZE)
		app_resize(a);
	if (a->flags & (APP_UPDATE | APP_RESIZE))
		app_update(a);
	if (a->flags & (APP_UPDATE | APP_RESIZE))
		a->flags = (a->flags & ~(APP_UPDATE | APP_RESIZE)) | APP_REDRAW;
}

void
loop_run(struct app *a)
{
	struct pollfd pfd[3];
	nfds_t	      n;
	int	      key, ev, r, timeout, running;

	/* --watch: the timer lives in this loop (watch.h). */
	if (a->cfg->watch && a->cfg->front == RUN_SCREEN && a->watch == NULL)
		a->watch = watch_new(a->cfg->watch_secs);
	for (;;) {
		if (a->flags & APP_QUIT)
			break;
		/* w pressed while the check ran: the wizard, now it is done. */
		a->flags |= app_wizard_if_pending(a);
		/* A run just ended, or the next one is due. */
		a->flags |= watch_tick(a->watch, a);
		loop_settle(a);
		if (a->flags & APP_REDRAW) {
			app_draw(a);
			watch_draw(a->watch, a);
			doupdate();
		}
		a->flags = 0;

		running = a->check != NULL && !check_done(a->check);
		n = 0;
		pfd[n].fd = STDIN_FILENO;
		pfd[n++].events = POLLIN;
		pfd[n].fd = term_fd();
		pfd[n++].events = POLLIN;
		if (running) {
			pfd[n].fd = check_fd(a->check);
			pfd[n++].events = POLLIN;
		}
		timeout = running ? LOOP_TICK_MS : watch_sleep_ms(a->watch, a);
		r = poll(pfd, n, timeout);
		if (r == -1 && errno != EINTR)
			break;
		if (r <= 0) {
			/* The tick: spinner and elapsed time move on. */
			if (running) {
				a->spin++;
				a->flags |= APP_REDRAW;
				/* The check's deadline is kept here too. */
				if (check_process(a->check, app_layer_cb, a))
					a->flags |= APP_UPDATE;
			}
			if (r == 0)
				continue;
		}
		ev = term_events();
		if (ev & TERM_EV_QUIT)
			break;
		if (ev & TERM_EV_RESIZE) {
			term_resize(&a->rows, &a->cols);
			a->flags |= APP_RESIZE;
		}
		if (running && n == 3 && (pfd[2].revents & POLLIN)) {
			if (check_process(a->check, app_layer_cb, a))
				a->flags |= APP_UPDATE;
			a->flags |= APP_REDRAW;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		/* curses may hold several keys from one read: take all. */
		while (keys_read(&key) == 0) {
			a->flags |= app_key(a, key);
			if (a->flags & APP_QUIT)
				break;
			/* The next key must see the view this one opened. */
			loop_settle(a);
		}
	}
	watch_free(a->watch);
	a->watch = NULL;
}
