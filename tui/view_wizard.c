#include "config.h"
#include "view_wizard.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "keys.h"
#include "plan.h"
#include "text.h"
#include "view.h"
#include "view_wizard_int.h"
#include "wizard/draft.h"
#include "wizard/state.h"
#include "xmalloc.h"

#define WIZ_TYPING_KEYS "Enter accept   Esc cancel   Backspace delete"

static void	   wiz_init(struct view *);
static void	   wiz_free(struct view *);
static void	   wiz_nothing(struct view *);
static int	   wiz_key(struct view *, int);
static const char *wiz_keys(struct view *);

const struct view_ops view_wizard_ops = {
	.name = "wizard",
	.init = wiz_init,
	.free = wiz_free,
	.resize = wiz_nothing,
	.update = wiz_nothing,
	.draw = wiz_draw,
	.key = wiz_key,
	.keys = wiz_keys,
};

/* The handlers the key table names. */
#define WIZARD_KEY(s, k, n, h, w, fn) \
	static int fn(struct view *, struct wiz *);
#include "keys_wizard.h"
#undef WIZARD_KEY

static const struct wiz_binding {
	int	    screens;
	int	    key;
	const char *hint;
	int (*fn)(struct view *, struct wiz *);
} wiz_bindings[] = {
#define WIZARD_KEY(s, k, n, h, w, fn) { s, k, h, fn },
#include "keys_wizard.h"
#undef WIZARD_KEY
};

#define WIZ_NBINDINGS (sizeof(wiz_bindings) / sizeof(wiz_bindings[0]))

static void
wiz_init(struct view *v)
{
	struct wiz *w = xcalloc(1, sizeof(*w));

	wlist_init(&w->entries);
	v->data = w;
}

static void
wiz_free(struct view *v)
{
	struct wiz *w = v->data;

	prompt_close(&w->input);
	state_free(w->chplan);
	wlist_free(&w->entries);
	free(w->status);
	wizard_draft_free(w->d);
	free(w);
}

/* The wizard keeps no pointer into the check: nothing to rebuild. */
static void
wiz_nothing(struct view *v)
{
	(void)v;
}

int
view_wizard_open(struct app *a, struct wizard_draft *d,
    struct view_wizard_end *end)
{
	struct view *v;
	struct wiz  *w;

	v = app_push(a, &view_wizard_ops, NULL);
	if (v->ops != &view_wizard_ops) {
		wizard_draft_free(d);
		return APP_REDRAW;
	}
	w = v->data;
	w->d = d;
	w->end = end;
	if (end != NULL) {
		end->rc = 1;
		end->summary = NULL;
	}
	return APP_RESIZE | APP_UPDATE | APP_REDRAW;
}

static void
wiz_set_status(struct wiz *w, char *s)
{
	free(w->status);
	w->status = s;
}

/* The wizard is over: rc 0 written, 1 left. */
static int
wiz_finish(struct view *v, struct wiz *w, int rc)
{
	struct app *a = v->app;
	char	   *msg;

	if (w->end != NULL) {
		w->end->rc = rc;
		if (rc == 0 && w->chplan != NULL)
			w->end->summary =
			    change_plan_summary(w->chplan, w->d->state_path);
		else if (rc == 0)
			w->end->summary = wizard_draft_summary(w->d);
		return APP_QUIT;
	}
	if (rc == 0 && w->chplan != NULL)
		msg = xasprintf("%s plan saved in %s",
		    change_kind_title(w->chplan->change->kind),
		    w->d->state_path);
	else if (rc == 0)
		msg = xasprintf("the wizard wrote its files; rollout plan "
				"saved in %s",
		    w->d->state_path);
	else
		msg = xstrdup("the wizard was left; nothing was written");
	app_pop(a); /* frees v and w */
	app_message(a, 0, "%s", msg);
	free(msg);
	/* The wizard may have made or changed the plan. */
	plan_invalidate(a);
	return APP_RESIZE | APP_UPDATE | APP_REDRAW;
}

