// «Generando…» en la tabla de documentos del caso: pregunta cada 2 s y pone el enlace
// cuando el PDF está listo. Sin JavaScript, el enlace lleva a una página que se actualiza sola.
(function () {
  "use strict";
  function vigilar(celda, intentos) {
    fetch(celda.dataset.estado, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (datos) {
        if (datos && datos.estado !== "pendiente" && datos.estado !== "generando") {
          celda.textContent = datos.texto;
          celda.removeAttribute("data-estado");
          return;
        }
        if (intentos < 90) { setTimeout(function () { vigilar(celda, intentos + 1); }, 2000); }
      })
      .catch(function () {
        if (intentos < 90) { setTimeout(function () { vigilar(celda, intentos + 1); }, 5000); }
      });
  }
  document.querySelectorAll("[data-estado]").forEach(function (celda) { vigilar(celda, 0); });
})();
