#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "domain.h"
#include "keys.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "view_list.h"
#include "widget_list.h"
#include "xmalloc.h"

#define DOMAINS_MAX 1000

/*
 * A list of domains to pick from: the file MTASTS_TUI_DOMAINS names, one
 * "domain  description" per line (the demo writes `lab list` there).
 * Enter checks the domain under the cursor.
 */
struct domains_data {
	char **names;
	size_t n;
};

static void domains_init(struct view *);
static void domains_free(struct view *);
static void domains_build(struct view *, struct wlist *);
static int  domains_key(struct view *, struct wlist *, int);

static const struct view_list_ops domains_list = {
	.size = sizeof(struct domains_data),
	.init = domains_init,
	.free = domains_free,
	.build = domains_build,
	.key = domains_key,
	.keys = "j/k move  Enter check it  Esc back  q quit",
	.keys_ascii = "j/k move  Enter check it  Esc back  q quit",
};

const struct view_ops view_domains_ops =
    VIEW_LIST_OPS("domains", &domains_list);

static void
domains_init(struct view *v)
{
	struct domains_data *d = view_list_data(v);
	const char	    *path = getenv("MTASTS_TUI_DOMAINS");
	FILE		    *f;
	char		     line[512];
	size_t		     len;
	struct stat	     st;
	int		     fd;

	view_list_title(v, (enum check_status) - 1,
	    "domains (Enter checks one)");
	/* A FIFO or a device named here must not hang the screen. */
	if (path == NULL ||
	    (fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	while (d->n < DOMAINS_MAX && fgets(line, sizeof(line), f) != NULL) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		d->names = xreallocarray(d->names, d->n + 1, sizeof(*d->names));
		d->names[d->n++] = xstrdup(line);
	}
	fclose(f);
}

static void
domains_free(struct view *v)
{
	struct domains_data *d = view_list_data(v);
	size_t		     i;

	for (i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
}

static void
domains_build(struct view *v, struct wlist *l)
{
	struct domains_data *d = view_list_data(v);
	struct wlist_item   *it;
	size_t		     i;
	char		    *s;

	for (i = 0; i < d->n; i++) {
		s = text_cleans(d->names[i]);
		it = wlist_add(l, i + 1, A_NORMAL, "%s", s);
		view_link(it, CHECK_DNS, VIEW_PART_DOMAIN, 0, 0)->line = i;
		free(s);
	}
	if (d->n == 0)
		wlist_add(l, 1, theme_attr(THEME_DIM),
		    "the domain list is empty or unreadable");
}

static int
domains_key(struct view *v, struct wlist *l, int key)
{
	struct domains_data *d = view_list_data(v);
	struct wlist_item   *it;
	struct domain_name  *dn;
	struct app	    *a = v->app;
	char		    *name, *cause;

	if (!keys_is_enter(key))
		return APP_UNHANDLED;
	if ((it = wlist_selected(l)) == NULL || !it->link)
		return APP_REDRAW;
	name = xstrndup(d->names[it->to.line],
	    strcspn(d->names[it->to.line], " \t"));
	if ((dn = domain_name_parse(name, &cause)) == NULL) {
		app_message(a, 1, "%s", cause);
		free(cause);
		free(name);
		return APP_REDRAW;
	}
	free(name);
	/* This view is freed by the switch: touch nothing of it after. */
	app_switch(a, dn);
	return APP_REDRAW | APP_UPDATE | APP_RESIZE;
}
