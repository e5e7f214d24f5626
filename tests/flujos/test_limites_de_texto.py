"""Todo texto libre tiene un largo máximo, con un mensaje en español que conserva lo escrito
(el navegador no lo recorta en silencio: los cuadros de texto largos no llevan maxlength)."""

from datetime import date

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from casos import forms as forms_casos
from casos.models import Convenio, RolParte
from flujos import forms as forms_flujos
from plantillas import forms as forms_plantillas
from tests.casos.etapas import en

from .test_flujo_mediacion import hasta_sesion, sesion_con_acuerdo

LIMITES = [
    (forms_casos.SolicitudPublicaForm, "resumen", 4000),
    (forms_casos.SolicitudPublicaForm, "nombre", 200),
    (forms_casos.SolicitudPersonalForm, "otra_domicilio", 300),
    (forms_flujos.RevisarForm, "motivo", 2000),
    (forms_flujos.AvisoNoAdmisionForm, "nota", 500),
    (forms_flujos.InvitacionForm, "observaciones", 500),
    (forms_flujos.DiferirForm, "motivo", 300),
    (forms_flujos.ParteConvenioForm, "nombre", 200),
    (forms_flujos.ConvenioForm, "antecedentes", 10000),
    (forms_flujos.ConvenioForm, "consecuencias_incumplimiento", 4000),
    (forms_flujos.ClausulaForm, "descripcion", 2000),
    (forms_flujos.ClausulaForm, "modo", 300),
    (forms_flujos.RespuestaRegistroForm, "observaciones", 500),
    (forms_flujos.VerificarClausulaForm, "nota", 500),
    (forms_flujos.CerrarSeguimientoForm, "orientacion", 2000),
    (forms_flujos.AtenderForm, "resumen_atencion", 2000),
    (forms_flujos.AtenderForm, "motivo", 500),
    (forms_flujos.AtenderForm, "que_se_espera", 300),
    (forms_flujos.AtenderForm, "relato_conflicto", 4000),
    (forms_flujos.RespuestaCanalizacionForm, "respuesta", 2000),
    (forms_flujos.EncuestaForm, "comentario", 500),
    (forms_flujos.ProrrogaForm, "consentimiento", 500),
    (forms_flujos.ConclusionForm, "motivo", 2000),
    (forms_flujos.ReaperturaForm, "motivo", 500),
    (forms_flujos.ProgramarForm, "lugar", 250),
    (forms_plantillas.FormularioRemision, "destinatario", 300),
]


@pytest.mark.parametrize(("clase", "campo", "limite"), LIMITES)
def test_cada_texto_libre_tiene_su_limite(db, clase, campo, limite):
    largo = clase(data={campo: "x" * (limite + 1)})
    assert not largo.is_valid()
    assert largo.errors[campo] == [f"No debe pasar de {limite} caracteres (lleva {limite + 1})."], (
        largo.errors[campo]
    )
    justo = clase(data={campo: "x" * limite})
    justo.is_valid()
    assert campo not in justo.errors


@pytest.mark.parametrize(("clase", "campo", "limite"), LIMITES)
def test_el_cuadro_largo_no_recorta_lo_que_se_pega(db, clase, campo, limite):
    html = str(clase()[campo])
    if "<textarea" in html:
        assert "maxlength" not in html


def test_canalizar_respeta_el_largo_del_oficio(db):
    """El motivo de la revisión admite 2000 para la constancia; el del oficio, 500."""
    form = forms_flujos.RevisarForm(
        data={"decision": "canalizar", "motivo": "x" * 501, "dependencia": "DIF"}
    )
    assert not form.is_valid()
    assert form.errors["motivo"] == [
        "Para el oficio de canalización no debe pasar de 500 caracteres (lleva 501)."
    ]
    assert forms_flujos.RevisarForm(data={"decision": "no_admitir", "motivo": "x" * 501}).is_valid()


def test_esperar_respeta_el_largo_de_lo_que_se_espera(db):
    datos = {"accion": "esperar", "que_se_espera": "x" * 301}
    form = forms_flujos.AtenderForm(data=datos)
    assert not form.is_valid()
    assert form.errors["que_se_espera"] == ["No debe pasar de 300 caracteres (lleva 301)."]
    # Es un dato de otra opción: al canalizar, no estorba ni sale en los errores.
    assert forms_flujos.AtenderForm(data={**datos, "accion": "canalizar"}).is_valid()


