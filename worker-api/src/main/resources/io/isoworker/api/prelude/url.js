// URL (WHATWG URL Standard): the basic URL parser, the URL serializer, host parsing and the URL class.
// A URL record is a UrlRecord; its host is kept serialized (a domain, "1.2.3.4", "[::1]", an opaque host, '' for
// the empty host, or null), its path is an array of segments, or a string when the path is opaque.

class UrlRecord {
  constructor() {
    this.scheme = '';
    this.username = '';
    this.password = '';
    this.host = null;
    this.port = null;
    this.path = [];
    this.query = null;
    this.fragment = null;
  }
}

function urlCopyRecord(to, from) {
  to.scheme = from.scheme;
  to.username = from.username;
  to.password = from.password;
  to.host = from.host;
  to.port = from.port;
  to.path = typeof from.path === 'string' ? from.path : from.path.slice();
  to.query = from.query;
  to.fragment = from.fragment;
  return to;
}

// Special schemes and their default ports (file has none).
const URL_DEFAULT_PORTS = new Map([['ftp', 21], ['file', null], ['http', 80], ['https', 443], ['ws', 80], ['wss', 443]]);

// ---- Percent-encoding

// '%XX' for every byte value.
const URL_HEX = [];
for (let b = 0; b < 256; b++) {
  URL_HEX.push('%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase());
}

// A percent-encode set as a table over ASCII (1 = encode); code points above U+007E are always encoded.
function urlEncodeSet(base, extra) {
  const set = base === null ? new Uint8Array(128) : base.slice();
  if (base === null) {
    for (let c = 0; c < 0x20; c++) {
      set[c] = 1;
    }
    set[0x7f] = 1;
  }
  for (let i = 0; i < extra.length; i++) {
    set[extra.charCodeAt(i)] = 1;
  }
  return set;
}

const URL_C0_SET = urlEncodeSet(null, '');
const URL_FRAGMENT_SET = urlEncodeSet(URL_C0_SET, ' "<>`');
const URL_QUERY_SET = urlEncodeSet(URL_C0_SET, ' "#<>');
const URL_SPECIAL_QUERY_SET = urlEncodeSet(URL_QUERY_SET, "'");
const URL_PATH_SET = urlEncodeSet(URL_QUERY_SET, '?^`{}');
const URL_USERINFO_SET = urlEncodeSet(URL_PATH_SET, '/:;=@[\\]^|');
const URL_COMPONENT_SET = urlEncodeSet(URL_USERINFO_SET, '$%&+,');
const URL_FORM_SET = urlEncodeSet(URL_COMPONENT_SET, "!'()~");

// UTF-8 percent-encodes the code points of `s` that are in `set`. With `spaceAsPlus`, U+0020 becomes '+'.
// Lone surrogates are encoded as U+FFFD.
function urlPercentEncode(s, set, spaceAsPlus = false) {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 0x7f || set[c] === 1) {
      break;
    }
    i++;
  }
  if (i === n) {
    return s;
  }
  let out = s.slice(0, i);
  let run = i;
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80 && set[c] !== 1) {
      continue;
    }
    if (run < i) {
      out += s.slice(run, i);
    }
    run = i + 1;
    if (c < 0x80) {
      out += c === 0x20 && spaceAsPlus ? '+' : URL_HEX[c];
    } else if (c < 0x800) {
      out += URL_HEX[0xc0 | (c >> 6)] + URL_HEX[0x80 | (c & 63)];
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          run = i + 1;
          out += URL_HEX[0xf0 | (c >> 18)] + URL_HEX[0x80 | ((c >> 12) & 63)] + URL_HEX[0x80 | ((c >> 6) & 63)]
            + URL_HEX[0x80 | (c & 63)];
          continue;
        }
        c = 0xfffd;
      }
      out += URL_HEX[0xe0 | (c >> 12)] + URL_HEX[0x80 | ((c >> 6) & 63)] + URL_HEX[0x80 | (c & 63)];
    }
  }
  if (run < n) {
    out += s.slice(run);
  }
  return out;
}

function urlHexValue(c) {
  if (c >= 0x30 && c <= 0x39) {
    return c - 0x30;
  }
  c |= 0x20;
  return c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
}

// Percent-decodes `s` (after UTF-8 encoding it) and UTF-8 decodes the bytes without BOM handling.
function urlPercentDecode(s) {
  const bytes = utf8Encode(s);
  const n = bytes.length;
  let j = 0;
  for (let i = 0; i < n; i++) {
    let b = bytes[i];
    if (b === 0x25 && i + 2 < n) {
      const h = urlHexValue(bytes[i + 1]);
      const l = urlHexValue(bytes[i + 2]);
      if (h >= 0 && l >= 0) {
        b = (h << 4) | l;
        i += 2;
      }
    }
    bytes[j++] = b;
  }
  // utf8Decode drops a leading BOM; here it is content.
  const bom = j >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = utf8Decode(bytes.subarray(0, j));
  return bom ? '\ufeff' + text : text;
}