/* What the wizard asks for, one entry per kind of value. */
enum wiz_field_id {
	WIZ_F_MX,
	WIZ_F_MX_EDIT,
	WIZ_F_RUA,
	WIZ_F_RUA_EDIT,
	WIZ_F_MAX_AGE,
	WIZ_F_ADDR,
	WIZ_F_CNAME,
	WIZ_F_DIR,
	WIZ_F_NEW_MX,
	WIZ_F_OLD_MX,
	WIZ_F_NEW_CNAME,
	WIZ_F_NEW_ADDR,
	WIZ_F_NEW_MAX_AGE
};

static const struct wiz_field wiz_fields[] = {
	[WIZ_F_MX] = { "New pattern:", gen_validate_mx, wizard_draft_add_mx,
	    "too many patterns" },
	[WIZ_F_MX_EDIT] = { "Pattern:", gen_validate_mx, NULL, NULL },
	[WIZ_F_RUA] = { "New URI:", gen_validate_rua, wizard_draft_add_rua,
	    "too many" },
	[WIZ_F_RUA_EDIT] = { "URI:", gen_validate_rua, NULL, NULL },
	[WIZ_F_MAX_AGE] = { "max_age (seconds):", wizard_valid_max_age,
	    wizard_draft_set_max_age, NULL },
	[WIZ_F_ADDR] = { "Address of mta-sts:", wizard_valid_addr,
	    wizard_draft_host_addr, "too many" },
	[WIZ_F_CNAME] = { "CNAME target:", wizard_valid_cname,
	    wizard_draft_host_cname, NULL },
	[WIZ_F_DIR] = { "Directory:", wizard_valid_dir, wizard_draft_set_dir,
	    NULL },
	[WIZ_F_NEW_MX] = { "New MX host:", gen_validate_mx,
	    wizard_draft_change_new_mx, NULL },
	[WIZ_F_OLD_MX] = { "Old MX host:", gen_validate_mx,
	    wizard_draft_change_old_mx, NULL },
	[WIZ_F_NEW_CNAME] = { "New host's CNAME target:", wizard_valid_cname,
	    wizard_draft_change_cname, NULL },
	[WIZ_F_NEW_ADDR] = { "New host's address:", wizard_valid_addr,
	    wizard_draft_change_addr, NULL },
	[WIZ_F_NEW_MAX_AGE] = { "max_age (seconds):", wizard_valid_max_age,
	    wizard_draft_change_max_age, NULL },
};

/* Opens the line to type field into, starting from initial. */
static int
wiz_type(struct wiz *w, enum wiz_field_id f, const char *initial)
{
	w->field = &wiz_fields[f];
	prompt_open(&w->input, PROMPT_TEXT, w->field->label, initial, NULL);
	return APP_REDRAW;
}

/* A valid value typed: into the draft, or over the selected entry. */
static void
wiz_typed(struct wiz *w, const char *text)
{
	size_t *n, i = wiz_sel(w);
	char  **l;

	if (w->field->set == NULL) {
		l = wiz_list(w, &n);
		if (i < *n) {
			free(l[i]);
			l[i] = xstrdup(text);
		}
	} else if (w->field->set(w->d, text) != 0 && w->field->full != NULL)
		wiz_set_status(w, xstrdup(w->field->full));
}

static int
wiz_typing_key(struct wiz *w, int key)
{
	char *text, *cause = NULL;
	int   ok;

	switch (prompt_key(&w->input, key)) {
	case PROMPT_EDITED:
		break;
	case PROMPT_CANCEL:
		prompt_close(&w->input);
		break;
	case PROMPT_DONE:
		ok = w->input.len > 0 &&
		    w->field->valid(w->input.buf, &cause) == 0;
		free(cause);
		if (!ok)
			break;
		text = xstrdup(w->input.buf);
		prompt_close(&w->input);
		wiz_set_status(w, NULL); /* about the value before */
		wiz_typed(w, text);
		free(text);
		break;
	}
	return APP_REDRAW;
}

