/*
 * The finding catalog: one row per stable code.  Included several times with
 * different FINDING() definitions (X-macro), so the enum, the code strings,
 * the default severities and doc/findings.md all come from this one table.
 *
 * FINDING(ID, "code", SEVERITY, LAYER, HYGIENE, "rule ids", "meaning", "fix")
 * LAYER is the enum check_layer of the layer that adds it (layers.h), or
 * FINDING_LAYER_REPORT for the report command's findings.
 * SEVERITY is the default; a layer may raise or lower it where the rules say
 * it depends on the mode (e.g. mx.uncovered is an error under enforce and a
 * warning under testing).  Codes are never renamed or reused.
 */

/* dns: the _mta-sts TXT record */
FINDING(STS_TXT_MISSING, "sts.txt.missing", ERROR, CHECK_DNS, DELIVERY,
    "TXT-1 TXT-11", "No _mta-sts TXT record: senders do not look for a policy.",
    "Publish _mta-sts.DOMAIN TXT \"v=STSv1; id=YYYYMMDDTHHMMSS\".")
FINDING(STS_TXT_MULTIPLE, "sts.txt.multiple", ERROR, CHECK_DNS, DELIVERY,
    "TXT-5",
    "More than one v=STSv1 record: senders must act as if there were no policy.",
    "Delete all but one v=STSv1 TXT record at _mta-sts.")
FINDING(STS_TXT_SYNTAX, "sts.txt.syntax", ERROR, CHECK_DNS, DELIVERY,
    "TXT-3 TXT-6 TXT-7",
    "The v=STSv1 record does not follow the grammar: senders ignore it.",
    "Write the record exactly as \"v=STSv1; id=ID\" (case-sensitive, no spaces around =).")
FINDING(STS_TXT_ID_INVALID, "sts.txt.id_invalid", ERROR, CHECK_DNS, DELIVERY,
    "TXT-7",
    "The id is missing or is not 1 to 32 letters and digits: the record is invalid.",
    "Use an id of letters and digits only, at most 32, such as 20261101T120000.")
FINDING(STS_TXT_DNS_ERROR, "sts.txt.dns_error", ERROR, CHECK_DNS, DELIVERY,
    "TXT-11 SEC-1",
    "The _mta-sts lookup failed (SERVFAIL, timeout, refused): first-contact senders skip MTA-STS.",
    "Make the authoritative servers answer for _mta-sts (check delegation and DNSSEC).")
FINDING(STS_TXT_OTHER_RECORDS, "sts.txt.other_records", INFO, CHECK_DNS,
    HYGIENE, "TXT-5",
    "TXT records not starting with v=STSv1; stand at _mta-sts; senders discard them.",
    "Nothing needed; remove them if they are left-overs.")
FINDING(STS_TXT_CNAME, "sts.txt.cname", INFO, CHECK_DNS, HYGIENE, "TXT-10",
    "_mta-sts is a CNAME; senders follow the chain shown.",
    "Nothing needed if the target is yours or your provider's.")
FINDING(STS_TXT_SPACE_BEFORE_SEMICOLON, "sts.txt.space_before_semicolon",
    WARNING, CHECK_DNS, HYGIENE, "TXT-5",
    "The record starts with \"v=STSv1 ;\": valid by the grammar, but senders that test for the prefix \"v=STSv1;\" discard it.",
    "Write \"v=STSv1;\" with no space before the semicolon.")
FINDING(STS_TXT_DUPLICATE_FIELD, "sts.txt.duplicate_field", WARNING, CHECK_DNS,
    HYGIENE, "TXT-9",
    "A field appears more than once; only its first occurrence counts.",
    "Remove the repeated field.")
FINDING(STS_TXT_UNKNOWN_FIELD, "sts.txt.unknown_field", INFO, CHECK_DNS,
    HYGIENE, "TXT-9 TXT-13",
    "The record has a field senders do not know; it is ignored.",
    "Nothing needed; remove it unless a tool of yours reads it.")
FINDING(STS_TXT_DNSSEC, "sts.txt.dnssec", INFO, CHECK_DNS, HYGIENE, "TXT-12",
    "Whether the _mta-sts answer was DNSSEC-validated (AD bit from the resolver).",
    "Nothing needed; DNSSEC is optional for MTA-STS.")
FINDING(STS_TXT_CUT, "sts.txt.cut", WARNING, CHECK_DNS, HYGIENE, "-",
    "The _mta-sts lookup was cut by the check's deadline: the record is not examined.",
    "Make the resolver and the authoritative servers answer promptly (a TCP answer trickled after TC=1 is the usual cause), or raise --deadline.")

/* fetch: HTTPS GET of the policy */
FINDING(FETCH_HOST_UNRESOLVABLE, "fetch.host_unresolvable", ERROR, CHECK_FETCH,
    DELIVERY, "FETCH-1",
    "mta-sts.DOMAIN has no A or AAAA record: the policy cannot be fetched.",
    "Publish an address (or CNAME) for mta-sts.DOMAIN.")
FINDING(FETCH_CONNECT_FAILED, "fetch.connect_failed", ERROR, CHECK_FETCH,
    DELIVERY, "FETCH-2", "No HTTPS connection to the policy host on port 443.",
    "Make the web server listen on port 443 on every published address.")
FINDING(FETCH_TIMEOUT, "fetch.timeout", ERROR, CHECK_FETCH, DELIVERY,
    "FETCH-11", "The policy host did not answer in time.",
    "Make the policy host answer the whole request within a few seconds.")
FINDING(FETCH_TLS_UNTRUSTED, "fetch.tls_untrusted", ERROR, CHECK_FETCH,
    DELIVERY, "FETCH-3",
    "The policy host certificate does not chain to a trusted root (self-signed or private CA).",
    "Serve a certificate from a publicly trusted CA for mta-sts.DOMAIN.")
