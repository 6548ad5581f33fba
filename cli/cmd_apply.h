/*
 * cmd_apply: `mtasts-tui rollout apply DOMAIN`, the current step of a
 * rollout plan published where it lives: the DNS records by RFC 2136
 * dynamic update with TSIG (engine/dns_update.h), the policy into a web
 * root (--webroot).
 *
 * Without --yes nothing is sent or written: the update is printed, with
 * the nsupdate script that does the same.  With --yes the order is the
 * plan's: the policy is written (--webroot) and must be served over HTTPS
 * as a sender fetches it before a changed _mta-sts TXT record is sent;
 * then every authoritative server is asked until each serves the new
 * records (bounded).  The plan's new id is saved only once sent.
 */
#ifndef MTASTS_CLI_CMD_APPLY_H
#define MTASTS_CLI_CMD_APPLY_H

#include "options.h"

struct gen_spec;
struct state;

int cmd_rollout_apply(const struct cli_options *, struct state *,
    const char *path, long today);
/*
 * export --format nsupdate: the update that makes the zone serve spec's
 * records, read against the records the update server (--server, or the
 * zone's first name server) serves now, as an nsupdate script on stdout.
 */
int cmd_apply_nsupdate(const struct cli_options *, const struct gen_spec *);

#endif
