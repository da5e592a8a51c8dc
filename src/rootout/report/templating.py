"""Jinja2 for rootout's HTML: autoescaping always on, templates in the package."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def autoescaped(package: str, *, keep_trailing_newline: bool = False) -> Environment:
    """Jinja2 over ``package``'s ``templates`` folder: autoescaping on, an undefined name an error.

    Every HTML rootout writes (reports, the contracts page, the dashboard) starts here."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )


@cache
def environment() -> Environment:
    return autoescaped("rootout.report", keep_trailing_newline=True)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