FINDING(FETCH_TLS_EXPIRED, "fetch.tls_expired", ERROR, CHECK_FETCH, DELIVERY,
    "FETCH-3", "The policy host certificate is expired or not yet valid.",
    "Renew the certificate of mta-sts.DOMAIN (and automate renewal).")
FINDING(FETCH_TLS_NAME_MISMATCH, "fetch.tls_name_mismatch", ERROR, CHECK_FETCH,
    DELIVERY, "FETCH-3 FETCH-4",
    "The policy host certificate has no subjectAltName for mta-sts.DOMAIN.",
    "Get a certificate whose SAN lists mta-sts.DOMAIN (or *.DOMAIN) and serve it for that SNI name.")
FINDING(FETCH_TLS_INCOMPLETE_CHAIN, "fetch.tls_incomplete_chain", ERROR,
    CHECK_FETCH, DELIVERY, "FETCH-3 TLS-5",
    "The policy host does not send its intermediate certificate; senders do not fetch missing intermediates.",
    "Serve the full chain (leaf followed by intermediates).")
FINDING(FETCH_TLS_VERSION, "fetch.tls_version", ERROR, CHECK_FETCH, DELIVERY,
    "FETCH-5",
    "The policy host cannot negotiate TLS 1.2 or later, or the TLS handshake failed.",
    "Enable TLS 1.2 and 1.3 on the policy host.")
FINDING(FETCH_HTTP_STATUS, "fetch.http_status", ERROR, CHECK_FETCH, DELIVERY,
    "FETCH-6", "The policy URL did not answer 200 OK.",
    "Serve the policy at /.well-known/mta-sts.txt with status 200.")
FINDING(FETCH_REDIRECT, "fetch.redirect", ERROR, CHECK_FETCH, DELIVERY,
    "FETCH-7", "The policy URL redirects; senders must not follow redirects.",
    "Serve the file directly at https://mta-sts.DOMAIN/.well-known/mta-sts.txt.")
FINDING(FETCH_CONTENT_TYPE, "fetch.content_type", ERROR, CHECK_FETCH, DELIVERY,
    "FETCH-9",
    "The policy is not served as text/plain (or without a Content-Type).",
    "Serve mta-sts.txt with Content-Type: text/plain.")
FINDING(FETCH_CHARSET, "fetch.charset", INFO, CHECK_FETCH, HYGIENE, "FETCH-9",
    "The Content-Type names a charset other than utf-8 or us-ascii; senders ignore it.",
    "Use text/plain, optionally with charset=utf-8.")
FINDING(FETCH_TOO_LARGE, "fetch.too_large", WARNING, CHECK_FETCH, DELIVERY,
    "FETCH-10", "The policy body is over 64 KiB; senders may cut it off.",
    "Serve only the policy: a few hundred bytes.")
FINDING(FETCH_ADDRESS_FAILED, "fetch.address_failed", WARNING, CHECK_FETCH,
    HYGIENE, "FETCH-1 TLS-8",
    "One address of the policy host fails while another works; senders using it cannot fetch the policy.",
    "Fix or unpublish the failing address (often a stale AAAA record).")
FINDING(FETCH_CACHE_CONTROL, "fetch.cache_control", INFO, CHECK_FETCH, HYGIENE,
    "FETCH-8",
    "The server sends HTTP caching headers; senders must ignore HTTP caching.",
    "Nothing needed.")
FINDING(FETCH_EXPIRING_SOON, "fetch.expiring_soon", WARNING, CHECK_FETCH,
    HYGIENE, "FETCH-3",
    "The policy host certificate expires within the warning period (--expiry-warn, 14 days by default).",
    "Renew the certificate of mta-sts.DOMAIN now and check that renewal is automated.")
FINDING(FETCH_DELEGATED, "fetch.delegated", INFO, CHECK_FETCH, HYGIENE,
    "FETCH-3 TXT-10 SEC-5",
    "mta-sts.DOMAIN is a CNAME out of the domain: the policy is hosted by the provider named (or by the target's owner, if not a known provider).",
    "Nothing needed while the provider hosts the policy; remove the CNAME and the _mta-sts record when leaving it.")
FINDING(FETCH_DELEGATION_DANGLING, "fetch.delegation_dangling", ERROR,
    CHECK_FETCH, DELIVERY, "FETCH-1 SEC-5 SEC-7",
    "mta-sts.DOMAIN is a CNAME to a name that does not exist: the hosting was never set up or has ended, and whoever can claim that name can serve a policy for the domain.",
    "Remove the CNAME mta-sts.DOMAIN and the _mta-sts TXT record, or renew the hosting with the provider.")
FINDING(FETCH_DELEGATION_BROKEN, "fetch.delegation_broken", ERROR, CHECK_FETCH,
    DELIVERY, "FETCH-3 FETCH-13 SEC-7",
    "mta-sts.DOMAIN is delegated to a provider that does not host it (no address or certificate for the name, no policy, an empty file, or mode none): the hosting was never set up or has ended.",
    "Remove the CNAME mta-sts.DOMAIN and the _mta-sts TXT record, or renew the hosting with the provider.")
FINDING(FETCH_CUT, "fetch.cut", WARNING, CHECK_FETCH, HYGIENE, "FETCH-11",
    "The policy fetch (or the policy host's address lookup) was cut by the check's deadline: what it would have fetched is not examined.",
    "Make the policy host answer completely within seconds (FETCH-11), or raise --deadline.")
FINDING(FETCH_NOT_EXAMINED, "fetch.not_examined", INFO, CHECK_FETCH, HYGIENE,
    "-",
    "The policy host has more addresses than one check fetches from (16); the others are not examined.",
    "Nothing needed; senders use one address.")

/* policy: the policy body */
FINDING(POLICY_SYNTAX, "policy.syntax", ERROR, CHECK_POLICY, DELIVERY,
    "POL-1 POL-2 POL-3 POL-4 POL-16",
    "A policy line does not follow the grammar.",
    "Write each line as \"name: value\" from column 1, one field per line.")
