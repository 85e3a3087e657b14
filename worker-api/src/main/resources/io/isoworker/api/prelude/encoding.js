// Encoding Standard: TextEncoder, TextDecoder (every encoding of the standard), and the UTF-8 conversion the body
// readers use. The decoders themselves are Java (host.text); UTF-8 has one implementation, Utf8Decoder.

function utf8Encode(s) {
  const n = s.length;
  const out = new Uint8Array(n * 3);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
    } else if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          out[j++] = 0xf0 | (cp >> 18);
          out[j++] = 0x80 | ((cp >> 12) & 63);
          out[j++] = 0x80 | ((cp >> 6) & 63);
          out[j++] = 0x80 | (cp & 63);
          continue;
        }
      }
      // A lone surrogate becomes U+FFFD, as the Encoding Standard says.
      out[j++] = 0xef;
      out[j++] = 0xbf;
      out[j++] = 0xbd;
    } else {
      out[j++] = 0xe0 | (c >> 12);
      out[j++] = 0x80 | ((c >> 6) & 63);
      out[j++] = 0x80 | (c & 63);
    }
  }
  return j === out.length ? out : out.slice(0, j);
}

// The string of bytes[start, end) when they are all ASCII, else null.
function asciiBytesToString(bytes, start, end) {
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      return null;
    }
  }
  return String.fromCharCode.apply(null, start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}

// Inputs up to this many bytes are checked for pure ASCII in JavaScript before going to the host.
const TEXT_ASCII_FAST_PATH_MAX = 256;

// UTF-8 decode with BOM removal and U+FFFD for malformed input.
function utf8Decode(bytes) {
  let start = 0;
  const n = bytes.length;
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
  }
  if (n - start <= TEXT_ASCII_FAST_PATH_MAX) {
    const ascii = asciiBytesToString(bytes, start, n);
    if (ascii !== null) {
      return ascii;
    }
  }
  return host.text.utf8Decode(bytes.buffer, bytes.byteOffset + start, n - start);
}

// Copies the bytes of a BufferSource into a new Uint8Array the caller owns.
function copyBytes(source) {
  if (source instanceof ArrayBuffer) {
    return new Uint8Array(source.slice(0));
  }
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength));
  }
  throw new TypeError('Expected an ArrayBuffer or ArrayBufferView');
}

// An ArrayBuffer holding exactly the bytes of a Uint8Array, for handing to the host.
function exactBuffer(u8) {
  return u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength
    ? u8.buffer : u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
}

// Encodes as much of string s as fits into Uint8Array dest without splitting a character: { read, written }.
function utf8EncodeInto(s, dest) {
  const n = s.length;
  const cap = dest.length;
  let read = 0;
  let written = 0;
  while (read < n) {
    let c = s.charCodeAt(read);
    if (c < 0x80) {
      if (written >= cap) {
        break;
      }
      dest[written++] = c;
      read++;
      continue;
    }
    if (c < 0x800) {
      if (written + 2 > cap) {
        break;
      }
      dest[written++] = 0xc0 | (c >> 6);
      dest[written++] = 0x80 | (c & 63);
      read++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && read + 1 < n ? s.charCodeAt(read + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        if (written + 4 > cap) {
          break;
        }
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        dest[written++] = 0xf0 | (cp >> 18);
        dest[written++] = 0x80 | ((cp >> 12) & 63);
        dest[written++] = 0x80 | ((cp >> 6) & 63);
        dest[written++] = 0x80 | (cp & 63);
        read += 2;
        continue;
      }
      c = 0xfffd;
    }
    if (written + 3 > cap) {
      break;
    }
    dest[written++] = 0xe0 | (c >> 12);
    dest[written++] = 0x80 | ((c >> 6) & 63);
    dest[written++] = 0x80 | (c & 63);
    read++;
  }
  return { read, written };
}

class TextEncoder {
  #brand = true;

  static #check(self) {
    if (typeof self !== 'object' || self === null || !(#brand in self)) {
      throw new TypeError('Illegal invocation');
    }
  }

