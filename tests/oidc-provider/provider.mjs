// A real, certified OpenID Connect provider (panva/oidc-provider) on loopback, for the sign-in tests only.
// Its development login form accepts any password for the users named in USERS; their "roles" claim
// is what ControlRoom maps to its roles. Settings come from the environment:
//   PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, USERS='{"m.rossi":{"name":"Mario Rossi","roles":["pl-supervisor"]}}'
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const users = JSON.parse(process.env.USERS ?? '{}');

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  scopes: ['openid', 'profile', 'roles'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], roles: ['roles'] },
  conformIdTokenClaims: false, // the granted claims ride in the ID token: the app needs no userinfo call
  findAccount: (ctx, id) => users[id] && {
    accountId: id,
    claims: () => ({ sub: id, preferred_username: id, name: users[id].name, roles: users[id].roles }),
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['controlroom-test-only'] },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