FINDING(POLICY_BOM, "policy.bom", ERROR, CHECK_POLICY, DELIVERY, "POL-16",
    "The policy starts with a UTF-8 byte order mark; by the grammar the first line is then invalid.",
    "Save the file as plain ASCII without a BOM.")
FINDING(POLICY_BLANK_LINE, "policy.blank_line", WARNING, CHECK_POLICY, HYGIENE,
    "POL-5",
    "The policy has an empty or whitespace-only line; strict senders reject it.",
    "Remove empty lines, including extra newlines at the end.")
FINDING(POLICY_VERSION, "policy.version", ERROR, CHECK_POLICY, DELIVERY,
    "POL-8 POL-12", "The version field is missing or is not exactly STSv1.",
    "Add the line \"version: STSv1\".")
FINDING(POLICY_MODE, "policy.mode", ERROR, CHECK_POLICY, DELIVERY,
    "POL-6 POL-8 POL-13",
    "The mode field is missing or is not exactly testing, enforce or none.",
    "Add the line \"mode: testing\" (or enforce, or none), in lower case.")
FINDING(POLICY_MAX_AGE, "policy.max_age", ERROR, CHECK_POLICY, DELIVERY,
    "POL-8 POL-14", "The max_age field is missing or is not 1 to 10 digits.",
    "Add the line \"max_age: 604800\" (seconds).")
FINDING(POLICY_MAX_AGE_RANGE, "policy.max_age_range", ERROR, CHECK_POLICY,
    DELIVERY, "POL-14",
    "max_age exceeds 31557600 seconds (one year); senders may reject or clamp it.",
    "Use at most 31557600.")
FINDING(POLICY_MAX_AGE_SHORT, "policy.max_age_short", WARNING, CHECK_POLICY,
    HYGIENE, "POL-14 SEC-2",
    "max_age is under one day: senders barely cache the policy, so it protects little.",
    "Use at least 86400 while testing and 1209600 or more once enforced.")
FINDING(POLICY_MAX_AGE_ZERO, "policy.max_age_zero", WARNING, CHECK_POLICY,
    HYGIENE, "POL-14", "max_age is 0: senders do not cache the policy at all.",
    "Use a max_age of at least a day.")
FINDING(POLICY_MAX_AGE_LEADING_ZERO, "policy.max_age_leading_zero", INFO,
    CHECK_POLICY, HYGIENE, "POL-14",
    "max_age has leading zeros; valid, but unusual.",
    "Write the number without leading zeros.")
FINDING(POLICY_MX_MISSING, "policy.mx_missing", ERROR, CHECK_POLICY, DELIVERY,
    "POL-8", "A testing or enforce policy has no valid mx line.",
    "Add one \"mx:\" line per MX host or pattern.")
FINDING(POLICY_MX_INVALID, "policy.mx_invalid", ERROR, CHECK_POLICY, DELIVERY,
    "POL-9 POL-11 POL-15",
    "An mx pattern is malformed: senders ignore it, as if the line were not there.",
    "Write one host name or *.parent pattern per mx line, no trailing dot, A-labels only.")
FINDING(POLICY_MX_WILDCARD, "policy.mx_wildcard", INFO, CHECK_POLICY, HYGIENE,
    "MX-11 SEC-6",
    "A *. pattern trusts every host one label below it that can get a trusted certificate.",
    "Prefer exact MX names where practical.")
FINDING(POLICY_DUPLICATE_FIELD, "policy.duplicate_field", WARNING, CHECK_POLICY,
    HYGIENE, "POL-9",
    "A field other than mx appears more than once; only the first counts.",
    "Remove the repeated line.")
FINDING(POLICY_UNKNOWN_FIELD, "policy.unknown_field", INFO, CHECK_POLICY,
    HYGIENE, "POL-10",
    "The policy has a field senders do not know; it is ignored.",
    "Nothing needed; check it is not a misspelt field.")
FINDING(POLICY_MODE_TESTING, "policy.mode_testing", INFO, CHECK_POLICY,
    PROMOTION, "POL-13",
    "The policy is in testing mode: failures are reported, mail is still delivered.",
    "Watch TLS-RPT reports, then switch to enforce with a new id.")
FINDING(POLICY_MODE_NONE, "policy.mode_none", WARNING, CHECK_POLICY, PROMOTION,
    "POL-13 SEC-7",
    "The policy is in mode none: senders apply no MTA-STS protection.",
    "Use testing or enforce, or finish the removal and delete the records.")
FINDING(POLICY_MAX_AGE_UNDER_WEEK, "policy.max_age_under_week", INFO,
    CHECK_POLICY, HYGIENE, "POL-14 SEC-2",
    "max_age is under a week; RFC 8461 expects policies to be cached for weeks or more.",
    "Once the policy is stable, use 604800 or more (1209600 to 31557600 is common).")
FINDING(POLICY_TRUNCATED, "policy.truncated", WARNING, CHECK_POLICY, DELIVERY,
    "FETCH-10",
    "The policy has more lines or mx patterns than the parser keeps; the rest was not analysed.",
    "Serve only the policy: a few lines.")

/* mx: MX records and their coverage by the policy's patterns */
FINDING(MX_UNCOVERED, "mx.uncovered", ERROR, CHECK_MX, DELIVERY,
    "MX-1 MX-2 MX-3",
    "An MX host matches no mx pattern: enforce senders refuse to deliver to it.",
    "Add an mx line for this host, or remove the MX record.")
FINDING(MX_PATTERN_UNUSED, "mx.pattern_unused", WARNING, CHECK_MX, HYGIENE,
    "MX-1", "An mx pattern matches none of the domain's MX hosts.",
    "Remove stale patterns; check for typos.")
