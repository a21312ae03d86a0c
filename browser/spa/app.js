// A single-page application as a developer writes it with oidc-client-ts: code flow with
// PKCE from the browser, tokens kept in the browser, every call made from this origin.
// The test drives it through `window.spa`.
/* global oidc, SPA_CONFIG */
const origin = window.location.origin;
const manager = new oidc.UserManager({
  authority: SPA_CONFIG.authority,
  client_id: SPA_CONFIG.clientId,
  redirect_uri: `${origin}/callback.html`,
  post_logout_redirect_uri: `${origin}/bye.html`,
  response_type: 'code',
  scope: 'openid profile email offline_access',
  loadUserInfo: true,
  automaticSilentRenew: false,
  userStore: new oidc.WebStorageStateStore({ store: window.localStorage }),
});

const status = (text) => { document.getElementById('status').textContent = text; };

async function post(url, form) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: await res.json() };
}

window.spa = {
  manager,
  login: () => manager.signinRedirect(),
  user: () => manager.getUser(),
  async userinfo() {
    const user = await manager.getUser();
    const res = await fetch(SPA_CONFIG.userinfo, { headers: { authorization: `Bearer ${user.access_token}` } });
    return { status: res.status, body: res.status === 200 ? await res.json() : null, challenge: res.headers.get('www-authenticate') };
  },
  refresh: () => manager.signinSilent(),
  revoke: () => manager.revokeTokens(['refresh_token', 'access_token']),
  /** A refresh with a given token, straight at the token endpoint: the answer is readable. */
  refreshWith: (refreshToken) => post(SPA_CONFIG.token, {
    grant_type: 'refresh_token', refresh_token: refreshToken, client_id: SPA_CONFIG.clientId,
  }),
  signOut: () => manager.signoutRedirect({ state: 'with a hint' }),
  async signOutWithoutHint() {
    await manager.removeUser();
    return manager.signoutRedirect({ state: 'without a hint' });
  },
};

(async () => {
  try {
    if (window.location.pathname === '/callback.html') {
      const user = await manager.signinRedirectCallback();
      status(`signed-in ${user.profile.sub} ${user.profile.email ?? ''}`);
    } else if (window.location.pathname === '/bye.html') {
      const response = await manager.signoutRedirectCallback();
      status(`signed-out ${response.userState ?? ''}`);
    } else {
      status('ready');
    }
  } catch (e) {
    status(`error ${e.message}`);
  }
})();
