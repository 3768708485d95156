"""Feed tokens: 32 random bytes from `secrets`, kept only as a SHA-256 digest."""

import hashlib
import re
import secrets

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_a_token(text: str) -> bool:
    return bool(TOKEN_SHAPE.fullmatch(text))
