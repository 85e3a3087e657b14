// UTF-8 conversion used by the body readers. (TextEncoder/TextDecoder come with the full Web API set.)

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

// UTF-8 decode with BOM removal and U+FFFD for malformed input.
function utf8Decode(bytes) {
  let start = 0;
  const n = bytes.length;
  if (n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
  }
  if (n - start <= 256) {
    let ascii = true;
    for (let i = start; i < n; i++) {
      if (bytes[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return String.fromCharCode.apply(null, start === 0 ? bytes : bytes.subarray(start));
    }
  }
  return host.utf8Decode(bytes.buffer, bytes.byteOffset + start, n - start);
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
