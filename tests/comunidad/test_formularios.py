"""Formularios y páginas: errores claros en español, vista previa del SMS y confirmación."""

import pytest
from django.urls import reverse

from comunidad import longitud
from comunidad.models import AvisoComunitario, Contacto

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinacion(client, coordinadora):
    client.force_login(coordinadora)
    return client


def _contacto(milpillas, aviso, **cambios):
    datos = {
        "nombre": "Rosa Martínez",
        "telefono": "391 123 4567",
        "canal": "sms",
        "cargo": "Delegada",
        "localidad": milpillas.pk,
        "consentimiento_fecha": "2026-11-20",
        "consentimiento_forma": "palabra",
        "consentimiento_ante": "Lic. Ana Ruiz, en la asamblea",
        "consentimiento_aviso": aviso.pk,
    }
    datos.update(cambios)
    return datos


def test_registrar_un_contacto_con_consentimiento(coordinacion, milpillas, aviso, lista):
    respuesta = coordinacion.post(
        reverse("comunidad:contacto_nuevo"), _contacto(milpillas, aviso, listas=[lista.pk])
    )
    assert respuesta.status_code == 302
    contacto = Contacto.objects.get()
    assert contacto.telefono == "+523911234567" and list(contacto.listas.all()) == [lista]
    assert contacto.consentimiento_registrado_por.username == "coordinadora"


def test_telefono_invalido_error_en_espanol_sin_perder_lo_escrito(coordinacion, milpillas, aviso):
    respuesta = coordinacion.post(
        reverse("comunidad:contacto_nuevo"), _contacto(milpillas, aviso, telefono="12345")
    )
    html = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert "no es un teléfono válido" in html
    assert 'value="Rosa Martínez"' in html and "Lic. Ana Ruiz" in html
    assert not Contacto.objects.exists()


def test_sin_consentimiento_se_registra_pero_no_recibe(coordinacion, milpillas, aviso, lista):
    datos = _contacto(milpillas, aviso, listas=[lista.pk])
    for campo in ("consentimiento_fecha", "consentimiento_forma", "consentimiento_ante"):
        datos[campo] = ""
    assert coordinacion.post(reverse("comunidad:contacto_nuevo"), datos).status_code == 302
    pagina = coordinacion.get(reverse("comunidad:lista", args=[lista.pk])).content.decode()
    assert "Sin consentimiento" in pagina
    confirmar = coordinacion.post(
        reverse("comunidad:aviso_nuevo"), {"texto": "Hola", "listas": [lista.pk]}
    )
    assert "Le llegará a 0 contactos" in confirmar.content.decode()


def test_consentimiento_incompleto_dice_lo_que_falta(coordinacion, milpillas, aviso):
    datos = _contacto(milpillas, aviso, consentimiento_forma="", consentimiento_aviso="")
    html = coordinacion.post(reverse("comunidad:contacto_nuevo"), datos).content.decode()
    assert "Diga cómo dio su consentimiento" in html
    assert "versión del aviso de privacidad" in html


def test_texto_vacio_o_demasiado_largo(coordinacion, lista):
    url = reverse("comunidad:aviso_nuevo")
    vacio = coordinacion.post(url, {"texto": "  ", "listas": [lista.pk]})
    assert vacio.status_code == 400 and "Escriba el texto del aviso" in vacio.content.decode()
    largo = coordinacion.post(url, {"texto": "Aviso " * 90, "listas": [lista.pk]})
    html = largo.content.decode()
    assert largo.status_code == 400 and "demasiado largo" in html and "máximo son 3" in html
    sin_listas = coordinacion.post(url, {"texto": "Hola"})
    assert "Elija al menos una lista" in sin_listas.content.decode()
    assert not AvisoComunitario.objects.exists()


def test_un_emoji_no_pasa_y_se_dice_cual(coordinacion, lista):
    respuesta = coordinacion.post(
        reverse("comunidad:aviso_nuevo"), {"texto": "Fiesta 🎉 el sábado", "listas": [lista.pk]}
    )
    html = respuesta.content.decode()
    assert respuesta.status_code == 400
    assert "no se pueden enviar por SMS: «🎉»" in html
    assert "UCS-2" in html  # la vista previa explica por qué


