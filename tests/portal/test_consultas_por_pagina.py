"""Las páginas públicas hacen las mismas consultas a la base con poca o con mucha historia:
su costo no crece con los datos. Sin tiempos (eso es del benchmark): solo el número de
consultas, en dos tamaños de datos, y lo que cada página escribe."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casos.models import (
    Caso,
    Categoria,
    EsperaCiudadano,
    Estado,
    Evento,
    Localidad,
    Prorroga,
    TipoCaso,
    TipoEvento,
)
from nucleo import memoria
from open311.identificadores import identificador_de
from plantillas.models import Documento, EstadoDocumento, TipoDocumento
from portal.estado import COOKIE_MARCA
from tests.portal.test_solicitud_publica import datos_web

pytestmark = pytest.mark.django_db


def consultas(funcion, olvidar: bool = True) -> tuple[int, object]:
    """Las consultas de una petición ya en régimen: una antes, que no cuenta, deja en la
    memoria del proceso lo que se guarda ahí (los datos de la oficina, `nucleo.memoria`).
    Se olvida antes lo que cargó la preparación de la prueba: así nada de lo guardado vence
    (`memoria.SEGUNDOS`) entre la primera petición y la que se cuenta. Con `olvidar=False`,
    para probar justo lo que vence."""
    if olvidar:
        memoria.olvidar_todo()
    funcion()
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = funcion()
    return len(capturadas), respuesta


def con_historia(caso, eventos: int, documentos: int) -> None:
    """Pasos públicos y versiones del acuse y del convenio firmado."""
    ahora = timezone.now()
    Evento.objects.bulk_create(
        Evento(
            caso=caso,
            tipo=TipoEvento.SESION_DIFERIDA,
            descripcion="Paso",
            publico=True,
            creado_en=ahora + timedelta(minutes=k),
        )
        for k in range(eventos)
    )
    Documento.objects.bulk_create(
        Documento(
            caso=caso,
            tipo=tipo,
            version=10 + k,
            version_plantilla="1",
            estado=EstadoDocumento.LISTO,
            archivo=f"documentos/{caso.folio}/{tipo}-{k}.pdf",
            firmado=f"documentos/{caso.folio}/firmado-{k}.pdf" if tipo == "convenio" else "",
        )
        for k in range(documentos)
        for tipo in (TipoDocumento.ACUSE, TipoDocumento.CONVENIO)
    )


def consultar(client, recibida, codigo=None, ip="10.0.0.1"):
    return client.post(
        reverse("portal:consulta"),
        {"folio": recibida.caso.folio, "codigo": codigo or recibida.codigo_legible},
        REMOTE_ADDR=ip,
    )


def test_la_pagina_de_estado_hace_las_mismas_consultas_con_mucha_historia(client, nuevo_caso):
    corta, larga = nuevo_caso(), nuevo_caso()
    con_historia(corta.caso, eventos=2, documentos=1)
    con_historia(larga.caso, eventos=60, documentos=15)

    n_corta, r_corta = consultas(lambda: consultar(client, corta, ip="10.0.0.1"))
    n_larga, r_larga = consultas(lambda: consultar(client, larga, ip="10.0.0.2"))

    assert r_corta.status_code == r_larga.status_code == 200
    assert r_larga.content.decode().count("Una sesión se difirió") == 60
    assert n_corta == n_larga
    # Intentos (2 transacciones de 2), el caso, la próxima sesión, los pasos, los documentos
    # (acuse y convenio en una) y la prórroga que fija el plazo; los datos de la oficina ya
    # están en la memoria del proceso.
    assert n_larga <= 12


def test_consultar_no_escribe_una_sesion_y_ata_los_enlaces_a_una_cookie(client, nuevo_caso):
    recibida = nuevo_caso()

    respuesta = consultar(client, recibida)

    assert respuesta.status_code == 200
    assert Session.objects.count() == 0
    cookie = respuesta.cookies[COOKIE_MARCA]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and not cookie["max-age"]
    # La segunda consulta desde el mismo navegador conserva la marca (los enlaces ya dados
    # siguen valiendo) y no la vuelve a enviar.
    assert COOKIE_MARCA not in consultar(client, recibida).cookies


def test_un_codigo_equivocado_cuesta_lo_mismo_con_poca_o_mucha_historia(client, nuevo_caso):
    corta, larga = nuevo_caso(), nuevo_caso()
    con_historia(larga.caso, eventos=60, documentos=15)

    n_corta, r_corta = consultas(lambda: consultar(client, corta, "AAAAA-AAAAA", "10.0.0.3"))
    n_larga, r_larga = consultas(lambda: consultar(client, larga, "AAAAA-AAAAA", "10.0.0.4"))

    assert r_corta.status_code == r_larga.status_code == 404
    assert n_corta == n_larga


def _muchos_catalogos(n: int) -> None:
    Categoria.objects.bulk_create(
        Categoria(nombre=f"Categoría extra {k}", tipo=TipoCaso.MEDIACION, orden=100 + k)
        for k in range(n)
    )
    Localidad.objects.bulk_create(
        Localidad(nombre=f"Localidad extra {k}", orden=100 + k) for k in range(n)
    )


def test_el_formulario_ciudadano_en_blanco_no_consulta_la_base_y_trae_los_catalogos_nuevos(
    client, catalogos, aviso, monkeypatch
):
    instante = [1000.0]
    monkeypatch.setattr(memoria.time, "monotonic", lambda: instante[0])
    n_pocos, _ = consultas(lambda: client.get(reverse("portal:solicitud")))
    # Catálogos grandes dados de alta por otro proceso (sin señales en este): a más tardar
    # cuando vence lo guardado, el formulario en blanco ya los trae.
    _muchos_catalogos(40)
    instante[0] += memoria.SEGUNDOS + 1
    n_muchos, respuesta = consultas(lambda: client.get(reverse("portal:solicitud")), olvidar=False)

    assert n_pocos == n_muchos == 0
    html = respuesta.content.decode()
    assert "Categoría extra 39" in html and "Localidad extra 39" in html


def test_el_formulario_en_blanco_se_vuelve_a_dibujar_al_cambiar_un_catalogo(client, catalogos):
    url = reverse("portal:solicitud")
    categoria = Categoria.objects.filter(activo=True).first()
    assert categoria.nombre in client.get(url).content.decode()

    categoria.nombre = "Conflicto por linderos y bardas"
    categoria.save()
    html = client.get(url).content.decode()
    assert "Conflicto por linderos y bardas" in html

    categoria.activo = False
    categoria.save()
    assert "Conflicto por linderos y bardas" not in client.get(url).content.decode()


def test_el_formulario_con_errores_no_sale_del_guardado(client, catalogos):
    respuesta = client.post(reverse("portal:solicitud"), {"nombre": "Juana"})

    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    # Dibujado con lo que escribió la persona, no el formulario en blanco guardado.
    assert 'value="Juana"' in html


def test_open311_una_solicitud_hace_las_mismas_consultas_con_mucha_historia(
    client, nuevo_caso, coordinadora
):
    corta, larga = nuevo_caso(), nuevo_caso()
    for caso in (corta.caso, larga.caso):
        caso.estado, caso.admitido_en = Estado.INVITACION, timezone.now()
        caso.save(update_fields=["estado", "admitido_en"])
    con_historia(larga.caso, eventos=60, documentos=15)
    hoy = timezone.localdate()
    # La misma forma (mediación admitida con prórrogas), una y ocho.
    Prorroga.objects.bulk_create(
        Prorroga(
            caso=caso, nueva_fecha_limite=hoy + timedelta(days=100 + k), registrada_por=coordinadora
        )
        for caso, n in ((corta.caso, 1), (larga.caso, 8))
        for k in range(n)
    )

    def leer(recibida):
        url = f"/open311/v2/requests/{identificador_de(recibida.caso.folio)}.json"
        return client.get(url)

    leer(corta)  # las cifras de los plazos se cargan una vez por proceso
    n_corta, r_corta = consultas(lambda: leer(corta))
    n_larga, r_larga = consultas(lambda: leer(larga))

    assert r_corta.status_code == r_larga.status_code == 200
    assert r_larga.json()[0]["expected_datetime"].startswith(str(hoy + timedelta(days=107)))
    assert n_corta == n_larga


def test_open311_la_lista_hace_las_mismas_consultas_con_3_o_30_solicitudes(
    client, nuevo_caso, coordinadora
):
    url = "/open311/v2/requests.json?status=open"

    def crear(n):
        for k in range(n):
            tipo = TipoCaso.MEDIACION if k % 2 else TipoCaso.ASESORIA
            caso = nuevo_caso(tipo).caso
            if tipo == TipoCaso.MEDIACION:
                caso.estado, caso.admitido_en = Estado.INVITACION, timezone.now()
                caso.save(update_fields=["estado", "admitido_en"])
                Prorroga.objects.create(
                    caso=caso,
                    nueva_fecha_limite=timezone.localdate() + timedelta(days=90),
                    registrada_por=coordinadora,
                )
            else:
                # Recibidas en fechas distintas: el calendario no se vuelve a cargar por cada
                # una.
                caso.recibido_en = timezone.now() - timedelta(days=3 * k)
                caso.save(update_fields=["recibido_en"])
                EsperaCiudadano.objects.create(
                    caso=caso, motivo="Copia de la escritura", desde=caso.recibido_en
                )

    crear(3)
    n_pocas, r_pocas = consultas(lambda: client.get(url))
    crear(27)
    n_muchas, r_muchas = consultas(lambda: client.get(url))

    assert len(r_pocas.json()) == 3 and len(r_muchas.json()) == 30
    assert n_pocas == n_muchas


def test_open311_servicios_hace_las_mismas_consultas_con_muchas_categorias(client, catalogos):
    n_pocas, _ = consultas(lambda: client.get("/open311/v2/services.json"))
    _muchos_catalogos(40)
    n_muchas, respuesta = consultas(lambda: client.get("/open311/v2/services.json"))

    assert any(s["service_name"] == "Categoría extra 39" for s in respuesta.json())
    assert n_pocas == n_muchas


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_cada_visita_al_formulario_guardado_recibe_su_token_y_puede_enviar(catalogos, aviso):
    primera, segunda = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    html_1 = primera.get(reverse("portal:solicitud")).content.decode()
    respuesta = segunda.get(reverse("portal:solicitud"))
    html_2 = respuesta.content.decode()

    assert _token(html_1) != _token(html_2)
    # La misma página salvo el token.
    assert html_1.replace(_token(html_1), "") == html_2.replace(_token(html_2), "")
    assert respuesta["Cache-Control"].startswith("max-age=0") and "csrftoken" in respuesta.cookies
    enviada = segunda.post(
        reverse("portal:solicitud"), {**datos_web(), "csrfmiddlewaretoken": _token(html_2)}
    )
    assert enviada.status_code == 302 and Caso.objects.count() == 1
    # El token de una visita no sirve con la cookie de otra.
    ajena = primera.post(
        reverse("portal:solicitud"), {**datos_web(), "csrfmiddlewaretoken": "x" * 64}
    )
    assert ajena.status_code == 403 and Caso.objects.count() == 1


def test_con_sesion_el_formulario_se_dibuja_para_esa_peticion(client, catalogos, aviso):
    client.get(reverse("portal:solicitud"))
    client.post(reverse("portal:solicitud"), datos_web())  # deja la sesión con su código
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(reverse("portal:solicitud"))
    assert respuesta.status_code == 200 and len(capturadas) > 0


def _esperada(client, caso) -> str:
    respuesta = client.get(f"/open311/v2/requests/{identificador_de(caso.folio)}.json")
    assert respuesta.status_code == 200
    return respuesta.json()[0]["expected_datetime"][:10]


def _plazo_leido_de_la_base(caso) -> str:
    """El mismo plazo por el camino del personal: el caso, sus pausas y el calendario leídos
    de la base con el ORM."""
    from casos import plazos
    from casos.calendario import Calendario

    return str(plazos.resolucion_vence_el(Caso.objects.get(pk=caso.pk), Calendario()))


def test_open311_una_asesoria_lee_sus_pausas_solo_si_las_tiene_y_su_plazo_es_el_del_expediente(
    client, nuevo_caso, reloj
):
    sin_pausa, con_pausa = nuevo_caso(TipoCaso.ASESORIA).caso, nuevo_caso(TipoCaso.ASESORIA).caso
    inicio = con_pausa.recibido_en
    EsperaCiudadano.objects.create(
        caso=con_pausa, motivo="Copia", desde=inicio, hasta=inicio + timedelta(days=7)
    )
    EsperaCiudadano.objects.create(
        caso=con_pausa, motivo="Recibo", desde=inicio + timedelta(days=9)
    )
    reloj.move_to(inicio + timedelta(days=12))  # la segunda pausa sigue abierta

    url = "/open311/v2/requests/{}.json"
    n_sin, _r = consultas(lambda: client.get(url.format(identificador_de(sin_pausa.folio))))
    n_con, _r = consultas(lambda: client.get(url.format(identificador_de(con_pausa.folio))))

    # El caso (con si tiene pausas, en la misma consulta) y, solo si las tiene, sus pausas.
    assert (n_sin, n_con) == (1, 2)
    assert _esperada(client, sin_pausa) == _plazo_leido_de_la_base(sin_pausa)
    assert _esperada(client, con_pausa) == _plazo_leido_de_la_base(con_pausa)
    assert _esperada(client, con_pausa) > _esperada(client, sin_pausa)


def test_open311_un_dia_inhabil_nuevo_mueve_el_plazo_al_instante_o_a_los_segundos_fijados(
    client, nuevo_caso, reloj, monkeypatch
):
    from casos.models import DiaInhabil

    instante = [1000.0]
    monkeypatch.setattr(memoria.time, "monotonic", lambda: instante[0])
    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    antes = _esperada(client, caso)
    manana = timezone.localdate() + timedelta(days=1)

    # Guardado en este proceso: la memoria lo olvida por señal.
    DiaInhabil.objects.create(fecha_inicio=manana, fecha_fin=manana, motivo="Feria del pueblo")
    primero = _esperada(client, caso)
    assert primero > antes and primero == _plazo_leido_de_la_base(caso)

    # Dado de alta por otro proceso (aquí, sin señales): a más tardar a los SEGUNDOS.
    otro = manana + timedelta(days=1)
    DiaInhabil.objects.bulk_create([DiaInhabil(fecha_inicio=otro, fecha_fin=otro, motivo="Otro")])
    assert _esperada(client, caso) == primero
    instante[0] += memoria.SEGUNDOS + 1
    segundo = _esperada(client, caso)
    assert segundo > primero and segundo == _plazo_leido_de_la_base(caso)


def test_open311_un_periodo_inhabil_hasta_el_ano_9999_no_rompe_el_plazo(client, nuevo_caso, reloj):
    from datetime import date

    from casos.models import DiaInhabil

    caso = nuevo_caso(TipoCaso.ASESORIA).caso
    antes = _esperada(client, caso)
    manana = timezone.localdate() + timedelta(days=1)
    DiaInhabil.objects.create(fecha_inicio=manana, fecha_fin=date(9999, 12, 31), motivo="Cierre")
    # Todo inhábil desde mañana: dentro de los años que guarda el proceso, el plazo no llega;
    # se responde sin error, con el plazo después de esos años.
    respuesta = client.get(f"/open311/v2/requests/{identificador_de(caso.folio)}.json")
    assert respuesta.status_code == 200
    assert respuesta.json()[0]["expected_datetime"][:10] > antes
