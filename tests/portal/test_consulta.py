import re

from django.urls import reverse


def _sin_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_folio_y_codigo_correctos_muestran_el_estado_sin_datos_personales(client, nuevo_caso):
    recibida = nuevo_caso(nombre="Juana Ruvalcaba Torres", resumen="Asunto muy privado de barda")
    caso = recibida.caso
    respuesta = client.post(
        reverse("portal:consulta"),
        {"folio": caso.folio.lower(), "codigo": recibida.codigo_legible.lower()},
    )
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert caso.folio in html and "Recibida" in html
    assert "será revisada por la coordinación" in html
    for privado in ("Juana", "Ruvalcaba", "Pedro López", "Hidalgo", "1234", "privado", "barda"):
        assert privado not in html
    assert respuesta["Cache-Control"].startswith("max-age=0")


def test_folio_equivocado_y_codigo_equivocado_dan_la_misma_respuesta(client, nuevo_caso):
    recibida = nuevo_caso()
    caso = recibida.caso
    mal_codigo = client.post(
        reverse("portal:consulta"), {"folio": caso.folio, "codigo": "AAAAA-AAAAA"}
    )
    mal_folio = client.post(
        reverse("portal:consulta"), {"folio": "MED-2026-99999", "codigo": recibida.codigo}
    )
    assert mal_codigo.status_code == mal_folio.status_code == 404
    # Lo único distinto es lo que la persona escribió (se le devuelve para que lo corrija).
    cuerpo_1 = _sin_csrf(mal_codigo.content.decode()).replace(caso.folio, "F")
    cuerpo_1 = cuerpo_1.replace("AAAAA-AAAAA", "C")
    cuerpo_2 = _sin_csrf(mal_folio.content.decode()).replace("MED-2026-99999", "F")
    cuerpo_2 = cuerpo_2.replace(recibida.codigo, "C")
    assert cuerpo_1 == cuerpo_2
    assert "No encontramos una solicitud con ese folio y código" in cuerpo_1


def test_fallos_repetidos_se_limitan_aun_con_el_codigo_correcto(client, nuevo_caso, settings):
    settings.CONSULTA_FALLOS_LIMITE = 5
    recibida = nuevo_caso()
    for _ in range(5):
        client.post(
            reverse("portal:consulta"), {"folio": recibida.caso.folio, "codigo": "ZZZZZZZZZZ"}
        )
    bloqueada = client.post(
        reverse("portal:consulta"), {"folio": recibida.caso.folio, "codigo": recibida.codigo}
    )
    assert bloqueada.status_code == 429
    assert "Demasiados intentos fallidos" in bloqueada.content.decode()


def test_un_acierto_no_cuenta_como_fallo(client, nuevo_caso, settings):
    settings.CONSULTA_FALLOS_LIMITE = 2
    recibida = nuevo_caso()
    datos = {"folio": recibida.caso.folio, "codigo": recibida.codigo}
    for _ in range(5):
        assert client.post(reverse("portal:consulta"), datos).status_code == 200


def test_limite_por_folio_aunque_cambie_la_ip(client, nuevo_caso, settings):
    settings.CONSULTA_FALLOS_LIMITE = 3
    # El folio se protege cuando fallan en él varias conexiones distintas.
    settings.CONSULTA_FOLIO_CLIENTES = 3
    recibida = nuevo_caso()
    folio = recibida.caso.folio
    for i in range(3):
        client.post(
            reverse("portal:consulta"),
            {"folio": folio, "codigo": "ZZZZZZZZZZ"},
            REMOTE_ADDR=f"10.0.0.{i}",
        )
    bloqueada = client.post(
        reverse("portal:consulta"),
        {"folio": folio, "codigo": recibida.codigo},
        REMOTE_ADDR="10.0.0.99",
    )
    assert bloqueada.status_code == 429


def test_el_codigo_reexpedido_reemplaza_al_anterior(client, nuevo_caso, operadora):
    from casos.services import reexpedir_codigo

    recibida = nuevo_caso()
    nuevo = reexpedir_codigo(caso=recibida.caso, actor=operadora)
    url = reverse("portal:consulta")
    assert (
        client.post(url, {"folio": recibida.caso.folio, "codigo": recibida.codigo}).status_code
        == 404
    )
    assert client.post(url, {"folio": recibida.caso.folio, "codigo": nuevo}).status_code == 200


def test_campos_vacios_piden_el_dato(client, catalogos):
    html = client.post(reverse("portal:consulta"), {"folio": "", "codigo": ""}).content.decode()
    assert "Escriba el folio" in html and "Escriba su código" in html


def test_el_folio_puede_venir_en_la_url(client, catalogos):
    html = client.get(reverse("portal:consulta"), {"folio": "MED-2026-00042"}).content.decode()
    assert 'value="MED-2026-00042"' in html


def test_la_consulta_no_acepta_el_codigo_por_la_url(client, nuevo_caso):
    recibida = nuevo_caso()
    respuesta = client.get(
        reverse("portal:consulta"), {"folio": recibida.caso.folio, "codigo": recibida.codigo}
    )
    html = respuesta.content.decode()
    assert "Estado actual" not in html
    assert recibida.codigo not in html
