"""The carrier push endpoint: `POST /v1/carriers/{adapter}/push/{slug}`.

Configure it at the carrier (AfterShip: Settings > Webhooks, URL
`https://<host>/v1/carriers/aftership/push/<shop slug>`) and store the carrier's webhook
secret with the shop's credentials. Answers 200 with what was recorded, 401 when the push
cannot be verified (nothing written), 400 for a body that is not the carrier's format.
"""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.shops.carrier_credentials import CredentialCipher
from parcelgraph.tracking import push

PUSH_PATH = "/v1/carriers/{adapter}/push/{slug}"

router = APIRouter(include_in_schema=False)


@router.post(PUSH_PATH, summary="Receive a carrier's push (signed webhook)")
async def carrier_push(adapter: str, slug: str, request: Request) -> JSONResponse:
    """Verify the push, record its scans once, and answer the carrier."""
    state = request.app.state
    settings = state.settings
    try:
        result = await push.receive(
            db=state.db,
            broker=state.broker,
            policy=ArrivalPolicy.from_settings(settings),
            cipher=CredentialCipher(settings.carrier_credentials_keys),
            clock=state.clock,
            slug=slug,
            adapter=adapter,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=await request.body(),
        )
    except push.PushRejected as rejected:
        return JSONResponse({"error": str(rejected)}, status_code=rejected.status)
    return JSONResponse({"recorded": result.recorded, "unknown": result.unknown})