FINDING(MX_NULL, "mx.null", WARNING, CHECK_MX, DELIVERY, "MX-6",
    "The domain has a null MX (accepts no mail); an MTA-STS policy is moot.",
    "Drop MTA-STS for a domain that takes no mail, or replace the null MX.")
FINDING(MX_NULL_MIXED, "mx.null_mixed", ERROR, CHECK_MX, HYGIENE, "MX-6",
    "A null MX stands next to other MX records, which RFC 7505 forbids.",
    "Keep either the null MX or the real MX records.")
FINDING(MX_IMPLICIT, "mx.implicit", WARNING, CHECK_MX, HYGIENE, "MX-5",
    "No MX records: mail goes to the domain's own address, which the policy must name exactly.",
    "Publish MX records, or add \"mx: DOMAIN\" to the policy.")
FINDING(MX_UNRESOLVABLE, "mx.unresolvable", ERROR, CHECK_MX, DELIVERY, "MX-9",
    "An MX host has no A or AAAA record.",
    "Publish addresses for the MX host or remove the MX record.")
FINDING(MX_CNAME_TARGET, "mx.cname_target", WARNING, CHECK_MX, HYGIENE, "MX-7",
    "An MX exchange is a CNAME, which RFC 5321 does not allow; the policy and certificate must match the MX name.",
    "Point the MX at the canonical host name.")
FINDING(MX_IP_LITERAL, "mx.ip_literal", ERROR, CHECK_MX, DELIVERY, "MX-10",
    "An MX exchange is an IP address, not a host name.",
    "Use a host name as the MX exchange.")
FINDING(MX_DNS_ERROR, "mx.dns_error", ERROR, CHECK_MX, DELIVERY, "MX-9",
    "The MX lookup failed (SERVFAIL, timeout, refused).",
    "Make the authoritative servers answer MX queries for the domain.")
FINDING(MX_NXDOMAIN, "mx.nxdomain", ERROR, CHECK_MX, DELIVERY, "MX-9",
    "The domain does not exist in DNS.", "Check the spelling of the domain.")
FINDING(MX_CUT, "mx.cut", WARNING, CHECK_MX, HYGIENE, "-",
    "The MX lookup (or the addresses of some MX hosts) was cut by the check's deadline: those hosts are not examined.",
    "Make the DNS servers answer promptly, or raise --deadline.")

/*
 * mx_tls: STARTTLS on every address of every MX.  Codes that would stop an
 * enforce sender are errors with a policy in testing or enforce and are
 * lowered to warnings by mx_tls_judge() when there is no policy (TLS-9).
 */
FINDING(MX_TLS_CONNECT_FAILED, "mx_tls.connect_failed", ERROR, CHECK_MX_TLS,
    DELIVERY, "TLS-1 TLS-8",
    "No SMTP session with this MX address: connection refused or timed out, no banner, or a refusing reply.",
    "Make every published address of the MX accept SMTP on port 25, or remove the address from DNS.")
FINDING(MX_TLS_PORT25_BLOCKED, "mx_tls.port25_blocked", WARNING, CHECK_MX_TLS,
    DELIVERY, "TLS-8",
    "Every MX address timed out on connect to port 25: probably this network blocks outgoing port 25, not the domain.",
    "Run the check from a network that allows outgoing port 25 (most home and cloud networks do not).")
FINDING(MX_TLS_NO_STARTTLS, "mx_tls.no_starttls", ERROR, CHECK_MX_TLS, DELIVERY,
    "TLS-1",
    "The EHLO reply does not offer STARTTLS: MTA-STS senders in enforce mode will not deliver.",
    "Enable STARTTLS on the MX (Postfix: smtpd_tls_security_level = may, with a certificate).")
FINDING(MX_TLS_STARTTLS_REFUSED, "mx_tls.starttls_refused", ERROR, CHECK_MX_TLS,
    DELIVERY, "TLS-1",
    "STARTTLS is offered but the command is refused (4xx/5xx) or not answered.",
    "Check the MX's TLS setup (certificate and key readable and matching); its log says why.")
FINDING(MX_TLS_HANDSHAKE_FAILED, "mx_tls.handshake_failed", ERROR, CHECK_MX_TLS,
    DELIVERY, "TLS-1 TLS-2",
    "The TLS handshake after STARTTLS fails (or the session breaks right after it).",
    "Check the MX's TLS configuration: protocol versions, ciphers, certificate and key.")
FINDING(MX_TLS_UNTRUSTED, "mx_tls.untrusted", ERROR, CHECK_MX_TLS, DELIVERY,
    "TLS-3 TLS-4",
    "The MX certificate does not chain to a trusted root (self-signed, private CA, or a bad chain); DANE does not make up for it.",
    "Serve a certificate from a publicly trusted CA for the MX host name.")
FINDING(MX_TLS_EXPIRED, "mx_tls.expired", ERROR, CHECK_MX_TLS, DELIVERY,
    "TLS-3", "A certificate of the MX chain has expired.",
    "Renew the certificate and reload the mail server.")
FINDING(MX_TLS_NOT_YET_VALID, "mx_tls.not_yet_valid", ERROR, CHECK_MX_TLS,
    DELIVERY, "TLS-3",
    "A certificate of the MX chain is not valid yet (or the clock is wrong).",
    "Serve a certificate that is valid now; check the server's clock.")
FINDING(MX_TLS_NAME_MISMATCH, "mx_tls.name_mismatch", ERROR, CHECK_MX_TLS,
    DELIVERY, "TLS-3 TLS-7",
    "No subjectAltName DNS-ID of the MX certificate matches the MX host name (the CN and the recipient domain do not count).",
    "Get a certificate whose subjectAltName lists the MX host name exactly or as *.parent.")
