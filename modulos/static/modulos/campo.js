// Captura sin conexión en un módulo itinerante.
//
// Cada solicitud se guarda en este equipo (IndexedDB) cifrada con AES-GCM. La llave sale de
// la contraseña de quien atiende (PBKDF2-SHA256 con la sal que da el servidor para esa
// persona) y es una CryptoKey no extraíble que vive solo en la memoria de esta página: al
// recargar hay que volver a escribir la contraseña. Un valor testigo cifrado con la llave
// comprueba la contraseña sin red. Al sincronizar, lo que el servidor registró se borra del
// equipo; lo rechazado se queda con sus errores.
(function () {
  "use strict";
  var raiz = document.getElementById("campo");
  if (!raiz) return;
  var URLS = {
    catalogos: raiz.dataset.catalogos,
    sw: raiz.dataset.sw,
    alcance: raiz.dataset.alcance,
    sincronizar: raiz.dataset.sincronizar,
    contrasena: raiz.dataset.contrasena,
    hoy: raiz.dataset.hoy,
    login: raiz.dataset.login
  };
  var TESTIGO = "testigo del módulo itinerante";
  var POR_LOTE = 100;
  var ESTADOS = {
    recibida: "Recibida: caso nuevo",
    contacto: "Registrada en un caso existente",
    por_decidir: "Posible duplicado: por decidir",
    rechazada: "Rechazada: corrija en la oficina"
  };

  var estado = { config: null, llave: null, sincronizando: false, resultados: [], servidor: [], editando: null };
  var el = function (id) { return document.getElementById(id); };
  var codificador = new TextEncoder();
  var decodificador = new TextDecoder();

  // --- IndexedDB -------------------------------------------------------------------------
  var base = new Promise(function (resolver, rechazar) {
    var pedido = indexedDB.open("modulos-campo", 1);
    pedido.onupgradeneeded = function () {
      var db = pedido.result;
      db.createObjectStore("bovedas", { keyPath: "usuario" });
      db.createObjectStore("capturas", { keyPath: "id" }).createIndex("usuario", "usuario");
    };
    pedido.onsuccess = function () { resolver(pedido.result); };
    pedido.onerror = function () { rechazar(pedido.error); };
  });

  function operar(almacen, modo, accion) {
    return base.then(function (db) {
      return new Promise(function (resolver, rechazar) {
        var tx = db.transaction(almacen, modo);
        var resultado = accion(tx.objectStore(almacen));
        tx.oncomplete = function () { resolver(resultado && resultado.result); };
        tx.onerror = function () { rechazar(tx.error); };
        tx.onabort = function () { rechazar(tx.error); };
      });
    });
  }
  function leer(almacen, llave) { return operar(almacen, "readonly", function (s) { return s.get(llave); }); }
  function guardar(almacen, valor) { return operar(almacen, "readwrite", function (s) { return s.put(valor); }); }
  function borrar(almacen, llave) { return operar(almacen, "readwrite", function (s) { return s.delete(llave); }); }
  function capturasGuardadas() {
    return operar("capturas", "readonly", function (s) {
      return s.index("usuario").getAll(estado.config.usuario.id);
    }).then(function (lista) {
      return (lista || []).sort(function (a, b) { return a.capturado_en < b.capturado_en ? -1 : 1; });
    });
  }

  // --- Cifrado ---------------------------------------------------------------------------
  function deBase64(texto) {
    return Uint8Array.from(atob(texto), function (c) { return c.charCodeAt(0); });
  }
  function derivar(contrasena, sal, iteraciones) {
    return crypto.subtle.importKey("raw", codificador.encode(contrasena), "PBKDF2", false, ["deriveKey"])
      .then(function (material) {
        return crypto.subtle.deriveKey(
          { name: "PBKDF2", salt: deBase64(sal), iterations: iteraciones, hash: "SHA-256" },
          material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      });
  }
  // El id de la captura va como dato adicional autenticado: un cifrado no se puede pasar
  // de una captura a otra.
  function cifrar(llave, id, objeto) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: codificador.encode(id) },
      llave, codificador.encode(JSON.stringify(objeto)))
      .then(function (cifrado) { return { iv: iv, cifrado: cifrado }; });
  }
  function descifrar(llave, id, sobre) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: sobre.iv, additionalData: codificador.encode(id) },
      llave, sobre.cifrado)
      .then(function (claro) { return JSON.parse(decodificador.decode(claro)); });
  }

  // --- Servidor --------------------------------------------------------------------------
  // Una respuesta que no es JSON: la página de entrada (la sesión terminó) o una de falla.
  function noEsJson(r) {
    var error;
    if (r.redirected && r.url.indexOf(URLS.login) !== -1) {
      error = new Error("sesion");
      error.sesion = true;
    } else {
      error = new Error(r.status === 503 ? "el servidor no está disponible por un momento"
        : "el servidor respondió " + r.status);
    }
    return error;
  }
  function esJson(r) {
    return !r.redirected && (r.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
  }
  function cargarConfig(soloRed) {
    return fetch(URLS.catalogos, { credentials: "same-origin", cache: soloRed ? "no-store" : "default",
      headers: soloRed ? { "X-Solo-Red": "1" } : {} })
      .then(function (r) {
        if (!esJson(r)) throw noEsJson(r);
        return r.json();
      });
  }
  function comprobarEnServidor(contrasena) {
    return fetch(URLS.contrasena, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": estado.config.csrf },
      body: JSON.stringify({ contrasena: contrasena })
    }).then(function (r) { return r.status === 200; });
  }

  // --- Pantalla --------------------------------------------------------------------------
  function mostrarRed() {
    el("estado-red").textContent = navigator.onLine
      ? "Con conexión: puede sincronizar."
      : "Sin conexión: lo que capture se guarda cifrado en este equipo.";
  }
  function mensaje(texto, clase) {
    var caja = el("mensaje-sincronizacion");
    caja.className = clase || "";
    caja.textContent = texto;
  }
  function hora(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function esDeHoy(iso) {
    var d = new Date(iso), h = new Date();
    return d.getFullYear() === h.getFullYear() && d.getMonth() === h.getMonth() && d.getDate() === h.getDate();
  }
  function celda(fila, texto) {
    var td = document.createElement("td");
    if (texto instanceof Node) td.appendChild(texto); else td.textContent = texto;
    fila.appendChild(td);
    return td;
  }
  function enlace(url, texto) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = texto;
    a.target = "_blank";
    a.rel = "noopener";
    return a;
  }
  function boton(texto, accion) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secundario";
    b.textContent = texto;
    b.addEventListener("click", accion);
    return b;
  }

  // Una captura rechazada se corrige en el mismo formulario: conserva su id y su hora real.
  function corregir(c, datos) {
    estado.editando = { id: c.id, capturado_en: c.capturado_en };
    form.reset();
    Object.keys(datos).forEach(function (nombre) {
      var campos = form.querySelectorAll("[name='" + nombre + "']");
      campos.forEach(function (campo) {
        if (campo.type === "radio") campo.checked = campo.value === datos[nombre];
        else if (campo.type === "checkbox") campo.checked = !!datos[nombre];
        else campo.value = datos[nombre];
      });
    });
    form.querySelectorAll("input[name=tipo]").forEach(function (r) { r.dispatchEvent(new Event("change")); });
    var errores = [];
    Object.keys(c.errores).forEach(function (campo) {
      c.errores[campo].forEach(function (m) {
        errores.push({ id: campo === "__all__" ? "id_nombre" : "id_" + campo, mensaje: m });
      });
    });
    mostrarErrores(errores, "Corrija la solicitud de " + datos.nombre + " y vuelva a guardarla:");
  }

  function descartar(c, datos) {
    if (!window.confirm("¿Descartar la solicitud de " + datos.nombre + "? Se borra de este equipo y no se registra.")) return;
    borrar("capturas", c.id).then(function () {
      mensaje("Se descartó la solicitud de " + datos.nombre + ".", "aviso-caja");
      return pintar();
    });
  }

  function folioYCodigo(r) {
    var caja = document.createElement("span");
    if (r.folio) {
      var f = document.createElement("strong");
      f.className = "folio-campo";
      f.textContent = r.folio;
      caja.appendChild(f);
    }
    if (r.codigo) caja.appendChild(document.createTextNode(" · código " + r.codigo));
    if (r.acuse) {
      caja.appendChild(document.createTextNode(" · "));
      caja.appendChild(enlace(r.acuse, "Acuse para imprimir"));
    }
    if (r.estado === "por_decidir") caja.appendChild(enlace(raiz.querySelector("a[href*='por-decidir']").href, "Decidir en «Por decidir»"));
    return caja;
  }

  function pintar() {
    if (!estado.config) return Promise.resolve();
    return capturasGuardadas().then(function (guardadas) {
      var pendientes = guardadas.length;
      var rechazadas = guardadas.filter(function (c) { return c.errores; }).length;
      var texto = pendientes === 0 ? "No hay capturas esperando sincronizarse en este equipo."
        : (pendientes === 1 ? "1 captura espera sincronizarse" : pendientes + " capturas esperan sincronizarse") +
          (rechazadas ? " (" + rechazadas + " con errores)" : "") + ".";
      el("estado-guardado").textContent = texto;
      el("sincronizar").disabled = pendientes === 0 || !estado.llave;
      var promesas = guardadas.filter(function (c) { return esDeHoy(c.capturado_en) || c.errores; })
        .map(function (c) {
          if (!estado.llave) return Promise.resolve({ c: c, datos: null });
          return descifrar(estado.llave, c.id, c.sobre)
            .then(function (claro) { return { c: c, datos: claro.datos }; })
            .catch(function () { return { c: c, datos: null }; });
        });
      return Promise.all(promesas).then(function (locales) {
        var cuerpo = el("tabla-capturas").querySelector("tbody");
        cuerpo.textContent = "";
        var vistos = {};
        locales.forEach(function (x) {
          vistos[x.c.id] = true;
          var fila = document.createElement("tr");
          fila.dataset.id = x.c.id;
          celda(fila, hora(x.c.capturado_en));
          celda(fila, x.datos ? x.datos.nombre : "(cifrada: desbloquee para verla)");
          var td = celda(fila, x.c.errores ? ESTADOS.rechazada : "Espera sincronizarse");
          if (x.c.errores) {
            var ul = document.createElement("ul");
            Object.keys(x.c.errores).forEach(function (campo) {
              x.c.errores[campo].forEach(function (m) {
                var li = document.createElement("li");
                li.textContent = m;
                ul.appendChild(li);
              });
            });
            td.appendChild(ul);
          }
          var acciones = celda(fila, "—");
          if (x.c.errores && x.datos) {
            acciones.textContent = "";
            acciones.appendChild(boton("Corregir", function () { corregir(x.c, x.datos); }));
            acciones.appendChild(document.createTextNode(" "));
            acciones.appendChild(boton("Descartar", function () { descartar(x.c, x.datos); }));
          }
          cuerpo.appendChild(fila);
        });
        estado.resultados.concat(estado.servidor).forEach(function (r) {
          if (vistos[r.id]) return;
          vistos[r.id] = true;
          var fila = document.createElement("tr");
          fila.dataset.id = r.id;
          celda(fila, r.hora || "");
          celda(fila, r.nombre || "—");
          celda(fila, ESTADOS[r.estado] || r.estado);
          celda(fila, folioYCodigo(r));
          cuerpo.appendChild(fila);
        });
        var hay = cuerpo.children.length > 0;
        el("tabla-capturas").hidden = !hay;
        el("sin-capturas").hidden = hay;
      });
    });
  }

  function desbloqueado(llave) {
    estado.llave = llave;
    el("desbloqueo").hidden = true;
    el("captura").hidden = false;
    el("contrasena-campo").value = "";
    var primero = el("form-captura").querySelector("select, input:not([type=hidden])");
    if (primero) primero.focus();
    return pintar().then(function () { if (navigator.onLine) sincronizar(); });
  }

  function errorDesbloqueo(texto) {
    el("desbloqueo-error").textContent = texto;
    el("contrasena-campo").focus();
  }

  function alDesbloquear(evento) {
    evento.preventDefault();
    var contrasena = el("contrasena-campo").value;
    if (!contrasena) { errorDesbloqueo("Escriba su contraseña."); return; }
    if (!estado.config) { errorDesbloqueo("Este equipo aún no tiene los datos del módulo: ábralo una vez con conexión."); return; }
    errorDesbloqueo("");
    var u = estado.config.usuario;
    leer("bovedas", u.id).then(function (boveda) {
      if (boveda) {
        return derivar(contrasena, boveda.sal, boveda.iteraciones).then(function (llave) {
          return descifrar(llave, "testigo", boveda.testigo).then(function (t) {
            if (t !== TESTIGO) throw new Error("testigo");
            return desbloqueado(llave);
          }, function () { return contrasenaCambiada(contrasena); });
        });
      }
      if (!navigator.onLine) {
        errorDesbloqueo("Para preparar este equipo hace falta conexión una vez: conéctese y vuelva a intentar.");
        return null;
      }
      return comprobarEnServidor(contrasena).then(function (correcta) {
        if (!correcta) { errorDesbloqueo("La contraseña no es correcta."); return null; }
        return crearBoveda(contrasena);
      });
    }).catch(function () { errorDesbloqueo("No se pudo desbloquear el equipo. Vuelva a intentar."); });
  }

  function crearBoveda(contrasena) {
    var u = estado.config.usuario;
    return derivar(contrasena, u.sal, u.iteraciones).then(function (llave) {
      return cifrar(llave, "testigo", TESTIGO).then(function (testigo) {
        return guardar("bovedas", { usuario: u.id, sal: u.sal, iteraciones: u.iteraciones, testigo: testigo });
      }).then(function () { return desbloqueado(llave); });
    });
  }

  // La contraseña no abre la bóveda: o está mal, o cambió en el servidor. Si cambió y no hay
  // nada pendiente, se hace una bóveda nueva; si hay pendientes, hace falta la anterior.
  function contrasenaCambiada(contrasena) {
    if (!navigator.onLine) { errorDesbloqueo("La contraseña no es correcta."); return null; }
    return comprobarEnServidor(contrasena).then(function (correcta) {
      if (!correcta) { errorDesbloqueo("La contraseña no es correcta."); return null; }
      return capturasGuardadas().then(function (guardadas) {
        if (guardadas.length) {
          errorDesbloqueo("Su contraseña cambió y en este equipo hay " + guardadas.length +
            " capturas cifradas con la anterior: escriba la contraseña anterior para sincronizarlas.");
          return null;
        }
        return crearBoveda(contrasena);
      });
    });
  }

  // --- Captura ---------------------------------------------------------------------------
  var form = el("form-captura");
  var OBLIGATORIOS = { modulo: "Elija la jornada del módulo.", categoria: "Elija la categoría.",
    localidad: "Elija la localidad.", nombre: "Escriba el nombre de quien solicita.",
    resumen: "Escriba qué problema quiere resolver." };

  function datosDelFormulario() {
    var datos = {};
    new FormData(form).forEach(function (valor, nombre) { datos[nombre] = valor; });
    datos.aviso = form.querySelector("input[name=aviso]").checked;
    return datos;
  }

  function mostrarErrores(errores, titulo) {
    var caja = el("errores-captura");
    caja.textContent = "";
    if (!errores.length) { caja.hidden = true; return; }
    var p = document.createElement("p");
    p.textContent = titulo || "Falta algo para guardar la solicitud:";
    caja.appendChild(p);
    var ul = document.createElement("ul");
    errores.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + e.id;
      a.textContent = e.mensaje;
      li.appendChild(a);
      ul.appendChild(li);
    });
    caja.appendChild(ul);
    caja.hidden = false;
    caja.focus();
  }

  function alCapturar(evento) {
    evento.preventDefault();
    if (!estado.llave) return;
    var datos = datosDelFormulario();
    var errores = [];
    Object.keys(OBLIGATORIOS).forEach(function (campo) {
      if (!(datos[campo] || "").trim()) errores.push({ id: "id_" + campo, mensaje: OBLIGATORIOS[campo] });
    });
    if (!datos.tipo) errores.push({ id: "id_tipo_0", mensaje: "Elija el tipo de solicitud." });
    if (!datos.aviso) errores.push({ id: "id_aviso", mensaje: "Lea el aviso de privacidad y marque que la persona lo aceptó." });
    mostrarErrores(errores);
    if (errores.length) return;
    var editando = estado.editando;
    var id = editando ? editando.id : crypto.randomUUID();
    var capturado = editando ? editando.capturado_en : new Date().toISOString();
    estado.editando = null;
    cifrar(estado.llave, id, { capturado_en: capturado, datos: datos }).then(function (sobre) {
      return guardar("capturas", { id: id, usuario: estado.config.usuario.id, capturado_en: capturado,
        sobre: sobre, errores: null });
    }).then(function () {
      var jornada = form.querySelector("select[name=modulo]").value;
      var localidad = form.querySelector("select[name=localidad]").value;
      form.reset();
      form.querySelector("select[name=modulo]").value = jornada;
      form.querySelector("select[name=localidad]").value = localidad;
      form.querySelectorAll("input[name=tipo]").forEach(function (r) { r.dispatchEvent(new Event("change")); });
      mensaje("Solicitud de " + datos.nombre + " guardada en el equipo, cifrada (" + hora(capturado) + ").", "exito");
      form.querySelector("select, input:not([type=hidden])").focus();
      return pintar();
    }).then(function () { if (navigator.onLine) sincronizar(); })
      .catch(function () { mensaje("No se pudo guardar en el equipo: no cierre la página y vuelva a intentar.", "alerta"); });
  }

  // --- Sincronización --------------------------------------------------------------------
  function enviarLote(renglones, csrf) {
    return fetch(URLS.sincronizar, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ capturas: renglones })
    }).then(function (r) {
      if (!esJson(r)) throw noEsJson(r);
      return r.json().then(function (cuerpo) {
        if (!r.ok) throw new Error(cuerpo.error || "El servidor no aceptó el lote.");
        return cuerpo.resultados;
      });
    });
  }

  function aplicar(resultados, nombres) {
    return resultados.reduce(function (cadena, r) {
      return cadena.then(function () {
        if (r.estado === "rechazada") {
          return leer("capturas", r.id).then(function (c) {
            if (!c) return null;
            c.errores = Object.keys(r.errores || {}).length ? r.errores : { __all__: ["El servidor la rechazó."] };
            return guardar("capturas", c);
          });
        }
        r.nombre = nombres[r.id].nombre;
        r.hora = hora(nombres[r.id].capturado_en);
        estado.resultados = estado.resultados.filter(function (x) { return x.id !== r.id; });
        estado.resultados.unshift(r);
        return borrar("capturas", r.id);
      });
    }, Promise.resolve());
  }

  function sincronizar() {
    if (estado.sincronizando || !estado.config) return Promise.resolve();
    if (!navigator.onLine) { mensaje("Sin conexión: se sincroniza al volver la red.", "aviso-caja"); return Promise.resolve(); }
    if (!estado.llave) { mensaje("Volvió la conexión: desbloquee con su contraseña para sincronizar.", "aviso-caja"); return Promise.resolve(); }
    estado.sincronizando = true;
    el("sincronizar").disabled = true;
    mensaje("Sincronizando…", "");
    var enviadas = 0, folios = 0, rechazadas = 0;
    return cargarConfig(true).then(function (config) {
      estado.config = config;
      return capturasGuardadas();
    }).then(function (guardadas) {
      return Promise.all(guardadas.map(function (c) {
        return descifrar(estado.llave, c.id, c.sobre).then(function (claro) {
          return { id: c.id, capturado_en: claro.capturado_en, datos: claro.datos };
        });
      }));
    }).then(function (renglones) {
      var nombres = {};
      renglones.forEach(function (r) { nombres[r.id] = { nombre: r.datos.nombre, capturado_en: r.capturado_en }; });
      var lotes = [];
      for (var i = 0; i < renglones.length; i += POR_LOTE) lotes.push(renglones.slice(i, i + POR_LOTE));
      return lotes.reduce(function (cadena, lote) {
        return cadena.then(function () {
          return enviarLote(lote, estado.config.csrf).then(function (resultados) {
            enviadas += lote.length;
            resultados.forEach(function (r) {
              if (r.estado === "rechazada") rechazadas += 1; else folios += 1;
            });
            return aplicar(resultados, nombres);
          });
        });
      }, Promise.resolve());
    }).then(function () {
      var texto = enviadas === 0 ? "Nada pendiente por sincronizar."
        : "Sincronización terminada: " + folios + " registradas" + (rechazadas ? ", " + rechazadas + " con errores (siguen en el equipo)" : "") + ".";
      mensaje(texto, rechazadas ? "aviso-caja" : "exito");
      return cargarHoy();
    }).catch(function (error) {
      if (error && error.sesion) {
        mensaje("Su sesión terminó: entre de nuevo al sistema con conexión. Las capturas siguen cifradas en este equipo.", "alerta");
      } else {
        mensaje("Se cortó la sincronización (" + (error && error.message ? error.message : "sin conexión") +
          "). Lo no confirmado sigue en el equipo y se vuelve a enviar sin duplicarse.", "alerta");
      }
    }).then(function () {
      estado.sincronizando = false;
      return pintar();
    });
  }

  function cargarHoy() {
    if (!navigator.onLine) return Promise.resolve();
    return fetch(URLS.hoy, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok && !r.redirected ? r.json() : { capturas: [] }; })
      .then(function (datos) { estado.servidor = datos.capturas || []; })
      .catch(function () { return null; });
  }

  // --- Arranque --------------------------------------------------------------------------
  function registrarServiceWorker() {
    if (!("serviceWorker" in navigator)) {
      el("estado-offline").textContent = "Este navegador no guarda la página para usarla sin red; use Chromium o Chrome actualizado.";
      return;
    }
    navigator.serviceWorker.register(URLS.sw, { scope: URLS.alcance }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      el("estado-offline").textContent = "Página guardada en este equipo: funciona sin conexión.";
      raiz.dataset.listo = "1";
    }).catch(function () {
      el("estado-offline").textContent = "No se pudo guardar la página para usarla sin red (hace falta HTTPS).";
    });
  }

  el("form-desbloqueo").addEventListener("submit", alDesbloquear);
  form.addEventListener("submit", alCapturar);
  el("sincronizar").addEventListener("click", sincronizar);
  window.addEventListener("online", function () { mostrarRed(); sincronizar(); });
  window.addEventListener("offline", mostrarRed);
  mostrarRed();
  registrarServiceWorker();
  cargarConfig(false).then(function (config) {
    estado.config = config;
    var aviso = el("aviso-texto");
    if (aviso && config.aviso.texto) aviso.textContent = config.aviso.texto;
    return cargarHoy();
  }).then(pintar).catch(function (error) {
    el("estado-guardado").textContent = error && error.sesion
      ? "Su sesión terminó: entre de nuevo al sistema con conexión."
      : "No se pudieron leer los datos del módulo: ábralo una vez con conexión.";
  }).then(function () { el("contrasena-campo").focus(); raiz.dataset.iniciado = "1"; });
})();
