"""Escrituras de los avisos comunitarios: contactos, listas, bajas, enviar y repartir.

El reparto (`repartir`) corre en el worker por lotes: cada lote, en una transacción, escribe
en la bandeja de salida (`notificaciones.services.avisar`, llave `comunidad:<aviso>:<contacto>`)
un mensaje por contacto que aún no lo tiene y su `Entrega`. Si se corre dos veces, o el worker
muere a medias, lo ya escrito se reconoce por la llave y por la entrega única: nadie recibe
dos avisos y nadie se queda sin el suyo.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casos.telefonos import normalizar_telefono
from casos.texto import limpiar_texto
from notificaciones import services as bandeja
from notificaciones.models import OrigenBaja
from nucleo.colas import encolar

from . import longitud
from .models import AvisoComunitario, Contacto, Entrega, Lista, Membresia
from .selectors import destinatarios

logger = logging.getLogger(__name__)

PLANTILLA = "comunitario"
LOTE = 200


def llave(aviso_id: int, contacto_id: int) -> str:
    return f"comunidad:{aviso_id}:{contacto_id}"


# --- Contactos y listas ---------------------------------------------------------------------


def _validar_consentimiento(consentimiento: dict | None) -> dict:
    """Los campos del consentimiento: todos o ninguno (sin fecha no hay consentimiento)."""
    if not consentimiento or not consentimiento.get("fecha"):
        return {
            "consentimiento_fecha": None,
            "consentimiento_forma": "",
            "consentimiento_ante": "",
            "consentimiento_aviso": None,
        }
    errores = {}
    if consentimiento["fecha"] > timezone.localdate():
        errores["consentimiento_fecha"] = _("La fecha del consentimiento no puede ser futura.")
    if not consentimiento.get("forma"):
        errores["consentimiento_forma"] = _("Diga cómo dio su consentimiento.")
    ante = limpiar_texto(consentimiento.get("ante", ""), una_linea=True)
    if consentimiento.get("forma") == "palabra" and not ante:
        errores["consentimiento_ante"] = _(
            "Si lo dio de palabra, anote ante quién (nombre de la persona del personal)."
        )
    if not consentimiento.get("aviso"):
        errores["consentimiento_aviso"] = _(
            "Indique la versión del aviso de privacidad que se le dio a conocer."
        )
    if errores:
        raise ValidationError(errores)
    return {
        "consentimiento_fecha": consentimiento["fecha"],
        "consentimiento_forma": consentimiento["forma"],
        "consentimiento_ante": ante,
        "consentimiento_aviso": consentimiento["aviso"],
    }


def _telefono_libre(*, telefono: str, canal: str, excepto: int | None = None) -> str:
    numero = normalizar_telefono(telefono)
    if not numero:
        raise ValidationError({"telefono": _("Escriba el teléfono del contacto.")})
    otro = Contacto.objects.filter(telefono=numero, canal=canal).exclude(pk=excepto).first()
    if otro is not None:
        raise ValidationError(
            {
                "telefono": _(
                    "Ese número ya está registrado por %(canal)s a nombre de %(nombre)s "
                    "(%(localidad)s): agréguelo a la lista desde su ficha."
                )
                % {
                    "canal": otro.get_canal_display(),
                    "nombre": otro.nombre,
                    "localidad": otro.localidad,
                }
            }
        )
    return numero


def _consentimiento_cambio(contacto: Contacto, valores: dict) -> bool:
    return any(getattr(contacto, campo) != valor for campo, valor in valores.items())


@transaction.atomic
def registrar_contacto(
    *,
    nombre: str,
    telefono: str,
    canal: str,
    localidad,
    actor,
    cargo: str = "",
    listas=(),
    consentimiento: dict | None = None,
) -> Contacto:
    """Da de alta un contacto (con su consentimiento, si ya lo dio) y lo agrega a `listas`."""
    nombre = limpiar_texto(nombre, una_linea=True)
    if not nombre:
        raise ValidationError({"nombre": _("Escriba el nombre del contacto.")})
    numero = _telefono_libre(telefono=telefono, canal=canal)
    valores = _validar_consentimiento(consentimiento)
    contacto = Contacto.objects.create(
        nombre=nombre,
        telefono=numero,
        canal=canal,
        cargo=limpiar_texto(cargo, una_linea=True),
        localidad=localidad,
        consentimiento_registrado_por=actor if valores["consentimiento_fecha"] else None,
        **valores,
    )
    for lista in listas:
        agregar_a_lista(lista=lista, contacto=contacto)
    return contacto


@transaction.atomic
def actualizar_contacto(
    *,
    contacto: Contacto,
    nombre: str,
    telefono: str,
    canal: str,
    localidad,
    actor,
    cargo: str = "",
    listas=None,
    consentimiento: dict | None = None,
) -> Contacto:
    """Corrige los datos del contacto; si su consentimiento cambia, queda quién lo registró.
    Con `listas`, deja al contacto exactamente en esas."""
    nombre = limpiar_texto(nombre, una_linea=True)
    if not nombre:
        raise ValidationError({"nombre": _("Escriba el nombre del contacto.")})
    numero = _telefono_libre(telefono=telefono, canal=canal, excepto=contacto.pk)
    valores = _validar_consentimiento(consentimiento)
    if _consentimiento_cambio(contacto, valores):
        contacto.consentimiento_registrado_por = actor if valores["consentimiento_fecha"] else None
    for campo, valor in valores.items():
        setattr(contacto, campo, valor)
    contacto.nombre = nombre
    contacto.telefono = numero
    contacto.canal = canal
    contacto.localidad = localidad
    contacto.cargo = limpiar_texto(cargo, una_linea=True)
    contacto.save()
    if listas is not None:
        elegidas = {lista.pk for lista in listas}
        for membresia in contacto.membresias.exclude(lista_id__in=elegidas):
            membresia.delete()  # una por una: cada salida queda en la historia
        for lista in listas:
            agregar_a_lista(lista=lista, contacto=contacto)
    return contacto


def crear_lista(*, nombre: str, localidad, descripcion: str = "") -> Lista:
    nombre = limpiar_texto(nombre, una_linea=True)
    if not nombre:
        raise ValidationError({"nombre": _("Escriba el nombre de la lista.")})
    if Lista.objects.filter(nombre__iexact=nombre).exists():
        raise ValidationError({"nombre": _("Ya hay una lista con ese nombre.")})
    return Lista.objects.create(
        nombre=nombre,
        localidad=localidad,
        descripcion=limpiar_texto(descripcion, una_linea=True),
    )


def agregar_a_lista(*, lista: Lista, contacto: Contacto) -> Membresia:
    membresia, _creada = Membresia.objects.get_or_create(lista=lista, contacto=contacto)
    return membresia


def quitar_de_lista(*, lista: Lista, contacto: Contacto) -> int:
    quitadas = 0
    for membresia in Membresia.objects.filter(lista=lista, contacto=contacto):
        membresia.delete()
        quitadas += 1
    return quitadas


def dar_de_baja(*, contacto: Contacto, actor) -> None:
    """La coordinación lo da de baja a petición del contacto: la misma baja que si hubiera
    respondido BAJA (por su canal y su número); lo pendiente para él se cancela."""
    bandeja.dar_de_baja(canal=contacto.canal, destino=contacto.telefono, origen=OrigenBaja.PERSONAL)
    logger.info("Contacto comunitario %s dado de baja por %s", contacto.pk, actor.pk)


def dar_de_alta(*, contacto: Contacto, actor) -> None:
    """El contacto pide volver a recibir avisos (deshace su baja en ese canal y número)."""
    bandeja.dar_de_alta(canal=contacto.canal, destino=contacto.telefono)
    logger.info("Contacto comunitario %s dado de alta de nuevo por %s", contacto.pk, actor.pk)


# --- Enviar y repartir ----------------------------------------------------------------------


def validar_texto(texto: str) -> str:
    """El texto del aviso listo para enviarse, o ValidationError con lo que falla."""
    texto = longitud.limpiar(limpiar_texto(texto))
    if not texto:
        raise ValidationError(_("Escriba el texto del aviso."), code="vacio")
    medida = longitud.medir(texto)
    if medida.fuera:
        raise ValidationError(
            _(
                "Estos caracteres no se pueden enviar por SMS: %(fuera)s. Quítelos o cámbielos "
                "por letras (el teléfono los mostraría como «?»)."
            )
            % {"fuera": " ".join(f"«{c}»" for c in medida.fuera)},
            code="fuera_de_gsm7",
        )
    if medida.segmentos > longitud.SEGMENTOS_MAXIMOS:
        raise ValidationError(
            _(
                "El aviso es demasiado largo: con la firma y el pie para darse de baja ocupa "
                "%(n)s mensajes SMS (%(septetos)s caracteres); el máximo son %(max)s "
                "(%(limite)s caracteres). Acórtelo."
            )
            % {
                "n": medida.segmentos,
                "septetos": medida.unidades,
                "max": longitud.SEGMENTOS_MAXIMOS,
                "limite": longitud.SEGMENTOS_MAXIMOS * longitud.GSM7_PARTE,
            },
            code="largo",
        )
    return texto


def enviar_aviso(*, texto: str, listas, actor) -> AvisoComunitario:
    """Registra el aviso y encola su reparto al confirmar. Si el broker no responde, el
    barrido del beat (`repartir_pendientes`) lo encola cuando vuelva."""
    texto = validar_texto(texto)
    listas = list(listas)
    if not listas:
        raise ValidationError(_("Elija al menos una lista."), code="sin_listas")
    with transaction.atomic():
        aviso = AvisoComunitario.objects.create(
            texto=texto,
            enviado_por=actor,
            destinatarios=destinatarios(listas).count(),
        )
        aviso.listas.set(listas)
        transaction.on_commit(lambda: _encolar(aviso.pk), robust=True)
    return aviso


def _encolar(aviso_id: int) -> bool:
    from .tasks import repartir_aviso

    return encolar(repartir_aviso, aviso_id)


def _plazo() -> timedelta:
    return timedelta(seconds=max(settings.AVISOS_RECLAMO_SEGUNDOS, 4))


def _reclamar(aviso_id: int) -> bool:
    ahora = timezone.now()
    return bool(
        AvisoComunitario.objects.filter(pk=aviso_id, repartido_en__isnull=True)
        .filter(Q(reparto_hasta__isnull=True) | Q(reparto_hasta__lt=ahora))
        .update(reparto_hasta=ahora + _plazo())
    )


def repartir(aviso_id: int, *, lote: int = LOTE) -> int:
    """Escribe en la bandeja un mensaje por destinatario del aviso que aún no lo tenga.
    Devuelve cuántas entregas nuevas escribió (0 si otro worker ya lo está repartiendo o si
    ya terminó)."""
    if not _reclamar(aviso_id):
        return 0
    aviso = AvisoComunitario.objects.get(pk=aviso_id)
    listas = list(aviso.listas.all())
    # Quien esté en dos listas sale una vez; quien no dio su consentimiento, nunca.
    pendientes = destinatarios(listas, con_bajas=True).order_by("pk")
    nuevas = 0
    ultimo = 0
    while True:
        contactos = list(pendientes.filter(pk__gt=ultimo)[:lote])
        if not contactos:
            break
        ultimo = contactos[-1].pk
        nuevas += _repartir_lote(aviso, contactos)
        AvisoComunitario.objects.filter(pk=aviso.pk).update(reparto_hasta=timezone.now() + _plazo())
    AvisoComunitario.objects.filter(pk=aviso.pk).update(
        repartido_en=timezone.now(), reparto_hasta=None
    )
    return nuevas


def _repartir_lote(aviso: AvisoComunitario, contactos: list[Contacto]) -> int:
    with transaction.atomic():
        hechos = set(
            Entrega.objects.filter(aviso=aviso, contacto__in=contactos).values_list(
                "contacto_id", flat=True
            )
        )
        entregas = []
        for contacto in contactos:
            if contacto.pk in hechos:
                continue
            if contacto.dado_de_baja:
                # Ya pidió no recibir nada: no se le escribe; la entrega lo cuenta.
                entregas.append(Entrega(aviso=aviso, contacto=contacto))
                continue
            mensaje = bandeja.avisar(
                plantilla=PLANTILLA,
                llave=llave(aviso.pk, contacto.pk),
                canal=contacto.canal,
                destino=contacto.telefono,
                contexto={"texto": aviso.texto, "aviso": aviso.pk},
                referencia=f"comunidad:{aviso.pk}",
            )
            entregas.append(Entrega(aviso=aviso, contacto=contacto, mensaje=mensaje))
        Entrega.objects.bulk_create(entregas, ignore_conflicts=True)
    return len(entregas)


def repartir_pendientes() -> int:
    """Celery beat: encola los avisos cuyo reparto no terminó y nadie tiene (el broker no
    respondía al enviarlos, o el worker murió a medias)."""
    ahora = timezone.now()
    ids = list(
        AvisoComunitario.objects.filter(repartido_en__isnull=True)
        .filter(Q(reparto_hasta__isnull=True) | Q(reparto_hasta__lt=ahora))
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if _encolar(pk))
