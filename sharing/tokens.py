"""Share tokens: 32 random bytes from `secrets`, kept only as a SHA-256 digest.

A token is a bearer secret: whoever holds the URL sees the draft. The database
keeps its digest, so a copy of the database (a backup, a read replica) does not
hand out working links, and a lookup compares digests through a unique index.
"""

import hashlib
import re
import secrets

TOKEN_BYTES = 32
# What secrets.token_urlsafe(32) produces: 43 URL-safe base64 characters.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_a_token(text: str) -> bool:
    return bool(TOKEN_SHAPE.fullmatch(text))