  get encoding() {
    TextEncoder.#check(this);
    return 'utf-8';
  }

  encode(input = '') {
    TextEncoder.#check(this);
    return utf8Encode(String(input));
  }

  encodeInto(source, destination) {
    TextEncoder.#check(this);
    if (arguments.length < 2) {
      throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': 2 arguments required, but only "
        + arguments.length + ' present.');
    }
    const s = String(source);
    if (!(destination instanceof Uint8Array)) {
      throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
    }
    return utf8EncodeInto(s, destination);
  }
}
Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: 'TextEncoder', configurable: true });

function textDecoderOptions(options, method) {
  if (options === undefined || options === null) {
    return null;
  }
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw new TypeError('Failed to ' + method + ": The provided value is not of type '"
      + (method === "construct 'TextDecoder'" ? 'TextDecoderOptions' : 'TextDecodeOptions') + "'.");
  }
  return options;
}

// The bytes of a BufferSource as [buffer, offset, length], for the host.
function textBufferSourceRange(input) {
  if (ArrayBuffer.isView(input)) {
    return [input.buffer, input.byteOffset, input.byteLength];
  }
  if (input instanceof ArrayBuffer
      || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) {
    return [input, 0, input.byteLength];
  }
  throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type "
    + "'(ArrayBuffer or ArrayBufferView)'.");
}

function textEncodingName(label) {
  if (label === 'utf-8' || label === 'utf8') {
    return 'utf-8';
  }
  return host.text.encodingName(label);
}

class TextDecoder {
  #encoding;
  #fatal;
  #ignoreBOM;
  // the host decoder, made on first use
  #decoder = null;
  // the host decoder may hold part of a sequence (the last call streamed)
  #pending = false;
  #bomSeen = false;

  constructor(label = 'utf-8', options = undefined) {
    label = String(label);
    options = textDecoderOptions(options, "construct 'TextDecoder'");
    const name = textEncodingName(label);
    if (name === null || name === 'replacement') {
      throw new RangeError("Failed to construct 'TextDecoder': The encoding label provided ('" + label
        + "') is invalid.");
    }
    this.#encoding = name;
    this.#fatal = options !== null && Boolean(options.fatal);
    this.#ignoreBOM = options !== null && Boolean(options.ignoreBOM);
  }

  get encoding() { return this.#encoding; }

  get fatal() { return this.#fatal; }

  get ignoreBOM() { return this.#ignoreBOM; }

  decode(input = undefined, options = undefined) {
    const encoding = this.#encoding;
    const range = input === undefined ? null : textBufferSourceRange(input);
    options = textDecoderOptions(options, "execute 'decode' on 'TextDecoder'");
    const stream = options !== null && Boolean(options.stream);
    const length = range === null ? 0 : range[2];
    let text = null;
    if (!this.#pending) {
      if (length === 0) {
        text = '';
      } else if (encoding === 'utf-8' && length <= TEXT_ASCII_FAST_PATH_MAX) {
        const u8 = input instanceof Uint8Array ? input : new Uint8Array(range[0], range[1], length);
        text = asciiBytesToString(u8, 0, length);
      }
    }
    if (text === null) {
      if (this.#decoder === null) {
        this.#decoder = host.text.decoder(encoding, this.#fatal);
      }
      text = this.#decoder.decode(range === null ? null : range[0], range === null ? 0 : range[1], length, stream);
      if (text === null) {
        this.#pending = false;
        this.#bomSeen = false;
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The encoded data was not valid for "
          + 'encoding ' + encoding + '.');
      }
      this.#pending = stream;
    }
    if (!this.#ignoreBOM && !this.#bomSeen && text.length > 0
        && (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be')) {
      this.#bomSeen = true;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
      }
    }
    if (!stream) {
      this.#bomSeen = false;
    }
    return text;
  }
}
Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: 'TextDecoder', configurable: true });

defineGlobal('TextEncoder', TextEncoder);
defineGlobal('TextDecoder', TextDecoder);