FINDING(MX_TLS_INCOMPLETE_CHAIN, "mx_tls.incomplete_chain", ERROR, CHECK_MX_TLS,
    DELIVERY, "TLS-5",
    "The MX sends its certificate without the intermediate(s); mail servers do not fetch them, so they cannot verify it.",
    "Configure the full chain file (leaf then intermediates) on the MX.")
FINDING(MX_TLS_TLS_VERSION, "mx_tls.tls_version", ERROR, CHECK_MX_TLS, DELIVERY,
    "TLS-2", "No handshake at TLS 1.2 or 1.3 is possible with this MX.",
    "Enable TLS 1.2 and 1.3 on the MX.")
FINDING(MX_TLS_LEGACY_TLS, "mx_tls.legacy_tls", WARNING, CHECK_MX_TLS, HYGIENE,
    "TLS-2",
    "The MX also accepts TLS 1.0 or 1.1, which RFC 7525 says not to negotiate.",
    "Disable TLS 1.0 and 1.1 on the MX (Postfix: smtpd_tls_protocols = >=TLSv1.2).")
FINDING(MX_TLS_EXPIRING_SOON, "mx_tls.expiring_soon", WARNING, CHECK_MX_TLS,
    HYGIENE, "TLS-3",
    "A certificate of the MX chain expires within the warning period (--expiry-warn, 14 days by default).",
    "Renew the certificate now; check that automatic renewal reloads the mail server.")
FINDING(MX_TLS_SNI_REQUIRED, "mx_tls.sni_required", ERROR, CHECK_MX_TLS,
    HYGIENE, "TLS-6",
    "The MX aborts the handshake when the client sends no SNI; it must send a fallback certificate.",
    "Configure a default certificate for clients without SNI.")
FINDING(MX_TLS_STARTTLS_REPEATED, "mx_tls.starttls_repeated", WARNING,
    CHECK_MX_TLS, HYGIENE, "TLS-1",
    "The EHLO reply after the TLS handshake offers STARTTLS again (RFC 3207 4.2 forbids it).",
    "Fix or upgrade the MX software (or the proxy in front of it).")
FINDING(MX_TLS_SKIPPED, "mx_tls.skipped", INFO, CHECK_MX_TLS, DELIVERY, "TLS-8",
    "This MX was not probed (--skip-mx) and is not held against the domain.",
    "Nothing needed, if the host is meant to be unreachable (nolisting, dummy backup).")
FINDING(MX_TLS_CUT, "mx_tls.cut", WARNING, CHECK_MX_TLS, HYGIENE, "TLS-8",
    "The STARTTLS probe of this MX address was cut by the layer's deadline (or not started before it): the address is not examined.",
    "Make the server answer each SMTP step within seconds (banner, EHLO, STARTTLS, handshake), or raise --deadline.")
FINDING(MX_TLS_NOT_EXAMINED, "mx_tls.not_examined", INFO, CHECK_MX_TLS, HYGIENE,
    "TLS-8",
    "More MX addresses than one check probes (16 per host, 64 in all); the others are not examined.",
    "Nothing needed; probe those addresses separately if they matter.")

/*
 * dane: TLSA records for every MX (RFC 7672), judged by the AD bit of the
 * resolver and matched against the chain each address serves.
 */
FINDING(DANE_NONE, "dane.none", INFO, CHECK_DANE, HYGIENE, "DANE-1 DANE-5",
    "No TLSA record at _25._tcp.MX: DANE senders use ordinary opportunistic TLS for this host.",
    "Nothing needed; to add DANE, sign the zone and publish a 3 1 1 record for the MX key.")
FINDING(DANE_OK, "dane.ok", INFO, CHECK_DANE, HYGIENE, "DANE-5 DANE-6 DANE-7",
    "A secure, usable TLSA record matches the certificate chain this MX address serves.",
    "Nothing needed; publish the next key's record two TTLs before a rollover.")
FINDING(DANE_INSECURE, "dane.insecure", WARNING, CHECK_DANE, HYGIENE,
    "DANE-2 DANE-4",
    "TLSA records are published in a zone that is not DNSSEC-signed (no AD bit): every DANE sender ignores them.",
    "Sign the zone of the MX host (and publish its DS in the parent), or remove the records.")
FINDING(DANE_LOOKUP_ERROR, "dane.lookup_error", ERROR, CHECK_DANE, DELIVERY,
    "DANE-2 DANE-5",
    "The TLSA lookup fails (SERVFAIL: bogus signatures, broken delegation, timeout): DANE senders treat the MX as unreachable and defer mail.",
    "Fix the signatures or the servers of the MX host's zone so that _25._tcp.MX answers with secure data or a secure denial.")
FINDING(DANE_MISMATCH, "dane.mismatch", ERROR, CHECK_DANE, DELIVERY,
    "DANE-6 DANE-7 DANE-9 DANE-11",
    "Secure, usable TLSA records exist but none matches the chain this MX address serves: DANE senders will not deliver there.",
    "Publish a record for the key actually served (3 1 1 of its SPKI), or serve the certificate the records name.")
FINDING(DANE_NO_TLS, "dane.no_tls", ERROR, CHECK_DANE, DELIVERY, "DANE-5",
    "The MX has secure TLSA records but this address does not complete STARTTLS: DANE senders never deliver without TLS.",
    "Make STARTTLS work on every address of the MX, or remove its TLSA records.")
FINDING(DANE_UNUSABLE_RECORD, "dane.unusable_record", WARNING, CHECK_DANE,
    HYGIENE, "DANE-5 DANE-9",
    "A TLSA record has an unknown usage, selector or matching type, or data of the wrong length: senders skip it.",
    "Fix or delete the record; use 3 1 1 with the 32-byte SHA-256 of the SPKI.")
FINDING(DANE_PKIX_USAGE, "dane.pkix_usage", WARNING, CHECK_DANE, HYGIENE,
    "DANE-8",
    "A TLSA record uses usage 0 or 1 (PKIX-TA/PKIX-EE), which SMTP senders treat as unusable: TLS is required but not authenticated.",
    "Publish DANE-EE (3 1 1) or DANE-TA (2 0 1) records instead.")
