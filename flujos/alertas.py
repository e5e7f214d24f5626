"""Avisos de plazo vencido: dejan constancia en la bitácora del caso. (Los mensajes al
personal salen de la bandeja de notificaciones.)"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casos.models import TipoEvento
from casos.services.comun import registrar

TEXTOS = {
    "invitacion": _("Venció el plazo para invitar a la otra parte (art. 69)."),
    "procedimiento": _(
        "Venció el plazo del procedimiento (art. 64): registre la prórroga acordada o concluya."
    ),
    "registro": _("Venció el plazo para enviar el convenio a registro (art. 98)."),
}


def alerta(clave: str):
    def aviso(activation):
        caso = activation.process.caso
        if not caso.abierto:
            return
        if clave == "procedimiento" and (caso.vence_el() or date.max) >= timezone.localdate():
            return  # una prórroga movió el plazo después de armado el temporizador
        registrar(
            caso=caso,
            tipo=TipoEvento.TAREA,
            descripcion=str(TEXTOS[clave]),
            datos={"plazo_vencido": clave},
        )

    aviso.__name__ = f"alerta_{clave}"
    return aviso
