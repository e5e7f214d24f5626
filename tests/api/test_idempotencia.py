"""`Idempotency-Key` en el alta de la API del personal: el reintento con la misma clave y los
mismos datos recibe la misma respuesta y no crea nada otra vez (ver `api.idempotencia`)."""

from datetime import timedelta

import pytest
from django.conf import settings as ajustes
from django.urls import reverse

from api import idempotencia
from api.models import EnvioIdempotente, OrigenEnvio
from api.services import emitir_token
from api.tasks import borrar_claves_vencidas
from casos import codigos
from casos.models import Caso, Evento, Localidad, TipoEvento
from casos.services import reexpedir_codigo
from config.celery import app as celery
from notificaciones.models import Mensaje
from plantillas.models import Documento

from .datos import cuerpo_caso

TELEFONO = "+523322223333"  # el de cuerpo_caso()


@pytest.fixture
def alta(client, coordinadora):
    """POST /api/v1/casos/ con el token de la coordinación (uno por nombre) y la clave dada."""
    tokens = {}

    def enviar(datos=None, clave=None, token="conmutador", usuario=None):
        usuario = usuario or coordinadora
        if (token, usuario.pk) not in tokens:
            tokens[token, usuario.pk] = emitir_token(nombre=token, usuario=usuario)
        extra = {"HTTP_AUTHORIZATION": f"Bearer {tokens[token, usuario.pk]}"}
        if clave is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = clave
        return client.post(
            reverse("api:casos"),
            cuerpo_caso() if datos is None else datos,
            content_type="application/json",
            **extra,
        )

    return enviar


def _efectos() -> tuple[int, int, int, int]:
    """Casos, eventos, avisos en la bandeja de salida y documentos (el acuse)."""
    return (
        Caso.objects.count(),
        Evento.objects.count(),
        Mensaje.objects.count(),
        Documento.objects.count(),
    )


def test_el_reintento_con_la_misma_clave_da_la_misma_respuesta_y_un_solo_caso(alta, reloj):
    primera = alta(clave="conmutador-7f3a")
    assert primera.status_code == 201, primera.content
    despues_de_la_primera = _efectos()
    assert despues_de_la_primera[0] == 1 and despues_de_la_primera[2] >= 1
    reloj.shift(timedelta(minutes=3))
    segunda = alta(clave="conmutador-7f3a")
    assert segunda.status_code == 201
    assert segunda.json() == primera.json()
    assert segunda.content == primera.content
    # Ni otro caso, ni otro evento, ni otro aviso encolado, ni otro acuse.
    assert _efectos() == despues_de_la_primera
    caso = Caso.objects.get()
    assert primera.json()["folio"] == caso.folio
    codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    assert segunda.json()["codigo_consulta"] == codigo
    envio = EnvioIdempotente.objects.get()
    assert (envio.origen, envio.estado, envio.caso, envio.usuario) == (
        OrigenEnvio.API,
        201,
        caso,
        None,
    )
    # El código de consulta no se guarda en claro con la clave.
    assert codigo not in str(envio.respuesta)
    assert codigos.derivar_codigo(caso.folio, caso.codigo_sal) not in str(envio.respuesta)


def test_la_misma_clave_con_otros_datos_da_409_en_espanol(alta, reloj):
    assert alta(clave="k-1").status_code == 201
    respuesta = alta(cuerpo_caso(resumen="Otro asunto, otra persona."), clave="k-1")
    assert respuesta.status_code == 409
    assert respuesta.json() == {
        "detail": "La clave de idempotencia ya se usó con otros datos; para una solicitud "
        "distinta use una clave nueva."
    }
    assert Caso.objects.count() == 1


def test_el_orden_de_las_llaves_del_json_no_cambia_la_huella(alta, reloj):
    datos = cuerpo_caso()
    assert alta(datos, clave="orden").status_code == 201
    al_reves = dict(reversed(list(datos.items())))
    assert alta(al_reves, clave="orden").status_code == 201
    assert Caso.objects.count() == 1


def test_sin_clave_cada_envio_es_un_caso(alta, reloj):
    assert alta().status_code == 201
    # El segundo ve el primero como posible duplicado por teléfono: decide crear otro.
    assert alta(cuerpo_caso(decision_duplicado="nuevo")).status_code == 201
    assert Caso.objects.count() == 2 and not EnvioIdempotente.objects.exists()


