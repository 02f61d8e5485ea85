"""Administration of who may do what: users, their roles and groups, and each collection's grants."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.deps import AccountsDep, AdminDep, CallerDep, SearchDep, TrailDep
from api.errors import ApiError
from api.models import CollectionInfo, CollectionLabel, ErrorResponse, Grant, UserInfo
from docsearch.accounts import COLLECTION, DISPLAY_NAME_MAX, AccountError
from docsearch.audit import Action

router = APIRouter(prefix="/api", tags=["administration"], responses={403: {"model": ErrorResponse}})

Role = Literal["admin", "prosecutor", "judge", "analyst", "viewer"]
Username = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
CollectionName = Annotated[str, Path(pattern=COLLECTION.pattern)]


def _refused(exc: AccountError) -> ApiError:
    status = {"exists": 409, "not_found": 404}.get(exc.code, 400)
    return ApiError(status, exc.code, str(exc))


class NewUser(BaseModel):
    username: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    password: str = Field(min_length=12, max_length=1024)
    role: Role
    groups: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]] = Field(default_factory=list)
    email: str | None = Field(None, max_length=320, description="Where the user's watch notifications are e-mailed.")


class UserChange(BaseModel):
    role: Role | None = None
    groups: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]] | None = None
    disabled: bool | None = Field(None, description="A disabled user cannot sign in; its sessions end.")
    password: str | None = Field(None, min_length=12, max_length=1024)
    email: str | None = Field(None, max_length=320, description="Where watch notifications are e-mailed; \"\" removes it.")


@router.get("/users", response_model=list[UserInfo], summary="Every user")
def users(_: AdminDep, accounts: AccountsDep) -> list[dict]:
    return accounts.users()


@router.post("/users", response_model=UserInfo, status_code=201, summary="Create a user",
             responses={409: {"model": ErrorResponse}})
def create_user(_: AdminDep, accounts: AccountsDep, trail: TrailDep, user: NewUser) -> dict:
    try:
        made = accounts.create_user(user.username, user.password, user.role, user.groups, email=user.email)
    except AccountError as exc:
        raise _refused(exc) from None
    trail(Action.USER_CREATE, user.username, details={"role": user.role, "groups": user.groups})
    return made


@router.patch("/users/{username}", response_model=UserInfo, summary="Change a user's role, groups, state or password",
              responses={404: {"model": ErrorResponse}})
def change_user(_: AdminDep, accounts: AccountsDep, trail: TrailDep, username: Username, change: UserChange) -> dict:
    try:
        changed = accounts.change_user(username, role=change.role, groups=change.groups, disabled=change.disabled,
                                       password=change.password, email=change.email)
    except AccountError as exc:
        raise _refused(exc) from None
    trail(Action.USER_CHANGE, username, details={**change.model_dump(exclude={"password"}, exclude_none=True),
                                                 "password_changed": change.password is not None})
    return changed


@router.get("/collections", response_model=list[CollectionInfo], summary="Collections with their grants")
def collections(_: AdminDep, accounts: AccountsDep, service: SearchDep) -> list[dict]:
    """Those with settings, and those holding documents that have none yet."""
    return accounts.collections(also=service.collection_names())


@router.get("/collections/labels", response_model=list[CollectionLabel], tags=["search"],
            summary="The collections' display names, for any signed-in user")
def collection_labels(caller: CallerDep, accounts: AccountsDep, service: SearchDep) -> list[dict]:
    """The name the interface shows for each collection the caller may read (documents it reads, or grants it
    holds; an administrator: every collection), and whether a search leaves it out unless chosen."""
    holding = service.collection_names()
    known = accounts.collections(also=holding)
    mine = set(holding) | set(caller.readable)
    return [{"name": c["name"], "display_name": c.get("display_name"), "hidden": bool(c.get("hidden"))}
            for c in known if caller.is_admin or c["name"] in mine]


class CollectionSettings(BaseModel):
    default_classification: Literal["public", "reserved", "sealed"] = "reserved"
    grants: list[Grant] = Field(default_factory=list, max_length=1000)
    display_name: str | None = Field(None, max_length=DISPLAY_NAME_MAX, description=(
        "The name the interface shows (\"Fiscalía de Lima — Crimen Organizado\"); \"\" removes it, absent "
        "leaves it as it was."), examples=["Fiscalía de Lima — Crimen Organizado"])
    hidden: bool | None = Field(None, description="Left out of a search that chooses no collection (still found "
                                "when chosen; who may read it is unchanged); absent leaves it as it was.")


@router.put("/collections/{name}", response_model=CollectionInfo,
            summary="Set a collection's grants and the classification of its new documents")
def set_collection(_: AdminDep, accounts: AccountsDep, trail: TrailDep, name: CollectionName,
                   settings: CollectionSettings) -> dict:
    try:
        done = accounts.set_collection(name, default_classification=settings.default_classification,
                                       grants=[g.model_dump() for g in settings.grants],
                                       display_name=settings.display_name, hidden=settings.hidden)
    except AccountError as exc:
        raise _refused(exc) from None
    trail(Action.GRANT, name, collection=name, details=settings.model_dump())
    return done