FINDING(DANE_NOT_RECOMMENDED, "dane.not_recommended", INFO, CHECK_DANE, HYGIENE,
    "DANE-6 DANE-7 DANE-9",
    "A usable TLSA record is not in a recommended form (matching type Full(0), or DANE-TA with selector SPKI).",
    "Prefer 3 1 1 (leaf SPKI, SHA-256) or 2 0 1 (trust anchor certificate, SHA-256).")
FINDING(DANE_UNMATCHED_RECORD, "dane.unmatched_record", INFO, CHECK_DANE,
    HYGIENE, "DANE-11",
    "A usable TLSA record matches no chain any address of this MX serves: a key published ahead of a rollover, or a stale one.",
    "Nothing needed before a rollover; delete records of retired keys.")
FINDING(DANE_MX_INSECURE, "dane.mx_insecure", WARNING, CHECK_DANE, HYGIENE,
    "DANE-3",
    "The MX hosts have secure TLSA records but the domain's MX RRset is not DNSSEC-validated: DANE senders need not apply DANE to this domain.",
    "Sign the domain's zone and publish its DS.")
FINDING(DANE_STS_CONFLICT, "dane.sts_conflict", WARNING, CHECK_DANE, DELIVERY,
    "DANE-13",
    "DANE and MTA-STS disagree on this MX address: one kind of sender delivers, the other does not.",
    "Serve a chain that passes both: a publicly trusted certificate for the MX name whose key the TLSA records name.")
FINDING(DANE_CUT, "dane.cut", WARNING, CHECK_DANE, HYGIENE, "-",
    "The TLSA lookups were cut by the check's deadline: DANE is not examined.",
    "Make the DNS servers answer promptly, or raise --deadline.")

/* tlsrpt: the _smtp._tls record */
FINDING(TLSRPT_MISSING, "tlsrpt.missing", WARNING, CHECK_TLSRPT, HYGIENE,
    "RPT-1 RPT-2",
    "No _smtp._tls TLS-RPT record: nobody receives reports of TLS failures.",
    "Publish _smtp._tls.DOMAIN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@DOMAIN\".")
FINDING(TLSRPT_MULTIPLE, "tlsrpt.multiple", ERROR, CHECK_TLSRPT, HYGIENE,
    "RPT-2",
    "More than one v=TLSRPTv1 record: reporters must assume there is none.",
    "Keep exactly one v=TLSRPTv1 record.")
FINDING(TLSRPT_SYNTAX, "tlsrpt.syntax", ERROR, CHECK_TLSRPT, HYGIENE, "RPT-3",
    "The v=TLSRPTv1 record does not follow the grammar.",
    "Write \"v=TLSRPTv1; rua=URI[,URI]\" (case-sensitive).")
FINDING(TLSRPT_RUA_INVALID, "tlsrpt.rua_invalid", ERROR, CHECK_TLSRPT, HYGIENE,
    "RPT-3 RPT-6",
    "A rua destination is not a usable URI (bad address or host, raw , ; ! or space inside).",
    "Percent-encode , ; ! in URIs; use mailto:ADDRESS or https://HOST/PATH.")
FINDING(TLSRPT_RUA_SCHEME, "tlsrpt.rua_scheme", WARNING, CHECK_TLSRPT, HYGIENE,
    "RPT-4",
    "A rua destination uses a scheme other than mailto: or https:; reporters ignore it.",
    "Use mailto: or https: destinations.")
FINDING(TLSRPT_RUA_REPEATED, "tlsrpt.rua_repeated", WARNING, CHECK_TLSRPT,
    HYGIENE, "RPT-5",
    "rua= appears more than once; reporters may use only one of them.",
    "List every destination in one rua=, separated by commas.")
FINDING(TLSRPT_UNKNOWN_FIELD, "tlsrpt.unknown_field", INFO, CHECK_TLSRPT,
    HYGIENE, "RPT-6",
    "The record has a field reporters do not know (often a DMARC-ism such as ruf=); it is ignored.",
    "Remove it.")
FINDING(TLSRPT_OTHER_RECORDS, "tlsrpt.other_records", INFO, CHECK_TLSRPT,
    HYGIENE, "RPT-2",
    "TXT records not starting with v=TLSRPTv1; stand at _smtp._tls; reporters discard them.",
    "Nothing needed.")
FINDING(TLSRPT_DNS_ERROR, "tlsrpt.dns_error", ERROR, CHECK_TLSRPT, HYGIENE,
    "RPT-2", "The _smtp._tls lookup failed (SERVFAIL, timeout, refused).",
    "Make the authoritative servers answer for _smtp._tls.")
FINDING(TLSRPT_SPACE_BEFORE_SEMICOLON, "tlsrpt.space_before_semicolon", WARNING,
    CHECK_TLSRPT, HYGIENE, "RPT-2 RPT-3",
    "The record starts with \"v=TLSRPTv1 ;\": valid by the grammar, but reporters that test for the prefix \"v=TLSRPTv1;\" discard it.",
    "Write \"v=TLSRPTv1;\" with no space before the semicolon.")
FINDING(TLSRPT_RUA_MISSING, "tlsrpt.rua_missing", ERROR, CHECK_TLSRPT, HYGIENE,
    "RPT-3",
    "The v=TLSRPTv1 record has no rua= field, which is mandatory: reporters ignore the record.",
    "Add rua=mailto:ADDRESS (or an https: URL) to the record.")
FINDING(TLSRPT_NO_DESTINATION, "tlsrpt.no_destination", ERROR, CHECK_TLSRPT,
    HYGIENE, "RPT-4 RPT-6",
    "No rua destination of the record is usable: reports cannot be delivered anywhere.",
    "List at least one valid mailto: address or https: URL in rua=.")