// Web IDL USVString conversion: ToString (which throws for symbols), then lone surrogates become U+FFFD.
function urlToUSVString(value) {
  const s = typeof value === 'string' ? value : `${value}`;
  return s.isWellFormed() ? s : s.toWellFormed();
}

// ---- Hosts

const URL_FORBIDDEN_HOST = /[\x00\t\n\r #/:<>?@[\\\]^|]/;
const URL_FORBIDDEN_DOMAIN = /[\x00-\x20#%/:<>?@[\\\]^|\x7f]/;
const URL_ASCII = /^[\x00-\x7f]*$/;

// Host parser: returns the serialized host, or null on failure.
function urlParseHost(input, isOpaque) {
  if (input.charCodeAt(0) === 0x5b) {
    if (input.charCodeAt(input.length - 1) !== 0x5d) {
      return null;
    }
    const address = urlParseIPv6(input.slice(1, -1));
    return address === null ? null : '[' + urlSerializeIPv6(address) + ']';
  }
  if (isOpaque) {
    return URL_FORBIDDEN_HOST.test(input) ? null : urlPercentEncode(input, URL_C0_SET);
  }
  const domain = input.indexOf('%') < 0 ? input : urlPercentDecode(input);
  const asciiDomain = urlDomainToAscii(domain);
  if (asciiDomain === null || URL_FORBIDDEN_DOMAIN.test(asciiDomain)) {
    return null;
  }
  return urlEndsInNumber(asciiDomain) ? urlParseIPv4(asciiDomain) : asciiDomain;
}

// Domain to ASCII (beStrict = false). An ASCII domain is only lowercased (its xn-- labels are not validated).
function urlDomainToAscii(domain) {
  if (URL_ASCII.test(domain)) {
    return domain.toLowerCase();
  }
  const result = host.idna.toAscii(domain);
  return result === null || result === '' ? null : result;
}

function urlEndsInNumber(domain) {
  let end = domain.length;
  if (domain.charCodeAt(end - 1) === 0x2e) {
    end--;
  }
  const last = domain.slice(domain.lastIndexOf('.', end - 1) + 1, end);
  return last !== '' && (/^[0-9]+$/.test(last) || urlParseIPv4Number(last) !== null);
}

// An IPv4 number (decimal, 0x hex or 0 octal), or null.
function urlParseIPv4Number(s) {
  if (s === '') {
    return null;
  }
  let radix = 10;
  if (s.length >= 2 && s.charCodeAt(0) === 0x30) {
    const x = s.charCodeAt(1) | 0x20;
    if (x === 0x78) {
      s = s.slice(2);
      radix = 16;
    } else {
      s = s.slice(1);
      radix = 8;
    }
    if (s === '') {
      return 0;
    }
  }
  const digits = radix === 10 ? /^[0-9]+$/ : radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  return digits.test(s) ? parseInt(s, radix) : null;
}

// IPv4 parser: the serialized address, or null.
function urlParseIPv4(s) {
  const parts = s.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) {
    parts.pop();
  }
  if (parts.length > 4) {
    return null;
  }
  const numbers = [];
  for (const part of parts) {
    const n = urlParseIPv4Number(part);
    if (n === null) {
      return null;
    }
    numbers.push(n);
  }
  const lastIndex = numbers.length - 1;
  for (let i = 0; i < lastIndex; i++) {
    if (numbers[i] > 255) {
      return null;
    }
  }
  if (numbers[lastIndex] >= 256 ** (4 - lastIndex)) {
    return null;
  }
  let address = numbers[lastIndex];
  for (let i = 0; i < lastIndex; i++) {
    address += numbers[i] * 256 ** (3 - i);
  }
  return (address >>> 24) + '.' + ((address >>> 16) & 255) + '.' + ((address >>> 8) & 255) + '.' + (address & 255);
}

function urlIsDigit(c) {
  return c >= 0x30 && c <= 0x39;
}

// IPv6 parser: eight 16-bit pieces, or null.
function urlParseIPv6(input) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  const n = input.length;
  let pieceIndex = 0;
  let compress = -1;
  let p = 0;
  if (input.charCodeAt(0) === 0x3a) {
    if (input.charCodeAt(1) !== 0x3a) {
      return null;
    }
    p = 2;
    pieceIndex = 1;
    compress = 1;
  }
  while (p < n) {
    if (pieceIndex === 8) {
      return null;
    }
    if (input.charCodeAt(p) === 0x3a) {
      if (compress >= 0) {
        return null;
      }
      p++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    let value = 0;
    let length = 0;
    while (length < 4 && p < n && urlHexValue(input.charCodeAt(p)) >= 0) {
      value = value * 16 + urlHexValue(input.charCodeAt(p));
      p++;
      length++;
    }
    if (p < n && input.charCodeAt(p) === 0x2e) {
      if (length === 0) {
        return null;
      }
      p -= length;
      if (pieceIndex > 6) {
        return null;
      }
      let numbersSeen = 0;
      while (p < n) {
        let piece = -1;
        if (numbersSeen > 0) {
          if (input.charCodeAt(p) === 0x2e && numbersSeen < 4) {
            p++;
          } else {
            return null;
          }
        }
        if (!urlIsDigit(input.charCodeAt(p))) {
          return null;
        }
        while (p < n && urlIsDigit(input.charCodeAt(p))) {
          const digit = input.charCodeAt(p) - 0x30;
          if (piece === -1) {
            piece = digit;
          } else if (piece === 0) {
            return null;
          } else {
            piece = piece * 10 + digit;
          }
          if (piece > 255) {
            return null;
          }
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) {
          pieceIndex++;
        }
      }
      if (numbersSeen !== 4) {
        return null;
      }
      break;
    } else if (p < n && input.charCodeAt(p) === 0x3a) {
      p++;
      if (p === n) {
        return null;
      }
    } else if (p < n) {
      return null;
    }
    address[pieceIndex] = value;
    pieceIndex++;
  }
  if (compress >= 0) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return null;
  }
  return address;
}

