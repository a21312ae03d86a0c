// A minimal user agent: follows the provider's redirects with a cookie jar, fills in the
// login form and, when asked, the consent form, and returns the redirect to the client.
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function unescapeHtml(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(n);
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function attrs(tag) {
  const out = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of tag.replace(/^<\w+|\/?>$/g, '').matchAll(re)) {
    out[m[1].toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** Every <form> in the page: { action, method, fields (hidden/text/checked inputs), buttons }. */
export function parseForms(html) {
  const forms = [];
  for (const m of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form\s*>/gi)) {
    const form = attrs(m[0].match(/^<form\b[^>]*>/i)[0]);
    const fields = {};
    const buttons = [];
    for (const [tag] of m[0].matchAll(/<(?:input|button)\b[^>]*>/gi)) {
      const a = attrs(tag);
      const type = (a.type ?? (tag.startsWith('<b') ? 'submit' : 'text')).toLowerCase();
      if (!a.name) continue;
      if (type === 'submit' || type === 'image') buttons.push({ name: a.name, value: a.value ?? '' });
      else if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
      else fields[a.name] = a.value ?? '';
    }
    forms.push({ action: form.action ?? '', method: (form.method ?? 'get').toLowerCase(), fields, buttons });
  }
  return forms;
}

export class CookieJar {
  #cookies = new Map();
  store(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...rest] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const expired = rest.some((p) => /^\s*max-age\s*=\s*(0|-)/i.test(p)
        || (/^\s*expires\s*=/i.test(p) && Date.parse(p.split('=')[1]) < Date.now()));
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, pair.slice(i + 1).trim());
    }
  }
  header() {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Drives the authorization request at `authUrl` to its end and returns the URL the
 * provider finally redirected to outside its own origin (the client's redirect_uri), as
 * `{ callback: URL, pages: ['login', 'consent', ...] }` (the forms it submitted).
 * `consent` is the value of the `decision` button to press if a consent page appears.
 */
export async function authorize(authUrl, { login, password, consent = 'allow', jar = new CookieJar() }) {
  const origin = new URL(authUrl).origin;
  let url = new URL(authUrl);
  let init = { method: 'GET' };
  const seen = [];
  const pages = [];
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: jar.header() } });
    jar.store(res);
    seen.push(`${init.method} ${url.pathname} -> ${res.status}`);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), url);
      if (next.origin !== origin) return { callback: next, pages };
      url = next;
      init = res.status === 307 || res.status === 308 ? init : { method: 'GET' };
      continue;
    }
    const body = await res.text();
    if (res.status !== 200) throw new Error(`unexpected ${res.status} at ${url}: ${body.slice(0, 500)}`);
    const forms = parseForms(body).filter((f) => f.method === 'post');
    const loginForm = forms.find((f) => /\/login$/.test(new URL(f.action, url).pathname));
    const consentForm = forms.find((f) => /\/consent$/.test(new URL(f.action, url).pathname));
    let form, data;
    if (loginForm) {
      form = loginForm;
      pages.push('login');
      const submit = form.buttons[0];
      data = { ...form.fields, ...(submit && { [submit.name]: submit.value }), login, password };
    } else if (consentForm) {
      form = consentForm;
      pages.push('consent');
      if (!form.buttons.some((b) => b.name === 'decision' && b.value === consent)) {
        throw new Error(`consent page has no decision=${consent} button: ${JSON.stringify(form)}`);
      }
      data = { ...form.fields, decision: consent };
    } else {
      throw new Error(`no login or consent form at ${url} (${seen.join(', ')}):\n${body.slice(0, 1000)}`);
    }
    url = new URL(form.action, url);
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(data).toString(),
    };
  }
  throw new Error(`too many steps: ${seen.join(', ')}`);
}
