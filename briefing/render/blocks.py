"""The blocks of a template chain: listed for `briefing templates`, checked before rendering.

Jinja2 ignores a block that a child defines and no parent has: the override silently does
nothing. Here it is an error naming the block, the template and the line.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import TemplateNotFound, nodes
from jinja2.sandbox import SandboxedEnvironment

from briefing.errors import RenderError


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One `{% block %}`: its name, how deep it is nested, where it is defined."""

    name: str
    depth: int
    template: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Parsed:
    """A template's file, the template it extends and its blocks in order."""

    filename: str
    parent: str | None
    blocks: tuple[Block, ...]


def parse_template(env: SandboxedEnvironment, name: str) -> Parsed:
    """Read and parse one template (not rendered): what it extends and what blocks it has."""
    assert env.loader is not None
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except TemplateNotFound as exc:
        raise RenderError(f"template {name!r} not found in the templates") from exc
    where = filename or name
    tree = env.parse(source, name, filename)
    extends = tree.find(nodes.Extends)
    parent = None
    if extends is not None and isinstance(extends.template, nodes.Const):
        parent = str(extends.template.value)
    found: list[Block] = []

    def walk(node: nodes.Node, depth: int) -> None:
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Block):
                found.append(Block(name=child.name, depth=depth, template=where, line=child.lineno))
                walk(child, depth + 1)
            else:
                walk(child, depth)

    walk(tree, 0)
    return Parsed(filename=where, parent=parent, blocks=tuple(found))


def template_blocks(env: SandboxedEnvironment, name: str) -> tuple[Block, ...]:
    """The blocks a template can override: those of the template at the root of its chain."""
    seen: set[str] = set()
    parsed = parse_template(env, name)
    while parsed.parent is not None and parsed.parent not in seen:
        seen.add(parsed.parent)
        parsed = parse_template(env, parsed.parent)
    return parsed.blocks


def check_blocks(env: SandboxedEnvironment, name: str) -> None:
    """Every top-level block of a child template must exist in its parents, else RenderError."""
    seen: set[str] = set()
    while name not in seen:
        seen.add(name)
        parsed = parse_template(env, name)
        if parsed.parent is None:
            return
        known = {b.name for b in _chain_blocks(env, parsed.parent)}
        for block in parsed.blocks:
            if block.depth == 0 and block.name not in known:
                raise RenderError(
                    f"template {block.template}, line {block.line}: block '{block.name}' is "
                    f"not in {parsed.parent}, so overriding it would change nothing; its blocks "
                    f"are {', '.join(sorted(known))} (`briefing templates` lists them)"
                )
        name = parsed.parent


def _chain_blocks(env: SandboxedEnvironment, name: str) -> tuple[Block, ...]:
    """Every block defined anywhere up a chain (a parent may add blocks inside its overrides)."""
    blocks: list[Block] = []
    seen: set[str] = set()
    current: str | None = name
    while current is not None and current not in seen:
        seen.add(current)
        parsed = parse_template(env, current)
        blocks.extend(parsed.blocks)
        current = parsed.parent
    return tuple(blocks)
