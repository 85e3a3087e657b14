// The Fetch Standard's data: URL processor: what fetch() answers for a data: URL.

const ASCII_WHITESPACE_EDGES = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;
const BASE64_SUFFIX = /; *base64$/i;

function hexValue(c) {
  if (c >= 0x30 && c <= 0x39) {
    return c - 0x30;
  }
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

// Percent-decodes the UTF-8 bytes of `text` (URL Standard: a '%' not followed by two hex digits stays as is).
function percentDecodeToBytes(text) {
  const bytes = utf8Encode(text);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length) {
      const hi = hexValue(bytes[i + 1]);
      const lo = hexValue(bytes[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

// Isomorphic decode: each byte becomes the code point of the same value.
function isomorphicDecode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return s;
}

// `href` is a parsed data: URL's serialization. Returns { mimeType (serialized), body (Uint8Array) } or null.
function processDataUrl(href) {
  const hash = href.indexOf('#');
  const input = (hash < 0 ? href : href.slice(0, hash)).slice('data:'.length);
  const comma = input.indexOf(',');
  if (comma < 0) {
    return null;
  }
  let mimeType = input.slice(0, comma).replace(ASCII_WHITESPACE_EDGES, '');
  let body = percentDecodeToBytes(input.slice(comma + 1));
  if (BASE64_SUFFIX.test(mimeType)) {
    body = forgivingBase64Decode(isomorphicDecode(body));
    if (body === null) {
      return null;
    }
    mimeType = mimeType.replace(BASE64_SUFFIX, '');
  }
  if (mimeType.startsWith(';')) {
    mimeType = 'text/plain' + mimeType;
  }
  const record = parseMimeType(mimeType);
  return { mimeType: record === null ? 'text/plain;charset=US-ASCII' : serializeMimeType(record), body };
}
