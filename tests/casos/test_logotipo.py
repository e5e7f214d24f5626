"""El logotipo del centro se revisa por sus píxeles al subirlo en la administración, con un
mensaje claro y sin perder lo demás que se escribió."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casos.models import Centro
from tests.plantillas.imagenes import png, png_enorme


@pytest.fixture(autouse=True)
def _medios(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medios"


@pytest.fixture
def admin_client(client, catalogos):
    client.force_login(User.objects.create_superuser("admin", password="x"))
    return client


def _datos(centro, **cambios):
    datos = {
        "nombre": centro.nombre,
        "dependencia": centro.dependencia,
        "municipio": centro.municipio,
        "entidad": centro.entidad,
        "domicilio": centro.domicilio,
        "telefono": centro.telefono,
        "correo": centro.correo,
        "horario": centro.horario,
        "sitio_web": centro.sitio_web,
        "acreditacion": centro.acreditacion,
        "autoridad_registro": centro.autoridad_registro,
    }
    datos.update(cambios)
    return datos


@pytest.mark.parametrize("medidas", [(12000, 12000), (20000, 20000)])
def test_un_logotipo_enorme_se_rechaza_sin_perder_lo_escrito(admin_client, medidas):
    centro = Centro.objects.get(pk=1)
    respuesta = admin_client.post(
        reverse("oficina:casos_centro_change", args=[1]),
        _datos(
            centro,
            telefono="391 917 1234 ext. 5",
            logo=SimpleUploadedFile("escudo.png", png_enorme(*medidas)),
        ),
    )
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "megapíxeles" in html and "4 megapíxeles" in html
    assert 'value="391 917 1234 ext. 5"' in html
    centro.refresh_from_db()
    assert not centro.logo and centro.telefono != "391 917 1234 ext. 5"


def test_un_logotipo_normal_se_guarda(admin_client):
    centro = Centro.objects.get(pk=1)
    respuesta = admin_client.post(
        reverse("oficina:casos_centro_change", args=[1]),
        _datos(centro, logo=SimpleUploadedFile("escudo.png", png(600, 300))),
    )
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    centro.refresh_from_db()
    assert centro.logo.name.startswith("centro/escudo")


def test_el_modelo_tambien_lo_revisa(catalogos, settings):
    settings.LOGO_MAX_MEGAPIXELES = 1
    centro = Centro.objects.get(pk=1)
    centro.logo = SimpleUploadedFile("escudo.png", png(1500, 1000))
    with pytest.raises(ValidationError, match="megapíxeles"):
        centro.full_clean()
