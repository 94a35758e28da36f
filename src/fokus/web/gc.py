"""Keep Python's garbage collector off the request path.

A process serving Fokus holds some 120,000 long-lived objects (Django, the URLconf, the
API schema, Babel's locale data). Every few requests that allocate many objects, as a
bulk write does, the collector's full pass walks all of them: here some 90 ms inside
whichever request triggered it. Once the first request has been served, everything
loaded so far is there for the life of the process, so it is moved out of the
collector's generations (``gc.freeze``); later full passes only walk what came after.
"""

from __future__ import annotations

import gc
from typing import Any

from django.core.signals import request_finished


def freeze_after_first_request(sender: Any, **kwargs: Any) -> None:
    request_finished.disconnect(freeze_after_first_request)
    gc.collect()
    gc.freeze()


def install() -> None:
    request_finished.connect(freeze_after_first_request)
