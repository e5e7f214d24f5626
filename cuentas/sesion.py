"""Lo que la sesión del personal recuerda: cuándo entró, su última actividad y si le falta
el segundo paso.

Lo que pide el segundo paso se decide al entrar con la contraseña (también con
`force_login`): quien ya tiene su app de autenticación o cuyo rol la exige queda
«por verificar» hasta que escriba un código. Así las páginas no consultan los dispositivos
en cada petición.
"""

from django.utils import timezone

from . import selectors

ESTADO = "cuentas_dos_pasos"
INICIO = "cuentas_inicio"
ACTIVIDAD = "cuentas_actividad"
POR_VERIFICAR = "verificar"
LIBRE = "libre"


def ahora() -> int:
    return int(timezone.now().timestamp())


def _estado_para(usuario) -> str:
    if selectors.tiene_segundo_factor(usuario) or selectors.requiere_dos_pasos(usuario):
        return POR_VERIFICAR
    return LIBRE


def al_entrar(sender, request, user, **kwargs) -> None:
    """Receptor de `user_logged_in`: marca el inicio de la sesión y si falta el segundo paso."""
    if request is None or not hasattr(request, "session"):
        return
    instante = ahora()
    request.session[INICIO] = request.session[ACTIVIDAD] = instante
    request.session[ESTADO] = _estado_para(user)


def verificado(usuario) -> bool:
    """Si ya escribió su código en esta sesión. Justo después de `login()` la persona aún no
    pasa por OTPMiddleware y no trae la marca: no está verificada."""
    return getattr(usuario, "otp_device", None) is not None


def falta_segundo_paso(request) -> bool:
    """Si esta sesión aún debe escribir un código (o dar de alta su app) antes de trabajar."""
    usuario = request.user
    if not usuario.is_authenticated or verificado(usuario):
        return False
    estado = request.session.get(ESTADO)
    if estado is None:  # una sesión abierta antes de existir esta marca
        estado = request.session[ESTADO] = _estado_para(usuario)
    # Un rol que se vuelve obligatorio a media sesión también la detiene.
    return estado == POR_VERIFICAR or selectors.requiere_dos_pasos(usuario)


def liberar(request) -> None:
    """La persona no tiene segundo factor ni su rol lo exige: sigue sin código."""
    request.session[ESTADO] = LIBRE