FINDING(TLSRPT_CUT, "tlsrpt.cut", WARNING, CHECK_TLSRPT, HYGIENE, "-",
    "The _smtp._tls lookup was cut by the check's deadline: the record is not examined.",
    "Make the DNS servers answer promptly, or raise --deadline.")

/* history: what this machine saw on earlier runs */
FINDING(STS_ID_UNCHANGED, "sts.id_unchanged", WARNING, CHECK_HISTORY, HYGIENE,
    "TXT-8 FETCH-15",
    "The policy body changed but the TXT id did not: senders holding the old policy will not refetch it.",
    "Change the id in the _mta-sts TXT record whenever the policy changes.")
FINDING(STS_ID_CHANGED, "sts.id_changed", INFO, CHECK_HISTORY, HYGIENE, "TXT-8",
    "The TXT id changed since the last run.",
    "Nothing needed if the policy was meant to change.")
FINDING(HISTORY_CORRUPT, "history.corrupt", WARNING, CHECK_HISTORY, HYGIENE,
    "-", "The local history file was unreadable and has been replaced.",
    "Nothing needed.")

/* auth: the zone's authoritative servers asked directly (--auth) */
FINDING(AUTH_DISAGREE, "auth.disagree", WARNING, CHECK_AUTH, HYGIENE,
    "FETCH-14 FETCH-15",
    "The zone's name servers give different answers to the same question: resolvers get one or the other, depending on the server they ask (one still serves the old record).",
    "Make every name server serve the new zone: check that the secondaries transfer it (NOTIFY, SOA serial raised) and reload the one still serving the old serial.")
FINDING(AUTH_RESOLVER_STALE, "auth.resolver_stale", WARNING, CHECK_AUTH,
    HYGIENE, "FETCH-14",
    "The resolver answers with a record no authoritative server serves now: it holds the old answer in its cache until its TTL runs out.",
    "Wait for the remaining TTL shown; lower the record's TTL before the next change if that is too long.")
FINDING(AUTH_LAME, "auth.lame", WARNING, CHECK_AUTH, HYGIENE, "TXT-11",
    "A listed name server does not answer authoritatively for the zone (REFUSED, SERVFAIL, a referral, no AA bit): lame delegation; resolvers that ask it get errors or retry elsewhere.",
    "Serve the zone on that server, or remove it from the NS set at the zone and at its parent.")
FINDING(AUTH_UNREACHABLE, "auth.unreachable", WARNING, CHECK_AUTH, HYGIENE,
    "TXT-11",
    "A listed name server did not answer at all (or has no address): resolvers that ask it wait, then retry elsewhere.",
    "Bring the server back, or remove it from the NS set at the zone and at its parent.")
FINDING(AUTH_SERIALS, "auth.serials", INFO, CHECK_AUTH, HYGIENE, "-",
    "The name servers serve different SOA serials, but the same answers to the questions asked.",
    "Nothing needed for MTA-STS; let the secondaries catch up.")
FINDING(AUTH_NO_SERVERS, "auth.no_servers", WARNING, CHECK_AUTH, HYGIENE,
    "TXT-11",
    "No authoritative server of the domain's zone could be asked: the zone's apex or its NS set was not found, or none answered authoritatively.",
    "Check the delegation of the zone (NS records at the parent and in the zone) and the servers' addresses.")
FINDING(AUTH_AGREE, "auth.agree", INFO, CHECK_AUTH, HYGIENE, "-",
    "Every name server of the zone and the resolver give the same answers.",
    "Nothing needed.")
FINDING(AUTH_CUT, "auth.cut", WARNING, CHECK_AUTH, HYGIENE, "-",
    "The authoritative view was cut by the check's deadline: servers not asked yet are not compared.",
    "Raise --deadline, or fix the name servers that do not answer.")

/* verdict */
FINDING(VERDICT_TESTING_WITHOUT_TLSRPT, "verdict.testing_without_tlsrpt",
    WARNING, CHECK_VERDICT, HYGIENE, "POL-13 RPT-2",
    "The policy is in testing mode but no usable TLS-RPT record exists: nobody will see the test results.",
    "Publish a TLS-RPT record before relying on testing mode.")
FINDING(VERDICT_TXT_WITHOUT_POLICY, "verdict.txt_without_policy", ERROR,
    CHECK_VERDICT, DELIVERY, "SEC-7 FETCH-13",
    "The TXT record is published but no valid policy can be fetched: new senders get no policy.",
    "Fix the policy fetch (see the fetch and policy layers).")
FINDING(VERDICT_POLICY_WITHOUT_TXT, "verdict.policy_without_txt", ERROR,
    CHECK_VERDICT, DELIVERY, "TXT-1",
    "A policy is served but no valid TXT record announces it: senders never fetch it.",
    "Publish the _mta-sts TXT record.")
FINDING(VERDICT_REPORTS_NOT_CLEAN, "verdict.reports_not_clean", WARNING,
    CHECK_VERDICT, PROMOTION, "POL-13 RPT-JSON-9",
    "The TLS-RPT reports given with --reports do not show 14 consecutive clean days for the domain: enforce is not yet proven safe.",
    "Fix the failures the reports name, then keep watching until 14 consecutive days are clean.")
FINDING(VERDICT_REPORTS_CLEAN, "verdict.reports_clean", INFO, CHECK_VERDICT,
    PROMOTION, "POL-13",
    "The TLS-RPT reports given with --reports show at least 14 consecutive clean days.",
    "Nothing needed: the reports support moving to enforce.")

/* report: TLS-RPT aggregate reports read from files (mtasts-tui report) */
FINDING(REPORT_UNREADABLE, "report.unreadable", ERROR, FINDING_LAYER_REPORT,
    REPORT, "-", "The file or directory could not be opened or read.",
    "Check the path and its permissions.")
