"""The edge: HTTP caches in front of the site (Varnish, Fastly, Cloudflare).

Responses the page cache stores also go out with their tags in the header each
configured edge reads (`headers.py`), and every purge reaches each configured edge
(`purgers.py`), through the durable purge task (cms/page_cache/tasks.py). Tags are
shortened to a fixed-size hash (`tags.py`) so every provider's limits hold.
"""
