"""Servicios de la asesoría ciudadana: clasificar, atender, canalizar, esperar al ciudadano
(reloj en pausa), convertir en mediación, encuesta, cerrar y reabrir."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    AvisoPrivacidad,
    Canalizacion,
    Caso,
    Categoria,
    CausaConclusion,
    EsperaCiudadano,
    Estado,
    Localidad,
    RolParte,
    TipoCaso,
    TipoEvento,
)
from ..senales import asesoria_resuelta
from ..texto import limpiar_texto
from .comun import (
    abrir_canalizacion,
    bloquear,
    concluir,
    exigir,
    exigir_estado,
    exigir_texto,
    exigir_tipo,
    registrar,
)
from .recepcion import MAX_RESUMEN, DatosPersona, SolicitudRecibida, recibir_solicitud

ATENDIBLE = (Estado.RECIBIDA, Estado.CLASIFICADA, Estado.ASIGNADA, Estado.EN_ATENCION)


def clasificar(*, caso: Caso, actor, categoria: Categoria, localidad: Localidad) -> Caso:
    """Confirma o corrige tema y localidad de la asesoría."""
    exigir(
        categoria.activo and categoria.tipo in ("", TipoCaso.ASESORIA),
        _("Elija una categoría vigente de asesoría."),
        "categoria",
    )
    exigir(localidad.activo, _("Elija una localidad vigente."), "localidad")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        exigir_estado(caso, Estado.RECIBIDA, Estado.CLASIFICADA)
        caso.categoria, caso.localidad = categoria, localidad
        registrar(
            caso=caso,
            tipo=TipoEvento.CLASIFICADA,
            actor=actor,
            estado=Estado.CLASIFICADA,
            publico=True,
            campos=("categoria", "localidad"),
            descripcion=_("Solicitud clasificada: %(c)s, %(l)s.")
            % {"c": categoria, "l": localidad},
        )
    return caso


def iniciar_atencion(*, caso: Caso, actor) -> Caso:
    """La persona asesora empieza a atender la solicitud asignada."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        exigir_estado(caso, Estado.ASIGNADA, Estado.EN_ATENCION)
        if caso.estado != Estado.EN_ATENCION:
            registrar(
                caso=caso,
                tipo=TipoEvento.EN_ATENCION,
                actor=actor,
                estado=Estado.EN_ATENCION,
                publico=True,
                descripcion=_("La persona asesora atiende la solicitud."),
            )
    return caso