static void
wiz_enter_step(struct wiz *w, int step)
{
	w->step = step;
	wiz_select(w, 0);
	/* Enforce is re-judged against the patterns as edited. */
	if (w->step == 2 && w->d->spec.mode == POLICY_MODE_ENFORCE &&
	    !wizard_draft_enforce_offered(w->d)) {
		wizard_draft_set_mode(w->d, POLICY_MODE_TESTING);
		wiz_set_status(w,
		    xstrdup("enforce is not offered with these patterns: "
			    "the policy goes to testing (weaker than live)"));
	}
	if (w->step == 4) /* the id follows the answers before it */
		wizard_draft_choose_id(w->d);
}

static int
wiz_key(struct view *v, int key)
{
	struct wiz *w = v->data;
	size_t	    i;
	int	    screen;

	if (w->input.kind != PROMPT_NONE)
		return wiz_typing_key(w, key);
	screen = wiz_screen(w);
	/* Keys may come faster than frames: the entries as they are now. */
	if (screen & WIZ_LISTS)
		wiz_entries(w);
	for (i = 0; i < WIZ_NBINDINGS; i++) {
		if ((wiz_bindings[i].screens & screen) == 0)
			continue;
		if (key == wiz_bindings[i].key ||
		    (wiz_bindings[i].key == WIZ_ENTER && keys_is_enter(key))) {
			wiz_set_status(w, NULL);
			return wiz_bindings[i].fn(v, w);
		}
	}
	/* Every other key is the wizard's too: nothing else runs. */
	return APP_REDRAW;
}

int
wiz_screen(const struct wiz *w)
{
	if (w->confirming)
		return WIZ_ASK;
	if (w->chplan != NULL)
		return WIZ_CHASK;
	return w->changing ? WIZ_CHANGE : 1 << w->step;
}

/* The key line, from the key table. */
static const char *
wiz_keys(struct view *v)
{
	static char buf[256];
	struct wiz *w = v->data;
	size_t	    i, len = 0;
	int	    screen;

	if (w->input.kind != PROMPT_NONE)
		return WIZ_TYPING_KEYS;
	screen = wiz_screen(w);
	buf[0] = '\0';
	for (i = 0; i < WIZ_NBINDINGS; i++) {
		if ((wiz_bindings[i].screens & screen) == 0 ||
		    wiz_bindings[i].hint == NULL || len >= sizeof(buf))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    len > 0 ? "  " : "", wiz_bindings[i].hint);
	}
	return buf;
}

char **
wiz_list(struct wiz *w, size_t **n)
{
	if (w->step == 1) {
		*n = &w->d->spec.nmx;
		return w->d->spec.mx;
	}
	*n = &w->d->spec.nrua;
	return w->d->spec.rua;
}

void
wiz_entries(struct wiz *w)
{
	size_t *n, i;
	char  **v = wiz_list(w, &n), *s;

	wlist_begin(&w->entries);
	for (i = 0; i < *n; i++) {
		s = text_cleans(v[i]);
		wlist_add(&w->entries, (uint64_t)i + 1, A_NORMAL, "    %s", s);
		free(s);
	}
	wlist_end(&w->entries);
}

size_t
wiz_sel(struct wiz *w)
{
	struct wlist_item *it = wlist_selected(&w->entries);

	return it != NULL && it->tag > 0 ? (size_t)it->tag - 1 : 0;
}

void
wiz_select(struct wiz *w, size_t i)
{
	wlist_select_tag(&w->entries, (uint64_t)i + 1);
}

static int
wiz_list_add(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_type(w, w->step == 1 ? WIZ_F_MX : WIZ_F_RUA, NULL);
}

static int
wiz_list_edit(struct view *v, struct wiz *w)
{
	size_t *n;
	char  **l = wiz_list(w, &n);

	(void)v;
	if (*n > 0)
		wiz_type(w, w->step == 1 ? WIZ_F_MX_EDIT : WIZ_F_RUA_EDIT,
		    l[wiz_sel(w)]);
	return APP_REDRAW;
}

static int
wiz_list_delete(struct view *v, struct wiz *w)
{
	size_t *n, i = wiz_sel(w);
	char  **l = wiz_list(w, &n);

	(void)v;
	wizard_list_del(l, n, i);
	/* The cursor stays on the row, or the new last one. */
	wiz_select(w, i > 0 && i >= *n ? i - 1 : i);
	return APP_REDRAW;
}

