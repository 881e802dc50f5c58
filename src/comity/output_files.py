"""Writing output files safely: all or nothing, and never through someone else's link.

A report is written to a new file that only this process can have created (``mkstemp``
in the destination's folder, mode 0600 until it is complete, opened with ``O_EXCL`` and
without following links), flushed to disk, given the usual permissions, then renamed
over the destination. A failure at any point leaves the old file untouched and removes
the temporary one; a link planted at a predictable name such as ``report.html.tmp`` is
never opened.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from comity.errors import ComityError


class OutputError(ComityError):
    """An output file that cannot be written (folder missing, no permission, disk full)."""


def write_text_atomically(destination: str | Path, text: str, *, newline: str | None = None
                          ) -> None:
    """Replace ``destination`` with ``text`` (UTF-8) in one step.

    ``newline=""`` writes line ends as given (CSV's ``\\r\\n``); the default writes ``\\n``.
    """
    target = Path(destination)
    folder = target.parent
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                                 dir=folder)
    except OSError as error:
        raise OutputError(f"{target}: cannot write here: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline=newline) as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"{target}: cannot write: {error.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
