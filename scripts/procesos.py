"""Procesos reales para pruebas y benchmarks: PostgreSQL y Redis propios, worker de Celery,
servidor web. Todos en 127.0.0.1; los que se arrancan desde aquí, en su propio grupo de
procesos, para detenerlos (o matarlos) enteros."""

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def puerto_libre(preferido: int = 0) -> int:
    """Un puerto libre en 127.0.0.1: el preferido o uno cercano; con 0, el que dé el sistema."""
    candidatos = range(preferido, preferido + 50) if preferido else [0]
    for puerto in candidatos:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", puerto))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"No hay puertos libres cerca de {preferido}")


def puerto_en_uso(puerto: int) -> bool:
    """Si algo ya escucha en 127.0.0.1:puerto (con SO_REUSEADDR, como gunicorn: las conexiones
    recién cerradas no cuentan)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", puerto))
        except OSError:
            return True
    return False


def esperar_puerto(puerto: int, segundos: float = 30) -> None:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", puerto)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"El puerto {puerto} no respondió en {segundos} s")


def iniciar(comando: list[str], entorno: dict[str, str], bitacora: Path | None) -> subprocess.Popen:
    """Sin bitácora, la salida va a la consola de quien lo arranca."""
    salida = open(bitacora, "ab") if bitacora else None  # noqa: SIM115 (vive con el proceso)
    return subprocess.Popen(
        comando,
        cwd=RAIZ,
        env=entorno,
        stdout=salida,
        stderr=subprocess.STDOUT if salida else None,
        start_new_session=True,
    )


def detener(proceso: subprocess.Popen, senal: int = signal.SIGTERM, espera: float = 20) -> None:
    """Señal a todo el grupo del proceso; si no termina a tiempo, SIGKILL."""
    if proceso.poll() is not None:
        return
    try:
        os.killpg(proceso.pid, senal)
    except ProcessLookupError:
        return
    try:
        proceso.wait(timeout=espera)
    except subprocess.TimeoutExpired:
        os.killpg(proceso.pid, signal.SIGKILL)
        proceso.wait(timeout=10)


def inicio_de(pid: int) -> str | None:
    """Cuándo arrancó el proceso (tics desde el arranque del sistema, de /proc): junto con el
    PID identifica a un proceso aunque el número se reutilice. None si no existe, ya terminó
    (zombi) o el sistema no tiene /proc."""
    try:
        estado = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    campos = estado[estado.rindex(")") + 2 :].split()
    return None if campos[0] == "Z" else campos[19]


def terminal_de(pid: int | str = "self") -> int:
    """La terminal de control del proceso (tty_nr de /proc); 0 si no tiene, o si se cerró."""
    try:
        estado = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(estado[estado.rindex(")") + 2 :].split()[4])


def arranque() -> str | None:
    """Identificador del arranque actual del sistema (cambia al reiniciar el equipo)."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def grupo_vivo(pgid: int) -> bool:
    """Si queda algún proceso (no zombi) en el grupo `pgid`."""
    if not Path("/proc/self/stat").exists():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    return any(grupo == pgid for _pid, _padre, grupo in _procesos_vivos())


def _procesos_vivos():
    """(pid, pid del padre, grupo) de cada proceso no zombi, leídos de /proc."""
    for entrada in Path("/proc").iterdir():
        if not entrada.name.isdigit():
            continue
        try:
            estado = (entrada / "stat").read_text()
        except OSError:
            continue
        campos = estado[estado.rindex(")") + 2 :].split()
        if campos[0] != "Z":
            yield int(entrada.name), int(campos[1]), int(campos[2])


def hijos_de(pid: int) -> list[int]:
    """Los procesos vivos cuyo padre es `pid`."""
    return [hijo for hijo, padre, _grupo in _procesos_vivos() if padre == pid]


