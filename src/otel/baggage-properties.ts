// A W3C baggage property is `key OWS [ "=" OWS value ]`: the key an RFC 7230 token, the value
// baggage-octets (printable ASCII but space, `"`, `,`, `;` and `\`). Everything else is written
// percent-encoded, the encoding W3C baggage values use.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const NOT_BAGGAGE_OCTET = /[^\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/u;
const NOT_BAGGAGE_OCTETS = /[^\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/gu;
// OWS: spaces and tabs only. String#trim would also strip CR, LF and other line terminators,
// turning `p=\r\nX` into `p=X` instead of keeping what was there, encoded.
const OWS = /^[ \t]+|[ \t]+$/g;
const OWS_AROUND_EQ = /[ \t]*=[ \t]*/;

/** What {@link sendableProperties} made of a metadata string. */
export interface SendableProperties {
  /** The properties to write after the entry's `;`, or '' when none is left. */
  readonly text: string;
  /** Whether anything was encoded or dropped (the caller reports it). */
  readonly changed: boolean;
}

/**
 * A baggage entry's metadata (its properties, as `baggageEntryMetadataFromString` or an extracted
 * header left them) in a form that every HTTP stack accepts and W3C baggage parsers read: each
 * property whose key is not a token is dropped, and characters of a value that are not
 * baggage-octets (CR, LF, NUL, space, non-ASCII...) are percent-encoded as UTF-8. A property with
 * a lone surrogate, which has no UTF-8 form, is dropped. OpenTelemetry JS's W3CBaggagePropagator
 * writes metadata raw, so Node's http throws ERR_INVALID_CHAR on it in the request path; this is
 * the step it lacks.
 */
export function sendableProperties(raw: string): SendableProperties {
  if (!NOT_BAGGAGE_OCTET.test(raw.replaceAll(';', '!').replaceAll('=', '!'))) {
    return { text: raw, changed: false };
  }
  const kept: string[] = [];
  let changed = false;
  for (const property of raw.split(';')) {
    const sendable = sendableProperty(property);
    // Space and tab around a key or value are optional whitespace: dropping them changes nothing.
    if (sendable !== property.replace(OWS, '').replace(OWS_AROUND_EQ, '=')) changed = true;
    if (sendable !== undefined) kept.push(sendable);
  }
  return { text: kept.join(';'), changed };
}

function sendableProperty(property: string): string | undefined {
  const eq = property.indexOf('=');
  const key = (eq < 0 ? property : property.slice(0, eq)).replace(OWS, '');
  if (!TOKEN.test(key)) return undefined;
  if (eq < 0) return key;
  const value = property.slice(eq + 1).replace(OWS, '');
  try {
    return `${key}=${value.replace(NOT_BAGGAGE_OCTETS, (c) => encodeURIComponent(c))}`;
  } catch {
    // encodeURIComponent throws URIError on a lone surrogate.
    return undefined;
  }
}
