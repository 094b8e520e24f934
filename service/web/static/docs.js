"use strict";
// Starts Swagger UI on /docs (a file, not an inline script: the pages' CSP allows none).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", layout: "BaseLayout", deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis] });
