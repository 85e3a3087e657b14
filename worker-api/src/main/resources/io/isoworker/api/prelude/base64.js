// atob and btoa (HTML Standard), and the Infra Standard's forgiving-base64 decode that data: URLs use too.

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// the 6-bit value of each ASCII code, -1 for characters outside the alphabet
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;
}
const BASE64_IGNORED_WHITESPACE = /[\t\n\f\r ]+/g;

// Forgiving-base64 decode: the bytes of string data as a Uint8Array, or null on failure.
function forgivingBase64Decode(data) {
  data = data.replace(BASE64_IGNORED_WHITESPACE, '');
  let n = data.length;
  if (n % 4 === 0 && n > 0 && data.charCodeAt(n - 1) === 0x3d) {
    n -= data.charCodeAt(n - 2) === 0x3d ? 2 : 1;
  }
  if (n % 4 === 1) {
    return null;
  }
  const out = new Uint8Array((n >> 2) * 3 + (n % 4 === 0 ? 0 : (n % 4) - 1));
  let bits = 0;
  let bitCount = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const c = data.charCodeAt(i);
    const v = c < 128 ? BASE64_VALUES[c] : -1;
    if (v < 0) {
      return null;
    }
    bits = (bits << 6) | v;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out[j++] = (bits >> bitCount) & 0xff;
    }
  }
  return out;
}

function base64EncodeBytes(bytes) {
  let s = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += BASE64_ALPHABET[v >> 18] + BASE64_ALPHABET[(v >> 12) & 63] + BASE64_ALPHABET[(v >> 6) & 63]
      + BASE64_ALPHABET[v & 63];
  }
  if (i + 1 === n) {
    const v = bytes[i] << 16;
    s += BASE64_ALPHABET[v >> 18] + BASE64_ALPHABET[(v >> 12) & 63] + '==';
  } else if (i + 2 === n) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += BASE64_ALPHABET[v >> 18] + BASE64_ALPHABET[(v >> 12) & 63] + BASE64_ALPHABET[(v >> 6) & 63] + '=';
  }
  return s;
}

// The string whose code units are the bytes (a "binary string").
function bytesToBinaryString(bytes) {
  const chunk = 8192;
  if (bytes.length <= chunk) {
    return String.fromCharCode.apply(null, bytes);
  }
  let s = '';
  for (let i = 0; i < bytes.length; i += chunk) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
  }
  return s;
}

function atob(data) {
  if (arguments.length < 1) {
    throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.");
  }
  const bytes = forgivingBase64Decode(String(data));
  if (bytes === null) {
    throw new DOMException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError');
  }
  return bytesToBinaryString(bytes);
}

function btoa(data) {
  if (arguments.length < 1) {
    throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.");
  }
  data = String(data);
  const n = data.length;
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = data.charCodeAt(i);
    if (c > 0xff) {
      throw new DOMException('The string to be encoded contains characters outside of the Latin1 range.',
        'InvalidCharacterError');
    }
    bytes[i] = c;
  }
  return base64EncodeBytes(bytes);
}

defineGlobal('atob', atob);
defineGlobal('btoa', btoa);
