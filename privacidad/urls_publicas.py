"""La página pública para presentar una solicitud ARCO (`/arco/`)."""

app_name = "arco"

urlpatterns: list = []