def terminar_grupos(grupos: list[int], espera: float = 20) -> list[int]:
    """SIGTERM a cada grupo de procesos (no hace falta que sean hijos de este proceso); tras
    `espera`, SIGKILL a lo que quede. Devuelve los grupos que siguen vivos (p. ej. de otro
    usuario: PermissionError)."""
    for senal, plazo in ((signal.SIGTERM, espera), (signal.SIGKILL, 5)):
        for pgid in grupos:
            try:
                os.killpg(pgid, senal)
            except (ProcessLookupError, PermissionError):
                pass
        limite = time.monotonic() + plazo
        while time.monotonic() < limite and any(grupo_vivo(g) for g in grupos):
            time.sleep(0.1)
        grupos = [g for g in grupos if grupo_vivo(g)]
        if not grupos:
            break
    return grupos


class Redis:
    """Un redis-server propio (sin persistencia) que se puede detener y volver a arrancar en
    el mismo puerto."""

    def __init__(self, carpeta: Path, puerto: int = 0):
        self.carpeta = carpeta
        self.puerto = puerto or puerto_libre()
        self.proceso: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.puerto}/0"

    @property
    def pid(self) -> int | None:
        return self.proceso.pid if self.proceso else None

    def iniciar(self) -> "Redis":
        comando = [
            "redis-server",
            "--port",
            str(self.puerto),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.carpeta),
        ]
        self.proceso = iniciar(comando, dict(os.environ), self.carpeta / "redis.log")
        esperar_puerto(self.puerto)
        return self

    def detener(self) -> None:
        if self.proceso is not None:
            detener(self.proceso)
            self.proceso = None


def bin_postgres() -> Path | None:
    """La carpeta de los programas del servidor PostgreSQL (initdb, pg_ctl), la más nueva."""
    for carpeta in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(carpeta, "initdb").exists():
            return Path(carpeta)
    encontrado = shutil.which("initdb")
    return Path(encontrado).parent if encontrado else None