function urlSerializeIPv6(address) {
  let compress = -1;
  let longest = 1;
  for (let i = 0; i < 8;) {
    if (address[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && address[j] === 0) {
      j++;
    }
    if (j - i > longest) {
      compress = i;
      longest = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === compress) {
      out += i === 0 ? '::' : ':';
      i += longest - 1;
      continue;
    }
    out += address[i].toString(16);
    if (i !== 7) {
      out += ':';
    }
  }
  return out;
}

// ---- The basic URL parser

const URL_SCHEME_START = 1;
const URL_SCHEME = 2;
const URL_NO_SCHEME = 3;
const URL_SPECIAL_RELATIVE_OR_AUTHORITY = 4;
const URL_PATH_OR_AUTHORITY = 5;
const URL_RELATIVE = 6;
const URL_RELATIVE_SLASH = 7;
const URL_SPECIAL_AUTHORITY_SLASHES = 8;
const URL_SPECIAL_AUTHORITY_IGNORE_SLASHES = 9;
const URL_AUTHORITY = 10;
const URL_HOST = 11;
const URL_HOSTNAME = 12;
const URL_PORT = 13;
const URL_FILE = 14;
const URL_FILE_SLASH = 15;
const URL_FILE_HOST = 16;
const URL_PATH_START = 17;
const URL_PATH = 18;
const URL_OPAQUE_PATH = 19;
const URL_QUERY = 20;
const URL_FRAGMENT = 21;

const URL_TAB_OR_NEWLINE = /[\t\n\r]/g;
const URL_SINGLE_DOT = new Set(['.', '%2e']);
const URL_DOUBLE_DOT = new Set(['..', '.%2e', '%2e.', '%2e%2e']);

function urlIsAlpha(c) {
  c |= 0x20;
  return c >= 0x61 && c <= 0x7a;
}

function urlIsWindowsDriveLetter(s) {
  return s.length === 2 && urlIsAlpha(s.charCodeAt(0)) && (s.charCodeAt(1) === 0x3a || s.charCodeAt(1) === 0x7c);
}

function urlIsNormalizedWindowsDriveLetter(s) {
  return s.length === 2 && urlIsAlpha(s.charCodeAt(0)) && s.charCodeAt(1) === 0x3a;
}

// Whether input[p...] starts with a Windows drive letter.
function urlStartsWithWindowsDriveLetter(input, p) {
  if (input.length - p < 2 || !urlIsWindowsDriveLetter(input.slice(p, p + 2))) {
    return false;
  }
  if (input.length - p === 2) {
    return true;
  }
  const c = input.charCodeAt(p + 2);
  return c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23;
}

function urlShortenPath(url) {
  const path = url.path;
  if (url.scheme === 'file' && path.length === 1 && urlIsNormalizedWindowsDriveLetter(path[0])) {
    return;
  }
  path.pop();
}

function urlIncludesCredentials(url) {
  return url.username !== '' || url.password !== '';
}

function urlTrimControlAndSpace(s) {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) {
    start++;
  }
  while (end > start && s.charCodeAt(end - 1) <= 0x20) {
    end--;
  }
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

// Absolute special URLs whose every part is already in serialized form but for case and a default port: for them the
// state machine's result is known. The last host label cannot be a number, and no path segment may be a dot segment.
const URL_SIMPLE = /^(https?|wss?|ftp):\/\/((?:[a-z0-9_-]+\.)*[a-z_-][a-z0-9_-]*)(?::([0-9]{1,5}))?(\/[a-z0-9!$%&'()*+,\-./:;=@_~[\]|]*)?(?:\?([a-z0-9!$%&()*+,\-./:;=?@_~[\]|^`{}\\]*))?(?:#([a-z0-9!$%&'()*+,\-./:;=?@_~[\]|^{}\\#]*))?$/i;

function urlParseSimple(input) {
  const m = URL_SIMPLE.exec(input);
  if (m === null || (m[4] !== undefined && URL_DOT_SEGMENT_HINT.test(m[4]))) {
    return null;
  }
  const url = new UrlRecord();
  url.scheme = m[1].toLowerCase();
  url.host = m[2].toLowerCase();
  if (m[3] !== undefined) {
    const port = parseInt(m[3], 10);
    if (port > 65535) {
      return null;
    }
    url.port = port === URL_DEFAULT_PORTS.get(url.scheme) ? null : port;
  }
  url.path = m[4] === undefined ? [''] : m[4].slice(1).split('/');
  url.query = m[5] === undefined ? null : m[5];
  url.fragment = m[6] === undefined ? null : m[6];
  return url;
}

// The basic URL parser. `input` is a USVString. Without `url` it parses into a new record and returns it, or null
// on failure. With `url` and `override` (a state) it modifies `url` as the setters do; the result is then null on
// failure and `url` otherwise.
function urlParse(input, base, url = null, override = 0) {
  if (url === null) {
    const simple = urlParseSimple(input);
    if (simple !== null) {
      return simple;
    }
    url = new UrlRecord();
    input = urlTrimControlAndSpace(input);
  }
  if (input.indexOf('\t') >= 0 || input.indexOf('\n') >= 0 || input.indexOf('\r') >= 0) {
    input = input.replace(URL_TAB_OR_NEWLINE, '');
  }
  const n = input.length;
  let state = override || URL_SCHEME_START;
  let buffer = '';
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  let special = URL_DEFAULT_PORTS.has(url.scheme);
  for (let p = 0; ; p++) {
    const c = p < n ? input.charCodeAt(p) : -1;
    switch (state) {
      case URL_SCHEME_START:
        if (urlIsAlpha(c)) {
          buffer += String.fromCharCode(c | 0x20);
          state = URL_SCHEME;
        } else if (override === 0) {
          state = URL_NO_SCHEME;
          p--;
        } else {
          return null;
        }
        break;

      case URL_SCHEME:
        if (urlIsAlpha(c) || urlIsDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
          buffer += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
        } else if (c === 0x3a) {
          if (override !== 0) {
            if (special !== URL_DEFAULT_PORTS.has(buffer)
                || ((urlIncludesCredentials(url) || url.port !== null) && buffer === 'file')
                || (url.scheme === 'file' && url.host === '')) {
              return url;
            }
          }
          url.scheme = buffer;
          special = URL_DEFAULT_PORTS.has(buffer);
          if (override !== 0) {
            if (url.port !== null && url.port === URL_DEFAULT_PORTS.get(buffer)) {
              url.port = null;
            }
            return url;
          }
          buffer = '';
          if (url.scheme === 'file') {
            state = URL_FILE;
          } else if (special && base !== null && base.scheme === url.scheme) {
            state = URL_SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (special) {
            state = URL_SPECIAL_AUTHORITY_SLASHES;
          } else if (input.charCodeAt(p + 1) === 0x2f) {
            state = URL_PATH_OR_AUTHORITY;
            p++;
          } else {
            url.path = '';
            state = URL_OPAQUE_PATH;
          }
        } else if (override === 0) {
          buffer = '';
          state = URL_NO_SCHEME;
          p = -1;
        } else {
          return null;
        }
        break;

      case URL_NO_SCHEME:
        if (base === null || (typeof base.path === 'string' && c !== 0x23)) {
          return null;
        }
        if (typeof base.path === 'string') {
          url.scheme = base.scheme;
          special = URL_DEFAULT_PORTS.has(url.scheme);
          url.path = base.path;
          url.query = base.query;
          url.fragment = '';
          state = URL_FRAGMENT;
        } else {
          state = base.scheme === 'file' ? URL_FILE : URL_RELATIVE;
          p--;
        }
        break;

      case URL_SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && input.charCodeAt(p + 1) === 0x2f) {
          state = URL_SPECIAL_AUTHORITY_IGNORE_SLASHES;
          p++;
        } else {
          state = URL_RELATIVE;
          p--;
        }
        break;

      case URL_PATH_OR_AUTHORITY:
        if (c === 0x2f) {
          state = URL_AUTHORITY;
        } else {
          state = URL_PATH;
          p--;
        }
        break;

      case URL_RELATIVE:
        url.scheme = base.scheme;
        special = URL_DEFAULT_PORTS.has(url.scheme);
        if (c === 0x2f || (special && c === 0x5c)) {
          state = URL_RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = URL_QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = URL_FRAGMENT;
          } else if (c !== -1) {
            url.query = null;
            urlShortenPath(url);
            state = URL_PATH;
            p--;
          }
        }
        break;

      case URL_RELATIVE_SLASH:
        if (special && (c === 0x2f || c === 0x5c)) {
          state = URL_SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = URL_AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = URL_PATH;
          p--;
        }
        break;

      case URL_SPECIAL_AUTHORITY_SLASHES:
        state = URL_SPECIAL_AUTHORITY_IGNORE_SLASHES;
        if (c === 0x2f && input.charCodeAt(p + 1) === 0x2f) {
          p++;
        } else {
          p--;
        }
        break;

      case URL_SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = URL_AUTHORITY;
          p--;
        }
        break;

      case URL_AUTHORITY: {
        let end = p;
        while (end < n) {
          const e = input.charCodeAt(end);
          if (e === 0x40 || e === 0x2f || e === 0x3f || e === 0x23 || (special && e === 0x5c)) {
            break;
          }
          end++;
        }
        if (end > p) {
          buffer += input.slice(p, end);
          p = end;
        }
        const d = p < n ? input.charCodeAt(p) : -1;
        if (d === 0x40) {
          if (atSignSeen) {
            buffer = '%40' + buffer;
          }
          atSignSeen = true;
          if (passwordTokenSeen) {
            url.password += urlPercentEncode(buffer, URL_USERINFO_SET);
          } else {
            const colon = buffer.indexOf(':');
            if (colon < 0) {
              url.username += urlPercentEncode(buffer, URL_USERINFO_SET);
            } else {
              passwordTokenSeen = true;
              url.username += urlPercentEncode(buffer.slice(0, colon), URL_USERINFO_SET);
              url.password += urlPercentEncode(buffer.slice(colon + 1), URL_USERINFO_SET);
            }
          }
          buffer = '';
        } else {
          if (atSignSeen && buffer === '') {
            return null;
          }
          p -= buffer.length + 1;
          buffer = '';
          state = URL_HOST;
        }
        break;
      }

      case URL_HOST:
      case URL_HOSTNAME: {
        if (override !== 0 && url.scheme === 'file') {
          p--;
          state = URL_FILE_HOST;
          break;
        }
        let end = p;
        while (end < n) {
          const e = input.charCodeAt(end);
          if ((e === 0x3a && !insideBrackets) || e === 0x2f || e === 0x3f || e === 0x23 || (special && e === 0x5c)) {
            break;
          }
          if (e === 0x5b) {
            insideBrackets = true;
          } else if (e === 0x5d) {
            insideBrackets = false;
          }
          end++;
        }
        if (end > p) {
          buffer += input.slice(p, end);
          p = end;
        }
        const d = p < n ? input.charCodeAt(p) : -1;
        if (d === 0x3a) {
          if (buffer === '' || override === URL_HOSTNAME) {
            return null;
          }
          const parsed = urlParseHost(buffer, !special);
          if (parsed === null) {
            return null;
          }
          url.host = parsed;
          buffer = '';
          state = URL_PORT;
        } else {
          p--;
          if (buffer === '' && (special || (override !== 0 && (urlIncludesCredentials(url) || url.port !== null)))) {
            return null;
          }
          const parsed = urlParseHost(buffer, !special);
          if (parsed === null) {
            return null;
          }
          url.host = parsed;
          buffer = '';
          state = URL_PATH_START;
          if (override !== 0) {
            return url;
          }
        }
        break;
      }

      case URL_PORT:
        if (urlIsDigit(c)) {
          buffer += input[p];
        } else if (c === -1 || c === 0x2f || c === 0x3f || c === 0x23 || (special && c === 0x5c) || override !== 0) {
          if (buffer !== '') {
            const port = parseInt(buffer, 10);
            if (port > 65535) {
              return null;
            }
            url.port = port === URL_DEFAULT_PORTS.get(url.scheme) ? null : port;
            buffer = '';
            if (override !== 0) {
              return url;
            }
          }
          if (override !== 0) {
            return null;
          }
          state = URL_PATH_START;
          p--;
        } else {
          return null;
        }
        break;

      case URL_FILE:
        url.scheme = 'file';
        special = true;
        url.host = '';
        if (c === 0x2f || c === 0x5c) {
          state = URL_FILE_SLASH;
        } else if (base !== null && base.scheme === 'file') {
          url.host = base.host;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = URL_QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = URL_FRAGMENT;
          } else if (c !== -1) {
            url.query = null;
            if (!urlStartsWithWindowsDriveLetter(input, p)) {
              urlShortenPath(url);
            } else {
              url.path = [];
            }
            state = URL_PATH;
            p--;
          }
        } else {
          state = URL_PATH;
          p--;
        }
        break;

      case URL_FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = URL_FILE_HOST;
        } else {
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            if (!urlStartsWithWindowsDriveLetter(input, p) && base.path.length > 0
                && urlIsNormalizedWindowsDriveLetter(base.path[0])) {
              url.path.push(base.path[0]);
            }
          }
          state = URL_PATH;
          p--;
        }
        break;

      case URL_FILE_HOST:
        if (c === -1 || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          p--;
          if (override === 0 && urlIsWindowsDriveLetter(buffer)) {
            state = URL_PATH;
          } else if (buffer === '') {
            url.host = '';
            if (override !== 0) {
              return url;
            }
            state = URL_PATH_START;
          } else {
            let parsed = urlParseHost(buffer, false);
            if (parsed === null) {
              return null;
            }
            url.host = parsed === 'localhost' ? '' : parsed;
            if (override !== 0) {
              return url;
            }
            buffer = '';
            state = URL_PATH_START;
          }
        } else {
          buffer += input[p];
        }
        break;

      case URL_PATH_START:
        if (special) {
          state = URL_PATH;
          if (c !== 0x2f && c !== 0x5c) {
            p--;
          }
        } else if (override === 0 && c === 0x3f) {
          url.query = '';
          state = URL_QUERY;
        } else if (override === 0 && c === 0x23) {
          url.fragment = '';
          state = URL_FRAGMENT;
        } else if (c !== -1) {
          state = URL_PATH;
          if (c !== 0x2f) {
            p--;
          }
        } else if (override !== 0 && url.host === null) {
          url.path.push('');
        }
        break;

      case URL_PATH: {
        // The segment runs to the next delimiter; it is percent-encoded as a whole when it ends.
        let end = p;
        while (end < n) {
          const d = input.charCodeAt(end);
          if (d === 0x2f || (special && d === 0x5c) || (override === 0 && (d === 0x3f || d === 0x23))) {
            break;
          }
          end++;
        }
        if (end > p) {
          buffer += input.slice(p, end);
          p = end;
        }
        const d = p < n ? input.charCodeAt(p) : -1;
        const slash = d === 0x2f || (special && d === 0x5c);
        const lower = buffer.length <= 6 ? buffer.toLowerCase() : buffer;
        if (URL_DOUBLE_DOT.has(lower)) {
          urlShortenPath(url);
          if (!slash) {
            url.path.push('');
          }
        } else if (URL_SINGLE_DOT.has(lower)) {
          if (!slash) {
            url.path.push('');
          }
        } else {
          if (url.scheme === 'file' && url.path.length === 0 && urlIsWindowsDriveLetter(buffer)) {
            buffer = buffer[0] + ':';
          }
          url.path.push(urlPercentEncode(buffer, URL_PATH_SET));
        }
        buffer = '';
        if (d === 0x3f) {
          url.query = '';
          state = URL_QUERY;
        } else if (d === 0x23) {
          url.fragment = '';
          state = URL_FRAGMENT;
        }
        break;
      }

      case URL_OPAQUE_PATH: {
        let end = p;
        while (end < n) {
          const e = input.charCodeAt(end);
          if (e === 0x3f || e === 0x23) {
            break;
          }
          end++;
        }
        // A space right before the query or fragment is encoded, so that it cannot end up trailing.
        if (end < n && end > p && input.charCodeAt(end - 1) === 0x20) {
          url.path += urlPercentEncode(input.slice(p, end - 1), URL_C0_SET) + '%20';
        } else {
          url.path += urlPercentEncode(input.slice(p, end), URL_C0_SET);
        }
        p = end;
        if (p < n) {
          if (input.charCodeAt(p) === 0x3f) {
            url.query = '';
            state = URL_QUERY;
          } else {
            url.fragment = '';
            state = URL_FRAGMENT;
          }
        }
        break;
      }

      case URL_QUERY: {
        let end = override === 0 ? input.indexOf('#', p) : -1;
        if (end < 0) {
          end = n;
        }
        url.query += urlPercentEncode(input.slice(p, end), special ? URL_SPECIAL_QUERY_SET : URL_QUERY_SET);
        p = end;
        if (p < n) {
          url.fragment = '';
          state = URL_FRAGMENT;
        }
        break;
      }

      case URL_FRAGMENT:
        url.fragment += urlPercentEncode(input.slice(p), URL_FRAGMENT_SET);
        p = n;
        break;
    }
    if (p >= n) {
      break;
    }
  }
  return url;
}