def test_vista_previa_gsm7(settings):
    firma = settings.AVISOS_FIRMA_SMS
    medida = longitud.medir("Módulo itinerante en Milpillas el sábado 12, 9 a 13 h, en la plaza")
    esperado = (
        f"{firma}: Modulo itinerante en Milpillas el sabado 12, 9 a 13 h, en la plaza. "
        "Resp BAJA p/no recibir"
    )
    assert medida.texto == esperado and medida.codificacion == "GSM-7"
    assert medida.unidades == len(esperado) and medida.segmentos == 1


def test_vista_previa_varios_segmentos_y_extension():
    # Cada «€» cuenta dos septetos (tabla de extensión de GSM-7).
    antes, despues = longitud.piezas()
    relleno = 160 - len(antes) - len(despues)
    assert longitud.medir("x" * relleno).segmentos == 1
    assert longitud.medir("x" * (relleno + 1)).segmentos == 2
    con_euro = longitud.medir("€" + "x" * (relleno - 1))
    assert con_euro.unidades == 161 and con_euro.segmentos == 2
    assert longitud.medir("x" * (3 * 153 - len(antes) - len(despues))).segmentos == 3
    assert not longitud.medir("x" * (3 * 153 - len(antes) - len(despues) + 1)).cabe


def test_vista_previa_ucs2():
    medida = longitud.medir("Reunión 😀 hoy")
    assert medida.codificacion == "UCS-2" and medida.fuera == ["😀"]
    antes, despues = longitud.piezas()
    # «Reunión» va con su acento (UCS-2 no lo quita) y el emoji ocupa dos unidades UTF-16.
    assert medida.texto == f"{antes}Reunión 😀 hoy{despues}"
    assert medida.unidades == len(antes) + 14 + len(despues) and medida.segmentos == 1
    assert not medida.cabe
    largo = longitud.medir("😀" + "x" * (71 - len(antes) - len(despues) - 2))
    assert largo.unidades == 71 and largo.segmentos == 2 and largo.por_segmento == 67


def test_confirmar_cuenta_destinatarios_y_enviar_crea_el_aviso(
    coordinacion, nuevo_contacto, lista, otra_lista
):
    nuevo_contacto(listas=[lista, otra_lista])
    nuevo_contacto(listas=[otra_lista])
    url = reverse("comunidad:aviso_nuevo")
    datos = {"texto": "Módulo itinerante en Milpillas", "listas": [lista.pk, otra_lista.pk]}
    confirmar = coordinacion.post(url, datos)
    html = confirmar.content.decode()
    assert "Le llegará a 2 contactos" in html and "Enviar a 2 contactos" in html
    assert not AvisoComunitario.objects.exists()
    enviado = coordinacion.post(url, {**datos, "confirmar": "1"})
    aviso = AvisoComunitario.objects.get()
    assert enviado["Location"] == reverse("comunidad:aviso", args=[aviso.pk])
    assert aviso.destinatarios == 2 and aviso.texto == "Módulo itinerante en Milpillas"


def test_la_direccion_ve_los_avisos_pero_no_los_contactos(client, direccion, lista):
    client.force_login(direccion)
    assert client.get(reverse("comunidad:inicio")).status_code == 200
    assert client.get(reverse("comunidad:lista", args=[lista.pk])).status_code == 403
    assert client.get(reverse("comunidad:aviso_nuevo")).status_code == 403


def test_la_coordinacion_da_de_baja_a_peticion(coordinacion, nuevo_contacto, lista):
    contacto = nuevo_contacto(listas=[lista])
    coordinacion.post(reverse("comunidad:contacto_baja", args=[contacto.pk]))
    pagina = coordinacion.get(reverse("comunidad:lista", args=[lista.pk])).content.decode()
    assert "Dado de baja" in pagina
    coordinacion.post(reverse("comunidad:contacto_alta", args=[contacto.pk]))
    pagina = coordinacion.get(reverse("comunidad:lista", args=[lista.pk])).content.decode()
    assert "Dado de baja" not in pagina
