"""vanban's extraction pipeline: `parse(path, options) -> PlanDocument` is the one public entry.

read -> layout -> text repair -> segmentation -> field extraction -> validation.
"""
from parser.options import ParseOptions

__all__ = ["parse", "ParseOptions"]


def parse(path, options: ParseOptions | None = None):
    from parser.pipeline import parse as _parse

    return _parse(path, options or ParseOptions())
