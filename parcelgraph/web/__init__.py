"""The reference tracking page: static files served by the app (no CDN, no build step)."""
