// MIME types (WHATWG MIME Sniffing Standard): parsing and serializing. Used by Blob, the Body mixin and data: URLs.

const MIME_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MIME_QUOTED_STRING_TOKEN = /^[\t\x20-\x7e\x80-\xff]*$/;
const MIME_WHITESPACE_EDGES = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const MIME_TRAILING_WHITESPACE = /[\t\n\r ]+$/;

function isMimeWhitespace(c) {
  return c === '\t' || c === '\n' || c === '\r' || c === ' ';
}

// Collects an HTTP quoted string starting at the '"' at `pos`, extracting its value. Returns [value, newPos].
function collectHttpQuotedString(input, pos) {
  let value = '';
  pos++;
  for (;;) {
    let end = pos;
    while (end < input.length && input[end] !== '"' && input[end] !== '\\') {
      end++;
    }
    value += input.slice(pos, end);
    pos = end;
    if (pos >= input.length) {
      break;
    }
    const quoteOrBackslash = input[pos];
    pos++;
    if (quoteOrBackslash === '\\') {
      if (pos >= input.length) {
        value += '\\';
        break;
      }
      value += input[pos];
      pos++;
    } else {
      break;
    }
  }
  return [value, pos];
}

// parse a MIME type: {type, subtype, parameters: Map} or null on failure.
function parseMimeType(string) {
  const input = String(string).replace(MIME_WHITESPACE_EDGES, '');
  let pos = input.indexOf('/');
  if (pos <= 0) {
    return null;
  }
  const type = input.slice(0, pos);
  if (!MIME_TOKEN.test(type)) {
    return null;
  }
  pos++;
  let end = input.indexOf(';', pos);
  if (end < 0) {
    end = input.length;
  }
  const subtype = input.slice(pos, end).replace(MIME_TRAILING_WHITESPACE, '');
  if (subtype === '' || !MIME_TOKEN.test(subtype)) {
    return null;
  }
  const mime = { type: type.toLowerCase(), subtype: subtype.toLowerCase(), parameters: new Map() };
  pos = end;
  while (pos < input.length) {
    pos++; // the ';'
    while (pos < input.length && isMimeWhitespace(input[pos])) {
      pos++;
    }
    let nameEnd = pos;
    while (nameEnd < input.length && input[nameEnd] !== ';' && input[nameEnd] !== '=') {
      nameEnd++;
    }
    const name = input.slice(pos, nameEnd).toLowerCase();
    pos = nameEnd;
    if (pos < input.length) {
      if (input[pos] === ';') {
        continue;
      }
      pos++; // the '='
    }
    if (pos >= input.length) {
      break;
    }
    let value;
    if (input[pos] === '"') {
      [value, pos] = collectHttpQuotedString(input, pos);
      while (pos < input.length && input[pos] !== ';') {
        pos++;
      }
    } else {
      let valueEnd = input.indexOf(';', pos);
      if (valueEnd < 0) {
        valueEnd = input.length;
      }
      value = input.slice(pos, valueEnd).replace(MIME_TRAILING_WHITESPACE, '');
      pos = valueEnd;
      if (value === '') {
        continue;
      }
    }
    if (name !== '' && MIME_TOKEN.test(name) && MIME_QUOTED_STRING_TOKEN.test(value) && !mime.parameters.has(name)) {
      mime.parameters.set(name, value);
    }
  }
  return mime;
}

function mimeEssence(mime) {
  return mime.type + '/' + mime.subtype;
}

function serializeMimeType(mime) {
  let out = mime.type + '/' + mime.subtype;
  for (const [name, value] of mime.parameters) {
    out += ';' + name + '=';
    if (value === '' || !MIME_TOKEN.test(value)) {
      out += '"' + value.replace(/["\\]/g, '\\$&') + '"';
    } else {
      out += value;
    }
  }
  return out;
}
