"""Entities, the entity store and requests.

An `Entity` has attributes (a `Record`), direct parents and tags. `Entities` is the store the
evaluator reads; it computes each entity's ancestors (the transitive closure of parents) on first
use, iteratively, and caches it, so `in` costs one set lookup. Entities named as parents but not
present in the store have no attributes and no ancestors of their own, as in Cedar.

Trusts: `values` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from assay.models.cedar.values import EntityUID, Record

EMPTY_RECORD = Record()


@dataclass(frozen=True)
class Entity:
    uid: EntityUID
    attrs: Record = EMPTY_RECORD
    parents: frozenset[EntityUID] = frozenset()
    tags: Record = EMPTY_RECORD


class Entities(Mapping[EntityUID, Entity]):
    """An entity store: entities by UID, with cached ancestor sets."""

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self._by_uid: dict[EntityUID, Entity] = {}
        for e in entities:
            self._by_uid[e.uid] = e
        self._ancestors: dict[EntityUID, frozenset[EntityUID]] = {}

    def __getitem__(self, uid: EntityUID) -> Entity:
        return self._by_uid[uid]

    def __iter__(self) -> Iterator[EntityUID]:
        return iter(self._by_uid)

    def __len__(self) -> int:
        return len(self._by_uid)

    def __contains__(self, uid: object) -> bool:
        return uid in self._by_uid

    def get(self, uid: EntityUID, default: Any = None) -> Any:  # type: ignore[override]
        return self._by_uid.get(uid, default)

    def with_entities(self, extra: Iterable[Entity]) -> Entities:
        """A new store with `extra` added (an entity already present is kept as it is)."""
        merged = dict(self._by_uid)
        for e in extra:
            merged.setdefault(e.uid, e)
        return Entities(merged.values())

    def ancestors(self, uid: EntityUID) -> frozenset[EntityUID]:
        """All entities `uid` is (transitively) a member of; empty for an unknown entity."""
        cached = self._ancestors.get(uid)
        if cached is not None:
            return cached
        entity = self._by_uid.get(uid)
        if entity is None or not entity.parents:
            result: frozenset[EntityUID] = frozenset()
        else:
            seen: set[EntityUID] = set()
            todo = list(entity.parents)
            while todo:
                p = todo.pop()
                if p in seen:
                    continue
                seen.add(p)
                known = self._ancestors.get(p)
                if known is not None:
                    seen |= known
                    continue
                pe = self._by_uid.get(p)
                if pe is not None:
                    todo.extend(pe.parents)
            result = frozenset(seen)
        self._ancestors[uid] = result
        return result

    def is_in(self, a: EntityUID, b: EntityUID) -> bool:
        """Cedar's `a in b` on entities: equal, or b is an ancestor of a."""
        return a == b or b in self.ancestors(a)


@dataclass(frozen=True)
class Request:
    principal: EntityUID
    action: EntityUID
    resource: EntityUID
    context: Record = field(default=EMPTY_RECORD)
