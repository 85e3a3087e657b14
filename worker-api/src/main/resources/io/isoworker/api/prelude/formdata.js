// FormData (XMLHttpRequest Standard), and its multipart/form-data encoding and parsing (RFC 7578).

let formDataEntries; // (FormData) -> [[name, value]], value a string or a File

function formDataEntryValue(value, filename, hasFilename) {
  if (!isBlob(value)) {
    return webUSVString(value);
  }
  if (value instanceof File && !hasFilename) {
    return value;
  }
  const name = hasFilename ? webUSVString(filename) : (value instanceof File ? value.name : 'blob');
  return new File([value], name, value instanceof File ? { type: value.type, lastModified: value.lastModified } : { type: value.type });
}

function formDataArgs(method, args, min) {
  if (args.length < min) {
    throw new TypeError("Failed to execute '" + method + "' on 'FormData': " + min + ' arguments required, but only '
      + args.length + ' present.');
  }
  if (args.length > 2 && !isBlob(args[1])) {
    throw new TypeError("Failed to execute '" + method + "' on 'FormData': parameter 2 is not of type 'Blob'.");
  }
  return [webUSVString(args[0]), formDataEntryValue(args[1], args[2], args.length > 2 && args[2] !== undefined)];
}

const ArrayIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

class FormDataIterator {
  #entries;
  #kind;
  #index = 0;

  constructor(key, entries, kind) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this.#entries = entries;
    this.#kind = kind;
  }

  next() {
    const entries = this.#entries;
    if (this.#index >= entries.length) {
      return { value: undefined, done: true };
    }
    const [name, value] = entries[this.#index++];
    if (this.#kind === 'key') {
      return { value: name, done: false };
    }
    if (this.#kind === 'value') {
      return { value, done: false };
    }
    return { value: [name, value], done: false };
  }
}
Object.setPrototypeOf(FormDataIterator.prototype, ArrayIteratorPrototype);
Object.defineProperty(FormDataIterator.prototype, Symbol.toStringTag, { value: 'FormData Iterator', configurable: true });

class FormData {
  #entries = [];

  static {
    formDataEntries = (f) => f.#entries;
  }

  constructor(form = undefined) {
    if (form !== undefined) {
      throw new TypeError("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'.");
    }
  }

  append(name, value, filename = undefined) {
    this.#entries.push(formDataArgs('append', arguments, 2));
  }

  delete(name) {
    name = webUSVString(name);
    this.#entries = this.#entries.filter((e) => e[0] !== name);
  }

  get(name) {
    name = webUSVString(name);
    for (const e of this.#entries) {
      if (e[0] === name) {
        return e[1];
      }
    }
    return null;
  }

  getAll(name) {
    name = webUSVString(name);
    return this.#entries.filter((e) => e[0] === name).map((e) => e[1]);
  }

  has(name) {
    name = webUSVString(name);
    return this.#entries.some((e) => e[0] === name);
  }

  set(name, value, filename = undefined) {
    const entry = formDataArgs('set', arguments, 2);
    const entries = this.#entries;
    const i = entries.findIndex((e) => e[0] === entry[0]);
    if (i < 0) {
      entries.push(entry);
      return;
    }
    entries[i] = entry;
    this.#entries = entries.filter((e, j) => j <= i || e[0] !== entry[0]);
  }

