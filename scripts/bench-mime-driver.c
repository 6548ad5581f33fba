/*
 * bench-mime-driver: reads one file with one MIME parser and prints what
 * it found and what it cost, for scripts/bench-mime.sh (the GMime 3 or
 * hand-written decision in doc/decisions.md).  Built by that script only,
 * and only when GMime 3 is present; never part of the tool.
 *
 *   bench-mime-driver ours|gmime FILE
 *
 * prints one line:
 *   reports=N unreadable=N ids=HASH cpu_ms=N rss_kb=N
 * where ids is an FNV-1a hash of the sorted report ids, so that two runs
 * that extracted the same reports print the same hash, and rss_kb is the
 * growth of the peak resident set over the start (after set-up).
 *
 * "ours" hands the file to report_input_add_buffer() as the tool does.
 * "gmime" parses it with GMime (an mbox when it starts with "From "),
 * walks the tree with the same part rules and caps as report_input.c
 * (tlsrpt+json/+gzip, leniently application/tlsrpt or *.json[.gz]; at
 * most REPORT_INPUT_MAX_PARTS parts and REPORT_INPUT_MAX_MIME_DEPTH levels
 * per message) and hands each decoded part to report_input_add_buffer(),
 * so both sides share the JSON and gzip code and differ only in MIME.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <gmime/gmime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_input.h"
#include "tlsrpt_report.h"

struct walk {
	struct report_input *in;
	size_t		     nparts;
	size_t		     msg;
};

static char *
slurp(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	struct stat st;
	char	   *buf;

	if (f == NULL || fstat(fileno(f), &st) == -1) {
		perror(path);
		exit(2);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL ||
	    fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

static void
walk_part(struct walk *w, GMimePart *part)
{
	GMimeContentType *ct;
	GMimeDataWrapper *dw;
	GMimeStream	 *out;
	GByteArray	 *ba;
	const char	 *fname;
	char		 *type, src[64];
	int		  take;

	w->nparts++;
	ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	type = g_mime_content_type_get_mime_type(ct);
	fname = g_mime_part_get_filename(part);
	take = strcasecmp(type, "application/tlsrpt+json") == 0 ||
	    strcasecmp(type, "application/tlsrpt+gzip") == 0 ||
	    strcasecmp(type, "application/tlsrpt") == 0 ||
	    (fname != NULL &&
		(ends_with(fname, ".json") || ends_with(fname, ".json.gz")));
	g_free(type);
	if (!take || (dw = g_mime_part_get_content(part)) == NULL)
		return;
	out = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(dw, out);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	snprintf(src, sizeof(src), "message %zu part %zu", w->msg, w->nparts);
	report_input_add_buffer(w->in, ba->data, ba->len, src);
	g_object_unref(out);
}

static void
walk(struct walk *w, GMimeObject *o, int depth)
{
	GMimeMultipart *mp;
	int		i, n;

	if (o == NULL || depth > REPORT_INPUT_MAX_MIME_DEPTH ||
	    w->nparts >= REPORT_INPUT_MAX_PARTS)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		mp = GMIME_MULTIPART(o);
		n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n && w->nparts < REPORT_INPUT_MAX_PARTS; i++)
			walk(w, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_PART(o))
		walk_part(w, GMIME_PART(o));
}

static void
run_gmime(struct report_input *in, const char *buf, size_t len)
{
	GMimeStream  *s;
	GMimeParser  *p;
	GMimeMessage *m;
	struct walk   w;

	memset(&w, 0, sizeof(w));
	w.in = in;
	/* The stream copies nothing: it reads the caller's buffer. */
	s = g_mime_stream_mem_new_with_buffer(buf, len);
	p = g_mime_parser_new_with_stream(s);
	g_mime_parser_set_format(p,
	    len >= 5 && memcmp(buf, "From ", 5) == 0 ? GMIME_FORMAT_MBOX
						     : GMIME_FORMAT_MESSAGE);
	while (!g_mime_parser_eos(p) && w.msg < REPORT_INPUT_MAX_MESSAGES) {
		if ((m = g_mime_parser_construct_message(p, NULL)) == NULL)
			break;
		w.msg++;
		w.nparts = 0;
		walk(&w, g_mime_message_get_mime_part(m), 0);
		g_object_unref(m);
	}
	g_object_unref(p);
	g_object_unref(s);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long
peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int
main(int argc, char **argv)
{
	struct report_input	       *in;
	const struct report_input_item *it;
	struct rusage			ru;
	char			       *buf, **ids;
	size_t				len, i, n = 0;
	uint64_t			h = 14695981039346656037ULL;
	const char		       *c;
	long				rss0;

	if (argc != 3 ||
	    (strcmp(argv[1], "ours") != 0 && strcmp(argv[1], "gmime") != 0)) {
		fprintf(stderr, "usage: bench-mime-driver ours|gmime FILE\n");
		return 2;
	}
	g_mime_init();
	buf = slurp(argv[2], &len);
	in = report_input_new();
	rss0 = peak_kb();
	if (strcmp(argv[1], "ours") == 0)
		report_input_add_buffer(in, buf, len, argv[2]);
	else
		run_gmime(in, buf, len);

	ids = calloc(report_input_count(in) + 1, sizeof(*ids));
	for (i = 0; i < report_input_count(in); i++) {
		it = report_input_get(in, i);
		if (it->report != NULL)
			ids[n++] = it->report->report_id != NULL
			    ? it->report->report_id
			    : "(none)";
	}
	qsort(ids, n, sizeof(*ids), cmp_str);
	for (i = 0; i < n; i++)
		for (c = ids[i];; c++) {
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
			if (*c == '\0')
				break;
		}
	getrusage(RUSAGE_SELF, &ru);
	printf("reports=%zu unreadable=%zu ids=%016llx cpu_ms=%ld rss_kb=%ld\n",
	    report_input_nreports(in), report_input_nunreadable(in),
	    (unsigned long long)h,
	    (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000,
	    peak_kb() - rss0);
	free(ids);
	report_input_free(in);
	free(buf);
	g_mime_shutdown();
	return 0;
}
