import { loadConfig } from '../../lib/config';

/**
 * Without an identity provider the pages' local sign-in lets anyone pick a name and a role: such a
 * run may listen only where no one else can reach it.
 */
test('the local sign-in only on loopback: an API on another address needs AUTH_JWKS_URL', () => {
  for (const HOST of ['127.0.0.1', '127.0.1.1', 'localhost', '::1']) expect(loadConfig({ HOST }).HOST).toBe(HOST);
  for (const HOST of ['0.0.0.0', '::', '10.1.2.3', 'oversight.example.nhs.uk', '127.0.0.1.example.org']) {
    expect(() => loadConfig({ HOST })).toThrow(/AUTH_JWKS_URL: is needed to listen on .*anyone who reaches the pages pick any role/);
  }
  expect(loadConfig({ HOST: '0.0.0.0', AUTH_JWKS_URL: 'https://login.example/keys' }).HOST).toBe('0.0.0.0');
});