FINDING(REPORT_UNRECOGNISED, "report.unrecognised", WARNING,
    FINDING_LAYER_REPORT, REPORT, "RPT-DEL-1 RPT-DEL-7",
    "The file is neither JSON, gzip nor an e-mail message, so it holds no report.",
    "Point the reader at .json, .json.gz, .eml files, a Maildir or an mbox.")
FINDING(REPORT_TOO_LARGE, "report.too_large", ERROR, FINDING_LAYER_REPORT,
    REPORT, "RPT-JSON-1",
    "The file, the decompressed report or its JSON nesting is beyond the reader's limits; the file was not read.",
    "Check where the file came from: real reports are far smaller (this is how decompression bombs look).")
FINDING(REPORT_DECOMPRESS, "report.decompress", ERROR, FINDING_LAYER_REPORT,
    REPORT, "RPT-DEL-2 RPT-DEL-7",
    "The gzip data is corrupt or truncated, so the report cannot be read.",
    "Fetch the report again; ask the reporter if it keeps arriving broken.")
FINDING(REPORT_MIME, "report.mime", ERROR, FINDING_LAYER_REPORT, REPORT,
    "RPT-DEL-3 RPT-DEL-7",
    "The e-mail message has no readable application/tlsrpt+json or application/tlsrpt+gzip part.",
    "Check that the message is a TLS-RPT report and was saved whole.")
FINDING(REPORT_INVALID_JSON, "report.invalid_json", ERROR, FINDING_LAYER_REPORT,
    REPORT, "RPT-JSON-1 RPT-JSON-2",
    "The report is not a JSON object (syntax error, truncation or a number out of range).",
    "Ask the reporter (contact-info) to send valid JSON.")
FINDING(REPORT_ENCODING, "report.encoding", WARNING, FINDING_LAYER_REPORT,
    REPORT, "RPT-JSON-1",
    "The report is not valid UTF-8; the bad bytes were replaced with U+FFFD and the rest was read.",
    "Ask the reporter (contact-info) to send UTF-8 as RFC 8460 requires.")
FINDING(REPORT_DUPLICATE_MEMBER, "report.duplicate_member", WARNING,
    FINDING_LAYER_REPORT, REPORT, "RPT-JSON-1",
    "An object has the same member twice, which I-JSON forbids; the last one was used.",
    "Ask the reporter (contact-info) to fix its report generator.")
FINDING(REPORT_SCHEMA, "report.schema", WARNING, FINDING_LAYER_REPORT, REPORT,
    "RPT-JSON-2 RPT-JSON-3",
    "A member of the report is missing, has the wrong type or an impossible value; the rest of the report was used.",
    "Ask the reporter (contact-info) to follow RFC 8460 section 4.4.")
FINDING(REPORT_UNKNOWN_POLICY_TYPE, "report.unknown_policy_type", WARNING,
    FINDING_LAYER_REPORT, REPORT, "RPT-JSON-3",
    "A policy-type is not sts, tlsa or no-policy-found; the entry was kept but is not counted for MTA-STS.",
    "Ask the reporter (contact-info) which policy it applied.")
FINDING(REPORT_UNKNOWN_RESULT_TYPE, "report.unknown_result_type", WARNING,
    FINDING_LAYER_REPORT, REPORT, "RPT-JSON-9",
    "A result-type is not in the RFC 8460 registry; it was kept and counted as a failure.",
    "Look the value up in the IANA TLS-RPT result type registry.")
FINDING(REPORT_DATE, "report.date", WARNING, FINDING_LAYER_REPORT, REPORT,
    "RPT-JSON-2 RPT-JSON-5",
    "A date-time of the date-range is not RFC 3339 or cannot be read (one without a time zone is report.lenient, read as UTC).",
    "Ask the reporter (contact-info) to send RFC 3339 date-times with Z.")
FINDING(REPORT_DATE_RANGE, "report.date_range", INFO, FINDING_LAYER_REPORT,
    REPORT, "RPT-JSON-5",
    "The report does not cover one UTC day; its sessions are counted on its first day.",
    "Nothing needed.")
FINDING(REPORT_COUNT_MISMATCH, "report.count_mismatch", INFO,
    FINDING_LAYER_REPORT, REPORT, "RPT-JSON-6",
    "The failure-details do not add up to total-failure-session-count (one session may count under several result types).",
    "Nothing needed; the summary uses the larger of the two.")
FINDING(REPORT_LENIENT, "report.lenient", INFO, FINDING_LAYER_REPORT, REPORT,
    "RPT-JSON-4 RPT-DEL-7",
    "A form real reporters send was accepted and the report counted: mx-host as a string, application/tlsrpt, a date-time without a time zone (read as UTC), a failure without sending-mta-ip, a policy without policy-domain (counted under no domain).",
    "Nothing needed.")
FINDING(REPORT_HEADER_MISMATCH, "report.header_mismatch", INFO,
    FINDING_LAYER_REPORT, REPORT, "RPT-DEL-3 RPT-DEL-6",
    "The TLS-Report-Domain header of the message disagrees with the report; the report is authoritative.",
    "Nothing needed.")
FINDING(REPORT_DUPLICATE, "report.duplicate", INFO, FINDING_LAYER_REPORT,
    REPORT, "RPT-JSON-2",
    "The same report (reporter and report-id) was read more than once; it is counted once.",
    "Nothing needed.")
FINDING(REPORT_NONE, "report.none", WARNING, FINDING_LAYER_REPORT, REPORT, "-",
    "No TLS-RPT report was found in what was given.",
    "Give the files or directories where the rua= address stores reports.")
FINDING(REPORT_FAILURES, "report.failures", WARNING, FINDING_LAYER_REPORT,
    REPORT, "RPT-JSON-9", "Reporters saw TLS sessions to this domain fail.",
    "Read the per-result-type advice and fix the MX hosts or the policy it names.")
