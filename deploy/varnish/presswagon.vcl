vcl 4.1;

# Varnish in front of Presswagon's app nodes (gunicorn, `make serve`).
#
# The app decides what may be kept: Varnish keeps a response only when its
# Cache-Control says so (s-maxage, else max-age), and drops it on PURGE: by tag
# (`xkey: <tags>`, the tags the app sent in the response's own `xkey` header; see
# cms/edge/headers.py) or by URL. Editors and signed-in readers (a `sessionid`
# cookie, an Authorization header) and the admin, reader, CSRF and document views
# always reach the app; every other request loses its cookies, so one copy of a
# public page serves every anonymous reader.
#
# backends.vcl, found on vcl_path, defines the app nodes, their health probe and
# `sub presswagon_backends_init`, which puts them in the round-robin director
# `app`. deploy/varnish/write_backends.py writes it (`make serve-edge` does);
# backends.vcl.example shows the shape.

import directors;
import std;
import xkey;

include "backends.vcl";

# Who may PURGE: the app nodes, which purge after a publish. Varnish and the app
# share the machine in `make serve-edge`; with app nodes elsewhere, add their
# addresses or network here, e.g. "10.0.0.0"/24; (quoted, /bits outside quotes).
# A proxy in front of Varnish (nginx) connects from its own address, perhaps this
# one: a PURGE it relays is refused by its X-Forwarded-For (vcl_recv), and it
# should refuse PURGE itself too.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    call presswagon_backends_init;
}

sub vcl_recv {
    # The built-in Host checks (lower case; required in HTTP/1.1), which this
    # vcl_recv would otherwise skip by returning first: the Host is in the hash.
    call vcl_req_host;
    set req.backend_hint = app.backend();
    # Varnish's own notes for the response (vcl_deliver, vcl_synth); never a
    # client's.
    unset req.http.X-Edge-Pass;
    unset req.http.X-Purged;

    if (req.method == "PURGE") {
        # Varnish has appended client.ip to X-Forwarded-For; a comma means a
        # proxy relayed the request for someone else, whom the ACL cannot see.
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey) {
            # Hard purge: the objects are gone, not kept for grace, so a purged
            # page is never served stale.
            set req.http.X-Purged = xkey.purge(req.http.xkey);
            return (synth(200, "Purged"));
        }
        return (purge);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Per-user views: the admin (page previews live under it), the readers'
    # endpoints, the CSRF token view, documents (their privacy check), shared
    # drafts and calendar feeds (a secret link each).
    if (req.url ~ "^/(admin|reader|csrf|documents|share|calendar)(/|$|\?)") {
        return (pass);
    }
    # Someone signed in (an editor, a reader with an account) or authenticating.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }

    # Anonymous public pages, static files and media: the app renders them the
    # same for everyone, so analytics and CSRF cookies must not split the cache.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_pass {
    set req.http.X-Edge-Pass = "1";
}

sub vcl_synth {
    if (req.http.X-Purged) {
        set resp.http.X-Purged = req.http.X-Purged;
    }
}

sub vcl_backend_fetch {
    unset bereq.http.X-Edge-Pass;
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Kept only when the app said for how long: without max-age or s-maxage
    # Varnish would otherwise keep the response for default_ttl (2 minutes).
    # Anything personal or that must be revalidated is never kept.
    if (beresp.http.Cache-Control !~ "(?i)(^|[,\s])(s-maxage|max-age)\s*=" ||
        beresp.http.Cache-Control ~ "(?i)(^|[,\s])(private|no-store|no-cache)\b" ||
        beresp.http.Set-Cookie ||
        beresp.http.Vary == "*" ||
        beresp.ttl <= 0s) {
        call presswagon_hit_for_miss;
    }
    # Varnish has set beresp.ttl from s-maxage (else max-age) and beresp.grace from
    # stale-while-revalidate. Without the latter the app allowed no stale copy, so
    # none is served (default_grace would give 10 seconds). Grace covers expiry
    # only: purges are hard.
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate\s*=") {
        set beresp.grace = 0s;
    }
    return (deliver);
}

# Not kept; for a short while requests for this object skip the wait for a
# concurrent fetch (hit-for-miss), and the next cacheable answer is kept at once.
sub presswagon_hit_for_miss {
    set beresp.ttl = 10s;
    set beresp.grace = 0s;
    set beresp.uncacheable = true;
    return (deliver);
}

sub vcl_deliver {
    if (req.http.X-Edge-Pass) {
        set resp.http.X-Edge-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
    # The tags are for Varnish; readers need not see them.
    unset resp.http.xkey;
}
