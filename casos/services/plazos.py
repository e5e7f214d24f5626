"""Cifras de los plazos: registrar una nueva y aplicar a un caso las que rigen hoy.

Registrar una cifra no cambia a ningún caso ya recibido (`ValorDePlazo.clean`). Aplicar las
de hoy a un caso abierto es decisión de la coordinación: aquí cambia su fecha de plazos y
queda el evento; `flujos.services.recalcular_plazos_de` además mueve sus tareas y
temporizadores.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from .. import cifras
from ..models import Caso, TipoEvento, ValorDePlazo
from .comun import bloquear, exigir_abierto, exigir_texto, hoy, registrar

LARGO_DESCRIPCION = 500


def registrar_cifra(
    *,
    clave: str,
    valor: int,
    vigente_desde: date,
    motivo: str,
    actor,
    etiqueta: str = "",
    fundamento: str = "",
) -> ValorDePlazo:
    """Registra la cifra de un plazo para los casos que se reciban desde `vigente_desde`
    (hoy, si hoy aún no se recibe ninguno, o después). Sin nombre o fundamento, conserva los
    de la cifra anterior."""
    cifra = ValorDePlazo(
        clave=clave,
        valor=valor,
        vigente_desde=vigente_desde,
        motivo=exigir_texto(motivo, _("Escriba el motivo de la nueva cifra."), "motivo"),
        etiqueta=(etiqueta or "").strip(),
        fundamento=(fundamento or "").strip(),
        creado_por=actor,
    )
    cifra.full_clean()
    cifra.save()
    return cifra


@dataclass
class CifrasAplicadas:
    """Lo que cambió en un caso al aplicarle las cifras de hoy (`cambios` vacío: ya las
    seguía y no se tocó)."""

    caso: Caso
    antes: date
    ahora: date
    cambios: list[cifras.Diferencia] = field(default_factory=list)


def _descripcion(antes: date, ahora: date, cambios: list[cifras.Diferencia], motivo: str) -> str:
    texto = _(
        "Plazos recalculados con las cifras vigentes al %(ahora)s (antes, las del %(antes)s): "
        "%(cambios)s. Motivo: %(motivo)s"
    ) % {
        "ahora": f"{ahora:%d/%m/%Y}",
        "antes": f"{antes:%d/%m/%Y}",
        "cambios": "; ".join(c.descripcion for c in cambios),
        "motivo": motivo,
    }
    if len(texto) > LARGO_DESCRIPCION:
        texto = texto[: LARGO_DESCRIPCION - 1] + "…"
    return texto


def aplicar_cifras_de_hoy(*, caso: Caso, actor, motivo: str) -> CifrasAplicadas:
    """El caso abierto pasa a seguir las cifras que rigen hoy (`Caso.plazos_segun`) y deja
    un evento con quién, cuándo y cada cifra que cambió (de cuál a cuál). Si ya las seguía,
    no cambia nada. Los vencimientos guardados en el flujo los mueve quien llama
    (`flujos.services.recalcular_plazos_de`)."""
    motivo = exigir_texto(motivo, _("Escriba el motivo del recálculo."), "motivo")
    with transaction.atomic():
        caso = bloquear(caso)
        exigir_abierto(caso)
        dia = hoy()
        antes = cifras.fecha_de_plazos(caso)
        cambios = cifras.diferencias_con_hoy(caso, dia)
        if not cambios:
            return CifrasAplicadas(caso=caso, antes=antes, ahora=antes)
        caso.plazos_segun = dia
        registrar(
            caso=caso,
            tipo=TipoEvento.PLAZOS_RECALCULADOS,
            actor=actor,
            descripcion=_descripcion(antes, dia, cambios, motivo),
            campos=("plazos_segun",),
            datos={
                "antes": antes.isoformat(),
                "ahora": dia.isoformat(),
                "cambios": [
                    {
                        "clave": c.clave,
                        "antes": c.del_caso.valor,
                        "ahora": c.de_hoy.valor,
                        "fundamento_antes": c.del_caso.fundamento,
                        "fundamento_ahora": c.de_hoy.fundamento,
                    }
                    for c in cambios
                ],
                "motivo": motivo,
            },
        )
    return CifrasAplicadas(caso=caso, antes=antes, ahora=dia, cambios=cambios)
