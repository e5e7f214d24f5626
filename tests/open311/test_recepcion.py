"""POST requests: crea el caso por el servicio de recepción, con api_key y errores del spec."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from api.models import AlcanceToken, EnvioIdempotente, TokenAPI
from api.services import emitir_token, revocar_token
from casos import codigos
from casos.models import Canal, Caso, Categoria, Estado, Evento, RolParte, TipoCaso, TipoEvento

from .ayudas import CAMPOS_CREADA, folio_de, ident, leer, url


def clave_311(usuario, nombre="app") -> str:
    return emitir_token(nombre=nombre, usuario=usuario, alcance=AlcanceToken.OPEN311)


def enviar(client, datos, formato="json", **extra):
    return client.post(url("open311:solicitudes", formato=formato), datos, **extra)


def errores(respuesta) -> list[str]:
    return [e["description"] for e in leer(respuesta)]


def test_crea_el_caso_por_el_servicio_de_recepcion(client, reloj, cuerpo, operadora, localidad):
    respuesta = enviar(client, cuerpo(**{"attribute[avisos_por]": "whatsapp"}))
    assert respuesta.status_code == 201, respuesta.content
    assert "no-store" in respuesta["Cache-Control"]
    (creada,) = leer(respuesta)
    assert list(creada) == CAMPOS_CREADA
    assert creada["account_id"] is None
    caso = Caso.objects.get(folio=folio_de(creada["service_request_id"]))
    assert caso.folio == "MED-2026-00001"
    assert caso.canal == Canal.API and caso.estado == Estado.RECIBIDA
    assert caso.capturado_por == operadora and caso.localidad == localidad
    assert caso.resumen.startswith("El taller de junto")
    assert caso.aviso_version and caso.aviso_canal == Canal.API
    solicitante = caso.partes.get(rol=RolParte.SOLICITANTE)
    assert solicitante.nombre == "Rosa Gutiérrez Cano"
    assert solicitante.telefono == "+523915550101"
    assert solicitante.correo == "rosa.gutierrez@correo.mx"
    assert solicitante.domicilio == "Calle Morelos 45, Centro"
    assert solicitante.avisos_por == "whatsapp"
    invitada = caso.partes.get(rol=RolParte.INVITADA)
    assert (invitada.nombre, invitada.domicilio) == ("Ernesto Villaseñor", "Calle Morelos 47")
    evento = Evento.objects.get(caso=caso, tipo=TipoEvento.RECIBIDA)
    assert evento.actor == operadora and evento.publico
    # El aviso trae folio y código de consulta: el sistema cliente se los da a la persona.
    codigo = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    assert caso.folio in creada["service_notice"] and codigo in creada["service_notice"]
    assert TokenAPI.objects.get().ultimo_uso is not None


def test_asesoria_y_respuesta_xml(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(TipoCaso.ASESORIA), formato="xml")
    assert respuesta.status_code == 201
    assert respuesta["Content-Type"] == "text/xml; charset=utf-8"
    raiz = leer(respuesta, "xml")
    assert raiz.tag == "service_requests"
    (renglon,) = raiz
    assert renglon.tag == "request" and [h.tag for h in renglon] == CAMPOS_CREADA
    folio = folio_de(renglon.findtext("service_request_id"))
    assert folio.startswith("ASE-2026-")
    caso = Caso.objects.get(folio=folio)
    assert caso.tipo == TipoCaso.ASESORIA and not caso.partes.filter(rol=RolParte.INVITADA)


def test_acepta_json_con_atributos_como_objeto(client, reloj, cuerpo, localidad):
    datos = cuerpo()
    atributos = {k[10:-1]: datos.pop(k) for k in list(datos) if k.startswith("attribute[")}
    datos["attribute"] = atributos
    datos["lat"], datos["long"] = 20.55, -102.51
    respuesta = enviar(client, json.dumps(datos), content_type="application/json")
    assert respuesta.status_code == 201, respuesta.content
    assert Caso.objects.get().localidad == localidad


def test_el_csrf_no_bloquea_el_post(cuerpo, reloj):
    cliente = Client(enforce_csrf_checks=True)
    assert enviar(cliente, cuerpo()).status_code == 201


@pytest.mark.parametrize("formato", ["json", "xml"])
def test_sin_api_key_da_403(client, reloj, cuerpo, formato):
    respuesta = enviar(client, cuerpo(api_key=None), formato=formato)
    assert respuesta.status_code == 403
    if formato == "json":
        (error,) = leer(respuesta)
        assert error["code"] == 403 and "api_key" in error["description"]
    else:
        raiz = leer(respuesta, "xml")
        assert raiz.tag == "errors" and raiz[0].findtext("code") == "403"
    assert not Caso.objects.exists()


def test_api_key_falsa_revocada_o_de_usuario_inactivo_da_403(client, reloj, cuerpo, operadora):
    assert enviar(client, cuerpo(api_key="no-existe")).status_code == 403
    token = TokenAPI.objects.get()
    revocar_token(token_api=token)
    assert enviar(client, cuerpo()).status_code == 403
    TokenAPI.objects.filter(pk=token.pk).update(activo=True)
    operadora.is_active = False
    operadora.save()
    respuesta = enviar(client, cuerpo())
    assert respuesta.status_code == 403
    assert "inválida o revocada" in errores(respuesta)[0]
    assert not Caso.objects.exists()


def test_api_key_de_quien_no_captura_da_403(client, reloj, cuerpo, ajeno, mediador):
    for usuario in (ajeno, mediador):
        respuesta = enviar(client, cuerpo(api_key=clave_311(usuario)))
        assert respuesta.status_code == 403
        assert "sin permiso" in errores(respuesta)[0]
    ajeno.user_permissions.add(Permission.objects.get(codename="capturar_solicitud"))
    respuesta = enviar(client, cuerpo(api_key=clave_311(ajeno)))
    assert respuesta.status_code == 201
    assert not Caso.objects.exclude(capturado_por=ajeno).exists()


def test_service_code_falta_o_no_existe(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(service_code=None))
    assert respuesta.status_code == 400 and "service_code" in errores(respuesta)[0]
    respuesta = enviar(client, cuerpo(service_code="MED-999999"))
    assert respuesta.status_code == 404 and "service_code" in errores(respuesta)[0]


def test_faltan_atributos_obligatorios(client, reloj, cuerpo):
    respuesta = enviar(
        client,
        cuerpo(**{"attribute[localidad]": None, "attribute[aviso_privacidad]": None}),
    )
    assert respuesta.status_code == 400
    mensajes = errores(respuesta)
    assert any(m.startswith("attribute[localidad]:") for m in mensajes)
    assert any(m.startswith("attribute[aviso_privacidad]:") for m in mensajes)
    assert all(e["code"] == 400 for e in leer(respuesta))
    assert not Caso.objects.exists()


def test_aviso_no_aceptado(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(**{"attribute[aviso_privacidad]": "no"}))
    assert respuesta.status_code == 400
    assert "aviso de privacidad" in errores(respuesta)[0]


def test_telefono_invalido(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(phone="123"))
    assert respuesta.status_code == 400
    (mensaje,) = errores(respuesta)
    assert mensaje.startswith("phone:") and "teléfono" in mensaje
    respuesta = enviar(client, cuerpo(**{"attribute[otra_telefono]": "55"}))
    assert errores(respuesta)[0].startswith("attribute[otra_telefono]:")


def test_correo_invalido(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(email="rosa@"))
    assert respuesta.status_code == 400
    assert errores(respuesta)[0].startswith("email:")


@pytest.mark.parametrize("valor", ["999999", "Margaritas", "-1"])
def test_localidad_invalida_o_inactiva(client, reloj, cuerpo, otra_localidad, valor):
    respuesta = enviar(client, cuerpo(**{"attribute[localidad]": valor}))
    assert respuesta.status_code == 400
    assert errores(respuesta)[0].startswith("attribute[localidad]:")
    otra_localidad.activo = False
    otra_localidad.save()
    respuesta = enviar(client, cuerpo(**{"attribute[localidad]": str(otra_localidad.pk)}))
    assert respuesta.status_code == 400


def test_opcion_de_avisos_desconocida(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(**{"attribute[avisos_por]": "paloma"}))
    assert respuesta.status_code == 400
    assert errores(respuesta)[0].startswith("attribute[avisos_por]:")


def test_ubicacion_invalida(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(lat="20.5"))
    assert errores(respuesta) == ["lat: Envíe lat y long juntos."]
    respuesta = enviar(client, cuerpo(lat="95", long="abc"))
    mensajes = errores(respuesta)
    assert [m.split(":")[0] for m in mensajes] == ["lat", "long"]
    assert not Caso.objects.exists()


def test_la_ubicacion_es_opcional(client, reloj, cuerpo):
    assert enviar(client, cuerpo(address_string=None)).status_code == 201


def test_errores_del_servicio_con_nombres_de_open311(client, reloj, cuerpo):
    respuesta = enviar(
        client,
        cuerpo(
            first_name=None,
            last_name=None,
            description="   ",
            phone=None,
            email=None,
            address_string=None,
            **{"attribute[otra_nombre]": None, "attribute[otra_domicilio]": None},
        ),
    )
    assert respuesta.status_code == 400
    campos = {m.split(":")[0] for m in errores(respuesta)}
    assert campos == {
        "first_name",
        "description",
        "phone",
        "attribute[otra_nombre]",
        "attribute[otra_domicilio]",
    }
    assert not Caso.objects.exists()


def test_textos_demasiado_largos(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(first_name="R" * 201, address_string="x" * 301))
    assert respuesta.status_code == 400
    assert {m.split(":")[0] for m in errores(respuesta)} == {"first_name", "address_string"}
    respuesta = enviar(client, cuerpo(description="x" * 4001))
    assert respuesta.status_code == 400 and errores(respuesta)[0].startswith("description:")


def test_cuerpo_json_invalido(client, reloj, cuerpo):
    respuesta = enviar(client, "{no es json", content_type="application/json")
    assert respuesta.status_code == 400
    respuesta = enviar(client, "[1, 2]", content_type="application/json")
    assert respuesta.status_code == 400


def test_jurisdiccion_distinta_en_el_post(client, reloj, cuerpo, settings):
    settings.OPEN311_JURISDICCION = "atotonilco.gob.mx"
    respuesta = enviar(client, cuerpo(jurisdiction_id="guadalajara.gob.mx"))
    assert respuesta.status_code == 404
    assert "jurisdiction_id" in errores(respuesta)[0]
    assert not Caso.objects.exists()
    assert enviar(client, cuerpo(jurisdiction_id="atotonilco.gob.mx")).status_code == 201


def test_reintento_con_la_misma_clave_no_duplica(client, reloj, cuerpo):
    datos = cuerpo(**{"attribute[clave_idempotencia]": "app311-7f3a"})
    primera = enviar(client, datos)
    segunda = enviar(client, datos)
    assert (primera.status_code, segunda.status_code) == (201, 200)
    assert leer(primera) == leer(segunda)
    assert Caso.objects.count() == 1 and EnvioIdempotente.objects.count() == 1
    # Otra clave (u otra api_key) sí es otra solicitud.
    tercera = enviar(client, cuerpo(**{"attribute[clave_idempotencia]": "app311-7f3b"}))
    assert tercera.status_code == 201 and Caso.objects.count() == 2


def test_clave_por_encabezado_y_por_api_key(client, reloj, cuerpo, coordinadora):
    datos = cuerpo()
    assert enviar(client, datos, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    assert enviar(client, datos, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 200
    otra = cuerpo(api_key=clave_311(coordinadora, "otra app"))
    assert enviar(client, otra, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 201
    assert Caso.objects.count() == 2


def test_misma_clave_con_otros_datos_da_409(client, reloj, cuerpo):
    clave = {"attribute[clave_idempotencia]": "app311-1"}
    assert enviar(client, cuerpo(**clave)).status_code == 201
    respuesta = enviar(client, cuerpo(description="Otro asunto distinto.", **clave))
    assert respuesta.status_code == 409
    assert "clave de idempotencia" in errores(respuesta)[0]
    assert Caso.objects.count() == 1


def test_sin_clave_cada_envio_es_un_caso(client, reloj, cuerpo):
    enviar(client, cuerpo())
    enviar(client, cuerpo())
    assert Caso.objects.count() == 2 and not EnvioIdempotente.objects.exists()


def test_clave_demasiado_larga(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(**{"attribute[clave_idempotencia]": "k" * 101}))
    assert respuesta.status_code == 400
    assert not Caso.objects.exists()


@pytest.mark.parametrize(
    "extra, campo",
    [
        ({"attribute[clave_idempotencia]": "envío-ñ"}, "attribute[clave_idempotencia]"),
        ({"HTTP_IDEMPOTENCY_KEY": "envío-ñ"}, "Idempotency-Key"),
    ],
)
def test_clave_que_no_es_ascii_imprimible_da_400(client, reloj, cuerpo, extra, campo):
    datos = cuerpo(**{k: v for k, v in extra.items() if k.startswith("attribute")})
    encabezados = {k: v for k, v in extra.items() if k.startswith("HTTP_")}
    respuesta = enviar(client, datos, **encabezados)
    assert respuesta.status_code == 400
    assert errores(respuesta)[0].startswith(f"{campo}: la clave de idempotencia solo admite")
    assert not Caso.objects.exists()


def test_clave_vacia_es_como_no_enviarla(client, reloj, cuerpo):
    datos = cuerpo(**{"attribute[clave_idempotencia]": "  "})
    assert enviar(client, datos).status_code == 201
    assert enviar(client, datos).status_code == 201
    assert Caso.objects.count() == 2 and not EnvioIdempotente.objects.exists()


def test_el_reintento_responde_igual_aunque_cambie_el_catalogo(client, reloj, cuerpo, localidad):
    datos = cuerpo(**{"attribute[clave_idempotencia]": "app311-9"})
    primera = enviar(client, datos)
    localidad.activo = False
    localidad.save()
    segunda = enviar(client, datos)
    assert segunda.status_code == 200 and leer(segunda) == leer(primera)


def test_un_asunto_que_se_canaliza_se_recibe_pero_no_se_publica(client, reloj, cuerpo):
    violencia = Categoria.objects.get(nombre="Violencia contra las mujeres")
    respuesta = enviar(client, cuerpo(TipoCaso.ASESORIA, service_code=f"ASE-{violencia.pk}"))
    assert respuesta.status_code == 201
    identificador = leer(respuesta)[0]["service_request_id"]
    assert Caso.objects.get(folio=folio_de(identificador)).categoria == violencia
    assert client.get(url("open311:solicitud", identificador)).status_code == 404


def test_un_token_del_personal_no_sirve_como_api_key(client, reloj, cuerpo, operadora):
    personal = emitir_token(nombre="conmutador", usuario=operadora)
    respuesta = enviar(client, cuerpo(api_key=personal))
    assert respuesta.status_code == 403
    assert "inválida o revocada" in errores(respuesta)[0]
    assert not Caso.objects.exists()


def test_la_definicion_del_servicio_de_claves_dice_que_es_exclusiva(client, catalogos):
    (descubrimiento,) = [leer(client.get(url("open311:descubrimiento")))]
    assert "exclusiva de Open311" in descubrimiento["key_service"]


@pytest.mark.parametrize(
    "cambio",
    [
        {"api_key": "\ud800"},
        {"description": "Ruido\ud800 de noche"},
        {"service_code": "\udfff"},
        {"first_name": "Rosa\x00"},
        {"attribute[otra_nombre]": ["Ernesto", "\ud83d"]},
        {"\ud800": "x"},
        {"attribute": {"otra\x00": "x"}},
    ],
)
@pytest.mark.parametrize("formato", ["json", "xml"])
def test_texto_no_utf8_o_con_nulo_en_json_da_400(client, reloj, cuerpo, cambio, formato):
    datos = cuerpo() | cambio
    respuesta = enviar(client, json.dumps(datos), formato=formato, content_type="application/json")
    assert respuesta.status_code == 400, respuesta.content
    if formato == "json":
        (error,) = leer(respuesta)
        assert error["code"] == 400 and "caracteres no válidos" in error["description"]
    else:
        assert leer(respuesta, "xml")[0].findtext("code") == "400"
    assert not Caso.objects.exists()


def test_nulo_en_formulario_da_400(client, reloj, cuerpo):
    respuesta = enviar(client, cuerpo(description="Ruido\x00 de noche"))
    assert respuesta.status_code == 400
    assert errores(respuesta)[0].startswith("description:")
    assert not Caso.objects.exists()


def test_el_reintento_no_entrega_un_codigo_reexpedido(client, reloj, cuerpo, coordinadora):
    from datetime import timedelta

    from casos.services import reexpedir_codigo

    datos = cuerpo(**{"attribute[clave_idempotencia]": "app311-r"})
    primera = enviar(client, datos)
    caso = Caso.objects.get()
    original = codigos.mostrar_codigo(codigos.derivar_codigo(caso.folio, caso.codigo_sal))
    assert original in leer(primera)[0]["service_notice"]
    reloj.shift(timedelta(minutes=5))
    nuevo = codigos.mostrar_codigo(reexpedir_codigo(caso=caso, actor=coordinadora))
    segunda = enviar(client, datos)
    assert segunda.status_code == 200
    (renglon,) = leer(segunda)
    assert renglon["service_request_id"] == ident(caso)
    aviso = renglon["service_notice"]
    assert caso.folio in aviso and "reexpidió" in aviso
    assert nuevo not in aviso and original not in aviso