static int
wiz_list_up(struct view *v, struct wiz *w)
{
	(void)v;
	wlist_key(&w->entries, KEYS_UP);
	return APP_REDRAW;
}

static int
wiz_list_down(struct view *v, struct wiz *w)
{
	(void)v;
	wlist_key(&w->entries, KEYS_DOWN);
	return APP_REDRAW;
}

static int
wiz_wildcard(struct view *v, struct wiz *w)
{
	(void)v;
	if (wizard_draft_use_wildcard(w->d))
		wiz_select(w, 0);
	return APP_REDRAW;
}

static int
wiz_testing(struct view *v, struct wiz *w)
{
	(void)v;
	wizard_draft_set_mode(w->d, POLICY_MODE_TESTING);
	return APP_REDRAW;
}

static int
wiz_enforce(struct view *v, struct wiz *w)
{
	(void)v;
	if (!wizard_draft_enforce_offered(w->d))
		wiz_set_status(w,
		    xasprintf("enforce is not offered: run 'mtasts-tui check "
			      "%s' for why",
			w->d->domain));
	else
		wizard_draft_set_mode(w->d, POLICY_MODE_ENFORCE);
	return APP_REDRAW;
}

static int
wiz_max_age(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_type(w, WIZ_F_MAX_AGE, NULL);
}

static int
wiz_host_none(struct view *v, struct wiz *w)
{
	(void)v;
	wizard_draft_host_none(w->d);
	return APP_REDRAW;
}

static int
wiz_host_addr(struct view *v, struct wiz *w)
{
	(void)v;
	/* Addresses are chosen as soon as they are asked for. */
	wizard_draft_host_addr(w->d, NULL);
	return wiz_type(w, WIZ_F_ADDR, NULL);
}

static int
wiz_host_cname(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_type(w, WIZ_F_CNAME, NULL);
}

static int
wiz_dir(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_type(w, WIZ_F_DIR, w->d->dir);
}

/* Called only once the user said yes, or when nothing differs. */
static int
wiz_replace_all(const char *path, void *arg)
{
	(void)path;
	(void)arg;
	return 1;
}

static int
wiz_try_write(struct view *v, struct wiz *w)
{
	char *cause = NULL;

	w->confirming = 0;
	if (wizard_draft_write(w->d, wiz_replace_all, w, &cause) == 0)
		return wiz_finish(v, w, 0);
	wiz_set_status(w, cause);
	return APP_REDRAW;
}

/*
 * Files that exist with the same bytes need no question; files that
 * differ and a plan that would be replaced are confirmed once, all on
 * the output screen.
 */
static int
wiz_write(struct view *v, struct wiz *w)
{
	w->exists = wizard_draft_existing(w->d, &w->differ);
	if (!w->d->force && (w->differ != 0 || w->d->prev != NULL)) {
		w->confirming = 1;
		return APP_REDRAW;
	}
	return wiz_try_write(v, w);
}

static int
wiz_replace_yes(struct view *v, struct wiz *w)
{
	return wiz_try_write(v, w);
}

static int
wiz_replace_no(struct view *v, struct wiz *w)
{
	(void)v;
	w->confirming = 0;
	wiz_set_status(w,
	    xstrdup("nothing was written: the files and the plan are as "
		    "they were"));
	return APP_REDRAW;
}

static int
wiz_next(struct view *v, struct wiz *w)
{
	char *cause = NULL;

	(void)v;
	if (w->step == 1 && wizard_draft_check_mx(w->d, &cause) != 0) {
		wiz_set_status(w, cause);
		return APP_REDRAW;
	}
	if (w->step == 3 && w->d->spec.nrua == 0) {
		wiz_set_status(w, xstrdup("add at least one destination"));
		return APP_REDRAW;
	}
	if (w->step + 1 < WIZ_NSTEPS)
		wiz_enter_step(w, w->step + 1);
	return APP_REDRAW;
}

