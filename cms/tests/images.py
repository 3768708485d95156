"""Tiny images made in memory for upload tests."""

import io

from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8), colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
