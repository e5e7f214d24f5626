import pytest
from django.test import Client
from django.urls import reverse

from casos.models import Canal, Caso, Categoria, Localidad, TipoCaso
from plantillas.models import Documento
from plantillas.services import generar


def datos_web(**extra):
    datos = {
        "tipo": "MED",
        "categoria": Categoria.objects.filter(tipo=TipoCaso.MEDIACION).first().pk,
        "localidad": Localidad.objects.first().pk,
        "nombre": "Martha Elena Padilla",
        "telefono": "",
        "correo": "martha@correo.mx",
        "resumen": "Los perros del vecino se salen y ya mordieron a mi hijo.",
        "otra_nombre": "Fernando Ruvalcaba",
        "otra_domicilio": "Calle Allende 210",
        "otra_telefono": "",
        "aviso": "on",
        "sitio_web": "",
    }
    datos.update(extra)
    return datos


def test_el_ciudadano_envia_y_recibe_folio_y_codigo(client, catalogos):
    assert client.get(reverse("portal:solicitud")).status_code == 200
    respuesta = client.post(reverse("portal:solicitud"), datos_web(), follow=True)
    caso = Caso.objects.get()
    html = respuesta.content.decode()
    assert caso.canal == Canal.WEB and caso.aviso_canal == Canal.WEB
    assert caso.capturado_por is None
    assert caso.folio in html and 'id="codigo"' in html
    assert caso.eventos.get().actor_descripcion == "Ciudadano (formulario web)"


def test_el_acuse_se_descarga_solo_desde_el_navegador_que_envio(
    client, catalogos, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.post(reverse("portal:solicitud"), datos_web())
    url = reverse("portal:acuse")
    assert url == "/solicitud/acuse/"
    assert client.get(url).status_code == 202  # el worker aún no lo genera
    assert generar(Documento.objects.get(caso=Caso.objects.get()).pk) is True
    respuesta = client.get(url)
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    assert "private, no-store" in respuesta["Cache-Control"]
    assert Client().get(url).status_code == 404


def test_sin_aceptar_el_aviso_no_se_registra_y_no_se_pierde_nada(client, catalogos):
    respuesta = client.post(reverse("portal:solicitud"), datos_web(aviso=""))
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "aceptar el aviso de privacidad" in html
    assert "Los perros del vecino" in html and "martha@correo.mx" in html
    assert not Caso.objects.exists()


def test_el_aviso_simplificado_y_el_integral_estan_enlazados(client, catalogos):
    html = client.get(reverse("portal:solicitud")).content.decode()
    assert "es responsable del tratamiento" in html
    assert reverse("portal:privacidad") + "#integral" in html
    integral = client.get(reverse("portal:privacidad")).content.decode()
    assert "Derechos ARCO" in integral


def test_sin_telefono_ni_correo_pide_un_contacto(client, catalogos):
    respuesta = client.post(reverse("portal:solicitud"), datos_web(correo=""))
    assert respuesta.status_code == 400
    assert "teléfono o un correo" in respuesta.content.decode()


def test_correo_y_telefono_invalidos_dan_mensaje_claro(client, catalogos):
    html = client.post(
        reverse("portal:solicitud"), datos_web(correo="martha@", telefono="555")
    ).content.decode()
    assert "Escriba un correo válido" in html
    assert "teléfono válido" in html


def test_la_trampa_para_robots_no_crea_casos(client, catalogos):
    respuesta = client.post(reverse("portal:solicitud"), datos_web(sitio_web="http://spam.example"))
    assert respuesta.status_code == 400
    assert not Caso.objects.exists()


def test_limite_de_solicitudes_por_ip(client, catalogos, settings):
    settings.SOLICITUD_PUBLICA_LIMITE = 3
    for i in range(3):
        r = client.post(reverse("portal:solicitud"), datos_web(nombre=f"Persona {i}"))
        assert r.status_code == 302
    bloqueada = client.post(reverse("portal:solicitud"), datos_web(nombre="Persona 4"))
    assert bloqueada.status_code == 429
    assert "demasiadas solicitudes" in bloqueada.content.decode()
    assert "Persona 4" in bloqueada.content.decode()
    assert Caso.objects.count() == 3
    otra_ip = client.post(
        reverse("portal:solicitud"), datos_web(nombre="Vecina"), REMOTE_ADDR="10.0.0.9"
    )
    assert otra_ip.status_code == 302


def test_formularios_con_errores_no_agotan_el_limite(client, catalogos, settings):
    settings.SOLICITUD_PUBLICA_LIMITE = 2
    for _ in range(5):
        assert client.post(reverse("portal:solicitud"), datos_web(aviso="")).status_code == 400
    assert client.post(reverse("portal:solicitud"), datos_web()).status_code == 302


def test_x_forwarded_for_inventado_no_evade_el_limite(client, catalogos, settings):
    settings.SOLICITUD_PUBLICA_LIMITE = 2
    settings.PROXIES_DE_CONFIANZA = 1
    codigos = [
        client.post(
            reverse("portal:solicitud"),
            datos_web(nombre=f"Persona {i}"),
            HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 200.1.1.1",  # la izquierda la inventa el cliente
        ).status_code
        for i in range(4)
    ]
    assert codigos == [302, 302, 429, 429]


def test_sin_proxy_de_confianza_se_ignora_x_forwarded_for(client, catalogos, settings):
    settings.SOLICITUD_PUBLICA_LIMITE = 1
    settings.PROXIES_DE_CONFIANZA = 0
    client.post(reverse("portal:solicitud"), datos_web(), HTTP_X_FORWARDED_FOR="9.9.9.1")
    otra = client.post(reverse("portal:solicitud"), datos_web(), HTTP_X_FORWARDED_FOR="9.9.9.2")
    assert otra.status_code == 429


def test_sesion_vencida_conserva_lo_escrito(catalogos):
    from django.test import Client

    cliente = Client(enforce_csrf_checks=True)
    respuesta = cliente.post(reverse("portal:solicitud"), datos_web())
    assert respuesta.status_code == 403
    html = respuesta.content.decode()
    assert "Su sesión expiró" in html
    assert "Los perros del vecino" in html and "martha@correo.mx" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert not Caso.objects.exists()


def test_tras_reexpedir_la_confirmacion_ya_no_muestra_codigo(client, catalogos, operadora):
    from casos.services import reexpedir_codigo

    client.post(reverse("portal:solicitud"), datos_web())
    assert client.get(reverse("portal:solicitud_enviada")).status_code == 200
    reexpedir_codigo(caso=Caso.objects.get(), actor=operadora)
    assert client.get(reverse("portal:solicitud_enviada")).status_code == 302


@pytest.mark.parametrize("valor", ["999999", "abc"])
def test_catalogo_inexistente_da_error_en_espanol(client, catalogos, valor):
    respuesta = client.post(reverse("portal:solicitud"), datos_web(categoria=valor))
    assert "Elija una opción de la lista" in respuesta.content.decode()


def test_la_confirmacion_sin_solicitud_regresa_al_formulario(client, catalogos):
    respuesta = client.get(reverse("portal:solicitud_enviada"))
    assert respuesta.status_code == 302
