// CompressionStream and DecompressionStream (WHATWG Compression Standard) for gzip, deflate and deflate-raw. The
// work is done by the host, one call per chunk; corrupt input errors the stream with a TypeError.

const COMPRESSION_FORMATS = new Set(['deflate', 'deflate-raw', 'gzip']);

function compressionFormat(format, what) {
  if (format === undefined) {
    throw new TypeError("Failed to construct '" + what + "': 1 argument required, but only 0 present.");
  }
  format = String(format);
  if (!COMPRESSION_FORMATS.has(format)) {
    throw new TypeError("Failed to construct '" + what + "': Unsupported compression format: '" + format
      + "'. The format must be 'deflate', 'deflate-raw' or 'gzip'.");
  }
  return format;
}

function compressionRecord(format, compress) {
  const session = host.streams().compression(format, compress);
  const output = (buffer, enqueue) => {
    if (buffer === null) {
      throw new TypeError(compress ? 'Compression failed: ' + session.error()
        : 'Decompression failed: ' + session.error());
    }
    const bytes = hostBufferBytes(buffer);
    if (bytes.length > 0) {
      enqueue(bytes);
    }
  };
  return byteTransformRecord(
    (chunk, enqueue) => {
      const bytes = bufferSourceBytes(chunk);
      if (bytes === null) {
        throw new TypeError("The chunk is not of type '(ArrayBuffer or ArrayBufferView)'.");
      }
      output(session.push(bytes.buffer, bytes.byteOffset, bytes.byteLength), enqueue);
    },
    (enqueue) => output(session.finish(), enqueue),
    () => session.close());
}

class CompressionStream extends TransformStream {
  constructor(format) {
    super(INTERNAL, compressionRecord(compressionFormat(format, 'CompressionStream'), true));
  }
}

class DecompressionStream extends TransformStream {
  constructor(format) {
    super(INTERNAL, compressionRecord(compressionFormat(format, 'DecompressionStream'), false));
  }
}

defineGlobal('CompressionStream', CompressionStream);
defineGlobal('DecompressionStream', DecompressionStream);
streamsDefineInterface(CompressionStream, 'CompressionStream');
streamsDefineInterface(DecompressionStream, 'DecompressionStream');
