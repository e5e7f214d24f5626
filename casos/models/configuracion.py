"""Configuración del centro y catálogos editables: todo lo que cambia de un municipio a otro."""

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nucleo.memoria import DelProceso


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


class Articulo(models.TextChoices):
    """El artículo que el nombre del centro lleva en una frase («la Dirección de…»)."""

    LA = "la", _("la (la Dirección de…)")
    EL = "el", _("el (el Centro de…)")
    LAS = "las", _("las (las Oficinas de…)")
    LOS = "los", _("los (los Servicios de…)")
    NINGUNO = "", _("ninguno (nombre propio)")


class Centro(models.Model):
    """Datos del centro de mediación que opera el sistema (un solo renglón, pk=1)."""

    nombre = models.CharField(_("nombre del centro"), max_length=200)
    articulo = models.CharField(
        _("artículo del nombre"),
        max_length=3,
        choices=Articulo.choices,
        blank=True,
        default="",
        help_text=_(
            "Cómo se dice en los documentos: «la Dirección de…», «el Centro de…». Sin "
            "artículo si el nombre no lo admite."
        ),
    )
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
    autoridad_garante = models.CharField(
        _("autoridad garante de datos personales"),
        max_length=300,
        blank=True,
        help_text=_(
            "Ante quién se interpone el recurso de revisión contra una respuesta ARCO (en "
            "Jalisco, desde 2025, la Contraloría del Estado) [por confirmar]."
        ),
    )
    unidad_transparencia = models.CharField(
        _("unidad de transparencia"),
        max_length=300,
        blank=True,
        help_text=_("Dónde se presentan en persona las solicitudes ARCO y los recursos."),
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

    @property
    def con_articulo(self) -> str:
        """El nombre como va en una frase: «la Dirección de Vinculación Ciudadana»."""
        return f"{self.articulo} {self.nombre}" if self.articulo else self.nombre

    @property
    def de_con_articulo(self) -> str:
        """Tras «de»: «de la Dirección…», «del Centro…» (de + el se contrae)."""
        if self.articulo == Articulo.EL:
            return f"del {self.nombre}"
        return f"de {self.con_articulo}"

    @classmethod
    def actual(cls) -> "Centro":
        """El renglón de la oficina (o uno provisional si aún no se captura). Cada página lo
        pide: sale de la memoria del proceso (`nucleo.memoria`), y cada quien recibe su propia
        copia, que puede modificar sin tocar la de los demás."""
        guardado = _centro_guardado()
        if guardado is None:
            return cls(nombre="Centro de mediación", articulo=Articulo.EL, municipio="", entidad="")
        base, campos, valores = guardado
        return cls.from_db(base, campos, valores)


def _leer_centro(_clave=None) -> tuple[str, list[str], tuple] | None:
    """Los valores tal como salen de la base (texto, también el del logo): con ellos, cada
    `actual()` arma un modelo nuevo, igual que una lectura."""
    campos = [f.attname for f in Centro._meta.concrete_fields]
    consulta = Centro.objects.filter(pk=1).values_list(*campos)
    valores = consulta.first()
    return None if valores is None else (consulta.db, campos, valores)


_centro_guardado = DelProceso(_leer_centro)


class PerfilPersonal(models.Model):
    """Lo de una cuenta del personal que va en los documentos: el cargo bajo su firma."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta"),
        on_delete=models.CASCADE,
        related_name="perfil_personal",
    )
    cargo = models.CharField(
        _("cargo"),
        max_length=150,
        blank=True,
        help_text=_(
            "Como va bajo su firma en los oficios: «Coordinadora de mediación», «Asesor jurídico»."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cargo en los documentos")
        verbose_name_plural = _("cargos en los documentos")

    def __str__(self):
        return self.cargo


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


# --- Plazos legales e internos: cifras fechadas -------------------------------------------


class UnidadPlazo(models.TextChoices):
    DIAS_HABILES = "dias_habiles", _("días hábiles")
    MESES = "meses", _("meses")
    VECES = "veces", _("veces")


class ClavePlazo(models.TextChoices):
    """Los plazos y límites del procedimiento que son cifras configurables (las mismas claves
    que `settings.PLAZOS`, que da los valores de una instalación nueva)."""

    NO_ADMISION_AVISO_DIAS_HABILES = (
        "NO_ADMISION_AVISO_DIAS_HABILES",
        _("Aviso de no admisión"),
    )
    INVITACION_DIAS_HABILES = "INVITACION_DIAS_HABILES", _("Invitación a la otra parte")
    INVITACION_INTENTOS = "INVITACION_INTENTOS", _("Intentos de invitación")
    DURACION_MAXIMA_MESES = "DURACION_MAXIMA_MESES", _("Duración máxima del procedimiento")
    DIFERIMIENTOS_MAXIMOS = "DIFERIMIENTOS_MAXIMOS", _("Diferimientos de una sesión")
    INASISTENCIAS_CONSECUTIVAS = (
        "INASISTENCIAS_CONSECUTIVAS",
        _("Inasistencias consecutivas que concluyen el procedimiento"),
    )
    REGISTRO_ENVIO_DIAS_HABILES = (
        "REGISTRO_ENVIO_DIAS_HABILES",
        _("Envío del convenio a registro"),
    )
    REGISTRO_RESPUESTA_DIAS_HABILES = (
        "REGISTRO_RESPUESTA_DIAS_HABILES",
        _("Respuesta del registro"),
    )
    PREVENCION_DIAS_HABILES = "PREVENCION_DIAS_HABILES", _("Corrección de una prevención")
    ASESORIA_PRIMER_CONTACTO_DIAS_HABILES = (
        "ASESORIA_PRIMER_CONTACTO_DIAS_HABILES",
        _("Primer contacto (y revisión de la solicitud)"),
    )
    ASESORIA_RESOLUCION_DIAS_HABILES = (
        "ASESORIA_RESOLUCION_DIAS_HABILES",
        _("Resolución de la asesoría"),
    )
    POR_VENCER_DIAS_HABILES = "POR_VENCER_DIAS_HABILES", _("Anticipación del aviso «por vencer»")
    # Derechos ARCO (LGPDPPSO, 2025). Los artículos están [por confirmar]: son datos.
    ARCO_RESPUESTA_DIAS_HABILES = "ARCO_RESPUESTA_DIAS_HABILES", _("Respuesta a una solicitud ARCO")
    ARCO_AMPLIACION_DIAS_HABILES = (
        "ARCO_AMPLIACION_DIAS_HABILES",
        _("Ampliación del plazo de respuesta ARCO"),
    )
    ARCO_REQUERIMIENTO_DIAS_HABILES = (
        "ARCO_REQUERIMIENTO_DIAS_HABILES",
        _("Pedir información a quien presenta una solicitud ARCO"),
    )
    ARCO_DESAHOGO_DIAS_HABILES = (
        "ARCO_DESAHOGO_DIAS_HABILES",
        _("Entrega de la información pedida (solicitud ARCO)"),
    )
    ARCO_EFECTIVIDAD_DIAS_HABILES = (
        "ARCO_EFECTIVIDAD_DIAS_HABILES",
        _("Hacer efectivo un derecho ARCO procedente"),
    )
    ARCO_RECURSO_DIAS_HABILES = (
        "ARCO_RECURSO_DIAS_HABILES",
        _("Interponer el recurso de revisión"),
    )


class DefinicionPlazo:
    """Lo fijo de cada plazo: su unidad (el cálculo depende de ella), de dónde viene por
    omisión y qué cifras admite. La cifra, su nombre visible y su fundamento son datos."""

    # Tope contra errores de captura: un plazo de un millón de días hábiles no es un plazo.
    MAXIMOS = {UnidadPlazo.DIAS_HABILES: 365, UnidadPlazo.MESES: 36, UnidadPlazo.VECES: 10}

    def __init__(self, unidad: str, fundamento: str, minimo: int):
        self.unidad = unidad
        self.fundamento = fundamento
        self.minimo = minimo
        self.maximo = self.MAXIMOS[unidad]


_DIAS, _MESES, _VECES = UnidadPlazo.DIAS_HABILES, UnidadPlazo.MESES, UnidadPlazo.VECES
_INTERNO = _("Plazo interno del centro")
DEFINICIONES_PLAZO: dict[str, DefinicionPlazo] = {
    ClavePlazo.NO_ADMISION_AVISO_DIAS_HABILES: DefinicionPlazo(_DIAS, "LGMASC art. 66", 0),
    ClavePlazo.INVITACION_DIAS_HABILES: DefinicionPlazo(_DIAS, "LGMASC art. 69", 0),
    ClavePlazo.INVITACION_INTENTOS: DefinicionPlazo(_VECES, _("Práctica del centro"), 1),
    ClavePlazo.DURACION_MAXIMA_MESES: DefinicionPlazo(_MESES, "LGMASC art. 64", 1),
    ClavePlazo.DIFERIMIENTOS_MAXIMOS: DefinicionPlazo(_VECES, "LGMASC art. 76", 1),
    ClavePlazo.INASISTENCIAS_CONSECUTIVAS: DefinicionPlazo(_VECES, "LGMASC art. 78", 1),
    ClavePlazo.REGISTRO_ENVIO_DIAS_HABILES: DefinicionPlazo(_DIAS, "LGMASC art. 98", 0),
    ClavePlazo.REGISTRO_RESPUESTA_DIAS_HABILES: DefinicionPlazo(_DIAS, "LGMASC arts. 103-111", 0),
    ClavePlazo.PREVENCION_DIAS_HABILES: DefinicionPlazo(_DIAS, "LGMASC arts. 103-111", 0),
    ClavePlazo.ASESORIA_PRIMER_CONTACTO_DIAS_HABILES: DefinicionPlazo(_DIAS, _INTERNO, 0),
    ClavePlazo.ASESORIA_RESOLUCION_DIAS_HABILES: DefinicionPlazo(_DIAS, _INTERNO, 0),
    ClavePlazo.POR_VENCER_DIAS_HABILES: DefinicionPlazo(_DIAS, _INTERNO, 0),
    ClavePlazo.ARCO_RESPUESTA_DIAS_HABILES: DefinicionPlazo(
        _DIAS, _("LGPDPPSO art. 45 [por confirmar]"), 1
    ),
    ClavePlazo.ARCO_AMPLIACION_DIAS_HABILES: DefinicionPlazo(
        _DIAS, _("LGPDPPSO art. 45 [por confirmar]"), 0
    ),
    ClavePlazo.ARCO_REQUERIMIENTO_DIAS_HABILES: DefinicionPlazo(
        _DIAS, _("LGPDPPSO art. 46 [por confirmar]"), 1
    ),
    ClavePlazo.ARCO_DESAHOGO_DIAS_HABILES: DefinicionPlazo(
        _DIAS, _("LGPDPPSO art. 46 [por confirmar]"), 1
    ),
    ClavePlazo.ARCO_EFECTIVIDAD_DIAS_HABILES: DefinicionPlazo(
        _DIAS, _("LGPDPPSO art. 45 [por confirmar]"), 1
    ),
    ClavePlazo.ARCO_RECURSO_DIAS_HABILES: DefinicionPlazo(
        _DIAS, _("LGPDPPSO, recurso de revisión [por confirmar]"), 1
    ),
}

# Publicación de la LGMASC en el DOF: desde ahí rigen los valores iniciales de una instalación.
PUBLICACION_LGMASC = date(2024, 1, 26)


def texto_de_cifra(valor: int, unidad: str) -> str:
    """«5 días hábiles», «1 mes», «2 veces»."""
    if unidad == UnidadPlazo.DIAS_HABILES:
        return ngettext("%(n)d día hábil", "%(n)d días hábiles", valor) % {"n": valor}
    if unidad == UnidadPlazo.MESES:
        return ngettext("%(n)d mes", "%(n)d meses", valor) % {"n": valor}
    return ngettext("%(n)d vez", "%(n)d veces", valor) % {"n": valor}


class ValorDePlazo(models.Model):
    """La cifra de un plazo desde una fecha. A un caso le rige, para cada plazo, el renglón
    más reciente cuya vigencia empezó a más tardar en su fecha de plazos (el día en que se
    recibió, o el día en que la coordinación le recalculó los plazos); sin renglón, manda
    `settings.PLAZOS`. Lo ve y lo usa `casos.cifras`.

    Un renglón no cambia a casos ya recibidos: su vigencia empieza hoy (si hoy aún no se
    recibe ningún caso) o después, y deja de poder editarse o borrarse en cuanto rige."""

    clave = models.CharField(_("plazo"), max_length=60, choices=ClavePlazo.choices)
    etiqueta = models.CharField(
        _("nombre visible"),
        max_length=150,
        blank=True,
        help_text=_("Vacío: el de la cifra anterior de este plazo."),
    )
    fundamento = models.CharField(
        _("fundamento"),
        max_length=200,
        blank=True,
        help_text=_(
            "Artículo o fuente de la cifra, p. ej. «LGMASC art. 69» o el acuerdo que la fija. "
            "Vacío: el de la cifra anterior de este plazo."
        ),
    )
    unidad = models.CharField(
        _("unidad"), max_length=15, choices=UnidadPlazo.choices, editable=False
    )
    valor = models.PositiveIntegerField(_("cifra"))
    vigente_desde = models.DateField(
        _("rige para casos recibidos desde"),
        help_text=_(
            "Los casos recibidos antes conservan su cifra, salvo que la coordinación les "
            "recalcule los plazos."
        ),
    )
    motivo = models.TextField(_("motivo u observaciones"), max_length=1000)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registró"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    creado_en = models.DateTimeField(_("registrada el"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("cifra de plazo")
        verbose_name_plural = _("cifras de plazos")
        ordering = ["clave", "-vigente_desde", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clave__in=ClavePlazo.values),
                name="valor_de_plazo_clave_conocida",
                violation_error_message=_("Ese plazo no existe."),
            )
        ]

    def __str__(self):
        return _("%(plazo)s: %(cifra)s desde el %(fecha)s") % {
            "plazo": self.etiqueta or ClavePlazo(self.clave).label,
            "cifra": self.cifra_en_texto,
            "fecha": f"{self.vigente_desde:%d/%m/%Y}",
        }

    def save(self, *args, **kwargs):
        self.completar()
        super().save(*args, **kwargs)

    @property
    def definicion(self) -> DefinicionPlazo:
        return DEFINICIONES_PLAZO[self.clave]

    @property
    def cifra_en_texto(self) -> str:
        return texto_de_cifra(self.valor, self.unidad or self.definicion.unidad)

    def anterior(self) -> "ValorDePlazo | None":
        """La cifra del mismo plazo que regía antes de esta (de ahí salen el nombre y el
        fundamento que se dejan vacíos)."""
        otras = ValorDePlazo.objects.filter(clave=self.clave).exclude(pk=self.pk)
        if self.vigente_desde:
            otras = otras.filter(vigente_desde__lte=self.vigente_desde)
        return otras.order_by("-vigente_desde", "-id").first()

    def ya_rige(self, hoy: date | None = None) -> bool:
        """Si la cifra ya pudo aplicarse a algún caso: su vigencia empezó antes de hoy, o
        empieza hoy y hoy ya hay casos con sus plazos de hoy."""
        hoy = hoy or timezone.localdate()
        if self.vigente_desde < hoy:
            return True
        return self.vigente_desde == hoy and _hay_casos_con_plazos_de(hoy)

    def completar(self) -> None:
        """Unidad (la del plazo, nunca otra) y, si quedaron vacíos, nombre y fundamento de la
        cifra anterior o de la definición del plazo."""
        definicion = self.definicion
        self.unidad = definicion.unidad
        if not (self.etiqueta and self.fundamento):
            previa = self.anterior()
            self.etiqueta = self.etiqueta or (
                previa.etiqueta if previa else str(ClavePlazo(self.clave).label)
            )
            self.fundamento = self.fundamento or (
                previa.fundamento if previa else str(definicion.fundamento)
            )

    def clean(self):
        super().clean()
        if self.clave not in DEFINICIONES_PLAZO:
            raise ValidationError({"clave": gettext("Elija uno de los plazos de la lista.")})
        self._validar_cifra()
        self._validar_vigencia()
        self.completar()

    def _validar_cifra(self) -> None:
        definicion = self.definicion
        if self.valor is None:
            return
        if not definicion.minimo <= self.valor <= definicion.maximo:
            raise ValidationError(
                {
                    "valor": gettext(
                        "«%(plazo)s» admite de %(min)s a %(max)s; se escribió %(valor)d."
                    )
                    % {
                        "plazo": ClavePlazo(self.clave).label,
                        "min": texto_de_cifra(definicion.minimo, definicion.unidad),
                        "max": texto_de_cifra(definicion.maximo, definicion.unidad),
                        "valor": self.valor,
                    }
                }
            )

    def _validar_vigencia(self) -> None:
        if self.vigente_desde is None:
            return
        hoy = timezone.localdate()
        if self.pk:
            guardada = ValorDePlazo.objects.filter(pk=self.pk).first()
            if guardada is not None and guardada.ya_rige(hoy):
                raise ValidationError(
                    gettext(
                        "Esta cifra ya rige casos y no se modifica: registre una nueva con su "
                        "fecha de vigencia."
                    )
                )
        if self.vigente_desde < hoy:
            raise ValidationError(
                {
                    "vigente_desde": gettext(
                        "La vigencia no puede empezar antes de hoy: los casos ya recibidos "
                        "conservan sus plazos. Para aplicar las cifras de hoy a casos abiertos, "
                        "use «Recalcular plazos»."
                    )
                }
            )
        if self.vigente_desde == hoy and _hay_casos_con_plazos_de(hoy):
            raise ValidationError(
                {
                    "vigente_desde": gettext(
                        "Hoy ya se recibieron casos con las cifras actuales: la nueva puede regir "
                        "desde mañana (o recalcule después los plazos de los casos de hoy)."
                    )
                }
            )


def _hay_casos_con_plazos_de(dia: date) -> bool:
    """Si algún caso tiene sus plazos según `dia` o un día posterior (recibido ese día sin
    recálculo, o recalculado ese día)."""
    from .expediente import Caso

    inicio = timezone.make_aware(datetime.combine(dia, time.min))
    return Caso.objects.filter(
        models.Q(plazos_segun__gte=dia)
        | models.Q(plazos_segun__isnull=True, recibido_en__gte=inicio)
    ).exists()
