"""Lo que el despliegue con docker compose necesita, revisado sin motor de Docker."""

import re
import shlex
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def test_compose_tiene_los_cinco_servicios_y_healthchecks():
    texto = (RAIZ / "docker-compose.yml").read_text()
    for servicio in ("db:", "redis:", "web:", "worker:", "beat:"):
        assert re.search(rf"^  {servicio}", texto, re.M), servicio
    assert texto.count("healthcheck:") >= 2
    assert "condition: service_healthy" in texto
    web = texto.split("\n  web:")[1].split("\n  worker:")[0]
    assert web.index("migrate") < web.index("gunicorn")


def _compose() -> dict:
    import yaml

    return yaml.safe_load((RAIZ / "docker-compose.yml").read_text())


def _opciones_del_worker(servicio: dict) -> dict[str, str]:
    """Las opciones de `celery worker` del comando de un servicio: {"--queues": "pdf", …}."""
    comando = servicio["command"]
    palabras = shlex.split(comando) if isinstance(comando, str) else list(comando)
    assert palabras[:4] == ["celery", "-A", "config", "worker"], palabras
    alias = {"-Q": "--queues", "-c": "--concurrency"}
    opciones, resto = {}, palabras[4:]
    while resto:
        palabra = resto.pop(0)
        if "=" in palabra:
            nombre, valor = palabra.split("=", 1)
        else:
            nombre, valor = palabra, resto.pop(0)
        opciones[alias.get(nombre, nombre)] = valor
    return opciones


def _omision(valor: str, variable: str) -> int:
    """`${VARIABLE:-n}` de compose: la variable y su valor por omisión (entero > 0)."""
    encontrado = re.fullmatch(r"\$\{" + variable + r":-(\d+)\}", valor)
    assert encontrado, f"{valor!r} debería ser ${{{variable}:-n}}"
    return int(encontrado[1])


def test_un_worker_por_cola_y_el_de_pdf_recicla_sus_hijos(settings):
    """Un render grande no retrasa avisos ni recordatorios (cada cola, su worker), y los hijos
    del worker de PDF se reemplazan por número de documentos y por memoria."""
    servicios = _compose()["services"]
    general = _opciones_del_worker(servicios["worker"])
    pdf = _opciones_del_worker(servicios["worker-pdf"])
    assert general["--queues"] == "celery"
    assert pdf["--queues"] == "pdf"
    assert "--max-tasks-per-child" not in general and "--max-memory-per-child" not in general
    assert _omision(pdf["--max-tasks-per-child"], "PDF_TAREAS_POR_HIJO") == 200
    assert _omision(pdf["--max-memory-per-child"], "PDF_MEMORIA_POR_HIJO_KB") == 400_000
    ejemplo = (RAIZ / ".env.example").read_text()
    for variable in ("PDF_TAREAS_POR_HIJO", "PDF_MEMORIA_POR_HIJO_KB"):
        assert f"\n{variable}=" in ejemplo, variable
    for nombre in ("worker", "worker-pdf"):
        assert servicios[nombre]["restart"] == "unless-stopped", nombre
    # Toda cola a la que se enruta una tarea tiene quien la consuma.
    consumidas = {general["--queues"], pdf["--queues"]}
    enrutadas = {ruta["queue"] for ruta in settings.CELERY_TASK_ROUTES.values()}
    assert enrutadas | {"celery"} <= consumidas


def test_la_imagen_instala_pango_y_fuentes_para_weasyprint():
    texto = (RAIZ / "Dockerfile").read_text()
    assert "libpango-1.0-0" in texto and "fonts-dejavu-core" in texto
    assert "uv sync --frozen" in texto


def test_env_example_cubre_las_variables_que_lee_settings():
    settings = (RAIZ / "config" / "settings.py").read_text()
    ejemplo = (RAIZ / ".env.example").read_text()
    leidas = set(re.findall(r'env(?:bool|int|list)?\("([A-Z_]+)"', settings))
    leidas |= set(re.findall(r'os\.getenv\("([A-Z_]+)"', settings))
    internas = {
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "MEDIA_ROOT",
        "LOG_LEVEL",
        "COOKIES_SEGURAS",
        "CELERY_TASK_TIME_LIMIT",
        "CELERY_TASK_SOFT_TIME_LIMIT",
    }
    faltan = {v for v in leidas - internas if f"{v}=" not in ejemplo}
    assert not faltan, f"Documente en .env.example: {sorted(faltan)}"


def test_el_readme_documenta_cada_variable():
    settings = (RAIZ / "config" / "settings.py").read_text()
    readme = (RAIZ / "README.md").read_text()
    leidas = set(re.findall(r'(?:env(?:bool|int|list)?|os\.getenv)\("([A-Z_]+)"', settings))
    leidas -= {"CELERY_RESULT_BACKEND", "CELERY_TASK_TIME_LIMIT", "CELERY_TASK_SOFT_TIME_LIMIT"}
    faltan = {v for v in leidas if v not in readme and v.rsplit("_", 1)[0] + "_" not in readme}
    assert not faltan, f"Documente en README.md: {sorted(faltan)}"


def test_collectstatic_de_produccion_funciona(tmp_path):
    """Lo que hace la imagen de Docker al construirse, con DEBUG=False."""
    import os
    import subprocess
    import sys

    entorno = {**os.environ, "DEBUG": "False", "SECRET_KEY": "x" * 50}
    entorno.pop("DATABASE_URL", None)
    hecho = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import django, os; from django.conf import settings;"
                f"django.setup(); settings.STATIC_ROOT = {str(tmp_path)!r};"
                "from django.core.management import call_command;"
                "call_command('collectstatic', '--noinput', verbosity=0)"
            ),
        ],
        cwd=RAIZ,
        env={**entorno, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert hecho.returncode == 0, hecho.stderr[-3000:]
    assert (tmp_path / "staticfiles.json").exists()
    assert any(tmp_path.glob("css/app.*.css"))
    assert any(tmp_path.glob("admin/css/base.*.css"))


def test_check_deploy_con_ajustes_de_produccion_no_da_avisos(tmp_path):
    """`manage.py check --deploy` como en el servidor: DEBUG=False, clave propia, detrás del
    proxy HTTPS. Cualquier aviso hace fallar la prueba."""
    import os
    import secrets
    import subprocess
    import sys

    # DJANGO_ALLOW_ASYNC_UNSAFE lo ponen las pruebas del navegador; en un servidor sería un aviso.
    quitar = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in quitar}
    entorno = {
        **base,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mediacion.ejemplo.gob.mx",
        "CSRF_TRUSTED_ORIGINS": "https://mediacion.ejemplo.gob.mx",
        "DETRAS_DE_PROXY": "True",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    hecho = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert hecho.returncode == 0, hecho.stdout + hecho.stderr[-3000:]
    assert "System check identified no issues" in hecho.stdout, hecho.stdout
