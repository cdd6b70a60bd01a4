// A real OpenID Connect provider (npm oidc-provider) for meet's sign-in tests.
//
// The Go tests start it with `node provider.mjs`; it listens on 127.0.0.1 on a
// free port and prints one JSON line {"issuer": "http://127.0.0.1:PORT"} once
// ready. Configuration comes from the environment:
//   CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI,
//   BACKCHANNEL_LOGOUT_URI (optional).
// The development login form accepts any login and password; the account's
// claims are derived from the login (see findAccount). It exits when its
// standard input closes, so a crashed test never leaves it behind.
import http from 'node:http';
import Provider from 'oidc-provider';

const env = (name, fallback) => process.env[name] ?? fallback;

// Claims per login. Unknown logins get a generic profile.
const profiles = {
  alice: { given_name: 'Alice', usual_name: 'Liddell', name: 'Alice Pleasance Liddell' },
  nameonly: { name: 'Only A Name' },
};

function claimsFor(login) {
  const p = profiles[login] ?? { given_name: login.charAt(0).toUpperCase() + login.slice(1), usual_name: 'Tester' };
  return { sub: login, email: `${login}@example.com`, email_verified: true, ...p };
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const client = {
    client_id: env('CLIENT_ID', 'meet'),
    client_secret: env('CLIENT_SECRET', 'meet-secret'),
    redirect_uris: [env('REDIRECT_URI', 'http://127.0.0.1/api/v1.0/callback/')],
    post_logout_redirect_uris: [env('POST_LOGOUT_REDIRECT_URI', 'http://127.0.0.1/api/v1.0/logout-callback/')],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  };
  if (process.env.BACKCHANNEL_LOGOUT_URI) {
    client.backchannel_logout_uri = process.env.BACKCHANNEL_LOGOUT_URI;
  }
  const provider = new Provider(issuer, {
    clients: [client],
    async findAccount(ctx, id) {
      return { accountId: id, async claims() { return claimsFor(id); } };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'usual_name'],
    },
    cookies: { keys: ['meet-test-cookie-key'] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: true },
    },
    pkce: { required: () => true },
    // oidc-provider refuses outgoing requests to special-use addresses (SSRF
    // protection); meet listens on loopback in these tests, so the
    // back-channel logout call goes through Node's default dispatcher.
    fetch: (url, { dispatcher, ...options }) => globalThis.fetch(url, options),
  });
  // The tests run without a console to read: keep the provider quiet.
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  provider.on('backchannel.error', (ctx, err) => console.error('backchannel.error', err.message));
  server.on('request', provider.callback());
  process.stdout.write(JSON.stringify({ issuer }) + '\n');
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
