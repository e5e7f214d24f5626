"""Las listas comunitarias de la demostración y su aviso ya enviado."""

import pytest

from comunidad import selectors
from comunidad.models import AvisoComunitario, Contacto, Lista
from demo.comunidad import sembrar_comunidad
from notificaciones.models import EstadoMensaje, Mensaje

pytestmark = pytest.mark.django_db


def test_la_demo_siembra_listas_y_un_aviso_enviado_una_sola_vez(client, coordinadora):
    assert sembrar_comunidad({"coordinadora": coordinadora}) == 6
    assert sembrar_comunidad({"coordinadora": coordinadora}) == 0
    assert Lista.objects.count() == 3 and Contacto.objects.count() == 11
    aviso = AvisoComunitario.objects.get()
    # Margaritas (3 con consentimiento + la delegada de Milpillas) y Milpillas (4, uno de baja).
    assert aviso.destinatarios == 6
    enviados = Mensaje.objects.filter(plantilla="comunitario", estado=EstadoMensaje.ENVIADO)
    assert enviados.count() == 6
    por_lista, total = selectors.cifras(aviso)
    assert total.total == 7 and total.dados_de_baja == 1 and total.pendientes == 0
    client.force_login(coordinadora)
    pagina = client.get(f"/comunidad/avisos/{aviso.pk}/").content.decode()
    assert "Milpillas: delegados, comités y líderes" in pagina
