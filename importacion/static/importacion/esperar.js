// «Importando…»: pregunta cada 3 s si la importación terminó y entonces recarga la página
// para mostrar el resultado. Sin JavaScript, el enlace «Actualizar» hace lo mismo.
(function () {
  "use strict";
  var nodo = document.querySelector("[data-estado-importacion]");
  if (!nodo) { return; }
  function revisar(intentos) {
    fetch(nodo.dataset.estadoImportacion, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (datos) {
        if (datos && !datos.en_curso) { window.location.reload(); return; }
        if (intentos < 2400) { setTimeout(function () { revisar(intentos + 1); }, 3000); }
      })
      .catch(function () {
        if (intentos < 2400) { setTimeout(function () { revisar(intentos + 1); }, 5000); }
      });
  }
  setTimeout(function () { revisar(0); }, 3000);
})();