def test_los_formularios_limpian_los_controles_de_direccion(db):
    form = forms_flujos.ConvenioForm(
        data={
            "tipo": "total",
            "lugar": "Atotonilco\u202e",
            "antecedentes": "Uno\u2066\r\ndos",
            "consecuencias_incumplimiento": "\u200fEjecución",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lugar"] == "Atotonilco"
    assert form.cleaned_data["antecedentes"] == "Uno\ndos"
    assert form.cleaned_data["consecuencias_incumplimiento"] == "Ejecución"
    programar = forms_flujos.ProgramarForm(
        data={
            "otra_hora": "2026-12-01T10:00",
            "duracion_min": "60",
            "lugar": "Sala\u202e 1\r\nbaja",
        }
    )
    assert programar.is_valid(), programar.errors
    assert programar.cleaned_data["lugar"] == "Sala 1 baja"


def test_todo_campo_de_texto_largo_del_expediente_tiene_limite():
    # El aviso de privacidad lo captura la administración y es texto legal completo.
    sin_limite = {
        ("avisoprivacidad", "texto_simplificado"),
        ("avisoprivacidad", "guion_telefonico"),
        ("avisoprivacidad", "texto_integral"),
    }
    # Su historia (django-simple-history) copia esos mismos campos al guardar cada versión.
    sin_limite |= {(f"historical{modelo}", campo) for modelo, campo in sin_limite}
    faltan = [
        (modelo._meta.model_name, campo.name)
        for modelo in apps.get_app_config("casos").get_models()
        for campo in modelo._meta.get_fields()
        if isinstance(campo, models.TextField) and not campo.max_length
    ]
    assert set(faltan) == sin_limite, faltan
    assert Convenio._meta.get_field("antecedentes").max_length == 10000


def test_un_convenio_demasiado_largo_se_rechaza_y_conserva_lo_escrito(
    conductor, nuevo_caso, coordinadora, certificado, sala, reloj, client
):
    caso = nuevo_caso().caso
    hasta_sesion(conductor, caso, coordinadora, certificado, sala, reloj)
    sesion_con_acuerdo(conductor, caso, certificado)
    reloj.move_to(en(date(2026, 11, 26), 12))
    partes = list(caso.partes.order_by("id"))
    antecedentes = "Las partes narran lo ocurrido con la barda. " * 1200  # ~52,800
    datos = {
        "tipo": "total",
        "lugar": "Atotonilco el Alto, Jalisco",
        "antecedentes": antecedentes,
        "consecuencias_incumplimiento": "Podrá pedirse su ejecución ante el juez.",
        "clausula-TOTAL_FORMS": "1",
        "clausula-INITIAL_FORMS": "0",
        "clausula-MIN_NUM_FORMS": "1",
        "clausula-MAX_NUM_FORMS": "30",
        "clausula-0-obligado": str(next(p for p in partes if p.rol == RolParte.INVITADA).pk),
        "clausula-0-tipo": "hacer",
        "clausula-0-descripcion": "Retirar la barda 40 cm.",
        **{f"parte{p.pk}-nombre": p.nombre for p in partes},
    }
    respuesta = conductor.hacer(certificado, caso, "convenio", datos, esperado=400)
    html = respuesta.content.decode()
    assert f"No debe pasar de 10000 caracteres (lleva {len(antecedentes.strip())})." in html
    assert antecedentes.strip() in html  # lo escrito, completo, para recortarlo ahí mismo
    assert "Retirar la barda 40 cm." in html and "Podrá pedirse su ejecución" in html
    assert not Convenio.objects.filter(caso=caso).exists()


def test_un_relato_demasiado_largo_en_la_web_conserva_lo_escrito(
    client, catalogos, cat_mediacion, localidad
):
    relato = "Mucho ruido en la calle. " * 200  # 5000
    respuesta = client.post(
        reverse("portal:solicitud"),
        {
            "tipo": "MED",
            "categoria": cat_mediacion.pk,
            "localidad": localidad.pk,
            "nombre": "Juana Pérez",
            "telefono": "3312345678",
            "resumen": relato,
            "otra_nombre": "Pedro López",
            "otra_domicilio": "Calle Morelos 4",
            "aviso": "on",
        },
    )
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert f"No debe pasar de 4000 caracteres (lleva {len(relato.strip())})." in html
    assert relato.strip() in html and "Juana Pérez" in html
