// A real OpenID Connect provider (node-oidc-provider) standing in for the province's, for
// SIBINA's single sign-on tests (tests/oidc/provider.py starts it). Usage:
//   node provider.mjs CONFIG.json
// CONFIG: {"clients": [{client_id, client_secret, redirect_uris}],
//          "accounts": {"<login>": {"password": "...", "claims": {"nip": "...", "name": "..."}}}}
// The accounts are read again at each sign-in, so a test may rewrite them while it runs.
// It listens on 127.0.0.1, on a free port, and prints {"issuer": "http://127.0.0.1:PORT"} once
// ready. Plain http and a key made at start: for tests on one machine only.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const readConfig = () => JSON.parse(readFileSync(process.argv[2], 'utf8'));
const config = readConfig();
const account = (login) => {
  const { accounts } = readConfig();
  return Object.hasOwn(accounts, login) ? accounts[login] : undefined;
};

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>SSO Pemprov Jambi (penyedia uji)</h1>${body}</body></html>`;
}

function loginForm(uid, error = '') {
  return page('Masuk SSO', `
${error ? `<p role="alert" class="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
  <label>Nama pengguna <input name="login" autocomplete="off" required></label>
  <label>Kata sandi <input type="password" name="password" required></label>
  <button type="submit">Masuk</button>
</form>
<p><a href="/interaction/${escape(uid)}/batal">Batal</a></p>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function interaction(provider, req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Galat', '<p>Interaksi tidak dikenal.</p>'));
  if (action === 'batal') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'Pengguna membatalkan masuk',
    }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'GET') return send(res, 200, loginForm(uid));
  const form = await readForm(req);
  const login = form.get('login') || '';
  const found = account(login);
  if (!found || found.password !== form.get('password')) {
    return send(res, 200, loginForm(uid, 'Nama pengguna atau kata sandi salah.'));
  }
  return provider.interactionFinished(req, res, { login: { accountId: login } }, {
    mergeWithLastSubmission: false,
  });
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'uji', use: 'sig', alg: 'RS256' };

let provider;
const server = http.createServer((req, res) => {
  const match = new URL(req.url, 'http://x').pathname.match(/^\/interaction\/([^/]+)(?:\/(batal))?$/);
  if (match) {
    interaction(provider, req, res, match[1], match[2]).catch((error) => {
      send(res, 400, page('Galat', `<p>${escape(error.message)}</p>`));
    });
    return;
  }
  provider.callback()(req, res);
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: ['kunci-cookie-penyedia-uji'] },
    // nip_asn: a provider that names the claim otherwise (OIDC_NIP_CLAIM).
    claims: { openid: ['sub'], profile: ['name', 'nip', 'nip_asn'], email: ['email'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const found = account(id);
      if (!found) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...found.claims }) };
    },
    // The province's own portal: no consent page, the scopes asked for are granted.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
      await grant.save();
      return grant;
    },
  });
  console.log(JSON.stringify({ issuer }));
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
