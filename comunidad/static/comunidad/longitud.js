// Contador del SMS de un aviso comunitario: la misma cuenta que comunidad/longitud.py (la que
// vale al enviar). Mejora progresiva: sin JavaScript, la página de confirmación da la cifra.
(function () {
  "use strict";
  var fuente = document.getElementById("piezas-sms");
  var campo = document.getElementById("id_texto");
  var salida = document.getElementById("sms-texto");
  var cuenta = document.getElementById("sms-cuenta");
  if (!fuente || !campo || !salida || !cuenta) return;
  var p = JSON.parse(fuente.textContent);
  var basico = new Set(Array.from(p.basico));
  var extension = new Set(Array.from(p.extension));

  function aGsm7(texto) {
    var salida = "";
    Array.from(texto).forEach(function (c) {
      if (basico.has(c) || extension.has(c)) { salida += c; return; }
      if (Object.prototype.hasOwnProperty.call(p.sustitutos, c)) { salida += p.sustitutos[c]; return; }
      var base = Array.from(c.normalize("NFD"))[0];
      salida += basico.has(base) ? base : "?";
    });
    return salida;
  }
  function septetos(texto) {
    return Array.from(texto).reduce(function (n, c) { return n + (extension.has(c) ? 2 : 1); }, 0);
  }
  function limpiar(texto) { return texto.split(/\s+/).filter(Boolean).join(" "); }
  function fuera(texto) {
    var vistos = [];
    Array.from(texto).forEach(function (c) {
      if (c !== "?" && aGsm7(c) === "?" && vistos.indexOf(c) < 0) vistos.push(c);
    });
    return vistos;
  }
  function segmentos(unidades, solo, parte) { return unidades <= solo ? 1 : Math.ceil(unidades / parte); }
  function completo(texto) { return (p.antes + texto).replace(/[ .]+$/, "") + p.despues; }

  function medir(texto) {
    texto = limpiar(texto);
    var raros = fuera(texto);
    if (raros.length) {
      var crudo = completo(texto);
      return { texto: crudo, codificacion: "UCS-2", unidades: crudo.length, fuera: raros,
               segmentos: segmentos(crudo.length, p.ucs2_solo, p.ucs2_parte) };
    }
    var final = aGsm7(completo(texto));
    var u = septetos(final);
    return { texto: final, codificacion: "GSM-7", unidades: u, fuera: [],
             segmentos: segmentos(u, p.gsm7_solo, p.gsm7_parte) };
  }

  function describir(m) {
    if (m.codificacion === "UCS-2") {
      return "Lleva caracteres que un SMS normal (GSM-7) no tiene: " + m.fuera.join(" ") +
        ". Así tendría que ir en UCS-2: " + m.unidades + " caracteres, " + m.segmentos +
        (m.segmentos === 1 ? " mensaje de 70." : " mensajes de 67.") + " Quítelos para poder enviarlo.";
    }
    var texto = m.segmentos === 1
      ? "SMS en GSM-7: " + m.unidades + " de 160 caracteres, 1 mensaje."
      : "SMS en GSM-7: " + m.unidades + " caracteres, " + m.segmentos + " mensajes de 153.";
    if (m.segmentos > p.maximo) texto += " Es demasiado largo: el máximo son " + p.maximo + " mensajes.";
    return texto;
  }

  var espera = null;
  function actualizar(anunciar) {
    var m = medir(campo.value);
    salida.textContent = m.texto;
    var texto = campo.value.trim() ? describir(m) : "Escriba el texto para ver cuántos mensajes SMS ocupa.";
    // La región «polite» se cambia al dejar de escribir: un lector de pantalla no la lee con cada tecla.
    clearTimeout(espera);
    if (anunciar) espera = setTimeout(function () { cuenta.textContent = texto; }, 600);
    else cuenta.textContent = texto;
    cuenta.classList.toggle("error", m.codificacion === "UCS-2" || m.segmentos > p.maximo);
  }
  campo.setAttribute("aria-describedby", (campo.getAttribute("aria-describedby") || "") + " sms-cuenta");
  campo.addEventListener("input", function () { actualizar(true); });
  if (campo.value) actualizar(false);
})();