// ---- Serializing

function urlSerializePath(url) {
  const path = url.path;
  if (typeof path === 'string') {
    return path;
  }
  let out = '';
  for (let i = 0; i < path.length; i++) {
    out += '/' + path[i];
  }
  return out;
}

function urlSerialize(url, excludeFragment = false) {
  let out = url.scheme + ':';
  if (url.host !== null) {
    out += '//';
    if (urlIncludesCredentials(url)) {
      out += url.username;
      if (url.password !== '') {
        out += ':' + url.password;
      }
      out += '@';
    }
    out += url.host;
    if (url.port !== null) {
      out += ':' + url.port;
    }
  } else if (typeof url.path !== 'string' && url.path.length > 1 && url.path[0] === '') {
    out += '/.';
  }
  out += urlSerializePath(url);
  if (url.query !== null) {
    out += '?' + url.query;
  }
  if (!excludeFragment && url.fragment !== null) {
    out += '#' + url.fragment;
  }
  return out;
}

function urlSerializeOrigin(url) {
  switch (url.scheme) {
    case 'blob': {
      const inner = urlParse(urlSerializePath(url), null);
      return inner !== null && (inner.scheme === 'http' || inner.scheme === 'https') ? urlSerializeOrigin(inner) : 'null';
    }
    case 'ftp':
    case 'http':
    case 'https':
    case 'ws':
    case 'wss':
      return url.scheme + '://' + url.host + (url.port === null ? '' : ':' + url.port);
    default:
      return 'null';
  }
}

