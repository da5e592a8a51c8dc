"""The web dashboard: server-rendered pages over the same store, catalog and reports as the API.

``install(app)`` adds the pages to the FastAPI application ``create_app`` builds.
Pages use the API's session cookie and its CSRF token; every page answers for the
logged-in user's tenant only. No JavaScript: forms and links do everything.
"""

from rootout.web.mount import install
from rootout.web.upload import UPLOAD_PATH

__all__ = ["UPLOAD_PATH", "install"]
