#include "config.h"
#include "cmd_lint.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "check.h"
#include "domain.h"
#include "finding.h"
#include "jsonw.h"
#include "msg.h"
#include "mx_lookup.h"
#include "policy_parse.h"
#include "report_json.h"
#include "report_text.h"
#include "strbuf.h"
#include "sts_record.h"
#include "summary.h"
#include "tlsrpt_record.h"
#include "xmalloc.h"

#define LINT_MAX_STRINGS 32 /* character-strings per --txt value */
#define LINT_MAX_POLICY	 (1024 * 1024)

enum lint_part {
	LINT_TXT,
	LINT_POLICY,
	LINT_MX,
	LINT_TLSRPT,
	LINT__COUNT
};

static const char *lint_part_names[LINT__COUNT] = { "dns", "policy", "mx",
	"tlsrpt" };

struct lint {
	struct finding_list  *fl[LINT__COUNT];
	int		      ran[LINT__COUNT];
	struct sts_record    *sts;
	struct policy	     *policy;
	struct mx_set	     *mx;
	struct tlsrpt_record *rpt;
	char		     *read_error;
};

int
cmd_lint_split_txt(const char *arg, struct txt_string *out, int max,
    char **cause)
{
	struct strbuf sb;
	const char   *p = arg;
	int	      n = 0, v;

	*cause = NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"') {
		if (strlen(arg) > 255 * LINT_MAX_STRINGS) {
			*cause = xstrdup("record too long");
			return -1;
		}
		out[0].data = (unsigned char *)xstrdup(arg);
		out[0].len = strlen(arg);
		return 1;
	}
	while (*p != '\0') {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (*p != '"' || n == max) {
			*cause = n == max
			    ? xasprintf("more than %d strings", max)
			    : xasprintf("expected '\"' at '%.10s'", p);
			goto fail;
		}
		strbuf_init(&sb, 255);
		for (p++; *p != '"'; p++) {
			if (*p == '\0') {
				*cause = xstrdup("unterminated string");
				strbuf_free(&sb);
				goto fail;
			}
			if (*p == '\\' && isdigit((unsigned char)p[1]) &&
			    isdigit((unsigned char)p[2]) &&
			    isdigit((unsigned char)p[3])) {
				v = (p[1] - '0') * 100 + (p[2] - '0') * 10 +
				    (p[3] - '0');
				if (v > 255) {
					*cause = xstrdup("\\DDD escape over "
							 "255");
					strbuf_free(&sb);
					goto fail;
				}
				strbuf_addc(&sb, (char)v);
				p += 3;
			} else if (*p == '\\' && p[1] != '\0')
				strbuf_addc(&sb, *++p);
			else
				strbuf_addc(&sb, *p);
			if (sb.toobig) {
				*cause = xstrdup("a string is over 255 "
						 "octets");
				strbuf_free(&sb);
				goto fail;
			}
		}
		p++;
		out[n].data = (unsigned char *)strbuf_detach(&sb, &out[n].len);
		n++;
	}
	if (n == 0)
		*cause = xstrdup("no string");
	return n == 0 ? -1 : n;
fail:
	while (n > 0)
		free((void *)out[--n].data);
	return -1;
}

/* Reads --policy FILE (or - for stdin), bounded. */
static char *
lint_read(const char *path, size_t *len, char **cause)
{
	struct strbuf sb;
	struct stat   st;
	FILE	     *f;
	char	      buf[8192];
	size_t	      n;
	int	      fd;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else {
		/*
		 * Non-blocking open and a regular file only: a FIFO or a
		 * device named here must not hang us (a pipe goes through
		 * "--policy -").
		 */
		if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) ==
		    -1) {
			*cause = xasprintf("cannot open %s: %s", path,
			    strerror(errno));
			return NULL;
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			*cause = xasprintf("%s is not a regular file (give "
					   "--policy - to read a pipe)",
			    path);
			close(fd);
			return NULL;
		}
		if ((f = fdopen(fd, "rb")) == NULL) {
			*cause = xasprintf("cannot open %s: %s", path,
			    strerror(errno));
			close(fd);
			return NULL;
		}
	}
	strbuf_init(&sb, LINT_MAX_POLICY);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (strbuf_add(&sb, buf, n) != 0)
			break;
	if (f != stdin)
		fclose(f);
	if (sb.toobig) {
		*cause = xasprintf("%s is over %d bytes: not a policy file",
		    path, LINT_MAX_POLICY);
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, len);
}

/* Several --txt values are several RRs at the same name. */
static int
lint_records(const char *const *args, int nargs, const char *owner, int tlsrpt,
    struct lint *lt)
{
	struct txt_string strs[CLI_MAX_REPEAT][LINT_MAX_STRINGS];
	struct txt_rr	  rrs[CLI_MAX_REPEAT];
	char		 *cause;
	int		  i, n, rc = 0;

