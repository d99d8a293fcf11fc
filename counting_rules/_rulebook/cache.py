"""A compiled-rulebook cache: load a rulebook in milliseconds when nothing it depends on changed.

Building a rulebook (parse, validate, resolve, compile, check every template) takes seconds; the
result is a plain data structure, so it is pickled to a file named by a key over everything
that could change it: every file of the rulebook folder (path and bytes), the source of this
package, and the versions of Python and of the libraries that shape the compiled objects. A
file is trusted only when its header repeats the key and its payload's SHA-256 matches; a
missing, corrupt or foreign file is rebuilt and rewritten (atomically), never an error. Only a
rulebook that loaded without error is cached, so every error is reported as before.

Where: ``$COUNTING_RULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/counting-rules``, else
``~/.cache/counting-rules``. ``COUNTING_RULES_CACHE=off`` builds every time. A cache folder
that cannot be written is skipped silently: the cache makes loading fast, never possible.
The files are pickles: keep the folder as private as your home directory (anyone who can
write there can run code as you, as with any Python cache).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from importlib import metadata
from importlib.resources.abc import Traversable
from pathlib import Path

from counting_rules._rulebook.ir import Rulebook

__all__ = ["cache_dir", "cached", "rulebook_key"]

_MAGIC = b"counting-rules compiled rulebook 1\n"
_LIBRARIES = ("jinja2", "pydantic", "pydantic-core", "ruamel.yaml")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("COUNTING_RULES_CACHE", "").lower() in {"off", "0", "no", "false"}:
        return None
    if explicit := os.environ.get("COUNTING_RULES_CACHE_DIR"):
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "counting-rules"


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """This package's source and the versions of what the compiled rulebook is made of."""
    h = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".j2"} and path.is_file():
            h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def rulebook_key(base: Traversable, files: Iterable[str]) -> str:
    """The key of a rulebook folder's compiled form: its files and this package's code."""
    h = hashlib.sha256(_code_fingerprint().encode())
    for rel in sorted(files):
        data = base.joinpath(*rel.split("/")).read_bytes()
        h.update(f"{rel}\0{len(data)}\0".encode() + data)
    return h.hexdigest()


def _read(path: Path, key: str) -> Rulebook | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    header = _MAGIC + key.encode() + b"\n"
    if not blob.startswith(header) or len(blob) < len(header) + 32:
        return None
    digest, payload = blob[len(header) : len(header) + 32], blob[len(header) + 32 :]
    if hashlib.sha256(payload).digest() != digest:
        return None  # truncated or damaged: rebuilt
    try:
        book = pickle.loads(payload)
    except Exception:  # an unreadable pickle is a cache miss, whatever the reason
        return None
    return book if isinstance(book, Rulebook) else None


def _write(path: Path, key: str, book: Rulebook) -> None:
    # Templates are compiled again on first use; what later stages built is theirs to rebuild.
    payload = pickle.dumps(
        replace(book, compiled_templates={}, caches={}), protocol=pickle.HIGHEST_PROTOCOL
    )
    blob = _MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rulebook-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, path)  # readers see the old file or the new, never half of one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return  # a read-only or full disk: no cache, the same rulebook


def cached(base: Traversable, files: list[str], build: Callable[[], Rulebook]) -> Rulebook:
    """The rulebook at ``base`` from the cache, or built by ``build`` and cached."""
    folder = cache_dir()
    if folder is None:
        return build()
    key = rulebook_key(base, files)
    path = folder / f"rulebook-{key[:32]}.pickle"
    book = _read(path, key)
    if book is None:
        book = build()
        _write(path, key, book)
    return book
