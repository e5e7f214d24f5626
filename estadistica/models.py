"""Lo que la estadística guarda: los hechos de cada caso ya calculados (una fila por caso,
con sus definiciones aplicadas una sola vez), el resumen diario por dimensión que leen el
tablero y la página de transparencia, y las metas del programa operativo anual (POA).

Los hechos y el resumen se derivan de los casos; nunca se capturan. Los refresca el beat
(`estadistica.tasks.refrescar_resumen`) y se pueden rehacer completos en cualquier momento
(`manage.py rehacer_estadistica`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casos.models import Caso, Categoria, Localidad, Modulo, TipoCaso


class Revision(models.TextChoices):
    """Lo que decidió la coordinación sobre una solicitud de mediación."""

    PENDIENTE = "pendiente", _("En revisión")
    ADMITIDA = "admitida", _("Admitida")
    NO_ADMITIDA = "no_admitida", _("No admitida")
    CANALIZADA = "canalizada", _("Canalizada a otra instancia")


class Resultado(models.TextChoices):
    """Cómo terminó el caso (vacío mientras sigue abierto)."""

    CONVENIO_TOTAL = "convenio_total", _("Convenio con acuerdo total")
    CONVENIO_PARCIAL = "convenio_parcial", _("Convenio con acuerdo parcial")
    SIN_ACUERDO = "sin_acuerdo", _("Sin acuerdo")
    ANTICIPADA = "anticipada", _("Conclusión anticipada")
    NO_ADMITIDA = "no_admitida", _("No admitida")
    CANALIZADA = "canalizada", _("Canalizada a otra instancia")
    PRIMER_CONTACTO = "primer_contacto", _("Asesoría resuelta en el primer contacto")
    RESUELTA = "resuelta", _("Asesoría resuelta tras atenderla")
    CONVERTIDA = "convertida", _("Asesoría convertida en mediación")


class Cumplimiento(models.TextChoices):
    """Cómo quedó un plazo legal o interno en un caso."""

    A_TIEMPO = "a_tiempo", _("Dentro del plazo")
    FUERA = "fuera", _("Fuera del plazo")
    VENCIDO = "vencido", _("Vencido sin hacerse")
    EN_PLAZO = "en_plazo", _("Aún en plazo")


class HechoCaso(models.Model):
    """Un caso, con las definiciones de la estadística ya aplicadas (ver
    `estadistica.definiciones`). Se recalcula cuando el caso tiene un evento nuevo y, cada
    noche, si sigue abierto (sus plazos corren aunque nadie lo toque)."""

    caso = models.OneToOneField(
        Caso, primary_key=True, on_delete=models.CASCADE, related_name="hecho"
    )
    tipo = models.CharField(max_length=3, choices=TipoCaso.choices)
    canal = models.CharField(max_length=20)
    modulo = models.ForeignKey(
        Modulo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    localidad = models.ForeignKey(Localidad, on_delete=models.CASCADE, related_name="+")
    categoria = models.ForeignKey(Categoria, on_delete=models.CASCADE, related_name="+")
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Materia no mediable (violencia, penal): en transparencia solo cuenta en totales.
    sensible = models.BooleanField(default=False)
    recibido = models.DateField()
    revision = models.CharField(max_length=12, choices=Revision.choices, blank=True)
    admitido = models.DateField(null=True, blank=True)
    abierto = models.BooleanField(default=True)
    concluido = models.DateField(null=True, blank=True)
    resultado = models.CharField(max_length=20, choices=Resultado.choices, blank=True)
    causa = models.CharField(max_length=30, blank=True)
    incumplido = models.BooleanField(default=False)
    dias_a_cierre = models.PositiveIntegerField(null=True, blank=True)
    invitacion = models.CharField(max_length=10, choices=Cumplimiento.choices, blank=True)
    registro = models.CharField(max_length=10, choices=Cumplimiento.choices, blank=True)
    procedimiento = models.CharField(max_length=10, choices=Cumplimiento.choices, blank=True)
    resolucion = models.CharField(max_length=10, choices=Cumplimiento.choices, blank=True)
    dependencia = models.CharField(max_length=200, blank=True)
    satisfaccion = models.PositiveSmallIntegerField(null=True, blank=True)
    # Los días del resumen a los que este caso aportó la última vez (recepción, cierre,
    # sesiones): al recalcularlo se rehacen también los que dejó.
    dias = models.JSONField(default=list, blank=True)
    calculado_en = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hechos de un caso")
        verbose_name_plural = _("hechos de los casos")
        indexes = [
            models.Index(fields=["recibido", "tipo"], name="hecho_recibido_idx"),
            models.Index(fields=["concluido", "tipo"], name="hecho_concluido_idx"),
            models.Index(fields=["abierto", "tipo"], name="hecho_abierto_idx"),
            models.Index(fields=["localidad", "recibido"], name="hecho_localidad_idx"),
            models.Index(fields=["responsable", "recibido"], name="hecho_responsable_idx"),
            models.Index(fields=["categoria", "recibido"], name="hecho_categoria_idx"),
            models.Index(fields=["modulo"], name="hecho_modulo_idx"),
        ]

    def __str__(self):
        return f"{self.caso_id} {self.tipo} {self.recibido}"


def _cuenta():
    return models.PositiveIntegerField(default=0)


class Cifras(models.Model):
    """Las cuentas de un resumen (diario o mensual), por tipo de caso y por una dimensión
    (canal, localidad, categoría, módulo, persona, dependencia; «total» es todo). Cada columna
    cuenta según su propia fecha (`estadistica.definiciones.MEDIDAS`): lo de la solicitud, por
    la fecha en que se recibió; lo concluido, por la de cierre; las sesiones, por la suya. Lo
    que ninguna tabla usa no se cuenta por dimensión (`DIMENSIONES_POR_FECHA`: las sesiones,
    solo en el total y por persona) y queda en cero."""

    tipo = models.CharField(max_length=3, choices=TipoCaso.choices)
    dimension = models.CharField(max_length=12)
    valor = models.CharField(max_length=200)
    # Por la fecha de recepción.
    recibidas = _cuenta()
    admitidas = _cuenta()
    no_admitidas = _cuenta()
    canalizadas = _cuenta()
    en_revision = _cuenta()
    ase_canalizadas = _cuenta()
    inv_a_tiempo = _cuenta()
    inv_fuera = _cuenta()
    inv_vencido = _cuenta()
    inv_en_plazo = _cuenta()
    reg_a_tiempo = _cuenta()
    reg_fuera = _cuenta()
    reg_vencido = _cuenta()
    reg_en_plazo = _cuenta()
    proc_a_tiempo = _cuenta()
    proc_fuera = _cuenta()
    proc_vencido = _cuenta()
    proc_en_plazo = _cuenta()
    res_a_tiempo = _cuenta()
    res_fuera = _cuenta()
    res_vencido = _cuenta()
    res_en_plazo = _cuenta()
    # Por la fecha de cierre.
    concluidas = _cuenta()
    convenio_total = _cuenta()
    convenio_parcial = _cuenta()
    sin_acuerdo = _cuenta()
    anticipadas = _cuenta()
    c_no_admitidas = _cuenta()
    c_canalizadas = _cuenta()
    primer_contacto = _cuenta()
    resueltas = _cuenta()
    convertidas = _cuenta()
    incumplidos = _cuenta()
    satisf_1 = _cuenta()
    satisf_2 = _cuenta()
    satisf_3 = _cuenta()
    satisf_4 = _cuenta()
    satisf_5 = _cuenta()
    # Por la fecha de la sesión.
    ses_celebradas = _cuenta()
    ses_diferidas = _cuenta()
    ses_inasistencia = _cuenta()
    # {días hábiles: casos} de lo concluido ese día, para mediana y percentil 90, y
    # {causa: casos} de las conclusiones anticipadas.
    dias_a_cierre = models.JSONField(default=dict)
    causas = models.JSONField(default=dict)

    class Meta:
        abstract = True


class ResumenDiario(Cifras):
    """Lo que pasó un día."""

    fecha = models.DateField()

    class Meta:
        verbose_name = _("resumen diario")
        verbose_name_plural = _("resúmenes diarios")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "fecha", "tipo", "valor"], name="resumen_unico"
            )
        ]

    def __str__(self):
        return f"{self.fecha} {self.tipo} {self.dimension}={self.valor}"


class ResumenMensual(Cifras):
    """La suma de los días de un mes: un año entero se lee en doce renglones por valor (los
    periodos que no empiezan o terminan en mes completo leen esos días del diario)."""

    mes = models.DateField(help_text=_("El día 1 del mes."))

    class Meta:
        verbose_name = _("resumen mensual")
        verbose_name_plural = _("resúmenes mensuales")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "mes", "tipo", "valor"], name="resumen_mensual_unico"
            )
        ]

    def __str__(self):
        return f"{self.mes:%Y-%m} {self.tipo} {self.dimension}={self.valor}"


class AbiertoHoy(models.Model):
    """Casos abiertos hoy por persona y tipo, y cuántos tienen el plazo del art. 64 vencido
    (la carga de trabajo del tablero), contados en cada refresco."""

    tipo = models.CharField(max_length=3, choices=TipoCaso.choices)
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    abiertos = models.PositiveIntegerField(default=0)
    vencidos = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("casos abiertos hoy")
        verbose_name_plural = _("casos abiertos hoy")

    def __str__(self):
        return f"{self.tipo} {self.responsable_id}: {self.abiertos}"


class EstadoResumen(models.Model):
    """Hasta dónde llegó el último refresco (un solo renglón)."""

    ultimo_evento = models.BigIntegerField(default=0)
    ultima_sesion = models.BigIntegerField(default=0)
    datos_al = models.DateTimeField(null=True, blank=True)
    abiertos_al = models.DateField(null=True, blank=True)
    duracion_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("estado del resumen")
        verbose_name_plural = _("estado del resumen")

    def __str__(self):
        return f"{self.datos_al}"


class ProgramaPOA(models.Model):
    """Un programa del programa operativo anual que el sistema sirve (p. ej. «4. Mediación y
    resolución de conflictos comunitarios»)."""

    clave = models.CharField(_("número o clave"), max_length=10, unique=True)
    nombre = models.CharField(_("nombre"), max_length=200)
    tipo = models.CharField(
        _("casos que cuenta"),
        max_length=3,
        choices=TipoCaso.choices,
        blank=True,
        help_text=_("El tipo de caso que atiende el programa; vacío si no atiende casos."),
    )
    orden = models.PositiveSmallIntegerField(_("orden"), default=100)

    class Meta:
        verbose_name = _("programa del POA")
        verbose_name_plural = _("programas del POA")
        ordering = ["orden", "clave"]

    def __str__(self):
        return f"{self.clave}. {self.nombre}"


class MetaPOA(models.Model):
    """La meta de un año para una actividad de un programa, medida con un indicador que el
    sistema sabe contar (`estadistica.definiciones.INDICADORES`)."""

    anio = models.PositiveSmallIntegerField(_("año"))
    programa = models.ForeignKey(
        ProgramaPOA, verbose_name=_("programa"), on_delete=models.PROTECT, related_name="metas"
    )
    actividad = models.CharField(_("actividad"), max_length=200)
    indicador = models.CharField(_("se mide con"), max_length=40)
    meta = models.PositiveIntegerField(_("meta del año"))
    actualizada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actualizada_en = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meta del POA")
        verbose_name_plural = _("metas del POA")
        ordering = ["anio", "programa__orden", "id"]
        permissions = [("fijar_metas", _("Puede fijar los programas y las metas del POA"))]
        constraints = [
            models.UniqueConstraint(
                fields=["anio", "programa", "actividad"], name="meta_actividad_unica"
            )
        ]

    def __str__(self):
        return f"{self.anio} {self.actividad}: {self.meta}"
