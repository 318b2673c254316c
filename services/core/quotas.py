"""Per-account limits: the global ``limits`` settings with the account's own overrides on top.

Kept in one place so the gateway (Start, Create*) and the reaper (promoting QUEUED jobs) count
against the same number for the same account.
"""

from __future__ import annotations

from services.core.settings import LimitSettings, Settings

LIMIT_NAMES = frozenset(LimitSettings.model_fields)


def limit_for(settings: Settings, account_id: str, name: str) -> int:
    if name not in LIMIT_NAMES:
        raise KeyError(name)
    override = settings.tenants.policy(account_id).limits.get(name)
    return int(override if override is not None else getattr(settings.limits, name))
