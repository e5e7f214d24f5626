"""La línea de tiempo del expediente y las etiquetas de opciones que arman los renglones en
Python (casos.templatetags.formato): lo mismo que mostraba la plantilla, escapado."""

from datetime import datetime

from django.template import Context, Template
from django.utils import timezone

from casos.models import Evento, Parte, RolParte, TipoEvento
from casos.templatetags.formato import opcion
from notificaciones.models import Mensaje


def _evento(**datos) -> Evento:
    return Evento(
        tipo=TipoEvento.CONTACTO,
        descripcion="Llamó <otra vez>",
        actor_descripcion="Sistema",
        datos=datos,
        creado_en=timezone.make_aware(datetime(2026, 11, 23, 16, 5)),
    )


def _linea(eventos, ocultas=frozenset(), relato_oculto=False) -> str:
    plantilla = Template("{% load formato %}{% linea_de_tiempo eventos ocultas relato %}")
    return plantilla.render(
        Context({"eventos": eventos, "ocultas": set(ocultas), "relato": relato_oculto})
    )


def test_cada_evento_con_su_hora_local_quien_y_que_escapado():
    html = _linea([_evento(nota="Pidió <b>otra</b> fecha")])
    local = timezone.localtime(_evento().creado_en)
    assert f'<time datetime="{local.isoformat()}">{local:%d/%m/%Y %H:%M} · Sistema</time>' in html
    assert "Llamó &lt;otra vez&gt;<br><em>Pidió &lt;b&gt;otra&lt;/b&gt; fecha</em></li>" in html


def test_los_cambios_se_ven_salvo_de_una_parte_oculta_o_con_el_relato_oculto():
    cambio = {"campo": "teléfono", "antes": "", "ahora": "33 1234 5678"}
    eventos = [_evento(cambios=[cambio], parte=7)]
    visible = '<ul class="cambios"><li>Teléfono: <del>(vacío)</del> → <ins>33 1234 5678</ins>'
    assert visible in _linea(eventos)
    assert "cambios" not in _linea(eventos, ocultas={7})
    assert "cambios" not in _linea(eventos, relato_oculto=True)
    assert visible in _linea(eventos, ocultas={8})


def test_opcion_es_la_misma_etiqueta_que_get_display():
    parte = Parte(rol=RolParte.INVITADA)
    assert opcion(parte, "rol") == parte.get_rol_display()
    mensaje = Mensaje(canal="sms", estado="enviado")
    assert opcion(mensaje, "canal") == mensaje.get_canal_display()
    assert opcion(mensaje, "estado") == mensaje.get_estado_display()
    # Un valor que ya no es una de las opciones se muestra tal cual, como get_display.
    mensaje.estado = "antiguo"
    assert opcion(mensaje, "estado") == mensaje.get_estado_display() == "antiguo"