	memset(strs, 0, sizeof(strs));
	for (i = 0; i < nargs; i++) {
		n = cmd_lint_split_txt(args[i], strs[i], LINT_MAX_STRINGS,
		    &cause);
		if (n < 0) {
			cli_usage_error("%s: %s", tlsrpt ? "--tlsrpt" : "--txt",
			    cause);
			free(cause);
			rc = -1;
			nargs = i;
			break;
		}
		rrs[i].strings = strs[i];
		rrs[i].nstrings = (size_t)n;
	}
	if (rc == 0 && tlsrpt)
		lt->rpt = tlsrpt_record_select(rrs, (size_t)nargs, owner,
		    lt->fl[LINT_TLSRPT]);
	else if (rc == 0) {
		lt->sts = sts_record_select(rrs, (size_t)nargs, owner,
		    lt->fl[LINT_TXT]);
		sts_record_fix(lt->fl[LINT_TXT], owner, time(NULL));
	}
	for (i = 0; i < nargs; i++)
		for (n = 0; n < (int)rrs[i].nstrings; n++)
			free((void *)strs[i][n].data);
	return rc;
}

/*
 * The --mx hosts as DNS would give them: A-labels in lower case, without
 * the trailing dot (a U-label is converted, as for the domain argument).
 * Returns -1 after a usage error.
 */
static int
lint_mx(const struct cli_options *opts, struct lint *lt)
{
	struct domain_name *dn;
	const char	  **patterns;
	char		   *cause;
	size_t		    i;

	lt->mx = xcalloc(1, sizeof(*lt->mx));
	lt->mx->host = xcalloc((size_t)opts->nmx, sizeof(*lt->mx->host));
	for (i = 0; i < (size_t)opts->nmx; i++) {
		if ((dn = domain_name_parse(opts->mx[i], &cause)) == NULL) {
			cli_usage_error("--mx %s: %s", opts->mx[i], cause);
			free(cause);
			lt->mx->nhost = i;
			return -1;
		}
		lt->mx->host[i].name = xstrdup(domain_name_ascii(dn));
		domain_name_free(dn);
		lt->mx->host[i].pref = (unsigned)(i + 1) * 10;
		lt->mx->host[i].pattern = -2;
	}
	lt->mx->nhost = (size_t)opts->nmx;
	if (lt->policy == NULL)
		return 0;
	patterns = xcalloc(lt->policy->nmx + 1, sizeof(*patterns));
	for (i = 0; i < lt->policy->nmx; i++)
		patterns[i] = lt->policy->mx[i].pattern;
	/* lint has no domain: the policy host is known by its name alone. */
	mx_lookup_cover(lt->mx, patterns, lt->policy->nmx,
	    lt->policy->mode == POLICY_MODE_ENFORCE, NULL, lt->fl[LINT_MX]);
	free(patterns);
	return 0;
}

static enum check_status
lint_status(const struct lint *lt, int part)
{
	if (!lt->ran[part])
		return CHECK_SKIP;
	switch (finding_list_worst(lt->fl[part])) {
	case FINDING_ERROR:
		return CHECK_FAIL;
	case FINDING_WARNING:
		return CHECK_WARN;
	default:
		return CHECK_PASS;
	}
}

static void
lint_print_json(const struct lint *lt, int rc)
{
	struct jsonw *j;
	char	     *s;
	int	      i;

	j = jsonw_new(1);
	jsonw_object_begin(j, NULL);
	jsonw_int(j, "version", REPORT_JSON_VERSION);
	jsonw_string(j, "tool", "mtasts-tui " MTASTS_VERSION);
	jsonw_string(j, "command", "lint");
	jsonw_int(j, "exit_status", rc);
	jsonw_array_begin(j, "layers");
	for (i = 0; i < LINT__COUNT; i++) {
		if (!lt->ran[i])
			continue;
		jsonw_object_begin(j, NULL);
		jsonw_string(j, "id", lint_part_names[i]);
		jsonw_string(j, "status",
		    check_status_name(lint_status(lt, i)));
		report_json_findings(j, "findings", lt->fl[i],
		    lint_part_names[i]);
		jsonw_object_begin(j, "data");
		if (i == LINT_TXT)
			report_json_sts(j, lt->sts);
		else if (i == LINT_POLICY)
			report_json_policy(j, lt->policy);
		else if (i == LINT_MX)
			report_json_mx(j, lt->mx, lt->policy);
		else
			report_json_tlsrpt(j, lt->rpt);
		jsonw_object_end(j);
		jsonw_object_end(j);
	}
	jsonw_array_end(j);
	jsonw_array_begin(j, "findings");
	for (i = 0; i < LINT__COUNT; i++)
		report_json_finding_items(j, lt->fl[i], lint_part_names[i]);
	jsonw_array_end(j);
	jsonw_object_end(j);
	s = jsonw_finish(j, NULL);
	fputs(s, stdout);
	free(s);
	jsonw_free(j);
}

