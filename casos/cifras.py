"""Las cifras de los plazos (días hábiles, meses, veces) como datos fechados.

Cada cifra vive en `ValorDePlazo` con su nombre, el artículo o la fuente de la que viene y
la fecha desde la que rige. A un caso le rigen, para cada plazo, las cifras vigentes en su
**fecha de plazos**: el día (hora de México) en que se *recibió* la solicitud —la apertura del
expediente; en mediación no se espera a la admisión—, o el día en que la coordinación le
recalculó los plazos (`Caso.plazos_segun`). Lo que no es de un caso (la ventana «por
vencer» de las bandejas) usa las cifras de hoy. Un plazo sin renglón que rija en esa fecha
usa `settings.PLAZOS`, los valores de una instalación nueva.

La tabla es pequeña (una docena de plazos, pocos renglones por plazo): se lee completa, en
una consulta, la primera vez que se pide una cifra, y se guarda en memoria del proceso
(`nucleo.memoria`). Se olvida al guardar o borrar un renglón en este proceso y al empezar cada
tarea de Celery; lo que registró otro proceso web se ve a más tardar `memoria.SEGUNDOS`
después. Así ni un caso ni una petición cuestan una consulta.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from nucleo.memoria import DelProceso

from .models import (
    DEFINICIONES_PLAZO,
    Caso,
    ClavePlazo,
    TipoCaso,
    ValorDePlazo,
    texto_de_cifra,
)

# Los plazos que rigen cada tipo de caso (la revisión de una mediación usa el del primer
# contacto). La ventana «por vencer» no es de ningún caso: siempre la de hoy.
CLAVES_DE: dict[str, tuple[str, ...]] = {
    TipoCaso.MEDIACION: (
        ClavePlazo.ASESORIA_PRIMER_CONTACTO_DIAS_HABILES,
        ClavePlazo.NO_ADMISION_AVISO_DIAS_HABILES,
        ClavePlazo.INVITACION_DIAS_HABILES,
        ClavePlazo.INVITACION_INTENTOS,
        ClavePlazo.DURACION_MAXIMA_MESES,
        ClavePlazo.DIFERIMIENTOS_MAXIMOS,
        ClavePlazo.INASISTENCIAS_CONSECUTIVAS,
        ClavePlazo.REGISTRO_ENVIO_DIAS_HABILES,
        ClavePlazo.REGISTRO_RESPUESTA_DIAS_HABILES,
        ClavePlazo.PREVENCION_DIAS_HABILES,
    ),
    TipoCaso.ASESORIA: (
        ClavePlazo.ASESORIA_PRIMER_CONTACTO_DIAS_HABILES,
        ClavePlazo.ASESORIA_RESOLUCION_DIAS_HABILES,
    ),
}


@dataclass(frozen=True)
class Cifra:
    """La cifra de un plazo que rige en una fecha, con su nombre y su fundamento.
    `vigente_desde` es None si viene de `settings.PLAZOS` (sin renglón en la base)."""

    clave: str
    valor: int
    unidad: str
    etiqueta: str
    fundamento: str
    vigente_desde: date | None = None
    renglon: int | None = None  # el `ValorDePlazo` del que viene

    @property
    def texto(self) -> str:
        """«5 días hábiles», «3 meses», «2 veces»."""
        return texto_de_cifra(self.valor, self.unidad)

    def igual_a(self, otra: "Cifra") -> bool:
        """Si rigen lo mismo (la cifra y su fundamento), vengan del renglón que vengan."""
        return (self.valor, self.fundamento) == (otra.valor, otra.fundamento)


def _leer_tabla(_clave=None) -> dict[str, list[Cifra]]:
    tabla: dict[str, list[Cifra]] = {}
    for v in ValorDePlazo.objects.order_by("vigente_desde", "id"):
        tabla.setdefault(v.clave, []).append(
            Cifra(v.clave, v.valor, v.unidad, v.etiqueta, v.fundamento, v.vigente_desde, v.pk)
        )
    return tabla


# En la memoria del proceso (nucleo.memoria): un renglón guardado aquí se ve al instante; uno
# guardado por otro proceso, a más tardar `memoria.SEGUNDOS` después; cada tarea de Celery
# empieza con la tabla de la base.
_tabla = DelProceso(_leer_tabla)


def olvidar(**kwargs) -> None:
    """Descarta la tabla en memoria: la siguiente cifra que se pida la vuelve a leer. Es
    receptor de señales (guardado o borrado de un renglón, tarea de Celery)."""
    _tabla.olvidar()


def _renglones() -> dict[str, list[Cifra]]:
    return _tabla()


def de_los_ajustes(clave: str) -> Cifra:
    """La cifra de `settings.PLAZOS` (la de una instalación nueva), con el nombre y el
    fundamento de la definición del plazo."""
    definicion = DEFINICIONES_PLAZO[clave]
    return Cifra(
        clave=clave,
        valor=settings.PLAZOS[clave],
        unidad=definicion.unidad,
        etiqueta=str(ClavePlazo(clave).label),
        fundamento=str(definicion.fundamento),
    )


def vigente(clave: str, fecha: date) -> Cifra:
    """La cifra del plazo que rige para `fecha`: el renglón más reciente cuya vigencia
    empezó a más tardar ese día (a igual fecha, el registrado después); sin ninguno, la
    de `settings.PLAZOS`."""
    if clave not in DEFINICIONES_PLAZO:
        raise KeyError(f"Plazo desconocido: {clave}")
    aplicable = None
    for cifra in _renglones().get(clave, ()):
        if cifra.vigente_desde > fecha:
            break
        aplicable = cifra
    return aplicable or de_los_ajustes(clave)


def fecha_de_plazos(caso: Caso) -> date:
    """El día cuyas cifras rigen al caso: el de su recálculo o, si no se recalculó, el día
    de su recepción (hora de México)."""
    return caso.plazos_segun or timezone.localdate(caso.recibido_en)


def del_caso(clave: str, caso: Caso | None) -> Cifra:
    """La cifra que rige al caso; sin caso, la de hoy."""
    return vigente(clave, fecha_de_plazos(caso) if caso is not None else timezone.localdate())


def fecha_de_plazos_arco(solicitud) -> date:
    """El día cuyas cifras rigen a una solicitud ARCO: el de su recepción (hora de México)
    o el de su recálculo."""
    return solicitud.plazos_segun or timezone.localdate(solicitud.recibida_en)


def de_solicitud(clave: str, solicitud) -> Cifra:
    """La cifra que rige a una solicitud ARCO."""
    return vigente(clave, fecha_de_plazos_arco(solicitud))


def claves_de(caso: Caso) -> tuple[str, ...]:
    return CLAVES_DE.get(caso.tipo, ())


@dataclass(frozen=True)
class Diferencia:
    """Un plazo cuya cifra para el caso no es la de hoy."""

    clave: str
    del_caso: Cifra
    de_hoy: Cifra

    @property
    def etiqueta(self) -> str:
        return self.de_hoy.etiqueta

    @property
    def descripcion(self) -> str:
        """«Invitación a la otra parte: 5 días hábiles → 7 días hábiles»."""
        antes, ahora = self.del_caso, self.de_hoy
        if antes.valor == ahora.valor:
            cambio = f"{antes.fundamento} → {ahora.fundamento}"
        else:
            cambio = f"{antes.texto} → {ahora.texto}"
        return f"{self.etiqueta}: {cambio}"


def diferencias_con_hoy(caso: Caso, hoy: date | None = None) -> list[Diferencia]:
    """Los plazos del caso cuya cifra (o fundamento) difiere de la que rige hoy; vacía si
    el caso ya sigue las de hoy."""
    hoy = hoy or timezone.localdate()
    fecha = fecha_de_plazos(caso)
    if fecha >= hoy:
        return []
    resultado = []
    for clave in claves_de(caso):
        antes, ahora = vigente(clave, fecha), vigente(clave, hoy)
        if not antes.igual_a(ahora):
            resultado.append(Diferencia(clave, antes, ahora))
    return resultado


def ultimo_cambio(hoy: date | None = None) -> date | None:
    """La fecha de vigencia más reciente que ya empezó (None si no hay renglones): un caso
    con fecha de plazos anterior puede tener cifras distintas de las de hoy."""
    hoy = hoy or timezone.localdate()
    fechas = [
        c.vigente_desde
        for cifras in _renglones().values()
        for c in cifras
        if c.vigente_desde <= hoy
    ]
    return max(fechas, default=None)
