"""La administración de la oficina (/oficina/): la coordinación la usa sin ser superusuaria;
nadie más entra; cada cambio deja su historia con quién lo hizo."""

import re
from datetime import date, time

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, reverse

from casos.models import DiaInhabil, HorarioSala, PerfilMediador, Sala
from cuentas.models import EventoCuenta, TipoEventoCuenta
from oficina import services
from oficina.sitio import sitio

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIN_OFICINA = ("operadora", "mediador", "asesor", "direccion", "ajeno")


@pytest.fixture
def personas(operadora, coordinadora, mediador, asesor, direccion, ajeno):
    return {u.username: u for u in (operadora, coordinadora, mediador, asesor, direccion, ajeno)}


def _patrones(patrones):
    for patron in patrones:
        if isinstance(patron, URLResolver):
            yield from _patrones(patron.url_patterns)
        elif patron.name:
            yield patron


def _urls_del_sitio(sala, perfil, coordinadora):
    """Cada URL del sitio (las de cada modelo, las propias y las del sitio) con argumentos de
    un objeto que existe."""
    objetos = {"sala": sala.pk, "perfilmediador": perfil.pk, "personal": coordinadora.pk}
    historias = {
        "sala": sala.history.first().history_id,
        "perfilmediador": perfil.history.first().history_id,
        "personal": coordinadora.history.first().history_id,
    }
    for patron in _patrones(sitio.get_urls()):
        nombre = patron.name
        if nombre in ("login", "logout", "password_change", "password_change_done"):
            continue  # llevan a las páginas de cuentas del proyecto
        parametros = set(patron.pattern.regex.groupindex) | set(
            getattr(patron.pattern, "converters", {})
        )
        if {"content_type_id", "object_id"} <= parametros:
            continue  # «ver en el sitio»: otra redirección de Django
        kwargs = {}
        if nombre.endswith("_simple_history"):  # una versión de la historia de un objeto
            modelo = nombre.split("_")[1]
            if modelo in objetos:
                version = historias[modelo]
                yield reverse(f"oficina:{nombre}", args=[objetos[modelo], version])
            continue
        if "object_id" in parametros:
            modelo = nombre.split("_")[1]
            if modelo not in objetos:
                continue
            kwargs["object_id"] = objetos[modelo]
        if "pk" in parametros:
            kwargs["pk"] = perfil.pk
        if "app_label" in parametros:
            kwargs["app_label"] = "casos"
        yield reverse(f"oficina:{nombre}", kwargs=kwargs)


def test_solo_la_coordinacion_entra_y_los_demas_reciben_403(client, personas, certificado, sala):
    perfil = PerfilMediador.objects.get(usuario=certificado)
    urls = list(_urls_del_sitio(sala, perfil, personas["coordinadora"]))
    assert len(urls) > 30
    for url in urls:
        client.logout()
        respuesta = client.get(url)
        assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))
        for quien in SIN_OFICINA:
            client.force_login(personas[quien])
            assert client.get(url).status_code == 403, f"{quien} en {url}"
    client.force_login(personas["coordinadora"])
    for url in [reverse("oficina:index"), reverse("oficina:cuentas_personal_changelist")]:
        assert client.get(url).status_code == 200


def test_la_coordinacion_no_es_superusuaria_ni_staff_y_ve_cada_lista(client, coordinadora):
    assert not coordinadora.is_superuser and not coordinadora.is_staff
    client.force_login(coordinadora)
    for modelo in ("sala", "perfilmediador", "localidad", "categoria", "modulo", "diainhabil"):
        assert client.get(f"/oficina/casos/{modelo}/").status_code == 200, modelo
        assert client.get(f"/oficina/casos/{modelo}/add/").status_code == 200, modelo
    assert client.get("/oficina/casos/centro/1/change/").status_code == 200
    assert client.get("/oficina/cuentas/personal/add/").status_code == 200
    # Nada de los flujos ni de tokens o sesiones en este sitio.
    registrados = {m._meta.label for m in sitio._registry}
    assert not {e for e in registrados if e.startswith(("viewflow", "workflow", "sessions"))}
    assert "api.Token" not in registrados and "auth.User" not in registrados


