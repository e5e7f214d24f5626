"""Configuración única, leída de variables de entorno.

Sin ninguna variable el proyecto corre completo en una máquina (SQLite, correo a consola).
Producción solo cambia variables: ver `.env.example`.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from nucleo.seguridad import hashes_de_estilos

BASE_DIR = Path(__file__).resolve().parent.parent
# Datos locales de esta instalación (SQLite, broker en archivos, archivos subidos, estáticos
# reunidos, agenda del beat y PID de la demo). Otra carpeta deja intacto el var/ del proyecto:
# una segunda copia o las pruebas no pisan la demo. Relativa, se toma desde BASE_DIR.
DATOS_DIR = BASE_DIR / (os.getenv("DATOS_DIR") or "var")


def envbool(name: str, default: str = "False") -> bool:
    valor = os.getenv(name, default).strip().lower()
    if valor in ("1", "true", "yes", "si", "sí", "on"):
        return True
    if valor in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(
        f"La variable {name} debe ser verdadero o falso; se recibió {valor!r}."
    )


def envint(name: str, default: int) -> int:
    valor = os.getenv(name)
    if valor is None or valor.strip() == "":
        return default
    try:
        return int(valor)
    except ValueError:
        raise ImproperlyConfigured(
            f"La variable {name} debe ser un número entero; se recibió {valor!r}."
        ) from None


def envlist(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.getenv(name, default).split(",") if v.strip()]


CLAVE_DEMO = "demo-inseguro-no-usar-en-produccion"
SECRET_KEY = os.getenv("SECRET_KEY", CLAVE_DEMO)
DEBUG = envbool("DEBUG", "True")
if not DEBUG and SECRET_KEY == CLAVE_DEMO:
    raise ImproperlyConfigured(
        "DEBUG=False con la clave de demostración: defina SECRET_KEY con un valor secreto "
        "propio (por ejemplo: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
if not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY es demasiado corta: use al menos 32 caracteres.")

# Clave para derivar los códigos de consulta (HMAC). Por omisión se deriva de SECRET_KEY;
# si se define aparte, rotar SECRET_KEY no invalida los códigos ya entregados.
CODIGO_CONSULTA_CLAVE = os.getenv("CODIGO_CONSULTA_CLAVE", "") or SECRET_KEY

# Acceso por necesidad de saber (casos/acceso.py): cuántas horas vale un acceso excepcional
# motivado, y si la IP de la bitácora se toma de X-Forwarded-For (solo detrás del proxy propio).
ACCESO_EXCEPCIONAL_HORAS = envint("ACCESO_EXCEPCIONAL_HORAS", 8)
# Cuántos minutos ve los datos bloqueados de un caso quien los reveló con motivo.
DATOS_BLOQUEADOS_MINUTOS = envint("DATOS_BLOQUEADOS_MINUTOS", 30)
BITACORA_IP_DEL_PROXY = envbool("BITACORA_IP_DEL_PROXY", "False")
# Cómo sale un archivo del expediente, siempre tras la política: "django" (la vista lo lee),
# "x-accel-redirect" (nginx, con una location `internal` en ARCHIVOS_PREFIJO_INTERNO que
# apunta a MEDIA_ROOT) o "x-sendfile" (Apache mod_xsendfile).
ARCHIVOS_ENTREGA = os.getenv("ARCHIVOS_ENTREGA", "django")
if ARCHIVOS_ENTREGA not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        "ARCHIVOS_ENTREGA debe ser django, x-accel-redirect o x-sendfile "
        f"(se recibió {ARCHIVOS_ENTREGA!r})."
    )
ARCHIVOS_PREFIJO_INTERNO = os.getenv("ARCHIVOS_PREFIJO_INTERNO", "/_archivos/")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "simple_history",
    "casos",
    "cuentas",
    "portal",
    "api",
    "open311",
    "flujos",
    "notificaciones",
    "agenda",
    "plantillas",
    "oficina",
    "importacion",
    "operacion",
    "estadistica",
    "privacidad",
    "comunidad",
    "modulos",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Después de los mensajes: al cerrar una sesión inactiva se explica por qué.
    "cuentas.middleware.SesionPorInactividad",
    "cuentas.middleware.SegundoPasoPendiente",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Un expediente fuera del alcance de quien lo pide: la página de acceso excepcional.
    "casos.middleware.AccesoExcepcionalMiddleware",
    # Quién hizo cada cambio que guarda la historia de los catálogos y las cuentas.
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Al final, como pide django-axes: convierte el bloqueo en la página en español.
    "axes.middleware.AxesMiddleware",
]

# viewflow agrega por su cuenta middlewares de su propio frontend (sitio, Hotwire Turbo);
# este proyecto usa solo su motor de flujos y sus propias pantallas.
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "nucleo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casos.context_processors.centro",
                "notificaciones.context_processors.trabajo_en_segundo_plano",
                "oficina.context_processors.certificaciones",
            ],
            "libraries": {"legible": "nucleo.legible"},
        },
    },
]

# Base de datos: SQLite embebida por omisión; DATABASE_URL para PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATOS_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL y transacciones IMMEDIATE: los escritores se forman en fila en vez de chocar,
    # así el contador de folios es seguro también en la demo embebida.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL reiniciado: la conexión persistente que murió se revisa antes de usarla y se
    # reabre (el mismo gunicorn sigue sin reiniciarse). Con la base inalcanzable, una petición
    # espera a lo más 3 s por conexión y responde 503 (`?connect_timeout=N` en DATABASE_URL
    # cambia la espera).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Las lecturas públicas más pedidas (`nucleo/compiladas.py`) van con los parámetros aparte
    # y psycopg las prepara en la conexión a la quinta vez: la base deja de planearlas en cada
    # petición. Detrás de un pgbouncer en modo «transaction» sin sentencias preparadas
    # (anterior a 1.21, o con max_prepared_statements=0), BD_SENTENCIAS_PREPARADAS=false. El
    # resto del ORM no se prepara nunca.
    DATABASES["default"]["OPTIONS"].setdefault(
        "prepare_threshold", 5 if envbool("BD_SENTENCIAS_PREPARADAS", "True") else None
    )
# Base de datos o broker caídos: cada página responde 503 con `Retry-After` de estos segundos
# (HTML, JSON de la API o error de Open311; config/urls.py). Las páginas se recargan solas.
REINTENTO_SEGUNDOS = envint("REINTENTO_SEGUNDOS", 30)
if REINTENTO_SEGUNDOS < 1:
    raise ImproperlyConfigured("REINTENTO_SEGUNDOS debe ser de al menos 1.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caché local por proceso: nada de lo que debe compartirse entre procesos vive en la caché
# (los límites de intentos tienen su tabla; los candados de flujos usan la base).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "casos:buscar"
LOGOUT_REDIRECT_URL = "login"

# --- Cuentas del personal: contraseñas, bloqueos, segundo paso y sesiones ---
CONTRASENA_LONGITUD_MINIMA = envint("CONTRASENA_LONGITUD_MINIMA", 12)
if CONTRASENA_LONGITUD_MINIMA < 8:
    raise ImproperlyConfigured("CONTRASENA_LONGITUD_MINIMA debe ser de al menos 8.")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": CONTRASENA_LONGITUD_MINIMA},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# El enlace para restablecer la contraseña vale una hora (y un solo uso).
PASSWORD_RESET_TIMEOUT = 3600
# Pedidos de enlace de restablecimiento por IP y por correo en la ventana (segundos).
RECUPERACION_LIMITE_IP = 10
RECUPERACION_LIMITE_CORREO = 3
RECUPERACION_VENTANA = 3600

# Bloqueo tras intentos fallidos (django-axes): por cuenta y, con un límite mayor porque una
# oficina entera sale a internet por una sola IP, por conexión.
AUTHENTICATION_BACKENDS = [
    "cuentas.bloqueos.BackendConBloqueo",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("CUENTAS_FALLOS_LIMITE", 5)
CUENTAS_FALLOS_LIMITE_IP = envint("CUENTAS_FALLOS_LIMITE_IP", 20)
AXES_COOLOFF_TIME = timedelta(minutes=envint("CUENTAS_BLOQUEO_MINUTOS", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "cuentas.bloqueos.ManejadorDeBloqueos"
AXES_CLIENT_IP_CALLABLE = "cuentas.bloqueos.ip_del_cliente"
AXES_LOCKOUT_CALLABLE = "cuentas.bloqueos.pagina_de_bloqueo"
# Un intento más durante el bloqueo no lo alarga: cuenta desde el último fallo que bloqueó.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Sin el aviso de arranque de axes en cada comando; los bloqueos se registran igual.
AXES_VERBOSE = False
AXES_COOLOFF_MESSAGE = "Acceso bloqueado por demasiados intentos fallidos. Intente más tarde."
AXES_PERMALOCK_MESSAGE = "Acceso bloqueado por demasiados intentos fallidos."
if AXES_FAILURE_LIMIT < 1 or CUENTAS_FALLOS_LIMITE_IP < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "CUENTAS_FALLOS_LIMITE debe ser al menos 1 y CUENTAS_FALLOS_LIMITE_IP no menor que él."
    )

# Verificación en dos pasos (django-otp, TOTP y códigos de recuperación): obligatoria para
# estos roles («superusuario»: quien tiene is_superuser); opcional para los demás.
_DOS_PASOS_POR_OMISION = "coordinador,direccion,privacidad,superusuario"
DOS_PASOS_OBLIGATORIO_ROLES = envlist("DOS_PASOS_OBLIGATORIO_ROLES", _DOS_PASOS_POR_OMISION)
# Tras cada código equivocado, la siguiente prueba espera el doble: 1, 2, 4, 8… segundos.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sesiones: se cierran tras SESION_INACTIVIDAD_MINUTOS sin actividad (el plazo se renueva
# con cada petición), al cerrar el navegador y, en todo caso, a las SESION_MAXIMA_HORAS.
SESION_INACTIVIDAD_MINUTOS = envint("SESION_INACTIVIDAD_MINUTOS", 30)
SESSION_COOKIE_AGE = envint("SESION_MAXIMA_HORAS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
if SESION_INACTIVIDAD_MINUTOS < 1 or SESSION_COOKIE_AGE < SESION_INACTIVIDAD_MINUTOS * 60:
    raise ImproperlyConfigured(
        "SESION_INACTIVIDAD_MINUTOS debe ser al menos 1 y caber en SESION_MAXIMA_HORAS."
    )

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATOS_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "nucleo" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "nucleo.estaticos.AppDirectoriesSinViewflow",
]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(DATOS_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Respaldos (`manage.py respaldar`, operacion/respaldos.py): carpeta donde queda cada juego
# (base, archivos de MEDIA_ROOT y manifiesto). Fuera de MEDIA_ROOT; en docker compose, el
# volumen `respaldos`.
RESPALDOS_DIR = Path(os.getenv("RESPALDOS_DIR", str(DATOS_DIR / "respaldos")))

# Seguridad en producción.
SESSION_COOKIE_SECURE = envbool("COOKIES_SEGURAS", "False" if DEBUG else "True")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("DETRAS_DE_PROXY", "False") else None
)
# Cuántos proxies de confianza agregan su entrada a X-Forwarded-For (0: no se lee). La IP
# del cliente se toma contando desde la derecha; la izquierda la escribe el propio cliente.
PROXIES_DE_CONFIANZA = envint("PROXIES_DE_CONFIANZA", 1 if envbool("DETRAS_DE_PROXY") else 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "portal.views.fallo_csrf"
X_FRAME_OPTIONS = "DENY"
DEFAULT_EXCEPTION_REPORTER_FILTER = "nucleo.secretos.FiltroDeSecretos"
# HTTPS obligatorio y HSTS (con DEBUG=False, salvo que se apaguen). Detrás de un proxy que
# termina TLS hace falta DETRAS_DE_PROXY=True: sin él cada petición parecería HTTP y la
# redirección no terminaría nunca.
SECURE_SSL_REDIRECT = envbool("REDIRIGIR_A_HTTPS", "False" if DEBUG else "True")
# La salud (/salud/) contesta también por HTTP simple: el balanceador y el healthcheck de
# docker compose la piden sin pasar por el proxy HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]
SECURE_HSTS_SECONDS = envint("HSTS_SEGUNDOS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_SUBDOMINIOS", "True")
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", "False")
# Entrar a la lista de precarga de los navegadores es una decisión del dueño del dominio y
# tarda meses en revertirse: no se pide por omisión ni se avisa por no pedirla.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Política de contenido (CSP) ---
# Solo scripts, estilos e imágenes propios: ningún <script> en línea ni atributo on*=.
# Swagger UI (/api/docs/) suma el nonce de su arranque con un decorador en config/urls.py.
_PAGINAS_DE_FALLA = [BASE_DIR / "nucleo" / "templates" / p for p in ("500.html", "503.html")]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Los únicos <style> en línea, los de las páginas 500 y 503 (sin estáticos, por si fallan).
        "style-src": [SELF, *hashes_de_estilos(*_PAGINAS_DE_FALLA)],
        # data: para el favicon vacío de la plantilla base.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "no-responder@localhost")

# Celery: Redis en producción (CELERY_BROKER_URL). Sin variable, un broker embebido en
# archivos bajo DATOS_DIR (var/) para que la demo tenga trabajos en segundo plano reales.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "filesystem://")
# Con el broker caído, cuánto espera una petición al publicar (Celery trae 4 s y el cliente de
# Redis reintenta: ~6 s por trabajo) y cuánto deja este proceso de intentar tras una falla
# (nucleo/colas.py). Lo no publicado queda pendiente en la base y lo recoge el barrido.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.getenv("CELERY_BROKER_CONNECTION_TIMEOUT", "1"))
COLAS_PAUSA_SEGUNDOS = envint("COLAS_PAUSA_SEGUNDOS", 15)
# Un solo intento al publicar: sin esto kombu reintenta la conexión con esperas de 1 s
# (~2 s por petición cada vez que vence la pausa). El worker tiene su propia política de
# reconexión (broker_connection_retry) para consumir.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 100)
CELERY_TIMEZONE = TIME_ZONE
if CELERY_BROKER_URL == "filesystem://":
    _cola = DATOS_DIR / "cola"
    # El transporte en archivos de kombu con escrituras atómicas: un archivo dañado (un
    # proceso muerto a media escritura) se aparta en cola/apartados en vez de detener al
    # worker. Lo apartado sigue pendiente en la base y lo vuelve a encolar el barrido.
    CELERY_BROKER_TRANSPORT = "nucleo.cola_archivos:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_cola),
        "data_folder_out": str(_cola),
        "processed_folder": str(_cola / "procesados"),
        # Las tablas de intercambios del broker, también bajo var/ (no en la raíz del repo).
        "control_folder": str(_cola / "control"),
        "apartados_folder": str(_cola / "apartados"),
        "store_processed": False,
    }

# PDF: tiempo máximo de un render en el worker; cuánto dura el reclamo de un worker sobre un
# documento (un render cortado a la mitad vuelve a la cola al vencer) y cada cuánto el beat
# barre lo pendiente. Un documento interrumpido se retoma a lo más en reclamo + barrido.
DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS = envint("DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS", 90)
DOCUMENTOS_RECLAMO_SEGUNDOS = envint("DOCUMENTOS_RECLAMO_SEGUNDOS", 120)
DOCUMENTOS_BARRIDO_SEGUNDOS = envint("DOCUMENTOS_BARRIDO_SEGUNDOS", 30)
if DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS < 20 or DOCUMENTOS_BARRIDO_SEGUNDOS < 1:
    raise ImproperlyConfigured(
        "DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS debe ser al menos 20 y DOCUMENTOS_BARRIDO_SEGUNDOS "
        "al menos 1."
    )
if DOCUMENTOS_RECLAMO_SEGUNDOS <= DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS:
    raise ImproperlyConfigured(
        "DOCUMENTOS_RECLAMO_SEGUNDOS debe ser mayor que DOCUMENTOS_TIEMPO_LIMITE_SEGUNDOS: un "
        "render lento pero vivo no debe perder su reclamo."
    )

# --- Salud de los workers (notificaciones/trabajadores.py) ---
# Cada worker anota su latido en la base cada TRABAJADOR_LATIDO_SEGUNDOS; una cola cuyo último
# latido con procesos vivos pasó de TRABAJADOR_SIN_LATIDO_SEGUNDOS está detenida. El beat lo
# revisa cada TRABAJADOR_REVISION_SEGUNDOS en su propio proceso (no como tarea: una tarea
# necesita un worker vivo), abre la alerta y avisa por correo a la coordinación; el personal
# de coordinación y dirección lo ve además en cada página.
TRABAJADOR_LATIDO_SEGUNDOS = envint("TRABAJADOR_LATIDO_SEGUNDOS", 15)
TRABAJADOR_SIN_LATIDO_SEGUNDOS = envint("TRABAJADOR_SIN_LATIDO_SEGUNDOS", 60)
TRABAJADOR_REVISION_SEGUNDOS = envint("TRABAJADOR_REVISION_SEGUNDOS", 60)
# La salud (/salud/, operacion/salud.py): cuánto espera la conexión al broker, desde cuánto
# sin revisión el beat se da por detenido (por omisión, 3 veces la primera espera de su
# revisión) y cuánto puede esperar lo pendiente más antiguo antes de contar como falla.
SALUD_BROKER_ESPERA_SEGUNDOS = float(os.getenv("SALUD_BROKER_ESPERA_SEGUNDOS", "1"))
SALUD_BEAT_MAX_SEGUNDOS = envint(
    "SALUD_BEAT_MAX_SEGUNDOS", 3 * max(TRABAJADOR_REVISION_SEGUNDOS, TRABAJADOR_SIN_LATIDO_SEGUNDOS)
)
SALUD_AVISO_PENDIENTE_MAX_SEGUNDOS = envint("SALUD_AVISO_PENDIENTE_MAX_SEGUNDOS", 900)
SALUD_DOCUMENTO_PENDIENTE_MAX_SEGUNDOS = envint("SALUD_DOCUMENTO_PENDIENTE_MAX_SEGUNDOS", 600)
if TRABAJADOR_LATIDO_SEGUNDOS < 1 or TRABAJADOR_REVISION_SEGUNDOS < 1:
    raise ImproperlyConfigured(
        "TRABAJADOR_LATIDO_SEGUNDOS y TRABAJADOR_REVISION_SEGUNDOS deben ser al menos 1."
    )
if TRABAJADOR_SIN_LATIDO_SEGUNDOS < 2 * TRABAJADOR_LATIDO_SEGUNDOS:
    raise ImproperlyConfigured(
        "TRABAJADOR_SIN_LATIDO_SEGUNDOS debe ser al menos el doble de TRABAJADOR_LATIDO_SEGUNDOS: "
        "un latido que se retrasa no debe dar por detenido a un worker vivo."
    )

CELERY_BEAT_SCHEDULE = {
    "temporizadores-de-flujos": {
        "task": "flujos.tasks.disparar_temporizadores",
        "schedule": 60.0,
    },
    "documentos-pendientes": {
        "task": "plantillas.tasks.barrer_documentos",
        "schedule": float(DOCUMENTOS_BARRIDO_SEGUNDOS),
    },
    # Plazos por vencer del personal y su resumen diario de trabajo vencido.
    "avisos-de-plazos": {
        "task": "notificaciones.tasks.avisos_de_plazos",
        "schedule": 900.0,
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.autenticacion.TokenAPIAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API del personal",
    "DESCRIPTION": (
        "Casos, expedientes y tareas del centro de mediación y asesoría, con los mismos "
        "permisos de rol que la interfaz web. Autenticación: `Authorization: Bearer <token>` "
        "(el token se emite con `manage.py emitir_token <usuario>`); con la sesión de la web "
        "abierta también se puede probar desde esta página. Los errores llegan en español: "
        "400 datos inválidos, 401 sin token o token inválido o revocado, 403 sin permiso, "
        "404 folio inexistente, 503 la base de datos no responde por un momento (reintente "
        "tras los segundos del encabezado `Retry-After`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_AUTHENTICATION": [],
    "PREPROCESSING_HOOKS": ["api.esquema.solo_api_del_personal"],
    # Swagger UI desde los estáticos propios (drf-spectacular-sidecar): sin CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "defaultModelsExpandDepth": 0},
    "ENUM_NAME_OVERRIDES": {
        "EstadoCasoEnum": "casos.models.Estado",
        "TipoCasoEnum": "casos.models.TipoCaso",
        "CanalEnum": "casos.models.Canal",
        "CanalAltaEnum": "api.campos.CANALES_API",
        "RolParteEnum": "casos.models.RolParte",
        "TipoEventoEnum": "casos.models.TipoEvento",
        "TipoDocumentoEnum": "plantillas.models.TipoDocumento",
        "EstadoDocumentoEnum": "plantillas.models.EstadoDocumento",
    },
}

# --- Claves de idempotencia (Idempotency-Key de la API del personal y de Open311) ---
# Horas que se recuerda cada clave ya respondida: en ese tiempo su reintento recibe la misma
# respuesta; después la clave se puede volver a usar y el beat la borra (cada hora).
IDEMPOTENCIA_HORAS = envint("IDEMPOTENCIA_HORAS", 24)
if IDEMPOTENCIA_HORAS < 1:
    raise ImproperlyConfigured("IDEMPOTENCIA_HORAS debe ser de al menos 1.")
CELERY_BEAT_SCHEDULE["claves-de-idempotencia-vencidas"] = {
    "task": "api.tasks.borrar_claves_vencidas",
    "schedule": 3600.0,
}

# Dirección pública del sistema (para los enlaces y el código QR de los documentos).
URL_PUBLICA = os.getenv("URL_PUBLICA", "http://127.0.0.1:8000").rstrip("/")
# Open311 GeoReport v2: si se define, un `jurisdiction_id` distinto recibe 404; vacío, se ignora.
OPEN311_JURISDICCION = os.getenv("OPEN311_JURISDICCION", "").strip()
CELERY_TASK_ROUTES = {"plantillas.tasks.*": {"queue": "pdf"}, "modulos.tasks.*": {"queue": "pdf"}}
# Tamaño máximo (MB) del escaneo firmado que se sube contra una versión de un documento.
DOCUMENTO_FIRMADO_MAX_MB = envint("DOCUMENTO_FIRMADO_MAX_MB", 10)
if DOCUMENTO_FIRMADO_MAX_MB < 1:
    raise ImproperlyConfigured("DOCUMENTO_FIRMADO_MAX_MB debe ser de al menos 1.")
# Años que dura la certificación de una persona facilitadora desde su expedición (LGMASC
# art. 55: cinco). Con la fecha de expedición se calcula «vigente hasta».
CERTIFICACION_VIGENCIA_ANIOS = envint("CERTIFICACION_VIGENCIA_ANIOS", 5)
# El historial de la administración de la oficina se consulta; no se «revierte» a una versión
# vieja (un cambio nuevo, con su autor, es lo que corrige un error).
SIMPLE_HISTORY_REVERT_DISABLED = True
if CERTIFICACION_VIGENCIA_ANIOS < 1:
    raise ImproperlyConfigured("CERTIFICACION_VIGENCIA_ANIOS debe ser de al menos 1.")
# Días antes del fin de la vigencia en que se avisa por correo a la persona facilitadora y a
# la coordinación (p. ej. "90,30,7"). Si el beat no corrió ese día, sale al siguiente, pero
# solo el aviso más próximo al vencimiento.
try:
    CERTIFICACION_AVISOS_DIAS = sorted(
        {int(d) for d in envlist("CERTIFICACION_AVISOS_DIAS", "90,30,7")}, reverse=True
    )
except ValueError as _error:
    raise ImproperlyConfigured(
        "CERTIFICACION_AVISOS_DIAS debe ser una lista de días enteros, p. ej. 90,30,7."
    ) from _error
if any(d < 1 or d > 366 for d in CERTIFICACION_AVISOS_DIAS):
    raise ImproperlyConfigured("Cada aviso de certificación va entre 1 y 366 días antes.")

# --- Avisos (notificaciones) ---
# Proveedor de cada canal: correo = django | bandeja; sms y whatsapp = twilio | bandeja.
# Vacío apaga el canal. «bandeja» no envía nada fuera: el aviso se ve en /avisos/ (demo).
AVISOS_CANALES = {
    "correo": os.getenv("AVISOS_CORREO", "bandeja").strip().lower(),
    "sms": os.getenv("AVISOS_SMS", "bandeja").strip().lower(),
    "whatsapp": os.getenv("AVISOS_WHATSAPP", "bandeja").strip().lower(),
}
_PROVEEDORES_VALIDOS = {
    "correo": {"", "django", "bandeja"},
    "sms": {"", "twilio", "bandeja"},
    "whatsapp": {"", "twilio", "bandeja"},
}
for _canal, _proveedor in AVISOS_CANALES.items():
    if _proveedor not in _PROVEEDORES_VALIDOS[_canal]:
        raise ImproperlyConfigured(
            f"AVISOS_{_canal.upper()}={_proveedor!r} no es válido; use uno de: "
            + ", ".join(sorted(v for v in _PROVEEDORES_VALIDOS[_canal] if v))
            + " (o vacío para apagarlo)."
        )
TWILIO_API_URL = os.getenv("TWILIO_API_URL", "https://api.twilio.com")
TWILIO_ACCOUNT_SID = os.getenv("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.getenv("TWILIO_AUTH_TOKEN", "")
TWILIO_SMS_DESDE = os.getenv("TWILIO_SMS_DESDE", "")
TWILIO_MESSAGING_SERVICE_SID = os.getenv("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_WHATSAPP_DESDE = os.getenv("TWILIO_WHATSAPP_DESDE", "")
if "twilio" in AVISOS_CANALES.values():
    _faltan = [v for v in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not globals()[v]]
    if AVISOS_CANALES["sms"] == "twilio" and not (TWILIO_SMS_DESDE or TWILIO_MESSAGING_SERVICE_SID):
        _faltan.append("TWILIO_SMS_DESDE (o TWILIO_MESSAGING_SERVICE_SID)")
    if AVISOS_CANALES["whatsapp"] == "twilio" and not TWILIO_WHATSAPP_DESDE:
        _faltan.append("TWILIO_WHATSAPP_DESDE")
    if _faltan:
        raise ImproperlyConfigured("Para enviar por Twilio falta configurar: " + ", ".join(_faltan))
# Firma al inicio de cada SMS (corta: cuenta dentro de los 160 caracteres).
AVISOS_FIRMA_SMS = os.getenv("AVISOS_FIRMA_SMS", "Mediacion Municipal").strip()[:20]
# Recordatorios antes de cada sesión, en horas (p. ej. "48,24").
try:
    AVISOS_RECORDATORIOS_HORAS = sorted(
        {int(h) for h in envlist("AVISOS_RECORDATORIOS_HORAS", "48,24")}, reverse=True
    )
except ValueError as _error:
    raise ImproperlyConfigured(
        "AVISOS_RECORDATORIOS_HORAS debe ser una lista de horas enteras, p. ej. 48,24."
    ) from _error
if any(h < 1 or h > 24 * 14 for h in AVISOS_RECORDATORIOS_HORAS):
    raise ImproperlyConfigured("Cada recordatorio debe ir entre 1 hora y 14 días antes.")
# Hora local de los avisos del día: compromisos de cláusulas y resumen del personal.
AVISOS_HORA_DEL_DIA = envint("AVISOS_HORA_DEL_DIA", 9)
# Intentos de envío antes de marcar un aviso como fallido, y la primera espera (se duplica).
AVISOS_INTENTOS = envint("AVISOS_INTENTOS", 5)
AVISOS_REINTENTO_SEGUNDOS = envint("AVISOS_REINTENTO_SEGUNDOS", 60)
# Cuánto dura el reclamo de un worker sobre un aviso (si muere, otro lo retoma después).
AVISOS_RECLAMO_SEGUNDOS = envint("AVISOS_RECLAMO_SEGUNDOS", 120)
AVISOS_TIMEOUT_SEGUNDOS = envint("AVISOS_TIMEOUT_SEGUNDOS", 15)
# Cada cuántos segundos corren los barridos de la bandeja de salida (Celery beat).
AVISOS_BARRIDO_SEGUNDOS = envint("AVISOS_BARRIDO_SEGUNDOS", 60)
for _nombre in ("AVISOS_INTENTOS", "AVISOS_REINTENTO_SEGUNDOS", "AVISOS_BARRIDO_SEGUNDOS"):
    if globals()[_nombre] < 1:
        raise ImproperlyConfigured(f"{_nombre} debe ser al menos 1.")
if AVISOS_RECLAMO_SEGUNDOS <= AVISOS_TIMEOUT_SEGUNDOS:
    raise ImproperlyConfigured(
        "AVISOS_RECLAMO_SEGUNDOS debe ser mayor que AVISOS_TIMEOUT_SEGUNDOS: un envío lento no "
        "debe perder su reclamo."
    )
if not 0 <= AVISOS_HORA_DEL_DIA <= 23:
    raise ImproperlyConfigured("AVISOS_HORA_DEL_DIA va de 0 a 23.")
# Avisos cuya hora llegó (recordatorios, reintentos) y reclamos de workers caídos.
CELERY_BEAT_SCHEDULE["avisos-por-enviar"] = {
    "task": "notificaciones.tasks.barrer_avisos",
    "schedule": float(AVISOS_BARRIDO_SEGUNDOS),
}
# Una vez al día, a la hora de los avisos del día: certificaciones por vencer.
CELERY_BEAT_SCHEDULE["certificaciones-por-vencer"] = {
    "task": "notificaciones.tasks.avisos_de_certificacion",
    "schedule": crontab(hour=AVISOS_HORA_DEL_DIA, minute=0),
}
# Cada día a la hora de los avisos y media: el primer día hábil del mes se pide (una sola vez)
# el informe estadístico del mes anterior; los demás días no hace nada (cola `pdf`).
CELERY_BEAT_SCHEDULE["informe-estadistico-mensual"] = {
    "task": "plantillas.tasks.informe_mensual",
    "schedule": crontab(hour=AVISOS_HORA_DEL_DIA, minute=30),
}
# Cada día, una hora antes de los avisos del día: bloquear y suprimir los datos personales
# cuyo plazo de conservación venció (`casos.PlazoConservacion`; ver privacidad.conservacion).
CELERY_BEAT_SCHEDULE["conservacion-de-datos"] = {
    "task": "privacidad.tasks.depurar_conservacion",
    "schedule": crontab(hour=(AVISOS_HORA_DEL_DIA - 1) % 24, minute=15),
}

# Avisos comunitarios cuyo reparto no terminó (broker caído al enviarlos, worker muerto).
CELERY_BEAT_SCHEDULE["avisos-comunitarios-por-repartir"] = {
    "task": "comunidad.tasks.repartir_pendientes",
    "schedule": 60.0,
}

# --- Importar registros anteriores (app importacion) ---
# La coordinación sube un CSV o XLSX con los casos que la oficina llevaba antes: tamaño
# máximo del archivo (MB) y renglones con datos por archivo. La importación corre en el
# worker en una sola transacción (todo o nada): su tiempo máximo en segundos. El beat vuelve
# a encolar cada minuto lo que no se pudo publicar o lo que dejó un worker que murió.
IMPORTACION_MAX_MB = envint("IMPORTACION_MAX_MB", 10)
IMPORTACION_MAX_RENGLONES = envint("IMPORTACION_MAX_RENGLONES", 20000)
IMPORTACION_TIEMPO_LIMITE_SEGUNDOS = envint("IMPORTACION_TIEMPO_LIMITE_SEGUNDOS", 1800)
if IMPORTACION_MAX_MB < 1 or IMPORTACION_MAX_RENGLONES < 1:
    raise ImproperlyConfigured(
        "IMPORTACION_MAX_MB e IMPORTACION_MAX_RENGLONES deben ser de al menos 1."
    )
if IMPORTACION_TIEMPO_LIMITE_SEGUNDOS < 60:
    raise ImproperlyConfigured("IMPORTACION_TIEMPO_LIMITE_SEGUNDOS debe ser de al menos 60.")
CELERY_BEAT_SCHEDULE["importaciones-pendientes"] = {
    "task": "importacion.tasks.barrer_importaciones",
    "schedule": 60.0,
}

# --- Estadística (tablero de la Dirección y transparencia) ---
# Cada cuántos segundos el beat pasa a los hechos y al resumen diario lo que cambió en los
# casos (la página dice «datos al …»). Una vez al día también recalcula los casos con plazos
# corriendo, que cambian aunque nadie los toque.
ESTADISTICA_REFRESCO_SEGUNDOS = envint("ESTADISTICA_REFRESCO_SEGUNDOS", 300)
if ESTADISTICA_REFRESCO_SEGUNDOS < 30:
    raise ImproperlyConfigured("ESTADISTICA_REFRESCO_SEGUNDOS debe ser de al menos 30.")
CELERY_BEAT_SCHEDULE["estadistica-al-dia"] = {
    "task": "estadistica.tasks.refrescar_resumen",
    "schedule": float(ESTADISTICA_REFRESCO_SEGUNDOS),
}

# --- Reglas del servicio (configurables) ---
# Región por omisión para interpretar teléfonos capturados sin clave de país.
REGION_TELEFONICA = os.getenv("REGION_TELEFONICA", "MX")
# Límite de solicitudes públicas por IP y ventana (segundos).
SOLICITUD_PUBLICA_LIMITE = envint("SOLICITUD_PUBLICA_LIMITE", 5)
SOLICITUD_PUBLICA_VENTANA = envint("SOLICITUD_PUBLICA_VENTANA", 3600)
# Intentos fallidos de consulta por IP antes de bloquear, y ventana (segundos).
CONSULTA_FALLOS_LIMITE = envint("CONSULTA_FALLOS_LIMITE", 10)
CONSULTA_FALLOS_VENTANA = envint("CONSULTA_FALLOS_VENTANA", 900)
# Códigos nuevos pedidos desde la consulta pública («perdí mi código»), por día: por folio
# (nadie puede invalidar sin fin el código de otra persona) y por IP.
CODIGO_PERDIDO_LIMITE_FOLIO = 3
CODIGO_PERDIDO_LIMITE_IP = 10
CODIGO_PERDIDO_VENTANA = 24 * 3600

# --- Plazos y figuras legales (LGMASC, DOF 26-01-2024). Configurables porque la
# armonización estatal sigue en curso; los valores por omisión son los de la ley general.
# Son las cifras de una instalación nueva: la migración casos 0013 las copia a la base
# (`ValorDePlazo`, con fecha de vigencia) y desde ahí se administran; un plazo sin renglón en
# la base usa la de aquí (`casos.cifras`).
PLAZOS = {
    # art. 66: aviso de no admisión al día hábil siguiente.
    "NO_ADMISION_AVISO_DIAS_HABILES": envint("PLAZO_NO_ADMISION_DIAS_HABILES", 1),
    # art. 69: invitación dentro de 5 días hábiles desde la apertura.
    "INVITACION_DIAS_HABILES": envint("PLAZO_INVITACION_DIAS_HABILES", 5),
    # intentos de invitación antes de concluir por inasistencia (práctica: 2 o 3).
    "INVITACION_INTENTOS": envint("INVITACION_INTENTOS", 3),
    # art. 64: duración máxima del procedimiento, prorrogable por las partes.
    "DURACION_MAXIMA_MESES": envint("DURACION_MAXIMA_MESES", 3),
    # art. 76: una sesión puede diferirse dos veces como máximo.
    "DIFERIMIENTOS_MAXIMOS": envint("DIFERIMIENTOS_MAXIMOS", 2),
    # art. 78: dos inasistencias consecutivas sin causa concluyen el procedimiento.
    "INASISTENCIAS_CONSECUTIVAS": envint("INASISTENCIAS_CONSECUTIVAS", 2),
    # arts. 98 y 103-111: envío a registro, respuesta del registro y corrección de prevención.
    "REGISTRO_ENVIO_DIAS_HABILES": envint("PLAZO_REGISTRO_ENVIO_DIAS_HABILES", 10),
    "REGISTRO_RESPUESTA_DIAS_HABILES": envint("PLAZO_REGISTRO_RESPUESTA_DIAS_HABILES", 30),
    "PREVENCION_DIAS_HABILES": envint("PLAZO_PREVENCION_DIAS_HABILES", 10),
    # Asesoría: plazos internos.
    "ASESORIA_PRIMER_CONTACTO_DIAS_HABILES": envint("PLAZO_ASESORIA_PRIMER_CONTACTO", 1),
    "ASESORIA_RESOLUCION_DIAS_HABILES": envint("PLAZO_ASESORIA_RESOLUCION", 10),
    # Aviso de "por vencer": días hábiles antes del vencimiento.
    "POR_VENCER_DIAS_HABILES": envint("PLAZO_POR_VENCER_DIAS_HABILES", 2),
    # Derechos ARCO (LGPDPPSO 2025; artículos por confirmar): respuesta en 20 días hábiles,
    # ampliable una vez por 10; pedir información en 5 y la persona la entrega en 10 (el
    # requerimiento interrumpe el plazo de respuesta); hacer efectivo el derecho en 15; el
    # recurso de revisión se interpone en 15.
    "ARCO_RESPUESTA_DIAS_HABILES": envint("PLAZO_ARCO_RESPUESTA_DIAS_HABILES", 20),
    "ARCO_AMPLIACION_DIAS_HABILES": envint("PLAZO_ARCO_AMPLIACION_DIAS_HABILES", 10),
    "ARCO_REQUERIMIENTO_DIAS_HABILES": envint("PLAZO_ARCO_REQUERIMIENTO_DIAS_HABILES", 5),
    "ARCO_DESAHOGO_DIAS_HABILES": envint("PLAZO_ARCO_DESAHOGO_DIAS_HABILES", 10),
    "ARCO_EFECTIVIDAD_DIAS_HABILES": envint("PLAZO_ARCO_EFECTIVIDAD_DIAS_HABILES", 15),
    "ARCO_RECURSO_DIAS_HABILES": envint("PLAZO_ARCO_RECURSO_DIAS_HABILES", 15),
}
for _clave, _valor in PLAZOS.items():
    if _valor < (0 if _clave.endswith("DIAS_HABILES") else 1):
        raise ImproperlyConfigured(f"El plazo {_clave} no puede ser {_valor}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Seguridad de las entradas públicas y de los archivos ---
# Consulta por folio: clientes distintos (IP; red /64 en IPv6) que deben fallar en el mismo
# folio dentro de CONSULTA_FALLOS_VENTANA para protegerlo. Con 1, cualquiera bloquearía el
# folio de otra persona desde una sola conexión.
CONSULTA_FOLIO_CLIENTES = envint("CONSULTA_FOLIO_CLIENTES", 5)
if CONSULTA_FOLIO_CLIENTES < 2:
    raise ImproperlyConfigured("CONSULTA_FOLIO_CLIENTES debe ser de al menos 2.")
# Los contadores de intentos de ventanas vencidas (consulta, alta web, Open311) se borran
# en el beat; la petición del ciudadano no purga.
CELERY_BEAT_SCHEDULE["limites-vencidos"] = {
    "task": "casos.tasks.purgar_limites_vencidos",
    "schedule": 600.0,
}
# Clave del identificador público de Open311 (`service_request_id`, el folio cifrado). Por
# omisión se deriva de SECRET_KEY; si se define aparte, rotar SECRET_KEY no cambia los
# identificadores que ya tienen los sistemas externos.
OPEN311_ID_CLAVE = os.getenv("OPEN311_ID_CLAVE", "") or SECRET_KEY
# Webhook de Twilio: secreto de la clave compartida (SharedKey) si Twilio firma las peticiones
# con ella (p. ej. HMAC-SHA256) en vez del token de la cuenta; y cuántos minutos se recuerda
# cada petición atendida para contestar sus repeticiones sin actuar dos veces.
TWILIO_CLAVE_COMPARTIDA = os.getenv("TWILIO_CLAVE_COMPARTIDA", "")
TWILIO_REPETICION_MINUTOS = envint("TWILIO_REPETICION_MINUTOS", 60)
if TWILIO_REPETICION_MINUTOS < 1:
    raise ImproperlyConfigured("TWILIO_REPETICION_MINUTOS debe ser de al menos 1.")
# Plantillas de WhatsApp aprobadas por Meta, por aviso: fuera de las 24 h desde el último
# mensaje de la persona, WhatsApp solo entrega plantillas. JSON, p. ej.
# {"recordatorio_sesion": {"sid": "HX…", "variables": ["nombre", "cuando_corto", "lugar"]}}:
# `sid` es el ContentSid de Twilio y `variables`, en orden, los datos del aviso que llenan
# {{1}}, {{2}}… Un aviso sin plantilla sale por SMS fuera de la ventana.
TWILIO_WHATSAPP_PLANTILLAS = {}
_plantillas = os.getenv("TWILIO_WHATSAPP_PLANTILLAS", "").strip()
if _plantillas:
    import json as _json
    import re as _re

    try:
        TWILIO_WHATSAPP_PLANTILLAS = _json.loads(_plantillas)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"TWILIO_WHATSAPP_PLANTILLAS no es JSON válido ({_error}); se esperaba, p. ej., "
            '{"recordatorio_sesion": {"sid": "HX…", "variables": ["nombre", "cuando_corto"]}}.'
        ) from _error
    if not isinstance(TWILIO_WHATSAPP_PLANTILLAS, dict):
        raise ImproperlyConfigured(
            "TWILIO_WHATSAPP_PLANTILLAS debe ser un objeto JSON con una plantilla por aviso."
        )
    for _aviso, _plantilla in TWILIO_WHATSAPP_PLANTILLAS.items():
        if not isinstance(_plantilla, dict) or not _re.fullmatch(
            r"HX[0-9a-fA-F]{32}", str(_plantilla.get("sid", ""))
        ):
            raise ImproperlyConfigured(
                f"TWILIO_WHATSAPP_PLANTILLAS: la plantilla de «{_aviso}» necesita un «sid» de "
                "Twilio (HX seguido de 32 caracteres hexadecimales)."
            )
        _variables = _plantilla.get("variables", [])
        if not isinstance(_variables, list) or not all(
            isinstance(v, str) and v for v in _variables
        ):
            raise ImproperlyConfigured(
                f"TWILIO_WHATSAPP_PLANTILLAS: las «variables» de «{_aviso}» deben ser una "
                'lista de nombres de datos del aviso, p. ej. ["nombre", "cuando_corto"].'
            )
        if set(_plantilla) - {"sid", "variables"}:
            raise ImproperlyConfigured(
                f"TWILIO_WHATSAPP_PLANTILLAS: la plantilla de «{_aviso}» solo lleva «sid» y "
                f"«variables» (sobra: {', '.join(sorted(set(_plantilla) - {'sid', 'variables'}))})."
            )
# Horario de silencio de SMS y WhatsApp (hora local del centro), «HH:MM-HH:MM»: lo que no es
# urgente se recorre al final del periodo. Vacío lo apaga. El correo no se detiene.
AVISOS_SILENCIO = None
_silencio = os.getenv("AVISOS_SILENCIO", "21:00-08:00").strip()
if _silencio:
    from datetime import time as _hora

    try:
        _desde, _hasta = (
            _hora.fromisoformat(_p.strip().zfill(5)) for _p in _silencio.split("-", 1)
        )
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"AVISOS_SILENCIO={_silencio!r} no es un periodo válido; use «HH:MM-HH:MM» (p. ej. "
            "21:00-08:00) o déjelo vacío para apagarlo."
        ) from _error
    if _desde == _hasta:
        raise ImproperlyConfigured(
            "AVISOS_SILENCIO: el inicio y el fin del periodo de silencio no pueden ser iguales."
        )
    AVISOS_SILENCIO = (_desde, _hasta)
# Cada cuántos segundos se buscan sesiones que empiezan en 24 h sin confirmar por alguna parte.
AVISOS_CONFIRMACION_SEGUNDOS = envint("AVISOS_CONFIRMACION_SEGUNDOS", 900)
if AVISOS_CONFIRMACION_SEGUNDOS < 10:
    raise ImproperlyConfigured("AVISOS_CONFIRMACION_SEGUNDOS debe ser de al menos 10.")
CELERY_BEAT_SCHEDULE["sesiones-sin-confirmar"] = {
    "task": "notificaciones.tasks.sesiones_sin_confirmar",
    "schedule": float(AVISOS_CONFIRMACION_SEGUNDOS),
}
# Megapíxeles máximos de una imagen: el escaneo firmado que se sube y el logotipo del centro.
# Se leen de la cabecera: una imagen pequeña en bytes puede ocupar cientos de MB al abrirse.
ESCANEO_MAX_MEGAPIXELES = envint("ESCANEO_MAX_MEGAPIXELES", 40)
LOGO_MAX_MEGAPIXELES = envint("LOGO_MAX_MEGAPIXELES", 4)
for _nombre in ("ESCANEO_MAX_MEGAPIXELES", "LOGO_MAX_MEGAPIXELES"):
    if globals()[_nombre] < 1:
        raise ImproperlyConfigured(f"{_nombre} debe ser de al menos 1.")
