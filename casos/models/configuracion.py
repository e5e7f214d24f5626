"""Configuración del centro y catálogos editables: todo lo que cambia de un municipio a otro."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def exigir_pixeles(archivo, *, maximo_mp: int, que: str, consejo: str) -> None:
    """Error de validación si la imagen pasa de `maximo_mp` megapíxeles; lo que no es imagen
    no se revisa aquí. Solo se lee la cabecera (Pillow sin `load()`): un PNG de 140 KB puede
    medir 144 megapíxeles y ocupar cientos de MB en memoria al decodificarse."""
    from PIL import Image, UnidentifiedImageError

    posicion = archivo.tell()
    try:
        archivo.seek(0)
        with Image.open(archivo) as imagen:
            medidas = imagen.size
    except Image.DecompressionBombError:
        medidas = None  # más de 2 × MAX_IMAGE_PIXELS: Pillow ni siquiera la abre
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return
    finally:
        archivo.seek(posicion)
    if medidas is not None and medidas[0] * medidas[1] <= maximo_mp * 1_000_000:
        return
    maximo = ngettext(
        "el máximo es %(max)d megapíxel", "el máximo es %(max)d megapíxeles", maximo_mp
    ) % {"max": maximo_mp}
    if medidas is None:
        tope = 2 * (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
        mide = gettext("%(que)s mide más de %(tope)d megapíxeles") % {"que": que, "tope": tope}
    else:
        mide = gettext("%(que)s mide %(ancho)d × %(alto)d píxeles (%(mp).0f megapíxeles)") % {
            "que": que,
            "ancho": medidas[0],
            "alto": medidas[1],
            "mp": medidas[0] * medidas[1] / 1e6,
        }
    raise ValidationError(f"{mide}; {maximo}. {consejo}", code="pixeles")


def validar_logo(archivo) -> None:
    """Validador del logotipo: solo lo recién subido (lo ya guardado se revisó al subirlo)."""
    if getattr(archivo, "_committed", False):
        return
    exigir_pixeles(
        archivo,
        maximo_mp=settings.LOGO_MAX_MEGAPIXELES,
        que=gettext("El logotipo"),
        consejo=gettext("Suba una versión más pequeña (unos 1000 píxeles de ancho bastan)."),
    )


class Centro(models.Model):
    """Datos del centro de mediación que opera el sistema (un solo renglón, pk=1)."""

    nombre = models.CharField(_("nombre del centro"), max_length=200)
    dependencia = models.CharField(_("dependencia"), max_length=200, blank=True)
    municipio = models.CharField(_("municipio"), max_length=120)
    entidad = models.CharField(_("entidad federativa"), max_length=120)
    domicilio = models.CharField(_("domicilio"), max_length=300, blank=True)
    telefono = models.CharField(_("teléfono de atención"), max_length=40, blank=True)
    correo = models.EmailField(_("correo de atención"), blank=True)
    horario = models.CharField(_("horario de atención"), max_length=200, blank=True)
    sitio_web = models.URLField(_("dirección pública del sistema"), blank=True)
    logo = models.ImageField(
        _("logotipo"), upload_to="centro/", blank=True, validators=[validar_logo]
    )
    acreditacion = models.CharField(
        _("acreditación del centro"),
        max_length=300,
        blank=True,
        help_text=_("Número o referencia de acreditación ante el órgano estatal."),
    )
    autoridad_registro = models.CharField(
        _("autoridad de registro de convenios"),
        max_length=300,
        blank=True,
        help_text=_("A quién se dirigen los oficios de remisión de convenios para su registro."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centro")
        verbose_name_plural = _("centro")
        permissions = [
            (
                "administrar_oficina",
                _("Puede entrar a la administración de la oficina (sin ser superusuario)"),
            )
        ]

    def __str__(self):
        return self.nombre

    @classmethod
    def actual(cls) -> "Centro":
        centro = cls.objects.filter(pk=1).first()
        return centro or cls(nombre="Centro de mediación", municipio="", entidad="")


class AvisoPrivacidad(models.Model):
    """Versión del aviso de privacidad (LGPDPPSO). Se registra cuál aceptó cada solicitante."""

    version = models.CharField(_("versión"), max_length=30, unique=True)
    texto_simplificado = models.TextField(_("aviso simplificado"))
    guion_telefonico = models.TextField(_("guion para leer por teléfono o en módulo"), blank=True)
    texto_integral = models.TextField(_("aviso integral"), blank=True)
    url_integral = models.URLField(
        _("dirección externa del aviso integral"),
        blank=True,
        help_text=_("Opcional: si se deja vacío, el integral se muestra en /privacidad/."),
    )
    vigente_desde = models.DateField(_("vigente desde"), default=date.today)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aviso de privacidad")
        verbose_name_plural = _("avisos de privacidad")
        ordering = ["-vigente_desde", "-id"]

    def __str__(self):
        return f"{self.version} ({self.vigente_desde:%d/%m/%Y})"

    @classmethod
    def vigente(cls) -> "AvisoPrivacidad | None":
        return cls.objects.filter(vigente_desde__lte=timezone.localdate()).first()


class CatalogoQuerySet(models.QuerySet):
    def activos(self):
        return self.filter(activo=True)


class Localidad(models.Model):
    nombre = models.CharField(_("nombre"), max_length=150, unique=True)
    activo = models.BooleanField(_("activa"), default=True)
    orden = models.PositiveIntegerField(_("orden"), default=100)

    objects = CatalogoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("localidad")
        verbose_name_plural = _("localidades")
        ordering = ["orden", "nombre"]

    def __str__(self):
        return self.nombre


class TipoCaso(models.TextChoices):
    MEDIACION = "MED", _("Mediación")
    ASESORIA = "ASE", _("Asesoría")


class Categoria(models.Model):
    nombre = models.CharField(_("nombre"), max_length=150)
    tipo = models.CharField(
        _("se usa en"),
        max_length=3,
        choices=TipoCaso.choices,
        blank=True,
        help_text=_("Vacío: en mediación y en asesoría."),
    )
    descripcion = models.CharField(_("descripción para el ciudadano"), max_length=300, blank=True)
    canalizar = models.BooleanField(
        _("se canaliza, no se media"),
        default=False,
        help_text=_("Materias no mediables (LGMASC art. 79): violencia contra las mujeres, penal…"),
    )
    activo = models.BooleanField(_("activa"), default=True)
    orden = models.PositiveIntegerField(_("orden"), default=100)

    objects = CatalogoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")
        ordering = ["orden", "nombre"]
        constraints = [
            models.UniqueConstraint(fields=["nombre", "tipo"], name="categoria_nombre_tipo_unica")
        ]

    def __str__(self):
        return self.nombre


class Modulo(models.Model):
    """Una jornada de un módulo de atención itinerante: lugar y fecha."""

    nombre = models.CharField(_("nombre"), max_length=150)
    lugar = models.CharField(_("lugar"), max_length=250)
    localidad = models.ForeignKey(
        Localidad, verbose_name=_("localidad"), on_delete=models.PROTECT, related_name="+"
    )
    fecha = models.DateField(_("fecha"))
    activo = models.BooleanField(_("activo"), default=True)

    objects = CatalogoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("módulo itinerante")
        verbose_name_plural = _("módulos itinerantes")
        ordering = ["-fecha", "nombre"]

    def __str__(self):
        return f"{self.nombre} — {self.lugar}, {self.localidad} ({self.fecha:%d/%m/%Y})"


class DiaInhabilQuerySet(models.QuerySet):
    def en_rango(self, desde, hasta):
        return self.filter(fecha_inicio__lte=hasta, fecha_fin__gte=desde)


class DiaInhabil(models.Model):
    """Día o periodo inhábil del municipio (Semana Santa, 2 de noviembre, vacaciones,
    jornada electoral…). Los de descanso obligatorio de la LFT se calculan solos."""

    fecha_inicio = models.DateField(_("desde"))
    fecha_fin = models.DateField(_("hasta (inclusive)"))
    motivo = models.CharField(_("motivo"), max_length=150)

    objects = DiaInhabilQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("día inhábil del municipio")
        verbose_name_plural = _("días inhábiles del municipio")
        ordering = ["-fecha_inicio"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fecha_fin__gte=models.F("fecha_inicio")),
                name="dia_inhabil_rango_valido",
                violation_error_message=_("La fecha final no puede ser anterior a la inicial."),
            )
        ]

    def __str__(self):
        if self.fecha_inicio == self.fecha_fin:
            return f"{self.fecha_inicio:%d/%m/%Y} — {self.motivo}"
        return f"{self.fecha_inicio:%d/%m/%Y} a {self.fecha_fin:%d/%m/%Y} — {self.motivo}"


class Sala(models.Model):
    """Lugar donde se celebran sesiones (para evitar que dos sesiones choquen)."""

    nombre = models.CharField(_("nombre"), max_length=120, unique=True)
    ubicacion = models.CharField(
        _("lugar"),
        max_length=250,
        blank=True,
        help_text=_("Edificio, piso o dirección donde está la sala."),
    )
    capacidad = models.PositiveSmallIntegerField(
        _("capacidad (personas)"),
        default=4,
        validators=[MinValueValidator(1)],
        help_text=_("Cuántas personas caben sentadas, contando a quien facilita."),
    )
    activo = models.BooleanField(_("activa"), default=True)

    objects = CatalogoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sala")
        verbose_name_plural = _("salas")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre


class DiaSemana(models.IntegerChoices):
    LUNES = 0, _("lunes")
    MARTES = 1, _("martes")
    MIERCOLES = 2, _("miércoles")
    JUEVES = 3, _("jueves")
    VIERNES = 4, _("viernes")
    SABADO = 5, _("sábado")
    DOMINGO = 6, _("domingo")


class HorarioSala(models.Model):
    """Un intervalo en que la sala está disponible un día de la semana. Un día puede tener
    varios (mañana y tarde), sin traslaparse."""

    sala = models.ForeignKey(Sala, on_delete=models.CASCADE, related_name="horarios")
    dia_semana = models.PositiveSmallIntegerField(_("día"), choices=DiaSemana.choices)
    abre = models.TimeField(_("abre"))
    cierra = models.TimeField(_("cierra"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("horario de la sala")
        verbose_name_plural = _("horarios de la sala")
        ordering = ["sala", "dia_semana", "abre"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(abre__lt=models.F("cierra")),
                name="horario_sala_abre_antes_de_cerrar",
                violation_error_message=_("La hora de apertura debe ser anterior a la de cierre."),
            )
        ]

    def __str__(self):
        return f"{self.get_dia_semana_display()} {self.abre:%H:%M}–{self.cierra:%H:%M}"


def traslapes_de_horario(intervalos) -> list[str]:
    """Mensajes de los intervalos (dia_semana, abre, cierra) que se enciman el mismo día.
    Dos intervalos que solo se tocan (uno cierra 14:00 y el otro abre 14:00) no chocan."""
    por_dia: dict[int, list] = {}
    for dia, abre, cierra in intervalos:
        por_dia.setdefault(dia, []).append((abre, cierra))
    errores = []
    for dia in sorted(por_dia):
        ordenados = sorted(por_dia[dia])
        for (abre1, cierra1), (abre2, cierra2) in zip(ordenados, ordenados[1:], strict=False):
            if abre2 < cierra1:
                errores.append(
                    gettext("El %(dia)s, %(a)s–%(b)s se encima con %(c)s–%(d)s.")
                    % {
                        "dia": DiaSemana(dia).label,
                        "a": f"{abre1:%H:%M}",
                        "b": f"{cierra1:%H:%M}",
                        "c": f"{abre2:%H:%M}",
                        "d": f"{cierra2:%H:%M}",
                    }
                )
    return errores