function urlCannotHaveCredentialsOrPort(url) {
  return url.host === null || url.host === '' || url.scheme === 'file';
}

// A request URL from the host is nearly always already in serialized form; this recognizes that form so that the
// parser runs only when something needs normalizing (case, dot segments, a default port, characters to encode).
const URL_SERIALIZED_HTTP = /^(https?):\/\/(?:[a-z0-9_-]+\.)*[a-z_-][a-z0-9_-]*(?::([1-9][0-9]{0,3}))?\/[A-Za-z0-9!$%&'()*+,\-./:;=@_~[\]|]*(?:\?[A-Za-z0-9!$%&()*+,\-./:;=?@_~[\]|^`{}\\]*)?$/;
const URL_DOT_SEGMENT_HINT = /\/\.|%2e/i;

// The serialized form of an absolute URL string, or null when it does not parse.
function urlHref(input) {
  const m = URL_SERIALIZED_HTTP.exec(input);
  if (m !== null && m[2] !== (m[1] === 'http' ? '80' : '443') && !URL_DOT_SEGMENT_HINT.test(input)) {
    return input;
  }
  const record = urlParse(urlToUSVString(input), null);
  return record === null ? null : urlSerialize(record);
}

// ---- The URL class

// Makes a class's prototype members enumerable and gives it a toStringTag, as Web IDL interfaces have.
function urlDefineInterface(cls, name) {
  for (const key of Reflect.ownKeys(cls.prototype)) {
    if (key !== 'constructor') {
      const desc = Reflect.getOwnPropertyDescriptor(cls.prototype, key);
      desc.enumerable = true;
      Object.defineProperty(cls.prototype, key, desc);
    }
  }
  Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
}

const URL_STATE = internalSlot('URL');

function urlState(u) {
  return internalState(u, URL_STATE, 'URL');
}

function urlParseRecord(url, base) {
  url = urlToUSVString(url);
  let baseRecord = null;
  if (base !== undefined) {
    baseRecord = urlParse(urlToUSVString(base), null);
    if (baseRecord === null) {
      return null;
    }
  }
  return urlParse(url, baseRecord);
}

// After the URL's query changed: its searchParams object, if made, reads it again.
function urlQueryChanged(u) {
  const params = urlState(u).searchParams;
  if (params !== null) {
    urlSearchParamsReparse(params);
  }
}

class URL {
  constructor(url, base = undefined) {
    // url: the URL record; searchParams: the URLSearchParams object, once asked for
    const state = { url: null, searchParams: null };
    this[URL_STATE] = state;
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
    }
    if (url === INTERNAL) {
      state.url = base;
      return;
    }
    url = urlToUSVString(url);
    let baseRecord = null;
    if (base !== undefined) {
      baseRecord = urlParse(urlToUSVString(base), null);
      if (baseRecord === null) {
        throw new TypeError('Invalid base URL string.');
      }
    }
    const record = urlParse(url, baseRecord);
    if (record === null) {
      throw new TypeError('Invalid URL string.');
    }
    state.url = record;
  }

  static canParse(url, base = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'canParse' on 'URL': 1 argument required, but only 0 present.");
    }
    return urlParseRecord(url, base) !== null;
  }

  static parse(url, base = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'parse' on 'URL': 1 argument required, but only 0 present.");
    }
    const record = urlParseRecord(url, base);
    if (record === null) {
      return null;
    }
    return new URL(INTERNAL, record);
  }

  get href() {
    return urlSerialize(urlState(this).url);
  }

  set href(value) {
    const record = urlParse(urlToUSVString(value), null);
    if (record === null) {
      throw new TypeError('Invalid URL string.');
    }
    urlCopyRecord(urlState(this).url, record);
    urlQueryChanged(this);
  }

  get origin() {
    return urlSerializeOrigin(urlState(this).url);
  }

  get protocol() {
    return urlState(this).url.scheme + ':';
  }

  set protocol(value) {
    urlParse(urlToUSVString(value) + ':', null, urlState(this).url, URL_SCHEME_START);
  }

  get username() {
    return urlState(this).url.username;
  }

  set username(value) {
    value = urlToUSVString(value);
    if (!urlCannotHaveCredentialsOrPort(urlState(this).url)) {
      urlState(this).url.username = urlPercentEncode(value, URL_USERINFO_SET);
    }
  }

  get password() {
    return urlState(this).url.password;
  }

  set password(value) {
    value = urlToUSVString(value);
    if (!urlCannotHaveCredentialsOrPort(urlState(this).url)) {
      urlState(this).url.password = urlPercentEncode(value, URL_USERINFO_SET);
    }
  }

  get host() {
    const url = urlState(this).url;
    if (url.host === null) {
      return '';
    }
    return url.port === null ? url.host : url.host + ':' + url.port;
  }

  set host(value) {
    value = urlToUSVString(value);
    if (typeof urlState(this).url.path !== 'string') {
      urlParse(value, null, urlState(this).url, URL_HOST);
    }
  }

  get hostname() {
    return urlState(this).url.host === null ? '' : urlState(this).url.host;
  }

  set hostname(value) {
    value = urlToUSVString(value);
    if (typeof urlState(this).url.path !== 'string') {
      urlParse(value, null, urlState(this).url, URL_HOSTNAME);
    }
  }

  get port() {
    return urlState(this).url.port === null ? '' : String(urlState(this).url.port);
  }

  set port(value) {
    value = urlToUSVString(value);
    if (urlCannotHaveCredentialsOrPort(urlState(this).url)) {
      return;
    }
    if (value === '') {
      urlState(this).url.port = null;
    } else {
      urlParse(value, null, urlState(this).url, URL_PORT);
    }
  }

  get pathname() {
    return urlSerializePath(urlState(this).url);
  }

  set pathname(value) {
    value = urlToUSVString(value);
    const url = urlState(this).url;
    if (typeof url.path === 'string') {
      return;
    }
    url.path = [];
    urlParse(value, null, url, URL_PATH_START);
  }

  get search() {
    const query = urlState(this).url.query;
    return query === null || query === '' ? '' : '?' + query;
  }

  set search(value) {
    value = urlToUSVString(value);
    const url = urlState(this).url;
    if (value === '') {
      url.query = null;
      urlQueryChanged(this);
      return;
    }
    url.query = '';
    urlParse(value.charCodeAt(0) === 0x3f ? value.slice(1) : value, null, url, URL_QUERY);
    urlQueryChanged(this);
  }

  get searchParams() {
    if (urlState(this).searchParams === null) {
      urlState(this).searchParams = urlSearchParamsOf(urlState(this).url);
    }
    return urlState(this).searchParams;
  }

  get hash() {
    const fragment = urlState(this).url.fragment;
    return fragment === null || fragment === '' ? '' : '#' + fragment;
  }

  set hash(value) {
    value = urlToUSVString(value);
    const url = urlState(this).url;
    if (value === '') {
      url.fragment = null;
      return;
    }
    url.fragment = '';
    urlParse(value.charCodeAt(0) === 0x23 ? value.slice(1) : value, null, url, URL_FRAGMENT);
  }

  toString() {
    return urlSerialize(urlState(this).url);
  }

  toJSON() {
    return urlSerialize(urlState(this).url);
  }
}

urlDefineInterface(URL, 'URL');
defineGlobal('URL', URL);
