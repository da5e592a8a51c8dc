"""``/api/v1/tokens``: API tokens of the tenant (admins only). The secret is shown once."""

from __future__ import annotations

from fastapi import APIRouter

from rootout.api import accounts
from rootout.api.deps import Admin, State
from rootout.api.errors import documented
from rootout.api.models import Token, TokenCreate, TokenCreated

router = APIRouter(prefix="/tokens", tags=["tokens"])


def _token(info: accounts.TokenInfo) -> Token:
    return Token.model_validate(info, from_attributes=True)


@router.get("", response_model=list[Token], responses=documented(401, 403))
def list_tokens(caller: Admin, server: State) -> list[Token]:
    """The tenant's tokens, revoked ones included (never their secrets)."""
    return [_token(info) for info in accounts.list_tokens(server.engine, caller.tenant)]


@router.post("", status_code=201, response_model=TokenCreated, responses=documented(401, 403, 422))
def create_token(body: TokenCreate, caller: Admin, server: State) -> TokenCreated:
    """A new token of the caller's tenant with the given role (``agent``: upload scans only)."""
    new = accounts.create_token(
        server.engine, caller.tenant, body.name, body.role, actor=caller.actor
    )
    return TokenCreated(**_token(new.info).model_dump(), token=new.secret)


@router.delete("/{token_id}", response_model=Token, responses=documented(401, 403, 404))
def revoke_token(token_id: str, caller: Admin, server: State) -> Token:
    """Revoke a token: it stops working at once."""
    return _token(accounts.revoke_token(server.engine, caller.tenant, token_id, actor=caller.actor))
