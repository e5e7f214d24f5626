"""Días hábiles: lunes a viernes, menos los de descanso obligatorio (LFT art. 74) y los
inhábiles que el municipio configure (tabla DiaInhabil). Todo plazo del sistema se cuenta
con este módulo.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from dateutil.easter import easter
from django.utils.translation import gettext_lazy as _

from nucleo.memoria import DelProceso

# Cambio del Poder Ejecutivo Federal: 1 de octubre cada seis años desde 2024 (LFT art. 74-VII).
PRIMER_CAMBIO_EJECUTIVO = 2024

# Cuánto más de lo pedido carga el calendario de los inhábiles municipales, hacia atrás y
# hacia adelante (días naturales).
HOLGURA_ATRAS = 366
HOLGURA_ADELANTE = 400


def _n_lunes(anio: int, mes: int, n: int) -> date:
    primero = date(anio, mes, 1)
    primer_lunes = primero + timedelta(days=(7 - primero.weekday()) % 7)
    return primer_lunes + timedelta(weeks=n - 1)


def descanso_obligatorio(anio: int) -> dict[date, str]:
    """Días de descanso obligatorio de la LFT art. 74 para un año (sin la jornada electoral,
    que el municipio da de alta como día inhábil cuando la ley electoral la fija)."""
    dias = {
        date(anio, 1, 1): _("Año Nuevo"),
        _n_lunes(anio, 2, 1): _("Día de la Constitución"),
        _n_lunes(anio, 3, 3): _("Natalicio de Benito Juárez"),
        date(anio, 5, 1): _("Día del Trabajo"),
        date(anio, 9, 16): _("Día de la Independencia"),
        _n_lunes(anio, 11, 3): _("Día de la Revolución"),
        date(anio, 12, 25): _("Navidad"),
    }
    if anio >= PRIMER_CAMBIO_EJECUTIVO and (anio - PRIMER_CAMBIO_EJECUTIVO) % 6 == 0:
        dias[date(anio, 10, 1)] = _("Transmisión del Poder Ejecutivo Federal")
    return dias


class Calendario:
    """Calendario con los inhábiles municipales ya cargados (una consulta por rango).

    Para contar muchos plazos a la vez (bandejas), cree uno y reutilícelo.
    """

    def __init__(self, inhabiles: Iterable[date] | None = None, *, cargar: bool = True):
        self._municipales: set[date] = set(inhabiles or ())
        self._anios: dict[int, dict[date, str]] = {}
        self._cargado: tuple[date, date] | None = None
        self._cargar = cargar

    def _asegurar(self, desde: date, hasta: date) -> None:
        if not self._cargar:
            return
        if self._cargado and self._cargado[0] <= desde and hasta <= self._cargado[1]:
            return
        from .models import DiaInhabil

        # Se carga con holgura hacia donde se pidió, para no volver a consultar en plazos
        # cercanos: una lista de casos del más reciente al más antiguo extiende el rango
        # unas pocas veces, no una por caso.
        inicio = desde - timedelta(days=HOLGURA_ATRAS)
        fin = hasta + timedelta(days=HOLGURA_ADELANTE)
        if self._cargado:
            # Se conserva lo ya cargado y solo crece el lado que no alcanzaba.
            if desde >= self._cargado[0]:
                inicio = self._cargado[0]
            if hasta <= self._cargado[1]:
                fin = self._cargado[1]
        for dia in DiaInhabil.objects.en_rango(inicio, fin):
            actual = max(dia.fecha_inicio, inicio)
            while actual <= min(dia.fecha_fin, fin):
                self._municipales.add(actual)
                actual += timedelta(days=1)
        self._cargado = (inicio, fin)

    def _motivo(self, fecha: date):
        """Por qué ese día no es hábil, sin traducir aún (None si es hábil): contar días
        hábiles no traduce el motivo de cada fin de semana."""
        self._asegurar(fecha, fecha)
        if fecha.weekday() >= 5:
            return _("Fin de semana")
        if fecha.year not in self._anios:
            self._anios[fecha.year] = descanso_obligatorio(fecha.year)
        nacional = self._anios[fecha.year].get(fecha)
        if nacional is not None:
            return nacional
        if fecha in self._municipales:
            return _("Día inhábil del municipio")
        return None

    def motivo_inhabil(self, fecha: date) -> str:
        """Por qué ese día no es hábil ('' si es hábil)."""
        motivo = self._motivo(fecha)
        return "" if motivo is None else str(motivo)

    def es_habil(self, fecha: date) -> bool:
        return self._motivo(fecha) is None

    def sumar(self, desde: date, dias: int) -> date:
        """El día hábil número `dias` después de `desde` (sin contar `desde`).

        Con `dias=0` devuelve `desde` si es hábil o el siguiente hábil.
        """
        self._asegurar(desde, desde + timedelta(days=dias * 2 + 30))
        actual = desde
        if dias == 0:
            while not self.es_habil(actual):
                actual += timedelta(days=1)
            return actual
        contados = 0
        while contados < dias:
            actual += timedelta(days=1)
            if self.es_habil(actual):
                contados += 1
        return actual

    def entre(self, desde: date, hasta: date) -> int:
        """Días hábiles de `desde` (excluido) a `hasta` (incluido); negativo si hasta < desde."""
        if hasta < desde:
            return -self.entre(hasta, desde)
        self._asegurar(desde, hasta)
        total, actual = 0, desde
        while actual < hasta:
            actual += timedelta(days=1)
            if self.es_habil(actual):
                total += 1
        return total


def sumar_dias_habiles(desde: date, dias: int) -> date:
    return Calendario().sumar(desde, dias)


def dias_habiles_entre(desde: date, hasta: date) -> int:
    return Calendario().entre(desde, hasta)


def es_dia_habil(fecha: date) -> bool:
    return Calendario().es_habil(fecha)


def inhabiles_usuales(anio: int) -> dict[date, str]:
    """Los días que las oficinas municipales suelen cerrar además de los de la LFT: jueves y
    viernes santos, 2 de noviembre y 12 de diciembre. Es solo una propuesta: cada municipio
    confirma los suyos año por año en la administración de la oficina."""
    pascua = easter(anio)
    return {
        pascua - timedelta(days=3): _("Jueves Santo"),
        pascua - timedelta(days=2): _("Viernes Santo"),
        date(anio, 11, 2): _("Día de Muertos"),
        date(anio, 12, 12): _("Día de la Virgen de Guadalupe"),
    }


# Lo que abarca el calendario de la memoria del proceso, hacia atrás y hacia adelante de hoy:
# más que cualquier plazo del sistema. Un periodo capturado «hasta 9999» no llena la memoria
# ni se sale de las fechas posibles.
ANIOS_DEL_PROCESO = 20


def _leer_inhabiles(_clave=None) -> frozenset[date]:
    from django.utils import timezone

    from .models import DiaInhabil

    hoy = timezone.localdate()
    desde = hoy.replace(year=hoy.year - ANIOS_DEL_PROCESO, day=1)
    hasta = hoy.replace(year=hoy.year + ANIOS_DEL_PROCESO, day=1)
    dias = set()
    for inicio, fin in DiaInhabil.objects.en_rango(desde, hasta).values_list(
        "fecha_inicio", "fecha_fin"
    ):
        actual, ultimo = max(inicio, desde), min(fin, hasta)
        while actual <= ultimo:
            dias.add(actual)
            actual += timedelta(days=1)
    return frozenset(dias)


inhabiles_guardados = DelProceso(_leer_inhabiles)


def calendario_del_proceso() -> Calendario:
    """Un calendario con los inhábiles municipales de `ANIOS_DEL_PROCESO` años alrededor de hoy,
    tomados de la memoria del proceso (`nucleo.memoria`), sin consultar la base: para las
    lecturas públicas más pedidas (Open311). Un día inhábil guardado en este proceso se ve en
    cuanto se confirma (a más tardar `memoria.SEGUNDOS` después si otra petición de este mismo
    proceso lo leyó antes de la confirmación); uno guardado en otro proceso, a más tardar
    `memoria.SEGUNDOS` después."""
    return Calendario(inhabiles_guardados(), cargar=False)
