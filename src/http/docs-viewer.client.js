// Runs in the browser on /api/docs (docs-viewer.ts): starts Swagger UI on the
// desk's OpenAPI document. Try-it sends requests to this desk with either an
// API key (the Authorize button: Bearer or X-API-Key) or the session of
// whoever is signed in to the desk in this browser; a session's writes need
// its CSRF token, which this script reads from GET /api/v1/session (or keeps
// from a sign-in made through try-it) and sends as X-CSRF-Token.
(function () {
  'use strict';
  let csrf = '';
  const SESSION = /\/api\/v1\/(portal\/)?session$/;

  const isWrite = (method) => !['GET', 'HEAD', 'OPTIONS'].includes(String(method).toUpperCase());
  const usesKey = (headers) => Object.keys(headers).some((h) => /^(authorization|x-api-key)$/i.test(h));

  async function csrfToken() {
    if (!csrf) {
      const res = await fetch('/api/v1/session', {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (res.ok) csrf = (await res.json()).csrfToken || '';
    }
    return csrf;
  }

  async function start() {
    const spec = await (await fetch('/api/openapi.json', { headers: { accept: 'application/json' } })).json();
    // Try-it goes to the desk that served this page: the page may only connect to its own origin.
    spec.servers = [{ url: window.location.origin, description: 'This desk' }];
    window.ui = window.SwaggerUIBundle({
      spec,
      dom_id: '#swagger-ui',
      deepLinking: true,
      filter: true,
      displayRequestDuration: true,
      defaultModelsExpandDepth: 0,
      // The default validator is a remote service: nothing leaves the desk.
      validatorUrl: null,
      withCredentials: true,
      requestInterceptor: async (req) => {
        if (isWrite(req.method) && !usesKey(req.headers) && !SESSION.test(new URL(req.url).pathname)) {
          const token = await csrfToken();
          if (token) req.headers['X-CSRF-Token'] = token;
        }
        return req;
      },
      responseInterceptor: (res) => {
        // A sign-in through try-it starts a session (keep its token); a sign-out ends it.
        if (SESSION.test(new URL(res.url).pathname)) csrf = (res.body && res.body.csrfToken) || '';
        return res;
      },
    });
  }

  start().catch((err) => {
    const main = document.getElementById('swagger-ui');
    main.textContent = `The API reference could not load: ${err.message}. The document is at /api/openapi.json.`;
  });
})();
