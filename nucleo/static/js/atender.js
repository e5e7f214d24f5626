// Atender una asesoría: solo se ven los datos del resultado elegido. Sin JavaScript se ven
// todos, cada grupo con su título, y el servidor ignora los de las otras opciones.
(function () {
  "use strict";
  var grupos = document.querySelectorAll("fieldset[data-opcion]");
  var opciones = document.querySelectorAll("[data-resultados] input[name=accion]");
  if (!grupos.length || !opciones.length) return;
  function mostrar() {
    var elegida = document.querySelector("[data-resultados] input[name=accion]:checked");
    grupos.forEach(function (g) {
      g.hidden = !elegida || g.getAttribute("data-opcion") !== elegida.value;
    });
  }
  opciones.forEach(function (r) { r.addEventListener("change", mostrar); });
  mostrar();
})();
