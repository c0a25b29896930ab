// A dependency-free page that renders /api/openapi.json: operations grouped
// by tag, each expandable to its parameters, request body and responses.
// Text is inserted with textContent only, so nothing in the document runs.

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Deskline API</title>
<style>
  :root { --ink:#1d2433; --muted:#5b6478; --line:#e3e7ef; --bg:#f6f8fb; }
  * { box-sizing: border-box; }
  body { margin:0; font:15px/1.5 system-ui, -apple-system, Segoe UI, Roboto, sans-serif; color:var(--ink); background:var(--bg); }
  header { background:#1f3a68; color:#fff; padding:20px 32px; }
  header h1 { margin:0 0 4px; font-size:22px; }
  header p { margin:0; color:#cdd8ee; max-width:900px; }
  header a { color:#fff; }
  main { max-width:1100px; margin:0 auto; padding:24px 32px 64px; }
  h2 { font-size:18px; margin:28px 0 10px; }
  details { background:#fff; border:1px solid var(--line); border-radius:8px; margin:6px 0; }
  summary { cursor:pointer; padding:10px 14px; display:flex; gap:12px; align-items:baseline; list-style:none; }
  summary::-webkit-details-marker { display:none; }
  .m { font:600 12px/1 ui-monospace, monospace; padding:5px 8px; border-radius:5px; color:#fff; min-width:62px; text-align:center; }
  .GET{background:#2f7d4f}.POST{background:#2a5db0}.PATCH{background:#a86b12}.PUT{background:#7a4fb0}.DELETE{background:#b03a3a}
  .p { font-family:ui-monospace, monospace; font-size:14px; }
  .s { color:var(--muted); }
  .body { padding:4px 16px 14px; border-top:1px solid var(--line); }
  .body h4 { margin:12px 0 4px; font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
  pre { background:#0f1724; color:#d8e1f0; padding:10px 12px; border-radius:6px; overflow:auto; font-size:12.5px; margin:0; }
  table { border-collapse:collapse; width:100%; font-size:14px; }
  td { border-bottom:1px solid var(--line); padding:4px 6px; vertical-align:top; }
  code { font-family:ui-monospace, monospace; }
  header code { background:#2b4b80; padding:1px 5px; border-radius:4px; }
</style>
</head>
<body>
<header>
  <h1>Deskline API</h1>
  <p id="intro">Loading…</p>
  <p><a href="/api/openapi.json">openapi.json</a></p>
</header>
<main id="ops" aria-live="polite"></main>
<script>
(async () => {
  const el = (tag, attrs, ...kids) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    for (const k of kids) n.append(k);
    return n;
  };
  const json = (v) => el('pre', {}, JSON.stringify(v, null, 2));
  const doc = await (await fetch('/api/openapi.json')).json();
  // Backtick spans become <code>; everything stays text nodes.
  const intro = document.getElementById('intro');
  intro.textContent = '';
  doc.info.description.split('\x60').forEach((part, i) => intro.append(i % 2 ? el('code', {}, part) : part));
  const byTag = new Map();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method: method.toUpperCase(), op });
    }
  }
  const main = document.getElementById('ops');
  for (const [tag, list] of byTag) {
    main.append(el('h2', {}, tag));
    for (const { path, method, op } of list) {
      const body = el('div', { class: 'body' });
      if (op.parameters && op.parameters.length) {
        const rows = op.parameters.map((p) =>
          el('tr', {}, el('td', {}, el('code', {}, p.name)), el('td', {}, p.in + (p.required ? ', required' : '')),
             el('td', {}, JSON.stringify(p.schema))));
        body.append(el('h4', {}, 'Parameters'), el('table', {}, ...rows));
      }
      const reqSchema = op.requestBody && op.requestBody.content['application/json'];
      if (reqSchema) body.append(el('h4', {}, 'Request body'), json(reqSchema.schema));
      body.append(el('h4', {}, 'Responses'));
      for (const [code, r] of Object.entries(op.responses)) {
        const media = Object.keys(r.content || {});
        body.append(el('div', {}, el('code', {}, code), ' ', r.description, media.length ? ' — ' + media.join(', ') : ''));
        const c = r.content && r.content['application/json'];
        if (c && code.startsWith('2')) body.append(json(c.schema));
      }
      main.append(el('details', {},
        el('summary', {}, el('span', { class: 'm ' + method }, method), el('span', { class: 'p' }, path),
           el('span', { class: 's' }, op.summary || '')), body));
    }
  }
})();
</script>
</body>
</html>
`;