def test_la_clave_es_de_cada_token_y_de_cada_usuario(alta, client, reloj, coordinadora, operadora):
    datos = cuerpo_caso(decision_duplicado="nuevo")
    assert alta(datos, clave="k").status_code == 201
    assert alta(datos, clave="k", token="otro sistema").status_code == 201
    assert alta(datos, clave="k", usuario=operadora).status_code == 201
    # Con la sesión de la web la clave es del usuario, aparte de sus tokens.
    client.force_login(coordinadora)
    sesion = client.post(
        reverse("api:casos"), datos, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert sesion.status_code == 201
    repetida = client.post(
        reverse("api:casos"), datos, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert repetida.status_code == 201 and repetida.json() == sesion.json()
    assert Caso.objects.count() == 4
    assert EnvioIdempotente.objects.filter(usuario=coordinadora, token=None).count() == 1
    assert EnvioIdempotente.objects.count() == 4


@pytest.mark.parametrize(
    "clave, motivo",
    [
        ("", "de 1 a 100 caracteres"),
        ("k" * 101, "de 1 a 100 caracteres"),
        ("pedido-ñandú", "ASCII imprimibles"),
        ("con\ttabulador", "ASCII imprimibles"),
        ("fin\x7f", "ASCII imprimibles"),
    ],
)
def test_una_clave_invalida_da_400_en_espanol(alta, reloj, clave, motivo):
    respuesta = alta(clave=clave)
    assert respuesta.status_code == 400
    detalle = respuesta.json()["detail"]
    assert detalle.startswith("Idempotency-Key: la clave de idempotencia") and motivo in detalle
    assert not Caso.objects.exists()


def test_la_clave_mas_larga_y_con_signos_sirve(alta, reloj):
    clave = "~ !#$%&'()*+,-./:;<=>?@[]^_`{|}" + "x" * 69
    assert len(clave) == 100
    assert alta(clave=clave).status_code == 201
    assert alta(clave=clave).status_code == 201
    assert Caso.objects.count() == 1


def test_un_400_no_se_guarda_y_se_corrige_con_la_misma_clave(alta, reloj):
    malo = alta(cuerpo_caso(resumen=""), clave="corregible")
    assert malo.status_code == 400 and "resumen" in malo.json()
    assert not EnvioIdempotente.objects.exists()
    bueno = alta(clave="corregible")
    assert bueno.status_code == 201
    assert alta(clave="corregible").json() == bueno.json()
    assert Caso.objects.count() == 1


def test_el_409_de_duplicados_no_se_guarda_y_la_decision_va_con_la_misma_clave(
    alta, reloj, nuevo_caso
):
    existente = nuevo_caso(telefono=TELEFONO).caso
    duda = alta(clave="llamada-1")
    assert duda.status_code == 409 and duda.json()["posibles_duplicados"]
    assert not EnvioIdempotente.objects.exists()
    # El 409 se repite igual (no creó nada) mientras no se decida.
    assert alta(clave="llamada-1").json() == duda.json()
    decidido = cuerpo_caso(decision_duplicado="nuevo_ligado", caso_anterior=existente.folio)
    creado = alta(decidido, clave="llamada-1")
    assert creado.status_code == 201
    assert alta(decidido, clave="llamada-1").json() == creado.json()
    assert Caso.objects.count() == 2
    # Ya guardada, la clave con el cuerpo sin decidir es otra solicitud: 409 de clave.
    conflicto = alta(clave="llamada-1")
    assert conflicto.status_code == 409 and "posibles_duplicados" not in conflicto.json()


def test_el_reintento_responde_igual_aunque_cambie_el_catalogo(alta, reloj):
    primera = alta(clave="catalogo")
    Localidad.objects.update(activo=False)
    segunda = alta(clave="catalogo")
    assert segunda.status_code == 201 and segunda.json() == primera.json()
    # Sin clave, el mismo cuerpo ya no pasa la validación.
    assert alta(cuerpo_caso(decision_duplicado="nuevo")).status_code == 400


def test_el_contacto_registrado_se_repite_sin_otro_evento(alta, reloj, nuevo_caso):
    existente = nuevo_caso(telefono=TELEFONO).caso
    datos = cuerpo_caso(decision_duplicado="contacto", caso_anterior=existente.folio)
    primera = alta(datos, clave="contacto-1")
    segunda = alta(datos, clave="contacto-1")
    assert (primera.status_code, segunda.status_code) == (200, 200)
    assert segunda.json() == primera.json() and primera.json()["contacto_registrado"]
    assert existente.eventos.filter(tipo=TipoEvento.CONTACTO).count() == 1
    assert Caso.objects.count() == 1


def test_el_reintento_no_entrega_un_codigo_reexpedido(alta, reloj, coordinadora):
    primera = alta(clave="reexpedido")
    caso = Caso.objects.get()
    reloj.shift(timedelta(minutes=5))
    nuevo = codigos.mostrar_codigo(reexpedir_codigo(caso=caso, actor=coordinadora))
    segunda = alta(clave="reexpedido")
    assert segunda.status_code == 201
    assert segunda.json()["codigo_consulta"] is None
    assert nuevo not in segunda.content.decode()
    assert {**segunda.json(), "codigo_consulta": primera.json()["codigo_consulta"]} == (
        primera.json()
    )


def test_dos_peticiones_a_la_vez_crean_un_solo_caso(alta, reloj, monkeypatch):
    """La segunda no vio la clave al buscarla (la primera aún no confirmaba): la restricción
    única la detiene antes de crear nada y responde lo de la primera."""
    primera = alta(clave="carrera")
    original = idempotencia.repeticion
    llamadas = []

    def tarde(**kwargs):
        llamadas.append(kwargs)
        return None if len(llamadas) == 1 else original(**kwargs)

    monkeypatch.setattr(idempotencia, "repeticion", tarde)
    segunda = alta(clave="carrera")
    assert len(llamadas) == 2
    assert segunda.status_code == 201 and segunda.json() == primera.json()
    assert Caso.objects.count() == 1 and EnvioIdempotente.objects.count() == 1


def test_las_claves_vencen_y_el_barrido_las_borra(alta, reloj, settings):
    settings.IDEMPOTENCIA_HORAS = 24
    datos = cuerpo_caso(decision_duplicado="nuevo")
    assert alta(datos, clave="vieja").status_code == 201
    reloj.shift(timedelta(hours=23))
    assert alta(datos, clave="reciente").status_code == 201
    assert alta(datos, clave="vieja").status_code == 201  # aún vigente: se repite
    assert Caso.objects.count() == 2
    reloj.shift(timedelta(hours=2))
    assert borrar_claves_vencidas.apply().get() == 1
    assert list(EnvioIdempotente.objects.values_list("clave", flat=True)) == ["reciente"]


def test_una_clave_vencida_que_aun_no_se_borra_ya_no_cuenta(alta, reloj, settings):
    settings.IDEMPOTENCIA_HORAS = 1
    datos = cuerpo_caso(decision_duplicado="nuevo")
    assert alta(datos, clave="una-hora").status_code == 201
    reloj.shift(timedelta(minutes=61))
    otra = alta(cuerpo_caso(resumen="Otro asunto.", decision_duplicado="nuevo"), clave="una-hora")
    assert otra.status_code == 201
    assert Caso.objects.count() == 2 and EnvioIdempotente.objects.count() == 1


def test_el_barrido_esta_en_el_beat():
    (tarea,) = [
        t
        for t in ajustes.CELERY_BEAT_SCHEDULE.values()
        if t["task"] == "api.tasks.borrar_claves_vencidas"
    ]
    assert tarea["schedule"] <= 3600
    assert "api.tasks.borrar_claves_vencidas" in celery.tasks


def test_el_esquema_documenta_el_encabezado_y_el_409(client, catalogos):
    esquema = client.get(reverse("api_esquema"), {"format": "json"}).json()
    alta = esquema["paths"]["/api/v1/casos/"]["post"]
    (encabezado,) = [p for p in alta["parameters"] if p["in"] == "header"]
    assert encabezado["name"] == "Idempotency-Key" and not encabezado.get("required", False)
    assert encabezado["schema"]["pattern"] == "^[ -~]{1,100}$"
    assert "misma respuesta" in encabezado["description"]
    assert {"200", "201", "400", "409"} <= set(alta["responses"])
    assert "Idempotency-Key" in alta["responses"]["409"]["description"]
    assert "no se recuerdan el 400 ni el 409" in alta["description"]
    # Las lecturas no llevan el encabezado.
    lista = esquema["paths"]["/api/v1/casos/"]["get"]
    assert all(p["in"] != "header" for p in lista.get("parameters", []))
