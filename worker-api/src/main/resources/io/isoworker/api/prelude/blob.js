// Blob and File (W3C File API). A Blob's bytes are immutable: slices share them, readers hand out copies.

const BLOB_TYPE_CHARS = /^[\x20-\x7e]*$/;

function normalizeBlobType(type) {
  type = String(type);
  return BLOB_TYPE_CHARS.test(type) ? type.toLowerCase() : '';
}

function blobOptions(options, what) {
  if (options === undefined || options === null) {
    return { endings: 'transparent', type: '' };
  }
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw new TypeError("Failed to construct '" + what + "': The provided value is not of type 'BlobPropertyBag'.");
  }
  let endings = options.endings;
  if (endings === undefined) {
    endings = 'transparent';
  } else {
    endings = String(endings);
    if (endings !== 'transparent' && endings !== 'native') {
      throw new TypeError("Failed to construct '" + what + "': The provided value '" + endings
        + "' is not a valid enum value of type EndingType.");
    }
  }
  const type = options.type === undefined ? '' : normalizeBlobType(options.type);
  return { endings, type };
}

let blobBytes; // (Blob) -> Uint8Array, the Blob's own bytes: never hand them to guest code
let blobType;
let isBlob;
let cloneFile; // structuredClone's copy of a File (structuredclone.js registers it and cloneBlob)

// The bytes of a sequence<BlobPart>.
function blobPartsBytes(parts, endings, what) {
  if (parts === undefined) {
    return new Uint8Array(0);
  }
  if (parts === null || typeof parts !== 'object' || typeof parts[Symbol.iterator] !== 'function') {
    throw new TypeError("Failed to construct '" + what + "': The provided value cannot be converted to a sequence.");
  }
  const chunks = [];
  let total = 0;
  for (const part of parts) {
    let bytes;
    if (isBlob(part)) {
      bytes = blobBytes(part);
    } else if (part instanceof ArrayBuffer) {
      bytes = new Uint8Array(part.slice(0));
    } else if (ArrayBuffer.isView(part)) {
      bytes = copyBytes(part);
    } else {
      let text = String(part);
      if (endings === 'native') {
        text = text.replace(/\r\n?/g, '\n');
      }
      bytes = utf8Encode(text);
    }
    chunks.push(bytes);
    total += bytes.length;
  }
  // A single chunk is fresh, or a Blob's immutable bytes: either may be kept as is.
  return concatBytes(chunks, total);
}

// Resolves relative slice positions against a size, as Blob.slice does.
function relativeBlobIndex(value, size, fallback) {
  if (value === undefined) {
    return fallback;
  }
  let n = Math.trunc(Number(value));
  if (Number.isNaN(n)) {
    n = 0;
  }
  return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
}

class Blob {
  #bytes;
  #type;

  static {
    blobBytes = (b) => b.#bytes;
    blobType = (b) => b.#type;
    isBlob = (x) => x !== null && typeof x === 'object' && #bytes in x;
  }

  constructor(blobParts = undefined, options = undefined) {
    if (blobParts === INTERNAL) {
      this.#bytes = options.bytes;
      this.#type = options.type;
      return;
    }
    const what = new.target === Blob ? 'Blob' : 'File';
    const opts = blobOptions(options, what);
    this.#bytes = blobPartsBytes(blobParts, opts.endings, what);
    this.#type = opts.type;
  }

  get size() {
    return this.#bytes.length;
  }

  get type() {
    return this.#type;
  }

  slice(start = undefined, end = undefined, contentType = undefined) {
    const bytes = this.#bytes;
    const size = bytes.length;
    const from = relativeBlobIndex(start, size, 0);
    const to = relativeBlobIndex(end, size, size);
    const type = contentType === undefined ? '' : normalizeBlobType(contentType);
    return new Blob(INTERNAL, { bytes: bytes.subarray(from, Math.max(from, to)), type });
  }

  stream() {
    return streamOfBytes(this.#bytes);
  }

  text() {
    try {
      return Promise.resolve(utf8Decode(this.#bytes));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  arrayBuffer() {
    let bytes;
    try {
      bytes = this.#bytes;
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve(bytes.slice().buffer);
  }

  bytes() {
    let bytes;
    try {
      bytes = this.#bytes;
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve(bytes.slice());
  }
}

// A USVString: lone surrogates become U+FFFD.
function webUSVString(value) {
  const s = `${value}`;
  return typeof s.toWellFormed === 'function' ? s.toWellFormed() : s;
}

// structuredClone's copy of a Blob: the bytes are immutable, so the copy shares them.
function cloneBlob(blob) {
  return new Blob(INTERNAL, { bytes: blobBytes(blob), type: blobType(blob) });
}

class File extends Blob {
  #name;
  #lastModified;

  static {
    cloneFile = (f) => new File([f], f.#name, { type: blobType(f), lastModified: f.#lastModified });
  }

  constructor(fileBits, fileName, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to construct 'File': 2 arguments required, but only " + arguments.length + ' present.');
    }
    super(fileBits, options);
    this.#name = webUSVString(fileName);
    let lastModified = options !== undefined && options !== null ? options.lastModified : undefined;
    if (lastModified === undefined) {
      lastModified = Date.now();
    } else {
      lastModified = Math.trunc(Number(lastModified));
      if (!Number.isFinite(lastModified)) {
        lastModified = 0;
      }
    }
    this.#lastModified = lastModified;
  }

  get name() {
    return this.#name;
  }

  get lastModified() {
    return this.#lastModified;
  }
}

defineGlobal('Blob', Blob);
defineGlobal('File', File);
streamsDefineInterface(Blob, 'Blob');
streamsDefineInterface(File, 'File');
