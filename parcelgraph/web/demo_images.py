"""Product images of the demo shop, served by the app itself.

`parcelgraph demo` points its products at these, so the tracking page shows real pictures on
a machine without internet. Only the files in `static/demo/` are served; SVG is sent with a
policy that forbids scripts, as any SVG served to a browser should be.
"""

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC = Path(__file__).parent / "static" / "demo"
IMAGES_PATH = "/demo-assets"
IMAGES = frozenset(p.name for p in STATIC.iterdir() if p.suffix == ".svg")

router = APIRouter(include_in_schema=False)


@router.get(IMAGES_PATH + "/{name}", summary="Product image of the demo shop")
async def image(name: str) -> FileResponse:
    if name not in IMAGES:
        raise HTTPException(status_code=404)
    headers = {
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "public, max-age=3600",
    }
    return FileResponse(STATIC / name, media_type="image/svg+xml", headers=headers)
