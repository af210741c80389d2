// make test (scripts/e2e.sh): standard OAuth 2.0 / OpenID Connect clients against the running
// function, by their documented calls only: npm `jose` verifies an access token (RFC 9068),
// npm `openid-client` discovers the issuer, refreshes (RFC 6749 §6), sees a spent token refused
// with `invalid_grant`, and revokes (RFC 7009). Pinned by package-lock.json.
//
//   node check.mjs ISSUER CLIENT_ID AUDIENCE EMAIL
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as client from 'openid-client';

const [issuer, clientId, audience, email] = process.argv.slice(2);
const ok = (what) => console.log(`  ok ${what}`);

// An account and a session, through the service's own API (sign-in is no OAuth flow here).
const post = (path, body) => fetch(`${issuer}${path}`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const credentials = { email, password: 'a password for the OAuth clients' };
await post('/user/', { name: 'OAuth', surname: 'Client', ...credentials });
await post('/user/activate/', credentials);
const signedIn = await post('/user/signin/', credentials);
assert.equal(signedIn.status, 200);
const { access_token: accessToken, refresh_token: refreshToken } = await signedIn.json();

// Discovery, as any OIDC client starts. The issuer is plain http on loopback in tests.
const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
  execute: [client.allowInsecureRequests],
});
const metadata = config.serverMetadata();
assert.equal(metadata.issuer, issuer);
ok(`openid-client discovers ${metadata.issuer}`);

// An access token, verified as RFC 9068 says: our JWKS, issuer, audience, typ at+jwt.
const jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
const { payload } = await jose.jwtVerify(accessToken, jwks, { issuer, audience, typ: 'at+jwt' });
assert.equal(payload.client_id, clientId, 'RFC 9068 requires client_id');
ok('jose verifies the access token (typ at+jwt, client_id, iss, aud)');

// A refresh at the discovered token endpoint, with RFC 6749's form.
const refreshed = await client.refreshTokenGrant(config, refreshToken);
assert.equal(refreshed.token_type.toLowerCase(), 'bearer');
assert.ok(refreshed.access_token && refreshed.refresh_token && refreshed.expires_in > 0);
await jose.jwtVerify(refreshed.access_token, jwks, { issuer, audience, typ: 'at+jwt' });
ok('openid-client refreshes: a new pair, whose access token jose verifies');

// The spent token, refused as RFC 6749 §5.2 says.
await assert.rejects(client.refreshTokenGrant(config, refreshToken), (error) => {
  assert.equal(error.error, 'invalid_grant', String(error));
  return true;
});
ok('openid-client sees the spent refresh token refused with invalid_grant');

// Revocation at the discovered endpoint; the revoked token refreshes no more.
await client.tokenRevocation(config, refreshed.refresh_token);
await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token), (error) => {
  assert.equal(error.error, 'invalid_grant', String(error));
  return true;
});
ok('openid-client revokes the refresh token; it refreshes no more');