def resolver(*, caso: Caso, actor, resumen_atencion: str, primer_contacto: bool = False) -> Caso:
    """La asesoría quedó resuelta (en el primer contacto o tras atenderla)."""
    resumen_atencion = exigir_texto(
        resumen_atencion, _("Describa la orientación que se dio."), "resumen_atencion"
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        exigir_estado(caso, *ATENDIBLE)
        concluir(
            caso=caso,
            actor=actor,
            causa=CausaConclusion.RESUELTA,
            motivo=resumen_atencion,
            estado=Estado.RESUELTA,
            tipo_evento=TipoEvento.CONCLUIDA,
            descripcion=_("Asesoría resuelta en el primer contacto.")
            if primer_contacto
            else _("Asesoría resuelta."),
            datos={"primer_contacto": primer_contacto},
        )
        asesoria_resuelta.send(sender=Caso, caso=caso)
    return caso


def canalizar(
    *, caso: Caso, actor, dependencia: str, motivo: str, numero_oficio: str = ""
) -> Canalizacion:
    """Remite la asesoría a otra dependencia con un oficio; el caso queda en espera de su
    respuesta (no concluye)."""
    with transaction.atomic():
        abierta = abrir_canalizacion(
            caso=caso,
            actor=actor,
            tipo=TipoCaso.ASESORIA,
            estados=ATENDIBLE,
            dependencia=dependencia,
            motivo=motivo,
            numero_oficio=numero_oficio,
        )
        registrar(
            caso=abierta.caso,
            tipo=TipoEvento.CANALIZADA,
            actor=actor,
            estado=Estado.EN_CANALIZACION,
            descripcion=abierta.descripcion,
            publico=True,
            datos={"canalizacion": abierta.canalizacion.pk},
        )
    return abierta.canalizacion


def registrar_respuesta_canalizacion(
    *, canalizacion: Canalizacion, actor, respuesta: str
) -> Canalizacion:
    """La dependencia respondió: la asesoría vuelve a atención para cerrar con la persona."""
    respuesta = exigir_texto(respuesta, _("Anote la respuesta de la dependencia."), "respuesta")
    with transaction.atomic():
        caso = bloquear(canalizacion.caso)
        exigir_estado(caso, Estado.EN_CANALIZACION)
        canalizacion = Canalizacion.objects.select_for_update().get(pk=canalizacion.pk)
        canalizacion.respuesta = respuesta
        canalizacion.respondida_en = timezone.now()
        canalizacion.save(update_fields=["respuesta", "respondida_en"])
        registrar(
            caso=caso,
            tipo=TipoEvento.RESPUESTA_CANALIZACION,
            actor=actor,
            estado=Estado.EN_ATENCION,
            publico=True,
            descripcion=_("%(d)s respondió al oficio.") % {"d": canalizacion.dependencia},
        )
    return canalizacion


def esperar_ciudadano(*, caso: Caso, actor, motivo: str) -> EsperaCiudadano:
    """Detiene el reloj del caso mientras se espera algo de la persona solicitante."""
    motivo = exigir_texto(motivo, _("Escriba qué se espera de la persona."), "motivo")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        exigir_estado(caso, Estado.ASIGNADA, Estado.EN_ATENCION)
        espera = EsperaCiudadano.objects.create(caso=caso, motivo=motivo)
        registrar(
            caso=caso,
            tipo=TipoEvento.ESPERA_CIUDADANO,
            actor=actor,
            estado=Estado.ESPERA_CIUDADANO,
            publico=True,
            descripcion=_("En espera de: %(m)s.") % {"m": espera.motivo},
        )
    return espera


def reanudar(*, caso: Caso, actor) -> Caso:
    """La persona respondió: se cierra la espera y el reloj vuelve a correr."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_estado(caso, Estado.ESPERA_CIUDADANO)
        caso.esperas.filter(hasta__isnull=True).update(hasta=timezone.now())
        registrar(
            caso=caso,
            tipo=TipoEvento.REANUDADA,
            actor=actor,
            estado=Estado.EN_ATENCION,
            publico=True,
            descripcion=_("Se reanudó la atención."),
        )
    return caso


def convertir_en_mediacion(
    *, caso: Caso, actor, categoria: Categoria, otra_parte: DatosPersona, resumen: str = ""
) -> SolicitudRecibida:
    """Abre un caso de mediación ligado, por el mismo servicio de recepción, y resuelve la
    asesoría. `resumen` es el relato del conflicto que hace la persona asesora: encabeza el
    de la mediación, seguido del relato original (nada se pierde). El aviso de privacidad
    es el que la persona aceptó en la asesoría."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        exigir_estado(caso, *ATENDIBLE)
        solicitante = caso.partes.get(rol=RolParte.SOLICITANTE)
        nueva = recibir_solicitud(
            tipo=TipoCaso.MEDIACION,
            canal=caso.canal,
            categoria=categoria,
            localidad=caso.localidad,
            resumen=_relato_de_conversion(caso, limpiar_texto(resumen)),
            solicitante=DatosPersona(
                nombre=solicitante.nombre,
                telefono=solicitante.telefono,
                correo=solicitante.correo,
                domicilio=solicitante.domicilio,
                avisos_por=solicitante.avisos_por,
            ),
            otra_parte=otra_parte,
            modulo=caso.modulo,
            aviso=AvisoPrivacidad.objects.get(version=caso.aviso_version),
            actor=actor,
            caso_anterior=caso,
            convertida_de=caso,
        )
        concluir(
            caso=caso,
            actor=actor,
            causa=CausaConclusion.RESUELTA,
            motivo=_("Se abrió el caso de mediación %(f)s.") % {"f": nueva.caso.folio},
            estado=Estado.RESUELTA,
            tipo_evento=TipoEvento.CONVERTIDA,
            descripcion=_("La asesoría se convirtió en la solicitud de mediación %(f)s.")
            % {"f": nueva.caso.folio},
            datos={"mediacion": nueva.caso.folio},
        )
    return nueva


def _relato_de_conversion(caso: Caso, relato_asesoria: str) -> str:
    """El relato de la mediación: el de la persona asesora y, debajo, el original de la
    solicitud; si juntos pasan del largo máximo, se recorta el original."""
    if not relato_asesoria:
        return caso.resumen
    original = _("Relato de la solicitud de asesoría %(folio)s: %(relato)s") % {
        "folio": caso.folio,
        "relato": caso.resumen,
    }
    texto = f"{relato_asesoria}\n\n{original}"
    if len(texto) > MAX_RESUMEN:
        texto = texto[: MAX_RESUMEN - 1] + "…"
    return texto


def registrar_encuesta(
    *, caso: Caso, actor, satisfaccion: int | None, comentario: str = ""
) -> Caso:
    """Respuesta a la pregunta de satisfacción (1 a 5), o que la persona no respondió (None)."""
    exigir(
        satisfaccion is None or 1 <= satisfaccion <= 5,
        _("La satisfacción va de 1 a 5."),
        "satisfaccion",
    )
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        exigir_estado(caso, Estado.RESUELTA)
        comentario = limpiar_texto(comentario)[:500]
        caso.satisfaccion, caso.satisfaccion_comentario = satisfaccion, comentario
        registrar(
            caso=caso,
            tipo=TipoEvento.ENCUESTA,
            actor=actor,
            campos=("satisfaccion", "satisfaccion_comentario"),
            descripcion=_("Encuesta de satisfacción: %(s)s.")
            % {"s": f"{satisfaccion}/5" if satisfaccion else _("sin respuesta")},
        )
    return caso


def cerrar(*, caso: Caso, actor) -> Caso:
    """Cierra el expediente de la asesoría resuelta (tras la encuesta)."""
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        exigir_estado(caso, Estado.RESUELTA)
        registrar(
            caso=caso,
            tipo=TipoEvento.CONCLUIDA,
            actor=actor,
            estado=Estado.CERRADA,
            publico=True,
            descripcion=_("Expediente cerrado."),
        )
    return caso


def reabrir(*, caso: Caso, actor, motivo: str) -> Caso:
    """Una asesoría cerrada puede reabrirse (la mediación no: abre folio nuevo)."""
    motivo = exigir_texto(motivo, _("Escriba por qué se reabre."), "motivo")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_tipo(caso, TipoCaso.ASESORIA)
        # Solo una asesoría cerrada: mientras está resuelta, su flujo sigue (la encuesta).
        exigir_estado(caso, Estado.CERRADA)
        exigir(
            not caso.eventos.filter(tipo=TipoEvento.CONVERTIDA).exists(),
            _("Esta asesoría se convirtió en mediación; dé seguimiento en ese caso."),
        )
        caso.concluido_en = None
        caso.causa_conclusion = ""
        registrar(
            caso=caso,
            tipo=TipoEvento.REABIERTA,
            actor=actor,
            estado=Estado.EN_ATENCION,
            publico=True,
            campos=("concluido_en", "causa_conclusion"),
            descripcion=_("Asesoría reabierta."),
            datos={"motivo": motivo},
        )
    return caso
