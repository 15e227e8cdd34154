import { BlockList, isIP } from 'node:net';
import { invalidOption } from '../options/option-checks.js';
import { META_WEBHOOK_CLIENT_CN } from './client-certificate.js';
import type { ResolvedMtlsOptions, WhatsAppMtlsOptions } from './mtls-options.interface.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Injection token of the resolved `mtls` option (`null` when mTLS is off). @internal */
export const MTLS_OPTIONS = Symbol('WABA_MTLS_OPTIONS');

function invalid(name: string, problem: string): Error {
  return invalidOption(`mtls.${name}`, problem);
}

/**
 * Checks the `mtls` module option at bootstrap and applies its defaults; `undefined` when mTLS
 * is off.
 */
export function resolveMtlsOptions(
  mtls: WhatsAppMtlsOptions | undefined,
): ResolvedMtlsOptions | undefined {
  if (mtls === undefined) return undefined;
  if (!mtls || typeof mtls !== 'object') {
    throw invalidOption('mtls', "must be { mode: 'tls' } or { mode: 'proxy-header', … }");
  }
  const expectedCn = mtls.expectedCn ?? META_WEBHOOK_CLIENT_CN;
  if (typeof expectedCn !== 'string' || expectedCn.trim() === '') {
    throw invalid('expectedCn', 'must be a non-empty string');
  }
  if (mtls.mode === 'tls') return Object.freeze({ mode: 'tls', expectedCn });
  if (mtls.mode !== 'proxy-header') {
    throw invalid('mode', "must be 'tls' or 'proxy-header'");
  }
  const { header, trustedProxies } = mtls;
  if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
    throw invalid(
      'header',
      "must be an HTTP header name such as 'X-Amzn-Mtls-Clientcert-Subject' in proxy-header mode",
    );
  }
  if (!Array.isArray(trustedProxies) || trustedProxies.length === 0) {
    throw invalid(
      'trustedProxies',
      'must list the addresses (IPs or CIDR blocks) of the proxies that set the header; without them the header could be forged by anyone',
    );
  }
  return Object.freeze({
    mode: 'proxy-header',
    header: header.toLowerCase(),
    trustedProxies: proxyBlockList(trustedProxies as readonly unknown[]),
    expectedCn,
  });
}

function proxyBlockList(entries: readonly unknown[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const text = typeof entry === 'string' ? entry.trim() : '';
    const [address = '', prefix, extra] = text.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && (!/^\d{1,3}$/.test(prefix!) || bits > maxBits))
    ) {
      throw invalid(
        'trustedProxies',
        `contains ${JSON.stringify(entry)}: expected an IPv4/IPv6 address or a CIDR block like '10.0.0.0/16'`,
      );
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/**
 * Whether a TCP peer address (`req.socket.remoteAddress`) is one of the trusted proxies. An
 * IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, seen on dual-stack listeners) matches its IPv4 form.
 */
export function isTrustedProxy(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const mapped = IPV4_MAPPED.exec(address)?.[1];
  const candidate = mapped ?? address;
  const family = isIP(candidate);
  if (family === 0) return false;
  return list.check(candidate, family === 6 ? 'ipv6' : 'ipv4');
}