  entries() {
    return new FormDataIterator(INTERNAL, this.#entries, 'key+value');
  }

  keys() {
    return new FormDataIterator(INTERNAL, this.#entries, 'key');
  }

  values() {
    return new FormDataIterator(INTERNAL, this.#entries, 'value');
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not a function.");
    }
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) {
      Reflect.apply(callback, thisArg, [entries[i][1], entries[i][0], this]);
    }
  }
}
Object.defineProperty(FormData.prototype, Symbol.iterator, {
  value: FormData.prototype.entries, writable: true, configurable: true, enumerable: false,
});
defineGlobal('FormData', FormData);

// ---- multipart/form-data

function multipartBoundary() {
  let b = '----isoworkerFormBoundary';
  for (let i = 0; i < 4; i++) {
    b += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  }
  return b;
}

// Lone CR and lone LF become CRLF, as the HTML multipart/form-data encoding algorithm says.
function normalizeFormNewlines(s) {
  return s.replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n');
}

function escapeFormHeaderValue(s) {
  return s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

// Serializes a FormData: returns [bytes, content type].
function encodeMultipart(formData) {
  const boundary = multipartBoundary();
  const chunks = [];
  let total = 0;
  const push = (bytes) => {
    chunks.push(bytes);
    total += bytes.length;
  };
  for (const [name, value] of formDataEntries(formData)) {
    let head = '--' + boundary + '\r\nContent-Disposition: form-data; name="'
      + escapeFormHeaderValue(normalizeFormNewlines(name)) + '"';
    if (typeof value === 'string') {
      push(utf8Encode(head + '\r\n\r\n' + normalizeFormNewlines(value) + '\r\n'));
    } else {
      head += '; filename="' + escapeFormHeaderValue(value.name) + '"\r\nContent-Type: '
        + (value.type || 'application/octet-stream') + '\r\n\r\n';
      push(utf8Encode(head));
      push(blobBytes(value));
      push(utf8Encode('\r\n'));
    }
  }
  push(utf8Encode('--' + boundary + '--\r\n'));
  return [concatBytes(chunks, total), 'multipart/form-data; boundary=' + boundary];
}

function indexOfBytes(haystack, needle, from) {
  const n = needle.length;
  const first = needle[0];
  const last = haystack.length - n;
  outer:
  for (let i = from; i <= last; i++) {
    if (haystack[i] !== first) {
      continue;
    }
    for (let j = 1; j < n; j++) {
      if (haystack[i + j] !== needle[j]) {
        continue outer;
      }
    }
    return i;
  }
  return -1;
}

const MULTIPART_ERROR = 'Failed to parse body as FormData.';

// The parameters of a Content-Disposition value: {disposition, params: Map}.
function parseContentDisposition(value) {
  const semi = value.indexOf(';');
  const disposition = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = new Map();
  let pos = semi < 0 ? value.length : semi;
  while (pos < value.length) {
    pos++;
    while (pos < value.length && isMimeWhitespace(value[pos])) {
      pos++;
    }
    let eq = pos;
    while (eq < value.length && value[eq] !== '=' && value[eq] !== ';') {
      eq++;
    }
    const name = value.slice(pos, eq).trim().toLowerCase();
    pos = eq;
    if (pos >= value.length || value[pos] === ';') {
      continue;
    }
    pos++;
    let v;
    if (value[pos] === '"') {
      [v, pos] = collectHttpQuotedString(value, pos);
      while (pos < value.length && value[pos] !== ';') {
        pos++;
      }
    } else {
      let end = value.indexOf(';', pos);
      if (end < 0) {
        end = value.length;
      }
      v = value.slice(pos, end).trim();
      pos = end;
    }
    if (name !== '' && !params.has(name)) {
      params.set(name, v);
    }
  }
  return { disposition, params };
}

// Parses a multipart/form-data body into a FormData.
function parseMultipart(bytes, boundary) {
  const delimiter = utf8Encode('--' + boundary);
  const crlfDelimiter = utf8Encode('\r\n--' + boundary);
  const form = new FormData();
  const entries = formDataEntries(form);
  let pos;
  if (indexOfBytes(bytes.subarray(0, delimiter.length), delimiter, 0) === 0) {
    pos = delimiter.length;
  } else {
    const at = indexOfBytes(bytes, crlfDelimiter, 0);
    if (at < 0) {
      throw new TypeError(MULTIPART_ERROR);
    }
    pos = at + crlfDelimiter.length;
  }
  for (;;) {
    // after a delimiter: "--" ends the body, otherwise padding and CRLF start a part
    if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) {
      return form;
    }
    while (bytes[pos] === 0x20 || bytes[pos] === 0x09) {
      pos++;
    }
    if (bytes[pos] !== 0x0d || bytes[pos + 1] !== 0x0a) {
      throw new TypeError(MULTIPART_ERROR);
    }
    pos += 2;
    const headerEnd = indexOfBytes(bytes, utf8Encode('\r\n\r\n'), pos - 2);
    if (headerEnd < 0) {
      throw new TypeError(MULTIPART_ERROR);
    }
    let name = null;
    let filename;
    let contentType = '';
    const headerText = utf8Decode(bytes.subarray(pos, headerEnd));
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      const field = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (field === 'content-disposition') {
        const cd = parseContentDisposition(value);
        if (cd.disposition !== 'form-data' || !cd.params.has('name')) {
          throw new TypeError(MULTIPART_ERROR);
        }
        name = cd.params.get('name');
        filename = cd.params.get('filename');
      } else if (field === 'content-type') {
        contentType = value;
      }
    }
    if (name === null) {
      throw new TypeError(MULTIPART_ERROR);
    }
    const bodyStart = headerEnd + 4;
    const bodyEnd = indexOfBytes(bytes, crlfDelimiter, bodyStart);
    if (bodyEnd < 0) {
      throw new TypeError(MULTIPART_ERROR);
    }
    const body = bytes.subarray(bodyStart, bodyEnd);
    if (filename !== undefined) {
      entries.push([name, new File([body], filename, { type: contentType || 'text/plain' })]);
    } else {
      entries.push([name, utf8Decode(body)]);
    }
    pos = bodyEnd + crlfDelimiter.length;
  }
}

// application/x-www-form-urlencoded, through URLSearchParams when it is there.
function parseUrlEncodedForm(bytes) {
  const form = new FormData();
  const entries = formDataEntries(form);
  const text = utf8Decode(bytes);
  if (typeof URLSearchParams === 'function') {
    for (const [name, value] of new URLSearchParams(text)) {
      entries.push([name, value]);
    }
    return form;
  }
  for (const piece of text.split('&')) {
    if (piece === '') {
      continue;
    }
    const eq = piece.indexOf('=');
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    entries.push([formUrlDecode(name), formUrlDecode(value)]);
  }
  return form;
}

function formUrlDecode(s) {
  const bytes = utf8Encode(s.replace(/\+/g, ' '));
  const out = new Uint8Array(bytes.length);
  let j = 0;
  const hex = (b) => (b >= 0x30 && b <= 0x39 ? b - 0x30 : (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66 ? (b | 0x20) - 0x57 : -1);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x25 && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
      out[j++] = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
      i += 2;
    } else {
      out[j++] = b;
    }
  }
  return utf8Decode(out.subarray(0, j));
}
streamsDefineInterface(FormData, 'FormData');
