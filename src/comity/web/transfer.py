"""The technology-transfer page: the described system screened for a transfer between
two parties (``comity transfer`` for people who never open a terminal).

The system travels in the address like on the compare page; the screen's own fields are
``transfer_from``, ``transfer_to``, ``end_user`` and ``dual_use``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from comity.cooperation.parties import Party, check_code, load_party
from comity.cooperation.settings import transfer_settings
from comity.cooperation.transfer import TransferScreen, screen
from comity.errors import InputError
from comity.profile.model import Profile
from comity.web.form import Choice
from comity.web.pages import draft_profile, invalid_query, page, readable_context, view_of

router = APIRouter(include_in_schema=False)
SCREEN_FIELDS = ("transfer_from", "transfer_to", "end_user", "dual_use", "as_of")
DUAL_USE = {"true": True, "false": False}
PARTY_ROLES = {"transfer_from": "exporting", "transfer_to": "receiving"}


def _screened(request: Request) -> tuple[Profile | None, TransferScreen | None,
                                         dict[str, list[str]]]:
    """The system, its screen (once both parties are given) and the problems by field."""
    ctx = readable_context(request)
    params = request.query_params
    profile, errors = draft_profile(ctx, params)
    codes = {name: (params.get(name) or "").strip().upper()
             for name in ("transfer_from", "transfer_to")}
    if profile is None or not any(codes.values()):
        return profile, None, errors
    parties: dict[str, Party] = {}
    for name, code in codes.items():
        if not code:
            errors[name] = [f"give the {PARTY_ROLES[name]} party (ISO code or EU)"]
            continue
        try:
            parties[name] = load_party(code, ctx.rulebook)
        except InputError as error:
            errors[name] = [problem.message for problem in error.problems]
    end_user = params.get("end_user") or None
    if end_user is not None:
        try:
            check_code(end_user, sorted(transfer_settings().end_users), "end user",
                       "transfer.yaml")
        except InputError as error:
            errors["end_user"] = [problem.message for problem in error.problems]
    if errors:
        return profile, None, errors
    return profile, screen(profile, parties["transfer_from"], parties["transfer_to"],
                           end_user=end_user, dual_use=DUAL_USE.get(params.get("dual_use", "")),
                           rulebook=ctx.rulebook, as_of=view_of(request)["as_of"]), errors


@router.get("/transfer", response_class=HTMLResponse)
def transfer(request: Request) -> HTMLResponse:
    profile, screened, errors = _screened(request)
    end_users = [Choice(name, name.replace("_", " ")) for name in transfer_settings().end_users]
    return page(request, "transfer.html", profile=profile, screen=screened, errors=errors,
                form=request.query_params, end_users=end_users, screen_fields=SCREEN_FIELDS)


@router.get("/transfer.json")
def transfer_json(request: Request) -> JSONResponse:
    _, screened, errors = _screened(request)
    if screened is None:
        raise invalid_query("describe a system and give both parties", errors)
    return JSONResponse(screened.to_dict())
