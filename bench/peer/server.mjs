// The peer for scripts/bench: node `oidc-provider` configured like Propusk's bench set-up,
// with its in-memory adapter, on loopback, serving Propusk's paths so that the load
// generator sends the same requests to both.
//
// Environment: PORT, CLIENT_SECRET (client `bench`, client_credentials), WEB_SECRET
// (client `bench-web`, code flow and refresh), RS_SECRET (resource server `ref.api`,
// introspection). GET /bench/prepare?n=N answers { access_tokens, refresh_tokens }: user
// tokens minted through the provider's own models, as a finished code flow would leave them.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT ?? 3000);
const issuer = `http://127.0.0.1:${port}`;
const env = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();

const jwk = (type, options, alg) => ({
  ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }),
  alg,
  use: 'sig',
});
const keys = [
  jwk('rsa', { modulusLength: 2048 }, 'RS256'),
  jwk('ec', { namedCurve: 'P-256' }, 'ES256'),
  jwk('ed25519', {}, 'EdDSA'),
];

// Resource servers, keyed by the scope that selects them (Propusk's products).
const resources = {
  'api.rs256': { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } },
  'api.es256': { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } },
  'api.eddsa': { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'EdDSA' } } },
  'ref.api': { accessTokenFormat: 'opaque' },
};
const indicator = (scope) => `urn:propusk-bench:${scope}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bench',
      client_secret: env('CLIENT_SECRET'),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: Object.keys(resources).join(' '),
    },
    {
      client_id: 'bench-web',
      client_secret: env('WEB_SECRET'),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1:9/cb'],
      scope: 'openid profile email offline_access',
    },
    // The resource server's own credentials, for introspection (Propusk's product `ref.api`).
    {
      client_id: 'ref.api',
      client_secret: env('RS_SECRET'),
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: { keys },
  routes: {
    authorization: '/connect/authorize',
    token: '/connect/token',
    userinfo: '/connect/userinfo',
    introspection: '/connect/introspect',
    revocation: '/connect/revocation',
    jwks: '/.well-known/openid-configuration/jwks',
    end_session: '/connect/endsession',
  },
  scopes: ['openid', 'offline_access', ...Object.keys(resources)],
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, _client, oneOf) => {
        if (oneOf) return oneOf;
        const scope = ctx.oidc.params?.scope?.split(' ').find((s) => s in resources);
        return scope ? indicator(scope) : undefined;
      },
      getResourceServerInfo: (_ctx, resource) => {
        const scope = resource.slice(indicator('').length);
        if (!resource.startsWith(indicator('')) || !(scope in resources)) {
          throw new Provider.errors.InvalidTarget();
        }
        return { scope, audience: scope, accessTokenTTL: 3600, ...resources[scope] };
      },
    },
  },
  // Propusk rotates refresh tokens on every use; so does the peer here.
  rotateRefreshToken: true,
  ttl: { AccessToken: 3600, ClientCredentials: 3600, IdToken: 3600, RefreshToken: 30 * 24 * 3600 },
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, name: 'Bench User', email: 'bench@example.test', email_verified: true }),
  }),
  cookies: { keys: ['propusk-bench-peer-cookie-key'] },
});
provider.proxy = false;

// Mints `n` user access tokens (for userinfo) and `n` refresh tokens, each in its own grant.
async function prepare(n) {
  const client = await provider.Client.find('bench-web');
  const out = { access_tokens: [], refresh_tokens: [] };
  for (let i = 0; i < n; i += 1) {
    const accountId = 'bench';
    const grant = new provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope('openid profile email offline_access');
    const grantId = await grant.save();
    const common = { accountId, client, grantId, gty: 'authorization_code', authTime: Math.floor(Date.now() / 1000) };
    out.access_tokens.push(await new provider.AccessToken({ ...common, scope: 'openid profile email' }).save());
    out.refresh_tokens.push(await new provider.RefreshToken({ ...common, scope: 'openid profile email offline_access' }).save());
  }
  return out;
}

const handle = provider.callback();
createServer((req, res) => {
  if (req.url.startsWith('/bench/prepare')) {
    const n = Number(new URL(req.url, issuer).searchParams.get('n') ?? 1);
    prepare(n).then(
      (body) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)); },
      (err) => { res.statusCode = 500; res.end(String(err.stack)); },
    );
    return;
  }
  handle(req, res);
}).listen(port, '127.0.0.1', () => console.log(`peer listening on ${issuer}`));
