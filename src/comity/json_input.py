"""Reading untrusted JSON strictly: what is not plain JSON is an error with its line.

Python's ``json`` module accepts ``NaN`` and ``Infinity``, turns ``1e400`` into an
infinite float, keeps the last of two equal keys, and raises ``RecursionError`` or
``ValueError`` (not ``JSONDecodeError``) on deep nesting and huge integers. Comity's
inputs get none of that (limits: ``comity.input_limits``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from comity.errors import InputError, Problem
from comity.input_limits import InputLimits, current_limits, nesting_depth

#: Python refuses to turn longer decimal strings into integers (CVE-2020-10735).
MAX_INTEGER_DIGITS = 4300


class _Rejected(ValueError):
    """Raised from the decoder's hooks; becomes an InputError."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Rejected(f"key {key!r} is given twice in one object")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise _Rejected(f"{name} is not JSON: only finite numbers are accepted")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Rejected(f"number {text[:40]} is out of range")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _Rejected(f"integer of {len(text):,} digits is too long "
                        f"(at most {MAX_INTEGER_DIGITS:,})")
    return int(text)


def load_json(text: str, source: str = "<input>", *, limits: InputLimits | None = None) -> Any:
    """Parse JSON text; an :class:`InputError` naming ``source`` if it is not plain JSON
    within the limits (size, nesting depth)."""
    bounds = limits or current_limits()
    if len(text) > bounds.max_bytes:
        raise InputError(source, [Problem("", f"input is larger than the limit of "
                                          f"{bounds.max_bytes:,} bytes (COMITY_MAX_INPUT_BYTES)")])
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_constant=_constant,
                          parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as error:
        raise InputError(source, [Problem("", f"not valid JSON (line {error.lineno}, column "
                                          f"{error.colno}): {error.msg}")]) from None
    except _Rejected as error:
        raise InputError(source, [Problem("", f"not accepted: {error}")]) from None
    except RecursionError:
        raise InputError(source, [Problem("", f"nested more than {bounds.max_depth} levels "
                                          "deep (COMITY_MAX_INPUT_DEPTH)")]) from None
    if nesting_depth(data) > bounds.max_depth:
        raise InputError(source, [Problem("", f"nested more than {bounds.max_depth} levels "
                                          "deep (COMITY_MAX_INPUT_DEPTH)")])
    return data
