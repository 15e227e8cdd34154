/** One `type=value` pair of a distinguished name, with the value unescaped. */
export interface AttributeTypeAndValue {
  readonly type: string;
  readonly value: string;
}

const TYPE = /(?:(?:oid\.)?\d+(?:\.\d+)*|[a-z][a-z0-9-]*)/iy;
const HEX_PAIRS = /(?:[0-9A-Fa-f]{2})+/y;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
// Characters RFC 4514 (and RFC 2253) let a backslash escape as themselves.
const ESCAPABLE = new Set([' ', '"', '#', '+', ',', ';', '<', '=', '>', '\\']);
const COMMON_NAME_TYPES = new Set(['cn', 'commonname', '2.5.4.3', 'oid.2.5.4.3']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a distinguished name in the RFC 4514 / RFC 2253 string form that proxies put in
 * client-certificate headers (AWS ALB's `X-Amzn-Mtls-Clientcert-Subject`, nginx's
 * `$ssl_client_s_dn`, Cloudflare's `cert_subject_dn_rfc2253`): RDNs separated by `,` (or `;`),
 * multi-valued RDNs by `+`, optional spaces around separators, backslash escapes (`\,`, `\+`,
 * `\\`, `\2C`, UTF-8 hex pairs), RFC 2253 quoted values and `#`-prefixed BER hex values of string
 * types.
 *
 * Returns `undefined` for anything it cannot parse unambiguously (including OpenSSL's legacy
 * `/C=US/CN=…` form, whose values cannot carry `/` safely): callers must treat that as a
 * rejection, never as "no CN".
 */
export function parseDistinguishedName(dn: string): AttributeTypeAndValue[] | undefined {
  const parser = new DnParser(dn);
  return parser.parse();
}

/**
 * Every common name (`CN`, `commonName`, `2.5.4.3`) of a distinguished name string, in order,
 * or `undefined` when the string is not a well-formed distinguished name.
 */
export function commonNamesOf(dn: string): string[] | undefined {
  return parseDistinguishedName(dn)
    ?.filter((ava) => COMMON_NAME_TYPES.has(ava.type.toLowerCase()))
    .map((ava) => ava.value);
}

class DnParser {
  private i = 0;

  constructor(private readonly s: string) {}

  parse(): AttributeTypeAndValue[] | undefined {
    const result: AttributeTypeAndValue[] = [];
    this.skipSpaces();
    if (this.i === this.s.length) return result;
    for (;;) {
      const ava = this.attributeTypeAndValue();
      if (!ava) return undefined;
      result.push(ava);
      this.skipSpaces();
      if (this.i === this.s.length) return result;
      const separator = this.s[this.i];
      if (separator !== ',' && separator !== ';' && separator !== '+') return undefined;
      this.i++;
      this.skipSpaces();
    }
  }

  private attributeTypeAndValue(): AttributeTypeAndValue | undefined {
    TYPE.lastIndex = this.i;
    const type = TYPE.exec(this.s)?.[0];
    if (!type) return undefined;
    this.i += type.length;
    this.skipSpaces();
    if (this.s[this.i] !== '=') return undefined;
    this.i++;
    this.skipSpaces();
    const value =
      this.s[this.i] === '#'
        ? this.hexValue()
        : this.s[this.i] === '"'
          ? this.quotedValue()
          : this.stringValue();
    return value === undefined ? undefined : { type, value };
  }

  /** `#` + the BER encoding of a string-typed value (RFC 4514 §2.4). */
  private hexValue(): string | undefined {
    HEX_PAIRS.lastIndex = this.i + 1;
    const hex = HEX_PAIRS.exec(this.s)?.[0];
    if (!hex) return undefined;
    this.i += 1 + hex.length;
    const der = Buffer.from(hex, 'hex');
    const tag = der[0];
    let length = der[1] ?? -1;
    let offset = 2;
    if (length === 0x81 || length === 0x82) {
      const size = length - 0x80;
      length = size === 1 ? (der[2] ?? -1) : der.length >= 4 ? der.readUInt16BE(2) : -1;
      offset += size;
    }
    // UTF8String, PrintableString, IA5String; anything else is not a name we can compare.
    if ((tag !== 0x0c && tag !== 0x13 && tag !== 0x16) || length !== der.length - offset) {
      return undefined;
    }
    return decode(der.subarray(offset));
  }

  /** RFC 2253's `"…"` form: separators need no escaping inside the quotes. */
  private quotedValue(): string | undefined {
    this.i++;
    const bytes: number[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '"') {
      if (!this.char(bytes)) return undefined;
    }
    if (this.s[this.i] !== '"') return undefined;
    this.i++;
    return decode(Buffer.from(bytes));
  }

  private stringValue(): string | undefined {
    const bytes: number[] = [];
    // Unescaped trailing spaces belong to the separator (RFC 2253 allows spaces around it).
    let keep = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === ',' || c === ';' || c === '+') break;
      if (c === '"') return undefined;
      const escaped = c === '\\';
      if (!this.char(bytes)) return undefined;
      if (escaped || c !== ' ') keep = bytes.length;
    }
    return decode(Buffer.from(bytes.slice(0, keep)));
  }

  /** Reads one character or escape at `i` into `bytes`; false on a bad escape. */
  private char(bytes: number[]): boolean {
    const c = this.s[this.i]!;
    if (c !== '\\') {
      const code = this.s.codePointAt(this.i)!;
      const text = String.fromCodePoint(code);
      bytes.push(...Buffer.from(text, 'utf8'));
      this.i += text.length;
      return true;
    }
    const next = this.s[this.i + 1];
    if (next === undefined) return false;
    const pair = this.s.slice(this.i + 1, this.i + 3);
    if (HEX_PAIR.test(pair)) {
      bytes.push(Number.parseInt(pair, 16));
      this.i += 3;
      return true;
    }
    if (!ESCAPABLE.has(next)) return false;
    bytes.push(next.charCodeAt(0));
    this.i += 2;
    return true;
  }

  private skipSpaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}

function decode(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