static void
lint_print_text(const struct cli_options *opts, const struct lint *lt)
{
	struct report_text_style st;
	const char		*line[BUDGET_MX_MAX_HOSTS + 1];
	char			*own[BUDGET_MX_MAX_HOSTS + 1];
	size_t			 n, i;
	int			 p;

	report_text_style_init(&st, opts->color, stdout);
	for (p = 0; p < LINT__COUNT; p++) {
		if (!lt->ran[p])
			continue;
		n = 0;
		if (p == LINT_MX) {
			for (i = 0;
			     i < lt->mx->nhost && n < BUDGET_MX_MAX_HOSTS;
			     i++) {
				own[n] =
				    xasprintf("%s: %s", lt->mx->host[i].name,
					lt->mx->host[i].why != NULL
					    ? lt->mx->host[i].why
					    : "not judged (no "
					      "policy)");
				line[n] = own[n];
				n++;
			}
		}
		report_text_layer(stdout, lint_part_names[p],
		    lint_status(lt, p), 0, line, n, lt->fl[p], &st);
		for (i = 0; i < n; i++)
			free(own[i]);
	}
}

int
cmd_lint(const struct cli_options *opts)
{
	struct lint	      lt;
	enum finding_severity worst = FINDING_NONE, w;
	char		     *body, *cause = NULL;
	size_t		      len;
	int		      i, rc = EXIT_CHECK_OK;

	if (opts->policy_file == NULL && opts->ntxt == 0 &&
	    opts->ntlsrpt == 0) {
		cli_usage_error("lint needs --policy, --txt or --tlsrpt");
		return EXIT_CHECK_UNKNOWN;
	}
	if (opts->nmx > 0 && opts->policy_file == NULL) {
		cli_usage_error("--mx needs --policy");
		return EXIT_CHECK_UNKNOWN;
	}
	memset(&lt, 0, sizeof(lt));
	for (i = 0; i < LINT__COUNT; i++)
		lt.fl[i] = finding_list_new();

	if (opts->ntxt > 0) {
		lt.ran[LINT_TXT] = 1;
		if (lint_records(opts->txt, opts->ntxt, "_mta-sts", 0, &lt) !=
		    0)
			rc = EXIT_CHECK_UNKNOWN;
	}
	if (rc == EXIT_CHECK_OK && opts->ntlsrpt > 0) {
		lt.ran[LINT_TLSRPT] = 1;
		if (lint_records(opts->tlsrpt, opts->ntlsrpt, "_smtp._tls", 1,
			&lt) != 0)
			rc = EXIT_CHECK_UNKNOWN;
	}
	if (rc == EXIT_CHECK_OK && opts->policy_file != NULL) {
		if ((body = lint_read(opts->policy_file, &len, &cause)) ==
		    NULL) {
			msg_error("%s", cause);
			free(cause);
			rc = EXIT_CHECK_UNKNOWN;
		} else {
			lt.ran[LINT_POLICY] = 1;
			lt.policy = policy_parse(body, len, opts->policy_file,
			    lt.fl[LINT_POLICY]);
			free(body);
		}
	}
	if (rc == EXIT_CHECK_OK && opts->nmx > 0) {
		lt.ran[LINT_MX] = 1;
		if (lint_mx(opts, &lt) != 0)
			rc = EXIT_CHECK_UNKNOWN;
	}
	if (rc == EXIT_CHECK_OK) {
		for (i = 0; i < LINT__COUNT; i++) {
			finding_list_sort(lt.fl[i]);
			if ((w = finding_list_worst(lt.fl[i])) > worst)
				worst = w;
		}
		rc = worst == FINDING_ERROR    ? EXIT_CHECK_ERROR
		    : worst == FINDING_WARNING ? EXIT_CHECK_WARNING
					       : EXIT_CHECK_OK;
		if (opts->format == CLI_FORMAT_JSON)
			lint_print_json(&lt, rc);
		else
			lint_print_text(opts, &lt);
	}
	for (i = 0; i < LINT__COUNT; i++)
		finding_list_free(lt.fl[i]);
	sts_record_free(lt.sts);
	policy_free(lt.policy);
	mx_set_free(lt.mx);
	tlsrpt_record_free(lt.rpt);
	return rc;
}
