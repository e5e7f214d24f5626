"""Una importación del registro anterior: el archivo subido, la relación de sus columnas con
los datos del sistema, lo que dijo la revisión y lo que se importó. Se guarda en la base (no
en la sesión) para no volver a subir un archivo grande entre un paso y otro."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casos.models import Caso


class EstadoImportacion(models.TextChoices):
    SUBIDA = "subida", _("Falta relacionar las columnas")
    CON_ERRORES = "con_errores", _("Con errores: no se puede importar")
    LISTA = "lista", _("Lista para importar")
    EN_COLA = "en_cola", _("En espera de importarse")
    IMPORTANDO = "importando", _("Importando…")
    IMPORTADA = "importada", _("Importada")
    FALLIDA = "fallida", _("No se pudo terminar (no se importó nada)")
    DESCARTADA = "descartada", _("Descartada")


def ruta_importacion(importacion, nombre):
    # Una carpeta al azar por archivo: el registro trae datos personales y nunca se sirve por
    # una URL estática (no hay ruta /media/); solo lo lee el propio sistema.
    return f"importaciones/{secrets.token_urlsafe(18)}/{nombre}"


class Importacion(models.Model):
    estado = models.CharField(
        _("estado"), max_length=20, choices=EstadoImportacion.choices, default="subida"
    )
    archivo = models.FileField(_("archivo"), upload_to=ruta_importacion, blank=True)
    nombre_archivo = models.CharField(_("nombre del archivo"), max_length=255)
    formato = models.CharField(_("formato"), max_length=10)
    tamano = models.PositiveBigIntegerField(_("tamaño (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    codificacion = models.CharField(_("codificación"), max_length=20, blank=True)
    separador = models.CharField(_("separador"), max_length=5, blank=True)
    hoja = models.CharField(_("hoja"), max_length=100, blank=True)
    encabezados = models.JSONField(_("encabezados"), default=list)
    renglones = models.PositiveIntegerField(_("renglones con datos"), default=0)
    # {clave del campo: índice de la columna en el archivo}
    columnas = models.JSONField(_("relación de columnas"), default=dict)
    errores = models.JSONField(_("errores"), default=list, blank=True)
    avisos = models.JSONField(_("avisos"), default=list, blank=True)
    muestra = models.JSONField(_("renglones de muestra"), default=list, blank=True)
    resumen = models.JSONField(_("resumen"), default=dict, blank=True)
    importados = models.PositiveIntegerField(_("casos importados"), default=0)
    error = models.TextField(_("falla"), blank=True)
    intentos = models.PositiveSmallIntegerField(default=0)
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subió"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creada_en = models.DateTimeField(_("subida el"), default=timezone.now)
    revisada_en = models.DateTimeField(_("revisada el"), null=True, blank=True)
    pedida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("importó"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pedida_en = models.DateTimeField(_("pedida el"), null=True, blank=True)
    reclamada_en = models.DateTimeField(null=True, blank=True)
    terminada_en = models.DateTimeField(_("terminada el"), null=True, blank=True)
    segundos = models.FloatField(_("duración (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("importación de registro anterior")
        verbose_name_plural = _("importaciones de registros anteriores")
        ordering = ["-creada_en", "-id"]
        permissions = [
            ("importar_registros", _("Puede importar registros anteriores de casos")),
        ]
        indexes = [models.Index(fields=["estado", "pedida_en"], name="importacion_estado_idx")]

    def __str__(self):
        return f"{self.nombre_archivo} ({self.get_estado_display()})"

    @property
    def en_curso(self) -> bool:
        return self.estado in (EstadoImportacion.EN_COLA, EstadoImportacion.IMPORTANDO)

    @property
    def editable(self) -> bool:
        """Si aún se pueden cambiar las columnas o pedir la importación."""
        return self.estado in (
            EstadoImportacion.SUBIDA,
            EstadoImportacion.CON_ERRORES,
            EstadoImportacion.LISTA,
            EstadoImportacion.FALLIDA,
        )


class CasoImportado(models.Model):
    """De qué importación y de qué renglón del archivo vino cada caso."""

    caso = models.OneToOneField(Caso, on_delete=models.CASCADE, related_name="importado")
    importacion = models.ForeignKey(
        Importacion, on_delete=models.PROTECT, related_name="casos_importados"
    )
    renglon = models.PositiveIntegerField(_("renglón"))
    entrada = models.CharField(_("entró en"), max_length=30)

    class Meta:
        verbose_name = _("caso importado")
        verbose_name_plural = _("casos importados")
        ordering = ["importacion", "renglon"]

    def __str__(self):
        return f"{self.importacion_id}:{self.renglon} → {self.caso_id}"