def _como_postgres(argumentos: list[str]) -> list[str]:
    """PostgreSQL no arranca como root: entonces corre como el usuario `postgres`."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argumentos]
    return argumentos


def _vivo(pid: int) -> bool:
    """Si el proceso sigue corriendo (un zombi que nadie ha recogido ya no cuenta)."""
    try:
        os.kill(pid, 0)
        estado = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, FileNotFoundError):
        return False
    return estado != "Z"


class Postgres:
    """Un PostgreSQL propio: su clúster en `carpeta` (por omisión, una carpeta nueva bajo
    /tmp), en 127.0.0.1 y en un puerto libre que no es el estándar. Se puede detener (apagado
    rápido) y volver a arrancar en el mismo puerto y con los mismos datos; `borrar` lo detiene
    y quita la carpeta. Sin contraseña (`trust`): solo escucha en la interfaz local."""

    OPCIONES = (
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
    )

    def __init__(self, carpeta: Path | None = None, puerto: int = 0, base: str = "expedientes"):
        self.binarios = bin_postgres()
        if self.binarios is None:
            raise RuntimeError("No se encontró PostgreSQL (initdb); instale el paquete postgresql.")
        self.carpeta = carpeta or Path(tempfile.mkdtemp(prefix="expedientes-pg-"))
        self.datos = self.carpeta / "pg"
        self.puerto = puerto or puerto_libre()
        self.base = base
        self.pid: int | None = None

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.puerto}/{self.base}"

    def _correr(self, programa: str, *argumentos: str) -> None:
        comando = _como_postgres([str(self.binarios / programa), *argumentos])
        subprocess.run(comando, check=True, stdout=subprocess.DEVNULL)

    def _crear_cluster(self) -> None:
        self.datos.mkdir(parents=True)
        if os.geteuid() == 0:
            os.chmod(self.carpeta, 0o755)
            shutil.chown(self.datos, "postgres", "postgres")
        self._correr(
            "initdb",
            *("-D", str(self.datos), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            *("--locale=C.UTF-8", "--no-sync"),
        )

    def iniciar(self) -> "Postgres":
        """Arranca el servidor (la primera vez crea el clúster) y espera a que acepte conexiones."""
        if not (self.datos / "PG_VERSION").exists():
            self._crear_cluster()
        opciones = f"-p {self.puerto} -c listen_addresses=127.0.0.1 -k {self.datos} "
        opciones += self.OPCIONES
        self._correr(
            "pg_ctl",
            *("-D", str(self.datos), "-o", opciones, "-l", str(self.datos / "servidor.log")),
            *("-w", "start"),
        )
        self.pid = int((self.datos / "postmaster.pid").read_text().split()[0])
        esperar_puerto(self.puerto)
        return self

    def crear_base(self, nombre: str | None = None) -> str:
        """Crea la base (por omisión, la de `url`) y devuelve su URL."""
        import psycopg

        nombre = nombre or self.base
        admin = f"postgres://postgres@127.0.0.1:{self.puerto}/postgres"
        with psycopg.connect(admin, autocommit=True) as conexion:
            conexion.execute(f'CREATE DATABASE "{nombre}"')
        return self.url.rsplit("/", 1)[0] + "/" + nombre

    def detener(self, espera: float = 10) -> None:
        """Apagado rápido (SIGINT: corta las sesiones abiertas); si no termina, SIGKILL."""
        pid, self.pid = self.pid, None
        if pid is None or not _vivo(pid):
            return
        os.kill(pid, signal.SIGINT)
        limite = time.monotonic() + espera
        while _vivo(pid):
            if time.monotonic() > limite:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.05)

    def borrar(self) -> None:
        self.detener()
        shutil.rmtree(self.carpeta, ignore_errors=True)


def worker(
    entorno: dict[str, str],
    bitacora: Path | None,
    *,
    beat: bool = True,
    colas: str = "celery,pdf",
    nivel: str = "INFO",
    agenda: Path | None = None,
) -> subprocess.Popen:
    """Worker de Celery (un proceso), con beat embebido si se pide (`agenda`: su archivo)."""
    comando = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        "solo",
        "--queues",
        colas,
        "--loglevel",
        nivel,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if beat:
        agenda = agenda or bitacora.with_suffix(".beat")
        comando += ["--beat", "--schedule", str(agenda)]
    return iniciar(comando, entorno, bitacora)


def web(
    entorno: dict[str, str],
    bitacora: Path | None,
    puerto: int,
    trabajadores: int = 1,
    hilos: int = 1,
    esperar: bool = True,
    aplicacion: str = "config.wsgi:application",
) -> subprocess.Popen:
    """gunicorn en 127.0.0.1:puerto (el benchmark le da `piso.wsgi:application`)."""
    comando = [
        sys.executable,
        "-m",
        "gunicorn",
        aplicacion,
        "--bind",
        f"127.0.0.1:{puerto}",
        "--workers",
        str(trabajadores),
        "--threads",
        str(hilos),
        "--log-level",
        "warning",
    ]
    proceso = iniciar(comando, entorno, bitacora)
    if esperar:
        esperar_puerto(puerto, 60)
    return proceso


# Conteos de error que reporta el `done()` de Lua de los benchmarks, además de los de wrk.
_ERRORES_WRK = ("no_esperadas", "no_200", "conexion", "lectura", "escritura", "tiempo_agotado")


def carga_con_wrk(
    script: str,
    url: str,
    *,
    conexiones: int,
    segundos: int,
    entorno: dict[str, str],
    argumentos: tuple[str, ...] = (),
) -> dict:
    """`wrk` con un script de Lua cuyo `done()` imprime un JSON en su último renglón; ese JSON
    más `por_segundo` y `errores` (la suma de los conteos de error que traiga)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as archivo:
        archivo.write(script)
    try:
        salida = subprocess.run(
            ["wrk", "--threads", "2", "--connections", str(conexiones)]
            + ["--duration", f"{segundos}s", "--timeout", "10s", "--script", archivo.name, url]
            + (["--", *argumentos] if argumentos else []),
            capture_output=True,
            text=True,
            env=entorno,
            check=False,
        )
    finally:
        os.unlink(archivo.name)
    if salida.returncode != 0:
        raise RuntimeError(f"wrk falló: {salida.stderr or salida.stdout}")
    resultado = json.loads(salida.stdout.strip().splitlines()[-1])
    resultado["por_segundo"] = resultado["peticiones"] / resultado["segundos"]
    resultado["errores"] = sum(resultado.get(k, 0) for k in _ERRORES_WRK)
    return resultado