static int
wiz_back(struct view *v, struct wiz *w)
{
	(void)v;
	if (w->step > 0)
		wiz_enter_step(w, w->step - 1);
	return APP_REDRAW;
}

static int
wiz_quit(struct view *v, struct wiz *w)
{
	return wiz_finish(v, w, 1);
}

static int
wiz_help(struct view *v, struct wiz *w)
{
	(void)w;
	app_push(v->app, &view_help_ops, NULL);
	return APP_REDRAW;
}

/* S: the screen's own key (app.c saves any view as text). */
static int
wiz_screen_key(struct view *v, struct wiz *w)
{
	(void)v;
	(void)w;
	return APP_UNHANDLED;
}

/* --- a change plan instead of a rollout ---------------------------- */

static int
wiz_change(struct view *v, struct wiz *w)
{
	char *cause;

	(void)v;
	if (wizard_draft_change_offered(w->d, &cause) != 0)
		wiz_set_status(w, cause);
	else
		w->changing = 1;
	return APP_REDRAW;
}

/* Chooses the kind, then asks for its first value (if it has one). */
static int
wiz_change_pick(struct wiz *w, enum change_kind k, int field)
{
	wizard_draft_change_kind(w->d, k);
	w->chosen = 1;
	return field != -1 ? wiz_type(w, field, NULL) : APP_REDRAW;
}

static int
wiz_change_mx(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_pick(w, CHANGE_MX, WIZ_F_NEW_MX);
}

static int
wiz_change_remove(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_pick(w, CHANGE_REMOVE, -1);
}

static int
wiz_change_host(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_pick(w, CHANGE_HOST, WIZ_F_NEW_CNAME);
}

static int
wiz_change_age(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_pick(w, CHANGE_MAX_AGE, WIZ_F_NEW_MAX_AGE);
}

/* A value of the chosen kind; other kinds ignore the key. */
static int
wiz_change_value(struct wiz *w, unsigned kinds, enum wiz_field_id f)
{
	if (w->chosen && (kinds & (1u << w->d->change.kind)) != 0)
		return wiz_type(w, f, NULL);
	return APP_REDRAW;
}

static int
wiz_change_new_mx(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_value(w, 1u << CHANGE_MX, WIZ_F_NEW_MX);
}

static int
wiz_change_old_mx(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_value(w, 1u << CHANGE_MX, WIZ_F_OLD_MX);
}

static int
wiz_change_cname(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_value(w, 1u << CHANGE_HOST, WIZ_F_NEW_CNAME);
}

static int
wiz_change_addr(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_value(w, 1u << CHANGE_HOST, WIZ_F_NEW_ADDR);
}

static int
wiz_change_max_age(struct view *v, struct wiz *w)
{
	(void)v;
	return wiz_change_value(w, 1u << CHANGE_REMOVE | 1u << CHANGE_MAX_AGE,
	    WIZ_F_NEW_MAX_AGE);
}

/* Makes the plan in memory; it is saved only on yes. */
static int
wiz_change_make(struct view *v, struct wiz *w)
{
	char *cause;

	(void)v;
	if (!w->chosen)
		wiz_set_status(w, xstrdup("choose the change: 1 to 4"));
	else if ((w->chplan = wizard_draft_change_plan(w->d, &cause)) == NULL)
		wiz_set_status(w, cause);
	return APP_REDRAW;
}

static int
wiz_change_back(struct view *v, struct wiz *w)
{
	(void)v;
	w->changing = 0;
	return APP_REDRAW;
}

static int
wiz_change_yes(struct view *v, struct wiz *w)
{
	char *cause;

	if (wizard_draft_change_save(w->d, w->chplan, &cause) == 0)
		return wiz_finish(v, w, 0);
	wiz_set_status(w, cause);
	state_free(w->chplan);
	w->chplan = NULL;
	return APP_REDRAW;
}

static int
wiz_change_no(struct view *v, struct wiz *w)
{
	(void)v;
	state_free(w->chplan);
	w->chplan = NULL;
	wiz_set_status(w,
	    xstrdup("nothing was written: the change plan was not saved"));
	return APP_REDRAW;
}
