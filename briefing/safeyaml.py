"""YAML from strangers and users: safe types only, aliases bounded, errors on one line.

`yaml.safe_load` builds an aliased structure cheaply (each alias is the same object), but
anything that walks it (`str()`, pydantic, a repr in an error) expands it: nine nested
aliases of nine are 387 million items. `load_yaml` counts the nodes the document stands
for, aliases expanded, and refuses it above a limit before any value is built.
"""

from __future__ import annotations

from typing import Any

import yaml

from briefing.safetext import one_line

MAX_NODES = 100_000  # scalars, lists and mappings, aliases counted each time they are used


class YamlProblem(ValueError):
    """The text is not YAML we accept; the message is one short line, where its place."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


class _Loader(yaml.SafeLoader):
    """SafeLoader as it is: dates and times become date and datetime values."""


class _TextDates(yaml.SafeLoader):
    """SafeLoader without timestamps: dates stay strings, to be checked as values."""


# Without the timestamp resolver, `2025-13-45` is a string for the caller to validate,
# not a ValueError from inside the YAML constructor.
_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """Nodes the document stands for with aliases expanded; stops counting past limit."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(item: yaml.Node) -> int:
        key = id(item)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise YamlProblem("a YAML alias refers to itself")
        open_nodes.add(key)
        total = 1
        if isinstance(item, yaml.SequenceNode):
            children: list[yaml.Node] = list(item.value)
        elif isinstance(item, yaml.MappingNode):
            children = [part for pair in item.value for part in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > limit:
                break
        open_nodes.discard(key)
        sizes[key] = total
        return total

    return size(node)


def load_yaml(text: str, *, max_nodes: int = MAX_NODES, timestamps: bool = True) -> Any:
    """One YAML document with safe types, refused when it expands past max_nodes."""
    loader = (_Loader if timestamps else _TextDates)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, max_nodes) > max_nodes:
            raise YamlProblem(f"YAML expands to more than {max_nodes} values (nested aliases)")
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise YamlProblem(one_line(problem), where) from None
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, YamlProblem):
            raise
        raise YamlProblem(one_line(f"bad value: {exc}")) from None
    except RecursionError:
        raise YamlProblem("YAML nested too deeply") from None
    finally:
        loader.dispose()