def _alta(client, **extra):
    datos = {
        "username": "lucia",
        "first_name": "Lucía",
        "last_name": "Ramos",
        "email": "lucia@example.mx",
        "roles": [Group.objects.get(name="mediador").pk],
        "perfil_personal-TOTAL_FORMS": "0",
        "perfil_personal-INITIAL_FORMS": "0",
        "perfil_mediador-TOTAL_FORMS": "0",
        "perfil_mediador-INITIAL_FORMS": "0",
        **extra,
    }
    return client.post("/oficina/cuentas/personal/add/", datos)


def test_crea_una_cuenta_con_roles_sin_superusuario_ni_permisos_sueltos(
    client, coordinadora, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(coordinadora)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = _alta(
            client,
            is_superuser="on",
            is_staff="on",
            user_permissions=[1, 2, 3],
            groups=[Group.objects.get(name="coordinador").pk],
        )
    assert respuesta.status_code == 302
    lucia = User.objects.get(username="lucia")
    assert not lucia.is_superuser and not lucia.is_staff
    assert not lucia.user_permissions.exists()
    assert list(lucia.groups.values_list("name", flat=True)) == ["mediador"]
    evento = EventoCuenta.objects.get(tipo=TipoEventoCuenta.CUENTA_CREADA)
    assert evento.actor == coordinadora and evento.cuenta == lucia
    assert EventoCuenta.objects.filter(tipo=TipoEventoCuenta.ENLACE_ENVIADO).exists()
    assert mail.outbox and mail.outbox[0].to == ["lucia@example.mx"]
    alta = lucia.history.get(history_type="+")
    assert alta.history_user == coordinadora
    assert {h.history_user for h in lucia.history.all()} == {coordinadora}


def test_no_edita_superusuarios_ni_se_quita_su_propio_rol(client, coordinadora):
    raiz = User.objects.create_superuser("raiz", "raiz@example.mx", "x")
    client.force_login(coordinadora)
    assert client.get(f"/oficina/cuentas/personal/{raiz.pk}/change/").status_code == 302
    assert raiz.username not in client.get("/oficina/cuentas/personal/").content.decode()
    datos = {
        "username": "coordinadora",
        "first_name": "Coordinadora",
        "last_name": "",
        "email": "c@example.mx",
        "is_active": "on",
        "roles": [Group.objects.get(name="mediador").pk],
        "perfil_personal-TOTAL_FORMS": "0",
        "perfil_personal-INITIAL_FORMS": "0",
        "perfil_mediador-TOTAL_FORMS": "0",
        "perfil_mediador-INITIAL_FORMS": "0",
    }
    respuesta = client.post(f"/oficina/cuentas/personal/{coordinadora.pk}/change/", datos)
    assert respuesta.status_code == 200
    assert "No puede quitarse su propio rol de coordinación" in respuesta.content.decode()
    assert coordinadora.groups.filter(name="coordinador").exists()


def test_cambiar_roles_y_desactivar_deja_bitacora_e_historia(client, coordinadora, asesor):
    client.force_login(coordinadora)
    datos = {
        "username": "asesor",
        "first_name": "Asesor",
        "last_name": "Díaz",
        "email": "asesor@example.mx",
        "roles": [Group.objects.get(name="operador").pk],
        "perfil_personal-TOTAL_FORMS": "0",
        "perfil_personal-INITIAL_FORMS": "0",
        "perfil_mediador-TOTAL_FORMS": "0",
        "perfil_mediador-INITIAL_FORMS": "0",
    }
    respuesta = client.post(f"/oficina/cuentas/personal/{asesor.pk}/change/", datos)
    assert respuesta.status_code == 302
    asesor.refresh_from_db()
    assert not asesor.is_active  # la casilla «cuenta activa» llegó vacía
    assert list(asesor.groups.values_list("name", flat=True)) == ["operador"]
    tipos = set(EventoCuenta.objects.filter(cuenta=asesor).values_list("tipo", "detalle"))
    assert (TipoEventoCuenta.ROLES_CAMBIADOS, "asesor → operador") in tipos
    assert TipoEventoCuenta.CUENTA_DESACTIVADA in {t for t, _ in tipos}
    ultima = asesor.history.first()
    assert ultima.history_user == coordinadora and not ultima.is_active
    assert asesor.history.filter(is_active=True, history_type="+").exists()
    assert client.get(f"/oficina/cuentas/personal/{asesor.pk}/history/").status_code == 200


def test_reiniciar_segundo_factor_desde_la_lista_usa_el_servicio_de_cuentas(
    client, coordinadora, mediador
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=mediador, name="app", confirmed=True)
    client.force_login(coordinadora)
    client.post(
        "/oficina/cuentas/personal/",
        {"action": "reiniciar_segundo_factor", "_selected_action": [mediador.pk]},
    )
    assert not TOTPDevice.objects.filter(user=mediador).exists()
    evento = EventoCuenta.objects.get(tipo=TipoEventoCuenta.DOS_PASOS_REINICIADO)
    assert evento.actor == coordinadora


def test_la_vigencia_se_calcula_con_la_expedicion_y_los_anios_del_ajuste(mediador, settings):
    perfil = PerfilMediador(
        usuario=mediador, numero_certificacion="IJA-1", fecha_expedicion=date(2024, 3, 10)
    )
    services.guardar_certificacion(perfil=perfil)
    assert perfil.certificado_hasta == date(2029, 3, 9)
    settings.CERTIFICACION_VIGENCIA_ANIOS = 3
    perfil.fecha_expedicion = date(2024, 2, 29)
    services.guardar_certificacion(perfil=perfil)
    assert perfil.certificado_hasta == date(2027, 2, 27)


def test_la_constancia_se_guarda_privada_y_su_descarga_queda_en_bitacora(
    client, coordinadora, certificado, mediador
):
    perfil = PerfilMediador.objects.get(usuario=certificado)
    services.guardar_certificacion(
        perfil=perfil, escaneo=SimpleUploadedFile("constancia.pdf", PDF, "application/pdf")
    )
    assert perfil.certificado.name.startswith("certificaciones/")
    url = reverse("oficina:constancia", args=[perfil.pk])
    client.force_login(mediador)
    assert client.get(url).status_code == 403
    client.force_login(coordinadora)
    respuesta = client.get(url)
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    assert b"".join(respuesta.streaming_content) == PDF
    evento = EventoCuenta.objects.get(tipo=TipoEventoCuenta.CERTIFICADO_CONSULTADO)
    assert evento.actor == coordinadora and evento.cuenta == mediador


def test_la_constancia_que_no_es_pdf_ni_imagen_se_rechaza(mediador):
    from django.core.exceptions import ValidationError

    perfil = PerfilMediador(
        usuario=mediador, numero_certificacion="IJA-1", fecha_expedicion=date(2024, 3, 10)
    )
    with pytest.raises(ValidationError, match="PDF, JPG o PNG"):
        services.guardar_certificacion(
            perfil=perfil, escaneo=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 no es pdf")
        )


def _horarios(client, sala, *filas):
    datos = {
        "nombre": sala.nombre,
        "ubicacion": sala.ubicacion,
        "capacidad": "6",
        "activo": "on",
        "horarios-TOTAL_FORMS": str(len(filas)),
        "horarios-INITIAL_FORMS": "0",
    }
    for i, (dia, abre, cierra) in enumerate(filas):
        datos |= {f"horarios-{i}-dia_semana": dia, f"horarios-{i}-abre": abre}
        datos[f"horarios-{i}-cierra"] = cierra
    return client.post(f"/oficina/casos/sala/{sala.pk}/change/", datos)


def test_horarios_de_sala_abre_antes_de_cerrar_y_sin_encimarse(
    client, coordinadora, sala_sin_horario
):
    sala = sala_sin_horario
    client.force_login(coordinadora)
    respuesta = _horarios(client, sala, ("0", "14:00", "09:00"))
    assert "La hora de apertura debe ser anterior a la de cierre." in respuesta.content.decode()
    respuesta = _horarios(client, sala, ("0", "09:00", "14:00"), ("0", "13:00", "18:00"))
    assert "se encima con 13:00–18:00" in respuesta.content.decode()
    assert not HorarioSala.objects.exists()
    respuesta = _horarios(
        client, sala, ("0", "09:00", "14:00"), ("0", "14:00", "18:00"), ("1", "09:00", "14:00")
    )
    assert respuesta.status_code == 302
    assert HorarioSala.objects.filter(sala=sala).count() == 3
    sala.refresh_from_db()
    assert sala.capacidad == 6
    assert sala.history.first().history_user == coordinadora
    assert HorarioSala.history.first().history_user == coordinadora


def test_propuesta_de_inhabiles_2027_se_confirma_y_no_repite(client, coordinadora):
    DiaInhabil.objects.create(
        fecha_inicio=date(2027, 11, 2), fecha_fin=date(2027, 11, 2), motivo="Ya estaba"
    )
    client.force_login(coordinadora)
    url = reverse("oficina:proponer_inhabiles")
    pagina = client.get(url, {"anio": 2027}).content.decode()
    assert "25/03/2027 — Jueves Santo" in pagina and "26/03/2027 — Viernes Santo" in pagina
    assert "12/12/2027" in pagina and "02/11/2027" not in pagina
    assert DiaInhabil.objects.count() == 1  # ver la propuesta no guarda nada
    propuesta = [p.fecha for p in services.proponer_inhabiles(anio=2027)]
    assert propuesta == [date(2027, 3, 25), date(2027, 3, 26), date(2027, 12, 12)]
    respuesta = client.post(url, {"anio": 2027, "fechas": ["2027-03-25", "2027-03-26"]})
    assert respuesta.status_code == 302
    assert DiaInhabil.objects.count() == 3
    assert DiaInhabil.history.first().history_user == coordinadora
    assert [p.fecha for p in services.proponer_inhabiles(anio=2027)] == [date(2027, 12, 12)]
    respuesta = client.post(url, {"anio": 2027, "fechas": ["2027-03-25"]})
    assert respuesta.status_code == 200 and DiaInhabil.objects.count() == 3


def test_categoria_etiqueta_la_canalizacion_y_el_centro_muestra_telefono_y_horario(
    client, coordinadora
):
    from casos.models import Centro

    client.force_login(coordinadora)
    lista = client.get("/oficina/casos/categoria/").content.decode()
    assert "se canaliza a otra dependencia (no se media)" in lista.lower()
    centro = Centro.objects.get(pk=1)
    centro.telefono, centro.horario = "348 111 2233", "Lunes a viernes 9 a 15"
    centro.save()  # como lo guarda la oficina: la memoria del proceso lo olvida al instante
    client.logout()
    portada = client.get("/privacidad/").content.decode()
    assert "348 111 2233" in portada and "Lunes a viernes 9 a 15" in portada


def test_sala_sin_horarios_se_guarda_con_su_historia(sala_sin_horario):
    sala = sala_sin_horario
    sala.capacidad = 10
    sala.save()
    assert [h.capacidad for h in Sala.history.filter(id=sala.pk)] == [10, 4]
    assert time(9) < time(14)


def test_el_historial_dice_en_espanol_quien_cambio_que_y_no_ofrece_revertir(client, personas, sala):
    from django.urls import reverse

    coordinadora = personas["coordinadora"]
    client.force_login(coordinadora)
    assert 'href="/oficina/"' in client.get(reverse("flujos:bandeja")).content.decode()
    datos = {
        "nombre": "Sala Hidalgo",
        "ubicacion": "Presidencia, planta alta",
        "capacidad": 6,
        "activo": "on",
        "horarios-TOTAL_FORMS": 0,
        "horarios-INITIAL_FORMS": 0,
        "horarios-MIN_NUM_FORMS": 0,
        "horarios-MAX_NUM_FORMS": 1000,
    }
    cambio = client.post(reverse("oficina:casos_sala_change", args=[sala.pk]), datos)
    assert cambio.status_code == 302, cambio.content.decode()[-3000:]
    pagina = client.get(reverse("oficina:casos_sala_history", args=[sala.pk])).content.decode()
    assert "Sala 1" in pagina and "Sala Hidalgo" in pagina and "&rarr;" in pagina
    assert coordinadora.username in pagina or coordinadora.get_full_name() in pagina
    assert "Historia de cambios: Sala Hidalgo" in pagina
    for ingles in (
        "Changed by",
        "Change reason",
        "revert",
        "None",
        "Object",
        "True",
        "View history",
    ):
        assert ingles not in pagina, ingles


def test_la_historia_de_la_sala_muestra_cada_cambio_de_su_horario(
    client, coordinadora, sala_sin_horario
):
    sala = sala_sin_horario
    client.force_login(coordinadora)
    assert _horarios(client, sala, ("0", "09:00", "14:00")).status_code == 302
    horario = HorarioSala.objects.get(sala=sala)
    base = {
        "nombre": sala.nombre,
        "ubicacion": sala.ubicacion,
        "capacidad": "6",
        "activo": "on",
        "horarios-TOTAL_FORMS": "1",
        "horarios-INITIAL_FORMS": "1",
        "horarios-0-id": str(horario.pk),
        "horarios-0-sala": str(sala.pk),
        "horarios-0-dia_semana": "0",
        "horarios-0-abre": "10:00",
        "horarios-0-cierra": "15:00",
    }
    url = f"/oficina/casos/sala/{sala.pk}/change/"
    assert client.post(url, base).status_code == 302
    assert client.post(url, base | {"horarios-0-DELETE": "on"}).status_code == 302
    assert not HorarioSala.objects.filter(sala=sala).exists()
    pagina = client.get(reverse("oficina:casos_sala_history", args=[sala.pk])).content.decode()
    tabla = pagina.split('id="historia-relacionada"', 1)[1].split("</table>", 1)[0]
    filas = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", f)) for f in tabla.split("<tr>")[2:]]
    assert ["Baja" in filas[0], "Cambio" in filas[1], "Alta" in filas[2]] == [True] * 3
    assert "lunes 10:00–15:00" in filas[0] and "lunes 09:00–14:00" in filas[1]
    assert "lunes 10:00–15:00" in filas[1] and "lunes 09:00–14:00" in filas[2]
    assert all(coordinadora.username in f for f in filas)
    for modelo in ("sala", "diainhabil", "perfilmediador", "personal"):
        app = "cuentas" if modelo == "personal" else "casos"
        assert client.get(f"/oficina/{app}/{modelo}/abc/history/").status_code == 404


def test_el_cargo_de_la_cuenta_se_anota_en_la_oficina_con_su_historia(client, coordinadora):
    from casos.models import PerfilPersonal

    client.force_login(coordinadora)
    respuesta = _alta(
        client,
        **{
            "perfil_personal-TOTAL_FORMS": "1",
            "perfil_personal-INITIAL_FORMS": "0",
            "perfil_personal-0-cargo": "Coordinadora de mediación",
        },
    )
    assert respuesta.status_code == 302
    perfil = PerfilPersonal.objects.get(usuario__username="lucia")
    assert perfil.cargo == "Coordinadora de mediación"
    assert perfil.history.first().history_user == coordinadora


def test_el_articulo_del_centro_se_administra_y_se_contrae_tras_de(client, coordinadora):
    from casos.catalogos import proponer_articulo
    from casos.models import Centro

    assert proponer_articulo("Dirección de Vinculación Ciudadana") == "la"
    assert proponer_articulo("Centro Municipal de Mediación") == "el"
    assert proponer_articulo("MediaMX") == ""
    centro = Centro.actual()
    assert centro.articulo == "la"
    assert centro.de_con_articulo == "de la Dirección de Vinculación Ciudadana"
    client.force_login(coordinadora)
    assert 'name="articulo"' in client.get("/oficina/casos/centro/1/change/").content.decode()
    centro.nombre, centro.articulo = "Centro Municipal de Mediación", "el"
    assert centro.con_articulo == "el Centro Municipal de Mediación"
    assert centro.de_con_articulo == "del Centro Municipal de Mediación"
