"""Lista de casos (búsqueda, filtros, páginas) y expediente por folio."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from api.services import emitir_token
from casos.models import AccesoExpediente, Caso, Localidad, TipoCaso
from casos.services import registrar_contacto
from flujos import tareas
from tests.casos.etapas import admitido, con_sesion, convenio_listo, en, invitado, sesion_celebrada

from .datos import url_caso

MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def get(client, coordinadora):
    """GET con un token de la coordinación (o del usuario indicado)."""
    tokens = {}

    def llamar(url, datos=None, usuario=None):
        usuario = usuario or coordinadora
        if usuario.pk not in tokens:
            tokens[usuario.pk] = emitir_token(nombre="prueba", usuario=usuario)
        return client.get(url, datos or {}, HTTP_AUTHORIZATION=f"Bearer {tokens[usuario.pk]}")

    return llamar


def _folios(respuesta):
    assert respuesta.status_code == 200, respuesta.content
    return [c["folio"] for c in respuesta.json()["resultados"]]


def _recibido(caso, dia: date, hora: int = 10):
    Caso.objects.filter(pk=caso.pk).update(
        recibido_en=datetime(dia.year, dia.month, dia.day, hora, tzinfo=MX)
    )


# --- Lista y filtros ------------------------------------------------------------------------


def test_lista_del_mas_reciente_al_mas_antiguo_con_sus_datos(get, nuevo_caso, coordinadora):
    viejo = nuevo_caso(nombre="Ana Viejo").caso
    _recibido(viejo, date(2026, 1, 5))
    nuevo = nuevo_caso(tipo=TipoCaso.ASESORIA, nombre="Beto Nuevo").caso
    respuesta = get(reverse("api:casos"))
    assert _folios(respuesta) == [nuevo.folio, viejo.folio]
    primero = respuesta.json()["resultados"][0]
    assert primero["solicitante"] == "Beto Nuevo" and primero["tipo"] == "ASE"
    assert primero["categoria_id"] == nuevo.categoria_id and primero["responsable"] is None
    assert primero["url"].endswith(url_caso(nuevo.folio))


def test_la_busqueda_es_la_de_la_pantalla_de_casos(get, nuevo_caso):
    juana = nuevo_caso(nombre="Juana Ramírez", telefono="+523311112222").caso
    pedro = nuevo_caso(nombre="Pedro Núñez", telefono="+523399998888").caso
    assert _folios(get(reverse("api:casos"), {"q": "ramirez"})) == [juana.folio]
    assert _folios(get(reverse("api:casos"), {"q": "33 9999 8888"})) == [pedro.folio]
    assert _folios(get(reverse("api:casos"), {"q": pedro.folio.lower()})) == [pedro.folio]
    assert _folios(get(reverse("api:casos"), {"q": "nadie"})) == []


def test_filtros_por_estado_tipo_categoria_localidad_y_abierto(get, nuevo_caso, cat_asesoria):
    otra = Localidad.objects.exclude(pk=Localidad.objects.first().pk).first()
    med = nuevo_caso().caso
    ase = nuevo_caso(tipo=TipoCaso.ASESORIA, localidad=otra).caso
    cerrado = nuevo_caso().caso
    Caso.objects.filter(pk=cerrado.pk).update(estado="concluida_sin_acuerdo")
    url = reverse("api:casos")
    assert _folios(get(url, {"tipo": "ASE"})) == [ase.folio]
    assert _folios(get(url, {"localidad": otra.pk})) == [ase.folio]
    assert _folios(get(url, {"categoria": cat_asesoria.pk})) == [ase.folio]
    assert _folios(get(url, {"estado": "concluida_sin_acuerdo"})) == [cerrado.folio]
    varios = get(url, {"estado": ["concluida_sin_acuerdo", "recibida"]})
    assert set(_folios(varios)) == {med.folio, ase.folio, cerrado.folio}
    assert set(_folios(get(url, {"abierto": "true"}))) == {med.folio, ase.folio}
    assert _folios(get(url, {"abierto": "false"})) == [cerrado.folio]
    assert _folios(get(url, {"tipo": "MED", "abierto": "true"})) == [med.folio]


def test_filtro_por_fecha_de_recepcion_en_hora_de_mexico(get, nuevo_caso):
    enero = nuevo_caso().caso
    _recibido(enero, date(2026, 1, 31), hora=23)  # ya es 1 de febrero en UTC
    febrero = nuevo_caso().caso
    _recibido(febrero, date(2026, 2, 1), hora=0)
    marzo = nuevo_caso().caso
    _recibido(marzo, date(2026, 3, 1))
    url = reverse("api:casos")
    assert _folios(get(url, {"recibido_hasta": "2026-01-31"})) == [enero.folio]
    assert _folios(get(url, {"recibido_desde": "2026-02-01", "recibido_hasta": "2026-02-28"})) == [
        febrero.folio
    ]
    assert _folios(get(url, {"recibido_desde": "2026-02-01"})) == [marzo.folio, febrero.folio]


@pytest.mark.parametrize(
    ("datos", "campo", "mensaje"),
    [
        ({"estado": "inventado"}, "estado", "no es una elección válida"),
        ({"tipo": "XYZ"}, "tipo", "no es una elección válida"),
        ({"categoria": "abc"}, "categoria", "Use el id numérico de la categoría."),
        ({"categoria": "999999"}, "categoria", "No existe una categoría con el id 999999."),
        ({"localidad": "10" * 20}, "localidad", "No existe una localidad con el id"),
        ({"abierto": "quizas"}, "abierto", "booleano"),
        ({"recibido_desde": "2026-13-01"}, "recibido_desde", "Fecha con formato erróneo"),
        ({"recibido_desde": "31/01/2026"}, "recibido_desde", "Fecha con formato erróneo"),
        ({"recibido_hasta": "9999-12-31"}, "recibido_hasta", "Use una fecha entre"),
        (
            {"recibido_desde": "2026-02-01", "recibido_hasta": "2026-01-01"},
            "recibido_hasta",
            "Debe ser igual o posterior a recibido_desde.",
        ),
        ({"pagina": "0"}, "pagina", "Debe ser al menos 1."),
        ({"pagina": "uno"}, "pagina", "Escriba un número entero."),
        ({"pagina": "9" * 40}, "pagina", "No puede pasar de 100000."),
        ({"pagina": "9" * 2000}, "pagina", "El número es demasiado largo."),
        ({"por_pagina": "1000"}, "por_pagina", "No puede pasar de 100."),
        ({"q": "x" * 101}, "q", "no tenga más de 100 caracteres"),
        ({"q": "abc\x00"}, "q", "Caracteres nulos no están permitidos."),
    ],
)
def test_filtros_invalidos_dan_400_en_espanol(get, catalogos, datos, campo, mensaje):
    respuesta = get(reverse("api:casos"), datos)
    assert respuesta.status_code == 400, respuesta.content
    errores = respuesta.json()
    assert list(errores) == [campo]
    assert mensaje in " ".join(str(e) for e in errores[campo]), errores


def test_bytes_que_no_son_utf8_no_rompen_nada(get, client, nuevo_caso, coordinadora):
    nuevo_caso()
    respuesta = get(reverse("api:casos") + "?q=%FF%FE&estado=%C3")
    assert respuesta.status_code == 400
    assert list(respuesta.json()) == ["estado"]
    assert get(reverse("api:casos") + "?q=%FF%FEabc").status_code == 200
    assert get(reverse("api:llamante") + "?telefono=%FF").status_code == 400
    token = emitir_token(nombre="prueba", usuario=coordinadora)
    cuerpo = client.post(
        reverse("api:casos"),
        b'{"resumen": "\xff\xfe"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert cuerpo.status_code == 400 and "JSON" in cuerpo.json()["detail"]


@pytest.mark.parametrize(
    "cuerpo",
    [
        [],
        "texto",
        {"tipo": "MED", "categoria": True, "localidad": "\ud800", "solicitante": None},
        {"tipo": "MED", "categoria": "a\x00b", "localidad": "²", "solicitante": {}},
        {"tipo": "MED", "categoria": 10**30, "localidad": 1.5, "solicitante": "x"},
    ],
)
def test_cuerpos_absurdos_al_crear_dan_400(client, coordinadora, cuerpo):
    token = emitir_token(nombre="prueba", usuario=coordinadora)
    respuesta = client.post(
        reverse("api:casos"),
        cuerpo,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert respuesta.status_code == 400, respuesta.content
    assert not Caso.objects.exists()


# --- Páginas --------------------------------------------------------------------------------


def test_paginas_estables_y_enlaces_que_conservan_los_filtros(get, nuevo_caso):
    creados = [nuevo_caso().caso for _ in range(7)]
    # Misma hora de recepción para todos: el orden lo desempata el id, no el azar.
    Caso.objects.update(recibido_en=datetime(2026, 3, 2, 9, tzinfo=MX))
    url = reverse("api:casos")
    vistos = []
    siguiente = url + "?por_pagina=3&tipo=MED"
    while siguiente:
        respuesta = get(siguiente)
        datos = respuesta.json()
        assert datos["total"] == 7 and datos["paginas"] == 3 and datos["por_pagina"] == 3
        vistos += _folios(respuesta)
        siguiente = datos["siguiente"]
        if siguiente:
            assert "tipo=MED" in siguiente and "por_pagina=3" in siguiente
    assert vistos == [c.folio for c in reversed(creados)]
    ultima = get(url, {"por_pagina": 3, "pagina": 3}).json()
    assert ultima["siguiente"] is None and "pagina=2" in ultima["anterior"]
    assert get(url, {"por_pagina": 3}).json()["anterior"] is None


def test_pagina_que_no_existe_da_400(get, nuevo_caso):
    nuevo_caso()
    respuesta = get(reverse("api:casos"), {"pagina": 5})
    assert respuesta.status_code == 400
    assert respuesta.json() == {"pagina": ["La página 5 no existe; la última es la 1."]}
    vacia = get(reverse("api:casos"), {"q": "nadie"})
    assert vacia.json()["total"] == 0 and vacia.json()["paginas"] == 1


def test_la_lista_no_crece_en_consultas(get, nuevo_caso, coordinadora):
    def consultas():
        with CaptureQueriesContext(connection) as capturadas:
            respuesta = get(reverse("api:casos"), {"por_pagina": 100})
        assert respuesta.status_code == 200
        return len(capturadas), len(respuesta.json()["resultados"])

    for _ in range(5):
        caso = nuevo_caso().caso
    Caso.objects.filter(pk=caso.pk).update(responsable=coordinadora)
    consultas()  # la primera anota el último uso del token
    con_5, n = consultas()
    assert n == 5
    for _ in range(45):
        nuevo_caso()
    con_50, n = consultas()
    assert n == 50
    assert con_5 == con_50


# --- Expediente -----------------------------------------------------------------------------


def test_expediente_con_partes_linea_de_tiempo_tareas_y_documentos(
    get, nuevo_caso, coordinadora, operadora
):
    caso = nuevo_caso(nombre="Juana Pérez", telefono="+523312345678").caso
    registrar_contacto(caso=caso, actor=operadora, canal="telefono", nota="Volvió a llamar")
    respuesta = get(url_caso(caso.folio))
    assert respuesta.status_code == 200, respuesta.content
    datos = respuesta.json()
    assert datos["folio"] == caso.folio and datos["estado"] == "recibida"
    assert datos["abierto"] is True and datos["tipo_texto"] == "Mediación"
    assert datos["resumen"] == caso.resumen
    assert datos["url"].endswith(reverse("casos:detalle", args=[caso.folio]))
    solicitante, invitada = datos["partes"]
    assert solicitante["rol"] == "solicitante" and solicitante["nombre"] == "Juana Pérez"
    assert solicitante["telefono"] == "+523312345678"
    assert solicitante["telefono_texto"] == "33 1234 5678"
    assert invitada["domicilio"] == "Calle Hidalgo 12"
    tipos = [e["tipo"] for e in datos["linea_tiempo"]]
    assert tipos[0] == "recibida" and "contacto" in tipos
    recibida = datos["linea_tiempo"][0]
    assert recibida["publico"] is True and recibida["estado_nuevo"] == "recibida"
    contacto = next(e for e in datos["linea_tiempo"] if e["tipo"] == "contacto")
    assert contacto["nota"] == "Volvió a llamar" and contacto["publico"] is False
    [tarea] = datos["tareas_abiertas"]
    assert tarea["asignada_a"] is None and tarea["vence"] and tarea["vencida"] is False
    assert tarea["url"].endswith(reverse("flujos:tarea", args=[tarea["id"]]))
    [acuse] = datos["documentos"]
    assert acuse["tipo"] == "acuse" and acuse["firmado"] is False and acuse["url_firmado"] is None
    assert datos["proxima_sesion"] is None and datos["plazos"] == []
    assert datos["puede_actuar"] is True  # la coordinación actúa en cualquier caso

    tareas.tomar(task=Task.objects.get(pk=tarea["id"]), usuario=coordinadora)
    [tarea] = get(url_caso(caso.folio)).json()["tareas_abiertas"]
    assert tarea["asignada_a"] == {"usuario": "coordinadora", "nombre": "Coordinadora"}


def test_cada_consulta_del_expediente_queda_en_la_bitacora(get, nuevo_caso, mediador):
    caso = nuevo_caso().caso
    Caso.objects.filter(pk=caso.pk).update(responsable=mediador)
    assert get(url_caso(caso.folio), usuario=mediador).status_code == 200
    assert get(url_caso(caso.folio.lower()), usuario=mediador).status_code == 200
    accesos = AccesoExpediente.objects.filter(caso=caso)
    assert accesos.count() == 2
    assert {(a.usuario, a.vista) for a in accesos} == {(mediador, "api:detalle")}
    assert {a.ip for a in accesos} == {"127.0.0.1"}
    # La lista muestra las partes: también deja un renglón por caso listado.
    get(reverse("api:casos"), usuario=mediador)
    assert AccesoExpediente.objects.filter(caso=caso).count() == 3
    assert accesos.filter(vista="api:lista").count() == 1


@pytest.mark.parametrize(
    "folio", ["MED-2099-99999", "no-es-folio", "med 2026", "a/b", "%00", "MED-2026-1234567890"]
)
def test_folio_que_no_existe_da_404_en_json(get, catalogos, folio):
    respuesta = get(f"/api/v1/casos/{folio}/")
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "No existe un caso con ese folio."}
    assert not AccesoExpediente.objects.exists()


def test_el_mediador_que_no_lleva_el_caso_no_lo_ve_y_con_acceso_excepcional_no_actua(
    get, nuevo_caso, mediador
):
    from casos import acceso

    caso = nuevo_caso().caso
    respuesta = get(url_caso(caso.folio), usuario=mediador)
    assert respuesta.status_code == 403
    assert respuesta.json() == {"detail": "Este expediente no está entre los suyos."}
    acceso.conceder_excepcional(usuario=mediador, caso=caso, motivo="Cubro a la compañera hoy.")
    datos = get(url_caso(caso.folio), usuario=mediador).json()
    assert datos["puede_actuar"] is False
    assert caso.accesos.filter(vista="api:detalle").get().motivo == "Cubro a la compañera hoy."
    Caso.objects.filter(pk=caso.pk).update(responsable=mediador)
    datos = get(url_caso(caso.folio), usuario=mediador).json()
    assert datos["puede_actuar"] is True
    assert datos["responsable"] == {"usuario": "mediador", "nombre": "Mediador"}


def test_sin_contenido_de_las_sesiones(get, nuevo_caso, coordinadora, certificado, sala, reloj):
    """De la sesión se dice cuándo y dónde; lo dicho en ella y el convenio no salen."""
    caso = nuevo_caso().caso
    admitido(caso, coordinadora, certificado)
    invitado(caso, certificado)
    sesion = con_sesion(caso, certificado, sala)
    datos = get(url_caso(caso.folio)).json()
    assert datos["proxima_sesion"] == {
        "numero": 1,
        "inicio": "2026-11-26T10:00:00-06:00",
        "fin": datos["proxima_sesion"]["fin"],
        "donde": str(sala),
    }
    assert {p["etiqueta"] for p in datos["plazos"]} >= {"Fin del procedimiento (LGMASC art. 64)"}
    reloj.move_to(en(date(2026, 11, 26), 12))
    sesion_celebrada(sesion, certificado)
    convenio_listo(caso, certificado)
    texto = get(url_caso(caso.folio)).content.decode()
    datos = get(url_caso(caso.folio)).json()
    assert datos["proxima_sesion"] is None
    assert "sesion_celebrada" in [e["tipo"] for e in datos["linea_tiempo"]]
    for privado in ("Diferencias por la barda", "Retirar la barda", "asistencia", "resultado"):
        assert privado not in texto
    assert set(datos["linea_tiempo"][0]) == {
        "tipo",
        "tipo_texto",
        "descripcion",
        "quien",
        "creado_en",
        "publico",
        "estado_anterior",
        "estado_nuevo",
        "nota",
    }


def test_las_respuestas_de_la_api_no_se_guardan_en_cache(client, nuevo_caso, operadora):
    from api.services import emitir_token

    caso = nuevo_caso().caso
    Caso.objects.filter(pk=caso.pk).update(capturado_por=operadora)
    token = emitir_token(nombre="prueba", usuario=operadora)
    respuesta = client.get(f"/api/v1/casos/{caso.folio}/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert respuesta.status_code == 200
    assert "no-store" in respuesta["Cache-Control"] and "private" in respuesta["Cache-Control"]
