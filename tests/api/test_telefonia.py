from django.urls import reverse
from django.utils import timezone

from api.models import TokenAPI
from api.services import emitir_token, revocar_token
from casos.models import Caso
from casos.services import registrar_contacto

from .datos import cuerpo_caso


def test_sin_token_o_con_token_falso_no_entra(client, catalogos):
    url = reverse("api:llamante")
    assert client.get(url, {"telefono": "3322223333"}).status_code == 401
    falso = client.get(url, {"telefono": "3322223333"}, HTTP_AUTHORIZATION="Bearer no-existe")
    assert falso.status_code == 401
    assert "Token inválido" in falso.json()["detail"]


def test_token_revocado_deja_de_funcionar(client, operadora):
    token = emitir_token(nombre="conmutador", usuario=operadora)
    revocar_token(token_api=TokenAPI.objects.get())
    respuesta = client.get(
        reverse("api:llamante"), {"telefono": "3322223333"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert respuesta.status_code == 401


def test_solo_se_guarda_el_hash_del_token(operadora):
    token = emitir_token(nombre="conmutador", usuario=operadora)
    guardado = TokenAPI.objects.get()
    assert token not in (guardado.hash, guardado.prefijo) and guardado.prefijo == token[:8]


def test_buscar_llamante_devuelve_sus_casos_abiertos_primero(api, operadora, nuevo_caso):
    cerrado = nuevo_caso(telefono="+523322223333").caso
    Caso.objects.filter(pk=cerrado.pk).update(estado="cerrada")
    abierto = nuevo_caso(telefono="+523322223333").caso
    ajeno = nuevo_caso(telefono="+523322223333").caso
    nuevo_caso(telefono="+523399990000")
    # La operadora capturó dos; el tercero, abierto, no es suyo: solo lo reconoce.
    Caso.objects.filter(pk__in=[cerrado.pk, abierto.pk]).update(capturado_por=operadora)
    respuesta = api(operadora, "get", reverse("api:llamante"), {"telefono": "(33) 2222-3333"})
    assert respuesta.status_code == 200
    datos = respuesta.json()
    assert datos["telefono"] == "+523322223333"
    assert [c["folio"] for c in datos["casos"]] == [abierto.folio, cerrado.folio]
    assert datos["casos"][0]["abierto"] is True and datos["casos"][1]["abierto"] is False
    assert datos["otros_abiertos"] == [
        {
            "folio": ajeno.folio,
            "estado": "recibida",
            # El día de México (después de las 18:00 ya es otro día en UTC).
            "recibido_en": timezone.localdate(ajeno.recibido_en).isoformat(),
            "otra_parte": "Pedro López",
        }
    ]
    assert set(ajeno.accesos.values_list("vista", flat=True)) == set()
    assert abierto.accesos.get().vista == "api:llamante"


def test_buscar_con_telefono_invalido_da_error_en_espanol(api, operadora):
    respuesta = api(operadora, "get", reverse("api:llamante"), {"telefono": "12"})
    assert respuesta.status_code == 400
    assert "teléfono válido" in respuesta.json()["telefono"][0]


def test_crear_caso_por_api_usa_el_mismo_servicio(api, operadora):
    respuesta = api(operadora, "post", reverse("api:casos"), cuerpo_caso())
    assert respuesta.status_code == 201, respuesta.content
    datos = respuesta.json()
    caso = Caso.objects.get(folio=datos["folio"])
    assert caso.canal == "telefono" and caso.capturado_por == operadora
    assert len(datos["codigo_consulta"]) == 11
    assert datos["url_consulta"].endswith(f"/consulta/?folio={caso.folio}")
    assert caso.eventos.count() == 1


def test_crear_caso_con_errores_responde_en_espanol_y_no_crea(api, operadora):
    respuesta = api(
        operadora,
        "post",
        reverse("api:casos"),
        cuerpo_caso(aviso_aceptado=False, categoria="No existe", otra_parte=None),
    )
    assert respuesta.status_code == 400
    errores = respuesta.json()
    assert "aviso de privacidad" in errores["aviso_aceptado"][0]
    assert "No existe en el catálogo" in errores["categoria"][0]
    assert not Caso.objects.exists()


def test_reglas_de_dominio_tambien_por_api(api, operadora):
    respuesta = api(operadora, "post", reverse("api:casos"), cuerpo_caso(otra_parte=None))
    assert respuesta.status_code == 400
    assert "otra_nombre" in respuesta.json()


def test_json_mal_formado_da_400(client, operadora):
    token = emitir_token(nombre="conmutador", usuario=operadora)
    respuesta = client.post(
        reverse("api:casos"),
        "{no es json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert respuesta.status_code == 400
    assert "JSON" in respuesta.json()["detail"]


def test_el_mediador_consulta_pero_no_crea(api, mediador):
    assert (
        api(mediador, "get", reverse("api:llamante"), {"telefono": "3322223333"}).status_code == 200
    )
    assert api(mediador, "post", reverse("api:casos"), cuerpo_caso()).status_code == 403


def test_el_ajeno_no_consulta(api, ajeno):
    assert api(ajeno, "get", reverse("api:llamante"), {"telefono": "3322223333"}).status_code == 403


def test_ligar_con_caso_anterior(api, operadora, nuevo_caso):
    anterior = nuevo_caso().caso
    registrar_contacto(caso=anterior, actor=operadora, canal="telefono", nota="Volvió a llamar")
    respuesta = api(
        operadora, "post", reverse("api:casos"), cuerpo_caso(caso_anterior=anterior.folio)
    )
    assert Caso.objects.get(folio=respuesta.json()["folio"]).caso_anterior == anterior
