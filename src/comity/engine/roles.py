"""Whose duties: the operator roles of the profile's author, and who bears which duty.

``comity assess --role deployer`` keeps the obligations addressed to deployers;
``--role mine`` keeps those of the roles the profile states (``roles:``). Where the
rules conclude ``deemed_provider`` (e.g. AI Act, Art. 25: a deployer that rebrands or
substantially modifies a high-risk system becomes its provider), the provider's
duties become the author's too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from comity.errors import ComityError
from comity.profile.model import Profile
from comity.profile.vocabulary import vocabulary
from comity.rulebook.conditions import Truth

MINE = "mine"
ROLES: tuple[str, ...] = (*vocabulary().operator_roles, MINE)
"""Values of ``--role``: each operator role, or ``mine`` for the profile's ``roles:``."""

# Addressees each role covers: Colorado's and Korea's "developer" is a provider in the
# common vocabulary; Korea's "operator" covers providers and deployers.
ROLE_ADDRESSEES: dict[str, frozenset[str]] = {
    "provider": frozenset({"provider", "developer", "product_manufacturer", "operator"}),
    "developer": frozenset({"provider", "developer", "operator"}),
    "deployer": frozenset({"deployer", "operator"}),
    "importer": frozenset({"importer"}),
    "distributor": frozenset({"distributor"}),
    "authorised_representative": frozenset({"authorised_representative"}),
    "product_manufacturer": frozenset({"product_manufacturer"}),
}
DEEMED_PROVIDER = "deemed_provider"
"""The conclusion that moves the provider's duties onto the profile's author."""


class RoleError(ComityError, ValueError):
    """A role the vocabulary does not know, or ``mine`` for a profile without roles."""


def roles_of(role: str | Iterable[str] | None, profile: Profile) -> tuple[str, ...] | None:
    """The roles whose duties to keep (None: every duty)."""
    if role is None:
        return None
    roles = (role,) if isinstance(role, str) else tuple(role)
    if MINE in roles:
        if not profile.roles:
            raise RoleError(f"profile {profile.id!r} states no roles; add roles: "
                            f"[{', '.join(ROLE_ADDRESSEES)}] or name a role")
        roles = tuple(dict.fromkeys([*(r for r in roles if r != MINE), *profile.roles]))
    unknown = [r for r in roles if r not in ROLE_ADDRESSEES]
    if unknown:
        raise RoleError(f"unknown role {', '.join(unknown)}; known: {', '.join(ROLES)}")
    return roles


def duty_addressees(roles: tuple[str, ...] | None,
                    conclusion: Callable[[str], Truth]) -> frozenset[str] | None:
    """The addressees whose duties are the author's, with the provider's when the rules
    conclude the author is deemed the provider (None: every addressee)."""
    if roles is None:
        return None
    covered = frozenset().union(*(ROLE_ADDRESSEES[role] for role in roles))
    if "provider" not in roles and conclusion(DEEMED_PROVIDER) is True:
        covered |= ROLE_ADDRESSEES["provider"]
    return covered
