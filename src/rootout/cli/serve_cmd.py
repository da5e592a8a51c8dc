"""``rootout serve`` (the API server) and ``rootout admin`` (tenants, users, tokens)."""

from __future__ import annotations

from enum import StrEnum

import typer

from rootout.cli.common import DbOpt
from rootout.store.db import connect


class RoleName(StrEnum):
    """The roles of rootout.api.roles.Role, without importing the server at CLI start."""

    ADMIN = "admin"
    ANALYST = "analyst"
    VIEWER = "viewer"
    AGENT = "agent"


def serve(
    host: str | None = typer.Option(None, "--host", help="Address to listen on [127.0.0.1]."),
    port: int | None = typer.Option(None, "--port", help="Port to listen on [8000]."),
    db: str | None = DbOpt,
) -> None:
    """Run the REST API server (docs/server.md); migrates the store on start."""
    import uvicorn

    from rootout.api.app import create_app
    from rootout.api.settings import load_server_settings

    settings = load_server_settings(db=db, host=host, port=port)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)


admin = typer.Typer(help="Manage the server's tenants, users and API tokens.", no_args_is_help=True)


@admin.command("tenant")
def tenant(
    tenant_id: str = typer.Argument(..., help="Tenant id: lower-case letters, digits, - and _."),
    name: str | None = typer.Option(None, "--name", help="Display name."),
    db: str | None = DbOpt,
) -> None:
    """Create a tenant (no-op when it exists)."""
    from rootout.api import accounts

    accounts.create_tenant(connect(db), tenant_id, name)
    typer.echo(f"tenant {tenant_id}")


@admin.command("user")
def user(
    tenant_id: str = typer.Argument(..., help="The user's tenant."),
    username: str = typer.Argument(..., help="Login name."),
    role: RoleName = typer.Option(RoleName.VIEWER, "--role", help="admin, analyst or viewer."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters."
    ),
    db: str | None = DbOpt,
) -> None:
    """Create a user who logs in with a password."""
    from rootout.api import accounts
    from rootout.api.roles import Role

    created = accounts.create_user(connect(db), tenant_id, username, password, Role(role))
    typer.echo(f"user {created.username} ({created.role.value}) in tenant {created.tenant}")


@admin.command("token")
def token(
    tenant_id: str = typer.Argument(..., help="The token's tenant."),
    name: str = typer.Argument(..., help="What the token is for."),
    role: RoleName = typer.Option(
        RoleName.AGENT, "--role", help="agent (upload only), viewer, analyst, admin."
    ),
    db: str | None = DbOpt,
) -> None:
    """Create an API token and print it once (only its hash is kept)."""
    from rootout.api import accounts
    from rootout.api.roles import Role

    new = accounts.create_token(connect(db), tenant_id, name, Role(role), actor="admin-cli")
    typer.echo(f"token {new.info.id} ({role.value}) for tenant {tenant_id}; it is shown only now:")
    typer.echo(new.secret)


@admin.command("revoke")
def revoke(
    tenant_id: str = typer.Argument(..., help="The token's tenant."),
    token_id: str = typer.Argument(..., help="Token id (T...)."),
    db: str | None = DbOpt,
) -> None:
    """Revoke an API token."""
    from rootout.api import accounts

    info = accounts.revoke_token(connect(db), tenant_id, token_id, actor="admin-cli")
    typer.echo(f"token {info.id} revoked")
