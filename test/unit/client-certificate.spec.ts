import { describe, expect, it } from 'vitest';
import { checkClientCertificate, checkClientCertificateSubject } from '../../src/index.js';
import { commonNamesOf } from '../../src/mtls/distinguished-name.js';
import { isTrustedProxy, resolveMtlsOptions } from '../../src/mtls/mtls.options.js';

const CN = 'client.webhooks.fbclientcerts.com';

describe('commonNamesOf (RFC 4514 / RFC 2253 subjects)', () => {
  it.each([
    ['CN=client.webhooks.fbclientcerts.com', [CN]],
    // AWS ALB / nginx $ssl_client_s_dn order: most specific RDN first.
    ['CN=client.webhooks.fbclientcerts.com,O=Meta Platforms\\, Inc.,L=Menlo Park,C=US', [CN]],
    // CN anywhere, spaces around separators, lower-case and long type names, OIDs.
    ['C=US, O="Meta Platforms, Inc." , cn = client.webhooks.fbclientcerts.com', [CN]],
    ['O=Meta;commonName=client.webhooks.fbclientcerts.com', [CN]],
    ['2.5.4.3=client.webhooks.fbclientcerts.com', [CN]],
    ['OID.2.5.4.3=client.webhooks.fbclientcerts.com', [CN]],
    // Multi-valued RDN.
    ['OU=Webhooks+CN=client.webhooks.fbclientcerts.com,O=Meta', [CN]],
    // Hex pairs (UTF-8) and escaped specials are unescaped.
    ['CN=caf\\C3\\A9\\2C \\+ co\\\\', ['café, + co\\']],
    ['CN=\\#hash\\ ', ['#hash ']],
    // BER hex value of a UTF8String.
    [`CN=#0c${Buffer.from('abc').length.toString(16).padStart(2, '0')}616263`, ['abc']],
    // Several CNs are all reported (the check then refuses them as ambiguous).
    ['CN=a,CN=client.webhooks.fbclientcerts.com', ['a', CN]],
    ['O=no common name', []],
    ['', []],
  ])('%s → %j', (subject, names) => {
    expect(commonNamesOf(subject)).toEqual(names);
  });

  it.each([
    '/C=US/O=Meta/CN=client.webhooks.fbclientcerts.com', // OpenSSL's legacy one-line form
    'CN=client.webhooks.fbclientcerts.com,', // dangling separator
    'CN', // no value
    'CN=a\\', // dangling escape
    'CN=a\\x', // not an escapable character
    'CN=a"b', // stray quote
    'CN="unterminated',
    'CN=#0c05616263', // BER length mismatch
    'CN=#0203010001', // not a string type
    'CN=\\ff\\fe', // not UTF-8
    '=value',
  ])('refuses the malformed subject %j', (subject) => {
    expect(commonNamesOf(subject)).toBeUndefined();
  });
});

describe('checkClientCertificateSubject', () => {
  it('accepts exactly one matching CN', () => {
    expect(checkClientCertificateSubject(`CN=${CN},O=Meta Platforms\\, Inc.,C=US`)).toEqual({
      ok: true,
      cn: CN,
    });
    expect(checkClientCertificateSubject('CN=other.example', 'other.example').ok).toBe(true);
  });

  it.each([
    [undefined, 'missing'],
    ['  ', 'missing'],
    ['/CN=client.webhooks.fbclientcerts.com', 'malformed'],
    [`CN=${CN}\\,O=x`, 'wrong-cn'], // the comma is escaped: the CN is longer
    [`O=${CN}`, 'wrong-cn'],
    [`CN=evil,CN=${CN}`, 'wrong-cn'],
    [`CN=${CN},CN=${CN}`, 'wrong-cn'],
    ['CN=CLIENT.WEBHOOKS.FBCLIENTCERTS.COM', 'wrong-cn'],
    [`CN=x.${CN}`, 'wrong-cn'],
  ])('refuses %j (%s)', (subject, reason) => {
    expect(checkClientCertificateSubject(subject)).toMatchObject({ ok: false, reason });
  });
});

describe('checkClientCertificate', () => {
  const certificate = { subject: { C: 'US', CN } };

  it('accepts a verified certificate with the expected CN', () => {
    expect(checkClientCertificate({ authorized: true, certificate })).toEqual({ ok: true, cn: CN });
  });

  it.each([
    [{ authorized: false, certificate: {} }, 'missing'],
    [{ authorized: false, certificate: null }, 'missing'],
    [
      { authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', certificate },
      'untrusted',
    ],
    [{ authorized: true, certificate: { subject: { CN: 'attacker.example' } } }, 'wrong-cn'],
    [{ authorized: true, certificate: { subject: { CN: [CN, 'other'] } } }, 'wrong-cn'],
    [{ authorized: true, certificate: { subject: { O: 'Meta' } } }, 'wrong-cn'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(checkClientCertificate(input)).toMatchObject({ ok: false, reason });
  });

  it('names the OpenSSL verification error in the detail', () => {
    const verdict = checkClientCertificate({
      authorized: false,
      authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      certificate,
    });
    expect(verdict.ok || verdict.detail).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  });
});

describe('trusted proxies', () => {
  const resolved = resolveMtlsOptions({
    mode: 'proxy-header',
    header: 'X-Amzn-Mtls-Clientcert-Subject',
    trustedProxies: ['10.0.0.0/16', '192.168.1.7', '2001:db8::/32'],
  });
  const list = resolved?.mode === 'proxy-header' ? resolved.trustedProxies : undefined;

  it('lower-cases the header and defaults the CN', () => {
    expect(resolved).toMatchObject({ header: 'x-amzn-mtls-clientcert-subject', expectedCn: CN });
  });

  it.each([
    ['10.0.255.1', true],
    ['::ffff:10.0.3.4', true],
    ['192.168.1.7', true],
    ['2001:db8::1', true],
    ['10.1.0.1', false],
    ['192.168.1.8', false],
    ['::ffff:10.1.0.1', false],
    ['2001:db9::1', false],
    ['not-an-ip', false],
    [undefined, false],
  ])('%s → %s', (address, trusted) => {
    expect(isTrustedProxy(list!, address)).toBe(trusted);
  });
});
